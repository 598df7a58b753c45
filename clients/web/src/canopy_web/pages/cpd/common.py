"""What the CPD pages share: the service, who decides a school's requests and who runs the
trust's programme (to offer only what portfolio would allow), and the way back to a page."""
from __future__ import annotations

from flask import request

from canopy_kit.auth.principal import Principal
from canopy_web import auth

SERVICE = "portfolio"
DECIDERS = frozenset({"cpd_lead", "headteacher"})  # of a school: they decide its CPD requests
PROGRAMME_RUNNERS = frozenset({"trust_admin", "trust_leader", "cpd_lead"})  # at trust scope


def runs_programme(principal: Principal) -> bool:
    return principal.has_role(PROGRAMME_RUNNERS)


def deciding_schools(principal: Principal) -> set[str]:
    """Schools whose requests the person decides (and whose staff they may assign learning to)."""
    return principal.schools_with(DECIDERS)


def may_assign(principal: Principal) -> bool:
    return runs_programme(principal) or bool(deciding_schools(principal))


def _back(default: str) -> str:
    return auth.safe_next(request.form.get("next") or request.args.get("next")) or default
