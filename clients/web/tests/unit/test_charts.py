"""The dashboards' charts as SVG, without a server: well-formed, one bar per figure and as long as
it, blanked figures drawn as no length at all, labels kept as text, round axes, and empty data
said in words."""
import math
import re
import xml.etree.ElementTree as ET

import pytest

from canopy_web import charts
from canopy_web.charts import Bar, Group, Spread, common

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def find(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    found = root.iter(f"{SVG}{tag}")
    return [el for el in found if cls is None or cls in (el.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in find(root, "text")]


def rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in find(root, "g", "dash-row")]


def widths(elements) -> list[float]:
    return [float(el.get("width")) for el in elements]


SCHOOLS = [Bar("Ashby Vale Academy", 388.5), Bar("Castle Park School", 372.5), Bar("Kingsmead Primary", None, True),
           Bar("Oakfield Primary School", 131.0), Bar("Westfield High School", 0.0)]


def test_a_bar_chart_is_one_image_with_a_summary_and_one_bar_per_figure_as_long_as_it():
    root = parse(charts.bar_chart(SCHOOLS, title="CPD hours per school", threshold=5))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 320 ")
    label = root.get("aria-label")
    assert label.startswith("CPD hours per school.")
    assert "Highest Ashby Vale Academy, 388.5" in label and "lowest Westfield High School, 0" in label
    assert "1 not shown (fewer than 5 people)" in label
    assert "".join(root.find(f"{SVG}title").itertext()) == label
    bars = find(root, "rect", "dash-bar")
    assert [float(bar.get("data-value")) for bar in bars] == [388.5, 372.5, 131.0, 0.0]
    lengths = widths(bars)
    for bar, length in zip(bars, lengths):
        assert length == pytest.approx(lengths[0] * float(bar.get("data-value")) / 388.5, abs=0.02)
    assert lengths[-1] == 0
    assert "style" not in str(charts.bar_chart(SCHOOLS, title="x"))  # the CSP forbids style attributes


def test_the_scale_ends_at_a_round_number_above_the_largest_figure():
    assert common.nice_max(388.5) == 400
    assert common.nice_max(12150) == 15000
    assert common.nice_max(0.87) == 1
    assert common.nice_max(0.55) == 0.6
    assert common.nice_max(7) == 8
    assert common.nice_max(10) == 10
    assert common.nice_max(0.0031) == 0.004
    assert common.nice_max(0) == 1 and common.nice_max(-3) == 1
    for value in (1, 3.3, 47, 388.5, 999, 1001, 74945, 0.123):
        top = common.nice_max(value)
        assert top >= value
        mantissa = top / 10 ** math.floor(math.log10(top))
        assert round(mantissa, 9) in common.NICE_STEPS
    root = parse(charts.bar_chart(SCHOOLS, title="Hours"))
    ticks = ["".join(el.itertext()) for el in find(root, "text", "dash-tick")]
    assert ticks == ["0", "200", "400"]
    # The longest bar is as long as 388.5 of 400 of the track.
    gridlines = find(root, "line", "dash-grid")
    start, end = float(gridlines[0].get("x1")), float(gridlines[-1].get("x1"))
    assert max(widths(find(root, "rect", "dash-bar"))) == pytest.approx((end - start) * 388.5 / 400, abs=0.02)


def test_a_blanked_figure_draws_no_bar_of_any_length_and_says_not_shown():
    root = parse(charts.bar_chart(SCHOOLS, title="Hours", threshold=5))
    kingsmead = next(row for row in rows(root) if "Kingsmead Primary" in texts(row))
    assert find(kingsmead, "rect", "dash-bar") == []
    band = find(kingsmead, "rect", "dash-hidden")
    assert len(band) == 1 and band[0].get("fill", "").startswith("url(#")
    # The band spans the whole track, whatever the figure was: it says nothing about its size.
    gridlines = find(root, "line", "dash-grid")
    track = float(gridlines[-1].get("x1")) - float(gridlines[0].get("x1"))
    assert float(band[0].get("width")) == pytest.approx(track, abs=0.02)
    assert "not shown" in texts(kingsmead)
    assert "0" not in texts(kingsmead)
    # No data is not a zero either, and draws nothing.
    unknown = parse(charts.bar_chart([Bar("Pupil outcomes", None)], title="Impact"))
    assert find(unknown, "rect", "dash-bar") == [] and find(unknown, "rect", "dash-hidden") == []
    assert "no data" in texts(unknown)


def test_labels_are_text_never_markup():
    nasty = [Bar("<script>alert(1)</script>", 3), Bar('St "Quote" & Co', 2)]
    markup = str(charts.bar_chart(nasty, title="<b>Hours</b> & more"))
    assert "<script>" not in markup and "<b>" not in markup
    root = parse(markup)
    assert "<script>alert(1)</script>" in texts(root)
    assert root.get("aria-label").startswith("<b>Hours</b> & more.")
    assert [el.tag for el in root.iter()].count(f"{SVG}script") == 0
    titles = ["".join(el.itertext()) for el in root.iter(f"{SVG}title")]
    assert any(title.startswith('St "Quote" & Co') for title in titles)


def test_a_long_label_is_wrapped_then_cut_short_with_the_whole_of_it_in_its_title():
    name = "The Very Long Named Church of England Voluntary Aided Primary School and Nursery of Saint Barnabas the Apostle"
    root = parse(charts.bar_chart([Bar(name, 10)], title="Hours"))
    assert "10" in ["".join(el.itertext()) for el in find(root, "text", "dash-value")]
    label_lines = [el for el in find(root, "text", "dash-label")]
    assert len(label_lines) == 2
    assert "".join(label_lines[1].itertext()).endswith("…")
    assert all(common.text_width("".join(line.itertext())) <= common.WIDTH for line in label_lines)
    assert any(name in "".join(title.itertext()) for title in root.iter(f"{SVG}title"))
    compact = parse(charts.bar_chart([Bar(name, 10), Bar("Short", 4)], title="Hours", compact=True))
    first = "".join(find(compact, "text", "dash-label")[0].itertext())
    assert first.endswith("…") and len(first) < len(name)


def test_nothing_to_show_is_said_in_words_not_divided_by_zero():
    for markup in (charts.bar_chart([], title="Hours"), charts.grouped_chart([], ["A"], title="Impact"),
                   charts.stacked_chart([], ["A"], title="Types"),
                   charts.diverging_chart([], title="Ratings", low_label="Low", middle_label="Mid", high_label="High")):
        root = parse(markup)
        assert root.get("role") == "img"
        assert "Nothing to show" in " ".join(texts(root)) and "Nothing to show" in root.get("aria-label")
        assert find(root, "rect", "dash-bar") == []
    # Figures that are all zero, or all blanked, have a scale of 1 and no bar of any length.
    zeros = parse(charts.bar_chart([Bar("A", 0), Bar("B", 0)], title="Hours"))
    assert widths(find(zeros, "rect", "dash-bar")) == [0, 0]
    hidden = parse(charts.bar_chart([Bar("A", None, True)], title="Hours"))
    assert find(hidden, "rect", "dash-bar") == [] and find(hidden, "text", "dash-tick") == []


def test_a_grouped_chart_names_every_bar_and_blanks_only_the_blanked_one():
    groups = [Group("Ashby Vale Academy", (Bar("Observed", 0.56), Bar("With CPD", 0.88))),
              Group("Kingsmead Primary School", (Bar("Observed", 0.31), Bar("With CPD", None, True)))]
    root = parse(charts.grouped_chart(groups, ["Observed", "With CPD"], title="Participation", fmt=charts.percent,
                                      axis_max=1, threshold=5))
    bars = find(root, "rect", "dash-bar")
    assert [float(bar.get("data-value")) for bar in bars] == [0.56, 0.88, 0.31]
    lengths = widths(bars)
    assert lengths[1] / lengths[0] == pytest.approx(0.88 / 0.56, rel=1e-3)
    assert len(find(root, "rect", "dash-hidden")) == 1
    assert texts(root).count("Observed") == 2 and texts(root).count("With CPD") == 2  # named, not only coloured
    assert "56%" in texts(root) and "not shown" in texts(root)
    assert ["".join(el.itertext()) for el in find(root, "text", "dash-tick")] == ["0%", "50%", "100%"]


def test_a_stacked_chart_letters_its_segments_and_names_what_it_blanked():
    series = ["Course", "Coaching", "INSET"]
    groups = [Group("Ashby", (Bar("Course", 101), Bar("Coaching", 20.5), Bar("INSET", 47.5))),
              Group("Castle Park", (Bar("Course", 69), Bar("Coaching", None, True), Bar("INSET", 0))),
              Group("Kingsmead", (Bar("Course", None, True), Bar("Coaching", None, True), Bar("INSET", None, True)))]
    root = parse(charts.stacked_chart(groups, series, title="Hours per type", threshold=5))
    ashby, castle, kingsmead = rows(root)
    segments = find(ashby, "rect", "dash-segment")
    assert [float(s.get("data-value")) for s in segments] == [101, 20.5, 47.5]
    assert sum(widths(segments)) == pytest.approx(widths(segments)[0] * 169 / 101, rel=1e-3)
    assert "169" in texts(ashby)  # the total, where nothing of it is blanked
    assert "A" in texts(ashby) and "C" in texts(ashby)  # letters of the legend's entries
    legend = [t for t in texts(root) if t.startswith(("A ", "B ", "C "))]
    assert legend == ["A Course", "B Coaching", "C INSET"]
    assert [float(s.get("data-value")) for s in find(castle, "rect", "dash-segment")] == [69]
    assert "Not shown: Coaching" in texts(castle) and "69" not in texts(castle)  # no total of a part
    assert find(kingsmead, "rect", "dash-segment") == [] and len(find(kingsmead, "rect", "dash-hidden")) == 1
    assert "not shown" in texts(kingsmead)


def test_a_diverging_bar_reaches_left_for_what_to_develop_and_right_for_what_is_strong():
    spreads = [Spread("P1 High expectations", 0.46, 0.23), Spread("P2 Clear intentions", 0.16, 0.47),
               Spread("P3 Retrieval", None, None, True)]
    root = parse(charts.diverging_chart(spreads, title="Ratings", low_label="To develop", middle_label="Neither",
                                        high_label="Strong", threshold=5))
    first, second, third = rows(root)
    low, middle, high = find(first, "rect", "dash-bar")
    assert [float(el.get("data-value")) for el in (low, middle, high)] == pytest.approx([0.46, 0.31, 0.23])
    assert float(low.get("width")) / float(high.get("width")) == pytest.approx(0.46 / 0.23, rel=1e-3)
    centre = float(find(root, "line", "axis")[0].get("x1"))
    # The middle band sits across the centre, half each side.
    assert float(middle.get("x")) + float(middle.get("width")) / 2 == pytest.approx(centre, abs=0.02)
    assert float(low.get("x")) + float(low.get("width")) == pytest.approx(float(middle.get("x")), abs=0.02)
    assert "46%" in texts(first) and "23%" in texts(first)
    assert find(third, "rect", "dash-bar") == [] and "not shown" in texts(third)
    assert "Most strong: P2 Clear intentions, 47%" in root.get("aria-label")
    assert "1 not shown (fewer than 5 people)" in root.get("aria-label")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_colour_stands_out_against_white_and_carries_white_letters():
    for colour in (*common.PALETTE, common.LOW, common.MIDDLE, common.HIGH, common.HATCH):
        assert contrast(colour, "#ffffff") >= 4.5, colour
    assert len(set(common.PALETTE)) == len(common.PALETTE)
    markup = str(charts.stacked_chart([Group("A", tuple(Bar(str(n), 5) for n in range(12)))],
                                      [str(n) for n in range(12)], title="Many"))
    assert re.search(r'fill="#[0-9a-f]{6}"', markup)  # colours as presentation attributes
