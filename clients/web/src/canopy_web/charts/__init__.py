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

from canopy_web.charts.bars import bar_chart
from canopy_web.charts.common import NO_DATA, NOT_SHOWN, Bar, Group, Spread, percent, plain
from canopy_web.charts.diverging import diverging_chart
from canopy_web.charts.grouped import grouped_chart, stacked_chart

__all__ = ["NOT_SHOWN", "NO_DATA", "Bar", "Group", "Spread", "bar_chart", "diverging_chart", "grouped_chart",
           "percent", "plain", "stacked_chart"]
