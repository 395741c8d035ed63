import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from demo import catalogue
from demo.loader import DEMO_PASSWORD
from indicators.models import (
    Frequency,
    Indicator,
    Kind,
    Outturn,
    Period,
    Rating,
    Target,
    TargetStatus,
    TargetYear,
)
from indicators.targets import awaiting_sign_off, late_targets
from organisation.models import Directorate, Portfolio, Role, Service, User

TODAY = datetime.date(2026, 11, 23)


pytestmark = pytest.mark.django_db


def test_the_council_has_the_size_the_readme_promises(demo):
    assert (Directorate.objects.count(), Service.objects.count(), Portfolio.objects.count()) == (5, 20, 8)
    collected = Indicator.objects.collected()
    assert collected.count() == 150
    assert set(collected.values_list("kind", flat=True)) == set(Kind)
    assert set(collected.values_list("polarity", flat=True)) == {"higher", "lower", "none"}
    assert set(collected.values_list("frequency", flat=True)) == {"month", "quarter", "year"}
    assert {"percentage", "number", "currency", "days"} <= set(collected.values_list("unit", flat=True))
    assert collected.filter(is_cumulative=True).exists() and collected.filter(is_published=False).exists()
    for proxy in collected.filter(kind=Kind.PROXY):
        assert proxy.national_indicator.kind == Kind.NATIONAL


def test_national_indicators_keep_their_official_titles(demo):
    for indicator in Indicator.objects.collected().filter(kind=Kind.NATIONAL):
        assert indicator.history.earliest().title == indicator.title


def test_every_role_has_an_account_that_can_sign_in(demo, client):
    for role in Role:
        user = User.objects.filter(groups__name=role).order_by("pk").first()
        assert user is not None, role
        assert user.check_password(DEMO_PASSWORD)
        assert user.username in demo
    # The performance team runs the framework in PMIS's own pages: the admin is for
    # superusers' emergencies only, and no page links them to it.
    performance = User.objects.filter(groups__name=Role.PERFORMANCE_TEAM).order_by("pk").first()
    assert not performance.is_staff
    client.force_login(performance)
    assert client.get(reverse("admin:index")).status_code == 302
    home = client.get(reverse("indicators:home")).content.decode()
    assert "/admin/" not in home and reverse("indicators:definitions") in home


def test_portfolios_have_holders_and_indicators_have_owners(demo):
    assert not Portfolio.objects.filter(holder=None).exists()
    assert not Service.objects.filter(manager=None).exists()
    collected = Indicator.objects.collected()
    assert not collected.filter(service=None).exists()
    assert not collected.filter(responsible_officer=None).exists()
    assert not collected.exclude(portfolio__services=F("service")).exists()


def test_three_financial_years_of_rated_figures(demo):
    assert set(Outturn.objects.values_list("period__year", flat=True)) == {2024, 2025, 2026}
    assert not Outturn.objects.filter(rating=None).exists()
    assert not Outturn.objects.filter(period__end__gte=TODAY).exists()
    statuses = set(Rating.objects.values_list("rag", flat=True))
    assert {"green", "amber", "red", "data_only", "not_available"} <= statuses
    assert not Rating.objects.filter(rag__in=["red", "amber"], outturn__commentary="").exists()
    assert Rating.objects.exclude(travel_previous="").exists() and Rating.objects.exclude(travel_last_year="").exists()


def test_some_returns_are_late_or_overdue_and_some_targets_await_sign_off(demo):
    late = [o for o in Outturn.objects.select_related("period").exclude(submitted_at=None) if o.is_late]
    assert late
    due = Period.objects.filter(year=2026, due__lt=TODAY, frequency="quarter")
    expected = Indicator.objects.collected().filter(frequency="quarter").count() * due.count()
    assert Outturn.objects.filter(period__in=due).count() < expected
    waiting = Target.objects.filter(period__year=2026).exclude(status=TargetStatus.SIGNED_OFF)
    assert waiting.exists()
    assert not Target.objects.filter(period__year=2024).exclude(status=TargetStatus.SIGNED_OFF).exists()


