"""Events published by the identity service (v1).

Every payload carries ids as UUID strings and dates as ISO 8601, so that consumers can keep their
own projection of the trust's structure and staff directory without calling identity.
"""
from marshmallow import Schema, fields, validate

from canopy_contracts.registry import Contract

PHASES = ("nursery", "primary", "middle", "secondary", "all_through", "special", "alternative", "post16")
SCHOOL_STATUSES = ("open", "closed")
PERSON_STATUSES = ("invited", "active", "disabled")
STAFF_CATEGORIES = ("teaching", "support", "leadership")
SCOPE_TYPES = ("trust", "school", "group")
ROLES = (
    "teacher",
    "support_staff",
    "line_manager",
    "coach",
    "mentor",
    "cpd_lead",
    "headteacher",
    "senior_leader",
    "school_admin",
    "trust_leader",
    "trust_admin",
)


class TrustCreatedV1(Schema):
    trust_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    slug = fields.String(required=True, validate=validate.Length(min=1, max=64))


class SchoolAddedV1(Schema):
    school_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    urn = fields.String(required=True, allow_none=True, validate=validate.Length(max=32))
    status = fields.String(required=True, validate=validate.OneOf(SCHOOL_STATUSES))


class PersonRegisteredV1(Schema):
    person_id = fields.UUID(required=True)
    given_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    family_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    preferred_name = fields.String(required=True, allow_none=True, validate=validate.Length(max=100))
    email = fields.Email(required=True)
    status = fields.String(required=True, validate=validate.OneOf(PERSON_STATUSES))


class EmploymentStartedV1(Schema):
    employment_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True)
    job_title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    staff_category = fields.String(required=True, validate=validate.OneOf(STAFF_CATEGORIES))
    fte = fields.Decimal(required=True, as_string=True, places=3, validate=validate.Range(min=0, max=1, min_inclusive=False))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)


class RoleGrantedV1(Schema):
    grant_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    scope_type = fields.String(required=True, validate=validate.OneOf(SCOPE_TYPES))
    scope_id = fields.UUID(required=True)
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True, allow_none=True)


class LineManagerAssignedV1(Schema):
    assignment_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    manager_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)


_TRUST = "0b5c3a52-6f1e-4a43-9d1c-2f5e8c1f0a01"
_SCHOOL = "1c6d4b63-7a2f-4b54-8e2d-3a6f9d2a1b02"
_PERSON = "2d7e5c74-8b3a-4c65-9f3e-4b7a0e3b2c03"
_MANAGER = "3e8f6d85-9c4b-4d76-8a4f-5c8b1f4c3d04"

CONTRACTS = (
    Contract(
        "identity.trust.created", 1, TrustCreatedV1,
        {"trust_id": _TRUST, "name": "Brightpath Learning Trust", "slug": "brightpath"},
        "A trust was created; the first event of every tenant.",
    ),
    Contract(
        "identity.school.added", 1, SchoolAddedV1,
        {"school_id": _SCHOOL, "name": "Oakfield Primary School", "phase": "primary", "urn": "140001", "status": "open"},
        "A school joined the trust.",
    ),
    Contract(
        "identity.person.registered", 1, PersonRegisteredV1,
        {"person_id": _PERSON, "given_name": "Amira", "family_name": "Khan", "preferred_name": None,
         "email": "a.khan@brightpath.example.org", "status": "active"},
        "A member of staff exists in the trust: one person for their whole career there.",
    ),
    Contract(
        "identity.employment.started", 1, EmploymentStartedV1,
        {"employment_id": "4f907e96-ad5c-4e87-9b50-6d9c20ad4e05", "person_id": _PERSON, "school_id": _SCHOOL,
         "job_title": "Year 3 Teacher", "staff_category": "teaching", "fte": "1.000",
         "starts_on": "2025-09-01", "ends_on": None},
        "A person started working at a school (several at once are allowed).",
    ),
    Contract(
        "identity.role.granted", 1, RoleGrantedV1,
        {"grant_id": "5a01f8a7-be6d-4f98-8c61-7e0d31be5f06", "person_id": _PERSON, "role": "teacher",
         "scope_type": "school", "scope_id": _SCHOOL, "valid_from": "2025-09-01", "valid_to": None},
        "A role was granted at a scope (the trust, a school or a group of schools).",
    ),
    Contract(
        "identity.line_manager.assigned", 1, LineManagerAssignedV1,
        {"assignment_id": "6b12a9b8-cf7e-4a09-9d72-8f1e42cf6a07", "person_id": _PERSON, "manager_id": _MANAGER,
         "school_id": _SCHOOL, "starts_on": "2025-09-01", "ends_on": None},
        "A person's appraiser at a school, from a date.",
    ),
)
