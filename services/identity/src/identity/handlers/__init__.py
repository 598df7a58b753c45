"""Identity's commands. Each writes through the unit of work it is given and records its events
(and audit entries) in the same transaction; the caller commits."""
from identity.handlers.accounts import (
    accept_invitation, change_password, confirm_reset, disable_account, enable_account, invite, request_reset,
)
from identity.handlers.common import key_passphrase, normalise_email
from identity.handlers.line_management import assign_line_manager, end_line_management
from identity.handlers.people import (
    end_employment, leave, register_person, start_employment, transfer, update_person,
)
from identity.handlers.roles import end_grant, grant_role
from identity.handlers.sessions import LOGIN_FAILED, login
from identity.handlers.structure import (
    add_school, create_group, create_trust, create_trust_with_admin, update_group, update_school,
)

__all__ = [
    "LOGIN_FAILED", "accept_invitation", "add_school", "assign_line_manager", "change_password", "confirm_reset",
    "create_group", "create_trust", "create_trust_with_admin", "disable_account", "enable_account",
    "end_employment", "end_grant", "end_line_management", "grant_role", "invite", "key_passphrase", "leave",
    "login", "normalise_email", "register_person", "request_reset", "start_employment", "transfer",
    "update_group", "update_person", "update_school",
]
