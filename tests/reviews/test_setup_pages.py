"""The performance team's set-up pages in reviews: a scorecard's measures found by code,
title, portfolio or service (plain forms, no JavaScript), ordered and grouped; good news
written, published and withdrawn; a leaver's work reassigned in bulk before their account
is deactivated."""

import datetime

import pytest
from django.urls import reverse

from indicators.models import Indicator
from organisation.models import Role
from reviews.models import Action, GoodNewsStory, Scorecard
from reviews.services import action_raise
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, UserFactory
from tests.reviews.builders import years

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 11, 10, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def team(client):
    person = UserFactory(username="pat.performance", first_name="Pat", last_name="Power", roles=[Role.PERFORMANCE_TEAM])
    client.force_login(person)
    return person


def test_measures_are_found_added_ordered_and_grouped_without_javascript(client, team):
    years(2025)
    environment, housing = PortfolioFactory(name="Environment"), PortfolioFactory(name="Housing")
    recycling = IndicatorFactory(code="LPI 101", title="Household waste recycled", portfolio=environment)
    homes = IndicatorFactory(code="LPI 202", title="New homes built", portfolio=housing)
    IndicatorFactory(code="LPI 303", title="Recycling centre visits", portfolio=environment)
    card = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    url = reverse("reviews:scorecard-measures", args=[card.slug])

    found = client.get(url, {"q": "recycl", "portfolio": environment.pk}).content.decode()
    assert "LPI 101 Household waste recycled" in found and "LPI 303" in found and "LPI 202" not in found
    by_code = client.get(url, {"q": "LPI 202"}).content.decode()
    assert "LPI 202 New homes built" in by_code and "LPI 101" not in by_code

    assert client.post(url, {"action": "add", "add": [recycling.pk, homes.pk], "version": 1}).status_code == 302
    assert list(card.indicators.order_by("scorecard_measures__position")) == [recycling, homes]
    # Homes first; nothing removed.
    order = {f"position-{recycling.pk}": "2", f"position-{homes.pk}": "1", "action": "order", "version": 2}
    assert client.post(url, order).status_code == 302
    assert list(card.indicators.order_by("scorecard_measures__position")) == [homes, recycling]
    assert "Measures added LPI 101, LPI 202" in client.get(url).content.decode()

    quarter = period("2025/26 Q2")
    page = client.get(reverse("reviews:scorecard", args=[card.slug]), {"period": quarter.pk}).content.decode()
    assert page.index("LPI 202") < page.index("LPI 101")
    card.group_by = "portfolio"
    card.save()
    grouped = client.get(reverse("reviews:scorecard", args=[card.slug]), {"period": quarter.pk}).content.decode()
    environment_at, housing_at = grouped.index(">Environment</a>"), grouped.index(">Housing</a>")
    assert environment_at < grouped.index("LPI 101") < housing_at < grouped.index("LPI 202")

    # A bad place is refused and changes nothing.
    bad = client.post(url, {**order, f"position-{homes.pk}": "first", "version": 3}).content.decode()
    assert "Enter the place of LPI 202 as a whole number, like 3." in bad
    assert list(card.indicators.order_by("scorecard_measures__position")) == [homes, recycling]


def test_the_measures_page_runs_a_fixed_number_of_queries(client, team, django_assert_num_queries):
    card = Scorecard.objects.create(name="Council Scorecard", slug="council")
    portfolio = PortfolioFactory()
    url = reverse("reviews:scorecard-measures", args=[card.slug])
    for size in (2, 6):
        for _ in range(size):
            card.indicators.add(IndicatorFactory(portfolio=portfolio))
            IndicatorFactory(portfolio=portfolio)
        with django_assert_num_queries(13):
            assert client.get(url, {"portfolio": portfolio.pk}).status_code == 200


def test_good_news_is_written_published_and_withdrawn(client, team):
    add = reverse("reviews:good-news-add")
    data = {"title": "Recycling up a third", "text": "Residents recycled more than ever.", "date": "1/12/2025"}
    body = client.post(add, data).content.decode()
    assert '<a href="#id_date">The date of the good news cannot be in the future.</a>' in body
    assert not GoodNewsStory.objects.exists()

    client.post(add, {**data, "date": "1/11/2025"})
    story = GoodNewsStory.objects.get()
    assert not story.is_published
    client.post(reverse("reviews:good-news-publish", args=[story.pk]))
    assert list(GoodNewsStory.objects.published()) == [story]
    client.post(reverse("reviews:good-news-withdraw", args=[story.pk]))
    assert not GoodNewsStory.objects.published().exists()
    page = client.get(reverse("reviews:good-news-story", args=[story.pk])).content.decode()
    assert "Withdrawn" in page and "Published" in page and "Pat Power" in page


def test_a_leavers_work_is_reassigned_in_bulk_then_their_account_deactivated(client, team):
    leaver = UserFactory(username="lea.leaver", roles=[Role.OFFICER])
    successor = UserFactory(username="sol.successor", roles=[Role.OFFICER])
    indicators = [IndicatorFactory(responsible_officer=leaver) for _ in range(3)]
    action = action_raise(
        description="Repaint the crossings",
        owner=leaver,
        due=datetime.date(2026, 3, 31),
        indicator=indicators[0],
        by=team,
    )
    url = reverse("reviews:leaver", args=[leaver.pk])
    page = client.get(url).content.decode()
    assert all(i.code in page for i in indicators) and "Repaint the crossings" in page

    # Deactivating while they still answer for work is refused.
    client.post(reverse("reviews:leaver-deactivate", args=[leaver.pk]))
    leaver.refresh_from_db()
    assert leaver.is_active

    chosen = {"indicators": [i.pk for i in indicators], "actions": [action.pk], "to": successor.pk}
    assert client.post(url, chosen).status_code == 302
    assert set(Indicator.objects.filter(responsible_officer=successor)) == set(indicators)
    moved = Action.objects.get(pk=action.pk)
    assert moved.owner == successor and moved.history.latest().history_user == team

    client.post(reverse("reviews:leaver-deactivate", args=[leaver.pk]))
    leaver.refresh_from_db()
    assert not leaver.is_active


def test_a_leavers_work_is_not_given_to_the_leaver_or_nobody(client, team):
    leaver = UserFactory(username="lea.leaver", roles=[Role.OFFICER])
    indicator = IndicatorFactory(responsible_officer=leaver)
    url = reverse("reviews:leaver", args=[leaver.pk])
    body = client.post(url, {"indicators": [indicator.pk]}).content.decode()
    assert '<a href="#id_to">Choose who takes over the work.</a>' in body
    body = client.post(url, {"indicators": [indicator.pk], "to": leaver.pk}).content.decode()
    assert "Choose a person from the list." in body
    assert Indicator.objects.get(pk=indicator.pk).responsible_officer == leaver


def test_the_good_news_and_leaver_pages_run_a_fixed_number_of_queries(client, team, django_assert_num_queries):
    leaver = UserFactory(username="lea.leaver", roles=[Role.OFFICER])
    for size in (2, 6):
        for n in range(size):
            indicator = IndicatorFactory(responsible_officer=leaver)
            GoodNewsStory.objects.create(title=f"Story {size}-{n}", text="Good", date=datetime.date(2025, 6, 1))
            action_raise(description="Act", owner=leaver, due=datetime.date(2026, 3, 31), indicator=indicator, by=team)
        with django_assert_num_queries(5):
            assert client.get(reverse("reviews:good-news")).status_code == 200
        with django_assert_num_queries(12):
            assert client.get(reverse("reviews:leaver", args=[leaver.pk])).status_code == 200
