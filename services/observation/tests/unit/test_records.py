"""The record workflow through the API: versioned forms, bad input, privacy tiers, offline capture."""
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from canopy_kit.db.tables import dir_people
from canopy_kit.testing import outbox_events
from observation.tables import records


def _count(service) -> int:
    with service.runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(records)).scalar_one()


def _events(service, event_type):
    return [e for e in outbox_events(service.runtime) if e.event_type == event_type]


def test_a_template_edited_after_use_leaves_old_records_and_their_rendering_unchanged(
        observation, trust, form, make_drop_in, principles, sections):
    client, admin = observation.client, trust.headers(trust.admin)
    created = client.post("/v1/records", headers=trust.headers(trust.coach), json=make_drop_in())
    assert created.status_code == 201, created.json
    before = client.get(f"/v1/records/{created.json['id']}", headers=trust.headers(trust.teacher)).json
    assert before["template"]["version"] == 1
    assert before["sections"][0]["items"][0]["label"] == "Questioning checks understanding"
    assert before["sections"][0]["items"][0]["response_label"] == "Securely"

    edited = sections(principles, label="Questioning reaches every pupil")
    draft = client.put(f"/v1/templates/{form['template_id']}/draft", headers=admin, json={"sections": edited})
    assert draft.status_code == 200 and draft.json == {"version": 2} and draft.headers["ETag"] == '"1"'
    stale = client.put(f"/v1/templates/{form['template_id']}/draft", headers={**admin, "If-Match": '"0"'},
                       json={"sections": edited})
    assert stale.status_code == 412  # someone else's save would be lost
    assert client.post(f"/v1/templates/{form['template_id']}/publish", headers=admin).status_code == 200
    version_one = client.get(f"/v1/templates/{form['template_id']}/versions/1", headers=admin).json
    assert version_one["status"] == "published" and version_one["sections"][0]["items"][0]["label"].startswith(
        "Questioning checks")

    after = client.get(f"/v1/records/{created.json['id']}", headers=trust.headers(trust.teacher)).json
    assert after["sections"] == before["sections"] and after["template"]["version"] == 1
    published = _events(observation, "observation.template.published")
    assert [e.payload["version"] for e in published] == [1, 2]


def test_the_workflow_from_draft_to_acknowledgement_with_events(observation, trust, make_drop_in):
    client, coach, teacher = observation.client, trust.headers(trust.coach), trust.headers(trust.teacher)
    record_id = client.post("/v1/records", headers=coach, json=make_drop_in(share=False)).json["id"]
    assert client.get(f"/v1/records/{record_id}", headers=teacher).status_code == 404  # a draft is the observer's
    etag = client.get(f"/v1/records/{record_id}", headers=coach).headers["ETag"]
    changed = client.patch(f"/v1/records/{record_id}", headers={**coach, "If-Match": etag},
                           json={"responses": {"questioning": 2}})
    assert changed.status_code == 200 and changed.json["sections"][0]["items"][0]["response"] == 2
    assert client.patch(f"/v1/records/{record_id}", headers={**coach, "If-Match": etag},
                        json={"strengths": "x"}).status_code == 412
    assert client.post(f"/v1/records/{record_id}/share", headers=coach).json["status"] == "shared"
    assert client.patch(f"/v1/records/{record_id}", headers=coach, json={"strengths": "x"}).status_code == 409

    someone_else = client.post(f"/v1/records/{record_id}/acknowledge", headers=coach, json={})
    assert someone_else.status_code == 403  # the observer cannot acknowledge for the observee
    acknowledged = client.post(f"/v1/records/{record_id}/acknowledge", headers=teacher,
                               json={"response": "Agreed; I will try it with Year 5"})
    assert acknowledged.status_code == 200 and acknowledged.json["status"] == "acknowledged"
    assert acknowledged.json["observee_response"].startswith("Agreed")
    again = client.post(f"/v1/records/{record_id}/acknowledge", headers=teacher, json={})
    assert again.status_code == 409

    step = acknowledged.json["action_steps"][0]
    follow_up = client.post("/v1/records", headers=coach, json=make_drop_in(
        follows_up_record_id=record_id, completed_action_step_ids=[step["id"]]))
    assert follow_up.status_code == 201, follow_up.json
    steps = client.get(f"/v1/records/{record_id}", headers=teacher).json["action_steps"]
    assert steps[0]["status"] == "completed" and steps[0]["completed_in_record_id"] == follow_up.json["id"]
    kinds = [e.event_type for e in outbox_events(observation.runtime) if e.event_type.startswith("observation.rec")
             or e.event_type.startswith("observation.action")]
    assert kinds[:4] == ["observation.record.recorded", "observation.record.shared",
                         "observation.record.acknowledged", "observation.action_step.completed"]
    shared = _events(observation, "observation.record.shared")[0].payload
    assert shared["ratings"][0]["normalised"] == 0.5 and shared["ratings"][0]["item_id"] == "questioning"


