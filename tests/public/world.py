"""A council with published and unpublished data, for the public pages' tests.

Everything that must never reach the public carries a marker (MARKERS); what must reach it
is named in SHOWN, so a test can check both.
"""

import datetime
from decimal import Decimal

from indicators import services
from indicators.models import Frequency, Indicator, Polarity, Unit
from organisation.models import Role
from plans.models import Plan, PlanKind, PlanStatus, Priority
from reviews.models import GoodNewsStory, Scorecard
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, UserFactory

TODAY = datetime.date(2026, 11, 20)

UNPUBLISHED_TITLE = "Marker unpublished indicator zq1"
UNPUBLISHED_CODE = "SECRET 1"
INTERNAL_COMMENTARY = "Marker internal commentary zq2"
UNVALIDATED_COMMENTARY = "Marker unvalidated commentary zq3"
UNPUBLISHED_COMMENTARY = "Marker public commentary of an unpublished indicator zq4"
DRAFT_STORY = "Marker draft good news zq5"
DRAFT_PRIORITY = "Marker draft plan priority zq6"
TARGET_RATIONALE = "Marker target rationale zq7"
RETURN_COMMENT = "Marker return comment zq8"
# Figures that must not appear, in any format: an unvalidated outturn and an unsigned target.
UNVALIDATED_VALUE = "12345.6"
UNSIGNED_TARGET = "98765.4"
MARKERS = [
    UNPUBLISHED_TITLE,
    UNPUBLISHED_CODE,
    INTERNAL_COMMENTARY,
    UNVALIDATED_COMMENTARY,
    UNPUBLISHED_COMMENTARY,
    DRAFT_STORY,
    DRAFT_PRIORITY,
    TARGET_RATIONALE,
    RETURN_COMMENT,
    "12345",
    "12,345",
    "98765",
    "98,765",
]

PUBLIC_COMMENTARY = "Recycling rose after the new food waste round"
STORY = "Library visits at a ten-year high"
PRIORITY = "A cleaner, greener borough"
SHOWN = [PUBLIC_COMMENTARY, STORY, PRIORITY, "Household waste recycled", "Parks awarded Green Flag"]


