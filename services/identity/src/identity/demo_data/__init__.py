"""A demo multi-academy trust, built as plain immutable data.

``build_demo_trust`` returns a trust shaped like a real English multi-academy
trust: a small central team, five primary schools and six secondary schools,
about 700 staff with job titles, platform roles and line managers.  Everything
is derived from one seed through a private ``random.Random`` instance, so the
same seed always gives the same trust and the global random state is never
touched.  Persisting the data is ``identity.demo``'s job, through identity's
commands; this package only describes it: its records (``records``), its
schools (``schools``), its people's names (``names``) and its staffing
(``staffing``).
"""

from identity.demo_data.records import (
    EMAIL_DOMAIN, LEADERSHIP, ROLES, SUPPORT, TEACHING, TRUST_NAME, TRUST_SLUG, DemoPerson, DemoRole, DemoSchool,
    DemoTrust,
)
from identity.demo_data.schools import PRIMARY_PHASES, PRIMARY_SCHOOLS, SECONDARY_DEPARTMENTS, SECONDARY_SCHOOLS
from identity.demo_data.staffing import build_demo_trust, summary

__all__ = [
    "EMAIL_DOMAIN", "LEADERSHIP", "PRIMARY_PHASES", "PRIMARY_SCHOOLS", "ROLES", "SECONDARY_DEPARTMENTS",
    "SECONDARY_SCHOOLS", "SUPPORT", "TEACHING", "TRUST_NAME", "TRUST_SLUG", "DemoPerson", "DemoRole", "DemoSchool",
    "DemoTrust", "build_demo_trust", "summary",
]
