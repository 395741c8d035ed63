"""The reviews models in the admin, a superuser's emergency tool."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_budget_lines_are_read_only_in_the_admin(client, superuser):
    # Entered on the budget page or imported, both through services.budget_line_set.
    assert client.get(reverse("admin:reviews_budgetline_changelist")).status_code == 200
    assert client.get(reverse("admin:reviews_budgetline_add")).status_code == 403
