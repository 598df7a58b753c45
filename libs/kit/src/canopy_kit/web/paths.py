"""Path segments that are ids: ``/activities/<id:activity_id>``.

An id the kit makes is a UUID (``canopy_kit.db.rows.new_id``). Declaring the segment as one keeps
a static sibling such as ``/activities/assignments`` from being read as the id "assignments" (a
GET there would be a 404 "no such activity" instead of a 405), and the document says
``format: uuid``, so a client knows what fits.
"""
from __future__ import annotations

from werkzeug.routing import BaseConverter


class IdConverter(BaseConverter):
    regex = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def id_parameter_schema(_converter: IdConverter) -> dict:
    return {"type": "string", "format": "uuid"}


def register_path_converters(app, api) -> None:
    """Before any blueprint is registered: rules are compiled with the converters known then."""
    app.url_map.converters["id"] = IdConverter
    api.register_converter(IdConverter, id_parameter_schema)
