"""The reports the dashboards offer, each with its own filters (what the chart draws) and how it
makes its page and its overview chart of reporting's answer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from markupsafe import Markup

from canopy_web.pages.dashboards.cpd_reports import (
    CPD_MEASURES, REQUEST_MEASURES, TYPE_MEASURES, _cpd, _cpd_glance, _cpd_requests, _cpd_requests_glance, _cpd_types,
    _cpd_types_glance, _impact, _impact_glance,
)
from canopy_web.pages.dashboards.figures import SHORT_TYPE_LABELS, STAGES, View, principle_label
from canopy_web.pages.dashboards.observation_reports import (
    _observations, _observations_glance, _participation, _participation_glance, _principles,
)


@dataclass(frozen=True)
class Choice:
    """A report's own filter: it chooses what the chart draws, not what the API is asked."""
    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    blank: str | None = None  # the label of "no choice" (every type, every principle)


@dataclass(frozen=True)
class Report:
    name: str  # reporting's report, and this page's address
    title: str
    intro: str
    choices: tuple[Choice, ...]
    build: Callable[[dict, dict[str, str]], View]
    glance: Callable[[dict], Markup]  # the overview's small chart


def chosen_values(choices: Sequence[Choice], args: Mapping[str, str]) -> dict[str, str]:
    """The report's own filters from the address; a value it does not offer falls back to the default."""
    chosen = {}
    for choice in choices:
        value = args.get(choice.name, "")
        allowed = {option for option, _label in choice.options}
        chosen[choice.name] = value if value in allowed else ("" if choice.blank is not None else choice.options[0][0])
    return chosen


REPORTS: dict[str, Report] = {report.name: report for report in (
    Report("cpd", "CPD hours and spend", "Activities, hours, spend and cover per school.",
           (Choice("measure", "Chart shows", CPD_MEASURES),), _cpd, _cpd_glance),
    Report("cpd-types", "CPD by type", "What kinds of professional learning each school's staff did.",
           (Choice("measure", "Chart shows", TYPE_MEASURES),
            Choice("type", "Type of activity", tuple(SHORT_TYPE_LABELS.items()), blank="Every type")),
           _cpd_types, _cpd_types_glance),
    Report("impact", "CPD impact", "What staff said their learning changed: mean ratings from 1 to 5, straight "
           "after and at follow-up.", (Choice("stage", "When", tuple(STAGES.items())),), _impact, _impact_glance),
    Report("cpd-requests", "CPD requests", "Requests waiting for a decision and requests declined, with the cost asked.",
           (Choice("measure", "Chart shows", REQUEST_MEASURES),), _cpd_requests, _cpd_requests_glance),
    Report("observations", "Observation profiles", "How reportable observations rated each teaching and learning "
           "principle: where practice is strong and where it needs development.",
           (), _observations, _observations_glance),
    Report("participation", "Participation", "Staff observed and staff with CPD: where support has not reached yet.",
           (), _participation, _participation_glance),
)}


def _own_choices(report: Report, body: dict | None) -> tuple[Choice, ...]:
    """The report's own filters; the observation profile's principles come from its answer."""
    if report.name != "observations" or not body:
        return report.choices
    return (Choice("principle", "Principle", tuple((row["principle_id"], principle_label(row))
                                                   for row in _principles(body["rows"])), blank="Every principle"),)
