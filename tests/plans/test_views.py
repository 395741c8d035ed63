"""The plan pages as the people who use them: a performance officer takes a plan to
approval, scrutiny comments and the owner answers, a cabinet member sees composites and
drills into a basket. Bad input gets a GOV.UK error summary; pages run a fixed number of
queries however big the baskets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import Role
from plans.models import Milestone, Objective, Plan, PlanKind, PlanStatus, ScrutinyComment
from reviews.models import Scorecard
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory
from tests.plans.factories import MilestoneFactory, PlanFactory, PriorityFactory
from tests.reviews.builders import figure, target, years

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 11, 10, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def people():
    service = ServiceFactory(name="Waste and Recycling")
    officer = UserFactory(username="olu.officer", roles=[Role.OFFICER], service=service)
    manager = UserFactory(username="mia.manager", roles=[Role.SERVICE_MANAGER])
    service.manager = manager
    service.save()
    holder = UserFactory(username="hal.holder", roles=[Role.PORTFOLIO_HOLDER])
    PortfolioFactory(holder=holder).services.add(service)
    return {
        "service": service,
        "officer": officer,
        "manager": manager,
        "team": UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM]),
        "scrutiny": UserFactory(username="sam.scrutiny", roles=[Role.SCRUTINY_MEMBER]),
        "holder": holder,
        "chief": UserFactory(username="cat.chief", roles=[Role.CHIEF_OFFICER]),
    }


@pytest.fixture
def plan(people):
    years(2025)
    return PlanFactory(
        title="Waste business plan 2025/26", owner_service=people["service"], lead_officer=people["officer"]
    )


def rated(value: str, label: str = "2025/26 Q2", **fields):
    indicator = IndicatorFactory(**fields)
    target(indicator, label, "100")
    figure(indicator, label, value, commentary="Explained")
    return indicator


def test_a_performance_officer_takes_a_plan_from_draft_to_approved(client, people, plan):
    client.force_login(people["team"])
    page = reverse("plans:plan", args=[plan.pk])
    assert "Quality-assure this plan" in client.get(page).content.decode()
    client.post(reverse("plans:plan-quality-assure", args=[plan.pk]))
    assert "Send to scrutiny review" in client.get(page).content.decode()
    client.post(reverse("plans:plan-send-to-scrutiny", args=[plan.pk]))
    # Scrutiny comments, the owner answers.
    client.force_login(people["scrutiny"])
    client.post(reverse("plans:scrutiny-comment", args=[plan.pk]), {"text": "Will recycling rise?"})
    comment = ScrutinyComment.objects.get()
    client.force_login(people["manager"])
    assert 'action="/plans/comments/' in client.get(page).content.decode()
    client.post(reverse("plans:scrutiny-answer", args=[comment.pk]), {"answer": "Yes, with food waste collections."})
    client.force_login(people["team"])
    response = client.post(reverse("plans:plan-approve", args=[plan.pk]), follow=True)
    body = response.content.decode()
    assert "The plan is approved." in body
    assert "Will recycling rise?" in body and "Yes, with food waste collections." in body
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, people["team"])
    assert f"by {people['team']} on 10 November 2025" in body


def test_approving_without_scrutiny_review_is_refused_with_a_message(client, people, plan):
    client.force_login(people["team"])
    response = client.post(reverse("plans:plan-approve", args=[plan.pk]), follow=True)
    assert "a plan cannot be approved without scrutiny review" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_an_empty_comment_or_answer_gets_an_error_summary(client, people, plan):
    plan.status = PlanStatus.SCRUTINY_REVIEW
    plan.save()
    client.force_login(people["scrutiny"])
    body = client.post(reverse("plans:scrutiny-comment", args=[plan.pk]), {"text": " "}).content.decode()
    assert "govuk-error-summary" in body and '<a href="#id_text">Enter your comment on the plan.</a>' in body
    assert not ScrutinyComment.objects.exists()
    comment = ScrutinyComment.objects.create(plan=plan, text="Why?", made_by=people["scrutiny"], made_at=NOW)
    client.force_login(people["officer"])
    body = client.post(reverse("plans:scrutiny-answer", args=[comment.pk]), {"answer": ""}).content.decode()
    assert f'<a href="#answer-{comment.pk}-answer">Enter your answer to the scrutiny comment.</a>' in body
    assert f'id="answer-{comment.pk}-answer"' in body


def test_sending_back_to_draft_needs_a_reason(client, people, plan):
    plan.status = PlanStatus.QUALITY_ASSURED
    plan.save()
    client.force_login(people["team"])
    body = client.post(reverse("plans:plan-return", args=[plan.pk]), {"reason": ""}).content.decode()
    assert '<a href="#id_reason">Say why the plan is going back to draft.</a>' in body
    client.post(reverse("plans:plan-return", args=[plan.pk]), {"reason": "No milestones"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_the_plan_page_shows_baskets_composites_milestones_and_prints(client, people, plan):
    priority = PriorityFactory(plan=plan, title="Recycle more")
    priority.indicators.set([rated("100", title="Household waste recycled"), rated("96"), IndicatorFactory()])
    MilestoneFactory(priority=priority, title="Food waste trial", due=datetime.date(2025, 9, 30), status="at_risk")
    MilestoneFactory(priority=priority, title="New depot", due=datetime.date(2026, 3, 31), status="on_track")
    client.force_login(people["chief"])
    body = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "css/print.css" in body
    assert "Household waste recycled" in body
    # (2 + 1) / 2 = 1.5: Green, with its counts.
    green = '<strong class="govuk-tag govuk-tag--green">Green</strong> <span class="govuk-body-s">'
    assert green + "1 Green, 1 Amber, 0 Red, 1 unrated" in body
    assert "Food waste trial" in body
    # The trial was due in September and is not complete; the depot is not due yet.
    assert body.count(">Overdue</strong>") == 1
    assert "Update progress" not in body
    assert "Quality-assure this plan" not in body


def test_the_plan_page_runs_a_fixed_number_of_queries_as_baskets_grow(client, people, plan):
    client.force_login(people["chief"])
    url = reverse("plans:plan", args=[plan.pk])

    def grow(priorities, indicators):
        for _ in range(priorities):
            priority = PriorityFactory(plan=plan)
            priority.indicators.set([rated(str(90 + n)) for n in range(indicators)])
            MilestoneFactory(priority=priority)
            MilestoneFactory(priority=priority)
        ScrutinyComment.objects.create(plan=plan, text="Why?", made_by=people["scrutiny"], made_at=NOW)
        PlanFactory(parent=plan)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode().count("govuk-table__row")

    grow(1, 2)
    small = measure()
    grow(4, 6)
    large = measure()
    assert large[1] > small[1]
    assert small[0] == large[0], f"{small[0]} queries for a small plan, {large[0]} for a large one"


def test_the_plan_list_filters_and_lists_late_plans(client, people, plan):
    PlanFactory(kind=PlanKind.CORPORATE, title="Corporate Plan", owner_service=None, status=PlanStatus.APPROVED)
    client.force_login(people["scrutiny"])
    body = client.get(reverse("plans:plans")).content.decode()
    assert "Corporate Plan" in body and "Waste business plan 2025/26" in body
    late = body[body.index('id="late-plans"') : body.index("All plans")]
    assert "Waste business plan 2025/26" in late and "due by 30 April 2025" in late
    body = client.get(reverse("plans:plans"), {"kind": "corporate"}).content.decode()
    listed = body[body.index('id="plans"') :]
    assert "Corporate Plan" in listed and "Waste business plan" not in listed
    body = client.get(reverse("plans:plans"), {"status": "approved", "kind": "service"}).content.decode()
    assert "No plans match these filters." in body
    assert "No milestone is overdue." in body


def test_the_plan_list_lists_overdue_milestones(client, people, plan):
    priority = PriorityFactory(plan=plan, title="Recycle more")
    MilestoneFactory(priority=priority, title="Food waste trial", due=datetime.date(2025, 9, 30), status="off_track")
    MilestoneFactory(priority=priority, title="Depot built", due=datetime.date(2025, 9, 30), status="complete")
    MilestoneFactory(priority=priority, title="New fleet", due=datetime.date(2026, 3, 31))
    client.force_login(people["chief"])
    body = client.get(reverse("plans:plans")).content.decode()
    overdue = body[body.index('id="overdue-milestones"') : body.index("All plans")]
    assert "Food waste trial" in overdue and "Off track" in overdue and "Recycle more" in overdue
    assert "Depot built" not in overdue and "New fleet" not in overdue


def test_the_priority_page_drills_into_its_basket(client, people, plan):
    priority = PriorityFactory(plan=plan, title="Recycle more")
    priority.indicators.set([rated("50", title="Household waste recycled")])
    indicator = priority.indicators.get()
    Objective.objects.create(
        text="Run the food waste trial", owner=people["officer"], indicator=indicator, year=2025, created_at=NOW
    )
    client.force_login(people["holder"])
    body = client.get(reverse("plans:priority", args=[priority.pk])).content.decode()
    assert "Composite status for 2025/26 Q2" in body and "0 Green, 0 Amber, 1 Red, 0 unrated" in body
    assert reverse("reviews:scope-scorecard", args=["priority", priority.pk]) in body
    assert reverse("indicators:indicator-detail", args=[indicator.pk]) in body
    assert "Run the food waste trial" in body
    # An earlier quarter, chosen in the address, has no ratings.
    body = client.get(reverse("plans:priority", args=[priority.pk]), {"period": period("2025/26 Q1").pk}).content
    assert "0 Green, 0 Amber, 0 Red, 1 unrated" in body.decode()
    assert (
        client.get(reverse("plans:priority", args=[priority.pk]), {"period": period("2025/26 Q4").pk}).status_code
        == 404
    )


def test_milestone_progress_is_updated_each_quarter(client, people, plan):
    milestone = MilestoneFactory(priority=PriorityFactory(plan=plan), owner=people["officer"], title="Food waste trial")
    url = reverse("plans:milestone-update", args=[milestone.pk])
    client.force_login(people["officer"])
    page = client.get(url).content.decode()
    assert 'value="{}" selected>2025/26 Q3'.format(period("2025/26 Q3").pk) in page
    bad = {
        "period": period("2025/26 Q3").pk,
        "status": "complete",
        "percent_complete": "90",
        "comment": "",
        "version": 1,
    }
    body = client.post(url, bad).content.decode()
    assert '<a href="#id_comment">Say what progress was made this quarter.</a>' in body
    bad["comment"] = "Nearly there"
    body = client.post(url, bad).content.decode()
    assert '<a href="#id_percent_complete">A complete milestone is 100% complete.</a>' in body
    body = client.post(url, {**bad, "percent_complete": "abc"}).content.decode()
    assert "Enter the percentage as a whole number" in body
    response = client.post(url, {**bad, "status": "at_risk"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.percent_complete) == ("at_risk", 90)
    # A stale form (version 1) is refused, telling who saved first.
    body = client.post(url, {**bad, "status": "on_track"}).content.decode()
    assert "changed this after you opened it" in body


def test_the_portfolio_holder_records_their_prt_targets(client, people, plan):
    chosen, other = IndicatorFactory(title="Missed bins"), IndicatorFactory(title="Fly-tipping cleared")
    PriorityFactory(plan=plan).indicators.set([chosen, other])
    client.force_login(people["holder"])
    url = reverse("plans:prt-selection", args=[plan.pk])
    assert "Missed bins" in client.get(url).content.decode()
    response = client.post(url, {"indicators": [chosen.pk]}, follow=True)
    assert "will monitor the targets you chose" in response.content.decode()
    assert list(Plan.objects.get(pk=plan.pk).prt_indicators.all()) == [chosen]
    body = client.post(url, {"indicators": ["999999"]}).content.decode()
    assert "govuk-error-summary" in body and 'href="#id_indicators_0"' in body


def test_a_service_manager_links_objectives_to_targets(client, people, plan):
    indicator = IndicatorFactory(service=people["service"], title="Missed bins")
    url = reverse("plans:service-objectives", args=[people["service"].pk])
    client.force_login(people["manager"])
    body = client.post(url, {"owner": "", "indicator": indicator.pk, "text": ""}).content.decode()
    assert '<a href="#id_owner">Choose whose objective this is.</a>' in body
    assert '<a href="#id_text">Enter the objective.</a>' in body
    client.post(url, {"owner": people["officer"].pk, "indicator": indicator.pk, "text": "Halve missed bins"})
    objective = Objective.objects.get()
    assert (objective.owner, objective.indicator, objective.year, objective.created_by) == (
        people["officer"],
        indicator,
        2025,
        people["manager"],
    )
    client.force_login(people["scrutiny"])
    body = client.get(url).content.decode()
    assert "Halve missed bins" in body and "Add objective" not in body


def test_the_council_scorecard_opens_with_corporate_priorities_and_their_counts(client, people):
    years(2025)
    corporate = PlanFactory(kind=PlanKind.CORPORATE, owner_service=None, status=PlanStatus.APPROVED)
    draft = PlanFactory(kind=PlanKind.CORPORATE, owner_service=None, title="Draft corporate plan")
    strong = PriorityFactory(plan=corporate, title="A cleaner borough", position=1)
    strong.indicators.set([rated("100"), rated("100")])
    weak = PriorityFactory(plan=corporate, title="Healthier lives", position=2)
    weak.indicators.set([rated("50"), IndicatorFactory()])
    PriorityFactory(plan=draft, title="Not yet agreed")
    scorecard = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
    scorecard.indicators.set(strong.indicators.all())
    client.force_login(people["chief"])
    body = client.get(reverse("reviews:scorecard", args=["council"])).content.decode()
    top = body[body.index('id="corporate-priorities"') : body.index("Summary for")]
    assert "A cleaner borough" in top and "2 Green, 0 Amber, 0 Red, 0 unrated" in top
    assert "Healthier lives" in top and ">Red</strong>" in top and "0 Green, 0 Amber, 1 Red, 1 unrated" in top
    assert "Not yet agreed" not in top
    # Only on the Council Scorecard.
    other = Scorecard.objects.create(name="Other", slug="other")
    assert (
        'id="corporate-priorities"' not in client.get(reverse("reviews:scorecard", args=[other.slug])).content.decode()
    )


def test_plans_is_in_the_navigation_for_every_role(client, people):
    for who in ("officer", "scrutiny", "holder", "chief"):
        client.force_login(people[who])
        assert f'href="{reverse("plans:plans")}"' in client.get(reverse("indicators:home")).content.decode()


def test_the_indicator_page_lists_the_plans_that_include_it(client, people, plan):
    indicator = IndicatorFactory()
    PriorityFactory(plan=plan, title="Recycle more").indicators.add(indicator)
    client.force_login(people["chief"])
    body = client.get(reverse("indicators:indicator-detail", args=[indicator.pk])).content.decode()
    assert "Waste business plan 2025/26" in body and "Recycle more" in body


def test_milestone_model_is_ordered_by_due_date(people, plan):
    priority = PriorityFactory(plan=plan)
    later = MilestoneFactory(priority=priority, due=datetime.date(2026, 1, 1))
    sooner = MilestoneFactory(priority=priority, due=datetime.date(2025, 6, 1))
    assert list(Milestone.objects.filter(priority=priority)) == [sooner, later]


def _grow(plan, people, size):
    """More of everything each page lists: priorities, indicators, milestones and updates,
    comments, child plans, late plans and objectives."""
    for _ in range(size):
        priority = PriorityFactory(plan=plan)
        indicators = [rated(str(90 + n), service=people["service"]) for n in range(size)]
        priority.indicators.set(indicators)
        milestone = MilestoneFactory(priority=priority, owner=people["officer"])
        MilestoneFactory(priority=priority, due=datetime.date(2025, 6, 30), status="at_risk")
        ScrutinyComment.objects.create(plan=plan, text="Why?", made_by=people["scrutiny"], made_at=NOW)
        PlanFactory(parent=plan)
        for indicator in indicators:
            Objective.objects.create(
                text="An objective", owner=people["officer"], indicator=indicator, year=2025, created_at=NOW
            )
    return priority, milestone


@pytest.mark.parametrize(
    ("name", "who", "queries"),
    [
        # Session, user, two-factor sign-in state, roles, plans, late plans' years, late plans,
        # overdue milestones.
        ("plans", "chief", 8),
        # Session, user, roles, plan, quarters, priorities with their indicators and
        # milestones, the composite policy, baskets, periods, ratings, child plans,
        # comments, PRT targets, the holder's portfolios.
        ("plan", "chief", 16),
        # The priority page also lists its open risks (risks.templatetags related_risks).
        ("priority", "chief", 14),
        ("milestone-update", "officer", 7),
        ("prt-selection", "holder", 8),
        ("service-objectives", "manager", 8),
        ("priority-basket", "manager", 7),
        ("milestone-add", "manager", 6),
    ],
)
def test_every_plans_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, people, plan, name, who, queries
):
    client.force_login(people[who])
    for size in (2, 6):
        priority, milestone = _grow(plan, people, size)
        args = {
            "plans": [],
            "plan": [plan.pk],
            "priority": [priority.pk],
            "milestone-update": [milestone.pk],
            "prt-selection": [plan.pk],
            "service-objectives": [people["service"].pk],
            "priority-basket": [priority.pk],
            "milestone-add": [priority.pk],
        }[name]
        with django_assert_num_queries(queries):
            assert client.get(reverse(f"plans:{name}", args=args)).status_code == 200


def test_a_bad_filter_on_the_plan_list_says_what_is_wrong(client, people, plan):
    client.force_login(people["chief"])
    body = client.get(reverse("plans:plans"), {"kind": "imaginary"}).content.decode()
    assert '<a href="#id_kind">Choose a kind of plan from the list.</a>' in body
    assert "Waste business plan 2025/26" in body


def test_the_priority_page_offers_progress_updates_only_to_those_who_may(client, people, plan):
    priority = PriorityFactory(plan=plan)
    MilestoneFactory(priority=priority, owner=people["officer"])
    url = reverse("plans:priority", args=[priority.pk])
    for who, offered in [("officer", True), ("manager", True), ("team", True), ("scrutiny", False), ("chief", False)]:
        client.force_login(people[who])
        assert ("Update progress" in client.get(url).content.decode()) is offered, who


def test_the_plans_owner_chooses_a_basket_and_adds_milestones_while_it_is_a_draft(client, people, plan):
    priority = PriorityFactory(plan=plan, title="Recycle more")
    wanted, other = IndicatorFactory(title="Household waste recycled"), IndicatorFactory(title="Missed bins")
    client.force_login(people["manager"])
    page = client.get(reverse("plans:priority", args=[priority.pk])).content.decode()
    assert "Choose the indicators in this basket" in page and "Add a milestone" in page
    basket = reverse("plans:priority-basket", args=[priority.pk])
    assert "Missed bins" in client.get(basket).content.decode()
    body = client.post(basket, {"indicators": ["999999"]}).content.decode()
    assert '<a href="#id_indicators_0">Choose indicators from the register.</a>' in body
    client.post(basket, {"indicators": [wanted.pk]})
    assert list(priority.indicators.all()) == [wanted]

    add = reverse("plans:milestone-add", args=[priority.pk])
    body = client.post(add, {"title": "", "owner": people["officer"].pk, "due": "31/13/2026"}).content.decode()
    assert '<a href="#id_title">Enter what will be delivered.</a>' in body
    assert '<a href="#id_due">Enter the due date as day/month/year, like 31/3/2027.</a>' in body
    client.post(add, {"title": "Food waste trial", "owner": people["officer"].pk, "due": "31/3/2026"})
    milestone = Milestone.objects.get()
    assert (milestone.title, milestone.owner, milestone.due) == (
        "Food waste trial",
        people["officer"],
        datetime.date(2026, 3, 31),
    )

    # Once quality-assured, the plan's content is fixed: no links, and the pages refuse.
    plan.status = PlanStatus.QUALITY_ASSURED
    plan.save()
    page = client.get(reverse("plans:priority", args=[priority.pk])).content.decode()
    assert "Choose the indicators in this basket" not in page and "Add a milestone" not in page
    assert client.post(basket, {"indicators": [other.pk]}).status_code == 403
    assert list(priority.indicators.all()) == [wanted]
