"""The portfolio: request, approval, activity, evaluation and follow-up; who sees what after a
move; the programme; evidence; export; bad input."""
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from canopy_kit.testing import outbox_events
from portfolio.tables import activities, cpd_requests, evidence


def _count(service, table):
    with service.runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def _types(service):
    return [e.event_type for e in outbox_events(service.runtime)]


SOON = (date.today() + timedelta(days=14)).isoformat()  # a request asks before the activity
REQUEST = {"title": "NPQ Leading Literacy", "activity_type": "qualification", "provider": "Institute",
           "starts_on": SOON, "ends_on": SOON, "hours": 12, "cost": 150,
           "cover_needed": True, "reason": "Our literacy priority"}


def test_request_approval_activity_evaluation_and_follow_up(portfolio):
    p = portfolio
    request_id = p.post(p.pia, "/v1/cpd-requests", REQUEST).json["id"]
    pending = p.get(p.hal, "/v1/cpd-requests?status=pending").json["items"]
    assert [r["id"] for r in pending] == [request_id] and pending[0]["cost"] == 150.0
    assert p.get(p.cleo, "/v1/cpd-requests").json["items"] == []  # Ash's lead does not decide Birch's
    decided = p.post(p.hal, "/v1/cpd-requests/decisions",
                     {"decisions": [{"request_id": request_id, "decision": "approved", "comment": "Yes"}]})
    assert decided.status_code == 200, decided.json
    activity_id = decided.json[0]["activity_id"]
    mine = p.get(p.pia, "/v1/cpd-requests").json["items"][0]
    assert (mine["status"], mine["activity_id"]) == ("approved", activity_id)
    record = p.get(p.pia, f"/v1/activities/{activity_id}").json
    assert (record["source"], record["cost"], record["school_id"]) == ("request", 150.0, p.birch)
    assert p.get(p.pia, "/v1/me/evaluations/due").json["items"] == []  # the course is yet to come
    p.days_pass(14 + 7 * 6)  # the course, then the six weeks to its follow-up
    due = p.get(p.pia, "/v1/me/evaluations/due").json["items"]
    assert [(e["activity_id"], e["stage"]) for e in due] == [(activity_id, "immediate"), (activity_id, "follow_up")]
    immediate, follow_up = due[0]["id"], due[1]["id"]
    missing = p.post(p.pia, f"/v1/evaluations/{immediate}", {"reaction": 5})
    assert missing.status_code == 422 and "learning" in missing.json["errors"]
    assert p.post(p.pia, f"/v1/evaluations/{immediate}", {"reaction": 5, "learning": 4}).status_code == 204
    assert p.post(p.pia, f"/v1/evaluations/{follow_up}", {"use_in_practice": 4, "pupil_outcomes": 3}).status_code == 204
    assert p.post(p.pia, f"/v1/evaluations/{follow_up}", {"use_in_practice": 4}).status_code == 409
    assert p.post(p.hal, f"/v1/evaluations/{immediate}", {"reaction": 1, "learning": 1}).status_code == 403
    assert p.get(p.pia, "/v1/me/evaluations/due").json["items"] == []
    assert _types(p) == ["portfolio.cpd_request.submitted", "portfolio.cpd.recorded", "portfolio.cpd_request.decided",
                         "portfolio.evaluation.submitted", "portfolio.evaluation.submitted"]


def test_a_request_that_could_never_be_approved_is_refused_when_made(portfolio):
    p = portfolio
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    past = p.post(p.pia, "/v1/cpd-requests", {**REQUEST, "starts_on": yesterday})
    assert past.status_code == 422 and past.json["errors"] == {
        "starts_on": ["must not be in the past: a request is made before the activity"]}
    elsewhere = p.post(p.pia, "/v1/cpd-requests", {**REQUEST, "school_id": p.ash})  # she has left Ash
    assert elsewhere.status_code == 422 and list(elsewhere.json["errors"]) == ["school_id"]
    assert _count(p, cpd_requests) == 0 and _types(p) == []
    today = p.post(p.pia, "/v1/cpd-requests", {**REQUEST, "starts_on": date.today().isoformat()})
    assert today.status_code == 201
    approved = p.post(p.hal, "/v1/cpd-requests/decisions",
                      {"decisions": [{"request_id": today.json["id"], "decision": "approved"}]})
    assert approved.status_code == 200 and approved.json[0]["activity_id"]


