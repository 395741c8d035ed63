"""The demo council's plans, meetings and review cycle read as a real council's would (issue 24)."""

import datetime
import re
from collections import Counter

import pytest

from indicators import periods
from indicators.models import Indicator, OutturnState, Rating
from organisation.models import Portfolio
from plans.models import Milestone, Plan, PlanKind, Priority, ScrutinyComment
from reviews.models import Action, Feedback, FeedbackKind, GoodNewsStory, Meeting, MeetingKind, PackSnapshot

TODAY = datetime.date(2026, 11, 23)


pytestmark = pytest.mark.django_db


def _about(action: Action) -> Indicator | None:
    """The indicator an action concerns: the one it is raised against, or for an action in a
    portfolio PRT's log, the portfolio's indicator whose title it names (the longest such); in
    the corporate PRT's, the council's."""
    if action.indicator_id:
        return action.indicator
    if action.meeting is None or action.meeting.kind not in (MeetingKind.PORTFOLIO_PRT, MeetingKind.CORPORATE_PRT):
        return None
    candidates = Indicator.objects.collected()
    if action.meeting.kind == MeetingKind.PORTFOLIO_PRT:
        candidates = candidates.filter(portfolio=action.meeting.portfolio_id)
    named = [i for i in candidates if i.title[1:] in action.description]
    return max(named, key=lambda i: len(i.title), default=None)


def _reviewing_meeting(action: Action) -> Meeting | None:
    """The meeting that reviews an action: the next of its meeting's series; for a surgery's
    action, the next PRT of the indicator's portfolio; for a remedial plan, the portfolio's PRT
    on the quarter the plan was made in (the PRT on the Red quarter adopts it)."""
    if action.meeting is not None and action.meeting.kind != MeetingKind.SURGERY:
        return (
            action.meeting.series().filter(date__gt=action.meeting.date, cancelled_reason="").order_by("date").first()
        )
    raised = action.meeting.date if action.meeting else action.raised_at.date()
    later = Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT, portfolio=_about(action).portfolio_id)
    later = later.filter(date__gt=raised) if action.meeting else later.filter(period__end__gte=raised)
    return later.order_by("date").first()


def test_every_meeting_and_pack_falls_on_a_working_day(demo):
    meetings = Meeting.objects.all()
    assert meetings.count() > 60
    assert [m.title for m in meetings if not periods.is_working_day(m.date)] == []
    published = PackSnapshot.objects.values_list("published_at", flat=True)
    assert [p for p in published if not periods.is_working_day(p.date())] == []
    # The corporate PRT and the surgery too, which used to fall on a weekend.
    assert Meeting.objects.filter(kind=MeetingKind.CORPORATE_PRT, date__lt=TODAY).count() >= 5
    assert Meeting.objects.filter(kind=MeetingKind.SURGERY).exists()


def test_the_portfolio_prts_of_a_quarter_spread_over_weeks_before_the_corporate_prt(demo):
    quarters = {m.period for m in Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT).select_related("period")}
    assert len(quarters) >= 6
    for quarter in quarters:
        days = sorted(
            Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT, period=quarter).values_list("date", flat=True)
        )
        assert len(days) == Portfolio.objects.count() == len(set(days)), quarter
        assert (days[-1] - days[0]).days >= 14, quarter
        corporate = Meeting.objects.get(kind=MeetingKind.CORPORATE_PRT, period=quarter)
        assert corporate.date > days[-1]
        # Its pack goes out after the last PRT, so it can gather every PRT's key issues.
        assert corporate.pack_deadline > days[-1]


def test_packs_are_published_on_time_for_every_meeting_whose_deadline_has_passed(demo):
    due = [m for m in Meeting.objects.prefetch_related("snapshots") if m.pack_deadline < TODAY]
    assert len(due) > 60
    for meeting in due:
        snapshots = list(meeting.snapshots.all())
        assert snapshots, f"{meeting} has no pack"
        assert meeting.deadline_state(TODAY, snapshots[-1].published_at.date()) == "met", meeting
    # Meetings further ahead show their deadline still to come.
    ahead = [m for m in Meeting.objects.filter(date__gt=TODAY) if not m.snapshots.exists()]
    assert ahead and all(m.deadline_state(TODAY, None) in ("open", "near") for m in ahead)


def test_the_surgery_is_chaired_by_the_portfolio_holder_with_attendees(demo):
    surgery = Meeting.objects.select_related("portfolio").get(kind=MeetingKind.SURGERY)
    assert surgery.chair == surgery.portfolio.holder
    attendees = set(surgery.attendees.all())
    assert surgery.chair in attendees and len(attendees) >= 4
    examined = list(surgery.indicators.select_related("service__manager"))
    assert examined and all(i.portfolio_id == surgery.portfolio_id for i in examined)
    assert {i.service.manager for i in examined} <= attendees
    assert surgery.snapshots.exists()


