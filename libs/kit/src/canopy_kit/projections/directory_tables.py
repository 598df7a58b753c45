"""The directory projection's tables, by the name services import them with.

They are kit tables like the outbox (kit migration k0002) and are defined with them in
``canopy_kit.db.tables``; this module only names them for the projection's readers.
"""
from canopy_kit.db.tables import (
    Id,
    dir_employments,
    dir_group_schools,
    dir_line_managers,
    dir_people,
    dir_role_grants,
    dir_schools,
)

__all__ = ["Id", "dir_employments", "dir_group_schools", "dir_line_managers", "dir_people", "dir_role_grants",
           "dir_schools"]
