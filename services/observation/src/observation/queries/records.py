"""Records as their readers see them: which records a caller sees, one record if they may read
it, and a record rendered on its own form version."""
from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, false, func, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from canopy_kit.db.rows import row_in_trust, running_on
from canopy_kit.errors import Invalid, NotFound
from canopy_kit.db.tables import dir_employments, dir_line_managers, dir_people
from observation.access import Access
from observation.domain import forms
from observation.domain.records import DRAFT, OPEN, REPORTABLE
from observation.queries.templates import template_version
from observation.tables import action_steps, from_json, record_shares, records, templates

SUMMARY_COLUMNS = (records.c.id, records.c.school_id, records.c.kind, records.c.observer_id, records.c.observee_id,
                   records.c.observed_on, records.c.subject, records.c.year_group, records.c.privacy,
                   records.c.status, records.c.template_version_id)


def _in_window(access: Access, today: date):
    """A reportable record made at a school while the person worked there, where the caller is a
    school leader or the person's line manager today: ``Permissions.record_windows`` in SQL.

    Both EXISTS are siblings in the outer WHERE, never one inside the other: SQLAlchemy correlates
    a subquery only to its immediately enclosing SELECT, so a nested one took ``records`` into its
    own FROM and held for any record at all (a line manager listed strangers' records)."""
    covered = access.perms.schools_for("observation.read") or set()
    employed_then = exists().where(
        dir_employments.c.person_id == records.c.observee_id, dir_employments.c.school_id == records.c.school_id,
        running_on(dir_employments.c.starts_on, dir_employments.c.ends_on, records.c.observed_on))
    manages_there = exists().where(
        dir_line_managers.c.manager_id == access.me, dir_line_managers.c.person_id == records.c.observee_id,
        dir_line_managers.c.school_id == records.c.school_id,
        running_on(dir_line_managers.c.starts_on, dir_line_managers.c.ends_on, today))
    school_rule = records.c.school_id.in_(covered) if covered else false()
    return and_(employed_then, or_(school_rule, manages_there))


def visible_records(access: Access, trust_id: str, filters: dict[str, Any]) -> Select:
    """Records the caller may see, filtered, newest first: to be paged by the API."""
    me = access.me
    shared_with_me = select(record_shares.c.record_id).where(record_shares.c.person_id == me)
    visible = or_(
        records.c.observer_id == me,
        and_(records.c.status != DRAFT, or_(records.c.observee_id == me, records.c.id.in_(shared_with_me))),
        and_(records.c.status != DRAFT, records.c.privacy == REPORTABLE, _in_window(access, access.today)))
    query = select(*SUMMARY_COLUMNS).where(records.c.trust_id == trust_id, visible)
    for name in ("observee_id", "observer_id", "school_id", "kind", "status", "privacy"):
        if filters.get(name):
            query = query.where(records.c[name] == filters[name])
    return query.order_by(records.c.observed_on.desc(), records.c.id)


def shared_with(session: Session, record_id: str) -> set[str]:
    """Whom the observee let see the record."""
    return set(session.execute(select(record_shares.c.person_id)
                               .where(record_shares.c.record_id == record_id)).scalars())


def readable_record(session: Session, access: Access, record_id: str) -> Row:
    """The record if the caller may read it; otherwise it does not exist for them."""
    record = row_in_trust(session, records, record_id, access.principal.trust_id, "record")
    if not access.may_read(record, shared_with(session, record_id)):
        raise NotFound("no such record")
    return record


def record_action_step(session: Session, trust_id: str, record_id: str, step_id: str) -> Row:
    """One of the record's action steps (another record's is no such step here)."""
    step = row_in_trust(session, action_steps, step_id, trust_id, "action step")
    if step.record_id != record_id:
        raise NotFound("no such action step")
    return step


def describe_action_step(step) -> dict[str, Any]:
    return {"id": step.id, "text": step.text, "due_on": step.due_on, "status": step.status,
            "completed_in_record_id": step.completed_in_record_id}


@cache
def _open_steps_query() -> Select:
    # Built once, with a bound parameter: every record event counts its open steps, and building
    # the statement costs more than running it.
    return (select(action_steps.c.id).where(action_steps.c.record_id == bindparam("record_id"),
                                            action_steps.c.status == OPEN).order_by(action_steps.c.id))


def open_action_step_ids(session: Session, record_id: str) -> list[str]:
    return list(session.execute(_open_steps_query(), {"record_id": record_id}).scalars())


def record_detail(session: Session, record, *, include_private: bool) -> dict[str, Any]:
    """The record on the form version it was made with: that version never changes, so neither
    does this rendering, however the template is edited later."""
    version = template_version(session, record.template_version_id)
    template = session.execute(select(templates.c.id, templates.c.name).where(
        templates.c.id == version.template_id)).one()
    steps = session.execute(select(action_steps).where(action_steps.c.record_id == record.id)
                            .order_by(action_steps.c.due_on, action_steps.c.id)).all()
    return {
        **{c.name: getattr(record, c.name) for c in SUMMARY_COLUMNS},
        "class_name": record.class_name, "strengths": record.strengths, "row_version": record.row_version,
        "observee_response": record.observee_response, "follows_up_record_id": record.follows_up_record_id,
        "shared_at": record.shared_at, "acknowledged_at": record.acknowledged_at,
        "template": {"id": template.id, "name": template.name, "version": version.version},
        "sections": forms.render(from_json(version.definition), from_json(record.responses)),
        "action_steps": [describe_action_step(step) for step in steps],
        "shared_with": sorted(shared_with(session, record.id)) if include_private else [],
        "names": people_names(session, record.trust_id,
                              {record.observer_id, record.observee_id,
                               *(shared_with(session, record.id) if include_private else ())}),
    }


def people_names(session: Session, trust_id: str, person_ids: set[str]) -> dict[str, str]:
    """The names, from this service's staff directory, of the people a record names: whoever may read
    the record may know who observed, who was observed and whom it is shared with."""
    if not person_ids:
        return {}
    name = func.coalesce(dir_people.c.preferred_name, dir_people.c.given_name) + " " + dir_people.c.family_name
    rows = session.execute(select(dir_people.c.person_id, name).where(
        dir_people.c.trust_id == trust_id, dir_people.c.person_id.in_(sorted(person_ids)))).all()
    return {person_id: text for person_id, text in rows}


def colleague_by_email(session: Session, trust_id: str, email: str) -> str:
    """The person of the caller's trust with this email (a record is shared with a colleague one
    knows by their work address; nobody's directory is listed for it)."""
    found = session.execute(select(dir_people.c.person_id).where(
        dir_people.c.trust_id == trust_id, func.lower(dir_people.c.email) == email.strip().lower())).scalar()
    if found is None:
        raise Invalid.on("email", "no one in your trust has this email")
    return found
