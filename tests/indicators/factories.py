from decimal import Decimal

import factory

from indicators import periods
from indicators.models import Frequency, Indicator, Kind, Period, Polarity, TolerancePolicy, Unit
from tests.organisation.factories import PortfolioFactory, ServiceFactory


def period(label: str) -> Period:
    """The period with this label ("2025/26 Q1"), created with its proper dates if missing."""
    frequency, year, number = periods.parse_label(label)
    start, end = periods.bounds(frequency, year, number)
    found, _ = Period.objects.get_or_create(
        frequency=frequency,
        year=year,
        number=number,
        defaults={"start": start, "end": end, "due": periods.add_working_days(end, 15)},
    )
    return found


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"LPI {n:03d}")
    title = factory.Sequence(lambda n: f"Local indicator {n}")
    kind = Kind.LOCAL
    unit = Unit.PERCENTAGE
    decimal_places = 1
    polarity = Polarity.HIGHER
    frequency = Frequency.QUARTER
    service = factory.SubFactory(ServiceFactory)
    portfolio = factory.SubFactory(PortfolioFactory)


def installation_policy_ensure() -> None:
    """Record the installation tolerance policy, as the data migration does (indicators 0002),
    after a test emptied the database."""
    if not TolerancePolicy.objects.filter(effective_from=None).exists():
        TolerancePolicy.objects.create(
            tolerance=Decimal("0.05"), reason="Corporate default at installation", effective_from=None
        )
