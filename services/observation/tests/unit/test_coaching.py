"""Coaching pairs come from reportable records only, per principle, with small groups suppressed."""
from canopy_kit.testing import outbox_events


def _record(observation, trust, make_drop_in, observee, rating, privacy="reportable", behaviour=None, observer=None):
    body = make_drop_in(observee=observee, rating=rating, privacy=privacy)
    if behaviour is not None:
        body["responses"]["behaviour"] = behaviour
    response = observation.client.post("/v1/records", headers=trust.headers(observer or trust.coach), json=body)
    assert response.status_code == 201, response.json


def test_suggestions_come_from_reportable_records_only_and_small_groups_are_suppressed(
        observation, trust, make_drop_in, principles):
    _record(observation, trust, make_drop_in, trust.teacher, 3, behaviour=3)
    _record(observation, trust, make_drop_in, trust.manager, 3, behaviour=1)
    _record(observation, trust, make_drop_in, trust.colleague, 1)
    _record(observation, trust, make_drop_in, trust.head_a, 1, privacy="developmental", behaviour=1)

    view = observation.client.get(f"/v1/coaching/principles?school_id={trust.school_a}",
                                  headers=trust.headers(trust.head_a))
    assert view.status_code == 200 and view.json["min_group_size"] == 3
    by_code = {p["code"]: p for p in view.json["principles"]}
    questioning = by_code["6"]
    assert questioning["principle_id"] == principles["6"] and questioning["people"] == 3  # not the developmental one
    assert {s["person_id"] for s in questioning["strengths"]} == {trust.teacher, trust.manager}
    assert [d["person_id"] for d in questioning["development"]] == [trust.colleague]
    assert [(p["coachee_id"], p["where"]) for p in questioning["pairs"]] == [(trust.colleague, "same_school")]
    assert questioning["pairs"][0]["coach_id"] in {trust.teacher, trust.manager}
    behaviour = by_code["7"]
    assert behaviour["suppressed"] is True and behaviour["strengths"] == [] and behaviour["people"] is None

    trust_view = observation.client.get("/v1/coaching/principles", headers=trust.headers(trust.leader))
    assert trust_view.status_code == 200
    assert {p["code"] for p in trust_view.json["principles"]} == {"6", "7"}
    for caller in (trust.teacher, trust.coach, trust.head_b):
        denied = observation.client.get(f"/v1/coaching/principles?school_id={trust.school_a}",
                                        headers=trust.headers(caller))
        assert denied.status_code == 403


def test_a_coaching_pair_is_recorded_with_its_event(observation, trust, principles):
    body = {"principle_id": principles["6"], "coach_id": trust.teacher, "coachee_id": trust.colleague,
            "school_id": trust.school_a}
    created = observation.client.post("/v1/coaching/pairs", headers=trust.headers(trust.head_a), json=body)
    assert created.status_code == 201, created.json
    listed = observation.client.get("/v1/coaching/pairs", headers=trust.headers(trust.head_a)).json
    assert listed["total"] == 1 and listed["items"][0]["coachee_id"] == trust.colleague
    assert observation.client.get("/v1/coaching/pairs", headers=trust.headers(trust.head_b)).json["total"] == 0
    themselves = observation.client.post("/v1/coaching/pairs", headers=trust.headers(trust.head_a),
                                         json={**body, "coachee_id": trust.teacher})
    assert themselves.status_code == 422 and "coachee_id" in themselves.json["errors"]
    events = [e for e in outbox_events(observation.runtime) if e.event_type == "observation.coaching_pair.recorded"]
    assert [e.payload["coach_id"] for e in events] == [trust.teacher]


def test_a_school_view_and_the_trust_view_cannot_be_subtracted_to_reveal_a_small_group(
        observation, trust, make_drop_in):
    # Three people rated at Ash, one at Birch (too few): the trust's four minus Ash's three would
    # give Birch's one person back, so Ash's figure is blanked as its complement.
    for person in (trust.teacher, trust.manager, trust.colleague):
        _record(observation, trust, make_drop_in, person, 3)
    _record(observation, trust, make_drop_in, trust.teacher_b, 1, observer=trust.head_b)

    def questioning(caller, school_id=None):
        query = f"?school_id={school_id}" if school_id else ""
        view = observation.client.get(f"/v1/coaching/principles{query}", headers=trust.headers(caller))
        assert view.status_code == 200, view.json
        return {p["code"]: p for p in view.json["principles"]}["6"]

    whole = questioning(trust.leader)
    assert not whole["suppressed"] and whole["people"] == 4
    for caller, school_id in ((trust.head_a, trust.school_a), (trust.head_b, trust.school_b),
                              (trust.leader, trust.school_a), (trust.leader, trust.school_b)):
        alone = questioning(caller, school_id)
        assert alone["suppressed"] and alone["mean"] is None and alone["people"] is None, (caller, school_id)
