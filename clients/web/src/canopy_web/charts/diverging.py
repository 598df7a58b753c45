"""The diverging bar chart of a rating scale: what is to develop reaches left, what is strong right."""
from __future__ import annotations

from typing import Sequence

from markupsafe import Markup

from canopy_web.charts.common import (
    AXIS, BAR, GAP, GRID, HIGH, LINE, LOW, MIDDLE, NO_DATA, NOT_SHOWN, WIDTH, Spread, _attrs, _fewer, _hidden_band,
    _ident, _legend, _nothing, _rect, _row_title, _svg, _text, fit, nice_max, percent, text_width,
)


def diverging_chart(spreads: Sequence[Spread], *, title: str, low_label: str, middle_label: str, high_label: str,
                    threshold: int | None = None, ident: str | None = None, compact: bool = False) -> Markup:
    """A bar per row centred on the middle of its "neither" band: what is to develop reaches left,
    what is strong right, both shares written at the ends (``compact``: the label beside the bar)."""
    if not spreads:
        return _nothing(title, ident, "Nothing to show for these choices.")
    ident = _ident(title, ident)
    reach = [max(s.low + (1 - s.low - s.high) / 2, s.high + (1 - s.low - s.high) / 2)
             for s in spreads if s.low is not None and s.high is not None]
    half_max = min(nice_max(max(reach or [0])), 1)
    column = text_width("100%") + 6
    label_col = min(WIDTH * 0.3, max(text_width(s.label) for s in spreads) + 6) if compact else 0
    x0 = label_col + column
    span = WIDTH - x0 - column
    centre = x0 + span / 2
    unit = span / 2 / half_max
    legend, y = _legend((low_label, middle_label, high_label), (LOW, MIDDLE, HIGH), None, 2.0)
    rows_top = y
    body = []
    for spread in spreads:
        known = spread.low is not None and spread.high is not None
        detail = (f"{low_label} {percent(spread.low)}, {middle_label} {percent(1 - spread.low - spread.high)}, "
                  f"{high_label} {percent(spread.high)}" if known else (NOT_SHOWN if spread.suppressed else NO_DATA))
        row = [_row_title(spread.label, detail)]
        if compact:
            row.append(_text(0, y + BAR - 3, fit(spread.label, label_col - 6, lines=1)[0], cls="dash-label"))
        else:
            lines = fit(spread.label, WIDTH)
            row += [_text(0, y + 11 + number * LINE, line, cls="dash-label") for number, line in enumerate(lines)]
            y += len(lines) * LINE
        if known:
            middle = max(1 - spread.low - spread.high, 0)
            start = centre - (middle / 2 + spread.low) * unit
            for share, colour, cls in ((spread.low, LOW, "dash-low"), (middle, MIDDLE, "dash-middle"),
                                       (spread.high, HIGH, "dash-high")):
                row.append(_rect(start, y, share * unit, BAR, fill=colour, class_=f"dash-bar {cls}", data_value=str(round(share, 6)),
                                 stroke="#ffffff", stroke_width=1))
                start += share * unit
            row.append(_text(x0 - 4, y + BAR - 3, percent(spread.low), anchor="end", cls="dash-value"))
            row.append(_text(WIDTH - column + 4, y + BAR - 3, percent(spread.high), cls="dash-value"))
        else:
            if spread.suppressed:
                row.append(_hidden_band(ident, x0, y, span, BAR))
            label = NOT_SHOWN if spread.suppressed else NO_DATA
            row.append(_rect(centre - text_width(label) / 2 - 4, y + 1, text_width(label) + 8, BAR - 2,
                             fill="#ffffff", class_="dash-pill"))
            row.append(_text(centre, y + BAR - 3, label, anchor="middle", cls="dash-value dash-missing"))
        body.append(f'<g class="dash-row">{"".join(row)}</g>')
        y += BAR + (6 if compact else GAP)
    grid = [f'<line {_attrs(x1=float(x), y1=float(rows_top - 2), x2=float(x), y2=float(y), stroke=GRID, class_="dash-grid")}/>'
            for x in (x0, centre - span / 4, centre + span / 4, x0 + span)]
    grid.append(f'<line {_attrs(x1=float(centre), y1=float(rows_top - 2), x2=float(centre), y2=float(y), class_="axis", stroke="#1b1f24")}/>')
    grid += [_text(x0, y + 15, percent(half_max), anchor="start", cls="dash-tick"),
             _text(centre, y + 15, "0", anchor="middle", cls="dash-tick"),
             _text(x0 + span, y + 15, percent(half_max), anchor="end", cls="dash-tick")]
    known = [s for s in spreads if s.low is not None and s.high is not None]
    hidden = sum(1 for s in spreads if s.low is None and s.suppressed)
    summary = []
    if known:
        best = max(known, key=lambda s: s.high)
        worst = max(known, key=lambda s: s.low)
        summary.append(f"Most {high_label.lower()}: {best.label}, {percent(best.high)}")
        summary.append(f"most {low_label.lower()}: {worst.label}, {percent(worst.low)}")
    if hidden:
        summary.append(f"{hidden} not shown{_fewer(threshold)}")
    return _svg(ident, title, "; ".join(summary) + ". Every figure is in the table.", y + AXIS, legend + grid + body)