def test_own_request_repeat_decision_and_all_or_nothing_bulk(portfolio):
    p = portfolio
    own = p.post(p.hal, "/v1/cpd-requests", REQUEST).json["id"]
    refused = p.post(p.hal, "/v1/cpd-requests/decisions", {"decisions": [{"request_id": own, "decision": "approved"}]})
    assert refused.status_code == 403 and "own request" in refused.json["message"]
    first = p.post(p.pia, "/v1/cpd-requests", REQUEST).json["id"]
    second = p.post(p.bo, "/v1/cpd-requests", REQUEST).json["id"]
    assert p.post(p.hal, "/v1/cpd-requests/decisions",
                  {"decisions": [{"request_id": first, "decision": "declined"}]}).status_code == 200
    both = p.post(p.hal, "/v1/cpd-requests/decisions", {"decisions": [
        {"request_id": second, "decision": "approved"}, {"request_id": first, "decision": "approved"}]})
    assert both.status_code == 409 and both.json["errors"] == {"request_id": [first]}
    with p.runtime.engine.connect() as conn:
        status = conn.execute(select(cpd_requests.c.status).where(cpd_requests.c.id == second)).scalar()
    assert status == "pending" and _count(p, activities) == 0  # nothing of the bulk decision was applied
    assert p.post(p.vic, "/v1/cpd-requests/decisions",
                  {"decisions": [{"request_id": second, "decision": "approved"}]}).status_code == 403


def test_after_a_move_each_school_sees_only_its_own_time(portfolio, new_activity):
    p = portfolio
    at_ash = p.post(p.pia, f"/v1/people/{p.pia}/activities", new_activity(starts_on="2025-03-10",
                                                                          ends_on="2025-03-10")).json["id"]
    at_birch = p.post(p.pia, f"/v1/people/{p.pia}/activities", new_activity(starts_on="2025-10-01",
                                                                            ends_on="2025-10-01")).json["id"]

    def seen(who):
        response = p.get(who, f"/v1/people/{p.pia}/activities")
        return response.status_code, {a["id"] for a in response.json.get("items", [])}

    assert seen(p.pia) == (200, {at_ash, at_birch})  # the whole portfolio moved with her
    assert seen(p.cleo) == (200, {at_ash})  # the school she left keeps its time, nothing after
    assert seen(p.hal) == (200, {at_birch})
    assert seen(p.bo) == (200, {at_birch})  # her line manager at Birch
    assert seen(p.vic)[0] == 403
    assert seen(p.lead)[0] == 403  # trust-wide roles read reports, not individual portfolios
    assert seen(p.stranger)[0] == 404
    assert p.get(p.cleo, f"/v1/activities/{at_birch}").status_code == 403
    assert p.get(p.stranger, f"/v1/activities/{at_ash}").status_code == 404
    assert p.post(p.cleo, f"/v1/people/{p.pia}/activities", new_activity()).status_code == 403


@pytest.mark.parametrize("change, field", [
    ({"hours": -1}, "hours"), ({"cost": -5}, "cost"), ({"ends_on": "2025-03-01"}, "ends_on"),
    ({"linked_standards": ["TS99"]}, "linked_standards"), ({"activity_type": "party"}, "activity_type"),
    ({"title": "x" * 201}, "title"), ({"school_id": "birch"}, "school_id"),  # the trust's, not hers then
    ({"hours": "6"}, "hours"), ({"cost": "120.50"}, "cost"),  # decimals are numbers, never strings (ADR 0006)
])
def test_bad_activities_are_refused_with_the_field(portfolio, new_activity, change, field):
    if "school_id" in change:
        change = {"school_id": getattr(portfolio, change["school_id"])}
    response = portfolio.post(portfolio.pia, f"/v1/people/{portfolio.pia}/activities", new_activity(**change))
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert _count(portfolio, activities) == 0 and outbox_events(portfolio.runtime) == []


