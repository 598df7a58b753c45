"""The 'done when' of identity: one person across schools, and who may read whom."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from canopy_kit.auth.permissions import MATRIX
from canopy_kit.testing import outbox_events
from identity.tables import people


def _get(trust, who, path):
    return trust.service.client.get(path, headers=trust.headers(who))


def _post(trust, who, path, body=None):
    return trust.service.client.post(path, json=body or {}, headers=trust.headers(who))


def _types(identity, since=0):
    return [e.event_type for e in outbox_events(identity.runtime)[since:]]


def test_transfer_keeps_one_person_and_their_whole_history(identity, trust):
    person = _get(trust, trust.admin, f"/v1/people/{trust.teacher}").json
    [employment] = person["employments"]
    before = len(outbox_events(identity.runtime))
    moved = _post(trust, trust.admin, f"/v1/people/{trust.teacher}/transfers", {
        "from_employment_id": employment["id"], "to_school_id": trust.school_b, "effective_on": "2025-09-01"})
    assert moved.status_code == 201, moved.json
    after = _get(trust, trust.admin, f"/v1/people/{trust.teacher}").json
    assert after["id"] == trust.teacher
    assert [(e["school_id"], e["starts_on"], e["ends_on"]) for e in after["employments"]] == [
        (trust.school_a, "2024-09-01", "2025-08-31"), (trust.school_b, "2025-09-01", None)]
    # Line management at the school they left ended with the employment; the history stays.
    assert [(m["manager_id"], m["ends_on"]) for m in after["line_managers"]] == [(trust.manager, "2025-08-31")]
    assert _types(identity, before) == ["identity.employment.ended", "identity.line_manager.ended",
                                        "identity.employment.started", "identity.person.transferred"]
    # The new school's head now sees them; the old school's head no longer does.
    assert _get(trust, trust.head_b, f"/v1/people/{trust.teacher}").status_code == 200
    assert _get(trust, trust.head_a, f"/v1/people/{trust.teacher}").status_code == 403


def test_line_manager_reads_their_appraisee_but_not_a_colleagues(trust):
    assert _get(trust, trust.manager, f"/v1/people/{trust.teacher}").status_code == 200
    assert _get(trust, trust.manager, f"/v1/people/{trust.colleague}").status_code == 403
    listed = {p["id"] for p in _get(trust, trust.manager, "/v1/people").json["items"]}
    assert listed == {trust.manager, trust.teacher}
    appraisees = _get(trust, trust.manager, "/v1/me/appraisees").json["items"]
    assert [p["id"] for p in appraisees] == [trust.teacher]


def test_headteacher_of_one_school_cannot_read_anothers_staff(trust):
    assert _get(trust, trust.head_a, f"/v1/people/{trust.teacher}").status_code == 200
    refused = _get(trust, trust.head_a, f"/v1/people/{trust.teacher_b}")
    assert refused.status_code == 403 and refused.json["code"] == "forbidden"
    seen = {p["id"] for p in _get(trust, trust.head_a, "/v1/people?page_size=200").json["items"]}
    assert trust.teacher in seen and trust.teacher_b not in seen and trust.head_b not in seen
    filtered = _get(trust, trust.head_a, f"/v1/people?school_id={trust.school_b}").json
    assert filtered["items"] == []


def test_another_trust_is_unreachable_whatever_the_ids(identity, trust):
    other = type(trust)(identity, slug="elm")
    for path in (f"/v1/people/{trust.teacher}", f"/v1/people/{trust.admin}"):
        response = _get(other, other.leader, path)
        assert response.status_code == 404 and response.json["code"] == "not_found"
    everyone = {p["id"] for p in _get(other, other.admin, "/v1/people?page_size=200").json["items"]}
    assert trust.teacher not in everyone and other.teacher in everyone
    assert _post(other, other.admin, f"/v1/people/{trust.teacher}/disable").status_code == 404
    grant = _post(other, other.admin, "/v1/role-grants", {"person_id": trust.teacher, "role": "coach",
                                                            "scope_type": "school", "scope_id": other.school_a})
    assert grant.status_code == 404
    schools = _get(other, other.admin, "/v1/schools").json["items"]
    assert {s["id"] for s in schools} == {other.school_a, other.school_b}


def test_trust_leader_sees_everyone_in_their_trust(trust):
    page = _get(trust, trust.leader, "/v1/people?page_size=200").json
    assert page["total"] == 9
    assert _get(trust, trust.leader, f"/v1/people/{trust.teacher_b}").status_code == 200


def test_directory_search_and_filters(trust):
    found = _get(trust, trust.admin, "/v1/people?q=TOM").json["items"]
    assert [p["id"] for p in found] == [trust.teacher]
    heads = _get(trust, trust.admin, "/v1/people?role=headteacher").json["items"]
    assert {p["id"] for p in heads} == {trust.head_a, trust.head_b}
    assert _get(trust, trust.admin, "/v1/people?role=wizard").status_code == 422
    leaders = _get(trust, trust.admin, "/v1/people?staff_category=leadership").json["items"]
    assert {p["id"] for p in leaders} == {trust.head_a, trust.head_b}
    at_ash = _get(trust, trust.admin, f"/v1/people?staff_category=leadership&school_id={trust.school_a}").json
    assert [p["id"] for p in at_ash["items"]] == [trust.head_a]
    assert _get(trust, trust.admin, "/v1/people?staff_category=wizard").status_code == 422


def test_leaver_keeps_history_and_loses_access(identity, trust):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = _post(trust, trust.admin, f"/v1/people/{trust.manager}/leave", {"last_day": yesterday})
    assert response.status_code == 204, response.json
    record = _get(trust, trust.admin, f"/v1/people/{trust.manager}").json
    assert record["status"] == "disabled"
    assert record["employments"][0]["ends_on"] == yesterday  # ended, not deleted
    assert all(m["ends_on"] for m in _get(trust, trust.admin, f"/v1/people/{trust.teacher}").json["line_managers"])
    types = set(_types(identity))
    assert {"identity.employment.ended", "identity.account.disabled", "identity.line_manager.ended"} <= types
    future = _post(trust, trust.admin, f"/v1/people/{trust.teacher}/leave",
                   {"last_day": (date.today() + timedelta(days=30)).isoformat()})
    assert future.status_code == 422 and "last_day" in future.json["errors"]


def test_disabling_an_account_ends_its_sessions(identity, trust):
    pair = identity.client.post("/v1/auth/login", json={"email": "admin@oak.example.org",
                                                        "password": identity.password}).json
    # Another trust admin disables the first admin.
    from identity import commands

    with identity.runtime.uow_factory() as uow:
        commands.grant_role(uow, trust_id=trust.trust_id, person_id=trust.leader, role="trust_admin",
                            scope_type="trust", scope_id=trust.trust_id, valid_from=date.today())
        uow.commit()
    assert _post(trust, trust.leader, f"/v1/people/{trust.admin}/disable").status_code == 204
    refreshed = identity.client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 401
    assert identity.login().status_code == 401


@pytest.mark.parametrize("body, field, status", [
    ({"person_id": "X", "manager_id": "X"}, "manager_id", 422),
    ({"starts_on": "2024-08-01"}, "school_id", 422),  # before the person worked there
])
def test_line_management_bad_input(trust, body, field, status):
    request = {"person_id": trust.teacher, "manager_id": trust.other_manager, "school_id": trust.school_a,
               "starts_on": "2025-01-01", **body}
    if request["person_id"] == "X":
        request["person_id"] = request["manager_id"] = trust.teacher
    response = _post(trust, trust.admin, "/v1/line-managers", request)
    assert response.status_code == status and field in response.json["errors"], response.json


def test_line_management_cycle_and_overlap_are_refused_and_replacement_ends_the_old(identity, trust):
    cycle = _post(trust, trust.admin, "/v1/line-managers", {
        "person_id": trust.manager, "manager_id": trust.teacher, "school_id": trust.school_a,
        "starts_on": "2025-01-01"})
    assert cycle.status_code == 422 and "cycle" in cycle.json["errors"]["manager_id"][0]
    overlap = _post(trust, trust.admin, "/v1/line-managers", {
        "person_id": trust.teacher, "manager_id": trust.other_manager, "school_id": trust.school_a,
        "starts_on": "2024-09-01"})
    assert overlap.status_code == 409 and "starts_on" in overlap.json["errors"]
    replaced = _post(trust, trust.admin, "/v1/line-managers", {
        "person_id": trust.teacher, "manager_id": trust.other_manager, "school_id": trust.school_a,
        "starts_on": "2025-01-01"})
    assert replaced.status_code == 201
    history = _get(trust, trust.admin, f"/v1/people/{trust.teacher}").json["line_managers"]
    assert [(m["manager_id"], m["starts_on"], m["ends_on"]) for m in history] == [
        (trust.manager, "2024-09-01", "2024-12-31"), (trust.other_manager, "2025-01-01", None)]


def test_employment_bad_input(trust):
    bad = _post(trust, trust.admin, f"/v1/people/{trust.teacher}/employments", {
        "school_id": trust.school_b, "job_title": "Tutor", "staff_category": "teaching",
        "starts_on": "2025-09-01", "ends_on": "2025-01-01"})
    assert bad.status_code == 422 and "ends_on" in bad.json["errors"]
    unknown = _post(trust, trust.admin, f"/v1/people/{trust.teacher}/employments", {
        "school_id": "no-such-school", "job_title": "Tutor", "staff_category": "teaching", "starts_on": "2025-09-01"})
    assert unknown.status_code == 404
    by_head_a_at_b = _post(trust, trust.head_a, f"/v1/people/{trust.teacher}/employments", {
        "school_id": trust.school_b, "job_title": "Tutor", "staff_category": "teaching", "starts_on": "2025-09-01"})
    assert by_head_a_at_b.status_code == 403


def test_part_timer_in_two_schools_is_seen_by_both_heads(trust):
    both = _post(trust, trust.admin, f"/v1/people/{trust.colleague}/employments", {
        "school_id": trust.school_b, "job_title": "MFL Teacher", "staff_category": "teaching", "fte": 0.4,
        "starts_on": "2024-09-01"})
    assert both.status_code == 201
    assert _get(trust, trust.head_a, f"/v1/people/{trust.colleague}").status_code == 200
    assert _get(trust, trust.head_b, f"/v1/people/{trust.colleague}").status_code == 200
    jobs = _get(trust, trust.head_b, f"/v1/people/{trust.colleague}").json["employments"]
    assert sorted(j["fte"] for j in jobs) == [0.4, 1.0]  # decimals are JSON numbers (ADR 0006)


def test_duplicate_email_and_school_admin_limits(identity, trust):
    dupe = _post(trust, trust.admin, "/v1/people", {"given_name": "T", "family_name": "Two",
                                                   "email": "TOM@oak.example.org"})
    assert dupe.status_code == 409 and "email" in dupe.json["errors"]
    trust_role = _post(trust, trust.head_a, "/v1/role-grants", {
        "person_id": trust.teacher, "role": "trust_leader", "scope_type": "trust", "scope_id": trust.trust_id})
    assert trust_role.status_code == 403
    coach = _post(trust, trust.head_a, "/v1/role-grants", {
        "person_id": trust.teacher, "role": "coach", "scope_type": "school", "scope_id": trust.school_a})
    assert coach.status_code == 201
    again = _post(trust, trust.head_a, "/v1/role-grants", {
        "person_id": trust.teacher, "role": "coach", "scope_type": "school", "scope_id": trust.school_a})
    assert again.status_code == 409
    ended = _post(trust, trust.head_a, f"/v1/role-grants/{coach.json['id']}/end", {"on": date.today().isoformat()})
    assert ended.status_code == 204
    assert "identity.role.revoked" in _types(identity)


def test_structure_rename_close_and_groups(identity, trust):
    renamed = trust.service.client.patch(f"/v1/schools/{trust.school_a}", json={"name": "Ash Primary Academy"},
                                         headers=trust.headers(trust.admin))
    assert renamed.status_code == 200 and renamed.json["name"] == "Ash Primary Academy"
    closed = trust.service.client.patch(f"/v1/schools/{trust.school_b}", json={"status": "closed"},
                                        headers=trust.headers(trust.admin))
    assert closed.json["status"] == "closed"
    # History stays: Bea still has her employment at the closed school.
    bea = _get(trust, trust.admin, f"/v1/people/{trust.teacher_b}").json
    assert bea["employments"][0]["school_id"] == trust.school_b
    refused = _post(trust, trust.admin, f"/v1/people/{trust.teacher}/employments", {
        "school_id": trust.school_b, "job_title": "Tutor", "staff_category": "teaching", "starts_on": "2026-01-01"})
    assert refused.status_code == 422 and "closed" in refused.json["errors"]["school_id"][0]
    group = _post(trust, trust.admin, "/v1/groups", {"name": "Hub", "school_ids": [trust.school_a]})
    assert group.status_code == 201
    not_admin = _post(trust, trust.head_a, "/v1/groups", {"name": "Mine", "school_ids": []})
    assert not_admin.status_code == 403
    bad = _post(trust, trust.admin, "/v1/groups", {"name": "Bad", "school_ids": ["nope"]})
    assert bad.status_code == 404 and "school_ids" in bad.json["errors"]  # not a school of the trust
    assert {"identity.school.updated", "identity.group.created"} <= set(_types(identity))


def test_group_grant_reaches_the_groups_schools(identity, trust):
    group = _post(trust, trust.admin, "/v1/groups", {"name": "Hub", "school_ids": [trust.school_a, trust.school_b]})
    _post(trust, trust.admin, "/v1/role-grants", {"person_id": trust.leader, "role": "senior_leader",
                                                 "scope_type": "group", "scope_id": group.json["id"]})
    with identity.runtime.uow_factory() as uow:
        status = uow.session.execute(select(people.c.status).where(people.c.id == trust.leader)).scalar()
    assert status == "invited"
    assert _get(trust, trust.leader, f"/v1/people/{trust.teacher_b}").status_code == 200


def test_permission_matrix_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[4] / "docs" / "permissions.md").read_text()
    for action in MATRIX:
        assert f"`{action}`" in doc, f"{action} is missing from docs/permissions.md"


def test_ending_the_last_employment_disables_the_account(identity, trust):
    job = _get(trust, trust.admin, f"/v1/people/{trust.colleague}").json["employments"][0]
    ended = _post(trust, trust.head_a, f"/v1/employments/{job['id']}/end", {"on": "2025-08-31"})
    assert ended.status_code == 204
    record = _get(trust, trust.admin, f"/v1/people/{trust.colleague}").json
    assert record["status"] == "disabled" and record["employments"][0]["ends_on"] == "2025-08-31"
    twice = _post(trust, trust.head_a, f"/v1/employments/{job['id']}/end", {"on": "2025-08-31"})
    assert twice.status_code == 409
