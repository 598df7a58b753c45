"""Who may see and change what in a portfolio (the ``portfolio.read`` rule of docs/permissions.md).

The portfolio belongs to the person: only they add to it or change it. Others read it by the
permission matrix, and only the records dated inside the periods the matrix gives them: a school
keeps what happened while the person worked there, and nothing after they moved on.
"""
from __future__ import annotations

from datetime import date

from flask import g
from sqlalchemy import and_, or_, true

from canopy_kit.auth.flask import current_principal
from canopy_kit.auth.permissions import ListRule, Permissions
from canopy_kit.projections.directory import ProjectedDirectory
from canopy_kit.web.errors import ApiError
from canopy_kit.web.request_uow import current_uow

DECIDERS = frozenset({"cpd_lead", "headteacher"})  # decide CPD requests for their school
PROGRAMME_RUNNERS = frozenset({"trust_admin", "trust_leader", "cpd_lead"})  # at trust scope


def permissions() -> Permissions:
    """The caller's permissions, one per request (it remembers what it looked up)."""
    if "portfolio_permissions" not in g:
        g.portfolio_permissions = Permissions(current_principal(), ProjectedDirectory.of(current_uow().session))
    return g.portfolio_permissions


def require_owner(person_id: str) -> None:
    """Only the person adds to or changes their portfolio."""
    perms = permissions()
    if not perms.in_trust(person_id):
        raise ApiError(404, "no such person")
    if perms.principal.person_id != person_id:
        raise ApiError(403, "only the person can change their own portfolio")


def readable(person_id: str, date_column):
    """A SQL condition selecting the person's records the caller may read, or a 403/404."""
    perms = permissions()
    if not perms.in_trust(person_id):
        raise ApiError(404, "no such person")
    windows = perms.record_windows("portfolio.read", person_id)
    if windows is None:
        return true()
    if not windows:
        raise ApiError(403, "you may not see this person's portfolio")
    return or_(*(and_(date_column >= p.starts_on, date_column <= (p.ends_on or date.max)) for p in windows))


def may_read_record(person_id: str, on: date, perms: Permissions | None = None) -> bool:
    perms = perms or permissions()
    if not perms.in_trust(person_id):
        return False
    windows = perms.record_windows("portfolio.read", person_id)
    return windows is None or any(p.contains(on) for p in windows)


def follow_up_weeks() -> int:
    """Weeks from an activity's end to its follow-up evaluation (``PORTFOLIO_FOLLOW_UP_WEEKS``)."""
    from flask import current_app

    return int(current_app.extensions["canopy"].settings.option("FOLLOW_UP_WEEKS") or 6)


def require_decider(school_id: str) -> None:
    if not current_principal().has_role(DECIDERS, school_id=school_id):
        raise ApiError(403, "only the school's CPD lead or headteacher decides its CPD requests")


def require_programme_runner() -> None:
    if not current_principal().has_role(PROGRAMME_RUNNERS):
        raise ApiError(403, "only the trust's CPD team runs the programme")


def request_schools(perms: Permissions) -> set[str]:
    """Schools whose CPD requests the caller sees besides their own: those they decide for."""
    return perms.principal.schools_with(DECIDERS)


def may_see_request(perms: Permissions, request) -> bool:
    """A CPD request is seen by its requester and by those who decide its school's requests."""
    return request["person_id"] == perms.principal.person_id or request["school_id"] in request_schools(perms)


# What each list shows where its items' own GET cannot say (docs/permissions.md, "Lists").
# Activities, CPD requests and courses are listed exactly as their own GETs let the caller open them.
LISTS = {
    "/v1/people/{person_id}/evidence": ListRule(
        "the person's evidence added inside the caller's windows (as its file opens)",
        allows=lambda perms, row: may_read_record(row["person_id"], row["added_on"], perms)),
    "/v1/me/evaluations/due": ListRule(
        "the caller's own evaluations", allows=lambda perms, row: row["person_id"] == perms.principal.person_id,
        about=lambda perms, row: row["submitted_at"] is None and row["due_on"] <= perms.today),
}
