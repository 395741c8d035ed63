"""A cumulative indicator's figures entered year to date: PMIS keeps the figure as entered,
rates it as the year to date, derives each period's own figure, and a year-to-date
percentage needs no numerator and denominator. On the entry page, bulk entry and the
returns import alike."""

import datetime
import io
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from imports import returns
from imports.reading import read_table
from imports.workbooks import returns_template
from indicators import definitions, services, year_to_date
from indicators.indicator_page import period_rows
from indicators.models import EntryBasis, Indicator, Outturn, Polarity, Rag, Rating, Unit
from indicators.returns import figure_queries
from indicators.variation import control_chart
from organisation.models import Role
from public import data as public_data
from tests.imports.helpers import csv_bytes
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.datetime(2026, 2, 2, 10, 0, tzinfo=LONDON)
YEARS = ("2024/25", "2025/26")
COMPARED = [
    "rag",
    "actual",
    "target",
    "travel_previous",
    "travel_last_year",
    "variation",
    "forecast",
    "forecast_target",
    "forecast_method",
    "likely_to_miss",
]


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def service():
    return ServiceFactory(name="Planning")


@pytest.fixture
def officer(service):
    return UserFactory(username="olive.officer", roles=[Role.OFFICER], service=service)


@pytest.fixture
def team():
    return UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])


def cumulative(code, service, officer, basis, **fields) -> Indicator:
    defaults = {"unit": Unit.NUMBER, "decimal_places": 0, "polarity": Polarity.HIGHER}
    return IndicatorFactory(
        code=code,
        service=service,
        responsible_officer=officer,
        is_cumulative=True,
        entry_basis=basis,
        **(defaults | fields),
    )


def ratings_of(indicator) -> dict[str, tuple]:
    return {
        str(r.outturn.period): tuple(getattr(r, name) for name in COMPARED)
        for r in Rating.objects.filter(outturn__indicator=indicator).select_related("outturn__period")
    }


def test_figures_entered_year_to_date_are_rated_as_the_same_figures_entered_per_period(service, officer, team):
    """Twins: one entered per period, one the running totals; every rating field the same
    (rating, year to date, both directions of travel, SPC variation, forecasts)."""
    per_period = cumulative("LPI 100", service, officer, EntryBasis.PERIOD)
    to_date = cumulative("LPI 101", service, officer, EntryBasis.YEAR_TO_DATE)
    quarterly = [[40, 55, 30, 60], [45, 50, 20]]
    for year, figures in zip(YEARS, quarterly, strict=True):
        running = 0
        for number, figure in enumerate(figures, start=1):
            running += figure
            label = f"{year} Q{number}"
            for indicator in (per_period, to_date):
                services.target_set(
                    indicator=indicator, period=period(label), value=D(45 * number), rationale="Trend", by=team
                )
            services.outturn_record(indicator=per_period, period=period(label), by=officer, value=D(figure))
            services.outturn_record(indicator=to_date, period=period(label), by=officer, value=D(running))

    assert Outturn.objects.get(indicator=to_date, period=period("2025/26 Q2")).value == D(95)  # kept as entered
    expected = ratings_of(per_period)
    assert len(expected) == 7
    assert ratings_of(to_date) == expected
    q2 = Rating.objects.get(outturn__indicator=to_date, outturn__period=period("2025/26 Q2"))
    assert (q2.actual, q2.target, q2.rag) == (D(95), D(90), Rag.GREEN)
    assert Rating.objects.get(outturn__indicator=to_date, outturn__period=period("2025/26 Q3")).rag == Rag.RED


def test_a_percentage_entered_year_to_date_with_numerators_rates_as_the_one_entered_per_period(service, officer, team):
    per_period = cumulative("LPI 110", service, officer, EntryBasis.PERIOD, unit=Unit.PERCENTAGE, decimal_places=1)
    to_date = cumulative("LPI 111", service, officer, EntryBasis.YEAR_TO_DATE, unit=Unit.PERCENTAGE, decimal_places=1)
    numerators, denominators = [80, 70, 90], [100, 100, 120]
    n = d = 0
    for number, (numerator, denominator) in enumerate(zip(numerators, denominators, strict=True), start=1):
        label = f"2025/26 Q{number}"
        n, d = n + numerator, d + denominator
        for indicator in (per_period, to_date):
            services.target_set(indicator=indicator, period=period(label), value=D(78), rationale="Trend", by=team)
        services.outturn_record(
            indicator=per_period, period=period(label), by=officer, numerator=D(numerator), denominator=D(denominator)
        )
        services.outturn_record(indicator=to_date, period=period(label), by=officer, numerator=D(n), denominator=D(d))

    assert ratings_of(to_date) == ratings_of(per_period)
    outturns = {(o.period.year, o.period.number): o for o in to_date.outturns.select_related("period")}
    # Q2 alone: 70 of 100; Q3 alone: 90 of 120.
    assert year_to_date.own(to_date, outturns) == {(2025, 1): D("80.0"), (2025, 2): D("70.0"), (2025, 3): D("75.0")}