def test_this_years_targets_are_year_proposals_signed_off_by_30_april_but_a_few_late(demo):
    years = TargetYear.objects.filter(year=2026)
    with_targets = Target.objects.filter(period__year=2026).values("indicator_id").distinct().count()
    assert years.count() == with_targets
    on_time = years.filter(first_signed_off_at__date__lte=datetime.date(2026, 4, 30)).count()
    _, late = late_targets(Indicator.objects.all(), TODAY)
    assert on_time >= 0.85 * with_targets
    assert 0 < len(late) <= 0.15 * with_targets
    # Every period target of a year shares the year's status: one decision, not one per period.
    statuses = {y.indicator_id: y.status for y in years}
    for indicator_id, status in Target.objects.filter(period__year=2026).values_list("indicator_id", "status"):
        assert status == statuses[indicator_id]
    # The demo portfolio holder has a page of years awaiting their sign-off.
    assert awaiting_sign_off(User.objects.get(username="kwame.asante")).count() >= 2


def test_the_council_scorecard_and_benchmarks_are_there(demo):
    from indicators.models import BenchmarkValue
    from reviews.models import Scorecard

    council = Scorecard.objects.get(is_council_scorecard=True)
    assert 60 <= council.indicators.count() <= 70
    assert not council.indicators.filter(is_published=False).exists()
    assert BenchmarkValue.objects.values("council").distinct().count() >= 10


def test_residents_have_public_commentary_and_good_news(demo, client):
    from indicators.models import OutturnState
    from reviews.models import GoodNewsStory

    public = Outturn.objects.filter(commentary_is_public=True)
    assert public.count() > 50
    assert not public.exclude(state=OutturnState.VALIDATED, indicator__is_published=True).exists()
    assert GoodNewsStory.objects.published().count() >= 3
    assert GoodNewsStory.objects.filter(is_published=False).exists()
    home = client.get(reverse("public:home"))
    assert home.status_code == 200
    assert GoodNewsStory.objects.published().first().title in home.content.decode()


def test_loading_again_changes_nothing(demo):
    before = (Indicator.objects.count(), Outturn.objects.count(), User.objects.count())
    out = StringIO()
    call_command("load_demo", "--today", TODAY.isoformat(), stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Indicator.objects.count(), Outturn.objects.count(), User.objects.count()) == before


def test_the_accounts_can_be_left_for_rundemo_to_print(demo):
    out = StringIO()
    call_command("load_demo", "--no-accounts", stdout=out)
    assert out.getvalue().strip() == "The demo council (Fernley Borough Council) is already loaded."


def test_the_catalogue_only_names_national_indicators_in_the_data_file():
    from indicators.national import read_national_indicators

    codes = {row["code"] for row in read_national_indicators()}
    for spec in catalogue.INDICATORS:
        if spec.kind == "national":
            assert spec.code in codes and spec.title is None
        if spec.kind == "proxy":
            assert spec.national in codes


def test_statistical_process_control_and_forecasts_have_something_to_show(demo):
    """The demo council has special causes, a fixed baseline and a forecast likely to miss."""
    from indicators.models import SpcBaseline
    from reviews.models import Scorecard

    council = Scorecard.objects.get(slug="council").indicators.all()
    latest = Rating.objects.filter(outturn__indicator__in=council).exclude(variation="")
    assert latest.filter(variation__startswith="concern").exists()
    assert latest.filter(variation__startswith="improvement").exists()
    assert Rating.objects.filter(assurance="fail").exists() and Rating.objects.filter(assurance="hit_and_miss").exists()
    assert SpcBaseline.objects.filter(indicator__code="LPI 031").exists()
    assert Rating.objects.filter(likely_to_miss=True, outturn__indicator__code="LPI 223").exists()
    # At least twelve figures for the monthly indicators, so their charts are drawn.
    assert Outturn.objects.filter(indicator__code="LPI 016", value__isnull=False).count() >= 12


