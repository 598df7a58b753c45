"""Bulk staff import: every row checked first, all or nothing, idempotent."""
import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from canopy_kit.testing import outbox_events
from identity.tables import employments, line_managers, people, role_grants
from identity.importer import COLUMNS, run_import

HEADER = ",".join(COLUMNS)


def _csv(rows, header=COLUMNS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _row(email, urn, **extra):
    base = {"email": email, "given_name": email.split("@")[0].title(), "family_name": "Imported",
            "preferred_name": "", "school_urn": urn, "job_title": "Teacher", "staff_category": "teaching",
            "fte": "1", "starts_on": "2025-09-01", "ends_on": "", "roles": "teacher", "line_manager_email": ""}
    return {**base, **extra}


def _counts(identity):
    with identity.runtime.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (people, employments, role_grants, line_managers)}


def _import(trust, data, dry_run=False):
    return trust.service.client.post(f"/v1/imports/staff?dry_run={str(dry_run).lower()}", data=data,
                                     content_type="text/csv", headers=trust.headers(trust.admin))


def test_a_good_file_applies_and_reapplies_as_a_no_op(identity, trust):
    data = _csv([
        _row("head.of.maths@oak.example.org", "oak-a", job_title="Head of Maths", roles="teacher;line_manager"),
        _row("new.teacher@oak.example.org", "oak-a", line_manager_email="head.of.maths@oak.example.org"),
        _row("part.timer@oak.example.org", "oak-a", fte="0.5"),
        _row("part.timer@oak.example.org", "oak-b", fte="0.5", roles="teacher;coach"),
    ])
    before, events_before = _counts(identity), len(outbox_events(identity.runtime))
    dry = _import(trust, data, dry_run=True)
    assert dry.status_code == 200 and dry.json["applied"] is False
    assert dry.json["changes"]["people_created"] == 3
    assert _counts(identity) == before and len(outbox_events(identity.runtime)) == events_before
    applied = _import(trust, data)
    assert applied.status_code == 200, applied.json
    assert applied.json["applied"] is True
    assert applied.json["changes"] == {"people_created": 3, "people_updated": 0, "employments_created": 4,
                                       "employments_updated": 0, "roles_granted": 6, "line_managers_assigned": 1,
                                       "line_managers_ended": 0}
    after = _counts(identity)
    assert after["people"] == before["people"] + 3 and after["employments"] == before["employments"] + 4
    events = len(outbox_events(identity.runtime))
    assert events == events_before + 3 + 4 + 6 + 1  # one event per change
    again = _import(trust, data)
    assert again.status_code == 200 and set(again.json["changes"].values()) == {0}
    assert _counts(identity) == after and len(outbox_events(identity.runtime)) == events
    audit = trust.service.client.get("/v1/audit?action=import.applied", headers=trust.headers(trust.admin)).json
    assert audit["total"] == 2


def test_every_bad_row_is_reported_and_nothing_is_written(identity, trust):
    data = _csv([
        _row("ok@oak.example.org", "oak-a"),
        _row("not-an-email", "oak-a"),
        _row("who@oak.example.org", "no-such-urn"),
        _row("when@oak.example.org", "oak-a", starts_on="01/09/2025"),
        _row("back@oak.example.org", "oak-a", starts_on="2025-09-01", ends_on="2025-01-01"),
        _row("fte@oak.example.org", "oak-a", fte="1.5"),
        _row("boss@oak.example.org", "oak-a", roles="trust_admin"),
        _row("orphan@oak.example.org", "oak-a", line_manager_email="ghost@oak.example.org"),
        _row("ok@oak.example.org", "oak-a"),
        _row("a@oak.example.org", "oak-a", line_manager_email="b@oak.example.org"),
        _row("b@oak.example.org", "oak-a", line_manager_email="a@oak.example.org"),
    ])
    before = _counts(identity)
    response = _import(trust, data)
    assert response.status_code == 422 and response.json["code"] == "invalid_input"
    problems = {(p["line"], p["field"]) for p in response.json["errors"]["rows"]}
    assert problems == {(3, "email"), (4, "school_urn"), (5, "starts_on"), (6, "ends_on"), (7, "fte"), (8, "roles"),
                        (9, "line_manager_email"), (10, "email"), (11, "line_manager_email"),
                        (12, "line_manager_email")}
    assert _counts(identity) == before


