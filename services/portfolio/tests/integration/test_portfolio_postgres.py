"""Portfolio on PostgreSQL: two CPD leads deciding one request at once."""
import threading
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.integration

SOON = (date.today() + timedelta(days=14)).isoformat()  # a request asks before the activity
REQUEST = {"title": "Conference", "activity_type": "conference", "starts_on": SOON, "ends_on": SOON,
           "hours": 6, "cost": 90, "cover_needed": True, "reason": "Subject knowledge"}


def test_two_deciders_at_once_one_wins_the_other_gets_409(portfolio_pg):
    p = portfolio_pg
    second_head = p.person("Hetty", p.birch, role="cpd_lead")
    p.publish()  # into the directory before the two threads ask for tokens
    request_id = p.post(p.pia, "/v1/cpd-requests", REQUEST).json["id"]
    results, barrier = [], threading.Barrier(2)

    def decide(who, decision):
        client = p.client.application.test_client()
        barrier.wait()
        response = client.post("/v1/cpd-requests/decisions", headers=p.as_(who),
                               json={"decisions": [{"request_id": request_id, "decision": decision}]})
        results.append(response.status_code)

    threads = [threading.Thread(target=decide, args=args) for args in ((p.hal, "approved"), (second_head, "declined"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [200, 409]
    [mine] = p.get(p.pia, "/v1/cpd-requests").json["items"]
    assert mine["status"] in ("approved", "declined")
    assert (mine["activity_id"] is not None) == (mine["status"] == "approved")


def test_whole_flow_on_postgres(portfolio_pg):
    p = portfolio_pg
    request_id = p.post(p.pia, "/v1/cpd-requests", REQUEST).json["id"]
    [decided] = p.post(p.hal, "/v1/cpd-requests/decisions",
                       {"decisions": [{"request_id": request_id, "decision": "approved"}]}).json
    p.days_pass(14 + 7 * 6)  # the conference, then the six weeks to its follow-up
    due = p.get(p.pia, "/v1/me/evaluations/due").json["items"]
    assert [e["activity_id"] for e in due] == [decided["activity_id"]] * 2
    for evaluation, answers in zip(due, ({"reaction": 4, "learning": 4}, {"use_in_practice": 3})):
        assert p.post(p.pia, f"/v1/evaluations/{evaluation['id']}", answers).status_code == 204
    export = p.get(p.pia, f"/v1/people/{p.pia}/portfolio/export").json
    assert [a["source"] for a in export["activities"]] == ["request"]
    assert all(e["submitted_at"] for e in export["evaluations"])
