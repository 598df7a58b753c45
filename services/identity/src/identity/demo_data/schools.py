"""The demo trust's schools and how each kind is staffed.  The schools are fixed so that their
keys stay stable whatever the seed; only the people change.  Forms of entry (classes per year
group) drive how many staff each school needs."""

from __future__ import annotations

from typing import NamedTuple

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