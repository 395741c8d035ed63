"""Variation, assurance and the forecast on the indicator page; the team's baseline page;
the method page."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from indicators import services
from indicators.models import Polarity, SpcBaseline, Unit
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db

QUARTERS = [f"{year}/{str(year + 1)[2:]} Q{q}" for year in range(2021, 2026) for q in range(1, 5)]
SAWTOOTH = ["12", "10"] * 6


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.date(2026, 5, 20), tick=False):
        yield


@pytest.fixture
def team(client):
    user = UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])
    client.force_login(user)
    return user


def indicator_with(values, *, polarity=Polarity.HIGHER, target=None):
    indicator = IndicatorFactory(unit=Unit.NUMBER, decimal_places=1, polarity=polarity)
    by = UserFactory(username=f"entry{indicator.pk}")
    for label, value in zip(QUARTERS, values, strict=False):
        services.outturn_record(indicator=indicator, period=period(label), by=by, value=D(value))
    if target is not None:
        label = QUARTERS[len(values) - 1]
        services.target_set(indicator=indicator, period=period(label), value=D(target), rationale="", by=by)
    return indicator


def page(client, indicator) -> str:
    response = client.get(reverse("indicators:indicator-detail", args=[indicator.pk]))
    assert response.status_code == 200
    return response.content.decode()


class TestIndicatorPage:
    def test_explains_a_special_cause_in_plain_words(self, client, team):
        body = page(client, indicator_with([*SAWTOOTH, "40"], target="11"))
        assert "The latest figure (2024/25 Q1, 40.0) is unusually high" in body
        assert "outside the process limits" in body
        assert "For this indicator higher is better, so this is an improvement." in body
        assert "The target of 11.0 lies between the process limits: if nothing changes, it will be hit" in body
        assert 'id="xmr-chart"' in body and "variation over time (XmR chart)" in body
        assert body.count('class="pmis-xmr__marker"') == 13
        table = body[body.index('id="xmr-table"') : body.index("</table>", body.index('id="xmr-table"'))]
        assert table.count('<th scope="row"') == 13 and "Improvement (high)" in table

    def test_lower_is_better_turns_the_same_figure_into_a_concern(self, client, team):
        body = page(client, indicator_with([*SAWTOOTH, "40"], polarity=Polarity.LOWER, target="11"))
        assert "For this indicator lower is better, so this is a concern." in body

    def test_common_cause_says_it_is_noise(self, client, team):
        body = page(client, indicator_with([*SAWTOOTH, "11"], target="30"))
        assert (
            "shows only common-cause variation" in body
            and "between the process limits of 5.9 and 16.1 around a mean of 11.0" in body
        )
        assert "without a change to the service, the target will consistently not be met" in body

    def test_too_few_figures(self, client, team):
        body = page(client, indicator_with(SAWTOOTH[:5]))
        assert "statistical process control needs at least 12 figures" in body and "has 5." in body
        assert 'id="xmr-chart"' not in body

    def test_forecast_for_a_cumulative_indicator(self, client, team):
        indicator = IndicatorFactory(unit=Unit.NUMBER, decimal_places=0, polarity=Polarity.HIGHER, is_cumulative=True)
        services.target_set(indicator=indicator, period=period("2025/26"), value=D(100), rationale="", by=team)
        services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), by=team, value=D(10))
        body = page(client, indicator)
        assert (
            "using the pace so far this year, the year-end figure is forecast to be 40 against an annual target "
            "of 100: likely to miss" in body
        )
        assert "likely to miss, because the forecast is outside the tolerance" in body

    def test_only_the_team_is_offered_the_baseline(self, client, team):
        indicator = indicator_with(SAWTOOTH)
        assert "Fix the baseline" in page(client, indicator)
        client.force_login(UserFactory(username="cath.chief", roles=[Role.CHIEF_OFFICER]))
        assert "Fix the baseline" not in page(client, indicator)


class TestBaselinePage:
    def url(self, indicator):
        return reverse("indicators:spc-baseline", args=[indicator.pk])

    def test_fix_then_reset(self, client, team):
        indicator = indicator_with([*SAWTOOTH, *["30", "31"] * 4])
        response = client.post(
            self.url(indicator),
            {
                "first_period": period(QUARTERS[0]).pk,
                "last_period": period(QUARTERS[11]).pk,
                "reason": "New contractor from 2024/25",
            },
        )
        assert response.status_code == 302 and response["Location"].endswith("#variation")
        body = page(client, indicator)
        assert "The process limits are fixed on the figures from 2021/22 Q1 to 2023/24 Q4" in body
        assert "New contractor from 2024/25" in body and "this is an improvement" in body
        response = client.post(reverse("indicators:spc-baseline-reset", args=[indicator.pk]))
        assert response.status_code == 302
        assert not SpcBaseline.objects.filter(indicator=indicator).exists()
        assert "worked out from every figure so far" in page(client, indicator)

    def test_bad_input_is_explained_in_an_error_summary(self, client, team):
        indicator = indicator_with(SAWTOOTH)
        response = client.post(
            self.url(indicator),
            {"first_period": period(QUARTERS[3]).pk, "last_period": period(QUARTERS[0]).pk, "reason": ""},
        )
        body = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in body
        assert '<a href="#id_reason">Say why the limits are fixed on these periods.</a>' in body
        response = client.post(
            self.url(indicator),
            {"first_period": period(QUARTERS[3]).pk, "last_period": period(QUARTERS[0]).pk, "reason": "Change"},
        )
        assert '<a href="#id_last_period">The last period of the baseline must not be before its first' in (
            response.content.decode()
        )
        response = client.post(
            self.url(indicator),
            {"first_period": period(QUARTERS[0]).pk, "last_period": period(QUARTERS[3]).pk, "reason": "Change"},
        )
        assert "The baseline has 4 figures: choose periods holding at least 12." in response.content.decode()
        assert not SpcBaseline.objects.exists()

    def test_refused_to_anyone_but_the_team(self, client):
        indicator = indicator_with(SAWTOOTH)
        client.force_login(UserFactory(username="olive.officer", roles=[Role.OFFICER]))
        assert client.get(self.url(indicator)).status_code == 403
        assert client.post(reverse("indicators:spc-baseline-reset", args=[indicator.pk])).status_code == 403


def test_method_page_states_the_run_lengths_and_sources(client, team):
    body = client.get(reverse("indicators:method")).content.decode()
    assert "7 or more figures in a row all above, or all below, the mean" in body
    assert "7 or more figures in a row each higher (or each lower) than the one before: 6 rises or falls" in body
    assert "plus and minus 2.66 times the mean moving range" in body
    assert "https://www.england.nhs.uk/publication/making-data-count/" in body
    assert "https://github.com/nhs-r-community/NHSRplotthedots" in body
