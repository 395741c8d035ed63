import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from indicators import charts
from indicators.charts import TrendPoint, sparkline, trend_chart

SVG = "{http://www.w3.org/2000/svg}"


def fmt(value):
    return f"{value:.1f}%"


ROWS = [
    TrendPoint("2025/26 Q1", D("96.0"), D("95.0"), "green", "Green"),
    TrendPoint("2025/26 Q2", D("92.1"), D("95.0"), "amber", "Amber"),
    TrendPoint("2025/26 Q3", None, D("95.0"), "", "Overdue"),
    TrendPoint("2025/26 Q4", D("80.0"), D("96.0"), "red", "Red"),
    TrendPoint("2026/27 Q1", D("90.0"), None, "no_target", "No target"),
]


def parse(svg: str):
    # Parsing proves the markup is well-formed XML; the namespace is added as the page's HTML parser would.
    return ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def chart(rows=ROWS, **kwargs):
    options = {"title": "LPI 001: figures against targets", "description": "Falling since Q1.", "unit_formatter": fmt}
    return trend_chart(rows, **(options | kwargs))


class TestTrendChart:
    def test_is_an_image_with_a_title_and_description(self):
        svg = parse(chart())
        assert svg.get("role") == "img"
        assert svg.get("viewBox") == "0 0 640 340"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title.text == "LPI 001: figures against targets" and desc.text == "Falling since Q1."
        assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]

    def test_a_marker_per_period_with_a_figure_its_shape_showing_the_rating(self):
        svg = parse(chart())
        markers = svg.findall(f"{SVG}g[@class='pmis-chart__marker']")
        assert [m.get("data-rag") for m in markers] == ["green", "amber", "red", "no_target"]
        shapes = [next(iter(child for child in m if child.tag != f"{SVG}title")).tag for m in markers]
        assert shapes == [f"{SVG}circle", f"{SVG}polygon", f"{SVG}rect", f"{SVG}polygon"]
        assert markers[1].find(f"{SVG}title").text == "2025/26 Q2: 92.1% against a target of 95.0%, Amber"
        assert markers[3].find(f"{SVG}title").text == "2026/27 Q1: 90.0%, no target, No target"

    def test_legend_names_the_lines_and_shapes_in_words(self):
        legend = parse(chart()).find(f"{SVG}g[@class='pmis-chart__legend']")
        words = [text.text for text in legend.iter(f"{SVG}text")]
        assert words == ["Figure", "Target", "Green", "Amber", "Red", "Other status"]

    def test_value_axis_has_round_ticks_with_light_gridlines_and_periods_label_each_year(self):
        svg = parse(chart())
        axis = svg.find(f"{SVG}g[@class='pmis-chart__axis']")
        # 80.0% to 96.0%: ticks every 5 points, from 80 to 100, each with a gridline.
        assert [text.text for text in axis.iter(f"{SVG}text")] == ["80.0%", "85.0%", "90.0%", "95.0%", "100.0%"]
        assert len(axis.findall(f"{SVG}line[@class='pmis-chart__grid']")) == 5
        # The period axis is labelled where each financial year starts.
        periods = svg.find(f"{SVG}g[@class='pmis-chart__periods']")
        assert [text.text for text in periods.iter(f"{SVG}text")] == ["2025/26 Q1", "2026/27 Q1"]
        # The target line says what it is, with its latest value.
        assert svg.find(f"{SVG}text[@class='pmis-chart__target-label']").text == "Target 96.0%"
        assert svg.get("font-family") == "GDS Transport, arial, sans-serif"

    def test_lines_break_where_a_figure_or_target_is_missing(self):
        svg = parse(chart())
        figures = svg.find(f"{SVG}path[@class='pmis-chart__figures']").get("d")
        targets = svg.find(f"{SVG}path[@class='pmis-chart__targets']").get("d")
        assert figures.count("M") == 2  # Q3 has no figure
        assert targets.count("M") == 1 and "H" in targets and "V" in targets  # stepped, Q1-Q4
        assert svg.find(f"{SVG}path[@class='pmis-chart__targets']").get("stroke-dasharray")

    def test_escapes_text(self):
        svg = chart(title="A <b> & c", description="<script>alert(1)</script>")
        assert "<script>" not in svg and "&lt;b&gt; &amp; c" in svg
        parse(svg)

    def test_one_period_and_equal_values(self):
        svg = parse(chart([TrendPoint("2025/26 Q1", D("5.0"), D("5.0"), "green", "Green")]))
        assert len(svg.findall(f"{SVG}g[@class='pmis-chart__marker']")) == 1

    def test_nothing_to_draw(self):
        assert chart([]) == ""
        assert chart([TrendPoint("2025/26 Q1", None, None)]) == ""

    def test_no_javascript(self):
        assert "<script" not in chart() and "onload" not in chart()


