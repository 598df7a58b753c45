"""A demo multi-academy trust, built as plain immutable data.

``build_demo_trust`` returns a trust shaped like a real English multi-academy
trust: a small central team, five primary schools and six secondary schools,
about 700 staff with job titles, platform roles and line managers.  Everything
is derived from one seed through a private ``random.Random`` instance, so the
same seed always gives the same trust and the global random state is never
touched.  Persisting the data is somebody else's job; this module only
describes it.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

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


# --------------------------------------------------------------------------
# Schools.  The schools themselves are fixed so that their keys stay stable
# whatever the seed; only the people change.  Forms of entry (classes per
# year group) drive how many staff each school needs.
# --------------------------------------------------------------------------

# (key, name, urn, forms of entry)
PRIMARY_SCHOOLS = (
    ("oakfield-primary", "Oakfield Primary School", "141538", 2),
    ("st-aidans-primary", "St Aidan's Church of England Primary School", "142047", 1),
    ("millbrook-primary", "Millbrook Primary Academy", "143390", 2),
    ("kingsmead-primary", "Kingsmead Primary School", "144718", 1),
    ("meadowside-primary", "Meadowside Primary School", "145263", 2),
)

SECONDARY_SCHOOLS = (
    ("northgate-academy", "Northgate Academy", "145112", 9),
    ("castle-park-school", "Castle Park School", "144309", 7),
    ("westfield-high", "Westfield High School", "143876", 8),
    ("st-hildas-high", "St Hilda's Church of England High School", "146021", 7),
    ("ashby-vale-academy", "Ashby Vale Academy", "142655", 8),
    ("fernhill-academy", "Fernhill Academy", "147390", 6),
)


class PrimaryPhase(NamedTuple):
    leader_title: str
    year_groups: tuple[str, ...]
    assistant_title: str
    key_stage_2: bool
    # Younger children get an adult per class; in Key Stage 2 one assistant
    # is usually shared across a year group.
    assistant_per_class: bool


PRIMARY_PHASES = (
    PrimaryPhase("EYFS Phase Leader", ("Reception",), "Early Years Practitioner",
                 key_stage_2=False, assistant_per_class=True),
    PrimaryPhase("Key Stage 1 Phase Leader", ("Year 1", "Year 2"), "Teaching Assistant",
                 key_stage_2=False, assistant_per_class=True),
    PrimaryPhase("Lower Key Stage 2 Phase Leader", ("Year 3", "Year 4"), "Teaching Assistant",
                 key_stage_2=True, assistant_per_class=False),
    PrimaryPhase("Upper Key Stage 2 Phase Leader", ("Year 5", "Year 6"), "Teaching Assistant",
                 key_stage_2=True, assistant_per_class=False),
)


class Department(NamedTuple):
    head_title: str
    # (subject, teachers needed per form of entry, not counting the head)
    subjects: tuple[tuple[str, float], ...]
    technician_title: str | None
    technicians: int
    # Core departments report to the curriculum deputy; the rest to the
    # assistant head for teaching and learning, which keeps both spans small.
    core: bool


SECONDARY_DEPARTMENTS = (
    Department("Head of English", (("English", 0.75),), None, 0, True),
    Department("Head of Mathematics", (("Mathematics", 0.75),), None, 0, True),
    Department("Head of Science", (("Science", 0.8),), "Science Technician", 2, True),
    Department("Head of Humanities",
               (("History", 0.3), ("Geography", 0.3), ("Religious Education", 0.2)), None, 0, True),
    Department("Head of Modern Foreign Languages",
               (("French", 0.2), ("Spanish", 0.2)), None, 0, False),
    Department("Head of Creative Arts",
               (("Art", 0.2), ("Music", 0.12), ("Drama", 0.15)), None, 0, False),
    Department("Head of Technology",
               (("Computing", 0.2), ("Design and Technology", 0.25)),
               "Design and Technology Technician", 1, False),
    Department("Head of Physical Education", (("Physical Education", 0.45),), None, 0, False),
)

SECONDARY_YEAR_GROUPS = (7, 8, 9, 10, 11)

# The school workforce is predominantly female, more so in primary schools.
FEMALE_SHARE = {"primary": 0.85, "secondary": 0.64, None: 0.5}


# --------------------------------------------------------------------------
# Names.  Each pool pairs given names with family names of a shared heritage
# so that most names read naturally; a minority of people take a family name
# from another pool, as mixed families do.  Weights roughly follow England's
# population rather than any particular town.
# --------------------------------------------------------------------------

class NamePool(NamedTuple):
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]


_BRITISH_AND_IRISH = NamePool(
    weight=72,
    female=("Sarah", "Emma", "Rachel", "Claire", "Laura", "Rebecca", "Hannah", "Charlotte",
            "Sophie", "Katie", "Jessica", "Amy", "Lucy", "Gemma", "Helen", "Jennifer",
            "Nicola", "Victoria", "Kirsty", "Joanne", "Louise", "Natalie", "Stephanie",
            "Elizabeth", "Catherine", "Fiona", "Eleanor", "Megan", "Chloe", "Holly",
            "Bethany", "Alice", "Ruth", "Siân", "Niamh", "Zoë", "Carys", "Aoife",
            "Philippa", "Harriet", "Abigail", "Lisa", "Kerry", "Alison", "Jane", "Susan",
            "Karen", "Amanda", "Rhiannon", "Morag"),
    male=("James", "David", "Michael", "Daniel", "Thomas", "Matthew", "Christopher",
          "Andrew", "Mark", "Paul", "Richard", "Robert", "Simon", "Stephen", "Benjamin",
          "Samuel", "Jonathan", "Adam", "Oliver", "William", "Joseph", "Luke", "Ryan",
          "Gareth", "Craig", "Stuart", "Ian", "Neil", "Alastair", "Callum", "Rhys", "Owen",
          "Ciarán", "Liam", "Sean", "Jack", "Harry", "George", "Peter", "Martin", "Graham",
          "Darren", "Dylan", "Hamish"),
    family=("Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
            "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker",
            "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke",
            "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris",
            "Moore", "King", "Baker", "Harrison", "Morgan", "Allen", "Scott", "Phillips",
            "Watson", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
            "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw",
            "Murphy", "Miller", "Cox", "Marshall", "Simpson", "Ellis", "Adams", "Wilkinson",
            "Foster", "Chapman", "Webb", "Rogers", "Gray", "Mason", "Hunt", "Campbell",
            "MacDonald", "Fraser", "Reid", "Stewart", "O'Brien", "O'Connor", "Gallagher",
            "Doherty", "Byrne", "Quinn", "Llewellyn", "Pritchard", "Jenkins", "Fletcher",
            "Holmes", "Lloyd", "Barnes", "Knight", "Pearson", "Atkinson", "Dawson",
            "Whitehead", "Hargreaves", "Booth", "Fisher", "Hartley", "Ashworth",
            "Sutcliffe", "Fox", "Lamb", "Sharpe", "Mann", "Payne"),
)

_PAKISTANI_AND_BANGLADESHI = NamePool(
    weight=5,
    female=("Aisha", "Fatima", "Sana", "Nadia", "Ayesha", "Shabana", "Rukhsana", "Farah",
            "Zainab", "Amina", "Shazia", "Sadia", "Tahmina", "Nasreen", "Mariam", "Hina",
            "Sumaiya", "Rabia"),
    male=("Mohammed", "Imran", "Amir", "Zain", "Hamza", "Bilal", "Usman", "Asif", "Tariq",
          "Faisal", "Kamran", "Rizwan", "Sajid", "Shahid", "Ibrahim", "Yusuf", "Adnan",
          "Shahed"),
    family=("Khan", "Ahmed", "Hussain", "Ali", "Iqbal", "Akhtar", "Chowdhury", "Rahman",
            "Islam", "Uddin", "Miah", "Malik", "Qureshi", "Mahmood", "Javed", "Rashid",
            "Siddiqui", "Bhatti", "Shah"),
)

_INDIAN = NamePool(
    weight=5,
    female=("Priya", "Anjali", "Simran", "Harpreet", "Nisha", "Pooja", "Sunita", "Rupinder",
            "Kiran", "Meera", "Divya", "Anita", "Jaspreet", "Neha"),
    male=("Arjun", "Rajesh", "Sanjay", "Vikram", "Harjit", "Gurpreet", "Manjit", "Sunil",
          "Ravi", "Nikhil", "Rohan", "Jaspal", "Amit", "Deepak"),
    family=("Patel", "Singh", "Sharma", "Gupta", "Mistry", "Parmar", "Chauhan", "Sandhu",
            "Gill", "Dhillon", "Bains", "Desai", "Joshi", "Kumar", "Mehta", "Shah"),
)

_WEST_AFRICAN = NamePool(
    weight=3,
    female=("Abena", "Adaeze", "Chioma", "Ngozi", "Funmilayo", "Yetunde", "Blessing",
            "Abimbola", "Folake", "Akosua", "Ama", "Grace", "Esther"),
    male=("Kwame", "Kofi", "Chinedu", "Emeka", "Oluwaseun", "Tunde", "Femi", "Adebayo",
          "Segun", "Kwabena", "Yaw", "Samuel", "Joshua"),
    family=("Okafor", "Adeyemi", "Mensah", "Osei", "Boateng", "Owusu", "Asante", "Okoye",
            "Nwosu", "Eze", "Obi", "Ogunleye", "Balogun", "Oyelaran"),
)

_CARIBBEAN = NamePool(
    weight=2,
    female=("Shanice", "Tanisha", "Keisha", "Marcia", "Jade", "Simone", "Nia", "Sharon",
            "Paulette", "Jasmine"),
    male=("Marcus", "Andre", "Tyrone", "Delroy", "Jermaine", "Leon", "Nathaniel", "Winston",
          "Errol", "Dwayne"),
    family=("Campbell", "Francis", "Henry", "Grant", "Gordon", "Daley", "Walters", "Williams",
            "Brown", "Clarke", "Reid", "Morgan", "Bailey"),
)

_SOMALI = NamePool(
    weight=1,
    female=("Hodan", "Amal", "Ayan", "Fadumo", "Hibo", "Nasra"),
    male=("Abdirahman", "Mohamed", "Ahmed", "Yusuf", "Liban", "Mustafa"),
    family=("Abdi", "Hassan", "Farah", "Ali", "Osman", "Warsame", "Jama", "Omar"),
)

_POLISH = NamePool(
    weight=3,
    female=("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Ewa", "Monika", "Aleksandra",
            "Marta"),
    male=("Piotr", "Tomasz", "Krzysztof", "Marek", "Jakub", "Mateusz", "Bartosz"),
    # Surnames that do not change form between men and women.
    family=("Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Kaczmarek", "Zając",
            "Król", "Wieczorek", "Jankowiak"),
)

_ROMANIAN = NamePool(
    weight=1,
    female=("Ioana", "Elena", "Andreea", "Alina", "Mihaela"),
    male=("Andrei", "Mihai", "Alexandru", "Ionuț", "Cristian"),
    family=("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu", "Constantin"),
)

_ITALIAN = NamePool(
    weight=1,
    female=("Giulia", "Francesca", "Chiara", "Sofia"),
    male=("Luca", "Marco", "Giovanni", "Alessandro"),
    family=("Rossi", "Russo", "Bianchi", "Esposito", "Romano", "Ricci"),
)

_PORTUGUESE = NamePool(
    weight=1,
    female=("Ana", "Inês", "Beatriz", "Mariana"),
    male=("Pedro", "Tiago", "João", "Rui"),
    family=("Silva", "Santos", "Ferreira", "Pereira", "Costa", "Oliveira"),
)

_CHINESE = NamePool(
    weight=2,
    female=("Mei", "Jing", "Xiaoling", "Michelle", "Vivian", "Ling", "Joyce", "Hui"),
    male=("Wei", "Jun", "Hao", "Kevin", "Jason", "Eric", "Ming", "Tao", "Jian", "Vincent"),
    family=("Chen", "Wong", "Li", "Zhang", "Wang", "Liu", "Lam", "Chan", "Cheung", "Ng",
            "Ho", "Yeung", "Tang"),
)

_VIETNAMESE = NamePool(
    weight=1,
    female=("Linh", "Thuy", "Hoa", "Lan"),
    male=("Minh", "Duc", "Quang", "Tuan"),
    family=("Nguyen", "Tran", "Pham", "Le", "Hoang"),
)

NAME_POOLS = (_BRITISH_AND_IRISH, _PAKISTANI_AND_BANGLADESHI, _INDIAN, _WEST_AFRICAN,
              _CARIBBEAN, _SOMALI, _POLISH, _ROMANIAN, _ITALIAN, _PORTUGUESE, _CHINESE,
              _VIETNAMESE)

# Share of people whose family name comes from a different pool to their given name.
MIXED_FAMILY_NAME_SHARE = 0.08


class _NamePicker:
    """Draws plausible names, avoiding repeated full names so demo users are
    easy to tell apart."""

    _ATTEMPTS = 50

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[tuple[str, str]] = set()

    def pick(self, female_share: float) -> tuple[str, str]:
        for _ in range(self._ATTEMPTS):
            name = self._draw(female_share)
            given, family = name
            if name not in self._used and given != family:
                break
        self._used.add(name)
        return name

    def _draw(self, female_share: float) -> tuple[str, str]:
        rng = self._rng
        pool = rng.choices(NAME_POOLS, weights=[p.weight for p in NAME_POOLS])[0]
        given = rng.choice(pool.female if rng.random() < female_share else pool.male)
        family_pool = rng.choice(NAME_POOLS) if rng.random() < MIXED_FAMILY_NAME_SHARE else pool
        return given, rng.choice(family_pool.family)


def _email_safe(text: str) -> str:
    """'Siân' -> 'sian', "O'Brien" -> 'obrien': plain ASCII for an address."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-").strip("-")


