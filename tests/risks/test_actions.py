"""Actions raised from a risk or a recommendation: the same actions as meetings and plans
raise, in their owner's My actions, linked in the record's history; bad input refused at the
field; only the risk's owner or the keepers (the recommendation's owner or the keepers)."""

import datetime

import pytest
from django.urls import reverse

from organisation.models import Role
from reviews.models import Action
from risks.models import RiskStatus, SourceKind
from risks.services import recommendation_save, source_save
from tests.organisation.factories import UserFactory

from .builders import risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "keeper": UserFactory(roles=[Role.RISK_AND_AUDIT]),
        "owner": UserFactory(roles=[Role.OFFICER]),
        "chief": UserFactory(roles=[Role.CHIEF_OFFICER]),
    }


def test_a_risks_owner_raises_an_action_that_shows_on_the_risk_and_in_my_actions(client, people):
    found = risk(by=people["keeper"], owner=people["owner"], title="Depot floods")
    url = reverse("risks:risk-action-add", args=[found.pk])
    client.force_login(people["chief"])  # reads every register, but neither owns nor keeps it
    assert client.get(url).status_code == 403
    client.force_login(people["owner"])
    assert f'href="{url}"' in client.get(reverse("risks:risk", args=[found.pk])).content.decode()
    body = client.post(url, {"description": "", "owner": "", "due": "31/2/2027"}).content.decode()
    for field, message in (
        ("description", "Describe what is to be done."),
        ("owner", "Choose who owns the action."),
        ("due", "Enter the due date as day/month/year, like 31/3/2027."),
    ):
        assert f'href="#id_{field}"' in body and message in body
    assert not Action.objects.exists()
    response = client.post(
        url, {"description": "Move the pumps upstairs", "owner": people["owner"].pk, "due": "30/9/2026"}
    )
    assert response["Location"] == reverse("risks:risk", args=[found.pk])
    action = Action.objects.get()
    assert (action.owner, action.due, action.raised_by) == (
        people["owner"],
        datetime.date(2026, 9, 30),
        people["owner"],
    )
    assert list(found.actions.all()) == [action]
    assert found.history.latest().history_change_reason == "Action raised"
    assert "Move the pumps upstairs" in client.get(reverse("risks:risk", args=[found.pk])).content.decode()
    assert "Move the pumps upstairs" in client.get(reverse("reviews:my-actions")).content.decode()


def test_no_action_is_raised_for_a_closed_risk(client, people):
    found = risk(by=people["keeper"], owner=people["owner"])
    found.status = RiskStatus.CLOSED
    found.save()
    client.force_login(people["keeper"])
    url = reverse("risks:risk-action-add", args=[found.pk])
    body = client.post(url, {"description": "Late", "owner": people["owner"].pk, "due": "30/9/2026"}).content.decode()
    assert "This risk is closed: no new action is raised for it." in body
    assert not Action.objects.exists()


def test_a_recommendations_owner_raises_an_action_to_implement_it(client, people):
    source = source_save(
        kind=SourceKind.INTERNAL_AUDIT,
        title="Audit",
        author="Internal Audit",
        date=datetime.date(2025, 6, 1),
        by=people["keeper"],
    )
    recommendation = recommendation_save(
        source=source,
        number=3,
        text="Fewer priorities",
        priority="high",
        response="accepted",
        owner=people["owner"],
        due=datetime.date(2026, 9, 30),
        by=people["keeper"],
    )
    url = reverse("risks:recommendation-action-add", args=[recommendation.pk])
    client.force_login(UserFactory(roles=[Role.OFFICER]))  # not its owner
    assert client.get(url).status_code == 403
    client.force_login(people["owner"])
    page = client.get(reverse("risks:recommendation", args=[recommendation.pk])).content.decode()
    assert f'href="{url}"' in page
    client.post(
        url, {"description": "Cut the plan to eight priorities", "owner": people["chief"].pk, "due": "1/10/2026"}
    )
    action = Action.objects.get()
    assert list(recommendation.actions.all()) == [action] and action.owner == people["chief"]
    page = client.get(reverse("risks:recommendation", args=[recommendation.pk])).content.decode()
    assert "Cut the plan to eight priorities" in page
