"""An account's states and what moves it between them.

``invited`` (no password yet) becomes ``active`` when the invitation is accepted; an administrator
``disabled`` it and enables it again (to ``active`` if it has a password, else ``invited``). Only
an active account resets its password; a disabled one is invited to nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from canopy_kit.errors import BadRequest, Conflict

INVITED, ACTIVE, DISABLED = "invited", "active", "disabled"
LINK_UNUSABLE = "this link is invalid, used or expired; ask for a new one"
# The kind of account mail -> the states in which it is still worth sending when the consumer
# gets to it (the account may have changed since the request asked for it).
STILL_WANTED = {"invitation": (INVITED, ACTIVE), "password_reset": (ACTIVE,)}


@dataclass(frozen=True)
class OneTimeLink:
    """A mailed link's token, as stored."""
    used_at: datetime | None
    expires_at: datetime


def status_on_registering(has_password: bool) -> str:
    return ACTIVE if has_password else INVITED


def check_link(link: OneTimeLink | None, now: datetime) -> None:
    """``BadRequest`` on ``token`` for a link that is unknown, used or expired: which of the three
    is not said, so that a guess learns nothing."""
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise BadRequest.on("token", LINK_UNUSABLE)


def check_invitable(status: str) -> None:
    if status == DISABLED:
        raise Conflict("the account is disabled; enable it before inviting")


def status_on_accepting_invitation(status: str) -> str | None:
    """The account's new status once its invitation is accepted, or None if it keeps its own."""
    if status == DISABLED:
        raise Conflict("the account is disabled")
    return None if status == ACTIVE else ACTIVE


def check_may_reset_password(status: str) -> None:
    if status != ACTIVE:
        raise Conflict("the account is not active")


def status_on_enabling(status: str, has_password: bool) -> str:
    if status != DISABLED:
        raise Conflict("the account is not disabled")
    return ACTIVE if has_password else INVITED


def mail_still_wanted(kind: str, status: str | None) -> bool:
    """Is mail of ``kind`` still worth sending to an account in ``status`` (None: it is gone)?"""
    return status in STILL_WANTED[kind]


def normalise_email(email: str) -> str:
    """Emails are compared, and stored, lower case and without surrounding spaces."""
    return email.strip().lower()
