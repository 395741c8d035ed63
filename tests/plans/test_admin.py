"""In the admin (a superuser's emergency tool), composite policies are recorded new, never edited."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plans import services
from plans.models import CompositePolicy
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_performance_team_records_a_new_composite_policy(client, superuser):
    url = reverse("admin:plans_compositepolicy_add")
    form = {"green_from": "1.75", "amber_from": "1.25", "reason": "", "effective_from": period("2026/27 Q1").pk}
    response = client.post(url, form)
    assert response.status_code == 200 and not CompositePolicy.objects.exists()
    response = client.post(url, {**form, "amber_from": "1.9", "reason": "Stricter"})
    assert response.status_code == 200 and not CompositePolicy.objects.exists()
    client.post(url, {**form, "reason": "Cabinet asked for a stricter Green"})
    policy = CompositePolicy.objects.get()
    assert (policy.green_from, policy.amber_from, policy.set_by) == (Decimal("1.75"), Decimal("1.25"), superuser)
    assert policy.history.get().history_user == superuser
    change = client.get(reverse("admin:plans_compositepolicy_change", args=[policy.pk])).content.decode()
    assert 'name="green_from"' not in change
    assert client.post(reverse("admin:plans_compositepolicy_delete", args=[policy.pk])).status_code == 403


def test_an_objective_changed_in_the_admin_goes_through_the_service(client, superuser):
    officer = UserFactory(username="olly.officer")
    objective = services.objective_create(
        owner=officer, indicator=IndicatorFactory(), text="Cut fly-tipping", year=2025, by=officer
    )
    url = reverse("admin:plans_objective_change", args=[objective.pk])
    form = {"text": "  Cut fly-tipping by a fifth  ", "owner": officer.pk, "indicator": objective.indicator_id}
    assert client.post(url, {**form, "year": 2025}).status_code == 302
    objective.refresh_from_db()
    assert objective.text == "Cut fly-tipping by a fifth"
    assert objective.history.latest().history_user == superuser