def test_an_offline_activity_posted_three_times_is_recorded_once(portfolio, new_activity):
    headers = {"Idempotency-Key": "phone-123"}
    answers = [portfolio.post(portfolio.pia, f"/v1/people/{portfolio.pia}/activities", new_activity(),
                              headers=headers) for _ in range(3)]
    assert {a.status_code for a in answers} == {201} and len({a.json["id"] for a in answers}) == 1
    assert _count(portfolio, activities) == 1


def test_programme_booking_places_and_attendance(portfolio):
    p = portfolio
    course = p.post(p.lead, "/v1/programme/courses", {"title": "Coaching for middle leaders", "hours": 3,
                                                      "linked_standards": ["TS8d"], "sessions": [
                                                          {"held_on": "2025-11-05", "location": "Hub", "places": 1}]})
    assert course.status_code == 201
    assert p.post(p.vic, "/v1/programme/courses", {"title": "Mine", "hours": 1}).status_code == 403
    [listed] = p.get(p.vic, "/v1/programme/courses").json["items"]
    session_id = listed["sessions"][0]["id"]
    assert p.post(p.pia, f"/v1/programme/sessions/{session_id}/bookings").status_code == 201
    assert p.post(p.pia, f"/v1/programme/sessions/{session_id}/bookings").status_code == 409  # already booked
    full = p.post(p.vic, f"/v1/programme/sessions/{session_id}/bookings")
    assert full.status_code == 409 and "full" in full.json["message"]
    assert p.get(p.vic, "/v1/programme/courses").json["items"][0]["sessions"][0]["booked"] == 1
    marked = p.post(p.lead, f"/v1/programme/sessions/{session_id}/attendance", {"attended": [p.pia]})
    assert marked.status_code == 200
    [activity_id] = marked.json["ids"]
    record = p.get(p.pia, f"/v1/activities/{activity_id}").json
    assert (record["source"], record["starts_on"], record["linked_standards"]) == ("programme", "2025-11-05", ["TS8d"])
    stranger = p.post(p.lead, f"/v1/programme/sessions/{session_id}/attendance", {"attended": [p.vic]})
    assert stranger.status_code == 422
    assert {"portfolio.course.published", "portfolio.programme.booked", "portfolio.programme.attended"} <= set(_types(p))


def test_bookings_listed_for_the_booker_and_for_the_cpd_team(portfolio):
    p = portfolio
    p.post(p.lead, "/v1/programme/courses", {"title": "Coaching", "hours": 3, "sessions": [
        {"held_on": "2027-01-11", "location": "Hub", "places": 5}, {"held_on": "2026-12-07", "location": "Hub", "places": 5}]})
    later, sooner = [s["id"] for s in p.get(p.vic, "/v1/programme/courses").json["items"][0]["sessions"]][::-1]
    for session_id in (later, sooner):
        assert p.post(p.pia, f"/v1/programme/sessions/{session_id}/bookings").status_code == 201
    cancelled = p.post(p.vic, f"/v1/programme/sessions/{sooner}/bookings").json["id"]
    assert p.post(p.vic, f"/v1/programme/bookings/{cancelled}/cancel").status_code == 204
    mine = p.get(p.pia, "/v1/programme/bookings").json
    assert [(b["session_id"], b["held_on"], b["status"]) for b in mine["items"]] == [
        (sooner, "2026-12-07", "booked"), (later, "2027-01-11", "booked")]
    assert [b["status"] for b in p.get(p.vic, "/v1/programme/bookings").json["items"]] == ["cancelled"]
    booked = p.get(p.lead, f"/v1/programme/sessions/{sooner}/bookings").json["items"]
    assert {(b["person_id"], b["status"]) for b in booked} == {(p.pia, "booked"), (p.vic, "cancelled")}
    assert p.get(p.vic, f"/v1/programme/sessions/{sooner}/bookings").status_code == 403
    assert p.get(p.lead, "/v1/programme/sessions/00000000-0000-4000-8000-000000000000/bookings").status_code == 404


