"""Line management: who appraises whom, at which school, over which dates (the rules are in
``identity.domain.line_management``; here, what the database says and what changes)."""
from __future__ import annotations

from datetime import date
from functools import partial

from sqlalchemy import and_, or_, select, update

from canopy_kit.db.rows import row_in_trust
from canopy_kit.db.uow import UnitOfWork
from identity.commands.common import line_payload, new_id, reload
from identity.domain import line_management as rules
from identity.queries import running
from identity.tables import employments, line_managers, people, role_grants, schools


def employed_at(uow: UnitOfWork, person_id: str, school_id: str, on: date) -> bool:
    return uow.session.execute(select(employments.c.id).where(
        employments.c.person_id == person_id, employments.c.school_id == school_id,
        running(employments.c.starts_on, employments.c.ends_on, on))).first() is not None


def _holds_trust_role(uow: UnitOfWork, person_id: str, on: date) -> bool:
    return uow.session.execute(select(role_grants.c.id).where(
        role_grants.c.person_id == person_id, role_grants.c.scope_type == "trust",
        role_grants.c.role.in_(rules.TRUST_MANAGERS),
        running(role_grants.c.valid_from, role_grants.c.valid_to, on))).first() is not None


def _managers_of(uow: UnitOfWork, on: date, person_id: str) -> set[str]:
    return set(uow.session.execute(select(line_managers.c.manager_id).where(
        line_managers.c.person_id == person_id,
        running(line_managers.c.starts_on, line_managers.c.ends_on, on))).scalars())


def assign_line_manager(uow: UnitOfWork, *, trust_id: str, person_id: str, manager_id: str, school_id: str,
                        starts_on: date, actor_id: str | None = None) -> str:
    row_in_trust(uow.session, people, person_id, trust_id, "person", lock=True)
    row_in_trust(uow.session, people, manager_id, trust_id, "person")
    row_in_trust(uow.session, schools, school_id, trust_id, "school")
    rules.check_assignment(
        person_id=person_id, manager_id=manager_id,
        person_works_there=employed_at(uow, person_id, school_id, starts_on),
        manager_may_manage_there=(employed_at(uow, manager_id, school_id, starts_on)
                                  or _holds_trust_role(uow, manager_id, starts_on)),
        managers_of=partial(_managers_of, uow, starts_on))
    for existing in uow.session.execute(select(line_managers).where(
            line_managers.c.person_id == person_id, line_managers.c.school_id == school_id,
            or_(line_managers.c.ends_on.is_(None),  # an empty period (see ``outlives``) overlaps nothing
                and_(line_managers.c.ends_on >= starts_on, line_managers.c.ends_on >= line_managers.c.starts_on)))
            ).all():
        ends_on = rules.end_before(starts_on=starts_on, existing_starts_on=existing.starts_on,
                                   existing_ends_on=existing.ends_on)
        end_line_management(uow, trust_id=trust_id, assignment_id=existing.id, ends_on=ends_on, actor_id=actor_id)
    assignment_id = new_id()
    uow.session.execute(line_managers.insert().values(
        id=assignment_id, trust_id=trust_id, person_id=person_id, manager_id=manager_id, school_id=school_id,
        starts_on=starts_on, ends_on=None))
    uow.publish("identity.line_manager.assigned", line_payload(reload(uow, line_managers, assignment_id)),
                trust_id=trust_id, school_id=school_id, actor_id=actor_id)
    return assignment_id


def end_line_management(uow: UnitOfWork, *, trust_id: str, assignment_id: str, ends_on: date,
                        actor_id: str | None = None) -> None:
    row = row_in_trust(uow.session, line_managers, assignment_id, trust_id, "line management", lock=True)
    rules.check_end(starts_on=row.starts_on, ended_on=row.ends_on, ends_on=ends_on)
    _close(uow, trust_id, row, ends_on, actor_id)


def _close(uow: UnitOfWork, trust_id: str, row, ends_on: date, actor_id: str | None) -> None:
    uow.session.execute(update(line_managers).where(line_managers.c.id == row.id).values(ends_on=ends_on))
    uow.publish("identity.line_manager.ended", line_payload(reload(uow, line_managers, row.id)),
                trust_id=trust_id, school_id=row.school_id, actor_id=actor_id)


def end_open_assignments(uow: UnitOfWork, *, trust_id: str, person_id: str, school_id: str | None,
                         ends_on: date, actor_id: str | None = None) -> None:
    """End on ``ends_on`` the line management that ``outlives`` the person's employment (at one
    school, or everywhere), where they are managed or manage: when an employment ends, a person
    transfers or leaves. The employment rows must already say so."""
    query = select(line_managers).where(
        or_(line_managers.c.person_id == person_id, line_managers.c.manager_id == person_id),
        or_(line_managers.c.ends_on.is_(None), line_managers.c.ends_on > ends_on))
    if school_id is not None:
        query = query.where(line_managers.c.school_id == school_id)
    query = query.order_by(line_managers.c.starts_on, line_managers.c.id).with_for_update()
    for row in uow.session.execute(query).all():
        if rules.outlives(ends_on, row.starts_on, row.ends_on, partial(employed_at, uow, person_id, row.school_id)):
            _close(uow, trust_id, row, ends_on, actor_id)
