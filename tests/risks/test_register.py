"""The risk register: adding and changing a risk (checked at the field, stale edits refused,
every change in history), who may read a risk, and the register's fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from organisation.models import Role
from reviews.services import action_raise
from risks.models import Risk, RiskMatrix
from risks.services import category_save, matrix_save
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import DirectorateFactory, UserFactory
from tests.reviews.builders import years

from .builders import category, risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(client):
    user = UserFactory(username="rita.risk", roles=[Role.RISK_AND_AUDIT])
    client.force_login(user)
    return user


@pytest.fixture
def owner():
    return UserFactory(username="olive.owner", roles=[Role.OFFICER])


def form(owner, **changes):
    data = {
        "title": "Flooding of the depot",
        "cause": "Heavy rain",
        "event": "The depot floods",
        "consequence": "Bins are not collected",
        "owner": owner.pk,
        "category": category().pk,
        "directorate": "",
        "status": "open",
        "inherent_likelihood": "4",
        "inherent_impact": "5",
        "residual_likelihood": "3",
        "residual_impact": "4",
        "controls": "Sandbags",
        "target_score": "6",
        "review_due": "31 3 2026",
    }
    data.update(changes)
    return data


def test_a_keeper_adds_a_risk_and_its_scores_are_stored(client, keeper, owner):
    response = client.post(reverse("risks:risk-add"), form(owner))
    added = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("risks:risk", args=[added.pk])
    assert (added.inherent_score, added.residual_score, added.review_due) == (20, 12, datetime.date(2026, 3, 31))
    assert added.history.get().history_user == keeper


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("residual_likelihood", "9", "Choose a likelihood score from the list."),
        ("target_score", "30", "Enter a target score from 1 to 25, the highest score on the matrix."),
        ("target_score", "six", "Enter the target score as a whole number, such as 6."),
        ("review_due", "31 2 2026", "Enter the date the next review is due as a real date, such as 31 3 2026."),
        ("status", "escalated", "Only a directorate&#x27;s risk is escalated"),
    ],
)
def test_bad_input_is_refused_at_the_field(client, keeper, owner, field, value, message):
    page = client.post(reverse("risks:risk-add"), form(owner, **{field: value})).content.decode()
    assert f'<a href="#id_{field}">{message}' in page
    assert f'id="id_{field}-error"' in page
    assert not Risk.objects.exists()


def test_a_stale_edit_is_refused_and_history_names_who_changed_what(client, keeper, owner):
    added = risk(by=keeper, owner=owner)
    other = UserFactory(roles=[Role.PERFORMANCE_TEAM])
    risk(by=other, owner=owner, risk=added, residual=(4, 4), expected_version=1)
    url = reverse("risks:risk-edit", args=[added.pk])
    page = client.post(url, form(owner, version="1")).content.decode()
    assert "changed this after you opened it" in page and 'name="version" value="2"' in page
    added.refresh_from_db()
    assert (added.residual_score, added.previous_residual_score, added.version) == (16, 9, 2)
    detail = client.get(reverse("risks:risk", args=[added.pk])).content.decode()
    assert f"{other}</td>" in detail and "Residual likelihood, Residual impact" in detail


def test_owners_and_action_owners_read_the_risk_but_not_other_officers(client, keeper, owner):
    years(2025)
    doer = UserFactory(roles=[Role.OFFICER])
    due = datetime.date(2026, 1, 1)
    action = action_raise(description="Clear the drains", owner=doer, due=due, indicator=IndicatorFactory(), by=keeper)
    added = risk(by=keeper, owner=owner, actions=[action])
    url = reverse("risks:risk", args=[added.pk])
    for person, status in ((owner, 200), (doer, 200), (UserFactory(roles=[Role.OFFICER]), 403)):
        client.force_login(person)
        assert client.get(url).status_code == status
    assert client.get(reverse("risks:register")).status_code == 403


def test_category_appetite_and_matrix_are_checked(keeper, owner):
    with pytest.raises(Exception, match="from 1 to 25"):
        category_save(name="Reputational", appetite=26, by=keeper)
    risk(by=keeper, owner=owner, residual=(5, 5), inherent_likelihood=5, inherent_impact=5)
    with pytest.raises(Exception, match="rescore them first"):
        matrix_save(likelihood_words=["Low", "Medium", "High"], impact_words=["A", "B", "C", "D", "E"], by=keeper)
    matrix_save(likelihood_words=[*"ABCDEF"], impact_words=[*"VWXYZ"], by=keeper)
    assert RiskMatrix.current().highest == 30


def test_the_register_runs_a_fixed_number_of_queries(client, keeper, owner, django_assert_num_queries):
    directorate = DirectorateFactory()
    url = reverse("risks:register") + f"?register=directorate&directorate={directorate.code}"

    def add(count):
        for n in range(count):
            risk(by=keeper, owner=UserFactory(), directorate=directorate, residual=(n % 5 + 1, 3))

    add(2)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
    add(10)
    with django_assert_num_queries(10):
        page = client.get(url).content.decode()
    assert "12 open risks" in page and page.count("Above appetite") == 4


def test_a_directorates_register_downloads_as_excel_in_fixed_queries(client, keeper, owner, django_assert_num_queries):
    import io

    from openpyxl import load_workbook

    years(2025)
    directorate = DirectorateFactory(name="Place")
    elsewhere = risk(by=keeper, owner=owner, title="Elsewhere", directorate=DirectorateFactory())
    query = f"?register=directorate&directorate={directorate.code}"
    url = reverse("risks:register") + query + "&export=xlsx"

    def add(count):
        for n in range(Risk.objects.filter(directorate=directorate).count(), count):
            found = risk(by=keeper, owner=owner, directorate=directorate, title=f"Place risk {n}")
            found.actions.add(
                action_raise(
                    description=f"Treat {n}", owner=owner, due=datetime.date(2026, 9, 30), by=keeper, linked=True
                )
            )

    add(1)
    page = client.get(reverse("risks:register") + query).content.decode()
    assert "Download the Place risk register (Excel, .xlsx)" in page
    with django_assert_num_queries(7):
        client.get(url)
    add(6)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response["Content-Disposition"].startswith('attachment; filename="place-risk-register-')
    rows = list(load_workbook(io.BytesIO(response.content))["Risks"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[1] for row in rows) == [f"Place risk {n}" for n in range(6)]
    assert elsewhere.title not in [row[1] for row in rows]
    assert all(row[2] == "Place" for row in rows) and any("Treat 0 (" in (row[-1] or "") for row in rows)