class PublicWorld:
    def __init__(self, *, extra_indicators: int = 0):
        self.team = UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM])
        # Enters and submits the figures the team validates (separation of duties).
        self.officer = UserFactory(username="ola.entry", roles=[Role.OFFICER])
        holder = UserFactory(username="holly.holder", roles=[Role.PORTFOLIO_HOLDER])
        self.portfolio = PortfolioFactory(holder=holder)
        for year in (2024, 2025, 2026):
            services.periods_ensure_year(year=year)

        self.recycling = self.indicator(code="NI 192", title="Household waste recycled", is_published=True)
        self.secret = self.indicator(code=UNPUBLISHED_CODE, title=UNPUBLISHED_TITLE, is_published=False)
        self.homes = self.indicator(
            code="LPI 100",
            title="Homes built",
            is_published=True,
            unit=Unit.NUMBER,
            decimal_places=0,
            is_cumulative=True,
        )
        self.extra = [
            self.indicator(code=f"LPI {200 + n}", title=f"Extra measure {n}", is_published=True)
            for n in range(extra_indicators)
        ]

        for indicator in [self.recycling, self.secret, *self.extra]:
            for label, value, target in [
                ("2024/25 Q1", "40.0", "41.0"),
                ("2024/25 Q2", "41.0", "41.0"),
                ("2024/25 Q3", "42.0", "41.0"),
                ("2024/25 Q4", "43.0", "41.0"),
                ("2025/26 Q1", "42.0", "42.0"),
                ("2025/26 Q2", "44.0", "42.0"),
            ]:
                self.target(indicator, label, target)
                commentary = INTERNAL_COMMENTARY
                public = False
                if indicator == self.recycling and label == "2025/26 Q2":
                    commentary, public = PUBLIC_COMMENTARY, True
                if indicator == self.secret and label == "2025/26 Q2":
                    commentary, public = UNPUBLISHED_COMMENTARY, True
                self.validated(indicator, label, value, commentary=commentary, public=public)
        # Validated, with internal commentary; its target not signed off, so not rated publicly.
        self.target(self.recycling, "2025/26 Q3", "43.0", sign_off=False)
        self.internal = self.validated(self.recycling, "2025/26 Q3", "39.0", commentary=INTERNAL_COMMENTARY)
        # Submitted, not validated, even though its commentary is marked public.
        self.unvalidated = self.outturn(
            self.recycling, "2025/26 Q4", UNVALIDATED_VALUE, commentary=UNVALIDATED_COMMENTARY, public=True
        )
        services.outturn_submit(outturn=self.unvalidated, by=self.officer)
        # Sent back to its officer.
        returned = self.outturn(self.recycling, "2026/27 Q1", "45.0")
        returned = services.outturn_submit(outturn=returned, by=self.officer)
        services.outturn_return(outturn=returned, by=self.team, comment=RETURN_COMMENT)
        # A proposed target: not signed off.
        proposed = services.target_set(
            indicator=self.recycling,
            period=period("2026/27 Q2"),
            value=Decimal(UNSIGNED_TARGET),
            rationale=TARGET_RATIONALE,
            by=self.team,
        )
        services.target_propose(target=proposed, by=self.team)

        # Cumulative: Q1 submitted only, Q2 validated, so Q2's year to date is incomplete.
        self.target(self.homes, "2025/26 Q1", "50")
        self.target(self.homes, "2025/26 Q2", "100")
        services.outturn_submit(outturn=self.outturn(self.homes, "2025/26 Q1", "60"), by=self.officer)
        self.validated(self.homes, "2025/26 Q2", "70")

        plan = Plan.objects.create(
            kind=PlanKind.CORPORATE, title="Corporate Plan", first_year=2024, last_year=2027, status=PlanStatus.APPROVED
        )
        self.priority = Priority.objects.create(plan=plan, title=PRIORITY, position=1)
        self.priority.indicators.add(self.recycling, self.secret, self.homes, *self.extra)
        draft = Plan.objects.create(
            kind=PlanKind.CORPORATE, title="Next Corporate Plan", first_year=2024, last_year=2027
        )
        self.draft_priority = Priority.objects.create(plan=draft, title=DRAFT_PRIORITY)
        self.draft_priority.indicators.add(self.recycling)
        scorecard = Scorecard.objects.create(name="Council Scorecard", slug="council", is_council_scorecard=True)
        scorecard.indicators.add(self.recycling, self.secret, self.homes, *self.extra)
        GoodNewsStory.objects.create(
            title=STORY, text="More people used the libraries.", date=datetime.date(2025, 9, 1), is_published=True
        )
        GoodNewsStory.objects.create(
            title=DRAFT_STORY, text="Not yet.", date=datetime.date(2025, 9, 2), indicator=self.secret
        )
        # Published stories linked to an unpublished indicator and to a draft plan's priority:
        # the story shows, the links do not.
        GoodNewsStory.objects.create(
            title="Parks awarded Green Flag",
            text="Two parks won the award.",
            date=datetime.date(2025, 10, 1),
            indicator=self.secret,
            priority=self.draft_priority,
            is_published=True,
        )

    def indicator(self, **fields) -> Indicator:
        defaults = {
            "unit": Unit.PERCENTAGE,
            "decimal_places": 1,
            "polarity": Polarity.HIGHER,
            "frequency": Frequency.QUARTER,
            "portfolio": self.portfolio,
            "description": "What this measures, in plain English.",
        }
        return IndicatorFactory(**{**defaults, **fields})

    def target(self, indicator, label, value, *, sign_off=True):
        made = services.target_set(
            indicator=indicator, period=period(label), value=Decimal(value), rationale=TARGET_RATIONALE, by=self.team
        )
        if sign_off:
            made = services.target_propose(target=made, by=self.team)
            made = services.target_quality_assure(target=made, by=self.team)
            made = services.target_sign_off(target=made, by=self.portfolio.holder)
        return made

    def outturn(self, indicator, label, value, *, commentary="", public=False):
        return services.outturn_record(
            indicator=indicator,
            period=period(label),
            value=Decimal(value),
            commentary=commentary,
            commentary_is_public=public,
            by=self.officer,
        )

    def validated(self, indicator, label, value, **kwargs):
        made = self.outturn(indicator, label, value, **kwargs)
        made = services.outturn_submit(outturn=made, by=self.officer)
        return services.outturn_validate(outturn=made, by=self.team)
