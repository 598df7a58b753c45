"""Reads for the API: which records a caller sees, and a record rendered on its own form version."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, exists, false, or_, select

from canopy_kit.projections.directory_tables import dir_employments, dir_line_managers
from observation.access import Access
from observation.db import action_steps, record_shares, records, template_versions, templates
from observation.domain import forms
from observation.handlers.common import from_json

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
        dir_employments.c.starts_on <= records.c.observed_on,
        or_(dir_employments.c.ends_on.is_(None), dir_employments.c.ends_on >= records.c.observed_on))
    manages_there = exists().where(
        dir_line_managers.c.manager_id == access.me, dir_line_managers.c.person_id == records.c.observee_id,
        dir_line_managers.c.school_id == records.c.school_id, dir_line_managers.c.starts_on <= today,
        or_(dir_line_managers.c.ends_on.is_(None), dir_line_managers.c.ends_on >= today))
    school_rule = records.c.school_id.in_(covered) if covered else false()
    return and_(employed_then, or_(school_rule, manages_there))


def visible_records(access: Access, trust_id: str, filters: dict[str, Any]):
    me = access.me
    shared_with_me = select(record_shares.c.record_id).where(record_shares.c.person_id == me)
    visible = or_(
        records.c.observer_id == me,
        and_(records.c.status != "draft", or_(records.c.observee_id == me, records.c.id.in_(shared_with_me))),
        and_(records.c.status != "draft", records.c.privacy == "reportable", _in_window(access, access.today)))
    query = select(*SUMMARY_COLUMNS).where(records.c.trust_id == trust_id, visible)
    for name in ("observee_id", "observer_id", "school_id", "kind", "status", "privacy"):
        if filters.get(name):
            query = query.where(records.c[name] == filters[name])
    return query.order_by(records.c.observed_on.desc(), records.c.id)


def record_detail(session, record, *, include_private: bool) -> dict[str, Any]:
    """The record on the form version it was made with: that version never changes, so neither
    does this rendering, however the template is edited later."""
    version = session.execute(select(template_versions).where(
        template_versions.c.id == record.template_version_id)).one()
    template = session.execute(select(templates.c.id, templates.c.name).where(
        templates.c.id == version.template_id)).one()
    steps = session.execute(select(action_steps).where(action_steps.c.record_id == record.id)
                            .order_by(action_steps.c.due_on, action_steps.c.id)).all()
    shares = session.execute(select(record_shares.c.person_id).where(record_shares.c.record_id == record.id)).scalars()
    return {
        **{c.name: getattr(record, c.name) for c in SUMMARY_COLUMNS},
        "class_name": record.class_name, "strengths": record.strengths, "row_version": record.row_version,
        "observee_response": record.observee_response, "follows_up_record_id": record.follows_up_record_id,
        "shared_at": record.shared_at, "acknowledged_at": record.acknowledged_at,
        "template": {"id": template.id, "name": template.name, "version": version.version},
        "sections": forms.render(from_json(version.definition), from_json(record.responses)),
        "action_steps": [{"id": s.id, "text": s.text, "due_on": s.due_on, "status": s.status,
                          "completed_in_record_id": s.completed_in_record_id} for s in steps],
        "shared_with": sorted(shares) if include_private else [],
    }
