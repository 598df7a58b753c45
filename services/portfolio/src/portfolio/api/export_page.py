"""A person's exported portfolio (``queries.portfolio_export``) as a page they can read or print."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import render_template_string

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


def portfolio_html(data: dict) -> str:
    total = sum(Decimal(str(a["hours"])) for a in data["activities"])
    titles = {a["id"]: a["title"] for a in data["activities"]}
    return render_template_string(PAGE, data=data, total_hours=total, titles=titles,
                                  exported_on=date.today().isoformat())