def test_every_action_is_owned_in_the_service_it_concerns(demo):
    actions = list(Action.objects.select_related("owner", "indicator", "meeting"))
    concerning = [(action, _about(action)) for action in actions]
    prt_actions = [a for a in actions if a.meeting and a.meeting.kind == MeetingKind.PORTFOLIO_PRT]
    assert len(prt_actions) > 60
    # A portfolio PRT's action names one of the portfolio's indicators; the corporate PRT's, the council's.
    assert all(_about(a) is not None for a in prt_actions)
    corporate = [a for a in actions if a.meeting and a.meeting.kind == MeetingKind.CORPORATE_PRT]
    assert corporate and all(_about(a) is not None for a in corporate)
    for action, indicator in concerning:
        if indicator is not None:
            assert action.owner.service_id == indicator.service_id, action.description
        if action.meeting and action.meeting.service_id:
            assert action.owner.service_id == action.meeting.service_id, action.description
    # A portfolio's actions are owned across its services, not all by one manager.
    owners = {}
    for action in prt_actions:
        owners.setdefault(action.meeting.portfolio_id, set()).add(action.owner_id)
    assert len([p for p, people in owners.items() if len(people) > 1]) >= 5


def test_no_action_is_due_after_the_meeting_that_reviews_it(demo):
    checked = 0
    for action in Action.objects.exclude(meeting=None, indicator=None).select_related("meeting", "indicator"):
        reviewing = _reviewing_meeting(action)
        if reviewing is None:
            continue
        assert action.due <= reviewing.date, (action.description, action.due, reviewing)
        checked += 1
    assert checked > 60


def test_actions_are_specific_to_their_indicator(demo):
    actions = list(Action.objects.filter(meeting__kind=MeetingKind.PORTFOLIO_PRT))
    assert len({a.description for a in actions}) == len(actions)
    # Never the same question twice about one indicator, whatever its figures.
    asked = Counter((_about(a).pk, re.sub(r"[\d.,%£]+| days| in \d{4}/\d\d Q\d", "", a.description)) for a in actions)
    assert max(asked.values()) == 1
    # Done, in progress and overdue actions are all there.
    assert {a.status for a in actions} >= {"done", "open", "in_progress"}
    assert any(a.is_overdue(TODAY) for a in actions)


def _figure_claims(story: GoodNewsStory) -> list[Rating]:
    ratings = Rating.objects.filter(
        outturn__indicator=story.indicator, outturn__state=OutturnState.VALIDATED, actual__isnull=False
    ).select_related("outturn__period", "outturn__indicator")
    return [r for r in ratings if story.indicator.format_value(r.actual) in story.text]


def test_good_news_is_dated_after_the_figure_it_claims(demo):
    stories = list(GoodNewsStory.objects.published().select_related("indicator"))
    assert len(stories) >= 3
    for story in stories:
        assert story.date < TODAY and periods.is_working_day(story.date)
        if story.indicator is None:
            continue
        claimed = _figure_claims(story)
        assert claimed, story.title
        validated = [r for r in claimed if r.outturn.validated_at.date() < story.date]
        assert validated, (story.title, story.date)
        if passed := re.search(r"pass(?:es)? ([\d,]+)", story.title):
            assert max(r.actual for r in validated) >= int(passed.group(1).replace(",", ""))


def test_no_draft_story_appears_in_a_pack(demo):
    drafts = list(GoodNewsStory.objects.filter(is_published=False).values_list("title", flat=True))
    assert drafts
    for data in PackSnapshot.objects.values_list("data", flat=True):
        assert not {s["title"] for s in data["good_news"]} & set(drafts)


def test_plans_have_their_own_priorities_milestones_and_scrutiny(demo):
    service_priorities = Priority.objects.filter(plan__kind=PlanKind.SERVICE)
    titles = list(service_priorities.values_list("title", flat=True))
    assert len(titles) >= 2 * Plan.objects.filter(kind=PlanKind.SERVICE).count()
    assert len(set(titles)) == len(titles)
    assert not [t for t in titles if t.startswith("Deliver the")]
    milestones = list(Milestone.objects.values_list("title", flat=True))
    assert len(set(milestones)) == len(milestones)
    corporate = set(Priority.objects.filter(plan__kind=PlanKind.CORPORATE).values_list("title", flat=True))
    assert len(corporate) == Portfolio.objects.count()
    assert not corporate & set(Portfolio.objects.values_list("name", flat=True))
    comments = list(ScrutinyComment.objects.values_list("plan", "text", "answer"))
    assert len({plan for plan, _, _ in comments}) >= 5
    assert len({text for _, text, _ in comments}) == len(comments)
    answers = [answer for _, _, answer in comments if answer]
    assert len(set(answers)) == len(answers)


def test_milestones_are_owned_by_the_service_that_delivers_them(demo):
    for milestone in Milestone.objects.filter(priority__plan__kind=PlanKind.SERVICE).select_related(
        "owner", "priority__plan"
    ):
        assert milestone.owner.service_id == milestone.priority.plan.owner_service_id


def test_complaints_arrive_on_their_own_days(demo):
    complaints = list(Feedback.objects.filter(kind=FeedbackKind.COMPLAINT).values_list("received", "service"))
    assert len(complaints) > 200
    per_day = Counter(day for day, _ in complaints)
    assert max(per_day.values()) <= 6
    assert len(per_day) > len(complaints) / 3
    assert all(periods.is_working_day(day) for day in per_day)


def test_each_risk_has_its_own_controls_and_review(demo):
    from risks.models import Risk

    controls = list(Risk.objects.values_list("controls", flat=True))
    assert len(controls) > 20 and len(set(controls)) == len(controls)
