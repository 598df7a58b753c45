"""No combination of the answers a caller can get gives back a figure about fewer than the
threshold of people: every report, every filter, every caller who may read reports.

The test knows the facts it generated, so it works out on its own which facts each visible figure
adds up (``FACTS_OF``), independently of how the service groups its cells, and asks
``derivable_small_groups`` whether any small group can be had by adding and subtracting them.
A new report joins by naming its rollups in ``Report.sources``; a rollup the test does not know
fails here until ``FACTS_OF`` says which facts it counts.
"""
import itertools

from hypothesis import HealthCheck, given, settings, strategies as st

from canopy_kit.testing.disclosure import derivable_small_groups
from reporting.api.reports import REPORTS
from reporting.rollups import ALL_SCHOOLS, NO_SCHOOL

THRESHOLD = 3  # the fixture's minimum group size
SCHOOLS = ("Ash", "Birch", "Cedar", None)  # None: staff at no school
TYPES = ("course", "inset", "coaching")
PRINCIPLES = ("P1", "P2", "P3")
STAGES = ("immediate", "follow_up")
REQUEST_STATUSES = ("pending", "approved", "declined")

# rollup -> (the kind of fact its cells count, the fact's attribute that is its dimension)
FACTS_OF = {
    "cpd_school": ("activity", None), "cpd_type": ("activity", "kind"), "obs_school": ("record", None),
    "obs_principle": ("rating", "kind"), "impact": ("evaluation", "kind"), "cpd_request": ("request", "kind"),
}

people = st.integers(min_value=0, max_value=5)
activity = st.tuples(st.sampled_from(SCHOOLS), people, st.sampled_from(TYPES))
record = st.tuples(st.sampled_from(SCHOOLS[:3]), people, st.lists(st.sampled_from(PRINCIPLES), min_size=1,
                                                                  max_size=3, unique=True))
evaluation = st.tuples(st.sampled_from(SCHOOLS[:3]), people, st.sampled_from(STAGES))
request = st.tuples(st.sampled_from(SCHOOLS[:3]), people, st.sampled_from(REQUEST_STATUSES))  # asked at a school


def _person(trust, school, index):
    return trust.staff[school][index] if school else (trust.leader, trust.admin)[index % 2]


def _seed(trust, activities, records, evaluations, requests=()):
    """Feeds the events; returns the facts as (kind of fact, school id, dimension value, person)."""
    facts, events = [], []
    for school, index, kind in activities:
        person = _person(trust, school, index)
        events.append(trust.activity(person, school, activity_type=kind))
        facts.append(("activity", trust.schools[school] if school else NO_SCHOOL, kind, person))
    for school, index, rated in records:
        person = _person(trust, school, index)
        events.append(trust.record(person, school, {code: 0.5 for code in rated}))
        facts.append(("record", trust.schools[school], "", person))
        facts += [("rating", trust.schools[school], trust.principles[code], person) for code in rated]
    for school, index, stage in evaluations:
        person = _person(trust, school, index)
        events.append(trust.evaluation(person, school, stage=stage))
        facts.append(("evaluation", trust.schools[school], stage, person))
    for school, index, status in requests:
        person = _person(trust, school, index)
        asked = trust.request(person, school)
        events += [asked, *([trust.decision(asked, status)] if status != "pending" else [])]
        facts.append(("request", trust.schools[school], status, person))
    if events:
        trust.service.feed(trust.trust_id, events)
    return facts


def _questions(trust):
    """Every (caller, filters) a reader of reports can ask."""
    schools = list(trust.schools.values())
    for school_id, phase in itertools.product([None, *schools], [None, "primary", "secondary"]):
        yield trust.leader, {"school_id": school_id, "phase": phase}
    for name, school_id in trust.schools.items():
        for caller in (trust.head[name], *([trust.cpd_lead] if name == "Ash" else [])):
            yield caller, {}
            yield caller, {"school_id": school_id}


