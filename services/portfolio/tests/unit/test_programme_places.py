"""Places taken on the programme's sessions are counted from the session's own trust's bookings,
cancelled ones left out, for every course of a page at once."""
import uuid
from datetime import date, datetime, timedelta, timezone

from portfolio.tables import bookings

SOON = (date.today() + timedelta(days=14)).isoformat()
LATER = (date.today() + timedelta(days=28)).isoformat()


def _course(p, who, title, *days):
    made = p.post(who, "/v1/programme/courses", {"title": title, "hours": 3, "sessions": [
        {"held_on": day, "location": "Hub", "places": 5} for day in days]})
    assert made.status_code == 201, made.json
    return p.get(who, f"/v1/programme/courses/{made.json['id']}").json


def _book(p, who, session):
    booked = p.post(who, f"/v1/programme/sessions/{session['id']}/bookings")
    assert booked.status_code == 201, booked.json
    return booked.json["id"]


def test_each_sessions_places_taken_are_its_own_trusts_bookings_only(portfolio):
    p = portfolio
    elm_leader = p.other_trust.person("Tess", role="trust_leader")
    coaching = _course(p, p.lead, "Coaching", SOON, LATER)
    literacy = _course(p, p.lead, "Literacy", SOON)
    elm = _course(p, elm_leader, "Elm coaching", SOON)
    first, second = coaching["sessions"]
    for who in (p.pia, p.vic, p.bo):
        _book(p, who, first)
    assert p.post(p.bo, f"/v1/programme/bookings/{_book(p, p.hal, second)}/cancel").status_code == 403
    assert p.post(p.hal, f"/v1/programme/bookings/{_book(p, p.cleo, literacy['sessions'][0])}/cancel"
                  ).status_code == 403
    cancelled = _book(p, p.lead, literacy["sessions"][0])
    assert p.post(p.lead, f"/v1/programme/bookings/{cancelled}/cancel").status_code == 204
    _book(p, p.stranger, elm["sessions"][0])
    # A row of another trust naming Oak's session (nothing writes one; the count must not trust that).
    with p.runtime.engine.begin() as conn:
        conn.execute(bookings.insert().values(id=str(uuid.uuid4()), trust_id=p.other_trust.trust_id,
                                              session_id=first["id"], person_id=p.stranger, status="booked",
                                              booked_at=datetime.now(timezone.utc)))

    listed = {c["title"]: [s["booked"] for s in c["sessions"]]
              for c in p.get(p.vic, "/v1/programme/courses").json["items"]}
    assert listed == {"Coaching": [3, 1], "Literacy": [1]}
    assert [s["booked"] for s in p.get(p.vic, f"/v1/programme/courses/{coaching['id']}").json["sessions"]] == [3, 1]
    assert [s["booked"] for s in p.get(elm_leader, "/v1/programme/courses").json["items"][0]["sessions"]] == [1]
