"""The demo trust's records: plain immutable data, and the names of its roles and categories."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("teacher", "support_staff", "line_manager", "coach", "cpd_lead", "headteacher",
         "school_admin", "trust_leader", "trust_admin")

TRUST_NAME = "Brightpath Learning Trust"
TRUST_SLUG = "brightpath"
EMAIL_DOMAIN = f"{TRUST_SLUG}.example.org"

TEACHING = "teaching"
SUPPORT = "support"
LEADERSHIP = "leadership"


@dataclass(frozen=True)
class DemoSchool:
    key: str          # stable slug, e.g. "oakfield-primary"
    name: str         # e.g. "Oakfield Primary School"
    phase: str        # "primary" | "secondary"
    urn: str          # 6-digit unique reference number as a string, unique per school


@dataclass(frozen=True)
class DemoRole:
    role: str                 # one of ROLES
    scope: str                # "trust" | "school"
    school_key: str | None    # set when scope == "school", None when scope == "trust"


@dataclass(frozen=True)
class DemoPerson:
    key: str                  # stable, e.g. "p0001"; unique
    given_name: str
    family_name: str
    email: str                # unique across the trust, lower case
    school_key: str | None    # where employed; None for the central trust team
    job_title: str
    staff_category: str       # "teaching" | "support" | "leadership"
    roles: tuple[DemoRole, ...]
    line_manager_key: str | None


@dataclass(frozen=True)
class DemoTrust:
    name: str
    slug: str
    schools: tuple[DemoSchool, ...]
    people: tuple[DemoPerson, ...]
    admin_key: str            # key of the person used for the demo login (a trust admin)
