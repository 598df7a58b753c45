"""Charts as inline SVG, drawn on the server: horizontal bars, grouped and stacked bars, and a
diverging bar for a rating scale. Pure functions of the figures (no Flask, no request).

What every chart keeps to, whoever calls it:
- It scales with its ``viewBox`` (320 units wide: about one to one on a 360 px phone, where text
  stays readable) and carries no ``style=`` attribute (the CSP forbids them): colours are SVG
  presentation attributes, sizes come from ``static/app.css``'s ``.chart`` rules.
- It is one image to assistive technology (``role="img"``, an ``aria-label`` and a ``<title>``
  that sum it up); the table the page shows beside it holds every figure.
- Colour is never the only clue: every bar has its label and value written beside it, stacked
  segments carry the letter of their legend entry, the diverging bar's two ends are written out.
- A figure the API blanked (about fewer people than the trust's threshold) draws no bar of any
  length: a hatched band across the whole track, labelled "not shown". A figure the API has no
  data for draws nothing and says "no data". Neither is ever drawn as a zero.
- Labels are text, escaped; a long one is wrapped, then cut short, with the full text in the
  row's ``<title>``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape
from typing import Callable, Sequence

from markupsafe import Markup

WIDTH = 320
FONT_PX = 12  # .chart text in app.css
LINE = 15  # a label line's height
BAR = 14
GAP = 10
AXIS = 22
NOT_SHOWN = "not shown"
NO_DATA = "no data"

# Against white each reaches 4.5:1 (a chart's parts need 3:1), and white text on each does too;
# neighbours differ in lightness or hue enough to tell apart, and letters say which is which.
PALETTE = ("#1f5f3f", "#1a4f8b", "#b4480c", "#6b3fa0", "#8a6100", "#0f766e", "#9d174d", "#4b5563",
           "#a4262c", "#3f6212")
LOW, MIDDLE, HIGH = "#b4480c", "#6b7280", "#1a4f8b"  # a diverging bar: to develop, neither, strong
HATCH = "#6b7280"
GRID = "#c9ced6"

NICE_STEPS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)

Format = Callable[[float], str]


@dataclass(frozen=True)
class Bar:
    """One figure. ``value`` None: nothing to draw, either blanked by the API (``suppressed``) or
    not known (no data)."""
    label: str
    value: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class Group:
    """One row of a grouped or stacked chart: a bar per series, in the series' order."""
    label: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Spread:
    """A row of a diverging chart: the share of ratings below the scale's middle band (``low``),
    above it (``high``); the rest is neither."""
    label: str
    low: float | None
    high: float | None
    suppressed: bool = False


def plain(value: float) -> str:
    """A figure as a person reads it: thousands separated, at most one decimal place."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def nice_max(value: float) -> float:
    """The axis's end: the first round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of
    ten) at or above ``value``; 1 when there is nothing above zero, so nothing divides by zero."""
    if not value or value <= 0 or math.isnan(value):
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in NICE_STEPS:
        candidate = round(step * power, 12)
        if candidate >= value * (1 - 1e-12):
            return int(candidate) if candidate == int(candidate) else candidate
    return round(10 * power, 12)


def text_width(text: str) -> float:
    """Roughly how wide ``text`` is at the chart's font size: enough to lay labels out and wrap
    them without measuring in a browser."""
    em = 0.0
    for char in text:
        if char in "iljtfr.,;:'!|() ":
            em += 0.32
        elif char in "mwMW@%":
            em += 0.9
        elif char.isupper() or char.isdigit() or char in "£€$#&":
            em += 0.66
        else:
            em += 0.56
    return em * FONT_PX


def fit(text: str, width: float, lines: int = 2) -> list[str]:
    """``text`` wrapped at spaces into at most ``lines`` lines of ``width``; what does not fit is
    cut short with an ellipsis (the full text goes in the row's ``<title>``)."""
    wrapped = _wrap(text, width)
    kept = wrapped[:lines]
    if len(wrapped) > lines:
        kept[-1] = " ".join([kept[-1], *wrapped[lines:]])
    return [_cut(line, width) for line in kept]


def _wrap(text: str, width: float) -> list[str]:
    out: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if text_width(trial) <= width or not current:
            current = trial
        else:
            out.append(current)
            current = word
    out.append(current)
    return out


def _cut(line: str, width: float) -> str:
    if text_width(line) <= width:
        return line
    while line and text_width(line + "…") > width:
        line = line[:-1]
    return line.rstrip() + "…"


# --- SVG pieces -----------------------------------------------------------------------------------

def _attrs(**attributes) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


def _text(x: float, y: float, content: str, *, anchor: str | None = None, cls: str | None = None, **extra) -> str:
    return f"<text {_attrs(x=float(x), y=float(y), text_anchor=anchor, class_=cls, **extra)}>{escape(content)}</text>"


def _rect(x: float, y: float, width: float, height: float, **extra) -> str:
    return f"<rect {_attrs(x=float(x), y=float(y), width=float(max(width, 0)), height=float(height), **extra)}/>"


def _ident(title: str, ident: str | None) -> str:
    base = ident or title
    return "chart-" + (re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "x")[:40]


def _svg(ident: str, title: str, summary: str, height: float, body: list[str]) -> Markup:
    hatch = (f'<defs><pattern id="{ident}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
             f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
             f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}" stroke-width="2"/></pattern></defs>')
    label = f"{title}. {summary}".strip()
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart dash-chart" role="img" id="{ident}" '
        f'viewBox="0 0 {WIDTH} {math.ceil(height)}" aria-label="{escape(label, quote=True)}">'
        f"<title>{escape(label)}</title>{hatch}{''.join(body)}</svg>")


