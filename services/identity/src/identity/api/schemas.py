"""Marshmallow schemas identity's endpoints share."""
from decimal import Decimal

from marshmallow import Schema, fields, validate

from canopy_contracts.events.identity import PHASES, ROLES, SCHOOL_STATUSES, SCOPE_TYPES, STAFF_CATEGORIES
from canopy_kit.web.fields import DecimalNumber
from canopy_kit.web.ids import TrustId, TrustIds
from canopy_kit.web.pagination import PageArgs

Name = lambda **kw: fields.String(validate=validate.Length(min=1, max=100), **kw)  # noqa: E731


def Fte(**kw):  # noqa: N802 (a field factory, named like the fields it makes)
    """A full-time equivalent: more than 0, at most 1, to three places (0.6 is three days a week)."""
    return DecimalNumber(3, validate=validate.Range(min=0, max=1, min_inclusive=False), example=0.6, **kw)


class SchoolSchema(Schema):
    id = fields.String(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    urn = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    status = fields.String(validate=validate.OneOf(SCHOOL_STATUSES))


class SchoolUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    phase = fields.String(validate=validate.OneOf(PHASES))
    urn = fields.String(allow_none=True, validate=validate.Length(max=32))
    status = fields.String(validate=validate.OneOf(SCHOOL_STATUSES))


class GroupSchema(Schema):
    id = fields.String(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    school_ids = TrustIds("school", max_items=100, required=True)


class EmploymentInSchema(Schema):
    school_id = TrustId("school", required=True)
    job_title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    staff_category = fields.String(required=True, validate=validate.OneOf(STAFF_CATEGORIES))
    fte = Fte(load_default=Decimal("1.000"))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None, allow_none=True)


class EmploymentSchema(Schema):
    id = fields.String(required=True)
    school_id = fields.String(required=True)
    school_name = fields.String(required=True)
    job_title = fields.String(required=True)
    staff_category = fields.String(required=True)
    fte = Fte(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)


class GrantSchema(Schema):
    id = fields.String(required=True)
    role = fields.String(required=True)
    scope_type = fields.String(required=True)
    scope_id = fields.String(required=True)
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(allow_none=True)


class LineManagementSchema(Schema):
    id = fields.String(required=True)
    person_id = fields.String(required=True)
    manager_id = fields.String(required=True)
    school_id = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)


class PersonSummarySchema(Schema):
    id = fields.String(required=True)
    given_name = fields.String(required=True)
    family_name = fields.String(required=True)
    preferred_name = fields.String(allow_none=True)
    email = fields.String(required=True)
    status = fields.String(required=True)


class PersonSchema(PersonSummarySchema):
    employments = fields.List(fields.Nested(EmploymentSchema), required=True)
    roles = fields.List(fields.Nested(GrantSchema), required=True)
    line_managers = fields.List(fields.Nested(LineManagementSchema), required=True)


class PersonCreateSchema(Schema):
    given_name = Name(required=True)
    family_name = Name(required=True)
    preferred_name = Name(load_default=None, allow_none=True)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    employment = fields.Nested(EmploymentInSchema, load_default=None)
    invite = fields.Boolean(load_default=False, metadata={"description": "email an invitation link"})


class PersonUpdateSchema(Schema):
    given_name = Name()
    family_name = Name()
    preferred_name = Name(allow_none=True)
    email = fields.Email(validate=validate.Length(max=254))


class DirectoryFilters(Schema):
    q = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "name or email contains"})
    school_id = TrustId("school")
    staff_category = fields.String(validate=validate.OneOf(STAFF_CATEGORIES), metadata={
        "description": "employed today in this staff category (at `school_id`, where given)"})
    role = fields.String(validate=validate.OneOf(ROLES))
    status = fields.String(validate=validate.OneOf(("invited", "active", "disabled")))


class DirectoryQuerySchema(PageArgs, DirectoryFilters):
    """The filters, then the page: the order the document has always listed them in."""


class GrantInSchema(Schema):
    person_id = TrustId("person", required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    scope_type = fields.String(required=True, validate=validate.OneOf(SCOPE_TYPES))
    scope_id = TrustId("scope", required=True, metadata={"description": "the trust's, a school's or a group's id"})
    valid_from = fields.Date(load_default=None)
    valid_to = fields.Date(load_default=None, allow_none=True)


class LineManagementInSchema(Schema):
    person_id = TrustId("person", required=True)
    manager_id = TrustId("person", required=True)
    school_id = TrustId("school", required=True)
    starts_on = fields.Date(load_default=None)


class EndOnSchema(Schema):
    on = fields.Date(required=True, metadata={"description": "the last day it runs"})
