"""Every id a request takes, found in portfolio's OpenAPI document by its declared kind, is refused
as another trust's or an unknown id, naming the field and writing nothing
(``canopy_kit.testing.tenancy``). A new operation taking ids fails here until it has an example."""
import io
import uuid
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from canopy_kit.testing.tenancy import Call, document_problems, foreign_id, probe_operation, snapshot
from portfolio import storage

SOON = (date.today() + timedelta(days=14)).isoformat()  # a request asks before the activity
REQUEST = {"title": "Subject network", "activity_type": "course", "provider": "Hub", "starts_on": SOON,
           "ends_on": SOON, "hours": 3, "cost": 80, "cover_needed": True, "reason": "Curriculum"}


@pytest.fixture
def world(portfolio, new_activity):
    """Pia with an activity and a pending CPD request at Birch; a course session Pia and Vic booked;
    the other trust's Sam with an activity and a request of his own."""
    p = portfolio

    def created(response):
        assert response.status_code == 201, response.json
        return response.json["id"]

    created(p.post(p.stranger, f"/v1/people/{p.stranger}/activities", new_activity()))
    created(p.post(p.stranger, "/v1/cpd-requests", REQUEST))
    activity = created(p.post(p.pia, f"/v1/people/{p.pia}/activities", new_activity()))
    request = created(p.post(p.pia, "/v1/cpd-requests", {**REQUEST, "school_id": p.birch}))
    created(p.post(p.lead, "/v1/programme/courses", {
        "title": "Coaching", "hours": 3, "sessions": [{"held_on": "2026-02-02", "location": "Hub", "places": 5}]}))
    session = p.get(p.lead, "/v1/programme/courses").json["items"][0]["sessions"][0]["id"]
    for person in (p.pia, p.vic):
        created(p.post(person, f"/v1/programme/sessions/{session}/bookings"))
    return SimpleNamespace(p=p, activity=activity, request=request, session=session, new_activity=new_activity)


EXAMPLES = {
    "POST /v1/people/{person_id}/activities": lambda w: [
        Call(w.p.as_(w.p.pia), f"/v1/people/{w.p.pia}/activities", w.new_activity(school_id=w.p.ash))],
    "POST /v1/activities/assignments": lambda w: [
        Call(w.p.as_(w.p.lead), "/v1/activities/assignments",
             {**w.new_activity(school_id=w.p.ash), "person_ids": [w.p.vic]})],
    "POST /v1/people/{person_id}/evidence": lambda w: [Call(w.p.as_(w.p.pia), f"/v1/people/{w.p.pia}/evidence", {
        "title": "Notes", "url": "https://example.org/notes", "activity_id": w.activity})],
    "POST /v1/cpd-requests": lambda w: [
        Call(w.p.as_(w.p.pia), "/v1/cpd-requests", {**REQUEST, "school_id": w.p.birch})],
    "POST /v1/cpd-requests/decisions": lambda w: [Call(w.p.as_(w.p.hal), "/v1/cpd-requests/decisions", {
        "decisions": [{"request_id": w.request, "decision": "approved"}]})],
    "POST /v1/programme/sessions/{session_id}/attendance": lambda w: [
        Call(w.p.as_(w.p.lead), f"/v1/programme/sessions/{w.session}/attendance",
             {"attended": [w.p.pia], "absent": [w.p.vic]})],
}


def test_every_id_a_request_takes_declares_its_kind_and_is_probed(portfolio):
    assert document_problems(portfolio.client, portfolio.runtime, EXAMPLES) == []


@pytest.mark.parametrize("operation", sorted(EXAMPLES))
def test_another_trusts_or_an_unknown_id_is_refused_and_writes_nothing(portfolio, world, operation):
    assert probe_operation(portfolio.client, portfolio.runtime, operation, EXAMPLES[operation](world)) == []


def test_an_evidence_file_checks_its_activity_like_a_link(portfolio, world):
    """The multipart form is not probed by the generated test (it sends JSON): the same field, sent
    as a form field, is refused the same way before the file is stored."""
    p = portfolio
    store = storage.evidence_store(p.runtime.settings).root
    before = snapshot(p.runtime)
    for activity_id in (foreign_id(p.runtime, "activity", p.trust_id), str(uuid.uuid4())):
        sent = p.client.post(f"/v1/people/{p.pia}/evidence", headers=p.as_(p.pia), content_type="multipart/form-data",
                             data={"title": "Plan", "activity_id": activity_id,
                                   "file": (io.BytesIO(b"%PDF-1.4 plan"), "plan.pdf")})
        assert sent.status_code == 404 and "activity_id" in sent.json["errors"], sent.json
    assert snapshot(p.runtime) == before and not (store.exists() and any(f.is_file() for f in store.rglob("*")))