def test_a_year_to_date_percentage_needs_no_numerator_and_is_rated_even_with_an_earlier_period_missing(
    service, officer, team
):
    indicator = cumulative("LPI 120", service, officer, EntryBasis.YEAR_TO_DATE, unit=Unit.PERCENTAGE, decimal_places=1)
    q2 = period("2025/26 Q2")
    services.target_set(indicator=indicator, period=q2, value=D(80), rationale="Trend", by=team)

    outturn = services.outturn_record(indicator=indicator, period=q2, by=officer, value=D("81.5"))

    rating = outturn.rating
    assert (outturn.value, rating.actual, rating.rag) == (D("81.5"), D("81.5"), Rag.GREEN)
    # Its own figure for Q2 alone cannot be worked out from a percentage without numerators.
    assert year_to_date.own_of(indicator, outturn, None) is None


def test_a_percentage_entered_per_period_still_needs_its_numerator_and_denominator(service, officer):
    indicator = cumulative("LPI 121", service, officer, EntryBasis.PERIOD, unit=Unit.PERCENTAGE, decimal_places=1)
    with pytest.raises(ValidationError) as refused:
        services.outturn_record(indicator=indicator, period=period("2025/26 Q2"), by=officer, value=D("81.5"))
    assert "give the numerator and denominator" in refused.value.message_dict["numerator"][0]


def test_the_entry_page_asks_for_the_year_to_date_and_shows_the_periods_own_figure(client, service, officer, team):
    indicator = cumulative("LPI 130", service, officer, EntryBasis.YEAR_TO_DATE)
    q1, q2 = period("2025/26 Q1"), period("2025/26 Q2")
    services.target_set(indicator=indicator, period=q2, value=D(30), rationale="Trend", by=team)
    services.outturn_record(indicator=indicator, period=q1, by=officer, value=D(10))
    client.force_login(officer)
    url = reverse("indicators:outturn-entry", args=[indicator.pk, q2.pk])

    page = client.get(url).content.decode()
    assert "Figure for the year to date" in page
    assert "The year so far, not this period alone." in page

    response = client.post(url, {"value": "25", "action": "draft", "version": ""}, follow=True)

    page = response.content.decode()
    assert Outturn.objects.get(indicator=indicator, period=q2).value == D(25)
    assert 'id="own-figure"' in page
    assert "2025/26 Q2 alone" in page
    assert "15, worked out from the year to date" in page
    rating = Rating.objects.get(outturn__indicator=indicator, outturn__period=q2)
    assert (rating.actual, rating.rag) == (D(25), Rag.RED)


def test_the_first_period_of_the_year_is_its_own_figure_on_the_entry_page(client, service, officer):
    indicator = cumulative("LPI 131", service, officer, EntryBasis.YEAR_TO_DATE)
    q1 = period("2025/26 Q1")
    services.outturn_record(indicator=indicator, period=q1, by=officer, value=D(12))
    client.force_login(officer)
    page = client.get(reverse("indicators:outturn-entry", args=[indicator.pk, q1.pk])).content.decode()
    assert "12, worked out from the year to date" in page


def test_bulk_entry_takes_a_year_to_date_percentage_without_numerators(client, service, officer):
    indicator = cumulative("LPI 140", service, officer, EntryBasis.YEAR_TO_DATE, unit=Unit.PERCENTAGE, decimal_places=1)
    q3 = period("2025/26 Q3")
    client.force_login(officer)
    url = reverse("indicators:bulk-entry", args=[service.pk, q3.pk])
    assert "Year-to-date figure for LPI 140" in client.get(url).content.decode()
    form = {"row-TOTAL_FORMS": 1, "row-INITIAL_FORMS": 1, "row-MIN_NUM_FORMS": 0, "row-MAX_NUM_FORMS": 1000}
    form |= {f"row-{indicator.pk}-value": "64.5", f"row-{indicator.pk}-commentary": ""}

    response = client.post(url, form)

    assert response.status_code == 302
    assert Outturn.objects.get(indicator=indicator, period=q3).value == D("64.5")