@pytest.mark.parametrize("change, status, field", [
    ({"responses": {"seen": ["retrieval"]}}, 422, "responses.questioning"),  # a required item is missing
    ({"responses": {"questioning": 9}}, 422, "responses.questioning"),  # outside the scale
    ({"responses": {"questioning": 2, "ghost": 1}}, 422, "responses.ghost"),  # no such item
    ({"privacy": "secret"}, 422, "privacy"),
    ({"template_version_id": "00000000-0000-0000-0000-000000000000"}, 404, "template_version_id"),
])
def test_bad_input_is_a_precise_4xx_and_writes_nothing(observation, trust, make_drop_in, change, status, field):
    response = observation.client.post("/v1/records", headers=trust.headers(trust.coach),
                                       json={**make_drop_in(), **change})
    assert response.status_code == status and field in response.json["errors"], response.json
    assert _count(observation) == 0 and _events(observation, "observation.record.recorded") == []


def test_observing_oneself_or_someone_one_may_not_is_refused(observation, trust, make_drop_in):
    myself = observation.client.post("/v1/records", headers=trust.headers(trust.coach),
                                     json=make_drop_in(observee=trust.coach))
    assert myself.status_code == 422 and myself.json["errors"] == {"observee_id": ["you cannot observe yourself"]}
    other_school = observation.client.post("/v1/records", headers=trust.headers(trust.coach),
                                           json=make_drop_in(observee=trust.teacher_b))
    assert other_school.status_code == 403  # a coach at Ash does not observe at Birch
    by_teacher = observation.client.post("/v1/records", headers=trust.headers(trust.colleague), json=make_drop_in())
    assert by_teacher.status_code == 403
    by_manager = observation.client.post("/v1/records", headers=trust.headers(trust.manager), json=make_drop_in())
    assert by_manager.status_code == 201  # the line manager, with no role grant
    assert _count(observation) == 1


def test_recording_on_a_draft_or_retired_form_is_refused(observation, trust, form, make_drop_in, principles, sections):
    client, admin, coach = observation.client, trust.headers(trust.admin), trust.headers(trust.coach)
    client.put(f"/v1/templates/{form['template_id']}/draft", headers=admin, json={"sections": sections(principles)})
    draft_id = client.get(f"/v1/templates/{form['template_id']}", headers=admin).json["versions"][-1]["id"]
    on_draft = client.post("/v1/records", headers=coach, json=make_drop_in(template_version_id=draft_id))
    assert on_draft.status_code == 422 and "draft" in on_draft.json["errors"]["template_version_id"][0]
    assert client.post(f"/v1/templates/{form['template_id']}/retire", headers=admin).json["status"] == "retired"
    on_retired = client.post("/v1/records", headers=coach, json=make_drop_in())
    assert on_retired.status_code == 422 and on_retired.json["errors"]["template_version_id"] == ["this form is retired"]
    assert _count(observation) == 0