def _nothing(title: str, ident: str | None, message: str) -> Markup:
    ident = _ident(title, ident)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart dash-chart dash-empty" role="img" id="{ident}" '
        f'viewBox="0 0 {WIDTH} 40" aria-label="{escape(f"{title}. {message}", quote=True)}">'
        f"<title>{escape(f'{title}. {message}')}</title>"
        f"{_text(WIDTH / 2, 24, message, anchor='middle', cls='dash-nothing')}</svg>")


def _hidden_band(ident: str, x: float, y: float, width: float, height: float) -> str:
    return _rect(x, y, width, height, class_="dash-hidden", fill=f"url(#{ident}-hatch)", stroke=HATCH,
                 stroke_width=1)


def _axis(top: float, bottom: float, x0: float, span: float, axis_max: float, fmt: Format,
          drawn: bool = True) -> list[str]:
    """Gridlines at quarters, labels at 0, the middle and the end (round numbers, see nice_max);
    none where no bar is drawn (every figure blanked), as there is nothing to read off a scale."""
    if not drawn:
        return []
    parts = []
    for quarter in range(5):
        x = x0 + span * quarter / 4
        parts.append(f'<line {_attrs(x1=float(x), y1=float(top), x2=float(x), y2=float(bottom), stroke=GRID, class_="dash-grid")}/>')
    parts.append(f'<line {_attrs(x1=float(x0), y1=float(bottom), x2=float(x0 + span), y2=float(bottom), class_="axis", stroke="#6b7280")}/>')
    for share, anchor in ((0, "start"), (0.5, "middle"), (1, "end")):
        parts.append(_text(x0 + span * share, bottom + 15, fmt(axis_max * share), anchor=anchor, cls="dash-tick"))
    return parts


def _value_column(texts: Sequence[str], least: float = 0) -> float:
    return max([least, *(text_width(text) + 8 for text in texts)])


def _legend(series: Sequence[str], colours: Sequence[str], keys: Sequence[str] | None, y: float) -> tuple[list[str], float]:
    """Swatches with their names, flowing onto as many lines as they need; returns the height."""
    parts, x = [], 0.0
    for position, name in enumerate(series):
        shown = f"{keys[position]} {name}" if keys else name
        width = 16 + text_width(shown) + 12
        if x and x + width > WIDTH:
            x, y = 0.0, y + LINE + 2
        parts.append(_rect(x, y, 12, 12, fill=colours[position], class_="dash-swatch"))
        parts.append(_text(x + 16, y + 10, shown, cls="dash-legend"))
        x += width
    return parts, y + LINE + 6


def _summary(bars: Sequence[Bar], fmt: Format, threshold: int | None) -> str:
    shown = [bar for bar in bars if bar.value is not None]
    hidden = [bar for bar in bars if bar.value is None and bar.suppressed]
    parts = []
    if shown:
        high = max(shown, key=lambda bar: bar.value)
        low = min(shown, key=lambda bar: bar.value)
        parts.append(f"Highest {high.label}, {fmt(high.value)}")
        if len(shown) > 1:
            parts.append(f"lowest {low.label}, {fmt(low.value)}")
    if hidden:
        parts.append(f"{len(hidden)} not shown{_fewer(threshold)}")
    return "; ".join(parts) + ". Every figure is in the table."


def _fewer(threshold: int | None) -> str:
    return f" (fewer than {threshold} people)" if threshold else ""


def _row_title(label: str, detail: str) -> str:
    return f"<title>{escape(f'{label}: {detail}')}</title>"


# --- the charts -----------------------------------------------------------------------------------

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
