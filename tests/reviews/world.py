"""A small council for the page and export tests: two portfolios, ratings of every kind."""

from django.utils.text import slugify

from indicators import services
from indicators.models import Frequency, Unit
from organisation.models import Role
from plans.models import Plan, PlanKind, Priority
from reviews.models import Scorecard
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory
from tests.reviews.builders import figure, target, team, years

ROLES = {
    "officer": Role.OFFICER,
    "manager": Role.SERVICE_MANAGER,
    "performance": Role.PERFORMANCE_TEAM,
    "holder": Role.PORTFOLIO_HOLDER,
    "chief": Role.CHIEF_OFFICER,
    "scrutiny": Role.SCRUTINY_MEMBER,
}


class World:
    def __init__(self):
        years(2024, 2025, 2026)
        self.people = {key: UserFactory(username=key, roles=[role]) for key, role in ROLES.items()}
        self.nobody = UserFactory(username="nobody")
        self.housing = PortfolioFactory(name="Housing", holder=self.people["holder"])
        self.leisure = PortfolioFactory(name="Leisure", holder=self.people["holder"])
        self.homes = ServiceFactory(name="Homes")
        self.sport = ServiceFactory(name="Sport")
        self.quarter = period("2025/26 Q2")

        def indicator(code, portfolio, service, **fields):
            return IndicatorFactory(code=code, title=f"Title {code}", portfolio=portfolio, service=service, **fields)

        self.red = indicator("H1", self.housing, self.homes)
        self.amber = indicator("H2", self.housing, self.homes)
        self.green = indicator("H3", self.housing, self.homes, unit=Unit.CURRENCY, decimal_places=2)
        self.overdue = indicator("H4", self.housing, self.homes)
        self.leisure_red = indicator("L1", self.leisure, self.sport)
        self.monthly = indicator("L2", self.leisure, self.sport, frequency=Frequency.MONTH, unit=Unit.NUMBER)
        self.reference = indicator("NI 999", self.housing, self.homes, is_collected=False)

        target(self.red, "2025/26 Q2", "100", signed_off=True)
        target(self.amber, "2025/26 Q2", "100")
        target(self.green, "2025/26 Q2", "1000.50", signed_off=True)
        target(self.overdue, "2025/26 Q2", "100")
        target(self.leisure_red, "2025/26 Q2", "100")
        figure(self.red, "2025/26 Q1", "40")
        figure(self.red, "2025/26 Q2", "50", commentary="The contractor went into administration.")
        figure(self.amber, "2025/26 Q1", "99")
        self.amber_outturn = figure(self.amber, "2025/26 Q2", "96", commentary="Sickness absence in the team.")
        figure(self.green, "2025/26 Q2", "1234.56")
        figure(self.leisure_red, "2025/26 Q2", "10", commentary="Pool closed.")
        for label in ("2025/26 Jul", "2025/26 Aug", "2025/26 Sep"):
            figure(self.monthly, label, "7")

        everything = [self.red, self.amber, self.green, self.overdue, self.leisure_red, self.monthly, self.reference]
        self.council = Scorecard.objects.create(
            name="Council Scorecard", slug="council-scorecard", is_council_scorecard=True
        )
        self.council.indicators.set(everything)
        self.other = Scorecard.objects.create(name="Adults", slug=slugify("Adults"))
        plan = Plan.objects.create(kind=PlanKind.CORPORATE, title="Corporate Plan", first_year=2025, last_year=2027)
        self.plan = plan
        self.priority = Priority.objects.create(plan=plan, title="Decent homes")
        self.priority.indicators.set([self.red, self.amber])
        other = Priority.objects.create(plan=plan, title="Active lives")
        other.indicators.set([self.leisure_red])

    def override_amber_to_green(self):
        services.rating_override(outturn=self.amber_outturn, rag="green", reason="Provisional", by=team())