def test_a_returns_file_of_year_to_date_figures_goes_in_as_they_are(service, officer, team):
    homes = cumulative("HOU 1", service, officer, EntryBasis.YEAR_TO_DATE)
    cumulative("HOU 2", service, officer, EntryBasis.YEAR_TO_DATE, unit=Unit.PERCENTAGE, decimal_places=1)
    for number in (1, 2):
        services.target_set(
            indicator=homes, period=period(f"2025/26 Q{number}"), value=D(50 * number), rationale="Plan", by=team
        )
    data = csv_bytes(
        [
            ["HOU 1", "2025/26 Q1", "48", "", "Slightly behind."],
            ["HOU 1", "2025/26 Q2", "101", "", ""],
            ["HOU 2", "2025/26 Q2", "72.5", "", ""],
        ]
    )
    table = read_table(data, "returns.csv", required=returns.REQUIRED, known=returns.KNOWN)
    result = returns.check(table, officer)
    assert result.errors == []
    assert [(c["code"], c["after"], c["rag"]) for c in result.changes] == [
        ("HOU 1", "48", Rag.AMBER),
        ("HOU 1", "101", Rag.GREEN),
        ("HOU 2", "72.5%", Rag.NO_TARGET),
    ]

    returns.apply(table, officer, versions=result.versions)

    assert [(o.indicator.code, str(o.period), o.value, o.rating.actual) for o in Outturn.objects.all()] == [
        ("HOU 1", "2025/26 Q1", D(48), D(48)),
        ("HOU 1", "2025/26 Q2", D(101), D(101)),  # not 149: the year to date is not added up again
        ("HOU 2", "2025/26 Q2", D("72.5"), D("72.5")),
    ]


def test_the_entry_basis_of_an_indicator_with_figures_cannot_change(client, service, officer, team):
    indicator = cumulative("LPI 150", service, officer, EntryBasis.PERIOD)
    # Without figures it may change.
    indicator = definitions.indicator_update(indicator=indicator, changes={"entry_basis": "year_to_date"}, by=team)
    assert indicator.entry_basis == EntryBasis.YEAR_TO_DATE
    services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), by=officer, value=D(10))

    with pytest.raises(ValidationError) as refused:
        definitions.indicator_update(indicator=indicator, changes={"entry_basis": "period"}, by=team)

    assert refused.value.message_dict["entry_basis"] == [
        "This indicator already has figures entered as the year-to-date figure, so what officers enter cannot "
        "change: its figures would be read the other way. Create a new indicator instead."
    ]
    indicator.refresh_from_db()
    assert indicator.entry_basis == EntryBasis.YEAR_TO_DATE


def test_the_public_see_a_validated_year_to_date_figure_without_the_earlier_periods(service, officer, team):
    indicator = cumulative("LPI 160", service, officer, EntryBasis.YEAR_TO_DATE, is_published=True)
    twin = cumulative("LPI 161", service, officer, EntryBasis.PERIOD, is_published=True)
    q2 = period("2025/26 Q2")
    for each in (indicator, twin):
        outturn = services.outturn_record(indicator=each, period=q2, by=officer, value=D(40))
        services.outturn_validate(outturn=services.outturn_submit(outturn=outturn, by=officer), by=team)

    shown = public_data.figures(Indicator.objects.filter(pk__in=[indicator.pk, twin.pk]))

    assert [(f.shown, f.status) for f in shown[indicator.pk]] == [(D(40), Rag.NO_TARGET)]
    assert [(f.shown, f.status) for f in shown[twin.pk]] == [(None, Rag.INCOMPLETE)]


def test_the_returns_template_says_which_figures_are_year_to_date(service, officer):
    indicator = cumulative("LPI 170", service, officer, EntryBasis.YEAR_TO_DATE)
    data = returns_template(
        rows=[{"indicator": indicator, "target": None, "last": None}], period="2025/26 Q3", title="t"
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["D2"].value == "Number, 0 dp, year to date"


def test_the_entry_checks_compare_the_periods_own_figures_of_an_indicator_entered_year_to_date(service, officer):
    indicator = cumulative("LPI 180", service, officer, EntryBasis.YEAR_TO_DATE)
    services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), by=officer, value=D(10))
    q2 = period("2025/26 Q2")
    # 20 to date is 10 in Q2 alone: as the quarter before, not a jump of 100%.
    assert figure_queries(indicator, q2, D(20)) == []
    assert figure_queries(indicator, q2, D(40)) == [
        "30 is 200% more than the previous period's figure (10): is it right?"
    ]
    # Q1 of the next year starts again from zero: its own figure is the year to date.
    services.outturn_record(indicator=indicator, period=q2, by=officer, value=D(20))
    assert figure_queries(indicator, period("2026/27 Q1"), D(12)) == []


def test_the_control_chart_of_an_indicator_entered_year_to_date_plots_the_periods_own_figures(
    service, officer, settings
):
    settings.PMIS_SPC_MIN_POINTS = 3
    indicator = cumulative("LPI 190", service, officer, EntryBasis.YEAR_TO_DATE)
    for label, to_date in (("2025/26 Q1", 10), ("2025/26 Q2", 25), ("2025/26 Q3", 37)):
        services.outturn_record(indicator=indicator, period=period(label), by=officer, value=D(to_date))
    rows = period_rows(indicator, today=TODAY.date())
    chart = control_chart(indicator, rows)
    assert [(row.label, row.figure) for row in chart.rows] == [
        ("2025/26 Q1", D(10)),
        ("2025/26 Q2", D(15)),
        ("2025/26 Q3", D(12)),
    ]
