"""Staffing the demo trust: who is hired where, with which titles, roles and line managers.

Staff are hired top-down so every line manager already has a key when their team is hired;
drafts stay mutable until line management is complete and are then frozen into ``DemoPerson``
records.  Everything is derived from one seed through a private ``random.Random`` instance.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from identity.demo_data.names import NamePicker, unique_email
from identity.demo_data.records import (
    LEADERSHIP, ROLES, SUPPORT, TEACHING, TRUST_NAME, TRUST_SLUG, DemoPerson, DemoRole, DemoSchool, DemoTrust,
)
from identity.demo_data.schools import (
    FEMALE_SHARE, PRIMARY_PHASES, PRIMARY_SCHOOLS, SECONDARY_DEPARTMENTS, SECONDARY_SCHOOLS, SECONDARY_YEAR_GROUPS,
    Department, PrimaryPhase,
)

@dataclass
class _Draft:
    key: str
    given_name: str
    family_name: str
    email: str
    school_key: str | None
    job_title: str
    staff_category: str
    line_manager_key: str | None
    roles: list[DemoRole] = field(default_factory=list)


class _StaffRegister:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.drafts: list[_Draft] = []
        self._names = NamePicker(rng)
        self._emails: set[str] = set()

    def hire(self, school: DemoSchool | None, job_title: str, staff_category: str,
             manager: _Draft | None, extra_roles: tuple[str, ...] = ()) -> _Draft:
        given, family = self._names.pick(FEMALE_SHARE[school.phase if school else None])
        draft = _Draft(
            key=f"p{len(self.drafts) + 1:04d}",
            given_name=given,
            family_name=family,
            email=unique_email(given, family, self._emails),
            school_key=school.key if school else None,
            job_title=job_title,
            staff_category=staff_category,
            line_manager_key=manager.key if manager else None,
        )
        for role in _base_roles(school, staff_category) + extra_roles:
            _grant(draft, role)
        self.drafts.append(draft)
        return draft

    def hire_several(self, count: int, school: DemoSchool, job_title: str,
                     staff_category: str, manager: _Draft) -> list[_Draft]:
        return [self.hire(school, job_title, staff_category, manager) for _ in range(count)]

    def staff_of(self, school: DemoSchool) -> list[_Draft]:
        return [d for d in self.drafts if d.school_key == school.key]

    def scaled_count(self, per_form: float, forms_of_entry: int) -> int:
        """Staff needed for a school of this size, at least one.  Fractional
        needs are rounded up or down at random in proportion, so schools of
        the same size differ a little but average out to the stated ratio."""
        need = per_form * forms_of_entry
        whole = int(need)
        if self.rng.random() < need - whole:
            whole += 1
        return max(1, whole)


def _base_roles(school: DemoSchool | None, staff_category: str) -> tuple[str, ...]:
    """School leaders in this trust all keep a teaching timetable, so they
    hold the teacher role alongside teaching staff."""
    if school is None:
        return ()
    return ("support_staff",) if staff_category == SUPPORT else ("teacher",)


def _grant(draft: _Draft, role: str) -> None:
    if draft.school_key is None:
        granted = DemoRole(role=role, scope="trust", school_key=None)
    else:
        granted = DemoRole(role=role, scope="school", school_key=draft.school_key)
    if granted not in draft.roles:
        draft.roles.append(granted)


# -- central team -----------------------------------------------------------

def _hire_central_team(register: _StaffRegister) -> tuple[_Draft, _Draft]:
    """Returns (CEO, trust admin).  Everyone central reports to the CEO, as do
    all eleven headteachers, so the CEO is the one person whose span of line
    management is wider than ten; school structures stay within ten."""
    ceo = register.hire(None, "Chief Executive Officer", LEADERSHIP, None, ("trust_leader",))
    register.hire(None, "School Improvement Partner", LEADERSHIP, ceo, ("trust_leader",))
    register.hire(None, "Chief Financial Officer", LEADERSHIP, ceo, ("trust_leader",))
    # HR keeps staff records up to date, which on the platform is admin work.
    register.hire(None, "HR Lead", SUPPORT, ceo, ("trust_admin",))
    admin = register.hire(None, "Trust Administrator", SUPPORT, ceo, ("trust_admin",))
    return ceo, admin


# -- primary schools --------------------------------------------------------

def _staff_primary_school(register: _StaffRegister, school: DemoSchool,
                          forms_of_entry: int, ceo: _Draft) -> None:
    head = register.hire(school, "Headteacher", LEADERSHIP, ceo, ("headteacher",))
    deputy = register.hire(school, "Deputy Headteacher", LEADERSHIP, head, ("cpd_lead",))
    # Larger primaries add an assistant head who takes Key Stage 2, so the
    # deputy is not line-managing every phase alone.
    key_stage_2_leader = deputy
    if forms_of_entry > 1:
        key_stage_2_leader = register.hire(school, "Assistant Headteacher", LEADERSHIP, head)

    for phase in PRIMARY_PHASES:
        manager = key_stage_2_leader if phase.key_stage_2 else deputy
        _staff_primary_phase(register, school, forms_of_entry, phase, manager)

    senco = register.hire(school, "SENCO", TEACHING, head)
    register.hire_several(register.scaled_count(1.25, forms_of_entry), school,
                          "Learning Support Assistant", SUPPORT, senco)
    # Family liaison sits with the deputy, who is usually safeguarding lead.
    register.hire(school, "Family Liaison Officer", SUPPORT, deputy)
    _staff_primary_office_and_site(register, school, forms_of_entry, head)
    _appoint_coaches(register, school, register.rng.randint(2, 3))


def _staff_primary_phase(register: _StaffRegister, school: DemoSchool, forms_of_entry: int,
                         phase: PrimaryPhase, manager: _Draft) -> None:
    # The phase leader also teaches one of the phase's classes, so one fewer
    # class teacher is needed and the title says which class.
    classes = [year for year in phase.year_groups for _ in range(forms_of_entry)]
    leader = register.hire(school, f"{phase.leader_title} and {classes[0]} Teacher",
                           TEACHING, manager)
    for year in classes[1:]:
        register.hire(school, f"{year} Teacher", TEACHING, leader)
    assistants = len(classes) if phase.assistant_per_class else len(phase.year_groups)
    register.hire_several(assistants, school, phase.assistant_title, SUPPORT, leader)


def _staff_primary_office_and_site(register: _StaffRegister, school: DemoSchool,
                                   forms_of_entry: int, head: _Draft) -> None:
    business = register.hire(school, "School Business Manager", SUPPORT, head)
    office = register.hire(school, "Office Manager", SUPPORT, business, ("school_admin",))
    register.hire(school, "Administrative Assistant", SUPPORT, office)
    site = register.hire(school, "Site Manager", SUPPORT, business)
    register.hire_several(register.scaled_count(0.75, forms_of_entry), school,
                          "Cleaner", SUPPORT, site)
    register.hire(school, "IT Technician", SUPPORT, business)
    register.hire_several(register.scaled_count(1.25, forms_of_entry), school,
                          "Lunchtime Supervisor", SUPPORT, business)


# -- secondary schools ------------------------------------------------------

def _staff_secondary_school(register: _StaffRegister, school: DemoSchool,
                            forms_of_entry: int, ceo: _Draft) -> None:
    head = register.hire(school, "Headteacher", LEADERSHIP, ceo, ("headteacher",))
    curriculum = register.hire(school, "Deputy Headteacher (Curriculum)", LEADERSHIP, head)
    pastoral = register.hire(school, "Deputy Headteacher (Pastoral)", LEADERSHIP, head)
    teaching_and_learning = register.hire(
        school, "Assistant Headteacher (Teaching and Learning)", LEADERSHIP, head, ("cpd_lead",))
    behaviour = register.hire(
        school, "Assistant Headteacher (Behaviour and Attendance)", LEADERSHIP, head)
    inclusion = register.hire(school, "Assistant Headteacher (Inclusion)", LEADERSHIP, head)

    for department in SECONDARY_DEPARTMENTS:
        manager = curriculum if department.core else teaching_and_learning
        _staff_department(register, school, forms_of_entry, department, manager)

    for year in SECONDARY_YEAR_GROUPS:
        register.hire(school, f"Head of Year {year}", TEACHING, pastoral)
    register.hire(school, "Attendance Officer", SUPPORT, behaviour)
    register.hire_several(2, school, "Pastoral Support Officer", SUPPORT, behaviour)

    senco = register.hire(school, "SENCO", TEACHING, inclusion)
    register.hire_several(register.scaled_count(0.6, forms_of_entry), school,
                          "Teaching Assistant", SUPPORT, senco)
    register.hire_several(register.scaled_count(0.4, forms_of_entry), school,
                          "Learning Support Assistant", SUPPORT, senco)

    _staff_secondary_business_support(register, school, forms_of_entry, head)
    _appoint_coaches(register, school, register.rng.randint(3, 4))


def _staff_department(register: _StaffRegister, school: DemoSchool, forms_of_entry: int,
                      department: Department, manager: _Draft) -> None:
    head_of_department = register.hire(school, department.head_title, TEACHING, manager)
    for subject, per_form in department.subjects:
        register.hire_several(register.scaled_count(per_form, forms_of_entry), school,
                              f"Teacher of {subject}", TEACHING, head_of_department)
    if department.technician_title:
        register.hire_several(department.technicians, school, department.technician_title,
                              SUPPORT, head_of_department)


def _staff_secondary_business_support(register: _StaffRegister, school: DemoSchool,
                                      forms_of_entry: int, head: _Draft) -> None:
    business = register.hire(school, "School Business Manager", SUPPORT, head)
    office = register.hire(school, "Office Manager", SUPPORT, business, ("school_admin",))
    register.hire(school, "Receptionist", SUPPORT, office)
    register.hire_several(register.scaled_count(0.2, forms_of_entry), school,
                          "Administrative Assistant", SUPPORT, office)
    for title in ("Finance Officer", "Exams Officer", "Data Manager"):
        register.hire(school, title, SUPPORT, business)
    site = register.hire(school, "Site Manager", SUPPORT, business)
    register.hire_several(register.scaled_count(0.25, forms_of_entry), school,
                          "Caretaker", SUPPORT, site)
    register.hire_several(register.scaled_count(0.3, forms_of_entry), school,
                          "Cleaner", SUPPORT, site)
    network = register.hire(school, "Network Manager", SUPPORT, business)
    register.hire_several(register.scaled_count(0.2, forms_of_entry), school,
                          "IT Technician", SUPPORT, network)


# -- shared steps -----------------------------------------------------------

def _appoint_coaches(register: _StaffRegister, school: DemoSchool, count: int) -> None:
    """Coaches come from the teaching staff (class teachers and middle
    leaders); senior leaders are left out because they already carry a CPD
    remit."""
    candidates = [d for d in register.staff_of(school) if d.staff_category == TEACHING]
    for coach in register.rng.sample(candidates, count):
        _grant(coach, "coach")


def _grant_line_manager_roles(drafts: list[_Draft]) -> None:
    """The line_manager role follows the actual reporting lines: held by
    exactly those people who have someone reporting to them."""
    managing = {d.line_manager_key for d in drafts if d.line_manager_key}
    for draft in drafts:
        if draft.key in managing:
            _grant(draft, "line_manager")


def _freeze(draft: _Draft) -> DemoPerson:
    roles = tuple(sorted(draft.roles, key=lambda r: ROLES.index(r.role)))
    return DemoPerson(
        key=draft.key,
        given_name=draft.given_name,
        family_name=draft.family_name,
        email=draft.email,
        school_key=draft.school_key,
        job_title=draft.job_title,
        staff_category=draft.staff_category,
        roles=roles,
        line_manager_key=draft.line_manager_key,
    )


def _plan_schools() -> list[tuple[DemoSchool, int]]:
    planned = [(DemoSchool(key, name, "primary", urn), forms)
               for key, name, urn, forms in PRIMARY_SCHOOLS]
    planned += [(DemoSchool(key, name, "secondary", urn), forms)
                for key, name, urn, forms in SECONDARY_SCHOOLS]
    return planned


def build_demo_trust(seed: int = 2026) -> DemoTrust:
    """Build the demo trust.  The same seed always gives the same trust."""
    register = _StaffRegister(random.Random(seed))
    ceo, admin = _hire_central_team(register)
    planned = _plan_schools()
    for school, forms_of_entry in planned:
        if school.phase == "primary":
            _staff_primary_school(register, school, forms_of_entry, ceo)
        else:
            _staff_secondary_school(register, school, forms_of_entry, ceo)
    _grant_line_manager_roles(register.drafts)
    return DemoTrust(
        name=TRUST_NAME,
        slug=TRUST_SLUG,
        schools=tuple(school for school, _ in planned),
        people=tuple(_freeze(d) for d in register.drafts),
        admin_key=admin.key,
    )


def summary(trust: DemoTrust) -> dict:
    """Headline counts, handy for printing after the demo data is loaded."""
    per_school = Counter(p.school_key for p in trust.people)
    categories = Counter(p.staff_category for p in trust.people)
    # Count people holding each role, not role grants.
    holders = Counter(role for p in trust.people for role in {r.role for r in p.roles})
    return {
        "trust": trust.name,
        "schools": len(trust.schools),
        "schools_by_phase": {phase: sum(s.phase == phase for s in trust.schools)
                             for phase in ("primary", "secondary")},
        "people": len(trust.people),
        "central_team": per_school[None],
        "people_per_school": {s.key: per_school[s.key] for s in trust.schools},
        "people_by_staff_category": {c: categories[c] for c in (LEADERSHIP, TEACHING, SUPPORT)},
        "role_counts": {role: holders[role] for role in ROLES},
    }