@pytest.mark.parametrize("data, reason", [
    ("email,given_name\nx@y.org,X\n".encode(), "missing columns"),
    ((HEADER + ",shoe_size\n").encode(), "unknown columns"),
    (HEADER.encode() + b"\n", "no rows"),
    ((HEADER + "\n").encode() + "é@x.org,Zoë".encode("latin-1"), "not UTF-8"),
])
def test_file_level_problems(trust, data, reason):
    response = _import(trust, data)
    assert response.status_code == 422
    assert reason in response.json["errors"]["rows"][0]["reason"]


def test_only_trust_admins_import(trust):
    response = trust.service.client.post("/v1/imports/staff", data=_csv([_row("x@oak.example.org", "oak-a")]),
                                         content_type="text/csv", headers=trust.headers(trust.head_a))
    assert response.status_code == 403


def test_changed_names_and_jobs_update_in_place(identity, trust):
    _import(trust, _csv([_row("sam@oak.example.org", "oak-a")]))
    changed = _import(trust, _csv([_row("sam@oak.example.org", "oak-a", given_name="Samira",
                                        job_title="Head of Year 7")]))
    assert changed.json["changes"]["people_updated"] == 1 and changed.json["changes"]["employments_updated"] == 1
    types = [e.event_type for e in outbox_events(identity.runtime)[-2:]]
    assert types == ["identity.person.updated", "identity.employment.updated"]


def test_cli_import_draws_its_progress_bar_only_on_a_terminal(identity, trust, tmp_path, monkeypatch, capsys):
    import sys

    from canopy_kit.cli import main as canopy

    path = tmp_path / "staff.csv"
    path.write_bytes(_csv([_row(f"p{i}@oak.example.org", "oak-a") for i in range(20)]))
    monkeypatch.setenv("IDENTITY_DATABASE_URL", identity.runtime.settings.database_url)
    monkeypatch.setenv("LOG_JSON", "0")
    assert canopy(["identity", "import-staff", str(path), "--trust", "oak", "--dry-run"]) == 0
    out = capsys.readouterr()
    assert "checked, nothing written" in out.out
    assert "\r" not in out.err and "rows" not in out.err  # not a terminal (a log file): no bar at all
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert canopy(["identity", "import-staff", str(path), "--trust", "oak"]) == 0
    out = capsys.readouterr()
    assert "20 rows, applied" in out.out and "\r" in out.err and "20/20 rows" in out.err
    assert _counts(identity)["people"] == 9 + 20


