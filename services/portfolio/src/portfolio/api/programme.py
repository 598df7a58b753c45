"""The trust's CPD programme: courses, sessions, bookings and attendance."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_contracts.events.portfolio import ACTIVITY_TYPES
from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.db.pages import paginate
from canopy_kit.web.docs import error_responses
from canopy_kit.web.fields import UtcDateTime
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.ids import TrustIds
from canopy_kit.web.pagination import PageArgs, page_schema
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedManySchema, CreatedSchema
from portfolio import queries
from portfolio.api import caller
from portfolio.api.schemas import Codes, Hours
from portfolio.commands import programme as commands


class SessionInSchema(Schema):
    held_on = fields.Date(required=True)
    location = fields.String(required=True, validate=validate.Length(min=1, max=200))
    places = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))


class CourseInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=10_000))
    activity_type = fields.String(load_default="trust_programme", validate=validate.OneOf(ACTIVITY_TYPES))
    provider = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    hours = Hours(required=True)
    linked_standards = Codes()
    sessions = fields.List(fields.Nested(SessionInSchema), load_default=list, validate=validate.Length(max=200))


class SessionSchema(SessionInSchema):
    id = fields.String(required=True)
    booked = fields.Integer(required=True)


class CourseSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    activity_type = fields.String(required=True)
    provider = fields.String(allow_none=True)
    hours = Hours(required=True)
    sessions = fields.List(fields.Nested(SessionSchema), required=True)


class BookingSchema(Schema):
    id = fields.String(required=True)
    session_id = fields.String(required=True)
    course_id = fields.String(required=True)
    held_on = fields.Date(required=True)
    person_id = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "booked, cancelled, attended or absent"})
    booked_at = UtcDateTime(required=True)
    activity_id = fields.String(allow_none=True, metadata={"description": "the portfolio activity of an attended session"})


class AttendanceSchema(Schema):
    attended = TrustIds("person", max_items=10_000, load_default=list)
    absent = TrustIds("person", max_items=10_000, load_default=list)


def blueprint() -> Blueprint:
    blp = Blueprint("programme", __name__, url_prefix="/v1/programme", description="The trust's CPD programme")
    booking_page = page_schema(BookingSchema)  # one schema for both lists of bookings

    @blp.route("/courses", methods=["POST"])
    @authenticated(blp)
    @idempotent
    @blp.arguments(CourseInSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403)
    def publish(body):
        """Publish a course with its sessions (the trust's CPD team)."""
        me = caller()
        me.require_programme_runner()
        sessions = body.pop("sessions")
        return {"id": commands.publish_course(current_uow(), trust_id=me.trust_id, actor_id=me.person_id,
                                              fields=body, sessions=sessions)}

    @blp.route("/courses", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(CourseSchema))
    def list_courses(args):
        """The programme, with places taken per session."""
        session, trust_id = current_uow().session, current_principal().trust_id
        page = paginate(session, queries.courses_of(trust_id), args, scalars=False)
        return {**page, "items": queries.with_sessions(session, trust_id, page["items"])}

    @blp.route("/courses/<course_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, CourseSchema)
    @error_responses(blp, 404)
    def get_course(course_id):
        """One course of the programme, with places taken per session: the whole trust sees it."""
        session, trust_id = current_uow().session, current_principal().trust_id
        [course] = queries.with_sessions(session, trust_id, [queries.course(session, trust_id, course_id)])
        return course

    @blp.route("/sessions/<session_id>/bookings", methods=["POST"])
    @authenticated(blp)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, (409, "Full, or already booked"))
    def book(session_id):
        """Book oneself a place."""
        principal = current_principal()
        return {"id": commands.book(current_uow(), trust_id=principal.trust_id, person_id=principal.person_id,
                                    session_id=session_id)}

    @blp.route("/sessions/<session_id>/bookings", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, booking_page)
    @error_responses(blp, 403, 404)
    def session_bookings(args, session_id):
        """Who booked one session, cancelled places too: the trust's CPD team marks attendance from it."""
        me = caller()
        me.require_programme_runner()
        session = current_uow().session
        return paginate(session, queries.session_bookings(session, me.trust_id, session_id), args, scalars=False)

    @blp.route("/bookings", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, booking_page)
    def my_bookings(args):
        """The caller's own bookings, the soonest session first, cancelled ones too."""
        principal = current_principal()
        return paginate(current_uow().session, queries.bookings_of(principal.trust_id, principal.person_id), args,
                        scalars=False)

    @blp.route("/bookings/<booking_id>/cancel", methods=["POST"])
    @authenticated(blp)
    @blp.response(204)
    @error_responses(blp, 403, 404, 409)
    def cancel(booking_id):
        """Cancel one's own booking."""
        principal = current_principal()
        commands.cancel(current_uow(), trust_id=principal.trust_id, person_id=principal.person_id,
                        booking_id=booking_id)

    @blp.route("/sessions/<session_id>/attendance", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(AttendanceSchema)
    @blp.response(200, CreatedManySchema)
    @error_responses(blp, 403, 404)
    def attendance(body, session_id):
        """Mark who came: each attendee gets the session as an activity in their portfolio."""
        me = caller()
        me.require_programme_runner()
        return {"ids": commands.mark_attendance(current_uow(), trust_id=me.trust_id, actor_id=me.person_id,
                                                session_id=session_id, attended=body["attended"],
                                                absent=body["absent"])}

    return blp
