"""Events published by the portfolio service (v1): professional learning that follows the person.

Payloads carry what reporting needs (hours, cost, cover, type, standards, the school it happened
under, evaluation ratings); reflections, evidence and comments stay in the portfolio.
"""
from marshmallow import Schema, fields, validate

from canopy_contracts.registry import Contract

ACTIVITY_TYPES = ("course", "conference", "qualification", "inset", "trust_programme", "coaching",
                  "peer_observation", "reading", "online", "other")
DELIVERIES = ("internal", "external")
SOURCES = ("self", "request", "programme", "assigned")
STAGES = ("immediate", "follow_up")
DECISIONS = ("approved", "declined")

Rating = lambda: fields.Integer(required=True, allow_none=True, validate=validate.Range(min=1, max=5))  # noqa: E731


class ActivityV1(Schema):
    activity_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True, allow_none=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    activity_type = fields.String(required=True, validate=validate.OneOf(ACTIVITY_TYPES))
    delivery = fields.String(required=True, validate=validate.OneOf(DELIVERIES))
    provider = fields.String(required=True, allow_none=True, validate=validate.Length(max=200))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    hours = fields.Decimal(required=True, as_string=True, places=2, validate=validate.Range(min=0))
    cost = fields.Decimal(required=True, as_string=True, places=2, validate=validate.Range(min=0))
    cover_needed = fields.Boolean(required=True)
    linked_standards = fields.List(fields.String(), required=True)
    source = fields.String(required=True, validate=validate.OneOf(SOURCES))


class EvaluationV1(Schema):
    evaluation_id = fields.UUID(required=True)
    activity_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True, allow_none=True)
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    reaction = Rating()
    learning = Rating()
    use_in_practice = Rating()
    pupil_outcomes = Rating()
    submitted_on = fields.Date(required=True)


class RequestSubmittedV1(Schema):
    request_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    activity_type = fields.String(required=True, validate=validate.OneOf(ACTIVITY_TYPES))
    starts_on = fields.Date(required=True)
    hours = fields.Decimal(required=True, as_string=True, places=2)
    cost = fields.Decimal(required=True, as_string=True, places=2)
    cover_needed = fields.Boolean(required=True)


class RequestDecidedV1(Schema):
    request_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    decided_by = fields.UUID(required=True)
    activity_id = fields.UUID(required=True, allow_none=True)
    cost = fields.Decimal(required=True, as_string=True, places=2)


class CoursePublishedV1(Schema):
    course_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    activity_type = fields.String(required=True, validate=validate.OneOf(ACTIVITY_TYPES))
    hours = fields.Decimal(required=True, as_string=True, places=2)
    sessions = fields.Integer(required=True, validate=validate.Range(min=0))


class BookingV1(Schema):
    booking_id = fields.UUID(required=True)
    course_id = fields.UUID(required=True)
    session_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("booked", "cancelled", "attended", "absent")))
    activity_id = fields.UUID(required=True, allow_none=True)


_PERSON = "2d7e5c74-8b3a-4c65-9f3e-4b7a0e3b2c03"
_SCHOOL = "1c6d4b63-7a2f-4b54-8e2d-3a6f9d2a1b02"
_ACTIVITY = "a1f3c2d4-5b6e-4f70-8a91-b2c3d4e5f601"
_COURSE = "c0ffee00-1234-4abc-9def-0123456789ab"
_SESSION = "5e5510a0-1234-4abc-9def-0123456789ab"
_ACTIVITY_EXAMPLE = {
    "activity_id": _ACTIVITY, "person_id": _PERSON, "school_id": _SCHOOL, "title": "Reading fluency in KS2",
    "activity_type": "course", "delivery": "external", "provider": "Literacy Hub", "starts_on": "2025-10-14",
    "ends_on": "2025-10-14", "hours": "6.00", "cost": "150.00", "cover_needed": True,
    "linked_standards": ["TS3", "TS5"], "source": "request"}
_BOOKING = {"booking_id": "b0000000-1234-4abc-9def-0123456789ab", "course_id": _COURSE, "session_id": _SESSION,
            "person_id": _PERSON, "status": "booked", "activity_id": None}

CONTRACTS = (
    Contract("portfolio.cpd.recorded", 1, ActivityV1, _ACTIVITY_EXAMPLE,
             "A professional-learning activity is in a person's portfolio."),
    Contract("portfolio.cpd.updated", 1, ActivityV1, {**_ACTIVITY_EXAMPLE, "hours": "7.00"},
             "An activity's details changed; the payload is its whole state now."),
    Contract("portfolio.evaluation.submitted", 1, EvaluationV1,
             {"evaluation_id": "e0000000-1234-4abc-9def-0123456789ab", "activity_id": _ACTIVITY, "person_id": _PERSON,
              "school_id": _SCHOOL, "stage": "immediate", "reaction": 5, "learning": 4, "use_in_practice": None,
              "pupil_outcomes": None, "submitted_on": "2025-10-15"},
             "An impact evaluation: straight after (reaction, learning) or a follow-up (use, pupil outcomes)."),
    Contract("portfolio.cpd_request.submitted", 1, RequestSubmittedV1,
             {"request_id": "d0000000-1234-4abc-9def-0123456789ab", "person_id": _PERSON, "school_id": _SCHOOL,
              "title": "NPQ for Senior Leadership", "activity_type": "qualification", "starts_on": "2026-01-10",
              "hours": "60.00", "cost": "0.00", "cover_needed": False},
             "A person asked to attend an external activity."),
    Contract("portfolio.cpd_request.decided", 1, RequestDecidedV1,
             {"request_id": "d0000000-1234-4abc-9def-0123456789ab", "person_id": _PERSON, "school_id": _SCHOOL,
              "decision": "approved", "decided_by": "3e8f6d85-9c4b-4d76-8a4f-5c8b1f4c3d04", "activity_id": _ACTIVITY,
              "cost": "150.00"},
             "The school's CPD lead approved (an activity was recorded) or declined a request."),
    Contract("portfolio.course.published", 1, CoursePublishedV1,
             {"course_id": _COURSE, "title": "Coaching for middle leaders", "activity_type": "trust_programme",
              "hours": "9.00", "sessions": 3},
             "The trust published a course of its CPD programme."),
    Contract("portfolio.programme.booked", 1, BookingV1, _BOOKING, "A person booked a place on a session."),
    Contract("portfolio.programme.attended", 1, BookingV1, {**_BOOKING, "status": "attended", "activity_id": _ACTIVITY},
             "Attendance was marked; an attended session is an activity in the portfolio."),
)
