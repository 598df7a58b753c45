"""Documenting the error answers an endpoint can give, with the platform's error body."""
from __future__ import annotations

from http import HTTPStatus


def error_responses(blueprint, *statuses: int):
    """``@error_responses(blp, 403, 404, 409)`` under ``@blp.route``: each status documented with
    the error body flask-smorest registers for it."""

    def decorate(view):
        for status in statuses:
            view = blueprint.alt_response(status, response=HTTPStatus(status).name)(view)
        return view

    return decorate