def test_a_request_says_when_it_was_asked(portfolio):
    asked = portfolio.post(portfolio.pia, "/v1/cpd-requests", REQUEST).json["id"]
    [listed] = portfolio.get(portfolio.pia, "/v1/cpd-requests").json["items"]
    assert listed["id"] == asked and listed["created_at"].endswith("+00:00")


def test_assign_to_many(portfolio, new_activity):
    p = portfolio
    inset = new_activity(title="INSET: adaptive teaching", activity_type="inset", delivery="internal", cost=0)
    # The assignments route takes only POST; an activity id is a UUID, so it never reads "assignments" as one.
    assert p.get(p.cleo, "/v1/activities/assignments").status_code == 405
    assert p.patch(p.cleo, "/v1/activities/assignments", {"hours": 1}).status_code == 405
    refused = p.post(p.cleo, "/v1/activities/assignments", {**inset, "person_ids": [p.vic, p.hal]})
    assert refused.status_code == 403 and refused.json["errors"] == {"person_ids": [p.hal]}
    done = p.post(p.cleo, "/v1/activities/assignments", {**inset, "person_ids": [p.vic, p.cleo]})
    assert done.status_code == 201 and len(done.json["ids"]) == 2
    everyone = p.post(p.lead, "/v1/activities/assignments", {**inset, "person_ids": [p.vic, p.hal, p.bo]})
    assert everyone.status_code == 201
    sources = {a["source"] for a in p.get(p.vic, f"/v1/people/{p.vic}/activities").json["items"]}
    assert sources == {"assigned"}


def test_a_flood_fill_or_a_course_sent_twice_with_one_key_is_made_once(portfolio, new_activity):
    p = portfolio
    inset = {**new_activity(title="INSET: retrieval", activity_type="inset", delivery="internal", cost=0),
             "person_ids": [p.vic, p.hal]}
    course = {"title": "Coaching", "hours": 3, "sessions": [{"held_on": "2027-01-11", "location": "Hub", "places": 5}]}
    for path, body, key in (("/v1/activities/assignments", inset, "ids"), ("/v1/programme/courses", course, "id")):
        answers = [p.post(p.lead, path, body, headers={"Idempotency-Key": f"form-{key}"}) for _ in range(2)]
        assert [a.status_code for a in answers] == [201, 201] and answers[0].json[key] == answers[1].json[key]
    assert _count(portfolio, activities) == 2
    assert p.get(p.vic, "/v1/programme/courses").json["total"] == 1


def test_evidence_links_files_and_their_checks(portfolio):
    p = portfolio
    link = p.post(p.pia, f"/v1/people/{p.pia}/evidence", {"title": "Blog post", "url": "https://example.org/post",
                                                         "linked_standards": ["TS8d"]})
    assert link.status_code == 201
    pdf = b"%PDF-1.4 a lesson plan"
    upload = p.client.post(f"/v1/people/{p.pia}/evidence", headers=p.as_(p.pia), content_type="multipart/form-data",
                           data={"title": "Lesson plan", "linked_standards": "TS4",
                                 "file": (io.BytesIO(pdf), "plan.pdf")})
    assert upload.status_code == 201, upload.json
    content = p.get(p.pia, f"/v1/evidence/{upload.json['id']}/content")
    assert content.data == pdf and content.mimetype == "application/pdf"
    assert p.get(p.cleo, f"/v1/evidence/{upload.json['id']}/content").status_code == 403  # added after she left
    for name, data, status in (("virus.exe", b"MZ", 415), ("fake.pdf", b"MZ not a pdf", 415),
                               ("huge.pdf", b"%PDF" + b"0" * (11 * 1024 * 1024), 413)):
        bad = p.client.post(f"/v1/people/{p.pia}/evidence", headers=p.as_(p.pia), content_type="multipart/form-data",
                            data={"title": "x", "file": (io.BytesIO(data), name)})
        assert bad.status_code == status and bad.json["errors"], (name, bad.json)
    not_mine = p.post(p.cleo, f"/v1/people/{p.pia}/evidence", {"title": "x", "url": "https://example.org"})
    assert not_mine.status_code == 403
    assert _count(p, evidence) == 2


