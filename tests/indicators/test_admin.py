from decimal import Decimal as D

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from indicators import services
from indicators.models import Outturn, Rating, TolerancePolicy
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db

# Sign-in attempt records (axes) and authenticator devices, whose secret keys would let the
# reader make anyone's sign-in codes, are for superusers (IT) only.
MODELS = [model for model in admin.site._registry if model._meta.app_label not in ("auth", "axes", "otp_totp")]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_the_performance_team_can_open_every_admin_list(client, superuser, model):
    IndicatorFactory()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_only_a_superuser_can_open_the_admin(client, model):
    """Every routine job has a page of its own: the admin refuses every role, the
    performance team included."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for role in (Role.OFFICER, Role.PERFORMANCE_TEAM):
        client.force_login(UserFactory(username=f"someone.{role}", roles=[role]))
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_indicator_list_shows_each_indicators_latest_rating(client, superuser):
    indicator = IndicatorFactory()
    IndicatorFactory(code="LPI 999")
    services.target_set(indicator=indicator, period=period("2025/26 Q2"), value=D("100"), rationale="", by=None)
    for label, value in [("2025/26 Q2", "94.9"), ("2025/26 Q1", "99")]:
        services.outturn_record(indicator=indicator, period=period(label), value=D(value), by=None)
    page = client.get(reverse("admin:indicators_indicator_changelist")).content.decode()
    assert "Red: 94.9% (2025/26 Q2)" in page
    assert "No figures" in page


def test_an_outturn_entered_in_the_admin_is_rated(client, superuser):
    indicator = IndicatorFactory()
    services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="", by=None)
    response = client.post(
        reverse("admin:indicators_outturn_add"),
        {
            "indicator": indicator.pk,
            "period": period("2025/26 Q1").pk,
            "value": "94.9",
            "not_available_reason": "",
            "commentary": "Two vacancies.",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    outturn = Outturn.objects.get()
    assert (outturn.entered_by, outturn.rating.rag) == (superuser, "red")
    page = client.get(reverse("admin:indicators_outturn_change", args=[outturn.pk])).content.decode()
    assert "Red: 94.9% against a target of 100.0%, tolerance 5% of the target." in page


def test_a_bad_outturn_in_the_admin_is_refused_with_the_reason(client, superuser):
    indicator = IndicatorFactory(decimal_places=1)
    response = client.post(
        reverse("admin:indicators_outturn_add"),
        {
            "indicator": indicator.pk,
            "period": period("2025/26 Q1").pk,
            "value": "94.95",
        },
    )
    assert response.status_code == 200
    assert "reported to 1 decimal place" in response.content.decode()
    assert not Outturn.objects.exists()


def test_a_tolerance_policy_is_recorded_once_and_never_edited(client, superuser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:indicators_tolerancepolicy_add"),
            {"tolerance": "0.03", "reason": "Cabinet decision", "effective_from": period("2025/26 Q1").pk},
        )
    assert response.status_code == 302
    policy = TolerancePolicy.objects.exclude(effective_from=None).get()
    assert policy.set_by == superuser
    change = reverse("admin:indicators_tolerancepolicy_change", args=[policy.pk])
    client.post(change, {"tolerance": "0.5", "reason": "x", "effective_from": policy.effective_from_id})
    policy.refresh_from_db()
    assert policy.tolerance == D("0.03")
    assert client.post(reverse("admin:indicators_tolerancepolicy_delete", args=[policy.pk])).status_code == 403


def test_lists_run_a_fixed_number_of_queries(client, superuser):
    def build(count):
        for _ in range(count):
            indicator = IndicatorFactory()
            services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("60"), rationale="", by=None)
            services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("50"), by=None)

    counts = []
    for size in (2, 12):
        build(size)
        for name in ("outturn", "indicator", "target", "rating", "tolerancepolicy", "period"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(f"admin:indicators_{name}_changelist")).status_code == 200
            counts.append((name, size, len(queries)))
    few = {name: n for name, size, n in counts if size == 2}
    many = {name: n for name, size, n in counts if size == 12}
    assert few == many
    assert Rating.objects.filter(rag="red").count() == 14


def test_deleting_a_target_or_an_earlier_outturn_re_rates_what_depended_on_it(client, superuser):
    indicator = IndicatorFactory()
    target = services.target_set(
        indicator=indicator, period=period("2025/26 Q2"), value=D("100"), rationale="", by=None
    )
    q1 = services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("90"), by=None)
    q2 = services.outturn_record(indicator=indicator, period=period("2025/26 Q2"), value=D("99"), by=None)
    assert (q2.rating.rag, q2.rating.travel_previous) == ("amber", "improving")
    client.post(reverse("admin:indicators_target_delete", args=[target.pk]), {"post": "yes"})
    client.post(
        reverse("admin:indicators_outturn_changelist"),
        {"action": "delete_selected", "_selected_action": [q1.pk], "index": "0", "select_across": "0", "post": "yes"},
    )
    assert not Outturn.objects.filter(pk=q1.pk).exists()
    q2.rating.refresh_from_db()
    assert (q2.rating.rag, q2.rating.travel_previous) == ("no_target", "")


def indicator_form(indicator, **changes):
    fields = ["code", "title", "description", "definition", "kind", "unit", "decimal_places", "polarity"]
    fields += ["frequency", "data_source", "baseline_year", "tolerance_mode"]
    data = {name: getattr(indicator, name) for name in fields}
    data.update(service=indicator.service_id, portfolio=indicator.portfolio_id, is_collected="on")
    data.update(changes)
    return data


def test_changing_an_indicators_polarity_or_tolerance_re_rates_its_figures(client, superuser):
    indicator = IndicatorFactory()
    services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="", by=None)
    outturn = services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("96"), by=None)
    assert outturn.rating.rag == "amber"
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    assert client.post(url, indicator_form(indicator, polarity="lower")).status_code == 302
    outturn.rating.refresh_from_db()
    assert outturn.rating.rag == "green"
    changes = {"polarity": "higher", "tolerance": "5", "tolerance_mode": "absolute"}
    assert client.post(url, indicator_form(indicator, **changes)).status_code == 302
    outturn.rating.refresh_from_db()
    assert (outturn.rating.rag, outturn.rating.tolerance_mode) == ("amber", "absolute")


def test_an_indicators_frequency_is_fixed_once_it_has_figures(client, superuser):
    indicator = IndicatorFactory()
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("96"), by=None)
    response = client.post(url, indicator_form(indicator, frequency="month"))
    assert response.status_code == 200
    assert "frequency cannot change" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.frequency == "quarter"


def test_an_outturns_indicator_and_period_cannot_be_changed_in_the_admin(client, superuser):
    indicator = IndicatorFactory()
    outturn = services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("96"), by=None)
    url = reverse("admin:indicators_outturn_change", args=[outturn.pk])
    response = client.post(url, {"period": period("2025/26 Q2").pk, "value": "97", "not_available_reason": ""})
    assert response.status_code == 302
    assert list(Outturn.objects.values_list("period__number", "value")) == [(1, D("97"))]


def test_reverting_a_figure_from_its_history_re_rates_it(client, superuser):
    indicator = IndicatorFactory()
    services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("85"), rationale="", by=None)
    services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("80"), by=superuser)
    outturn = services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("90"), by=superuser)
    assert outturn.rating.rag == "green"
    history = client.get(reverse("admin:indicators_outturn_history", args=[outturn.pk])).content.decode()
    assert escape(str(superuser)) in history
    first = outturn.history.earliest()
    url = reverse("admin:indicators_outturn_simple_history", args=[outturn.pk, first.history_id])
    assert client.post(url, {"value": "80", "not_available_reason": "", "commentary": "Restored"}).status_code == 302
    outturn.refresh_from_db()
    assert (outturn.value, outturn.rating.rag) == (D("80"), "red")
