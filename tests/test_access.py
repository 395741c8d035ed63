"""Every page and action of the application, as every role and as an anonymous visitor.

Each answer must be what the rules in docs/domain.md allow: the page (200) or the action's
redirect (302) for those allowed; 403 for signed-in people refused, or a redirect to sign
in for anonymous ones; never a server error, and never internal data in a refused answer.
The public pages, open data and API (PUBLIC) answer everyone, signed in or not, and refuse
any method but GET with 405.
A URL added to the application without a line here fails test_every_url_is_walked.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from indicators import definitions, services, target_years
from indicators.models import Outturn, Profile, Target
from organisation.models import Role
from plans.models import Milestone, Plan, PlanKind, PlanStatus, Priority, ScrutinyComment
from reviews.models import GoodNewsStory, Scorecard
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory
from tests.shared_data import shared

pytestmark = pytest.mark.django_db

MARKER = "Zebra crossings inspected on time"
EVERYONE = {"officer", "other_officer", "manager", "performance", "holder", "other_holder", "chief", "scrutiny"}
REPORTERS = {"officer", "manager", "performance"}
TEAM = {"performance"}
# The plans' lead officer and their service's manager.
PLAN_OWNERS = {"officer", "manager"}
RISK_KEEPERS = TEAM | {"other_officer"}
RISK_READERS = RISK_KEEPERS | {"holder", "other_holder", "chief", "scrutiny"}
# The public pages, open data and API: everyone, signed in or not.
PUBLIC = EVERYONE | {"anonymous"}

# (URL name, arguments from the world, method, who may).
ROUTES = [
    ("home", lambda w: [], "get", EVERYONE),
    ("my-returns", lambda w: [], "get", REPORTERS | {"other_officer"}),
    ("outturn-entry", lambda w: [w.indicator.pk, w.quarter.pk], "get", REPORTERS),
    ("outturn-entry", lambda w: [w.indicator.pk, w.quarter.pk], "post", REPORTERS),
    ("indicator-history", lambda w: [w.indicator.pk], "get", EVERYONE),
    ("indicator-detail", lambda w: [w.indicator.pk], "get", EVERYONE),
    ("bulk-entry", lambda w: [w.indicator.service_id, w.quarter.pk], "get", REPORTERS),
    ("bulk-entry", lambda w: [w.indicator.service_id, w.quarter.pk], "post", REPORTERS),
    ("validation", lambda w: [], "get", TEAM),
    ("validation-confirm", lambda w: [], "post", TEAM),
    ("outturn-return", lambda w: [w.submitted.pk], "get", TEAM),
    ("outturn-return", lambda w: [w.submitted.pk], "post", TEAM),
    ("periods", lambda w: [], "get", TEAM),
    ("period-lock", lambda w: [w.quarter.pk], "post", TEAM),
    ("period-unlock", lambda w: [w.quarter.pk], "post", TEAM),
    ("rating-override", lambda w: [w.submitted.pk], "post", TEAM),
    ("targets", lambda w: [], "get", REPORTERS | {"other_officer"}),
    ("target-edit", lambda w: [w.indicator.pk, 2025], "get", REPORTERS),
    ("target-edit", lambda w: [w.indicator.pk, 2025], "post", REPORTERS),
    ("quality-assurance", lambda w: [], "get", TEAM),
    ("quality-assurance", lambda w: [], "post", TEAM),
    ("quality-assurance-done", lambda w: [], "get", TEAM),
    ("sign-off", lambda w: [], "get", {"holder", "other_holder"}),
    ("sign-off", lambda w: [], "post", {"holder", "other_holder"}),
    ("sign-off-done", lambda w: [], "get", {"holder", "other_holder"}),
    ("reviews:scorecards", lambda w: [], "get", EVERYONE),
    ("reviews:scorecard", lambda w: [w.scorecard.slug], "get", EVERYONE),
    ("reviews:scope-scorecard", lambda w: ["portfolio", w.indicator.portfolio_id], "get", EVERYONE),
    ("reviews:exception-report", lambda w: [], "get", EVERYONE),
    ("spc-baseline", lambda w: [w.indicator.pk], "get", TEAM),
    ("spc-baseline", lambda w: [w.indicator.pk], "post", TEAM),
    ("spc-baseline-reset", lambda w: [w.indicator.pk], "post", TEAM),
    ("method", lambda w: [], "get", EVERYONE),
    ("imports:returns", lambda w: [], "get", REPORTERS | {"other_officer"}),
    ("imports:returns", lambda w: [], "post", REPORTERS | {"other_officer"}),
    ("imports:framework", lambda w: [], "get", TEAM),
    ("imports:framework", lambda w: [], "post", TEAM),
    ("imports:benchmarks", lambda w: [], "get", TEAM),
    ("imports:benchmarks", lambda w: [], "post", TEAM),
    ("imports:budget", lambda w: [], "get", TEAM),
    ("imports:budget", lambda w: [], "post", TEAM),
    ("imports:formats", lambda w: [], "get", REPORTERS | {"other_officer"}),
    ("imports:run", lambda w: [w.import_run().pk], "get", {"officer"}),
    ("imports:run-apply", lambda w: [w.import_run().pk], "post", {"officer"}),
    ("imports:run-marked", lambda w: [w.import_run().pk], "get", {"officer"}),
    ("plans:plans", lambda w: [], "get", EVERYONE),
    ("plans:plan", lambda w: [w.review_plan.pk], "get", EVERYONE),
    ("plans:plan-quality-assure", lambda w: [w.draft_plan.pk], "post", TEAM),
    ("plans:plan-send-to-scrutiny", lambda w: [w.assured_plan.pk], "post", TEAM),
    ("plans:plan-approve", lambda w: [w.review_plan.pk], "post", TEAM),
    ("plans:plan-return", lambda w: [w.assured_plan.pk], "post", TEAM),
    ("plans:scrutiny-comment", lambda w: [w.review_plan.pk], "post", {"scrutiny"}),
    ("plans:scrutiny-answer", lambda w: [w.comment.pk], "post", PLAN_OWNERS),
    ("plans:prt-selection", lambda w: [w.review_plan.pk], "get", {"holder"}),
    ("plans:prt-selection", lambda w: [w.review_plan.pk], "post", {"holder"}),
    ("plans:priority", lambda w: [w.priority.pk], "get", EVERYONE),
    ("plans:priority-basket", lambda w: [w.draft_priority.pk], "get", PLAN_OWNERS | TEAM),
    ("plans:priority-basket", lambda w: [w.draft_priority.pk], "post", PLAN_OWNERS | TEAM),
    ("plans:milestone-add", lambda w: [w.draft_priority.pk], "get", PLAN_OWNERS | TEAM),
    ("plans:milestone-add", lambda w: [w.draft_priority.pk], "post", PLAN_OWNERS | TEAM),
    ("plans:milestone-update", lambda w: [w.milestone.pk], "get", PLAN_OWNERS | TEAM),
    ("plans:milestone-update", lambda w: [w.milestone.pk], "post", PLAN_OWNERS | TEAM),
    ("plans:service-objectives", lambda w: [w.indicator.service_id], "get", EVERYONE),
    ("plans:service-objectives", lambda w: [w.indicator.service_id], "post", {"manager"} | TEAM),
    ("public:home", lambda w: [], "get", PUBLIC),
    ("public:scorecard", lambda w: [], "get", PUBLIC),
    ("public:indicator", lambda w: [w.published.code], "get", PUBLIC),
    ("public:annual-report-latest", lambda w: [], "get", PUBLIC),
    ("public:annual-report", lambda w: [2025], "get", PUBLIC),
    ("public:glossary", lambda w: [], "get", PUBLIC),
    ("public:accessibility", lambda w: [], "get", PUBLIC),
    ("public:ratings", lambda w: [], "get", PUBLIC),
    ("public:open-data", lambda w: [], "get", PUBLIC),
    ("public:download-indicators", lambda w: ["csv"], "get", PUBLIC),
    ("public:download-figures", lambda w: ["json"], "get", PUBLIC),
    ("public:download-figures-year", lambda w: [2025, "csv"], "get", PUBLIC),
    ("api:index", lambda w: [], "get", PUBLIC),
    ("api:openapi", lambda w: [], "get", PUBLIC),
    ("api:indicators", lambda w: [], "get", PUBLIC),
    ("api:indicator", lambda w: [w.published.code], "get", PUBLIC),
    ("api:figures", lambda w: [], "get", PUBLIC),
    ("api:priorities", lambda w: [], "get", PUBLIC),
    # Public answers are read only: a POST is refused for everyone.
    ("public:home", lambda w: [], "post", set()),
    ("api:figures", lambda w: [], "post", set()),
    ("reviews:meetings", lambda w: [], "get", EVERYONE),
    # Chief officers, cabinet members and scrutiny members arrange performance surgeries.
    ("reviews:meeting-add", lambda w: [], "get", TEAM | {"chief", "holder", "other_holder", "scrutiny"}),
    ("reviews:meeting-add", lambda w: [], "post", TEAM | {"chief", "holder", "other_holder", "scrutiny"}),
    ("reviews:meeting", lambda w: [w.meeting().pk], "get", EVERYONE),
    ("reviews:meeting-edit", lambda w: [w.meeting().pk], "get", TEAM),
    ("reviews:meeting-edit", lambda w: [w.meeting().pk], "post", TEAM),
    (
        "reviews:meeting-edit",
        lambda w: [w.meeting(surgery=True).pk],
        "get",
        TEAM | {"chief", "holder", "other_holder", "scrutiny"},
    ),
    ("reviews:meeting-cancel", lambda w: [w.meeting().pk], "get", TEAM),
    ("reviews:meeting-cancel", lambda w: [w.meeting().pk], "post", TEAM),
    ("reviews:action-plan-add", lambda w: [w.indicator.pk], "get", REPORTERS),
    ("reviews:action-plan-add", lambda w: [w.indicator.pk], "post", REPORTERS),
    ("reviews:meeting-summary", lambda w: [w.meeting().pk], "get", TEAM),
    ("reviews:meeting-summary", lambda w: [w.meeting().pk], "post", TEAM),
    ("reviews:watch-list", lambda w: [], "get", EVERYONE),
    ("reviews:watch-list", lambda w: [], "post", TEAM | {"scrutiny"}),
    ("reviews:referral-add", lambda w: [w.indicator.pk], "get", {"scrutiny"}),
    ("reviews:referral-add", lambda w: [w.indicator.pk], "post", {"scrutiny"}),
    ("reviews:referrals", lambda w: [], "get", EVERYONE),
    ("reviews:referral-answer", lambda w: [w.referral().pk], "get", TEAM),
    ("reviews:referral-answer", lambda w: [w.referral().pk], "post", TEAM),
    ("reviews:scrutiny-boards", lambda w: [], "get", TEAM),
    ("reviews:scrutiny-boards", lambda w: [], "post", TEAM),
    ("reviews:meeting-publish", lambda w: [w.meeting().pk], "get", TEAM),
    ("reviews:meeting-publish", lambda w: [w.meeting().pk], "post", TEAM),
    ("reviews:meeting-reissue", lambda w: [w.published_meeting().pk], "get", TEAM),
    ("reviews:meeting-reissue", lambda w: [w.published_meeting().pk], "post", TEAM),
    ("reviews:meeting-pdf", lambda w: [w.meeting().pk], "get", EVERYONE),
    ("reviews:meeting-xlsx", lambda w: [w.meeting().pk], "get", EVERYONE),
    ("reviews:meeting-docx", lambda w: [w.meeting().pk], "get", EVERYONE),
    ("reviews:surgery-record", lambda w: [w.meeting(surgery=True).pk], "get", TEAM),
    ("reviews:surgery-record", lambda w: [w.meeting(surgery=True).pk], "post", TEAM),
    ("reviews:action-add", lambda w: [w.meeting().pk], "get", TEAM),
    ("reviews:action-add", lambda w: [w.meeting().pk], "post", TEAM),
    # The officer owns the action.
    ("reviews:action", lambda w: [w.action().pk], "get", EVERYONE),
    ("reviews:action", lambda w: [w.action().pk], "post", {"officer"} | TEAM),
    ("reviews:my-actions", lambda w: [], "get", EVERYONE),
    ("reviews:budget", lambda w: [], "get", TEAM),
    ("reviews:budget", lambda w: [], "post", TEAM),
    ("reviews:feedback", lambda w: [], "get", TEAM | {"officer", "other_officer", "manager"}),
    ("reviews:feedback", lambda w: [], "post", TEAM | {"officer", "other_officer", "manager"}),
    # Indicator definitions (the team; service managers propose for their services) and the tolerance policy.
    ("definitions", lambda w: [], "get", TEAM | {"manager"}),
    ("definition-add", lambda w: [], "get", TEAM | {"manager"}),
    ("definition-add", lambda w: [], "post", TEAM | {"manager"}),
    ("definition-edit", lambda w: [w.indicator.pk], "get", TEAM | {"manager"}),
    ("definition-edit", lambda w: [w.indicator.pk], "post", TEAM | {"manager"}),
    ("definition-delete", lambda w: [w.indicator.pk], "get", TEAM),
    ("definition-delete", lambda w: [w.indicator.pk], "post", TEAM),
    ("proposal", lambda w: [w.proposal().pk], "get", TEAM | {"manager"}),
    ("proposal", lambda w: [w.proposal().pk], "post", TEAM),
    ("tolerance-policy", lambda w: [], "get", TEAM),
    ("tolerance-policy", lambda w: [], "post", TEAM),
    ("tolerance-progress", lambda w: [w.installation_policy()], "get", TEAM),
    ("plans:composite-rule", lambda w: [], "get", TEAM),
    ("plans:composite-rule", lambda w: [], "post", TEAM),
    ("plans:start-the-year", lambda w: [], "get", TEAM),
    ("plans:start-the-year-periods", lambda w: [], "post", TEAM),
    ("plans:start-the-year-indicators", lambda w: [], "post", TEAM),
    # Setting the framework up (issue 18): the performance team; a draft plan's details,
    # priorities and milestones also by its owners.
    ("plans:plan-add", lambda w: [], "get", TEAM),
    ("plans:plan-add", lambda w: [], "post", TEAM),
    ("plans:plan-edit", lambda w: [w.draft_plan.pk], "get", PLAN_OWNERS | TEAM),
    ("plans:plan-edit", lambda w: [w.draft_plan.pk], "post", PLAN_OWNERS | TEAM),
    ("plans:plan-delete", lambda w: [w.review_plan.pk], "get", TEAM),
    ("plans:plan-delete", lambda w: [w.review_plan.pk], "post", TEAM),
    ("plans:plan-roll-forward", lambda w: [w.draft_plan.pk], "get", TEAM),
    ("plans:plan-roll-forward", lambda w: [w.draft_plan.pk], "post", TEAM),
    ("plans:priority-add", lambda w: [w.draft_plan.pk], "get", PLAN_OWNERS | TEAM),
    ("plans:priority-add", lambda w: [w.draft_plan.pk], "post", PLAN_OWNERS | TEAM),
    ("plans:priority-edit", lambda w: [w.draft_priority.pk], "get", PLAN_OWNERS | TEAM),
    ("plans:priority-edit", lambda w: [w.draft_priority.pk], "post", PLAN_OWNERS | TEAM),
    ("plans:milestone-edit", lambda w: [w.draft_milestone.pk], "get", PLAN_OWNERS | TEAM),
    ("plans:milestone-edit", lambda w: [w.draft_milestone.pk], "post", PLAN_OWNERS | TEAM),
    ("reviews:scorecard-add", lambda w: [], "get", TEAM),
    ("reviews:scorecard-add", lambda w: [], "post", TEAM),
    ("reviews:scorecard-edit", lambda w: [w.scorecard.slug], "get", TEAM),
    ("reviews:scorecard-edit", lambda w: [w.scorecard.slug], "post", TEAM),
    ("reviews:scorecard-measures", lambda w: [w.scorecard.slug], "get", TEAM),
    ("reviews:scorecard-measures", lambda w: [w.scorecard.slug], "post", TEAM),
    ("organisation:organisation", lambda w: [], "get", TEAM),
    ("organisation:directorate-add", lambda w: [], "get", TEAM),
    ("organisation:directorate-add", lambda w: [], "post", TEAM),
    ("organisation:directorate", lambda w: [w.indicator.service.directorate_id], "get", TEAM),
    ("organisation:directorate", lambda w: [w.indicator.service.directorate_id], "post", TEAM),
    ("organisation:directorate-delete", lambda w: [w.indicator.service.directorate_id], "get", TEAM),
    ("organisation:directorate-delete", lambda w: [w.indicator.service.directorate_id], "post", TEAM),
    ("organisation:service-add", lambda w: [], "get", TEAM),
    ("organisation:service-add", lambda w: [], "post", TEAM),
    ("organisation:service", lambda w: [w.indicator.service_id], "get", TEAM),
    ("organisation:service", lambda w: [w.indicator.service_id], "post", TEAM),
    ("organisation:service-delete", lambda w: [w.indicator.service_id], "get", TEAM),
    ("organisation:service-delete", lambda w: [w.indicator.service_id], "post", TEAM),
    ("organisation:portfolio-add", lambda w: [], "get", TEAM),
    ("organisation:portfolio-add", lambda w: [], "post", TEAM),
    ("organisation:portfolio", lambda w: [w.indicator.portfolio_id], "get", TEAM),
    ("organisation:portfolio", lambda w: [w.indicator.portfolio_id], "post", TEAM),
    ("organisation:people", lambda w: [], "get", TEAM),
    ("organisation:person-invite", lambda w: [], "get", TEAM),
    ("organisation:person-invite", lambda w: [], "post", TEAM),
    ("organisation:person", lambda w: [w.people["officer"].pk], "get", TEAM),
    ("organisation:person", lambda w: [w.people["officer"].pk], "post", TEAM),
    ("organisation:person-invitation", lambda w: [w.people["officer"].pk], "post", TEAM),
    ("reviews:leaver", lambda w: [w.people["officer"].pk], "get", TEAM),
    ("reviews:leaver", lambda w: [w.people["officer"].pk], "post", TEAM),
    ("reviews:leaver-deactivate", lambda w: [w.people["other_officer"].pk], "post", TEAM),
    ("reviews:good-news", lambda w: [], "get", TEAM),
    ("reviews:good-news-add", lambda w: [], "get", TEAM),
    ("reviews:good-news-add", lambda w: [], "post", TEAM),
    ("reviews:good-news-story", lambda w: [w.story.pk], "get", TEAM),
    ("reviews:good-news-story", lambda w: [w.story.pk], "post", TEAM),
    ("reviews:good-news-publish", lambda w: [w.story.pk], "post", TEAM),
    ("reviews:good-news-withdraw", lambda w: [w.story.pk], "post", TEAM),
    # Risks: kept by the performance team and risk and audit (the other officer holds that
    # responsibility too), read by chief officers, cabinet and scrutiny members; the officer
    # owns the risk. Nothing is public.
    ("risks:register", lambda w: [], "get", RISK_READERS),
    ("risks:risk", lambda w: [w.risk().pk], "get", RISK_READERS | {"officer"}),
    ("risks:heat-map", lambda w: [], "get", RISK_READERS),
    ("risks:corporate", lambda w: [], "get", RISK_READERS),
    ("risks:corporate-xlsx", lambda w: [], "get", RISK_READERS),
    ("risks:risk-add", lambda w: [], "get", RISK_KEEPERS),
    ("risks:risk-add", lambda w: [], "post", RISK_KEEPERS),
    ("risks:risk-edit", lambda w: [w.risk().pk], "get", RISK_KEEPERS),
    ("risks:risk-edit", lambda w: [w.risk().pk], "post", RISK_KEEPERS),
    ("risks:risk-review", lambda w: [w.risk().pk], "get", RISK_KEEPERS | {"officer"}),
    ("risks:risk-review", lambda w: [w.risk().pk], "post", RISK_KEEPERS | {"officer"}),
    ("imports:risks", lambda w: [], "get", RISK_KEEPERS),
    ("imports:risks", lambda w: [], "post", RISK_KEEPERS),
    ("imports:recommendations", lambda w: [], "get", RISK_KEEPERS),
    ("imports:recommendations", lambda w: [], "post", RISK_KEEPERS),
    ("risks:sources", lambda w: [], "get", RISK_READERS),
    ("risks:source", lambda w: [w.recommendation().source_id], "get", RISK_READERS),
    ("risks:source-add", lambda w: [], "get", RISK_KEEPERS),
    ("risks:source-add", lambda w: [], "post", RISK_KEEPERS),
    ("risks:source-edit", lambda w: [w.recommendation().source_id], "get", RISK_KEEPERS),
    ("risks:source-edit", lambda w: [w.recommendation().source_id], "post", RISK_KEEPERS),
    ("risks:recommendation-add", lambda w: [w.recommendation().source_id], "get", RISK_KEEPERS),
    ("risks:recommendation-add", lambda w: [w.recommendation().source_id], "post", RISK_KEEPERS),
    # The officer owns the recommendation, and records its progress.
    ("risks:recommendation", lambda w: [w.recommendation().pk], "get", RISK_READERS | {"officer"}),
    ("risks:recommendation", lambda w: [w.recommendation().pk], "post", RISK_KEEPERS | {"officer"}),
    ("risks:recommendation-edit", lambda w: [w.recommendation().pk], "get", RISK_KEEPERS),
    ("risks:recommendation-edit", lambda w: [w.recommendation().pk], "post", RISK_KEEPERS),
    ("risks:categories", lambda w: [], "get", RISK_KEEPERS),
    ("risks:categories", lambda w: [], "post", RISK_KEEPERS),
    ("risks:category", lambda w: [w.risk().category_id], "get", RISK_KEEPERS),
    ("risks:category", lambda w: [w.risk().category_id], "post", RISK_KEEPERS),
    ("risks:matrix", lambda w: [], "get", RISK_KEEPERS),
    ("risks:matrix", lambda w: [], "post", RISK_KEEPERS),
    # People who signed in with a council account and wait for a role.
    ("sso:waiting", lambda w: [], "get", TEAM),
]


class World:
    """An indicator with figures and targets in every state, and a person in every role."""

    def __init__(self):
        service = ServiceFactory()
        officer = UserFactory(username="officer", roles=[Role.OFFICER], service=service)
        other_officer = UserFactory(
            username="other.officer", roles=[Role.OFFICER, Role.RISK_AND_AUDIT], service=ServiceFactory()
        )
        service.manager = UserFactory(username="manager", roles=[Role.SERVICE_MANAGER])
        service.save()
        team = UserFactory(username="performance", roles=[Role.PERFORMANCE_TEAM])
        holder = UserFactory(username="holder", roles=[Role.PORTFOLIO_HOLDER])
        other_holder = UserFactory(username="other.holder", roles=[Role.PORTFOLIO_HOLDER])
        PortfolioFactory(holder=other_holder)
        self.people = {
            "officer": officer,
            "other_officer": other_officer,
            "manager": service.manager,
            "performance": team,
            "holder": holder,
            "other_holder": other_holder,
            "chief": UserFactory(username="chief", roles=[Role.CHIEF_OFFICER]),
            "scrutiny": UserFactory(username="scrutiny", roles=[Role.SCRUTINY_MEMBER]),
        }

        self.indicator = IndicatorFactory(title=MARKER, service=service, portfolio__holder=holder)
        self.quarter = period("2025/26 Q2")

        def figure(label, value):
            return services.outturn_record(
                indicator=self.indicator, period=period(label), value=D(value), by=officer, commentary=MARKER
            )

        self.draft = figure("2025/26 Q2", "50")
        self.submitted = services.outturn_submit(outturn=figure("2025/26 Q1", "60"), by=officer)

        # The year's targets, proposed and quality-assured: awaiting the holder's sign-off.
        entries = {"annual": services.TargetEntry(period("2025/26"), D("70"), None)}
        for number in range(1, 5):
            entries[f"period_{number}"] = services.TargetEntry(period(f"2025/26 Q{number}"), D("70"), None)
        proposed, _ = target_years.target_year_save(
            indicator=self.indicator,
            year=2025,
            entries=entries,
            profile=Profile.EVEN,
            rationale=MARKER,
            by=officer,
            propose=True,
        )
        target_years.target_years_quality_assure(years=[proposed], by=team)
        self.scorecard = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
        self.scorecard.indicators.add(self.indicator)
        # A published indicator with a validated figure, for the public pages.
        self.published = IndicatorFactory(service=service, portfolio=self.indicator.portfolio, is_published=True)
        services.outturn_validate(
            outturn=services.outturn_submit(
                outturn=services.outturn_record(
                    indicator=self.published, period=period("2025/26 Q1"), value=D("70"), by=officer
                ),
                by=officer,
            ),
            by=team,
        )
        self.scorecard.indicators.add(self.published)

        # Plans of the officer's service, led by the officer, at each stage before approval;
        # the holder's portfolio covers the service.
        self.indicator.portfolio.services.add(service)

        def plan(status):
            return Plan.objects.create(
                kind=PlanKind.SERVICE,
                title=f"Service plan, {status}",
                owner_service=service,
                lead_officer=officer,
                first_year=2025,
                last_year=2025,
                status=status,
            )

        self.draft_plan = plan(PlanStatus.DRAFT)
        self.assured_plan = plan(PlanStatus.QUALITY_ASSURED)
        self.review_plan = plan(PlanStatus.SCRUTINY_REVIEW)
        self.draft_priority = Priority.objects.create(plan=self.draft_plan, title="Fewer accidents")
        self.draft_milestone = Milestone.objects.create(
            priority=self.draft_priority, title="Map the crossings", owner=officer, due=datetime.date(2025, 9, 30)
        )
        self.story = GoodNewsStory.objects.create(title="Fewer accidents", text=MARKER, date=datetime.date(2025, 6, 1))
        self.priority = Priority.objects.create(plan=self.review_plan, title="Keep the streets safe")
        self.priority.indicators.add(self.indicator)
        self.milestone = Milestone.objects.create(
            priority=self.priority, title="Survey every crossing", owner=officer, due=datetime.date(2025, 12, 31)
        )
        corporate = Plan.objects.create(
            kind=PlanKind.CORPORATE, title="Corporate Plan", first_year=2025, last_year=2025, status=PlanStatus.APPROVED
        )
        Priority.objects.create(plan=corporate, title="A safer borough").indicators.add(self.indicator)
        self.comment = ScrutinyComment.objects.create(
            plan=self.review_plan,
            text="How will residents know?",
            made_by=self.people["scrutiny"],
            made_at=timezone.now(),
        )
        # Made once here (each case then only reads them), not in every case that walks them.
        self.risk()
        self.recommendation()

    def import_run(self, value="55"):
        """The officer's checked import of one figure for the indicator (a preview; with a
        value that is not a figure, a list of problems)."""
        from imports.models import ImportRun, Kind
        from imports.services import import_run_check

        data = f"indicator_code,period,value\n{self.indicator.code},2025/26 Q3,{value}\n".encode()
        run, created = ImportRun.objects.get_or_create(
            kind=Kind.RETURNS, user=self.people["officer"], filename=f"returns-{value}.csv", defaults={"data": data}
        )
        return import_run_check(run=run) if created else run

    def proposal(self):
        """The manager's proposed change to the indicator."""
        from indicators.models import IndicatorProposal

        return IndicatorProposal.objects.first() or definitions.indicator_propose(
            indicator=self.indicator,
            service=self.indicator.service,
            title=self.indicator.code,
            data={"code": self.indicator.code, "title": MARKER},
            reason=MARKER,
            by=self.people["manager"],
        )

    def installation_policy(self) -> int:
        from indicators.models import TolerancePolicy

        return TolerancePolicy.objects.get(effective_from=None).pk

    def meeting(self, *, surgery=False):
        """The holder's portfolio PRT for the quarter (or a performance surgery of the indicator)."""
        from reviews.models import Meeting, MeetingKind

        meeting, created = Meeting.objects.get_or_create(
            kind=MeetingKind.SURGERY if surgery else MeetingKind.PORTFOLIO_PRT,
            defaults={
                "title": "Surgery" if surgery else "Streets PRT",
                "date": datetime.date(2026, 2, 2),
                "period": self.quarter,
                "portfolio": None if surgery else self.indicator.portfolio,
            },
        )
        if created and surgery:
            meeting.indicators.add(self.indicator)
        return meeting

    def risk(self):
        """A risk to the indicator on the corporate register, owned by the officer."""
        from risks.models import Risk
        from risks.services import categories_ensure, risk_save

        return Risk.objects.first() or risk_save(
            title=MARKER,
            cause="Paint wears",
            event="A crossing is not seen",
            consequence="An accident",
            owner=self.people["officer"],
            category=categories_ensure()["Operational"],
            inherent_likelihood=4,
            inherent_impact=4,
            residual_likelihood=3,
            residual_impact=3,
            target_score=4,
            review_due=datetime.date(2026, 3, 31),
            indicators=[self.indicator],
            by=self.people["performance"],
        )

    def referral(self):
        """The scrutiny member's referral of the indicator to a surgery."""
        from reviews.models import Referral
        from reviews.scrutiny import referral_raise

        return Referral.objects.first() or referral_raise(
            indicator=self.indicator, kind="surgery", reason="Falling for a year", by=self.people["scrutiny"]
        )

    def published_meeting(self):
        """The holder's portfolio PRT with its pack published."""
        from reviews.services import pack_publish

        meeting = self.meeting()
        if not meeting.snapshots.exists():
            pack_publish(meeting=meeting, by=self.people["performance"])
        return meeting

    def recommendation(self):
        """An internal audit's accepted recommendation, owned by the officer."""
        from risks.models import Recommendation, SourceKind
        from risks.services import recommendation_save, source_save

        if found := Recommendation.objects.first():
            return found
        by = self.people["performance"]
        source = source_save(
            kind=SourceKind.INTERNAL_AUDIT, title=MARKER, author="Internal Audit", date=datetime.date(2025, 6, 1), by=by
        )
        return recommendation_save(
            source=source,
            number=1,
            text=MARKER,
            priority="high",
            response="accepted",
            owner=self.people["officer"],
            due=datetime.date(2026, 3, 31),
            by=by,
        )

    def action(self):
        from reviews.models import Action
        from reviews.services import action_raise

        return Action.objects.filter(owner=self.people["officer"]).first() or action_raise(
            description="Repaint the crossings",
            owner=self.people["officer"],
            due=datetime.date(2026, 3, 31),
            meeting=self.meeting(),
            by=self.people["performance"],
        )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once: each case runs in a savepoint that is rolled back, so what one case
    changes (or creates lazily, such as an import run or a meeting) the next never sees."""
    with shared(django_db_blocker):
        world = World()
        # Each person signed in once: a sign-in writes the last-login time, its history and
        # axes' access log, which is most of a case's time if done for every request.
        world.sessions = {}
        for who, person in world.people.items():
            client = Client()
            client.force_login(person)
            world.sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield world


PEOPLE = sorted(EVERYONE | {"anonymous"})


@pytest.mark.parametrize(
    ("name", "args", "method", "allowed"),
    [pytest.param(*route, id=f"{route[0]}-{route[2]}") for route in ROUTES],
)
def test_access(world, name, args, method, allowed):
    """The route as each person in turn, each request in a savepoint rolled back after it,
    so what one person's request changes the next never sees."""
    problems = []
    client = Client()
    for who in PEOPLE:
        client.cookies.clear()
        if who != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[who]
        with transaction.atomic():
            problem = _refusal_problem(client, world, name, args, method, who in allowed, who)
            transaction.set_rollback(True)
        if problem:
            problems.append(f"as {who}: {problem}")
    assert not problems, "\n".join(problems)


