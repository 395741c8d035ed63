"""The public read layer's rules: validated figures, signed-off targets, honest ratings."""

from decimal import Decimal as D

import pytest

from indicators import services
from indicators.models import Rag, Travel
from public import data
from tests.indicators.factories import period

pytestmark = pytest.mark.django_db


def by_label(world, indicator):
    return {f.period.label: f for f in data.figures([indicator])[indicator.pk]}


def test_only_validated_figures_and_signed_off_targets(world):
    figures = by_label(world, world.recycling)
    assert figures["2025/26 Q2"].value == D("44.0")
    assert figures["2025/26 Q2"].status == Rag.GREEN
    assert figures["2025/26 Q2"].target == D("42.0")
    # Submitted, not validated: the period says so, and nothing of the figure leaves.
    q4 = figures["2025/26 Q4"]
    assert q4.status == data.NOT_VALIDATED and q4.status_label == "Not yet validated"
    assert q4.value is None and q4.actual is None and q4.commentary == "" and not q4.has_figure
    # Returned to its officer: not validated either.
    assert figures["2026/27 Q1"].status == data.NOT_VALIDATED and figures["2026/27 Q1"].value is None
    # Proposed target: nothing.
    assert "2026/27 Q2" not in figures


def test_a_figure_whose_target_is_not_signed_off_is_not_rated(world):
    q3 = by_label(world, world.recycling)["2025/26 Q3"]
    assert q3.value == D("39.0")
    assert q3.target is None
    assert q3.status == data.TARGET_NOT_AGREED
    assert q3.status_label == "Target not yet agreed" and q3.target_text == "Not yet agreed"


def test_only_public_commentary(world):
    figures = by_label(world, world.recycling)
    assert figures["2025/26 Q2"].commentary == "Recycling rose after the new food waste round"
    assert figures["2025/26 Q3"].commentary == ""


def test_cumulative_year_to_date_needs_every_earlier_period_validated(world):
    q2 = by_label(world, world.homes)["2025/26 Q2"]
    assert q2.value == D("70")
    assert q2.status == Rag.INCOMPLETE
    assert q2.actual is None and q2.shown is None
    assert q2.shown_text == "70 in this period (year to date not yet complete)"
    assert q2.travel_previous == ""
    # Once Q1 is validated the year to date (60 + 70) is published and rated.
    q1 = world.homes.outturns.get(period=period("2025/26 Q1"))
    services.outturn_validate(outturn=q1, by=world.team)
    q2 = by_label(world, world.homes)["2025/26 Q2"]
    assert q2.actual == D("130")
    assert q2.status == Rag.GREEN


def test_direction_of_travel_only_against_validated_figures(world):
    figures = by_label(world, world.recycling)
    assert figures["2025/26 Q2"].travel_previous == Travel.IMPROVING
    assert figures["2025/26 Q2"].travel_last_year == Travel.IMPROVING
    assert figures["2024/25 Q1"].travel_last_year == ""


def test_an_override_to_green_without_a_signed_off_target_is_not_shown(world):
    services.rating_override(outturn=world.internal, rag=Rag.GREEN, reason="Provisional", by=world.team)
    assert by_label(world, world.recycling)["2025/26 Q3"].status == data.TARGET_NOT_AGREED


def test_an_override_against_a_signed_off_target_says_so(world):
    q2 = world.recycling.outturns.get(period=period("2025/26 Q2"))
    services.rating_override(outturn=q2, rag=Rag.AMBER, reason="Collection data late", by=world.team)
    figure = by_label(world, world.recycling)["2025/26 Q2"]
    assert figure.status == Rag.AMBER and figure.overridden and figure.computed == Rag.GREEN
    assert figure.rating_words == "Amber (overridden, computed Green)"


def test_scorecard_leaves_out_unpublished_indicators(world):
    report = data.scorecard(period("2025/26 Q2"))
    codes = [row.indicator.code for row in report.rows]
    assert codes == ["LPI 100", "NI 192"]
    recycling = report.rows[1]
    assert recycling.figure.period.label == "2025/26 Q2"
    assert {count.status: count.count for count in report.summary} == {Rag.GREEN: 1, Rag.NOT_AVAILABLE: 1}


def test_annual_report_tells_what_improved(world):
    report = data.annual_report(2025)
    assert [row.indicator.code for row in report.improved] == []
    assert [view.priority.title for view in report.priorities] == ["A cleaner, greener borough"]
    rows = {row.indicator.code: row for row in report.priorities[0].rows}
    # 2025/26 Q4 for recycling is entered but not validated: the year-end row says so, and
    # Q3 (39.0) does not stand in for it.
    assert rows["NI 192"].figure.period.label == "2025/26 Q4"
    assert rows["NI 192"].status == data.NOT_VALIDATED
    assert [row.indicator.code for row in report.worsened] == []
    assert [story.title for story in report.stories] == [
        "Parks awarded Green Flag",
        "Library visits at a ten-year high",
    ]
