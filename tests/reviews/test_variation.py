"""Variation and assurance on scorecards, and indicators likely to miss in the exception report."""

import re

import pytest
from django.urls import reverse

from indicators.models import Frequency, Polarity, Unit
from organisation.models import Role
from reviews.models import Scorecard
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory
from tests.reviews.builders import figure, target, years

pytestmark = pytest.mark.django_db

# April 2025 to March 2026 (twelve months in a sawtooth), then the 2024/25 March before them.
MONTHS = [f"2025/26 {m}" for m in ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb"]]


def monthly(code, latest, target_value):
    indicator = IndicatorFactory(
        code=code, frequency=Frequency.MONTH, unit=Unit.NUMBER, decimal_places=0, polarity=Polarity.HIGHER
    )
    for label, value in zip(["2024/25 Mar", *MONTHS], ["12", "10"] * 6, strict=True):
        figure(indicator, label, value)
    target(indicator, "2025/26 Mar", target_value)
    figure(indicator, "2025/26 Mar", latest)
    return indicator


@pytest.fixture
def chief(client):
    years(2024, 2025)
    user = UserFactory(username="chief", roles=[Role.CHIEF_OFFICER])
    client.force_login(user)
    return client


@pytest.fixture
def scorecard(chief):
    card = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    # A far-low latest figure (a concern) whose target is out of reach (consistently fails);
    # an ordinary one (common cause) whose target is met whatever happens (consistently passes).
    card.indicators.add(monthly("LPI 001", "1", "30"), monthly("LPI 002", "11", "2"))
    card.indicators.add(IndicatorFactory(code="LPI 003", frequency=Frequency.QUARTER))  # no figures
    return reverse("reviews:scorecard", args=["council"])


def codes(response) -> list[str]:
    return re.findall(r'<span class="pmis-code">([^<]+)</span>', response.content.decode())


def test_variation_and_assurance_columns_in_words(chief, scorecard):
    body = chief.get(scorecard).content.decode()
    rows = dict(
        zip(codes_from(body), re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S)[1:], strict=True)
    )
    assert "Concern (low)" in rows["LPI 001"] and "Consistently fails" in rows["LPI 001"]
    assert "Common cause" in rows["LPI 002"] and "Consistently passes" in rows["LPI 002"]
    assert "Not enough data" in rows["LPI 003"] and "Not assessed" in rows["LPI 003"]
    # A symbol beside the word, hidden from screen readers: never colour alone.
    assert '<span aria-hidden="true">&#9660; </span>Concern (low)' in rows["LPI 001"]


def codes_from(body):
    return re.findall(r'<span class="pmis-code">([^<]+)</span>', body)


def test_downloads_carry_variation_and_assurance(chief, scorecard):
    csv = chief.get(scorecard, {"export": "csv", "sort": "code"}).content.decode().splitlines()
    heading = csv[0].split(",")
    first = csv[1].split(",")
    assert first[heading.index("Variation")] == "Concern (low)"
    assert first[heading.index("Assurance")] == "Consistently fails"


def test_sort_by_variation_and_assurance(chief, scorecard):
    assert codes(chief.get(scorecard, {"sort": "variation"})) == ["LPI 001", "LPI 002", "LPI 003"]
    assert codes(chief.get(scorecard, {"sort": "-variation"})) == ["LPI 003", "LPI 002", "LPI 001"]
    assert codes(chief.get(scorecard, {"sort": "-assurance"})) == ["LPI 003", "LPI 002", "LPI 001"]
    body = chief.get(scorecard, {"sort": "variation"}).content.decode()
    # Not a column of the compact table: the filter panel's "Sort by" says the order.
    assert '<option value="variation" selected>Variation</option>' in body


def test_filter_by_variation_and_assurance(chief, scorecard):
    assert codes(chief.get(scorecard, {"variation": "concern"})) == ["LPI 001"]
    assert codes(chief.get(scorecard, {"variation": "none"})) == ["LPI 003"]
    assert codes(chief.get(scorecard, {"assurance": "pass"})) == ["LPI 002"]
    assert codes(chief.get(scorecard, {"variation": "improvement"})) == []


def test_exception_report_can_include_indicators_likely_to_miss(chief):
    indicator = IndicatorFactory(
        code="LPI 010", unit=Unit.NUMBER, decimal_places=0, polarity=Polarity.HIGHER, is_cumulative=True
    )
    target(indicator, "2025/26", "100")
    target(indicator, "2025/26 Q2", "20")
    figure(indicator, "2025/26 Q1", "10")
    figure(indicator, "2025/26 Q2", "10")  # 20 by half-year: on target, but the pace gives 40 of 100
    url = reverse("reviews:exception-report")
    query = {"period": period("2025/26 Q2").pk}
    without = chief.get(url, query).content.decode()
    assert 'id="likely-to-miss"' not in without
    body = chief.get(url, {**query, "likely_to_miss": "1"}).content.decode()
    section = body[body.index('id="likely-to-miss"') : body.index('id="targets-not-signed-off"')]
    assert "LPI 010" in section and "Likely to miss" in section
    assert "40" in section and "100" in section
    csv = chief.get(url, {**query, "likely_to_miss": "1", "export": "csv"}).content.decode()
    assert "Likely to miss at year end,LPI 010" in csv
