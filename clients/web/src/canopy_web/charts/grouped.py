"""Charts of several series: grouped bars (a bar per series, row by row) and stacked bars (a bar
per row made of its series' segments)."""
from __future__ import annotations

from typing import Sequence

from markupsafe import Markup

from canopy_web.charts.common import (
    AXIS, BAR, GAP, LINE, NO_DATA, NOT_SHOWN, PALETTE, WIDTH, Bar, Format, Group, _axis, _hidden_band, _ident, _legend,
    _nothing, _rect, _row_title, _summary, _svg, _text, _value_column, fit, nice_max, plain, text_width,
)


def grouped_chart(groups: Sequence[Group], series: Sequence[str], *, title: str, fmt: Format = plain,
                  axis_max: float | None = None, threshold: int | None = None, ident: str | None = None,
                  tick_fmt: Format | None = None) -> Markup:
    """A label per group, then a bar per series, each named and valued on its own line."""
    if not groups or not series:
        return _nothing(title, ident, "Nothing to show for these choices.")
    ident = _ident(title, ident)
    every = [bar for group in groups for bar in group.bars]
    top = max([bar.value for bar in every if bar.value is not None] or [0])
    axis_max = axis_max or nice_max(top)
    texts = [fmt(bar.value) if bar.value is not None else (NOT_SHOWN if bar.suppressed else NO_DATA) for bar in every]
    value_col = _value_column(texts, 40)
    series_col = min(WIDTH * 0.4, max(text_width(name) for name in series) + 8)
    x0, span = series_col, WIDTH - series_col - value_col
    body, y = [], 4.0
    rows_top = y
    colours = [PALETTE[position % len(PALETTE)] for position in range(len(series))]
    text_of = iter(texts)
    for group in groups:
        lines = fit(group.label, WIDTH)
        row = [_text(0, y + 11 + number * LINE, line, cls="dash-label dash-group") for number, line in enumerate(lines)]
        y += len(lines) * LINE + 2
        for position, (name, bar) in enumerate(zip(series, group.bars)):
            text = next(text_of)
            row.append(f'<g class="dash-row">{_row_title(f"{group.label}, {name}", text)}')
            row.append(_text(0, y + 10, fit(name, series_col - 8, lines=1)[0], cls="dash-series"))
            if bar.value is not None:
                row.append(_rect(x0, y, span * max(bar.value, 0) / axis_max, 12, fill=colours[position],
                                 class_="dash-bar", data_value=str(bar.value)))
            elif bar.suppressed:
                row.append(_hidden_band(ident, x0, y, span, 12))
            row.append(_text(WIDTH, y + 10, text, anchor="end",
                             cls="dash-value" if bar.value is not None else "dash-value dash-missing"))
            row.append("</g>")
            y += 16
        body.append(f'<g class="dash-block">{"".join(row)}</g>')
        y += GAP - 2
    grid = _axis(rows_top - 2, y, x0, span, axis_max, tick_fmt or fmt, any(bar.value is not None for bar in every))
    return _svg(ident, title, _summary(every, fmt, threshold), y + AXIS, grid + body)


def stacked_chart(groups: Sequence[Group], series: Sequence[str], *, title: str, fmt: Format = plain,
                  threshold: int | None = None, ident: str | None = None) -> Markup:
    """A bar per group made of its series' segments, each lettered as in the legend; the total at
    the end where nothing of the group is blanked, and the blanked series named under the bar."""
    if not groups or not series:
        return _nothing(title, ident, "Nothing to show for these choices.")
    ident = _ident(title, ident)
    keys = [chr(ord("A") + position) for position in range(len(series))]
    colours = [PALETTE[position % len(PALETTE)] for position in range(len(series))]
    totals = [sum(bar.value for bar in group.bars if bar.value is not None) for group in groups]
    complete = [all(bar.value is not None or not bar.suppressed for bar in group.bars) for group in groups]
    anything = [any(bar.value is not None for bar in group.bars) for group in groups]
    axis_max = nice_max(max(totals or [0]))
    texts = [fmt(total) if whole and some else (NOT_SHOWN if not some and not whole else ("" if some else NO_DATA))
             for total, whole, some in zip(totals, complete, anything)]
    value_col = _value_column(texts, 40)
    span = WIDTH - value_col
    body, (legend, y) = [], _legend(series, colours, keys, 2.0)
    rows_top = y
    for group, text, total, whole, some in zip(groups, texts, totals, complete, anything):
        parts = [f"{name} {fmt(bar.value)}" if bar.value is not None else f"{name} {NOT_SHOWN if bar.suppressed else NO_DATA}"
                 for name, bar in zip(series, group.bars)]
        row = [_row_title(group.label, "; ".join(parts))]
        lines = fit(group.label, WIDTH)
        row += [_text(0, y + 11 + number * LINE, line, cls="dash-label") for number, line in enumerate(lines)]
        y += len(lines) * LINE
        x = 0.0
        if some:
            for position, bar in enumerate(group.bars):
                if bar.value is None or bar.value <= 0:
                    continue
                width = span * bar.value / axis_max
                row.append(_rect(x, y, width, BAR + 2, fill=colours[position], class_="dash-bar dash-segment",
                                 data_value=str(bar.value), stroke="#ffffff", stroke_width=1))
                if width >= 12:
                    row.append(_text(x + width / 2, y + BAR - 2, keys[position], anchor="middle", cls="dash-on-bar"))
                x += width
        elif not whole:
            row.append(_hidden_band(ident, 0, y, span, BAR + 2))
        row.append(_text(WIDTH, y + BAR - 2, text, anchor="end",
                         cls="dash-value" if whole and some else "dash-value dash-missing"))
        y += BAR + 2
        blanked = [name for name, bar in zip(series, group.bars) if bar.value is None and bar.suppressed]
        if some and blanked:
            for line in fit(f"{NOT_SHOWN.capitalize()}: {', '.join(blanked)}", WIDTH, lines=3):
                row.append(_text(0, y + 12, line, cls="dash-note"))
                y += LINE
        body.append(f'<g class="dash-row">{"".join(row)}</g>')
        y += GAP
    grid = _axis(rows_top - 2, y, 0, span, axis_max, fmt, any(anything))
    every = [Bar(group.label, total if whole and some else None, suppressed=not whole and not some)
             for group, total, whole, some in zip(groups, totals, complete, anything)]
    return _svg(ident, title, _summary(every, fmt, threshold), y + AXIS, legend + grid + body)
