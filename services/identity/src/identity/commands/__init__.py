"""Identity's commands. Each writes through the unit of work it is given and records its events
(and audit entries) in the same transaction, checking identity's rules (``identity.domain``) with
what the database says; the caller commits."""
from identity.commands.accounts import (
    accept_invitation, change_password, confirm_reset, disable_account, enable_account, invite, request_reset,
)
from identity.commands.line_management import assign_line_manager, end_line_management
from identity.commands.people import (
    end_employment, leave, register_person, start_employment, transfer, update_person,
)
from identity.commands.roles import end_grant, grant_role
from identity.commands.sessions import login, logout, refresh
from identity.commands.structure import (
    add_school, create_group, create_trust, create_trust_with_admin, update_group, update_school,
)

__all__ = [
    "accept_invitation", "add_school", "assign_line_manager", "change_password", "confirm_reset", "create_group",
    "create_trust", "create_trust_with_admin", "disable_account", "enable_account", "end_employment", "end_grant",
    "end_line_management", "grant_role", "invite", "leave", "login", "logout", "refresh", "register_person",
    "request_reset", "start_employment", "transfer", "update_group", "update_person", "update_school",
]
