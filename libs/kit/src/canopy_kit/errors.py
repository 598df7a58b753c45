"""What can go wrong, by meaning, for every layer below the API.

Domain rules, command handlers, queries and event handlers raise these; none of them knows about
HTTP. The web layer renders each to the platform's error body in one place
(``canopy_kit.web.errors.from_refusal``), and the consumer decides from the meaning whether an event
is worth trying again (``retry_in_consumer``), never from a status code.

``Refusal`` is "no, because of what was asked": the caller's to fix. ``Unavailable`` is "not now":
a dependency is down and the same request may succeed later.
"""
from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """The request (or event) cannot be carried out as asked, and says why.

    ``errors`` maps each field at fault to its reasons (empty when no one field is to blame);
    ``code`` is a stable word for machines when the meaning alone is too coarse. A request's writes
    are rolled back when it is refused, unless ``keep_changes``: the refusal is itself worth
    recording (a failed sign-in counted, a stolen token's family revoked). An event handler's
    refusal always rolls back its savepoint.
    """

    code = "refused"
    # An event refused this way could apply later (e.g. what it names has not arrived yet).
    retry_in_consumer = False

    def __init__(self, message: str, *, errors: dict[str, Any] | None = None, code: str | None = None,
                 keep_changes: bool = False):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.keep_changes = keep_changes
        if code:
            self.code = code

    @classmethod
    def on(cls, field: str, reason: str, **kwargs: Any) -> "Refusal":
        """The refusal of one field: ``Invalid.on("ends_on", "is before starts_on")``."""
        return cls(f"{field}: {reason}", errors={field: [reason]}, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, errors={self.errors!r})"


class BadRequest(Refusal):
    """The request cannot be read at all (not a field's value: its form)."""
    code = "bad_request"


class NotSignedIn(Refusal):
    """No credentials, or credentials that prove nothing (a wrong password, an expired link)."""
    code = "unauthorized"


class Forbidden(Refusal):
    """The caller is known but may not do this."""
    code = "forbidden"


class NotFound(Refusal):
    """No such thing, as far as the caller may know: another trust's id is absent, not forbidden."""
    code = "not_found"
    # Events from different producers can arrive out of order: what is named may come soon.
    retry_in_consumer = True


class Conflict(Refusal):
    """The request contradicts the current state (a duplicate, a decided request, a closed cycle)."""
    code = "conflict"


class Stale(Refusal):
    """The caller's copy is out of date: it changed since they read it."""
    code = "precondition_failed"


class TooLarge(Refusal):
    code = "payload_too_large"


class UnsupportedMedia(Refusal):
    code = "unsupported_media_type"


class Invalid(Refusal):
    """Well-formed, but a field's value breaks a rule."""
    code = "invalid_input"


class TooManyAttempts(Refusal):
    """Refused for now to slow down guessing; ``retry_after`` seconds until the next try."""
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Unavailable(Exception):
    """A dependency is down: the same request may succeed in ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int = 5):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
