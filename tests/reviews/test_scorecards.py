"""The read layer: which period each indicator reports, its row, and the summary counts."""

import datetime

import pytest

from indicators import services
from indicators.models import Frequency, Indicator, Polarity
from reviews import scorecards
from tests.indicators.factories import IndicatorFactory, period
from tests.reviews.builders import figure, target, team, years

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 20)


def report(label: str, indicators=None):
    return scorecards.scorecard(
        indicators if indicators is not None else Indicator.objects.order_by("code"), period(label), today=TODAY
    )


def test_each_indicator_reports_its_latest_period_ending_by_the_reporting_period():
    years(2024, 2025)
    IndicatorFactory(code="M", frequency=Frequency.MONTH)
    IndicatorFactory(code="Q", frequency=Frequency.QUARTER)
    IndicatorFactory(code="Y", frequency=Frequency.YEAR)

    rows = {row.indicator.code: row for row in report("2025/26 Q3").rows}

    assert rows["M"].period == period("2025/26 Dec")
    assert rows["Q"].period == period("2025/26 Q3")
    assert rows["Y"].period == period("2024/25")
    # A month as the reporting period: the quarter and year ended by then.
    rows = {row.indicator.code: row for row in report("2025/26 Nov").rows}
    assert rows["M"].period == period("2025/26 Nov")
    assert rows["Q"].period == period("2025/26 Q2")
    assert rows["Y"].period == period("2024/25")
    # The year itself: the last month and quarter of it.
    rows = {row.indicator.code: row for row in report("2025/26").rows}
    assert (rows["M"].period, rows["Q"].period, rows["Y"].period) == (
        period("2025/26 Mar"),
        period("2025/26 Q4"),
        period("2025/26"),
    )


def test_row_carries_figure_target_rating_travel_sign_off_commentary_and_trend():
    years(2024, 2025)
    indicator = IndicatorFactory(code="A")
    for label, value in [("2024/25 Q3", "70"), ("2024/25 Q4", "72"), ("2025/26 Q1", "80"), ("2025/26 Q2", "78")]:
        figure(indicator, label, value)
    target(indicator, "2025/26 Q3", "90", signed_off=True)
    figure(indicator, "2025/26 Q3", "85.5", commentary="Staff vacancies in the contact centre. " * 10)
    figure(indicator, "2024/25 Q3", "70")

    (row,) = report("2025/26 Q3").rows

    assert row.actual == 85.5 and row.target_value == 90
    assert row.status == "amber" and row.status_label == "Amber"
    assert row.travel_previous == "improving" and row.travel_last_year == "improving"
    assert row.signed_off
    assert row.commentary_start.startswith("Staff vacancies") and row.commentary_start.endswith("…")
    assert len(row.commentary_start) <= scorecards.COMMENTARY_LENGTH
    assert row.tolerance_text == "5% of the target"
    assert [label for label, _ in row.trend] == [
        "2024/25 Q1",
        "2024/25 Q2",
        "2024/25 Q3",
        "2024/25 Q4",
        "2025/26 Q1",
        "2025/26 Q2",
        "2025/26 Q3",
    ]
    assert "<svg" in row.sparkline and "2025/26 Q3: 85.5" in row.sparkline


def test_overdue_and_not_yet_due():
    years(2025, 2026)
    quarterly = IndicatorFactory(code="Q")
    IndicatorFactory(code="M", frequency=Frequency.MONTH)
    # April 2026's returns are due on 22 May 2026, after "today".
    rows = {row.indicator.code: row for row in report("2026/27 Apr").rows}
    assert rows["Q"].period == period("2025/26 Q4") and rows["Q"].status == "overdue"
    assert rows["M"].status == "not_due"
    figure(quarterly, "2025/26 Q4", "50")
    rows = {row.indicator.code: row for row in report("2026/27 Apr").rows}
    assert rows["Q"].status == "no_target"


def test_override_is_the_status_shown_and_the_computed_rating_stays_visible():
    years(2025)
    indicator = IndicatorFactory()
    target(indicator, "2025/26 Q2", "90")
    outturn = figure(indicator, "2025/26 Q2", "50")
    services.rating_override(outturn=outturn, rag="green", reason="Provisional figure", by=team())

    (row,) = report("2025/26 Q2").rows

    assert row.status == "green" and row.computed_rag == "red" and row.is_overridden


