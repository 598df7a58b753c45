"""Sign-in limits, per account, per client address, and per account from one address.

Failures count within ``WINDOW``: ``ACCOUNT_PER_CLIENT_LIMIT`` for one email from one address locks
that address out of that account only, so someone guessing a colleague's password cannot lock the
colleague out; ``CLIENT_LIMIT`` from one address, whatever the emails, stops one client trying many
accounts; ``ACCOUNT_LIMIT`` for one email from all addresses together caps a guesser spread over
many addresses, who needs that many failures (at most ``ACCOUNT_PER_CLIENT_LIMIT`` from each of
them) before the account waits out the window. The limits apply to any email typed, so they say
nothing about whether the account exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from canopy_kit.errors import TooManyAttempts
from identity.domain.accounts import normalise_email

LOGIN_FAILED = "email or password is incorrect"
WINDOW = timedelta(minutes=15)
ACCOUNT_PER_CLIENT_LIMIT = 5
CLIENT_LIMIT = 50
ACCOUNT_LIMIT = 100
KEY_LENGTH = 300  # what the failures' key column holds


@dataclass(frozen=True)
class FailureKeys:
    """What one failed sign-in counts against."""
    account_from_client: str
    client: str | None
    account: str

    @classmethod
    def of(cls, email: str, client: str | None) -> "FailureKeys":
        account = f"account:{normalise_email(email)}"[:228]  # with the address, within the column
        return cls(account_from_client=f"{account}|client:{client or '-'}"[:KEY_LENGTH],
                   client=f"client:{client}" if client else None, account=account)

    def limits(self) -> list[tuple[str, int]]:
        """(key, limit) pairs; read when asked, so that a test may lower a limit."""
        pairs = [(self.account_from_client, ACCOUNT_PER_CLIENT_LIMIT), (self.account, ACCOUNT_LIMIT)]
        return pairs + ([(self.client, CLIENT_LIMIT)] if self.client else [])


def check_attempts(keys: FailureKeys, failures: Callable[[str], int]) -> None:
    """``TooManyAttempts`` once any key has reached its limit of ``failures`` within the window."""
    if any(failures(key) >= limit for key, limit in keys.limits()):
        raise TooManyAttempts("too many failed sign-ins; wait a few minutes and try again",
                              retry_after=int(WINDOW.total_seconds()))
