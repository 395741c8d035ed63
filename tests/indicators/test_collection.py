"""An indicator is collected from one period and retired after another: before and after
them no figure is due, overdue or expected, and a locked period's count never changes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from indicators import definitions, reminders, returns, services
from indicators.models import Frequency, Indicator, Period
from organisation.models import Role
from reviews.scorecards import scorecard
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

DECEMBER = datetime.date(2026, 12, 4)


@pytest.fixture
def year():
    services.periods_ensure_year(year=2026)
    return {p.label: p for p in Period.objects.filter(year=2026)}


def create(code: str, **fields) -> Indicator:
    return definitions.indicator_create(
        fields={"code": code, "title": code, "frequency": Frequency.QUARTER, **fields}, by=None, today=DECEMBER
    )


def test_an_indicator_created_in_december_is_collected_from_the_first_quarter_not_yet_overdue(year):
    indicator = create("LPI 900")
    assert indicator.collected_from == year["2026/27 Q3"]
    q1, q2 = year["2026/27 Q1"], year["2026/27 Q2"]
    assert q2.is_overdue(DECEMBER)
    assert indicator.return_status(q1, DECEMBER) == "not_collected"
    assert indicator.return_status(q2, DECEMBER) == "not_collected"
    assert indicator.return_status(year["2026/27 Q3"], DECEMBER) == "not_due"
    assert list(Indicator.objects.collected_in(q2)) == []
    assert list(Indicator.objects.collected_in(year["2026/27 Q3"])) == [indicator]


def test_returns_owed_and_expected_counts_follow_the_collected_and_retired_periods(year):
    officer = UserFactory()
    new = create("LPI 901", responsible_officer=officer)
    old = IndicatorFactory(code="LPI 902", responsible_officer=officer, retired_after=year["2026/27 Q1"])
    q1, q2 = year["2026/27 Q1"], year["2026/27 Q2"]
    owed = reminders._outstanding([q1, q2])[officer]
    assert owed == [(old, q1)]
    rows = {row["period"].label: row for row in returns.recent_periods(DECEMBER)}
    assert rows["2026/27 Q1"]["expected"] == 1
    assert rows["2026/27 Q2"]["expected"] == 0
    report = scorecard(Indicator.objects.filter(pk__in=[new.pk, old.pk]).order_by("code"), q2, today=DECEMBER)
    assert [row.status for row in report.rows] == ["not_collected", "not_collected"]
    report = scorecard(Indicator.objects.filter(pk=old.pk), q1, today=DECEMBER)
    assert [row.status for row in report.rows] == ["overdue"]


def test_a_locked_periods_expected_count_never_changes(year):
    q3 = year["2026/27 Q3"]
    q3.locked_at = timezone.now()
    q3.save()
    # The first open quarter is now Q4: the new indicator does not join locked Q3's count.
    indicator = create("LPI 903")
    assert indicator.collected_from == year["2026/27 Q4"]
    with pytest.raises(ValidationError) as caught:
        create("LPI 904", collected_from=q3)
    assert "2026/27 Q3 is locked" in caught.value.message_dict["collected_from"][0]
    with pytest.raises(ValidationError) as caught:
        definitions.indicator_update(indicator=indicator, changes={"collected_from": year["2026/27 Q2"]}, by=None)
    assert "collected_from" in caught.value.message_dict
    assert Indicator.objects.get(pk=indicator.pk).collected_from == year["2026/27 Q4"]


def test_a_retired_period_before_the_collected_from_period_is_refused(year):
    with pytest.raises(ValidationError) as caught:
        create("LPI 905", collected_from=year["2026/27 Q4"], retired_after=year["2026/27 Q3"])
    assert "must not be before" in caught.value.message_dict["retired_after"][0]
    with pytest.raises(ValidationError) as caught:
        create("LPI 906", collected_from=year["2026/27 Apr"])
    assert "quarterly period" in caught.value.message_dict["collected_from"][0]
    assert not Indicator.objects.filter(code__in=["LPI 905", "LPI 906"]).exists()


def test_a_figure_outside_the_new_periods_is_refused(year):
    indicator = IndicatorFactory()
    services.outturn_record(indicator=indicator, period=period("2026/27 Q1"), by=None, value=Decimal(5))
    with pytest.raises(ValidationError) as caught:
        definitions.indicator_update(indicator=indicator, changes={"collected_from": year["2026/27 Q2"]}, by=None)
    assert "It has a figure for 2026/27 Q1" in caught.value.message_dict["collected_from"][0]


def test_no_figure_is_entered_for_a_period_an_indicator_is_not_collected_for(year):
    officer = UserFactory()
    new = create("LPI 910", responsible_officer=officer)
    old = IndicatorFactory(code="LPI 911", retired_after=year["2026/27 Q1"])
    with pytest.raises(ValidationError) as refused:
        services.outturn_record(indicator=new, period=year["2026/27 Q2"], by=officer, value=Decimal(5))
    assert refused.value.messages == ["LPI 910 has no figure for 2026/27 Q2: it is collected from 2026/27 Q3."]
    with pytest.raises(ValidationError) as refused:
        services.outturn_record(indicator=old, period=year["2026/27 Q2"], by=officer, value=Decimal(5))
    assert refused.value.messages == ["LPI 911 has no figure for 2026/27 Q2: it was retired after 2026/27 Q1."]
    assert services.outturn_record(indicator=new, period=year["2026/27 Q3"], by=officer, value=Decimal(5)).value == 5


def test_bulk_entry_and_the_indicator_page_offer_only_periods_it_is_collected_for(client, year, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, 0), tick=False)
    waste = ServiceFactory(name="Waste")
    officer = UserFactory(username="olly", roles=[Role.OFFICER], service=waste)
    new = create("LPI 920", responsible_officer=officer, service=waste)
    old = IndicatorFactory(code="LPI 921", service=new.service, responsible_officer=officer)
    client.force_login(officer)
    page = client.get(reverse("indicators:bulk-entry", args=[new.service_id, year["2026/27 Q2"].pk])).content.decode()
    assert "LPI 921" in page and "LPI 920" not in page
    detail = client.get(reverse("indicators:indicator-detail", args=[new.pk])).content.decode()
    assert "Enter or correct the 2026/27 Q3 figure" in detail
    detail = client.get(reverse("indicators:indicator-detail", args=[old.pk])).content.decode()
    assert "Enter or correct the 2026/27 Q2 figure" in detail