def test_summary_counts_each_status_and_its_change_since_the_previous_period():
    years(2025)
    a, b, c, d = (IndicatorFactory(code=code) for code in "ABCD")
    data_only = IndicatorFactory(code="E", polarity=Polarity.NONE)
    no_target = IndicatorFactory(code="F")
    unavailable = IndicatorFactory(code="G")
    for indicator in (a, b, c, d):
        target(indicator, "2025/26 Q1", "100", signed_off=True)
        target(indicator, "2025/26 Q2", "100", signed_off=True)
    # Q1: A green, B green, C red, D red.  Q2: A red, B red, C red, D overdue.
    for indicator, q1, q2 in [(a, "100", "50"), (b, "100", "50"), (c, "50", "50"), (d, "50", None)]:
        figure(indicator, "2025/26 Q1", q1)
        if q2:
            figure(indicator, "2025/26 Q2", q2)
    figure(data_only, "2025/26 Q1", "5")
    figure(data_only, "2025/26 Q2", "6")
    figure(no_target, "2025/26 Q2", "6")
    figure(unavailable, "2025/26 Q2", None)

    result = report("2025/26 Q2")

    counts = {count.status: (count.count, count.previous) for count in result.summary}
    assert counts == {
        "green": (0, 2),
        "amber": (0, 0),
        "red": (3, 2),
        "no_target": (1, 0),
        "data_only": (1, 1),
        "not_available": (1, 0),
        # Q1: F and G had no figure either, and were overdue then too.
        "overdue": (1, 2),
    }
    assert result.previous == period("2025/26 Q1")
    words = result.summary_in_words()
    assert "Red: 3 (up 1 since 2025/26 Q1)" in words
    assert "Green: 0 (down 2 since 2025/26 Q1)" in words
    assert "Data only: 1 (no change since 2025/26 Q1)" in words


@pytest.mark.parametrize(
    ("stored", "places", "shown"),
    [
        ("85.5", 1, "85.5"),
        ("85.5", 2, "85.50"),
        ("85", 1, "85.0"),
        ("85", 0, "85"),
        ("85.25", 1, "85.3"),  # halves away from zero, as ratings are rounded
        ("-85.25", 1, "-85.3"),
        ("85.2499", 1, "85.2"),
        ("2.675", 2, "2.68"),  # a half as written, though no binary real holds it exactly
        ("12345678901234.5", 0, "12345678901235"),
    ],
)
def test_trend_figures_are_rounded_to_the_indicators_places(stored, places, shown):
    """Figures stored with more places than the indicator now has (its places were cut after
    they were rated), or fewer, read out to its places."""
    years(2025)
    indicator = IndicatorFactory(decimal_places=4)
    figure(indicator, "2025/26 Q1", "1")
    figure(indicator, "2025/26 Q2", stored)
    Indicator.objects.filter(pk=indicator.pk).update(decimal_places=places)

    (row,) = report("2025/26 Q2").rows

    assert row.trend_figures[-2:] == ["1" if places == 0 else "1." + "0" * places, shown]
    assert f"2025/26 Q2: {shown}</desc>" in row.sparkline


def test_ratings_against_targets_not_signed_off_are_provisional_and_counted_apart():
    years(2025)
    signed, unsigned, overridden = (IndicatorFactory(code=code) for code in "ABC")
    target(signed, "2025/26 Q2", "100", signed_off=True)
    target(unsigned, "2025/26 Q2", "100")
    target(overridden, "2025/26 Q2", "100")
    figure(signed, "2025/26 Q2", "50")
    figure(unsigned, "2025/26 Q2", "50")
    outturn = figure(overridden, "2025/26 Q2", "50")
    services.rating_override(outturn=outturn, rag="green", reason="Figure corrected late", by=team())

    result = report("2025/26 Q2")

    rows = {row.indicator.code: row for row in result.rows}
    assert rows["A"].status == "red" and not rows["A"].provisional and rows["A"].rating_words == "Red"
    assert rows["B"].status == "red" and rows["B"].provisional
    assert rows["B"].rating_words == "Red (provisional: target not signed off)"
    assert rows["C"].status == "green" and rows["C"].provisional and rows["C"].is_overridden
    assert rows["C"].rating_words == "Green (provisional: target not signed off; overridden, computed Red)"
    counts = {count.status: count.count for count in result.summary}
    assert counts["red"] == 1 and counts["green"] == 0
    assert counts["provisional_red"] == 1 and counts["provisional_green"] == 1
    assert "Red, provisional (target not signed off): 1 (up 1 since 2025/26 Q1)" in result.summary_in_words()