def test_plans_cascade_and_stand_at_every_stage_of_their_lifecycle(demo):
    from plans.models import Milestone, MilestoneUpdate, Objective, Plan, PlanKind, PlanStatus, ScrutinyComment

    corporate = Plan.objects.get(kind=PlanKind.CORPORATE)
    thematic = Plan.objects.filter(kind=PlanKind.THEMATIC)
    assert thematic.count() == 2 and {plan.parent for plan in thematic} == {corporate}
    service_plans = Plan.objects.filter(kind=PlanKind.SERVICE)
    assert sorted(service_plans.values_list("owner_service__code", flat=True)) == sorted(
        code for code, _, _ in catalogue.SERVICES
    )
    assert {plan.parent for plan in service_plans} == {corporate, *thematic}
    assert set(service_plans.values_list("status", flat=True)) == set(PlanStatus)
    assert not Plan.objects.filter(status=PlanStatus.APPROVED, approved_by=None).exists()
    assert Plan.objects.late(TODAY).filter(status=PlanStatus.APPROVED).exists()
    # Under review, a comment waits for its answer; approved plans had every one answered.
    assert ScrutinyComment.objects.filter(plan__status=PlanStatus.SCRUTINY_REVIEW, answer="").exists()
    assert not ScrutinyComment.objects.filter(plan__status=PlanStatus.APPROVED, answer="").exists()
    # Every priority has a basket and milestones, with quarterly updates; some are overdue.
    for plan in Plan.objects.prefetch_related("priorities"):
        for priority in plan.priorities.all():
            assert priority.milestones.exists(), priority
            assert priority.indicators.exists() or plan.kind == PlanKind.SERVICE, priority
    assert MilestoneUpdate.objects.exists()
    assert any(milestone.is_overdue(TODAY) for milestone in Milestone.objects.all())
    assert Plan.objects.exclude(prt_indicators=None).exists() and Objective.objects.exists()


def test_the_council_scorecard_opens_with_the_corporate_priorities(demo, client):
    from plans.composites import corporate_priorities

    composites = corporate_priorities(Period.objects.ended_on(TODAY).filter(frequency=Frequency.QUARTER).first())
    assert len(composites) == len(catalogue.PORTFOLIOS)
    assert {composite.status for _, composite in composites} <= {"green", "amber", "red"}
    client.force_login(User.objects.get(username="kwame.asante"))
    body = client.get(reverse("reviews:scorecard", args=["council"])).content.decode()
    first, composite = composites[0]
    assert first.title in body and composite.counts_in_words in body