def _answers(trust):
    """(kind of fact, school id or all, dimension value or None) of every figure a caller sees."""
    seen = set()
    for report in REPORTS:
        unknown = set(report.sources) - set(FACTS_OF)
        assert not unknown, f"say in FACTS_OF which facts the rollups {unknown} of {report.name} count"
        for caller, filters in _questions(trust):
            response = trust.report(report.name, caller, **{k: v for k, v in filters.items() if v})
            assert response.status_code == 200, (report.name, filters, response.json)
            for row in response.json["rows"]:
                for rollup, names in report.sources.items():
                    if row[names[0]] is None:
                        continue
                    kind, dimension = FACTS_OF[rollup]
                    seen.add((kind, row["school_id"], str(row[report.dimension]) if dimension else None))
    return seen


def _leaks(facts, answers):
    leaks = []
    for kind in {fact[0] for fact in facts}:
        atoms = {}
        for fact_kind, school, value, person in facts:
            if fact_kind == kind:
                atoms.setdefault((school, value), set()).add(person)
        sums = [{(s, v) for s, v in atoms if school in (ALL_SCHOOLS, s) and value in (None, v)}
                for answer_kind, school, value in answers if answer_kind == kind]
        leaks += [(kind, sorted(group)) for group in derivable_small_groups(atoms, sums, THRESHOLD)]
    return leaks


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(activities=st.lists(activity, max_size=14), records=st.lists(record, max_size=8),
       evaluations=st.lists(evaluation, max_size=6), requests=st.lists(request, max_size=10))
def test_no_small_group_can_be_derived_from_any_answers(make_trust, activities, records, evaluations, requests):
    trust = make_trust()
    facts = _seed(trust, activities, records, evaluations, requests)
    answers = _answers(trust)
    assert _leaks(facts, answers) == []


def test_case_2_a_school_filter_does_not_show_what_the_trust_view_blanks(trust):
    # Ash: two people (too few); Birch and Cedar: four each. Blanking Ash takes a complement.
    events = [trust.activity(p, "Ash", hours="3.00") for p in trust.staff["Ash"][:2]]
    events += [trust.activity(p, s) for s in ("Birch", "Cedar") for p in trust.staff[s][:4]]
    events += [trust.record(p, "Ash", {"P1": 0.0}) for p in trust.staff["Ash"][:2]]
    events += [trust.record(p, s, {"P1": 1.0}) for s in ("Birch", "Cedar") for p in trust.staff[s][:4]]
    trust.service.feed(trust.trust_id, events)
    for name in ("cpd", "observations"):
        whole = trust.report(name).json["rows"]
        blanked = {row["school_id"] for row in whole if row["suppressed"]}
        assert trust.schools["Ash"] in blanked and len(blanked - {trust.schools["Ash"]}) >= 1
        for school_id in blanked:
            # Asked for that school alone (as the trust leader, or as its headteacher), it stays blank.
            alone = trust.report(name, school_id=school_id).json["rows"]
            assert alone and all(row["suppressed"] for row in alone), (name, alone)
        head = next(p for s, p in trust.head.items() if trust.schools[s] in blanked - {trust.schools["Ash"]})
        assert all(row["suppressed"] for row in trust.report(name, head).json["rows"])
        assert not any(row["suppressed"] for row in whole if row["school_id"] == ALL_SCHOOLS)


def test_case_3_participation_blanks_a_count_of_one_person(trust):
    # One trust-level person (no school) with CPD: a row of staff 0 and one person with CPD.
    events = [trust.activity(trust.leader, None)]
    events += [trust.activity(p, "Ash") for p in trust.staff["Ash"]]
    trust.service.feed(trust.trust_id, events)
    rows = {row["school_id"]: row for row in trust.report("participation").json["rows"]}
    alone = rows[NO_SCHOOL]
    assert alone["suppressed"] and alone["with_cpd"] is None and alone["cpd_share"] is None
    cpd = {row["school_id"]: row for row in trust.report("cpd").json["rows"]}
    assert cpd[NO_SCHOOL]["suppressed"] and cpd[NO_SCHOOL]["hours"] is None
    # What participation shows of Ash is what the CPD report shows.
    assert rows[trust.schools["Ash"]]["with_cpd"] == cpd[trust.schools["Ash"]]["people"]
