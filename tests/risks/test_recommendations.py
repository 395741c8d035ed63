"""The recommendations tracker: sources and recommendations checked at the field, the owner's
progress (stale edits refused, history kept), the report per source for the audit committee
in a fixed number of queries, overdue ones in the exception report, and the import."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportRun, Status
from organisation.models import Role
from reviews.services import action_raise
from risks.models import Recommendation, RecommendationStatus, SourceKind
from risks.services import recommendation_save, source_save
from tests.imports.helpers import csv_bytes
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import UserFactory
from tests.reviews.builders import years

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def keeper(client):
    user = UserFactory(username="rita.risk", roles=[Role.RISK_AND_AUDIT])
    client.force_login(user)
    return user


@pytest.fixture
def source(keeper):
    return source_save(
        kind=SourceKind.INTERNAL_AUDIT,
        title="Audit of performance management",
        author="Internal Audit",
        date=datetime.date(2025, 6, 1),
        by=keeper,
    )


def add(source, keeper, number, **fields):
    values = {"text": f"Recommendation {number}", "priority": "high", "response": "accepted", "owner": keeper}
    values.update(fields)
    values.setdefault("due", datetime.date(2026, 9, 30))
    return recommendation_save(source=source, number=number, by=keeper, **values)


def form(**changes):
    data = {
        "number": "1",
        "text": "Fewer priorities",
        "priority": "high",
        "response": "accepted",
        "status": "not_started",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"response": "partly"}, "reasons", "Say why the council does not accept all of the recommendation."),
        ({}, "owner", "Choose who owns the recommendation"),
        ({"due": "31 2 2026"}, "due", "Enter the date it is due by as a real date, such as 31 3 2026."),
        ({"number": "0"}, "number", "Give the recommendation&#x27;s number in the report, 1 or more."),
    ],
)
def test_bad_input_is_refused_at_the_field(client, keeper, source, changes, field, message):
    page = client.post(reverse("risks:recommendation-add", args=[source.pk]), form(**changes)).content.decode()
    assert f'<a href="#id_{field}">{message}' in page and f'id="id_{field}-error"' in page
    assert not Recommendation.objects.exists()


def test_the_owner_records_progress_and_evidence(client, keeper, source):
    owner = UserFactory(roles=[Role.OFFICER])
    recommendation = add(source, keeper, 1, owner=owner)
    url = reverse("risks:recommendation", args=[recommendation.pk])
    client.force_login(owner)
    page = client.post(url, {"status": "implemented", "evidence": "", "version": "1"}).content.decode()
    assert 'id="id_evidence-error"' in page
    assert client.post(url, {"status": "implemented", "evidence": "Cabinet report", "version": "1"}).status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.completed_on) == (RecommendationStatus.IMPLEMENTED, TODAY)
    assert recommendation.history.latest().history_user == owner
    page = client.post(url, {"status": "in_progress", "evidence": "", "version": "1"}).content.decode()
    assert "changed this after you opened it" in page
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    assert client.get(url).status_code == 403


def test_the_report_shows_overdue_and_done_with_actions_in_fixed_queries(
    client, keeper, source, django_assert_num_queries
):
    years(2025)
    doer = UserFactory(roles=[Role.OFFICER])
    action = action_raise(
        description="Cut the priorities to twelve",
        owner=doer,
        due=datetime.date(2026, 4, 1),
        indicator=IndicatorFactory(),
        by=keeper,
    )
    add(source, keeper, 1, due=datetime.date(2026, 3, 31), actions=[action])
    add(source, keeper, 2, status="implemented", evidence="Plan approved")
    add(source, keeper, 3, response="not_accepted", reasons="Already done", owner=None, due=None)
    url = reverse("risks:source", args=[source.pk])
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    overdue = page[page.index('id="overdue"') : page.index("Each recommendation")]
    assert "Recommendation 1</a>: due 31 March 2026" in overdue and "Recommendation 2" not in overdue
    assert "Cut the priorities to twelve" in page and "Plan approved" in page and "Already done" in page
    for number in range(4, 15):
        add(source, keeper, number)
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert page.count('class="pmis-risk') == 14
    report = client.get(reverse("reviews:exception-report")).content.decode()
    assert "Audit of performance management, recommendation 1</a>" in report
    sources = client.get(reverse("risks:sources")).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">14</td>' in sources


def test_recommendations_are_imported_and_again_change_nothing(client, keeper, source, monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    headings = ["source", "number", "text", "priority", "response", "reasons", "owner", "due", "status", "evidence"]
    title = source.title
    rows = [
        [title, "1", "Fewer priorities", "High", "Accepted", "", "rita.risk", "30/09/2026", "In progress", ""],
        [title, "2", "Publish more", "low", "Not accepted", "Already published", "", "", "", ""],
    ]
    upload = {"file": SimpleUploadedFile("recs.csv", csv_bytes(rows, headings))}
    response = client.post(reverse("imports:recommendations"), upload)
    run = ImportRun.objects.get()
    assert run.status == Status.READY and "Fewer priorities" in client.get(response.url).content.decode()
    client.post(reverse("imports:run-apply", args=[run.pk]))
    assert list(Recommendation.objects.values_list("number", "status", "owner")) == [
        (1, "in_progress", keeper.pk),
        (2, "not_started", None),
    ]
    bad = [[title, "3", "Train members", "High", "Partly accepted", "", "", "", "", ""]]
    upload = {"file": SimpleUploadedFile("bad.csv", csv_bytes(rows + bad, headings))}
    client.post(reverse("imports:recommendations"), upload)
    run = ImportRun.objects.order_by("-pk").first()
    assert run.status == Status.INVALID and {e["column"] for e in run.result["errors"]} == {"F", "G", "H"}
    assert run.result["summary"]["unchanged"] == 2
