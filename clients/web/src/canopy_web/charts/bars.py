"""The horizontal bar chart: one bar per figure."""
from __future__ import annotations

from typing import Sequence

from markupsafe import Markup

from canopy_web.charts.common import (
    AXIS, BAR, GAP, LINE, NO_DATA, NOT_SHOWN, PALETTE, WIDTH, Bar, Format, _axis, _hidden_band, _ident, _nothing, _rect,
    _row_title, _summary, _svg, _text, _value_column, fit, nice_max, plain, text_width,
)


def bar_chart(bars: Sequence[Bar], *, title: str, fmt: Format = plain, axis_max: float | None = None,
              threshold: int | None = None, ident: str | None = None, compact: bool = False,
              tick_fmt: Format | None = None) -> Markup:
    """One horizontal bar per figure, its label above it (``compact``: beside it, cut short, for
    small charts), its value at the end of the line."""
    if not bars:
        return _nothing(title, ident, "Nothing to show for these choices.")
    ident = _ident(title, ident)
    top = max([bar.value for bar in bars if bar.value is not None] or [0])
    axis_max = axis_max or nice_max(top)
    texts = [fmt(bar.value) if bar.value is not None else (NOT_SHOWN if bar.suppressed else NO_DATA) for bar in bars]
    value_col = _value_column(texts, 40)
    label_col = min(WIDTH * 0.42, max(text_width(bar.label) for bar in bars) + 6) if compact else 0
    x0, span = label_col, WIDTH - label_col - value_col
    body, y = [], 4.0
    rows_top = y
    for bar, text in zip(bars, texts):
        row = [_row_title(bar.label, text)]
        if compact:
            row.append(_text(0, y + BAR - 3, fit(bar.label, label_col - 6, lines=1)[0], cls="dash-label"))
            bar_y = y
        else:
            lines = fit(bar.label, WIDTH)
            for number, line in enumerate(lines):
                row.append(_text(0, y + 11 + number * LINE, line, cls="dash-label"))
            bar_y = y + len(lines) * LINE
        if bar.value is not None:
            row.append(_rect(x0, bar_y, span * max(bar.value, 0) / axis_max, BAR, fill=PALETTE[0], class_="dash-bar",
                             data_value=str(bar.value)))
        elif bar.suppressed:
            row.append(_hidden_band(ident, x0, bar_y, span, BAR))
        row.append(_text(WIDTH, bar_y + BAR - 3, text, anchor="end",
                         cls="dash-value" if bar.value is not None else "dash-value dash-missing"))
        body.append(f'<g class="dash-row">{"".join(row)}</g>')
        y = bar_y + BAR + (6 if compact else GAP)
    grid = _axis(rows_top - 2, y, x0, span, axis_max, tick_fmt or fmt, any(bar.value is not None for bar in bars))
    return _svg(ident, title, _summary(bars, fmt, threshold), y + AXIS, grid + body)