def test_the_performance_officer_takes_the_draft_plan_to_approval_through_scrutiny(demo, client):
    from plans.models import Plan, PlanStatus, ScrutinyComment

    plan = Plan.objects.get(owner_service__code="CUS", status=PlanStatus.DRAFT)
    team, member = User.objects.get(username="laura.jennings"), User.objects.get(username="eleanor.vaughan")
    client.force_login(team)
    client.post(reverse("plans:plan-quality-assure", args=[plan.pk]))
    client.post(reverse("plans:plan-send-to-scrutiny", args=[plan.pk]))
    client.force_login(member)
    client.post(reverse("plans:scrutiny-comment", args=[plan.pk]), {"text": "Will the phone lines stay open?"})
    client.force_login(plan.owner_service.manager)
    comment = ScrutinyComment.objects.get(plan=plan)
    client.post(reverse("plans:scrutiny-answer", args=[comment.pk]), {"answer": "Yes, every weekday."})
    client.force_login(team)
    client.post(reverse("plans:plan-approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, team)


def test_two_past_prt_cycles_with_packs_published_on_time_and_actions(demo):
    from reviews.models import Action, ActionStatus, BudgetLine, Feedback, Meeting, MeetingKind

    for portfolio in Portfolio.objects.all():
        published = Meeting.objects.filter(
            kind=MeetingKind.PORTFOLIO_PRT, portfolio=portfolio, snapshots__isnull=False
        ).prefetch_related("snapshots")
        # Every earlier PRT's pack was published too (none shows "Not published").
        assert published.count() >= 2
        for meeting in published:
            assert meeting.attendees.exists()
            on = meeting.snapshots.all()[0].published_at.date()
            assert meeting.deadline_state(TODAY, on) == "met"
        latest = published.order_by("-date").first()
        carried = [a for a in latest.snapshots.all()[0].data["actions"] if "recovery plan" in a["description"]]
        assert carried and carried[0]["status"] == "in_progress" and carried[0]["updates"]
        assert latest.snapshots.all()[0].data["budget"] and latest.snapshots.all()[0].data["feedback"]
    assert Action.objects.overdue(TODAY).exists()
    assert Action.objects.filter(status=ActionStatus.DONE).exists()
    corporate = Meeting.objects.filter(kind=MeetingKind.CORPORATE_PRT, date__lt=TODAY).order_by("-date").first()
    names = {p["name"] for p in corporate.snapshots.get().data["portfolios"]}
    assert names == set(Portfolio.objects.values_list("name", flat=True))
    surgery = Meeting.objects.get(kind=MeetingKind.SURGERY)
    assert surgery.indicators.exists() and surgery.outcome and surgery.actions.exists()
    assert BudgetLine.objects.filter(forecast_outturn__gt=F("budget")).exists()
    assert Feedback.objects.filter(response_sent__isnull=False).exists()


def test_the_performance_officer_runs_next_quarters_prt(demo, client, time_machine):
    from reviews.models import Meeting, MeetingKind

    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC), tick=False)
    team = User.objects.get(username="laura.jennings")
    client.force_login(team)
    last = Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT, snapshots__isnull=False).order_by("-date").first()
    portfolio = last.portfolio
    following = Period.objects.filter(frequency="quarter", start__gt=last.period.end).order_by("start")

    def arrange(quarter):
        response = client.post(
            reverse("reviews:meeting-add"),
            {
                "kind": MeetingKind.PORTFOLIO_PRT,
                "title": f"{portfolio.name} PRT, {quarter.label}",
                "date": (quarter.end + datetime.timedelta(days=45)).strftime("%d/%m/%Y"),
                "period": quarter.pk,
                "portfolio": portfolio.pk,
                "chair": portfolio.holder.pk,
                "attendees": [portfolio.holder.pk, team.pk],
            },
        )
        assert response.status_code == 302, response.content.decode()
        return Meeting.objects.get(title=f"{portfolio.name} PRT, {quarter.label}")

    meeting = arrange(following[0])
    # The quarter has not ended: publishing is refused until it has.
    client.post(reverse("reviews:meeting-publish", args=[meeting.pk]))
    assert not meeting.snapshots.exists()
    time_machine.move_to(datetime.datetime.combine(following[0].end, datetime.time(12), datetime.UTC), tick=False)
    time_machine.shift(datetime.timedelta(days=20))
    client.force_login(team)  # a new session, weeks later
    client.post(reverse("reviews:meeting-publish", args=[meeting.pk]))
    assert meeting.deadline_state(TODAY, meeting.snapshots.get().published_at.date()) == "met"
    owner = portfolio.services.order_by("code").first().manager
    client.post(
        reverse("reviews:action-add", args=[meeting.pk]),
        {"description": "Cut the repairs backlog by half", "owner": owner.pk, "due": "30/6/2027"},
    )
    after = arrange(following[1])
    body = client.get(reverse("reviews:meeting", args=[after.pk])).content.decode()
    assert "Cut the repairs backlog by half" in body
    assert "recovery plan" in body  # carried from the earlier cycles, still in progress


def test_a_cycle_of_service_prts_and_check_ins_with_action_plans_and_a_corporate_rollup(demo):
    from reviews.models import Action, Meeting, MeetingKind

    corporate = Meeting.objects.filter(kind=MeetingKind.CORPORATE_PRT, date__lt=TODAY).order_by("-date").first()
    cycle = Meeting.objects.filter(period=corporate.period)
    assert cycle.filter(kind=MeetingKind.SERVICE_PRT, snapshots__isnull=False).count() >= 3
    assert cycle.filter(kind=MeetingKind.CHECK_IN, service__isnull=False, portfolio__isnull=False).exists()
    assert not cycle.filter(kind__in=[MeetingKind.SERVICE_PRT, MeetingKind.PORTFOLIO_PRT], summary="").exists()
    rollup = corporate.snapshots.get().data["prts"]
    assert len(rollup) == cycle.filter(kind__in=[MeetingKind.SERVICE_PRT, MeetingKind.PORTFOLIO_PRT]).count()
    assert all(prt["summary"] for prt in rollup)
    # Most Reds have a plan; a few are flagged as without one.
    plans = Action.objects.filter(recover_by__isnull=False)
    without = [row for prt in rollup for row in prt["reds_without_plan"]]
    assert plans.count() > 3 * len({row["code"] for row in without}) > 0
    assert plans.filter(steps__done_on__isnull=False).exists()


