"""Errors raised by meaning below the API become the platform's error body in one place."""
import pytest
from flask import Flask

from canopy_kit import errors
from canopy_kit.errors import Conflict, Forbidden, Invalid, NotFound, Refusal, TooManyAttempts, Unavailable
from canopy_kit.web.errors import STATUS_OF_MEANING, from_refusal, from_unavailable
from canopy_kit.web.ids import AbsentId


def _render(exc):
    with Flask(__name__).app_context():
        response = from_refusal(exc) if isinstance(exc, Refusal) else from_unavailable(exc)
        return response.status_code, response.get_json(), dict(response.headers)


def test_every_meaning_has_one_status():
    meanings = [kind for kind in vars(errors).values()
                if isinstance(kind, type) and issubclass(kind, Refusal) and kind is not Refusal]
    assert sorted(kind.__name__ for kind in meanings) == sorted(kind.__name__ for kind in STATUS_OF_MEANING)


@pytest.mark.parametrize("exc, status, code", [
    (NotFound("no such record"), 404, "not_found"),
    (Forbidden("you may not"), 403, "forbidden"),
    (Conflict.on("slug", "is taken"), 409, "conflict"),
    (Invalid.on("ends_on", "is before starts_on"), 422, "invalid_input"),
    (Conflict("already decided", code="already_decided"), 409, "already_decided"),
])
def test_a_refusal_renders_with_its_status_code_and_fields(exc, status, code):
    got_status, body, _ = _render(exc)
    assert (got_status, body["status"], body["code"]) == (status, status, code)
    assert body["errors"] == exc.errors and body["message"] == exc.message


def test_a_field_refusal_names_the_field():
    _, body, _ = _render(Invalid.on("ends_on", "is before starts_on"))
    assert body["errors"] == {"ends_on": ["is before starts_on"]}
    assert body["message"] == "ends_on: is before starts_on"


def test_an_id_from_another_trust_is_not_found_whatever_else_is_wrong():
    status, body, _ = _render(Invalid("bad", errors={"school_id": [AbsentId("no such school")], "x": ["bad"]}))
    assert status == 404 and "school_id" in body["message"]


def test_waiting_answers_say_how_long():
    status, _, headers = _render(TooManyAttempts("slow down", retry_after=60))
    assert (status, headers["Retry-After"]) == (429, "60")
    status, _, headers = _render(Unavailable("keys unavailable", retry_after=7))
    assert (status, headers["Retry-After"]) == (503, "7")


def test_only_what_may_arrive_later_is_retried_by_a_consumer():
    assert NotFound("x").retry_in_consumer
    assert not any(kind("x").retry_in_consumer for kind in (Conflict, Forbidden, Invalid))
