"""The owner's quarterly review, the weekly chase of overdue reviews, and the exceptions
(above appetite or rising) that home pages and packs read."""

import datetime

import pytest
from django.urls import reverse

from organisation.models import Role
from outbox.models import Email
from risks import register
from risks.models import Risk
from tests.organisation.factories import DirectorateFactory, PortfolioFactory, ServiceFactory, UserFactory

from .builders import risk

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def people():
    keeper = UserFactory(username="rita.risk", roles=[Role.RISK_AND_AUDIT])
    owner = UserFactory(username="olive.owner", roles=[Role.OFFICER])
    return keeper, owner


def test_the_owner_reviews_a_risk_and_a_rise_above_appetite_is_an_exception(client, people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC), tick=False)
    keeper, owner = people
    added = risk(by=keeper, owner=owner, residual=(2, 3), review_due=datetime.date(2026, 4, 30))
    assert register.overdue_reviews_for(owner, TODAY) == [added]
    assert register.risk_exceptions() == []
    client.force_login(owner)
    url = reverse("risks:risk-review", args=[added.pk])
    page = client.post(url, {"residual_likelihood": "4", "residual_impact": "3", "controls": "", "version": "1"})
    assert 'id="id_controls-error"' in page.content.decode()
    response = client.post(
        url,
        {
            "residual_likelihood": "4",
            "residual_impact": "3",
            "controls": "Weekly checks",
            "comment": "Worse",
            "version": "1",
        },
    )
    assert response.status_code == 302
    added = Risk.objects.get()
    assert (added.residual_score, added.previous_residual_score) == (12, 6)
    assert (added.last_reviewed, added.review_due) == (TODAY, datetime.date(2026, 8, 20))
    assert added.history.latest().history_user == owner
    assert register.overdue_reviews_for(owner, TODAY) == []
    # Operational appetite is 10: 12 is above it, and it rose from 6.
    [exception] = register.risk_exceptions()
    assert exception.above_appetite and exception.rising
    page = client.get(reverse("risks:risk", args=[added.pk])).content.decode()
    assert "Above appetite" in page and "Rising from 6" in page
    # Another officer may not review it.
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    assert client.post(url, {"residual_likelihood": "1"}).status_code == 403


def test_exceptions_by_scope(people):
    keeper, owner = people
    housing, other = DirectorateFactory(), DirectorateFactory()
    portfolio = PortfolioFactory()
    portfolio.services.add(ServiceFactory(directorate=housing))
    mine = risk(by=keeper, owner=owner, directorate=housing, residual=(4, 4))
    risk(by=keeper, owner=owner, directorate=other, residual=(5, 5))
    risk(by=keeper, owner=owner, directorate=housing, residual=(1, 1))
    assert register.risks_above_appetite(portfolio=portfolio) == [mine]
    assert register.risks_above_appetite(directorate=housing) == [mine]
    assert len(register.risks_above_appetite()) == 2


def test_overdue_reviews_are_chased_once_a_week(people, settings, django_capture_on_commit_callbacks):
    from risks.tasks import remind_overdue_reviews

    assert settings.CELERY_BEAT_SCHEDULE["risk-reviews"]["task"] == remind_overdue_reviews.name
    keeper, owner = people
    late = risk(by=keeper, owner=owner, review_due=datetime.date(2020, 1, 1))
    risk(by=keeper, owner=owner, review_due=datetime.date(2099, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue_reviews.delay().get() == 1
        assert remind_overdue_reviews.delay().get() == 0
    [email] = Email.objects.filter(to=owner.email)
    assert late.title in email.body and reverse("risks:risk-review", args=[late.pk]) in email.body
    assert email.subject == "1 risk review overdue"


def test_the_home_page_lists_the_owners_overdue_reviews_and_recommendations(client, people):
    from risks.models import SourceKind
    from risks.services import recommendation_save, source_save

    keeper, owner = people
    late = risk(by=keeper, owner=owner, review_due=datetime.date(2020, 1, 1), title="Depot floods", residual=(4, 4))
    source = source_save(
        kind=SourceKind.PEER_REVIEW, title="LGA peer challenge", author="LGA", date=datetime.date(2019, 1, 1), by=keeper
    )
    recommendation_save(
        source=source, number=2, text="Fewer priorities", priority="high", response="accepted", owner=owner,
        due=datetime.date(2020, 1, 1), by=keeper,
    )  # fmt: skip
    client.force_login(owner)
    page = client.get(reverse("indicators:home")).content.decode()
    assert f'href="{reverse("risks:risk-review", args=[late.pk])}">Review {late.reference} Depot floods' in page
    assert "LGA peer challenge, recommendation 2</a>: due 1 January 2020" in page
    client.force_login(keeper)
    assert "1 risk is above appetite and 1 review is overdue" in client.get(reverse("indicators:home")).content.decode()