def test_sparkline_skips_gaps_and_needs_two_figures():
    svg = sparkline(["Q1", "Q2", "Q3", "Q4"], ["10", None, "30", "20"], title="A: recent figures", chart_id="trend-7")
    parse(svg)
    assert "<desc>Q1: 10; Q3: 30; Q4: 20</desc>" in svg
    # Three points across the width, the highest at the top, in tenths of a pixel; the last
    # one marked.
    assert 'viewBox="0 0 1000 240"' in svg and 'width="100" height="24"' in svg
    assert 'points="20,220 500,20 980,120"' in svg and 'cx="980" cy="120"' in svg
    assert 'aria-labelledby="trend-7"' in svg and '<title id="trend-7">A: recent figures</title>' in svg
    assert sparkline(["Q1", "Q2"], ["10", None], title="T") == ""


class TestXmrChart:
    def chart(self, rows, target=D(14)):
        return charts.xmr_chart(
            rows,
            mean=D(11),
            lower=D("5.68"),
            upper=D("16.32"),
            target=target,
            title="LPI 1: variation over time",
            description="The latest figure is unusually high.",
            unit_formatter=lambda v: f"{v:.1f}",
        )

    def test_described_with_every_figure_marked_by_its_variation(self):
        rows = [
            charts.XmrPoint("Q1", D(12), "common_cause", "common cause"),
            charts.XmrPoint("Q2", None),
            charts.XmrPoint("Q3", D(20), "improvement_high", "outside the process limits"),
            charts.XmrPoint("Q4", D(4), "concern_low", "outside the process limits"),
        ]
        svg = self.chart(rows)
        assert 'role="img"' in svg and "<title id=" in svg and "The latest figure is unusually high." in svg
        assert svg.count('class="pmis-xmr__marker"') == 3  # the gap has none
        assert "<title>Q3: 20.0, outside the process limits</title><circle" in svg
        assert 'data-variation="concern_low"><title>Q4: 4.0, outside the process limits</title><rect' in svg
        for line in ("pmis-chart__mean", "pmis-chart__upper", "pmis-chart__lower", "pmis-chart__target"):
            assert line in svg
        # The figures' line breaks at the gap: two runs.
        path = re.search(r'class="pmis-chart__figures" d="([^"]+)"', svg).group(1)
        assert path.count("M") == 2

    def test_legend_stays_inside_the_chart_and_no_target_line_without_a_target(self):
        svg = self.chart([charts.XmrPoint("Q1", D(12), "common_cause")], target=None)
        assert "pmis-chart__target" not in svg
        xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="3[0-9]{2}"', svg)]
        assert xs and max(xs) < charts.WIDTH - charts.RIGHT

    def test_nothing_to_draw_without_figures(self):
        assert self.chart([charts.XmrPoint("Q1", None)]) == ""


def test_sparkline_reads_out_number_text_as_it_is_and_refuses_other_text():
    svg = sparkline(["Q1", "Q2", "<Q3>"], ["12.5", "-3.0", D("7")], title="T")
    assert "Q1: 12.5; Q2: -3.0; &lt;Q3&gt;: 7" in svg
    parse(svg)
    with pytest.raises(ValueError):
        sparkline(["Q1", "Q2"], ["1", "<script>"], title="T")


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        ("80", "96", ["80", "85", "90", "95", "100"]),
        ("0", "1", ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        ("1033", "1877", ["1000", "1200", "1400", "1600", "1800", "2000"]),
        ("-3", "12", ["-5", "0", "5", "10", "15"]),
        ("7", "7", ["6.0", "6.5", "7.0", "7.5", "8.0"]),
        ("0.0012", "0.0019", ["0.0012", "0.0014", "0.0016", "0.0018", "0.0020"]),
    ],
)
def test_nice_ticks_are_four_to_six_round_values_covering_the_range(low, high, ticks):
    found = charts.nice_ticks(D(low), D(high))
    assert [D(t) for t in ticks] == found
    assert 4 <= len(found) <= 6 and found[0] <= D(low) and found[-1] >= D(high)


def test_periods_are_labelled_where_each_year_starts():
    labels = ["2024/25 Feb", "2024/25 Mar", "2025/26 Apr", "2025/26 May", "2026/27 Apr"]
    assert charts.year_starts(labels) == [0, 2, 4]
