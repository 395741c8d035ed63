"""Every email is written in the transaction of the change it tells of (the change and its
email stand or fall together) and links to PMIS with absolute addresses from PMIS_BASE_URL."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse

from indicators import notifications, services
from indicators.models import Outturn, OutturnState, Target, TargetStatus
from organisation.models import Role
from outbox.models import Email
from reviews import services as review_services
from reviews.models import Meeting, MeetingKind, PackSnapshot
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, UserFactory

pytestmark = pytest.mark.django_db
BASE = "https://pmis.example.gov.uk"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PMIS_BASE_URL = BASE


@pytest.fixture
def council():
    officer = UserFactory(username="olly.officer", email="olly@example.org")
    team = UserFactory(username="pat.performance", email="pat@example.org", roles=[Role.PERFORMANCE_TEAM])
    holder = UserFactory(username="holly.holder", email="holly@example.org")
    indicator = IndicatorFactory(portfolio=PortfolioFactory(holder=holder))
    outturn = services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("50"), by=officer)
    submitted = services.outturn_submit(outturn=outturn, by=officer)
    target = services.target_set(
        indicator=indicator, period=period("2025/26 Q2"), value=D("60"), rationale="Trend", by=officer
    )
    proposed = services.target_propose(target=target, by=officer)
    return {"team": team, "submitted": submitted, "proposed": proposed, "indicator": indicator}


def links(body: str) -> list[str]:
    """Addresses in an email: absolute ones and bare paths."""
    return re.findall(r"(?<!\S)(?:https?://|/)\S*", body)


CHANGES = {
    "validate": lambda c: services.outturn_validate(outturn=c["submitted"], by=c["team"]),
    "send back": lambda c: services.outturn_return(outturn=c["submitted"], by=c["team"], comment="Check the source."),
    "quality-assure": lambda c: services.target_quality_assure(target=c["proposed"], by=c["team"]),
}


@pytest.mark.parametrize("change", CHANGES)
def test_the_email_links_to_pmis_by_its_own_address(council, change):
    CHANGES[change](council)
    (email,) = Email.objects.all()
    assert links(email.body) and all(link.startswith(BASE + "/") for link in links(email.body))


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_whose_email_cannot_be_written_is_not_made(council, change, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the email could not be written")

    monkeypatch.setattr(notifications, "email_queue", broken)
    with pytest.raises(RuntimeError):
        CHANGES[change](council)
    assert Outturn.objects.get(pk=council["submitted"].pk).state == OutturnState.SUBMITTED
    assert Target.objects.get(pk=council["proposed"].pk).status == TargetStatus.PROPOSED


def test_a_published_pack_and_overdue_actions_link_by_absolute_addresses(council):
    meeting = Meeting.objects.create(
        kind=MeetingKind.SURGERY, title="Surgery", date=datetime.date(2026, 2, 2), period=period("2025/26 Q1")
    )
    meeting.attendees.add(council["team"])
    review_services.pack_publish(meeting=meeting, by=council["team"], today=datetime.date(2026, 2, 1))
    review_services.action_raise(
        description="Repaint the crossings",
        owner=council["team"],
        due=datetime.date(2026, 1, 31),
        meeting=meeting,
        by=council["team"],
    )
    review_services.overdue_actions_remind(today=datetime.date(2026, 2, 1))
    bodies = {email.subject: email.body for email in Email.objects.all()}
    assert BASE + reverse("reviews:meeting", args=[meeting.pk]) in bodies["Papers published: Surgery"]
    assert BASE + reverse("reviews:my-actions") in bodies["1 overdue action"]
    assert PackSnapshot.objects.filter(meeting=meeting).exists()


def test_the_password_reset_link_comes_from_pmis_base_url_not_the_request(client, council, settings):
    response = client.post(reverse("password_reset"), {"email": "pat@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert f"{BASE}/accounts/reset/" in message.body
    assert "testserver" not in message.subject + message.body
    assert message.subject == f"{settings.PMIS_COUNCIL_NAME}: reset your PMIS password"
