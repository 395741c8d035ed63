"""Each role's home page: what it must act on or know this week, each item a link, in a
fixed number of queries whatever the size of the council."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportRun, Status
from indicators import ratings
from indicators.models import Frequency, Outturn, OutturnState, Period, Target
from organisation.models import Role
from plans.models import Plan, PlanKind, PlanStatus
from reviews.models import Action, Meeting, MeetingKind, PackSnapshot
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import DirectorateFactory, PortfolioFactory, ServiceFactory, UserFactory
from tests.reviews.builders import years

pytestmark = pytest.mark.django_db

# Q2 (to 30 September) is overdue; October's returns are due on 21 November, within the
# next 10 working days.
TODAY = datetime.date(2025, 11, 10)


@pytest.fixture
def council(time_machine):
    time_machine.move_to(datetime.datetime(2025, 11, 10, 9, tzinfo=datetime.UTC))
    years(2024, 2025)
    team = UserFactory(username="team", roles=[Role.PERFORMANCE_TEAM])
    chief = UserFactory(username="chief", roles=[Role.CHIEF_OFFICER])
    directorate = DirectorateFactory(director=chief)
    manager = UserFactory(username="manager", roles=[Role.SERVICE_MANAGER])
    service = ServiceFactory(directorate=directorate, manager=manager, name="Waste")
    officer = UserFactory(username="officer", roles=[Role.OFFICER], service=service)
    holder = UserFactory(username="holder", roles=[Role.PORTFOLIO_HOLDER])
    portfolio = PortfolioFactory(holder=holder, name="Environment")
    scrutiny = UserFactory(username="scrutiny", roles=[Role.SCRUTINY_MEMBER])
    people = {
        "officer": officer,
        "manager": manager,
        "team": team,
        "holder": holder,
        "chief": chief,
        "scrutiny": scrutiny,
    }
    periods = {p.label: p for p in Period.objects.all()}
    now = timezone.now()
    made = {"n": 0}

    def grow(count: int) -> None:
        for _ in range(count):
            n = made["n"] = made["n"] + 1
            monthly = IndicatorFactory(
                code=f"M{n:02d}",
                title=f"Bins emptied {n}",
                frequency=Frequency.MONTH,
                service=service,
                portfolio=portfolio,
            )
            quarterly = IndicatorFactory(
                code=f"Q{n:02d}",
                title=f"Streets clean {n}",
                frequency=Frequency.QUARTER,
                service=service,
                portfolio=portfolio,
            )
            Target.objects.create(indicator=monthly, period=periods["2025/26 Sep"], value=80)
            Target.objects.create(indicator=quarterly, period=periods["2025/26 Q3"], value=80)
            Outturn.objects.create(
                indicator=monthly,
                period=periods["2025/26 Sep"],
                value=Decimal(50),
                entered_at=now,
                commentary="Crews off sick",
            )
            Outturn.objects.create(
                indicator=monthly,
                period=periods["2025/26 Aug"],
                value=Decimal(90),
                entered_at=now,
                state=OutturnState.RETURNED,
                return_comment=f"Check the August count {n}",
            )
            Action.objects.create(
                description=f"Recover the round {n}",
                owner=officer,
                due=TODAY + datetime.timedelta(days=3),
                indicator=quarterly,
                raised_by=team,
                raised_at=now,
            )
            Action.objects.create(
                description=f"Late action {n}",
                owner=manager,
                due=TODAY - datetime.timedelta(days=3),
                indicator=quarterly,
                raised_by=team,
                raised_at=now,
            )
            Action.objects.create(
                description=f"Holder action {n}",
                owner=holder,
                due=TODAY + datetime.timedelta(days=1),
                raised_by=team,
                raised_at=now,
            )
            Meeting.objects.create(
                kind=MeetingKind.PORTFOLIO_PRT,
                title=f"Environment PRT {n}",
                period=periods["2025/26 Q2"],
                portfolio=portfolio,
                date=TODAY + datetime.timedelta(days=20 + n),
            )
            Meeting.objects.create(
                kind=MeetingKind.SURGERY,
                title=f"Surgery {n}",
                period=periods["2025/26 Q2"],
                date=TODAY + datetime.timedelta(days=n),
            )
            held = Meeting.objects.create(
                kind=MeetingKind.CORPORATE_PRT,
                title=f"Corporate PRT {n}",
                period=periods["2025/26 Q1"],
                date=TODAY - datetime.timedelta(days=30 + n),
            )
            PackSnapshot.objects.create(meeting=held, published_at=now, published_by=team, data={"title": "x"})
            Plan.objects.create(
                kind=PlanKind.SERVICE,
                title=f"Waste plan {n}",
                first_year=2025,
                last_year=2025,
                owner_service=service,
                status=PlanStatus.SCRUTINY_REVIEW,
                scrutiny_started_at=now,
            )
            ImportRun.objects.create(
                kind="returns", status=Status.INVALID, user=team, filename=f"returns-{n}.xlsx", data=b""
            )
        ratings.ratings_recalculate()

    return {"grow": grow, "people": people}


def visit(client, user) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("indicators:home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_each_role_sees_what_to_act_on_in_a_fixed_number_of_queries(client, council):
    council["grow"](1)
    small = {who: visit(client, user) for who, user in council["people"].items()}
    council["grow"](3)
    large = {who: visit(client, user) for who, user in council["people"].items()}
    for who in small:
        assert small[who][0] == large[who][0], f"{who}: {small[who][0]} queries for 1, {large[who][0]} for 4"
    pages = {who: body for who, (_, body) in large.items()}

    officer = pages["officer"]
    overdue = officer[officer.index('id="returns-overdue"') : officer.index('id="returns-due-soon"')]
    assert "Streets clean 1, 2025/26 Q2" in overdue and "was due 21 October 2025" in overdue
    due_soon = officer[officer.index('id="returns-due-soon"') : officer.index('id="returns-sent-back"')]
    assert "Bins emptied 1, 2025/26 Oct" in due_soon and "due 21 November 2025" in due_soon
    assert "Check the August count 1" in officer[officer.index('id="returns-sent-back"') :]
    # September's Red has no open action against its indicator; the quarterly one has one.
    plans = officer[officer.index('id="needing-plan"') :]
    assert "M01 Bins emptied 1" in plans and ">Red<" in plans
    assert "Recover the round 1" in officer
    assert reverse("indicators:outturn-entry", args=[1, 1]).rsplit("/", 3)[0] in officer

    manager = pages["manager"]
    assert 'id="service-progress"' in manager and "Waste, 2025/26 Oct" in manager
    assert "M04 Bins emptied 4" in manager[manager.index('id="service-red-amber"') :]
    assert "Late action 1" in manager

    team = pages["team"]
    assert "Returns for 2025/26 Q2 by service" in team and ">Waste</a>" in team
    assert "Environment PRT 1" in team[team.index('id="packs-due"') :]
    assert "returns-4.xlsx" in team[team.index('id="imports-attention"') :]
    assert "Targets not signed off</a>: 8" in team

    holder = pages["holder"]
    assert "Environment" in holder and "Red 4" in holder
    assert "Environment PRT 1" in holder[holder.index('id="next-prt"') :] and "Holder action 4" in holder

    chief = pages["chief"]
    assert "Red 4" in chief and "Waste</a>: 4 overdue" in chief
    assert "Late action 2" in chief[chief.index('id="overdue-actions"') :]
    assert "Surgery 3" in chief[chief.index('id="surgeries"') :]

    scrutiny = pages["scrutiny"]
    assert "Waste plan 4" in scrutiny and "you have not commented" in scrutiny
    assert "Corporate PRT 2" in scrutiny[scrutiny.index('id="recent-packs"') :]
    # Each role sees its own parts only.
    assert 'id="officer"' not in scrutiny and 'id="scrutiny-member"' not in officer