def _unique_email(given_name: str, family_name: str, taken: set[str]) -> str:
    """Initial-dot-surname as schools usually do, then fuller forms on a clash."""
    given, family = _email_safe(given_name), _email_safe(family_name)
    candidates = [f"{given[:1]}.{family}", f"{given}.{family}"]
    number = 2
    while True:
        for local_part in candidates:
            address = f"{local_part}@{EMAIL_DOMAIN}"
            if address not in taken:
                taken.add(address)
                return address
        candidates = [f"{given[:1]}.{family}{number}"]
        number += 1


# --------------------------------------------------------------------------
# Building.  Staff are hired top-down so every line manager already has a key
# when their team is hired; drafts stay mutable until line management is
# complete and are then frozen into DemoPerson records.
# --------------------------------------------------------------------------

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
        self._names = _NamePicker(rng)
        self._emails: set[str] = set()

    def hire(self, school: DemoSchool | None, job_title: str, staff_category: str,
             manager: _Draft | None, extra_roles: tuple[str, ...] = ()) -> _Draft:
        given, family = self._names.pick(FEMALE_SHARE[school.phase if school else None])
        draft = _Draft(
            key=f"p{len(self.drafts) + 1:04d}",
            given_name=given,
            family_name=family,
            email=_unique_email(given, family, self._emails),
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