def test_a_developmental_record_is_seen_only_by_those_entitled(observation, trust, make_drop_in):
    client = observation.client
    record_id = client.post("/v1/records", headers=trust.headers(trust.coach),
                            json=make_drop_in(privacy="developmental")).json["id"]
    reportable_id = client.post("/v1/records", headers=trust.headers(trust.coach), json=make_drop_in()).json["id"]
    for outsider in (trust.head_a, trust.manager, trust.leader, trust.admin, trust.colleague, trust.head_b):
        assert client.get(f"/v1/records/{record_id}", headers=trust.headers(outsider)).status_code == 404
        listed = client.get("/v1/records", headers=trust.headers(outsider)).json["items"]
        assert record_id not in {r["id"] for r in listed}
    head_sees = {r["id"] for r in client.get("/v1/records", headers=trust.headers(trust.head_a)).json["items"]}
    assert head_sees == {reportable_id}  # the headteacher sees the reportable record at their school only
    assert client.get(f"/v1/records/{reportable_id}", headers=trust.headers(trust.head_b)).status_code == 404

    shared = client.post(f"/v1/records/{record_id}/shares", headers=trust.headers(trust.teacher),
                         json={"person_id": trust.colleague})
    assert shared.status_code == 200 and shared.json["shared_with"] == [trust.colleague]
    assert client.get(f"/v1/records/{record_id}", headers=trust.headers(trust.colleague)).status_code == 200
    assert client.get(f"/v1/records/{record_id}", headers=trust.headers(trust.head_a)).status_code == 404
    for event in outbox_events(observation.runtime):
        if event.payload.get("record_id") == record_id:
            assert "strengths" not in event.payload and not event.payload.get("ratings"), event.event_type


def test_the_history_follows_the_person_and_a_school_sees_only_its_period(observation, trust, make_drop_in):
    client = observation.client
    at_ash = client.post("/v1/records", headers=trust.headers(trust.head_b),
                         json=make_drop_in(observee=trust.mover, observed_on="2026-10-01"))
    assert at_ash.status_code == 201  # Mo works at Birch now: Birch's head observes there
    with observation.runtime.engine.begin() as conn:  # and an older record from Mo's time at Ash
        conn.execute(records.update().where(records.c.id == at_ash.json["id"]).values(
            school_id=trust.school_a, observed_on=date(2025, 3, 1)))
    at_birch = client.post("/v1/records", headers=trust.headers(trust.head_b), json=make_drop_in(observee=trust.mover))
    mine = {r["id"] for r in client.get("/v1/records", headers=trust.headers(trust.mover)).json["items"]}
    assert mine == {at_ash.json["id"], at_birch.json["id"]}
    ash = {r["id"] for r in client.get(f"/v1/records?observee_id={trust.mover}",
                                       headers=trust.headers(trust.head_a)).json["items"]}
    assert ash == {at_ash.json["id"]}
    assert client.get(f"/v1/records/{at_birch.json['id']}", headers=trust.headers(trust.head_a)).status_code == 404
    # Ash's head read Mo's record: Mo can see that; Birch's head made it, which is not a read.
    log = client.get("/v1/me/access-log", headers=trust.headers(trust.mover)).json["items"]
    assert [(e["reader_id"], e["record_id"]) for e in log] == [(trust.head_a, at_ash.json["id"])]


def test_an_offline_drop_in_posted_three_times_exists_once(observation, trust, make_drop_in):
    headers = {**trust.headers(trust.coach), "Idempotency-Key": "phone-42-dropin-7"}
    answers = [observation.client.post("/v1/records", headers=headers, json=make_drop_in()) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.json["id"] for a in answers}) == 1 and answers[2].headers["Idempotent-Replayed"] == "true"
    assert _count(observation) == 1 and len(_events(observation, "observation.record.recorded")) == 1


def test_another_trusts_ids_do_not_exist(observation, trust, form, make_drop_in, other_trust):
    record_id = observation.client.post("/v1/records", headers=trust.headers(trust.coach), json=make_drop_in()).json["id"]
    stranger = other_trust.headers(other_trust.head_a)
    for path in (f"/v1/records/{record_id}", f"/v1/templates/{form['template_id']}"):
        assert observation.client.get(path, headers=stranger).status_code == 404
    foreign = observation.client.post("/v1/records", headers=other_trust.headers(other_trust.coach),
                                      json=make_drop_in(observee=other_trust.teacher))
    assert foreign.status_code == 404 and "template_version_id" in foreign.json["errors"]
    into_oak = observation.client.post("/v1/records", headers=other_trust.headers(other_trust.coach),
                                       json=make_drop_in(observee=trust.teacher))
    assert into_oak.status_code == 404 and "observee_id" in into_oak.json["errors"]


