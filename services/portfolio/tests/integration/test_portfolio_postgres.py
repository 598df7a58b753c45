"""Portfolio on PostgreSQL: two CPD leads deciding one request at once."""
import threading

import pytest

pytestmark = pytest.mark.integration

REQUEST = {"title": "Conference", "activity_type": "conference", "starts_on": "2025-10-14", "ends_on": "2025-10-14",
           "hours": "6", "cost": "90", "cover_needed": True, "reason": "Subject knowledge"}


def test_two_deciders_at_once_one_wins_the_other_gets_409(portfolio_pg):
    p = portfolio_pg
    second_head = p.directory.person("Hetty", p.birch, roles=("cpd_lead",))
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
