"""Marshmallow schemas portfolio's endpoints share."""
import json

from marshmallow import Schema, fields, validate

from canopy_contracts.events.portfolio import ACTIVITY_TYPES, DELIVERIES
from canopy_kit.web.fields import DecimalNumber
from canopy_kit.web.ids import TrustId

Codes = lambda: fields.List(fields.String(validate=validate.Length(max=32)), load_default=list,  # noqa: E731
                            validate=validate.Length(max=50))


def Amount(high, **kw):  # noqa: N802 (a field factory, named like the fields it makes)
    return DecimalNumber(2, minimum=0, maximum=high, **kw)


Money = lambda **kw: Amount(1_000_000, example=120.5, **kw)  # noqa: E731
Hours = lambda **kw: Amount(2000, example=6, **kw)  # noqa: E731


class ActivityInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    activity_type = fields.String(required=True, validate=validate.OneOf(ACTIVITY_TYPES))
    delivery = fields.String(required=True, validate=validate.OneOf(DELIVERIES))
    provider = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    school_id = TrustId("school", load_default=None, allow_none=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    hours = Hours(required=True)
    cost = Money(load_default=0)
    cover_needed = fields.Boolean(load_default=False)
    linked_standards = Codes()
    linked_objectives = fields.List(fields.String(validate=validate.Length(max=100)), load_default=list,
                                    validate=validate.Length(max=20))
    reflection = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10_000))


class ActivityUpdateSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    provider = fields.String(allow_none=True, validate=validate.Length(max=200))
    starts_on = fields.Date()
    ends_on = fields.Date()
    hours = Hours()
    cost = Money()
    cover_needed = fields.Boolean()
    linked_standards = fields.List(fields.String(validate=validate.Length(max=32)), validate=validate.Length(max=50))
    linked_objectives = fields.List(fields.String(validate=validate.Length(max=100)), validate=validate.Length(max=20))
    reflection = fields.String(allow_none=True, validate=validate.Length(max=10_000))


class JsonList(fields.Field):
    def _serialize(self, value, attr, obj, **kwargs):
        return json.loads(value) if isinstance(value, str) else value


class ActivitySchema(Schema):
    id = fields.String(required=True)
    person_id = fields.String(required=True)
    school_id = fields.String(allow_none=True)
    title = fields.String(required=True)
    activity_type = fields.String(required=True)
    delivery = fields.String(required=True)
    provider = fields.String(allow_none=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    hours = Hours(required=True)
    cost = Money(required=True)
    cover_needed = fields.Boolean(required=True)
    linked_standards = JsonList(required=True, metadata={"type": "array", "items": {"type": "string"}})
    linked_objectives = JsonList(required=True, metadata={"type": "array", "items": {"type": "string"}})
    reflection = fields.String(allow_none=True)
    source = fields.String(required=True)
