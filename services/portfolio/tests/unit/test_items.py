"""A CPD request and a course open by id for exactly whom their lists show them to (the generated
list check holds this for every kind of caller; these are the cases by name)."""
from datetime import date, timedelta

SOON = (date.today() + timedelta(days=14)).isoformat()


def test_a_cpd_request_opens_for_its_requester_and_its_schools_deciders_only(portfolio):
    p = portfolio
    made = p.post(p.pia, "/v1/cpd-requests", {
        "title": "NPQ Leading Literacy", "activity_type": "qualification", "provider": "Institute", "starts_on": SOON,
        "ends_on": SOON, "hours": 12, "cost": 150, "cover_needed": True, "reason": "Our literacy priority"})
    assert made.status_code == 201, made.json
    path = f"/v1/cpd-requests/{made.json['id']}"
    [listed] = p.get(p.pia, "/v1/cpd-requests").json["items"]
    for who in (p.pia, p.hal):  # the requester; Birch's head decides Birch's requests
        reply = p.get(who, path)
        assert reply.status_code == 200 and reply.json == listed
    for who in (p.cleo, p.bo, p.lead):  # Ash's CPD lead, a colleague, a trust leader: not theirs to see
        assert p.get(who, path).status_code == 403
    assert p.get(p.stranger, path).status_code == 404  # another trust's CPD lead: it does not exist


def test_a_course_opens_for_the_whole_trust(portfolio):
    p = portfolio
    course = p.post(p.lead, "/v1/programme/courses", {"title": "Coaching", "hours": 3, "sessions": [
        {"held_on": SOON, "location": "Ash hall", "places": 2}]})
    assert course.status_code == 201, course.json
    [listed] = p.get(p.vic, "/v1/programme/courses").json["items"]
    for who in (p.vic, p.pia, p.lead, p.hal):
        reply = p.get(who, f"/v1/programme/courses/{course.json['id']}")
        assert reply.status_code == 200 and reply.json == listed
    assert p.get(p.stranger, f"/v1/programme/courses/{course.json['id']}").status_code == 404
