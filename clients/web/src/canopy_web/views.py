"""What every template may use: the CSRF token, who is signed in, the navigation their roles
open, the API's field errors, and a few formats. Pages render with ``page()``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Flask, render_template, request, url_for

from canopy_kit.auth.permissions import SCHOOL_LEADERS, TRUST_ADMIN, TRUST_WIDE
from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.labels import words

APP_VERSION = "1"  # bumps the static files' cache key and the service worker's


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    roles: frozenset[str] | None = None  # None: everyone signed in


# Who reporting lets read their own school's reports (``reports.school``); the trust-wide roles
# read every school's and the trust's.
REPORT_READERS = SCHOOL_LEADERS | frozenset({"cpd_lead"})
# Who My school is for: a school's leaders and its admins.
SCHOOL_LEADING = SCHOOL_LEADERS | frozenset({"school_admin"})

# The areas of the client, in the order of the menu. Pages still check nothing themselves: every
# service decides what the person may see; the menu only leaves out what would answer 403.
NAVIGATION = (
    NavItem("home.home", "Home"),
    NavItem("portfolio.mine", "My portfolio"),
    NavItem("observations.mine", "My observations"),
    NavItem("team.team", "My team", frozenset({"line_manager"})),
    NavItem("observations.new_drop_in", "Record a drop-in",
            frozenset({"line_manager", "coach", "mentor", "cpd_lead"}) | SCHOOL_LEADERS | TRUST_WIDE),
    NavItem("cpd.requests", "CPD requests", frozenset({"cpd_lead"}) | SCHOOL_LEADERS | TRUST_WIDE),
    NavItem("cpd.programme", "Programme"),
    NavItem("school.school", "My school", SCHOOL_LEADING),
    NavItem("dashboards.dashboards", "Dashboards", REPORT_READERS | TRUST_WIDE),
    NavItem("admin.admin", "Trust admin", TRUST_ADMIN),
)


def has_any_role(roles) -> bool:
    session = auth.current_session()
    if session is None or not session.signed_in:
        return False
    return bool(auth.principal().roles() & set(roles))


def navigation() -> list[tuple[str, str, bool]]:
    """(url, label, current) for the menu items the signed-in person's roles open."""
    session = auth.current_session()
    if session is None or not session.signed_in:
        return []
    items = []
    for item in NAVIGATION:
        if item.roles is not None and not has_any_role(item.roles):
            continue
        url = url_for(item.endpoint)
        items.append((url, item.label, request.path == url or (url != "/" and request.path.startswith(url + "/"))))
    return items


def csrf_token() -> str:
    return auth.ensure_session().csrf_token


def page(template: str, *, status: int = 200, error: ApiError | None = None, **context: Any):
    """Render a page; ``error`` (a refused API call) is shown at the top and beside its fields."""
    context.setdefault("form", request.form if request.method == "POST" else {})
    return render_template(template, error=error, **context), status if error is None else _status_of(error)


def _status_of(error: ApiError) -> int:
    return error.status if error.is_refusal else 503


def take_notice() -> str | None:
    session = auth.current_session()
    if session is None or not session.notice:
        return None
    auth.store().set_notice(session, None)
    return session.notice


def notify(message: str) -> None:
    """A one-line message for the next page the person sees ("Saved")."""
    session = auth.current_session()
    if session is not None:
        auth.store().set_notice(session, message)


def _day(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        moment = value if isinstance(value, (date, datetime)) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return moment.strftime("%-d %b %Y")


def _moment(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return moment.strftime("%-d %b %Y, %H:%M")


def _number(value: Any, places: int = 1) -> str:
    if value in (None, ""):
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(value: Any) -> str:
    if value in (None, ""):
        return "–"
    try:
        return f"£{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


def install_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(csrf_token=csrf_token, navigation=navigation, has_any_role=has_any_role,
                                 take_notice=take_notice, app_version=APP_VERSION,
                                 signed_in=lambda: bool(auth.current_session() and auth.current_session().signed_in),
                                 me=lambda: auth.principal())
    app.jinja_env.filters.update(day=_day, moment=_moment, number=_number, money=_money, words=words)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
