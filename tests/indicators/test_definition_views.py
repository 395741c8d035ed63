"""The performance team's indicator definitions and tolerance policy, and service managers'
proposals, in PMIS's own pages."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.models import Indicator, IndicatorProposal, ProposalStatus, TolerancePolicy
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    user = UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM])
    client.force_login(user)
    return user


def definition(**changes) -> dict:
    """A complete definition as the form posts it."""
    data = {
        "code": "LPI 500",
        "title": "Households prevented from becoming homeless",
        "description": "How many households we helped to keep their home.",
        "definition": "Cases closed with the household housed for at least six months.",
        "data_source": "Housing case system",
        "kind": "local",
        "national_indicator": "",
        "service": "",
        "portfolio": "",
        "responsible_officer": "",
        "unit": "rate_per_100000",
        "decimal_places": "1",
        "polarity": "higher",
        "frequency": "quarter",
        "is_cumulative": "on",
        "entry_basis": "year_to_date",
        "allows_negative": "",
        "is_published": "on",
        "baseline": "12.5",
        "baseline_year": "2025/26",
        "tolerance_mode": "relative",
        "tolerance": "7.5",
        "collected_from": period("2026/27 Q1").pk,
        "retired_after": "",
        "version": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""} | {k: "" for k, v in data.items() if v == "" and k != "version"}


def without_checkboxes(data: dict) -> dict:
    return {k: v for k, v in data.items() if v != ""}


def test_the_team_adds_an_indicator_with_every_field(client, team):
    response = client.post(reverse("indicators:definition-add"), without_checkboxes(definition()))
    assert response.status_code == 302, response.content.decode()
    indicator = Indicator.objects.get(code="LPI 500")
    assert (indicator.tolerance, indicator.tolerance_mode) == (D("0.075"), "relative")
    assert (indicator.unit, indicator.entry_basis, indicator.is_cumulative) == ("rate_per_100000", "year_to_date", True)
    assert indicator.collected_from == period("2026/27 Q1")
    assert indicator.history.latest().history_user == team
    # The edit page shows the tolerance as a percentage, never as a fraction.
    page = client.get(reverse("indicators:definition-edit", args=[indicator.pk])).content.decode()
    assert 'value="7.5"' in page and "0.075" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "LPI 001"}, "code", "An indicator with this code already exists"),
        ({"retired_after": "Q4"}, "retired_after", "must not be before the period it is collected from"),
        ({"tolerance": "150"}, "tolerance", "cannot be more than 100% of the target"),
        ({"tolerance": "five"}, "tolerance", "Enter the tolerance as a number"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_changes_nothing(client, team, changes, field, message):
    IndicatorFactory(code="LPI 001")
    if changes.get("retired_after") == "Q4":
        changes = {"collected_from": period("2026/27 Q2").pk, "retired_after": period("2026/27 Q1").pk}
    response = client.post(reverse("indicators:definition-add"), without_checkboxes(definition(**changes)))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert f'href="#id_{field}"' in body
    assert Indicator.objects.count() == 1


def test_a_change_that_alters_ratings_is_previewed_then_re_rates(client, team):
    indicator = IndicatorFactory(code="LPI 010", polarity="higher")
    services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="", by=None)
    outturn = services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("96"), by=None)
    assert outturn.rating.rag == "amber"
    url = reverse("indicators:definition-edit", args=[indicator.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    data.update(polarity="lower", tolerance_mode="", tolerance="", code="LPI 010", title=indicator.title)
    data.pop("id", None)
    response = client.post(url, data)
    body = response.content.decode()
    assert "Check the change before its figures are rated again" in body
    assert "2025/26 Q1" in body and "Amber" in body and "Green" in body
    outturn.rating.refresh_from_db()
    assert outturn.rating.rag == "amber"  # nothing changed yet
    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302
    outturn.rating.refresh_from_db()
    assert outturn.rating.rag == "green"
    # The form was opened at version 1: saving it again is refused as a stale edit.
    response = client.post(url, {**data, "polarity": "higher", "confirm": "yes"})
    assert "changed this after you opened it" in response.content.decode()


def test_a_frequency_change_of_an_indicator_with_figures_is_refused_with_the_reason(client, team):
    indicator = IndicatorFactory(code="LPI 011")
    services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("5"), by=None)
    data = without_checkboxes(definition(code="LPI 011", frequency="month", collected_from=""))
    response = client.post(reverse("indicators:definition-edit", args=[indicator.pk]), data)
    assert "frequency cannot change" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.frequency == "quarter"


def test_a_service_manager_proposes_and_the_team_approves(client, team):
    manager = UserFactory(username="sam.manager", roles=[Role.SERVICE_MANAGER])
    service = ServiceFactory(name="Housing", manager=manager)
    other = ServiceFactory(name="Parks")
    client.force_login(manager)
    data = without_checkboxes(definition(service=other.pk, reason="We need to see prevention work."))
    response = client.post(reverse("indicators:definition-add"), data)
    assert response.status_code == 200  # not their service
    assert not IndicatorProposal.objects.exists()
    response = client.post(reverse("indicators:definition-add"), {**data, "service": service.pk})
    assert response.status_code == 302
    proposal = IndicatorProposal.objects.get()
    assert not Indicator.objects.filter(code="LPI 500").exists()
    client.force_login(team)
    page = client.get(reverse("indicators:proposal", args=[proposal.pk])).content.decode()
    assert "We need to see prevention work." in page
    response = client.post(
        reverse("indicators:proposal", args=[proposal.pk]), {"decision": "approve", "version": proposal.version}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.proposed_by) == (ProposalStatus.APPROVED, team, manager)
    indicator = Indicator.objects.get(code="LPI 500")
    assert indicator.service == service and proposal.indicator == indicator
    assert indicator.history.latest().history_user == team


def test_the_tolerance_policy_is_previewed_then_recorded_and_its_re_rating_shown(
    client, team, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, 0), tick=False)
    indicator = IndicatorFactory(code="LPI 016")
    services.target_set(indicator=indicator, period=period("2026/27 Q2"), value=D("100"), rationale="", by=None)
    outturn = services.outturn_record(indicator=indicator, period=period("2026/27 Q2"), value=D("96"), by=None)
    assert outturn.rating.rag == "amber"
    url = reverse("indicators:tolerance-policy")
    page = client.get(url).content.decode()
    assert "In force today: 5% of the target" in page
    data = {
        "mode": "relative",
        "tolerance": "2",
        "effective_from": period("2026/27 Q1").pk,
        "reason": "Members asked for a tighter rule.",
    }
    body = client.post(url, data).content.decode()
    assert "would change <strong>1 rating</strong>" in body
    assert "LPI 016 2026/27 Q2" in body and "Amber" in body and "Red" in body
    assert TolerancePolicy.objects.count() == 1
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, 5), tick=False)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url, {**data, "confirm": "yes"})
    policy = TolerancePolicy.objects.get(set_by=team)
    assert policy.tolerance == D("0.02")
    assert response["Location"] == reverse("indicators:tolerance-progress", args=[policy.pk])
    assert "In progress</strong> 0 of 1 ratings" in client.get(response["Location"]).content.decode()
    for callback in queued:  # the background re-rating
        callback()
    assert "Finished" in client.get(response["Location"]).content.decode()
    outturn.rating.refresh_from_db()
    assert outturn.rating.rag == "red"


@pytest.mark.parametrize("tolerance", ["101", "-1"])
def test_a_tolerance_over_100_percent_or_negative_is_refused(client, team, tolerance):
    data = {"mode": "relative", "tolerance": tolerance, "effective_from": period("2026/27 Q1").pk, "reason": "Why not"}
    response = client.post(reverse("indicators:tolerance-policy"), {**data, "confirm": "yes"})
    assert 'href="#id_tolerance"' in response.content.decode()
    assert TolerancePolicy.objects.count() == 1


def test_the_corporate_tolerance_can_be_recorded_in_points(
    client, team, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, 0), tick=False)
    indicator = IndicatorFactory(code="LPI 017")  # a percentage: points are percentage points
    services.target_set(indicator=indicator, period=period("2026/27 Q2"), value=D("60"), rationale="", by=None)
    outturn = services.outturn_record(indicator=indicator, period=period("2026/27 Q2"), value=D("58"), by=None)
    assert outturn.rating.rag == "amber"  # 5% of 60 is 3
    url = reverse("indicators:tolerance-policy")
    assert 'type="radio" value="absolute"' in client.get(url).content.decode()
    data = {"mode": "absolute", "tolerance": "1.5", "effective_from": period("2026/27 Q1").pk, "reason": "Points."}
    body = client.post(url, data).content.decode()
    assert "A tolerance of 1.5 points from 2026/27 Q1 would change <strong>1 rating</strong>" in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "confirm": "yes"})
    policy = TolerancePolicy.objects.get(set_by=team)
    assert (policy.tolerance, policy.mode, str(policy)) == (D("1.5"), "absolute", "1.5 points from 2026/27 Q1")
    outturn.rating.refresh_from_db()
    assert (outturn.rating.rag, outturn.rating.tolerance, outturn.rating.tolerance_mode) == (
        "red",
        D("1.5"),
        "absolute",
    )
    assert "In force today: 1.5 points, from 2026/27 Q1" in client.get(url).content.decode()


def test_a_corporate_tolerance_in_points_may_be_over_100_but_a_percentage_may_not(team):
    q1 = period("2026/27 Q1")
    policy = services.tolerance_policy_create(
        tolerance=D("150"), mode="absolute", reason="r", effective_from=q1, by=team
    )
    assert policy.tolerance_text == "150 points"
    with pytest.raises(ValidationError) as refused:
        services.tolerance_policy_create(tolerance=D("1.5"), mode="relative", reason="r", effective_from=q1, by=team)
    assert refused.value.message_dict == {"tolerance": ["A tolerance cannot be more than 100% of the target."]}


def test_a_tolerance_without_saying_how_it_is_measured_is_refused(client, team):
    data = {"tolerance": "5", "effective_from": period("2026/27 Q1").pk, "reason": "Why not"}
    body = client.post(reverse("indicators:tolerance-policy"), data).content.decode()
    assert 'href="#id_mode"' in body and "Say whether the tolerance is a percentage of the target or points." in body


@pytest.mark.parametrize(
    "name", ["indicators:definitions", "indicators:tolerance-policy", "indicators:definition-add", "edit"]
)
def test_the_pages_run_a_fixed_number_of_queries(client, team, name):
    first = IndicatorFactory()
    url = reverse("indicators:definition-edit", args=[first.pk]) if name == "edit" else reverse(name)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    period("2025/26 Q1")
    few = count()
    for _ in range(5):
        IndicatorFactory()
    services.tolerance_policy_create(tolerance=D("0.1"), reason="r", effective_from=period("2025/26 Q1"), by=team)
    assert count() == few


def test_an_indicator_made_by_mistake_is_deleted_after_a_page_saying_what_it_leaves(client, team):
    from plans.models import Plan, Priority
    from reviews.models import Scorecard

    mistake = IndicatorFactory(code="LPI 999", title="Typo")
    plan = Plan.objects.create(title="Council Plan", kind="corporate", first_year=2026, last_year=2026)
    priority = Priority.objects.create(plan=plan, title="Homes", position=1)
    priority.indicators.add(mistake)
    council = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    council.indicators.add(mistake)
    url = reverse("indicators:definition-delete", args=[mistake.pk])
    assert f'href="{url}"' in client.get(reverse("indicators:definition-edit", args=[mistake.pk])).content.decode()

    page = client.get(url).content.decode()
    assert "Are you sure you want to delete LPI 999?" in page
    assert "the basket of “Homes” in Council Plan" in page and "the scorecard Council Scorecard" in page

    response = client.post(url, {"version": mistake.version}, follow=True)

    assert "LPI 999 Typo is deleted." in response.content.decode()
    assert not Indicator.objects.filter(code="LPI 999").exists()
    assert list(priority.indicators.all()) == [] and list(council.indicators.all()) == []
    deleted = Indicator.history.filter(code="LPI 999", history_type="-").get()
    assert deleted.history_user == team


def test_an_indicator_with_figures_or_targets_is_not_deleted_but_retired(client, team):
    with_figure = IndicatorFactory(code="LPI 998")
    services.outturn_record(indicator=with_figure, period=period("2025/26 Q1"), value=D("5"), by=None)
    with_target = IndicatorFactory(code="LPI 997")
    services.target_set(indicator=with_target, period=period("2025/26 Q1"), value=D("5"), rationale="", by=None)

    page = client.get(reverse("indicators:definition-delete", args=[with_figure.pk])).content.decode()
    assert "LPI 998 cannot be deleted" in page and "retire it instead" in page and "govuk-button--warning" not in page
    response = client.post(
        reverse("indicators:definition-delete", args=[with_figure.pk]), {"version": with_figure.version}, follow=True
    )
    assert "LPI 998 has figures, so it cannot be deleted" in response.content.decode()
    response = client.post(
        reverse("indicators:definition-delete", args=[with_target.pk]), {"version": with_target.version}, follow=True
    )
    assert "LPI 997 has targets, so it cannot be deleted" in response.content.decode()
    assert Indicator.objects.filter(code__in=["LPI 998", "LPI 997"]).count() == 2


def test_a_stale_delete_and_anyone_but_the_team_are_refused(client, team):
    indicator = IndicatorFactory(code="LPI 996")
    url = reverse("indicators:definition-delete", args=[indicator.pk])
    response = client.post(url, {"version": indicator.version - 1 if indicator.version > 1 else 99}, follow=True)
    assert "changed" in response.content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    client.force_login(UserFactory(username="sam", roles=[Role.SERVICE_MANAGER]))
    assert client.post(url, {"version": indicator.version}).status_code == 403
    assert Indicator.objects.filter(pk=indicator.pk).exists()