def _refusal_problem(client, world, name, args, method, allowed, who) -> str | None:
    """What is wrong with the answer to this person, or None."""
    url = reverse(name if ":" in name else f"indicators:{name}", args=args(world))
    public = name.startswith(("public:", "api:"))
    before = (list(Outturn.objects.values_list("state", "value")), list(Target.objects.values_list("status", "value")))
    response = getattr(client, method)(url)
    status = response.status_code
    if public and not allowed:
        expected = status == 405
    elif public and name.endswith("-latest"):
        expected = status == 302
    elif who == "anonymous" and not allowed:
        expected = status == 302 and response["Location"].startswith("/accounts/login/")
    elif not allowed:
        expected = status == 403
    elif method == "get":
        expected = status == 200
    else:
        expected = status in (200, 302)
    if not expected:
        return f"{method.upper()} {url} answered {status} ({'allowed' if allowed else 'refused'})"
    if who == "anonymous" or not allowed or public:
        if MARKER in response.content.decode(errors="replace"):  # downloads are binary
            return f"{method.upper()} {url} showed internal data"
        after = (
            list(Outturn.objects.values_list("state", "value")),
            list(Target.objects.values_list("status", "value")),
        )
        if after != before:
            return f"{method.upper()} {url} was refused but changed data"
    return None


def _names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


# Signing in with the council's account: open to everyone, answered by the council's provider,
# and the page where someone signed in with no role lands (tests/organisation/test_oidc.py
# signs in, is refused and lands there through a real provider).
SIGN_IN = {"sso:start", "sso:callback", "sso:no-role"}


def test_every_url_is_walked():
    walked = {name if ":" in name else f"indicators:{name}" for name, *_ in ROUTES} | SIGN_IN
    namespaces = ("indicators:", "reviews:", "imports:", "plans:", "organisation:", "public:", "api:", "risks:", "sso:")
    application = {name for name in _names(get_resolver()) if name.startswith(namespaces)}
    assert application == walked