def test_cli_import_of_a_missing_file_says_so_in_one_line(identity, trust, tmp_path, monkeypatch, capsys):
    from canopy_kit.cli import main as canopy

    monkeypatch.setenv("IDENTITY_DATABASE_URL", identity.runtime.settings.database_url)
    missing = tmp_path / "missing.csv"
    assert canopy(["identity", "import-staff", str(missing), "--trust", "oak"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"canopy identity import-staff: cannot read {missing}: No such file or directory"]
    assert _counts(identity)["people"] == 9


def test_ten_thousand_rows_validate_and_apply(identity, trust):
    """The size of a large trust; timing lives in bench/, this checks it works at that size."""
    rows = [_row(f"staff{i:05d}@oak.example.org", "oak-a" if (i // 10) % 2 else "oak-b",  # teams of ten
                 line_manager_email=f"staff{i - i % 10:05d}@oak.example.org" if i % 10 else "",
                 roles="teacher" if i % 10 else "teacher;line_manager")
            for i in range(10_000)]
    with identity.runtime.uow_factory() as uow:
        report = run_import(uow, _csv(rows), trust_id=trust.trust_id)
        assert report.valid, report.problems[:5]
        uow.commit()
    assert report.changes["people_created"] == 10_000 and report.changes["line_managers_assigned"] == 9_000
    with identity.runtime.uow_factory() as uow:
        again = run_import(uow, _csv(rows), trust_id=trust.trust_id)
        uow.commit()
    assert again.valid and set(again.changes.values()) == {0}


def _tom(**extra):
    """A row for the TwoSchoolTrust's Tom, matching what he already has except what ``extra`` says."""
    return _row("tom@oak.example.org", "oak-a", given_name="Tom", family_name="Test", starts_on="2024-09-01",
                roles="", **extra)


def _history(trust, person_id):
    record = trust.service.client.get(f"/v1/people/{person_id}", headers=trust.headers(trust.admin)).json
    return [(m["manager_id"], m["starts_on"], m["ends_on"]) for m in record["line_managers"]]


def _appraisees(trust, manager_id):
    items = trust.service.client.get("/v1/me/appraisees", headers=trust.headers(manager_id)).json["items"]
    return {p["id"] for p in items}


def test_transfer_ends_line_management_an_import_made_that_day(identity, trust):
    """Case 5 as reported: the import gives Tom a new line manager from today; a transfer from
    today (last day yesterday) must end that too, not leave Omar with an appraisee at the old school."""
    today, yesterday = date.today(), date.today() - timedelta(days=1)
    imported = _import(trust, _csv([_tom(line_manager_email="omar@oak.example.org")]))
    assert imported.status_code == 200 and imported.json["changes"]["line_managers_assigned"] == 1, imported.json
    assert trust.teacher in _appraisees(trust, trust.other_manager)
    employment = trust.service.client.get(f"/v1/people/{trust.teacher}", headers=trust.headers(trust.admin)).json
    moved = trust.service.client.post(f"/v1/people/{trust.teacher}/transfers", headers=trust.headers(trust.admin),
                                      json={"from_employment_id": employment["employments"][0]["id"],
                                            "to_school_id": trust.school_b, "effective_on": today.isoformat()})
    assert moved.status_code == 201, moved.json
    assert trust.teacher not in _appraisees(trust, trust.other_manager)
    assert _history(trust, trust.teacher) == [(trust.manager, "2024-09-01", yesterday.isoformat()),
                                              (trust.other_manager, today.isoformat(), yesterday.isoformat())]
    [ended] = [e for e in outbox_events(identity.runtime)
               if e.event_type == "identity.line_manager.ended" and e.payload["manager_id"] == trust.other_manager]
    assert (ended.payload["starts_on"], ended.payload["ends_on"]) == (today.isoformat(), yesterday.isoformat())


def test_import_ending_an_employment_ends_its_line_management(identity, trust):
    """The importer ends employments too: line management there ends with them, by the same rule,
    whether it was in the trust already or comes from the file, and a second run changes nothing."""
    today, yesterday = date.today(), date.today() - timedelta(days=1)
    fixed_term_end = today + timedelta(days=30)
    data = _csv([
        _tom(ends_on=yesterday.isoformat()),  # Tom leaves school A: Maya's line management of him ends
        _row("temp@oak.example.org", "oak-a", starts_on="2024-09-01", ends_on=fixed_term_end.isoformat(),
             line_manager_email="maya@oak.example.org"),  # from the file, it ends with the fixed term
        _row("gone@oak.example.org", "oak-a", starts_on="2024-09-01", ends_on=yesterday.isoformat(),
             line_manager_email="maya@oak.example.org"),  # over before it would start: none is made
    ])
    dry = _import(trust, data, dry_run=True)
    applied = _import(trust, data)
    assert applied.status_code == 200, applied.json
    assert dry.json["changes"] == applied.json["changes"]
    assert applied.json["changes"]["line_managers_assigned"] == 1
    assert applied.json["changes"]["line_managers_ended"] == 2
    assert _history(trust, trust.teacher) == [(trust.manager, "2024-09-01", yesterday.isoformat())]
    assert _appraisees(trust, trust.manager) == {_person_id(identity, "temp@oak.example.org")}
    temp = _history(trust, _person_id(identity, "temp@oak.example.org"))
    assert temp == [(trust.manager, today.isoformat(), fixed_term_end.isoformat())]
    assert _history(trust, _person_id(identity, "gone@oak.example.org")) == []
    # Every event of the file's line management carries its final state, whatever order they arrive in.
    temp_events = [e.payload for e in outbox_events(identity.runtime) if e.event_type.startswith("identity.line_")
                   and e.payload["person_id"] == _person_id(identity, "temp@oak.example.org")]
    assert len(temp_events) == 2 and {p["ends_on"] for p in temp_events} == {fixed_term_end.isoformat()}
    counts, events = _counts(identity), len(outbox_events(identity.runtime))
    again = _import(trust, data)
    assert again.status_code == 200 and set(again.json["changes"].values()) == {0}, again.json
    assert _counts(identity) == counts and len(outbox_events(identity.runtime)) == events


def _person_id(identity, email):
    with identity.runtime.engine.connect() as conn:
        return conn.execute(select(people.c.id).where(people.c.email == email)).scalar_one()
