"""The heat map (an SVG and a table of the same counts, filtered), the corporate register's
page and Excel download, each in a fixed number of queries."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organisation.models import Role
from risks.models import RiskStatus
from tests.organisation.factories import DirectorateFactory, UserFactory

from .builders import category, risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    user = UserFactory(username="chief", roles=[Role.CHIEF_OFFICER])
    client.force_login(user)
    return user


def add(count, *, directorate=None, residual=(4, 5), **fields):
    keeper = UserFactory(roles=[Role.PERFORMANCE_TEAM])
    return [
        risk(by=keeper, owner=keeper, directorate=directorate, residual=residual, title=f"Risk {n}", **fields)
        for n in range(count)
    ]


def cell(page, likelihood, impact) -> str:
    """The count the SVG draws in a cell, read from the cell's title."""
    return re.search(rf"Likelihood {likelihood}, impact {impact}, score \d+: (\d+) risk", page).group(1)


def test_the_heat_map_counts_by_residual_scores_and_filters(client, chief, django_assert_num_queries):
    housing = DirectorateFactory()
    add(2, directorate=housing)
    add(1, directorate=housing, residual=(1, 2), category=category("Financial"))
    add(1, residual=(4, 5))
    url = reverse("risks:heat-map")
    with django_assert_num_queries(10):
        page = client.get(url).content.decode()
    assert (cell(page, 4, 5), cell(page, 1, 2), cell(page, 5, 5)) == ("3", "1", "0")
    # The table has the same counts: likelihood 4's row has 3 at impact 5.
    row = re.search(r"Likelihood </span>4 Likely</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r">(\d+)<span", row) == ["0", "0", "0", "0", "3"]
    page = client.get(url, {"directorate": housing.code, "category": category("Financial").pk}).content.decode()
    assert (cell(page, 4, 5), cell(page, 1, 2)) == ("0", "1")
    page = client.get(url, {"register": "corporate"}).content.decode()
    assert (cell(page, 4, 5), cell(page, 1, 2)) == ("1", "0")
    add(12, directorate=housing)
    with django_assert_num_queries(10):
        assert cell(client.get(url).content.decode(), 4, 5) == "15"
    assert 'id="id_directorate-error"' in client.get(url, {"directorate": "nowhere"}).content.decode()


def test_the_corporate_register_shows_escalated_risks_and_downloads(client, chief, django_assert_num_queries):
    housing = DirectorateFactory()
    [escalated] = add(1, directorate=housing, status=RiskStatus.ESCALATED)
    add(1, directorate=housing)
    [corporate] = add(1, residual=(2, 2))
    with django_assert_num_queries(7):
        page = client.get(reverse("risks:corporate")).content.decode()
    assert page.count('class="pmis-risk') == 2 and escalated.reference in page and corporate.reference in page
    add(6, residual=(3, 3))
    with django_assert_num_queries(7):
        client.get(reverse("risks:corporate"))
    response = client.get(reverse("risks:corporate-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert response["Content-Disposition"].startswith('attachment; filename="corporate-risk-register-')
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Reference", "Risk", "Register") and len(rows) == 9
    assert rows[1][0] == escalated.reference and rows[1][2] == housing.name and rows[1][14] == 20
