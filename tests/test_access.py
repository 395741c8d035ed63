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
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from indicators import services
from indicators.models import Outturn, Target
from organisation.models import Role
from plans.models import Milestone, Plan, PlanKind, PlanStatus, Priority, ScrutinyComment
from reviews.models import Scorecard
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
# The public pages, open data and API: everyone, signed in or not.
PUBLIC = EVERYONE | {"anonymous"}

# (URL name, arguments from the world, method, who may).
ROUTES = [
    ("home", lambda w: [], "get", EVERYONE),
    ("my-returns", lambda w: [], "get", REPORTERS | {"other_officer"}),
    ("outturn-entry", lambda w: [w.indicator.pk, w.quarter.pk], "get", REPORTERS),
    ("outturn-entry", lambda w: [w.indicator.pk, w.quarter.pk], "post", REPORTERS),
    ("outturn-submit", lambda w: [w.draft.pk], "post", REPORTERS),
    ("indicator-history", lambda w: [w.indicator.pk], "get", EVERYONE),
    ("indicator-detail", lambda w: [w.indicator.pk], "get", EVERYONE),
    ("bulk-entry", lambda w: [w.indicator.service_id, w.quarter.pk], "get", REPORTERS),
    ("bulk-entry", lambda w: [w.indicator.service_id, w.quarter.pk], "post", REPORTERS),
    ("validation", lambda w: [], "get", TEAM),
    ("outturn-validate", lambda w: [w.submitted.pk], "post", TEAM),
    ("outturn-return", lambda w: [w.submitted.pk], "post", TEAM),
    ("periods", lambda w: [], "get", TEAM),
    ("period-lock", lambda w: [w.quarter.pk], "post", TEAM),
    ("period-unlock", lambda w: [w.quarter.pk], "post", TEAM),
    ("rating-override", lambda w: [w.submitted.pk], "post", TEAM),
    ("targets", lambda w: [], "get", REPORTERS | {"other_officer"}),
    ("target-edit", lambda w: [w.indicator.pk, 2025], "get", REPORTERS),
    ("target-edit", lambda w: [w.indicator.pk, 2025], "post", REPORTERS),
    ("target-propose", lambda w: [w.draft_target.pk], "post", REPORTERS),
    ("target-quality-assure", lambda w: [w.proposed_target.pk], "post", TEAM),
    ("target-return", lambda w: [w.proposed_target.pk], "post", TEAM),
    ("target-sign-off", lambda w: [w.assured_target.pk], "post", {"holder"}),
    ("sign-off", lambda w: [], "get", {"holder", "other_holder"}),
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
    ("reviews:meeting-publish", lambda w: [w.meeting().pk], "post", TEAM),
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
    ("reviews:feedback", lambda w: [], "get", TEAM),
    ("reviews:feedback", lambda w: [], "post", TEAM),
]


class World:
    """An indicator with figures and targets in every state, and a person in every role."""

    def __init__(self):
        service = ServiceFactory()
        officer = UserFactory(username="officer", roles=[Role.OFFICER], service=service)
        other_officer = UserFactory(username="other.officer", roles=[Role.OFFICER], service=ServiceFactory())
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

        def target(label, *steps):
            made = services.target_set(
                indicator=self.indicator, period=period(label), value=D("70"), rationale=MARKER, by=officer
            )
            for step in steps:
                made = step(target=made, by=holder if step is services.target_sign_off else team)
            return made

        self.draft_target = target("2025/26 Q3")
        self.proposed_target = target("2025/26 Q4", services.target_propose)
        self.assured_target = target("2025/26", services.target_propose, services.target_quality_assure)
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
        yield World()


WALK = [
    pytest.param(name, args, method, who in allowed, who, id=f"{name}-{method}-{who}")
    for name, args, method, allowed in ROUTES
    for who in sorted(EVERYONE | {"anonymous"})
]


@pytest.mark.parametrize(("name", "args", "method", "allowed", "who"), WALK)
def test_access(client, world, name, args, method, allowed, who):
    if who != "anonymous":
        client.force_login(world.people[who])
    url = reverse(name if ":" in name else f"indicators:{name}", args=args(world))
    public = name.startswith(("public:", "api:"))
    before = (list(Outturn.objects.values_list("state", "value")), list(Target.objects.values_list("status", "value")))
    response = getattr(client, method)(url)
    body = response.content.decode(errors="replace")  # downloads are binary
    if public and not allowed:
        assert response.status_code == 405
    elif public and name.endswith("-latest"):
        assert response.status_code == 302
    elif who == "anonymous" and not allowed:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif not allowed:
        assert response.status_code == 403
    elif method == "get":
        assert response.status_code == 200
    else:
        assert response.status_code in (200, 302)
    if who == "anonymous" or not allowed or public:
        assert MARKER not in body
        after = (
            list(Outturn.objects.values_list("state", "value")),
            list(Target.objects.values_list("status", "value")),
        )
        assert after == before, "a refused request changed data"


def _names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_is_walked():
    walked = {name if ":" in name else f"indicators:{name}" for name, *_ in ROUTES}
    namespaces = ("indicators:", "reviews:", "imports:", "plans:", "public:", "api:")
    application = {name for name in _names(get_resolver()) if name.startswith(namespaces)}
    assert application == walked
