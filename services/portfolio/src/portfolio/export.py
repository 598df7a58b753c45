"""Everything a person's portfolio holds, as data (JSON) and as a page they can read or print."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from flask import render_template_string
from sqlalchemy import select
from sqlalchemy.orm import Session

from canopy_kit.clock import as_utc
from portfolio.tables import activities, bookings, cpd_requests, evaluations, evidence

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Professional learning portfolio</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#1d2b36}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}th,td{border-bottom:1px solid #ccd;padding:.3rem;
text-align:left;vertical-align:top}h1{color:#2d6a4f}</style></head><body>
<h1>Professional learning portfolio</h1>
<p>Exported {{ exported_on }}. {{ data.activities|length }} activities,
{{ total_hours }} hours.</p>
<h2>Activities</h2><table><tr><th>Dates</th><th>Title</th><th>Type</th><th>Hours</th><th>Standards</th>
<th>Reflection</th></tr>
{% for a in data.activities %}<tr><td>{{ a.starts_on }}{% if a.ends_on != a.starts_on %} to {{ a.ends_on }}{% endif %}</td>
<td>{{ a.title }}{% if a.provider %} ({{ a.provider }}){% endif %}</td><td>{{ a.activity_type }}, {{ a.delivery }}</td>
<td>{{ a.hours }}</td><td>{{ a.linked_standards|join(", ") }}</td><td>{{ a.reflection or "" }}</td></tr>{% endfor %}
</table>
<h2>Evaluations</h2><table><tr><th>Activity</th><th>Stage</th><th>Reaction</th><th>Learning</th><th>Use</th>
<th>Pupil outcomes</th><th>Comments</th></tr>
{% for e in data.evaluations if e.submitted_at %}<tr><td>{{ titles.get(e.activity_id, "") }}</td><td>{{ e.stage }}</td>
<td>{{ e.reaction or "" }}</td><td>{{ e.learning or "" }}</td><td>{{ e.use_in_practice or "" }}</td>
<td>{{ e.pupil_outcomes or "" }}</td><td>{{ e.comments or "" }}</td></tr>{% endfor %}</table>
<h2>Evidence</h2><ul>{% for e in data.evidence %}<li>{{ e.added_on }}: {{ e.title }}
{% if e.url %}(<a href="{{ e.url }}">{{ e.url }}</a>){% else %}({{ e.filename }}){% endif %}</li>{% endfor %}</ul>
<h2>Requests</h2><ul>{% for r in data.requests %}<li>{{ r.starts_on }}: {{ r.title }}: {{ r.status }}</li>
{% endfor %}</ul></body></html>"""


def _plain(value):
    """A stored value as the API writes it (ADR 0006): instants in UTC, decimals as numbers."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(session: Session, table, person_id: str, trust_id: str, order) -> list[dict]:
    rows = session.execute(select(table).where(table.c.person_id == person_id, table.c.trust_id == trust_id)
                           .order_by(order)).mappings()
    out = []
    for row in rows:
        item = {k: _plain(v) for k, v in row.items() if k not in ("trust_id", "storage_key")}
        for name in ("linked_standards", "linked_objectives"):
            if name in item:
                item[name] = json.loads(item[name])
        out.append(item)
    return out


def portfolio_data(session: Session, person_id: str, trust_id: str) -> dict:
    return {
        "person_id": person_id,
        "activities": _rows(session, activities, person_id, trust_id, activities.c.starts_on),
        "evaluations": _rows(session, evaluations, person_id, trust_id, evaluations.c.due_on),
        "evidence": _rows(session, evidence, person_id, trust_id, evidence.c.added_on),
        "requests": _rows(session, cpd_requests, person_id, trust_id, cpd_requests.c.created_at),
        "bookings": _rows(session, bookings, person_id, trust_id, bookings.c.booked_at),
    }


def portfolio_html(data: dict) -> str:
    total = sum(Decimal(str(a["hours"])) for a in data["activities"])
    titles = {a["id"]: a["title"] for a in data["activities"]}
    return render_template_string(PAGE, data=data, total_hours=total, titles=titles,
                                  exported_on=date.today().isoformat())
