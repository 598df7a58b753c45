"""Field types whose JSON form is the same in every service and on every database (ADR 0006).

- ``UtcDateTime``: an instant, always written with its UTC offset (``2026-11-02T09:30:00+00:00``).
  SQLite hands timestamps back without a zone; they were stored in UTC, so they are read as UTC.
- ``DecimalNumber``: a decimal quantity (hours, money, FTE) as a JSON number, rounded to a fixed
  number of places when read and written. A client generator makes it a number and a spreadsheet
  sums it; the scale is stated in the document rather than with ``multipleOf``, which JSON Schema
  validators evaluate in binary floating point (``0.29`` is "not a multiple of 0.01").
"""
from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP

from marshmallow import fields, validate

from canopy_kit.clock import as_utc


class UtcDateTime(fields.DateTime):
    def __init__(self, **kwargs):
        metadata = {"example": "2026-11-02T09:30:00+00:00", **kwargs.pop("metadata", {})}
        super().__init__(format="iso", metadata=metadata, **kwargs)

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is None:
            return None
        return super()._serialize(as_utc(value), attr, obj, **kwargs)


class DecimalNumber(fields.Decimal):
    """A JSON number (never a string) rounded half up to ``places`` decimal places, within
    ``minimum``..``maximum`` when given."""

    def __init__(self, places: int = 2, *, minimum: float | None = None, maximum: float | None = None,
                 example: float | None = None, **kwargs):
        scale = f"a number, rounded to {places} decimal place{'s' if places != 1 else ''}"
        metadata = {"description": scale, "x-canopy-scale": places, **kwargs.pop("metadata", {})}
        if example is not None:
            metadata["example"] = example
        given = kwargs.pop("validate", None)
        validators = [given] if callable(given) else list(given or [])
        if minimum is not None or maximum is not None:
            # int or float bounds, so the document states them as numbers (a Decimal would be a string)
            validators.append(validate.Range(min=minimum, max=maximum))
        super().__init__(places=places, rounding=ROUND_HALF_UP, allow_nan=False, as_string=False,
                         validate=validators, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")  # "1.5" is a string where the document says number
        return super()._deserialize(value, attr, data, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        number = super()._serialize(value, attr, obj, **kwargs)
        return None if number is None else float(number)