def test_observation_lists_do_not_leak_to_line_managers(observation, trust, make_drop_in):
    """Case 1: Maya manages Tom at Ash and holds no role. Bea's reportable record at Birch, where
    Maya has no role and manages nobody, is not hers to open, so it is not hers to list either."""
    client, maya = observation.client, trust.headers(trust.manager)
    toms = client.post("/v1/records", headers=trust.headers(trust.coach), json=make_drop_in())
    beas = client.post("/v1/records", headers=trust.headers(trust.head_b), json=make_drop_in(observee=trust.teacher_b))
    assert toms.status_code == beas.status_code == 201
    assert client.get(f"/v1/records/{beas.json['id']}", headers=maya).status_code == 404
    assert client.get(f"/v1/records/{toms.json['id']}", headers=maya).status_code == 200
    for query in ("", f"?observee_id={trust.teacher_b}", f"?school_id={trust.school_b}"):
        listed = {r["id"] for r in client.get(f"/v1/records{query}", headers=maya).json["items"]}
        assert beas.json["id"] not in listed, query
    assert {r["id"] for r in client.get("/v1/records", headers=maya).json["items"]} == {toms.json["id"]}


@pytest.mark.parametrize("tag", ['"²"', '"٣"', '"9' + "9" * 30 + '"', '""', 'W/"1.0"'])
def test_an_if_match_that_is_not_one_of_our_etags_is_a_400_naming_it(observation, trust, make_drop_in, tag):
    client, coach = observation.client, trust.headers(trust.coach)
    record_id = client.post("/v1/records", headers=coach, json=make_drop_in(share=False)).json["id"]
    response = client.patch(f"/v1/records/{record_id}", headers={**coach, "If-Match": tag},
                            json={"strengths": "x"})
    assert response.status_code == 400 and list(response.json["errors"]) == ["If-Match"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_an_answer_that_is_not_a_finite_number_is_refused_naming_it(observation, trust, make_drop_in, number):
    body = json.dumps({**make_drop_in(), "responses": {"questioning": 0}}).replace('"questioning": 0',
                                                                                   f'"questioning": {number}')
    response = observation.client.post("/v1/records", headers=trust.headers(trust.coach), data=body,
                                       content_type="application/json")
    assert response.status_code == 422
    assert response.json["errors"] == {"responses": {"questioning": ["must be a finite number (not NaN or Infinity)"]}}
    assert _count(observation) == 0


def test_the_observee_shares_by_a_colleagues_email_and_the_record_names_its_people(observation, trust, make_drop_in):
    """A teacher cannot list the directory, so they let a colleague (their coach) see a record by the
    colleague's work email; the record then names the people it concerns from the staff directory."""
    client = observation.client
    record_id = client.post("/v1/records", headers=trust.headers(trust.coach),
                            json=make_drop_in(privacy="developmental")).json["id"]
    with observation.runtime.engine.connect() as conn:
        email = conn.execute(select(dir_people.c.email).where(dir_people.c.person_id == trust.colleague)).scalar_one()
    unknown = client.post(f"/v1/records/{record_id}/shares", headers=trust.headers(trust.teacher),
                          json={"email": "nobody@elsewhere.example.org"})
    assert unknown.status_code == 422 and unknown.json["errors"]["email"] == ["no one in your trust has this email"]
    both = client.post(f"/v1/records/{record_id}/shares", headers=trust.headers(trust.teacher),
                       json={"email": email, "person_id": trust.colleague})
    assert both.status_code == 422 and "person_id" in both.json["errors"]
    shared = client.post(f"/v1/records/{record_id}/shares", headers=trust.headers(trust.teacher),
                         json={"email": email.upper()})
    assert shared.status_code == 200 and shared.json["shared_with"] == [trust.colleague]
    assert set(shared.json["names"]) == {trust.coach, trust.teacher, trust.colleague}
    assert shared.json["names"][trust.colleague].startswith("Cara ")
    seen_by_colleague = client.get(f"/v1/records/{record_id}", headers=trust.headers(trust.colleague)).json
    # the colleague reads the record, not whom else it is shared with
    assert seen_by_colleague["shared_with"] == [] and set(seen_by_colleague["names"]) == {trust.coach, trust.teacher}