def test_the_risk_registers_and_the_audit_recommendations(demo):
    from risks import register
    from risks.models import Recommendation, Risk

    assert len(register.corporate_register()) == 15
    assert Risk.objects.filter(directorate__isnull=False).values("directorate").distinct().count() == 5
    assert 3 <= len(register.risks_above_appetite()) <= 6
    assert 3 <= Risk.objects.review_overdue(TODAY).count() <= 5
    assert Risk.objects.rising().exists()
    recommendations = Recommendation.objects.filter(source__title="Audit of performance management")
    assert recommendations.count() == 14
    assert set(recommendations.values_list("status", flat=True)) == {
        "not_started",
        "in_progress",
        "implemented",
        "closed",
    }
    assert 3 <= recommendations.overdue(TODAY).count() <= 7 and recommendations.filter(actions__isnull=False).exists()


def test_published_packs_keep_their_scopes_risks(demo):
    from reviews.models import MeetingKind, PackSnapshot

    snapshots = PackSnapshot.objects.exclude(meeting__kind=MeetingKind.SURGERY)
    assert snapshots.exists() and all("risks" in s.data["sections"] for s in snapshots)
    council = snapshots.filter(meeting__kind=MeetingKind.CORPORATE_PRT).first()
    assert council.data["sections"]["risks"] and "recommendations" in council.data["sections"]


def test_some_charts_carry_a_note(demo):
    from indicators.models import ChartNote

    assert ChartNote.objects.count() == 2
    assert ChartNote.objects.filter(text__startswith="New case management system went live").exists()


def test_the_current_quarters_internal_and_public_counts_reconcile_by_the_stated_rule(demo, client):
    from collections import Counter

    from django.utils.html import escape

    from indicators import shown
    from indicators.models import OutturnState, Rag
    from public import data
    from reviews import scorecards
    from reviews.models import Scorecard

    quarter = Period.objects.ended_on(TODAY).filter(frequency=Frequency.QUARTER).first()
    council = Indicator.objects.collected().filter(scorecard_measures__scorecard__is_council_scorecard=True)
    inside = scorecards.scorecard(council.order_by("code"), quarter, today=TODAY)
    as_public = scorecards.scorecard(council.order_by("code"), quarter, today=TODAY, public=True)
    public = data.scorecard(quarter)
    public_counts = {count.status: count.count for count in public.summary}

    # "As the public sees it" inside PMIS gives the public scorecard's counts exactly.
    assert {count.status: count.count for count in as_public.summary if count.count} == public_counts
    # By the stated rule from the internal rows: a public Green, Amber or Red is an internal one
    # whose figure is validated and whose target is signed off (not provisional).
    firm = Counter(
        row.status
        for row in inside.rows
        if row.shown is not None and not row.provisional and row.outturn.state == OutturnState.VALIDATED
    )
    for rating in (Rag.GREEN, Rag.AMBER, Rag.RED):
        assert public_counts.get(rating, 0) == firm[rating]
    # The demo shows the difference the rule explains: ratings still provisional inside PMIS.
    assert any(row.provisional for row in inside.rows)
    # Every measure's row is for the quarter's own period: no earlier figure stands in.
    assert all(row.figure is None or row.figure.period.end <= quarter.end for row in public.rows)
    assert len(public.rows) == Scorecard.objects.get(is_council_scorecard=True).indicators.count()

    # Both pages state the rule; the public one for its chosen quarter.
    page = client.get(reverse("public:scorecard"), {"period": quarter.label}).content.decode()
    assert escape(shown.PUBLIC_RULE) in page
    client.force_login(User.objects.get(username="kwame.asante"))
    inside_page = client.get(reverse("reviews:scorecard", args=["council"]), {"view": "public"}).content.decode()
    assert escape(shown.PUBLIC_RULE) in inside_page

    # The performance team's override of a Red says so on the indicator page and in public.
    overridden = Rating.objects.exclude(override_rag="").select_related("outturn__indicator").get()
    indicator = overridden.outturn.indicator
    page = client.get(reverse("indicators:indicator-detail", args=[indicator.pk])).content.decode()
    assert "Green (overridden, computed Red)" in page
    page = client.get(reverse("public:indicator", args=[indicator.code])).content.decode()
    assert "(overridden: worked out as red)" in page