def test_export_json_and_html(portfolio, new_activity):
    p = portfolio
    p.post(p.pia, f"/v1/people/{p.pia}/activities", new_activity(title="Phonics <refresher>", reflection="Useful"))
    data = p.get(p.pia, f"/v1/people/{p.pia}/portfolio/export").json
    assert [a["title"] for a in data["activities"]] == ["Phonics <refresher>"] and len(data["evaluations"]) == 2
    page = p.get(p.pia, f"/v1/people/{p.pia}/portfolio/export?format=html")
    assert page.mimetype == "text/html" and "Phonics &lt;refresher&gt;" in page.get_data(as_text=True)
    assert p.get(p.hal, f"/v1/people/{p.pia}/portfolio/export").status_code == 403


def test_update_own_activity_emits_the_new_state(portfolio, new_activity):
    p = portfolio
    activity_id = p.post(p.pia, f"/v1/people/{p.pia}/activities", new_activity()).json["id"]
    changed = p.patch(p.pia, f"/v1/activities/{activity_id}", {"hours": 7.5, "reflection": "Tried it in Y4"})
    assert changed.status_code == 200 and changed.json["hours"] == 7.5
    assert p.patch(p.hal, f"/v1/activities/{activity_id}", {"hours": 1}).status_code == 403
    assert p.patch(p.pia, f"/v1/activities/{activity_id}", {"ends_on": "2020-01-01"}).status_code == 422
    last = outbox_events(p.runtime)[-1]
    assert last.event_type == "portfolio.cpd.updated" and last.payload["hours"] == "7.50"


def test_openapi_documents_every_operation(portfolio):
    spec = portfolio.client.get("/openapi.json").json
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            codes = set(operation["responses"])
            assert any(c.startswith("2") for c in codes) and "default" in codes, (method, path)
            assert operation.get("security") == [{"bearerAuth": []}], (method, path)


def test_follow_up_weeks_are_configurable(portfolio, new_activity):
    p = portfolio
    p.runtime.settings = p.runtime.settings.with_overrides(follow_up_weeks=2)
    activity_id = p.post(p.pia, f"/v1/people/{p.pia}/activities", new_activity(ends_on="2025-03-10")).json["id"]
    due = {e["stage"]: e["due_on"] for e in p.get(p.pia, "/v1/me/evaluations/due").json["items"]
           if e["activity_id"] == activity_id}
    assert due == {"immediate": "2025-03-10", "follow_up": "2025-03-24"}


def test_reads_by_others_are_in_the_persons_access_log(portfolio, new_activity):
    p = portfolio
    activity_id = p.post(p.pia, f"/v1/people/{p.pia}/activities", new_activity(starts_on="2025-10-01",
                                                                              ends_on="2025-10-01")).json["id"]
    p.get(p.pia, f"/v1/activities/{activity_id}")  # her own read is not logged
    p.get(p.hal, f"/v1/activities/{activity_id}")
    p.get(p.bo, f"/v1/people/{p.pia}/activities")
    log = p.get(p.pia, "/v1/me/access-log").json["items"]
    assert [(e["reader_id"], e["record_type"], e["record_id"]) for e in log] == [
        (p.bo, "portfolio.activity", activity_id), (p.hal, "portfolio.activity", activity_id)]
    assert [e["reader_name"] for e in log] == ["Bo Khan", "Hal Khan"]  # named from the staff directory
    assert p.get(p.hal, "/v1/me/access-log").json["items"] == []
