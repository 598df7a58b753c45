"""Events published by the identity service (v1).

Payloads carry the whole current state of what changed (not a diff), with ids as UUID strings and
dates as ISO 8601, so that a consumer can keep its own projection of the trust's structure and
staff directory by upserting, whatever order or number of times events arrive.
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


class SchoolV1(Schema):
    school_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    urn = fields.String(required=True, allow_none=True, validate=validate.Length(max=32))
    status = fields.String(required=True, validate=validate.OneOf(SCHOOL_STATUSES))


class GroupV1(Schema):
    group_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    school_ids = fields.List(fields.UUID(), required=True)


class PersonV1(Schema):
    person_id = fields.UUID(required=True)
    given_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    family_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    preferred_name = fields.String(required=True, allow_none=True, validate=validate.Length(max=100))
    email = fields.Email(required=True)
    status = fields.String(required=True, validate=validate.OneOf(PERSON_STATUSES))


class AccountStatusV1(Schema):
    person_id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(PERSON_STATUSES))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


ACCOUNT_MAIL_KINDS = ("invitation", "password_reset")


class AccountMailV1(Schema):
    """Mail to send about an account, after the request that asked for it has committed. It names
    the person and the page the link opens, never the one-time token: identity's consumer makes the
    token when it sends the mail, so no secret waits in the outbox, the broker or a dead letter."""
    mail_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ACCOUNT_MAIL_KINDS))
    link_base = fields.Url(required=True, require_tld=False, validate=validate.Length(max=500))


class EmploymentV1(Schema):
    employment_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True)
    job_title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    staff_category = fields.String(required=True, validate=validate.OneOf(STAFF_CATEGORIES))
    fte = fields.Decimal(required=True, as_string=True, places=3,
                         validate=validate.Range(min=0, max=1, min_inclusive=False))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)


class TransferV1(Schema):
    person_id = fields.UUID(required=True)
    from_employment_id = fields.UUID(required=True)
    from_school_id = fields.UUID(required=True)
    to_employment_id = fields.UUID(required=True)
    to_school_id = fields.UUID(required=True)
    effective_on = fields.Date(required=True)


class RoleGrantV1(Schema):
    grant_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    scope_type = fields.String(required=True, validate=validate.OneOf(SCOPE_TYPES))
    scope_id = fields.UUID(required=True)
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True, allow_none=True)


class LineManagementV1(Schema):
    assignment_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    manager_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)


_TRUST = "0b5c3a52-6f1e-4a43-9d1c-2f5e8c1f0a01"
_SCHOOL = "1c6d4b63-7a2f-4b54-8e2d-3a6f9d2a1b02"
_SCHOOL_B = "7c23baa9-d08f-4b1a-8e83-9a2f53d07b08"
_PERSON = "2d7e5c74-8b3a-4c65-9f3e-4b7a0e3b2c03"
_MANAGER = "3e8f6d85-9c4b-4d76-8a4f-5c8b1f4c3d04"
_EMPLOYMENT = "4f907e96-ad5c-4e87-9b50-6d9c20ad4e05"
_EMPLOYMENT_B = "8d34cbba-e19d-4c2b-9f94-ab3064e18c09"

_SCHOOL_EXAMPLE = {"school_id": _SCHOOL, "name": "Oakfield Primary School", "phase": "primary", "urn": "140001",
                   "status": "open"}
_PERSON_EXAMPLE = {"person_id": _PERSON, "given_name": "Amira", "family_name": "Khan", "preferred_name": None,
                   "email": "a.khan@brightpath.example.org", "status": "active"}
_EMPLOYMENT_EXAMPLE = {"employment_id": _EMPLOYMENT, "person_id": _PERSON, "school_id": _SCHOOL,
                       "job_title": "Year 3 Teacher", "staff_category": "teaching", "fte": "1.000",
                       "starts_on": "2025-09-01", "ends_on": None}
_GRANT_EXAMPLE = {"grant_id": "5a01f8a7-be6d-4f98-8c61-7e0d31be5f06", "person_id": _PERSON, "role": "teacher",
                  "scope_type": "school", "scope_id": _SCHOOL, "valid_from": "2025-09-01", "valid_to": None}
_LINE_EXAMPLE = {"assignment_id": "6b12a9b8-cf7e-4a09-9d72-8f1e42cf6a07", "person_id": _PERSON,
                 "manager_id": _MANAGER, "school_id": _SCHOOL, "starts_on": "2025-09-01", "ends_on": None}

CONTRACTS = (
    Contract("identity.trust.created", 1, TrustCreatedV1,
             {"trust_id": _TRUST, "name": "Brightpath Learning Trust", "slug": "brightpath"},
             "A trust was created; the first event of every tenant."),
    Contract("identity.school.added", 1, SchoolV1, _SCHOOL_EXAMPLE, "A school joined the trust."),
    Contract("identity.school.updated", 1, SchoolV1, {**_SCHOOL_EXAMPLE, "name": "Oakfield Academy"},
             "A school was renamed, re-phased or closed (status closed); its id and history stay."),
    Contract("identity.group.created", 1, GroupV1,
             {"group_id": "9e45dccb-f2ae-4d3c-8a05-bc4175f29d0a", "name": "Primary hub", "school_ids": [_SCHOOL]},
             "A group of schools (e.g. a hub) that roles can be granted over."),
    Contract("identity.group.updated", 1, GroupV1,
             {"group_id": "9e45dccb-f2ae-4d3c-8a05-bc4175f29d0a", "name": "Primary hub",
              "school_ids": [_SCHOOL, _SCHOOL_B]},
             "A group's name or schools changed; the payload lists all its schools now."),
    Contract("identity.person.registered", 1, PersonV1, _PERSON_EXAMPLE,
             "A member of staff exists in the trust: one person for their whole career there."),
    Contract("identity.person.updated", 1, PersonV1, {**_PERSON_EXAMPLE, "preferred_name": "Mira"},
             "A person's name, email or status changed."),
    Contract("identity.account.disabled", 1, AccountStatusV1,
             {"person_id": _PERSON, "status": "disabled", "reason": "left the trust"},
             "A person can no longer sign in (a leaver, or disabled by an admin); their history stays."),
    Contract("identity.account.activated", 1, AccountStatusV1,
             {"person_id": _PERSON, "status": "active", "reason": "invitation accepted"},
             "A person can sign in: an invitation was accepted or a disabled account restored."),
    Contract("identity.account_mail.requested", 1, AccountMailV1,
             {"mail_id": "9f56eddc-0a1b-4c3d-8e4f-5a6b7c8d9e10", "person_id": _PERSON, "kind": "invitation",
              "link_base": "https://canopy.brightpath.example.org/accept-invitation"},
             "An invitation or a password reset is to be mailed; identity's own consumer sends it."),
    Contract("identity.employment.started", 1, EmploymentV1, _EMPLOYMENT_EXAMPLE,
             "A person started working at a school (several at once are allowed)."),
    Contract("identity.employment.updated", 1, EmploymentV1, {**_EMPLOYMENT_EXAMPLE, "job_title": "Year 4 Teacher"},
             "An employment's job title, staff category or FTE changed."),
    Contract("identity.employment.ended", 1, EmploymentV1, {**_EMPLOYMENT_EXAMPLE, "ends_on": "2026-08-31"},
             "An employment ended (a leaver, a transfer, or the end of a fixed term)."),
    Contract("identity.person.transferred", 1, TransferV1,
             {"person_id": _PERSON, "from_employment_id": _EMPLOYMENT, "from_school_id": _SCHOOL,
              "to_employment_id": _EMPLOYMENT_B, "to_school_id": _SCHOOL_B, "effective_on": "2026-09-01"},
             "A person moved school inside the trust; the same person id, their history moves with them."),
    Contract("identity.role.granted", 1, RoleGrantV1, _GRANT_EXAMPLE,
             "A role was granted at a scope (the trust, a school or a group of schools)."),
    Contract("identity.role.revoked", 1, RoleGrantV1, {**_GRANT_EXAMPLE, "valid_to": "2026-07-31"},
             "A grant ended (valid_to set); that it existed is kept."),
    Contract("identity.line_manager.assigned", 1, LineManagementV1, _LINE_EXAMPLE,
             "A person's appraiser at a school, from a date."),
    Contract("identity.line_manager.ended", 1, LineManagementV1, {**_LINE_EXAMPLE, "ends_on": "2026-08-31"},
             "A line-management period ended; the history is kept. It ends with the employment at its "
             "school of the person managed or managing: one that was to start after that employment's "
             "last day ends on that day, before it starts (ends_on < starts_on), and was never current."),
)
