"""What the charts share: their sizes and colours, the figures they draw, how a figure and a
label read and fit, and the SVG pieces they are made of."""
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
