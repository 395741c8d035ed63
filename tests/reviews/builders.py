"""Figures and targets for review tests, entered through the indicator services (so rated)."""

from decimal import Decimal

from indicators import services
from indicators.models import Indicator, Outturn, Target
from organisation.models import Role
from tests.indicators.factories import period
from tests.organisation.factories import UserFactory


def team():
    user = UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])
    return user


def figure(indicator: Indicator, label: str, value: str | None, commentary: str = "") -> Outturn:
    reason = "" if value is not None else "The survey was not run."
    return services.outturn_record(
        indicator=indicator,
        period=period(label),
        by=team(),
        value=None if value is None else Decimal(value),
        not_available_reason=reason,
        commentary=commentary,
    )


def target(indicator: Indicator, label: str, value: str, *, signed_off: bool = False) -> Target:
    by = team()
    made = services.target_set(
        indicator=indicator, period=period(label), value=Decimal(value), rationale="Trend", by=by
    )
    if signed_off:
        made = services.target_propose(target=made, by=by)
        made = services.target_quality_assure(target=made, by=by)
        made = services.target_sign_off(target=made, by=indicator.portfolio.holder)
    return made


def years(*starts: int) -> None:
    for year in starts:
        services.periods_ensure_year(year=year)
