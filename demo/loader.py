"""Build the demo council from demo/catalogue.py.

The same catalogue and the same `today` always give the same council: every random
choice comes from a generator seeded with the indicator's code. Three financial years of
figures end at the last period that has finished by `today`; the current year has a few
returns missing after their due date, some entered late, and targets still awaiting
sign-off.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators import periods, rag
from indicators.models import (
    BenchmarkValue,
    Frequency,
    Indicator,
    Kind,
    Outturn,
    OutturnState,
    Period,
    Profile,
    Rag,
    Rating,
    Target,
    TargetStatus,
    TargetYear,
    TolerancePolicy,
    Unit,
)
from indicators.national import national_indicators_load
from indicators.ratings import ratings_recalculate
from indicators.services import periods_ensure_year, rating_override, spc_baseline_set
from indicators.target_years import MIRRORED
from organisation.models import Directorate, Portfolio, Role, Service, User
from organisation.services import role_groups_ensure
from plans.models import (
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Objective,
    Plan,
    PlanKind,
    PlanStatus,
    Priority,
    ScrutinyComment,
)
from reviews.models import (
    Meeting,
    MeetingKind,
    Scorecard,
)
from reviews.services import budget_line_set

from . import catalogue, plans_text, words
from .chart_notes import chart_notes_load
from .cycle import complaints_load, lower_first, meetings_schedule, publish_day, reviews_load, surgery_arrange
from .good_news import good_news_load
from .review_cycle import pack_sections_freeze, review_cycle_load
from .risks import risks_load

DEMO_PASSWORD = "fernley-demo-2026"
EMAIL_DOMAIN = "fernley.example"
FREQUENCY = {"monthly": Frequency.MONTH, "quarterly": Frequency.QUARTER, "annual": Frequency.YEAR}
JOB_TITLES = {
    Role.OFFICER: "Performance officer, {where}",
    Role.SERVICE_MANAGER: "Head of {where}",
    Role.PERFORMANCE_TEAM: "Performance and improvement officer",
    Role.PORTFOLIO_HOLDER: "Councillor, cabinet member for {where}",
    Role.CHIEF_OFFICER: "Director, {where}",
    Role.SCRUTINY_MEMBER: "Councillor, Overview and Scrutiny Committee",
    Role.RISK_AND_AUDIT: "Risk and audit manager",
}


@dataclass
class Summary:
    indicators: int = 0
    outturns: int = 0
    targets: int = 0


def demo_sign_in_text(address: str) -> str:
    """Where to sign in and one account per role (the first of each in the catalogue)."""
    lines = [f"Sign in at {address} as any of these (password for all: {DEMO_PASSWORD}):"]
    seen = set()
    for username, first, last, role, _where in catalogue.PEOPLE:
        if role in seen:
            continue
        seen.add(role)
        lines.append(f"  {Role(role).label:<22} {username:<24} {first} {last}")
    return "\n".join(lines)


def demo_loaded() -> bool:
    return Directorate.objects.filter(code=catalogue.DIRECTORATES[0][0]).exists()


@transaction.atomic
def demo_council_load(*, today: datetime.date) -> Summary:
    """Create the demo council. Call only when demo_loaded() is false."""
    summary = Summary()
    national_indicators_load()
    known = set(Indicator.objects.filter(kind=Kind.NATIONAL).values_list("code", flat=True))
    needed = {spec.code if spec.kind == Kind.NATIONAL else spec.national for spec in catalogue.INDICATORS}
    if missing := sorted(needed - known - {None}):
        # Titles of national indicators come only from the data file, never made up here.
        raise ValueError(f"The national indicator data file has no title for {', '.join(missing)}")
    groups = role_groups_ensure()
    current = periods.financial_year(today)
    for year in range(current - 2, current + 1):
        periods_ensure_year(year=year)

    directorates = {code: Directorate.objects.create(code=code, name=name) for code, name in catalogue.DIRECTORATES}
    services = {
        code: Service.objects.create(code=code, name=name, directorate=directorates[directorate])
        for code, name, directorate in catalogue.SERVICES
    }
    portfolios, portfolio_of_service = {}, {}
    for code, name, service_codes in catalogue.PORTFOLIOS:
        portfolios[code] = Portfolio.objects.create(code=code, name=name)
        portfolios[code].services.set([services[s] for s in service_codes])
        portfolio_of_service.update(dict.fromkeys(service_codes, portfolios[code]))

    people = _people(groups, directorates, services, portfolios)
    officers = people[Role.OFFICER]
    performance = next(iter(people[Role.PERFORMANCE_TEAM].values()))

    indicators = _indicators(summary, services, portfolio_of_service, officers, current)
    first_period = Period.objects.get(frequency=Frequency.QUARTER, year=current - 2, number=1)
    TolerancePolicy.objects.create(
        tolerance=Decimal("0.05"),
        reason="Cabinet agreed a corporate tolerance of 5% either side of target, in line with "
        "neighbouring councils, so that Amber flags a real risk of missing a target.",
        effective_from=first_period,
        set_by=performance,
    )
    _figures(summary, indicators, today, performance)
    ratings_recalculate()
    _spc_baselines(performance, today)
    _commentary()
    _override(performance, today)
    _plans(directorates, services, portfolios, indicators, current, people, today)
    meetings_schedule(portfolios, people, today)
    _scorecards(indicators)
    _benchmarks(indicators, today)
    good_news_load(today)
    surgery_arrange(people, today)
    plan_steps = review_cycle_load(people, today)
    complaints_load(today)
    _budgets(people, today)
    reviews_load(people, today, plan_steps)
    risks_load(people=people, directorates=directorates, today=today)
    pack_sections_freeze(today)
    chart_notes_load(by=performance, today=today)
    return summary


def _people(groups, directorates, services, portfolios) -> dict[str, dict[str, User]]:
    password = make_password(DEMO_PASSWORD)
    people: dict[str, dict[str, User]] = {role: {} for role in Role}
    for username, first, last, role, where in catalogue.PEOPLE:
        role = Role(role)
        place = {
            Role.OFFICER: services,
            Role.SERVICE_MANAGER: services,
            Role.PORTFOLIO_HOLDER: portfolios,
            Role.CHIEF_OFFICER: directorates,
        }.get(role, {}).get(where)
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{EMAIL_DOMAIN}",
            password=password,
            job_title=JOB_TITLES[role].format(where=place.name if place else ""),
            service=place if isinstance(place, Service) else None,
        )
        user.groups.add(groups[role])
        if role == Role.SERVICE_MANAGER:
            place.manager = user
            place.save(update_fields=["manager"])
        elif role == Role.PORTFOLIO_HOLDER:
            place.holder = user
            place.save(update_fields=["holder"])
        elif role == Role.CHIEF_OFFICER:
            place.director = user
            place.save(update_fields=["director"])
        people[role][where] = user
    return people


def _indicators(
    summary, services, portfolio_of_service, officers, current
) -> list[tuple[Indicator, catalogue.IndicatorSpec]]:
    national = {i.code: i for i in Indicator.objects.filter(kind=Kind.NATIONAL)}
    made = []
    for spec in catalogue.INDICATORS:
        fields = {
            "description": spec.description,
            "definition": spec.definition,
            "unit": spec.unit,
            "decimal_places": spec.decimal_places,
            "polarity": spec.polarity,
            "frequency": FREQUENCY[spec.frequency],
            "is_cumulative": spec.cumulative,
            "data_source": spec.data_source,
            "service": services[spec.service],
            "responsible_officer": officers.get(spec.service),
            "portfolio": portfolio_of_service[spec.service],
            "is_collected": True,
            "is_published": spec.published,
            "baseline": _quantize(_annual(spec), spec.decimal_places),
            "baseline_year": periods.year_label(current - 3),
            "tolerance": spec.tolerance,
            "tolerance_mode": spec.tolerance_mode,
        }
        if spec.kind == Kind.NATIONAL:
            indicator = national[spec.code]
            for name, value in fields.items():
                setattr(indicator, name, value)
            indicator.save()
        else:
            link = national[spec.national] if spec.kind == Kind.PROXY else None
            indicator = Indicator.objects.create(
                code=spec.code, title=spec.title, kind=spec.kind, national_indicator=link, **fields
            )
        made.append((indicator, spec))
    summary.indicators = len(made)
    return made


PER_YEAR = {"monthly": 12, "quarterly": 4, "annual": 1}


def _annual(spec) -> Decimal:
    """The indicator's starting level on the annual scale, as its baseline shows it: a
    cumulative count's year total (four quarters of sickness absence, not one)."""
    if spec.cumulative and spec.unit in (Unit.NUMBER, Unit.CURRENCY, Unit.DAYS):
        return spec.start * PER_YEAR[spec.frequency]
    return spec.start


def _seasonal(spec, period) -> Decimal:
    """How far the indicator's usual seasonal pattern moves the period's figure."""
    amplitude, peak = catalogue.SEASONS.get(spec.code, (Decimal(0), 1))
    if not amplitude or period.frequency == Frequency.YEAR:
        return Decimal(0)
    middle = period.start + (period.end - period.start) / 2
    return amplitude * Decimal(str(round(math.cos(2 * math.pi * (middle.month - peak) / 12), 4)))


def _share(spec, period) -> Decimal:
    """The share of the year's level a profiled indicator reaches by the end of period."""
    return spec.profile[period.number - 1] if spec.profile else Decimal(1)


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places))


def _expected(spec, elapsed_years: Decimal) -> Decimal:
    value = spec.start + spec.yearly_change * elapsed_years
    if spec.unit == Unit.PERCENTAGE:
        value = min(value, Decimal(100))
    return max(value, Decimal(0))


# How far a year's targets sit from the trend, in units of the indicator's typical
# variation: most are within reach (negative: easier than the trend), a few are a stretch.
STRETCHES = [Decimal("-0.9"), Decimal("-0.6"), Decimal("-0.3"), Decimal("0.3")]
# What each stretch means to the cabinet member who agreed it (the target's rationale).
STRETCH_KINDS = dict(zip(STRETCHES, ["hold", "demand", "pace", "stretch"], strict=True))


def _target_level(spec, expected: Decimal, stretch: Decimal) -> Decimal:
    direction = 1 if spec.polarity == rag.HIGHER else -1
    value = max(expected + direction * stretch * spec.noise, Decimal(0))
    return min(value, Decimal(100)) if spec.unit == Unit.PERCENTAGE else value


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _figures(summary, indicators, today: datetime.date, performance: User) -> None:
    current = periods.financial_year(today)
    all_periods = list(Period.objects.filter(year__gte=current - 2, year__lte=current).order_by("start"))
    origin = all_periods[0].start
    years = {p.year: p for p in all_periods if p.frequency == Frequency.YEAR}
    outturns, targets = [], []
    for indicator, spec in indicators:
        rng = random.Random(f"fernley:{spec.code}")
        own = [p for p in all_periods if p.frequency == indicator.frequency]
        holder = indicator.portfolio.holder
        officer = indicator.responsible_officer
        running_target: dict[int, Decimal] = {}
        stretch = {year: rng.choice(STRETCHES) for year in years}
        status = {year: _year_status(spec.code, year, current) for year in years}
        year_targets: dict[int, Decimal] = {}
        reported = [p for p in own if p.is_overdue(today)]
        for period in own:
            elapsed = Decimal((period.end - origin).days) / Decimal("365.25")
            expected = _expected(spec, elapsed)
            # Targets: the trend plus a stretch, year to date for cumulative counts.
            if spec.polarity != rag.NONE and not (period.year == current - 2 and rng.random() < 0.03):
                per_period = _target_level(spec, expected, stretch[period.year]) * _share(spec, period)
                if spec.statutory:
                    per_period = Decimal(100)  # a legal duty: anything less is a breach
                if spec.cumulative and indicator.unit in (Unit.NUMBER, Unit.CURRENCY, Unit.DAYS):
                    running_target[period.year] = running_target.get(period.year, Decimal(0)) + per_period
                    value = running_target[period.year]
                else:
                    value = per_period
                value = _quantize(value, spec.decimal_places)
                year_targets[period.year] = value
                why = _rationale(spec, indicator, period, value, stretch[period.year], origin)
                targets.append(
                    _target(indicator, period, value, status[period.year], holder, performance, officer, rng, why)
                )
            if period.end >= today:
                continue
            back = len(reported) - reported.index(period) if period in reported else 0
            expected = _special_cause(spec, expected * _share(spec, period) + _seasonal(spec, period), back)
            outturn = _outturn(indicator, spec, period, expected, today, officer, performance, rng)
            if outturn is not None:
                outturns.append(outturn)
        if indicator.frequency != Frequency.YEAR:
            for year, value in year_targets.items():
                why = _rationale(spec, indicator, years[year], value, stretch[year], origin)
                targets.append(
                    _target(indicator, years[year], value, status[year], holder, performance, officer, rng, why)
                )
    target_years = _target_years(targets)
    bulk_create_with_history(targets, Target, batch_size=500)
    bulk_create_with_history(target_years, TargetYear, batch_size=500)
    Outturn.objects.bulk_create(outturns, batch_size=500)
    summary.targets, summary.outturns = len(targets), len(outturns)


def _spc_baselines(performance: User, today: datetime.date) -> None:
    """The baselines the performance team has fixed (each re-rates its indicator)."""
    for code, count, reason in catalogue.SPC_BASELINES:
        indicator = Indicator.objects.get(code=code)
        reported = list(
            Period.objects.overdue_on(today)
            .filter(frequency=indicator.frequency, outturns__indicator=indicator)
            .order_by("end")
        )[-count:]
        spc_baseline_set(
            indicator=indicator, first_period=reported[0], last_period=reported[-1], reason=reason, by=performance
        )


def _special_cause(spec, expected: Decimal, back: int) -> Decimal:
    """The expected figure moved by the indicator's demo special cause, if it has one and
    the period (back periods before the latest reported, 1 being the latest) is in it."""
    kind, periods_back, size = catalogue.SPECIAL_CAUSES.get(spec.code, ("", 0, Decimal(0)))
    hit = back and ((kind == "shift" and back <= periods_back) or (kind == "outlier" and back == periods_back))
    if not hit:
        return expected
    better = 1 if spec.polarity != rag.LOWER else -1
    value = max(expected + better * size * spec.noise, Decimal(0))
    return min(value, Decimal(100)) if spec.unit == Unit.PERCENTAGE else value


def _year_status(code: str, year: int, current: int) -> str:
    """Each indicator's targets for a year are one decision: earlier years are signed off;
    this year's mostly by the deadline, a few still awaiting a step (late)."""
    if year != current:
        return TargetStatus.SIGNED_OFF
    # About one measure in ten is late; the demo portfolio holder (Resources) has three
    # quality-assured years awaiting sign-off on one page.
    return random.Random(f"fernley:targets-2:{code}:{year}").choices(
        [TargetStatus.SIGNED_OFF, TargetStatus.QUALITY_ASSURED, TargetStatus.PROPOSED, TargetStatus.DRAFT],
        weights=[90, 6, 3, 1],
    )[0]


# What a year proposal shares with every target of its year.
YEAR_FIELDS = ["rationale", *MIRRORED]


def _target_years(targets: list[Target]) -> list[TargetYear]:
    """The year proposals the period targets come from: one per indicator and year, with the
    rationale, status and people of its annual target (every target of a year shares them)."""
    found = {}
    # The year's own (annual) target, with its rationale for the whole year, leads its year.
    for target in sorted(targets, key=lambda t: t.period.frequency != Frequency.YEAR):
        key = (target.indicator_id, target.period.year)
        if key in found:
            target.rationale = found[key].rationale
            continue
        year = TargetYear(
            indicator_id=target.indicator_id,
            year=target.period.year,
            profile=Profile.BY_HAND,
            **{name: getattr(target, name) for name in YEAR_FIELDS},
        )
        year.first_signed_off_at = year.signed_off_at
        found[key] = year
    return list(found.values())


def _target(indicator, period, value, status, holder, performance, officer, rng, rationale) -> Target:
    year_start = periods.bounds(Frequency.YEAR, period.year, 1)[0]
    target = Target(
        indicator=indicator,
        period=period,
        value=value,
        rationale=rationale,
        status=status,
    )
    if status != TargetStatus.DRAFT:
        target.proposed_by, target.proposed_at = officer, _aware(year_start - datetime.timedelta(days=60), 10)
    if status in (TargetStatus.QUALITY_ASSURED, TargetStatus.SIGNED_OFF):
        target.quality_assured_by = performance
        target.quality_assured_at = _aware(year_start - datetime.timedelta(days=40), 11)
    if status == TargetStatus.SIGNED_OFF:
        target.signed_off_by, target.signed_off_at = holder, _aware(year_start - datetime.timedelta(days=20), 15)
    return target


def _rationale(spec, indicator, period, value, stretch, origin) -> str:
    """Why the target is what it is (demo/words.py), from the trend and the neighbours' median."""
    year_start = periods.bounds(Frequency.YEAR, period.year, 1)[0]
    elapsed = Decimal((year_start - origin).days) / Decimal("365.25")
    annual = _annual(spec) / spec.start if spec.start else Decimal(1)
    median = _expected(spec, elapsed) * annual * (spec.profile[-1] if spec.profile else 1)
    median = indicator.format_value(_quantize(median, spec.decimal_places))
    return words.rationale(spec, indicator, period, value, STRETCH_KINDS[stretch], median)


def _outturn(indicator, spec, period, expected, today, officer, performance, rng) -> Outturn | None:
    recent = period.due >= today - datetime.timedelta(days=45)
    if recent and period.is_overdue(today) and rng.random() < 0.05:
        return None  # overdue: nothing entered after the due date
    if period.due >= today and rng.random() < 0.4:
        return None  # not due yet and not yet entered
    outturn = Outturn(indicator=indicator, period=period, entered_by=officer)
    if not spec.cumulative and rng.random() < 0.015:
        # (A gap in a cumulative measure would leave the rest of its year without a year to date.)
        outturn.not_available_reason = words.not_available(spec, period, rng)
    else:
        noise = Decimal(str(rng.gauss(0, 1))) * spec.noise
        value = max(expected + noise, Decimal(0))
        if indicator.unit == Unit.PERCENTAGE:
            value = min(value, Decimal(100))
        if spec.cumulative and indicator.unit in (Unit.PERCENTAGE, Unit.RATE_PER_1000, Unit.RATIO):
            # Year to date is formed from numerators and denominators, so record them.
            denominator = Decimal(rng.randint(400, 4000))
            outturn.numerator = (value / indicator.scale * denominator).quantize(Decimal(1))
            outturn.denominator = denominator
            value = indicator.quantize(outturn.numerator / denominator * indicator.scale)
        outturn.value = _quantize(value, spec.decimal_places)
    if period.due >= today:
        entered = min(period.end + datetime.timedelta(days=3), today)
        outturn.state, outturn.entered_at = OutturnState.DRAFT, _aware(entered, 9)
        return outturn
    late = rng.random() < 0.05
    submitted = (
        periods.add_working_days(period.due, rng.randint(1, 8))
        if late
        else period.due - datetime.timedelta(days=rng.randint(1, 10))
    )
    outturn.entered_at = _aware(min(submitted, today), 9)
    outturn.submitted_by, outturn.submitted_at = officer, _aware(min(submitted, today), 16)
    outturn.state = OutturnState.SUBMITTED
    if period.due < today - datetime.timedelta(days=30):
        outturn.state = OutturnState.VALIDATED
        outturn.validated_by = performance
        outturn.validated_at = _aware(min(submitted + datetime.timedelta(days=7), today), 12)
    return outturn


def _commentary() -> None:
    """Officer commentary: always for Red and Amber figures, sometimes for the rest. Each
    comment says what happened, why (a reason from the indicator's own story) and, below
    target, what is being done."""
    ratings = Rating.objects.select_related("outturn__indicator__service", "outturn__period").filter(
        outturn__value__isnull=False
    )
    changed = []
    for rating in ratings:
        outturn = rating.outturn
        rng = random.Random(f"fernley:{outturn.indicator.code}:{outturn.period.label}")
        if rating.rag in (Rag.RED, Rag.AMBER) or rng.random() < 0.3:
            indicator = outturn.indicator
            outturn.commentary = words.comment(indicator, rating, outturn.period, rng)
            if not outturn.commentary:
                continue
            # Residents see the commentary on most validated figures of published indicators.
            outturn.commentary_is_public = (
                indicator.is_published and outturn.state == OutturnState.VALIDATED and rng.random() < 0.7
            )
            changed.append(outturn)
    Outturn.objects.bulk_update(changed, ["commentary", "commentary_is_public"], batch_size=500)
    outturns = list(Outturn.objects.all())
    Outturn.history.bulk_history_create(outturns, default_date=timezone.now())


def _override(performance: User, today: datetime.date) -> None:
    """The performance team overrides one rating: the latest ended quarter's first validated Red
    of a published measure rated against a signed-off target, shown as Green with its reason, so
    that every page can be seen saying "overridden" with the computed rating beside it."""
    quarter = Period.objects.ended_on(today).filter(frequency=Frequency.QUARTER).first()
    signed_off = Target.objects.filter(status=TargetStatus.SIGNED_OFF, period=quarter).values("indicator_id")
    rating = (
        Rating.objects.filter(
            rag=Rag.RED,
            outturn__period=quarter,
            outturn__state=OutturnState.VALIDATED,
            outturn__indicator__is_published=True,
            outturn__indicator_id__in=signed_off,
        )
        .select_related("outturn")
        .order_by("outturn__indicator__code")
        .first()
    )
    if rating is not None:
        rating_override(
            outturn=rating.outturn,
            rag=Rag.GREEN,
            reason="The quarter's last month was double-counted in the source system; the corrected "
            "figure meets the target and will replace this one next quarter.",
            by=performance,
        )


def _at(day: datetime.date, today: datetime.date, hour: int = 10) -> datetime.datetime:
    """A time on day at hour, but never on or after today (the demo's "now")."""
    day = min(day, today - datetime.timedelta(days=1))
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def _month_end(current: int, months: int) -> datetime.date:
    """The last day of the months-th month (1 is April) of financial year current."""
    return periods.bounds(Frequency.MONTH, current, months)[1]


def _plans(directorates, services, portfolios, indicators, current, people, today) -> None:
    """The Corporate Plan, two thematic plans and a business plan per service, cascading;
    priorities with baskets and milestones; this year's service plans at every stage of
    their lifecycle, with scrutiny comments; the cabinet members' PRT targets; objectives."""
    performance = User.objects.filter(groups__name=Role.PERFORMANCE_TEAM).order_by("pk")[0]
    scrutiny = list(User.objects.filter(groups__name=Role.SCRUTINY_MEMBER).order_by("pk"))
    officers, managers = people[Role.OFFICER], people[Role.SERVICE_MANAGER]
    start = periods.bounds(Frequency.YEAR, current, 1)[0]
    quarters = list(Period.objects.filter(frequency=Frequency.QUARTER, year=current, end__lt=today).order_by("end"))
    rated: dict[int, list[Indicator]] = {}
    by_portfolio: dict[int, list[Indicator]] = {}
    by_service: dict[int, list[Indicator]] = {}
    for indicator, spec in indicators:
        if spec.polarity != rag.NONE:
            rated.setdefault(indicator.service_id, []).append(indicator)
            if spec.published:
                by_portfolio.setdefault(indicator.portfolio_id, []).append(indicator)
        by_service.setdefault(indicator.service_id, []).append(indicator)
    milestones: list[tuple[Milestone, str]] = []

    def approved(plan_fields: dict, on: datetime.date) -> dict:
        return {
            **plan_fields,
            "status": PlanStatus.APPROVED,
            "quality_assured_by": performance,
            "quality_assured_at": _at(on - datetime.timedelta(days=30), today),
            "scrutiny_started_by": performance,
            "scrutiny_started_at": _at(on - datetime.timedelta(days=21), today),
            "approved_by": performance,
            "approved_at": _at(on, today),
        }

    chief_executive = directorates[catalogue.DIRECTORATES[0][0]]
    corporate = Plan.objects.create(
        **approved(
            {
                "kind": PlanKind.CORPORATE,
                "title": f"{catalogue.COUNCIL_NAME} Corporate Plan {current - 2}-{current + 2}",
                "owner_directorate": chief_executive,
                "lead_officer": officers.get("POL"),
                "first_year": current - 2,
                "last_year": current + 1,
            },
            datetime.date(current - 2, 3, 20),
        )
    )
    for position, (code, portfolio) in enumerate(portfolios.items(), start=1):
        text = plans_text.CORPORATE_PRIORITIES[code]
        priority = Priority.objects.create(
            plan=corporate, title=text.title, description=text.description, position=position
        )
        priority.indicators.set(by_portfolio.get(portfolio.pk, [])[:8])
        for title, months, service_code in text.milestones:
            milestones.append(
                (
                    Milestone(
                        priority=priority,
                        title=title,
                        owner=managers.get(service_code),
                        due=_month_end(current, months),
                    ),
                    code,
                )
            )

    parent_of: dict[str, Plan] = {}
    for directorate_code, title, priorities in plans_text.THEMATIC_PLANS:
        directorate = directorates[directorate_code]
        thematic = Plan.objects.create(
            **approved(
                {
                    "kind": PlanKind.THEMATIC,
                    "title": f"{title}: {directorate.name} improvement plan {current - 1}-{current + 2}",
                    "owner_directorate": directorate,
                    "parent": corporate,
                    "first_year": current - 1,
                    "last_year": current + 1,
                },
                datetime.date(current - 1, 4, 15),
            )
        )
        for position, (priority_title, service_codes, milestone, months) in enumerate(priorities, start=1):
            priority = Priority.objects.create(plan=thematic, title=priority_title, position=position)
            priority.indicators.set([i for code in service_codes for i in rated.get(services[code].pk, [])[:4]])
            for code in service_codes:
                parent_of[code] = thematic
            milestones.append(
                (
                    Milestone(
                        priority=priority,
                        title=milestone,
                        owner=directorate.director,
                        due=_month_end(current, months),
                    ),
                    priority_title,
                )
            )

    for index, (code, service) in enumerate(services.items()):
        stage = plans_text.PLAN_STAGES.get(code, PlanStatus.APPROVED)
        fields = {
            "kind": PlanKind.SERVICE,
            "title": f"{service.name} business plan {periods.year_label(current)}",
            "owner_service": service,
            "lead_officer": officers.get(code),
            "first_year": current,
            "last_year": current,
            "parent": parent_of.get(code, corporate),
        }
        if stage == PlanStatus.APPROVED:
            on = start + datetime.timedelta(days=49 if code in plans_text.APPROVED_LATE else 23)
            fields = approved(fields, on)
        else:
            fields["status"] = stage
            if stage != PlanStatus.DRAFT:
                fields["quality_assured_by"] = performance
                fields["quality_assured_at"] = _at(start + datetime.timedelta(days=7), today)
            if stage == PlanStatus.SCRUTINY_REVIEW:
                fields["scrutiny_started_by"] = performance
                fields["scrutiny_started_at"] = _at(start + datetime.timedelta(days=14), today)
        plan = Plan.objects.create(**fields)
        written = plans_text.SERVICE_PLANS[code]
        made_priorities = [
            Priority.objects.create(plan=plan, title=p.title, description=p.description, position=position)
            for position, p in enumerate(written.priorities, start=1)
        ]
        baskets: list[list[Indicator]] = [[] for _ in made_priorities]
        for indicator in by_service.get(service.pk, []):
            title = indicator.title.lower()
            chosen = next((n for n, p in enumerate(written.priorities) if any(word in title for word in p.keywords)), 0)
            baskets[chosen].append(indicator)
        for priority, text, basket in zip(made_priorities, written.priorities, baskets, strict=True):
            priority.indicators.set(basket)
            for title, months in text.milestones:
                milestones.append(
                    (
                        Milestone(
                            priority=priority, title=title, owner=officers.get(code), due=_month_end(current, months)
                        ),
                        code,
                    )
                )
        # Plans under review have comments, and so do a third of the approved ones.
        if plan.status == PlanStatus.SCRUTINY_REVIEW or (plan.status == PlanStatus.APPROVED and index % 3 == 0):
            made = plan.scrutiny_started_at or plan.approved_at
            for n, (text, answer) in enumerate(written.scrutiny):
                # Approved plans had every comment answered; under review, the last waits.
                if not answer and plan.status == PlanStatus.APPROVED:
                    continue
                ScrutinyComment.objects.create(
                    plan=plan,
                    text=text,
                    made_by=scrutiny[(index + n) % len(scrutiny)],
                    made_at=made + datetime.timedelta(days=2 + n),
                    answer=answer,
                    answered_by=managers.get(code) if answer else None,
                    answered_at=made + datetime.timedelta(days=5 + n) if answer else None,
                )
        holder = next((p.holder for p in portfolios.values() if service in p.services.all()), None)
        chosen = rated.get(service.pk, [])[:3]
        if holder and chosen and plan.status == PlanStatus.APPROVED:
            plan.prt_indicators.set(chosen)
            plan.prt_selected_by, plan.prt_selected_at = holder, plan.approved_at + datetime.timedelta(days=3)
            plan.save(update_fields=["prt_selected_by", "prt_selected_at"])
        objectives = [
            (
                officers.get(code),
                "Enter and check the figures for {title} by each due date, with commentary on any miss",
            ),
            (managers.get(code), "Keep {title} on target, reviewing it with the portfolio holder each quarter"),
        ]
        bulk_create_with_history(
            [
                Objective(
                    text=text.format(title=lower_first(indicator.title)),
                    owner=owner,
                    indicator=indicator,
                    year=current,
                    created_by=managers.get(code),
                    created_at=_at(start + datetime.timedelta(days=60), today),
                )
                for (owner, text), indicator in zip(objectives, rated.get(service.pk, []), strict=False)
                if owner
            ],
            Objective,
        )
    _milestone_progress(milestones, quarters, today)


def _milestone_progress(milestones: list[tuple[Milestone, str]], quarters: list[Period], today) -> None:
    """Quarterly updates for each ended quarter of this year up to each milestone's due
    date: steady progress, some slipping, most finished when due, a few overdue."""
    made = bulk_create_with_history([m for m, _ in milestones], Milestone)
    updates = []
    changed = []
    for milestone, (_, key) in zip(made, milestones, strict=True):
        rng = random.Random(f"fernley:milestone:{key}:{milestone.title}")
        relevant = [q for q in quarters if q.start <= milestone.due]
        if not relevant:
            continue
        span = max((milestone.due - relevant[0].start).days, 1)
        for quarter in relevant:
            done = quarter.end >= milestone.due
            if done:
                status = rng.choice([MilestoneStatus.COMPLETE] * 4 + [MilestoneStatus.OFF_TRACK])
            else:
                status = rng.choice([MilestoneStatus.ON_TRACK] * 4 + [MilestoneStatus.AT_RISK])
            percent = (
                100
                if status == MilestoneStatus.COMPLETE
                else min(95, int(100 * (quarter.end - relevant[0].start).days / span))
            )
            comment = rng.choice(plans_text.MILESTONE_COMMENTS[status])
            updates.append(
                MilestoneUpdate(
                    milestone=milestone,
                    period=quarter,
                    percent_complete=percent,
                    status=status,
                    comment=comment,
                    made_by=milestone.owner,
                    made_at=_at(quarter.end + datetime.timedelta(days=10), today),
                )
            )
            milestone.status, milestone.percent_complete = status, percent
            if done:
                break
        changed.append(milestone)
    bulk_create_with_history(updates, MilestoneUpdate)
    Milestone.objects.bulk_update(changed, ["status", "percent_complete"])


def _budgets(people, today: datetime.date) -> None:
    """Budget monitoring for each quarter whose PRTs have had their packs published."""
    performance = next(iter(people[Role.PERFORMANCE_TEAM].values()))
    held = [m for m in Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT) if publish_day(m) < today]
    cycles = sorted({meeting.period_id: meeting.period for meeting in held}.values(), key=lambda p: p.end)
    for quarter in cycles:
        for service in Service.objects.order_by("code"):
            _budget_line(service, quarter, performance)


def _budget_line(service, quarter, performance) -> None:
    """The service's budget monitoring for quarter: its annual budget, the forecast (the
    variance firms up as the year goes on) and savings delivered so far."""
    budget, variance, savings = catalogue.SERVICE_BUDGETS[service.code]
    firmness = Decimal("0.55") + Decimal("0.15") * quarter.number
    behind = Decimal("0.6") if variance > Decimal("0.02") else Decimal("0.9")  # overspending services lag
    delivered = Decimal(savings) * behind * min(Decimal(1), Decimal(quarter.number) / 4 + Decimal("0.1"))
    budget_line_set(
        service=service,
        period=quarter,
        budget=Decimal(budget),
        forecast_outturn=(Decimal(budget) * (1 + variance * firmness) / 1000).quantize(Decimal(1)) * 1000,
        savings_target=Decimal(savings),
        savings_delivered=(delivered / 1000).quantize(Decimal(1)) * 1000,
        commentary=catalogue.BUDGET_COMMENTARY.get(service.code, ""),
        by=performance,
    )


# Nearest-neighbour councils for benchmarking (fictional, like Fernley).
NEIGHBOURS = [
    "Ashcombe",
    "Bramley Vale",
    "Carrow",
    "Denholm",
    "Eastwick",
    "Farleigh",
    "Greyford",
    "Hollins",
    "Ingleby",
    "Kenwood",
    "Lowther",
    "Marden",
    "Northam",
    "Oakridge",
    "Pellham",
]


def _scorecards(indicators) -> None:
    """The Council Scorecard: the published, rated priority measures (about 65)."""
    scorecard = Scorecard.objects.create(
        name="Council Scorecard",
        slug="council",
        is_council_scorecard=True,
        description="The priority measures reported monthly to the Chief Officer Group and quarterly to Cabinet.",
    )
    chosen = [
        i for i, spec in indicators if spec.published and spec.polarity != rag.NONE and spec.frequency != "annual"
    ]
    scorecard.indicators.set(chosen[:: max(1, len(chosen) // 65)][:65])


def _benchmarks(indicators, today: datetime.date) -> None:
    """Nearest neighbours' figures for the published quarterly indicators, last financial
    year: each council sits a steady distance from the trend and wobbles about it, with the
    same seasons as Fernley; cumulative counts are year to date, as Fernley's are rated."""
    year = periods.financial_year(today) - 1
    origin = periods.bounds(Frequency.YEAR, year - 1, 1)[0]
    quarters = list(Period.objects.filter(frequency=Frequency.QUARTER, year=year).order_by("start"))
    values = []
    for indicator, spec in indicators:
        if not spec.published or spec.frequency != "quarterly" or spec.polarity == rag.NONE:
            continue
        rng = random.Random(f"fernley:benchmarks:{spec.code}")
        offsets = {council: Decimal(str(rng.gauss(0, 1.2))) * spec.noise for council in NEIGHBOURS}
        running = dict.fromkeys(NEIGHBOURS, Decimal(0))
        additive = spec.cumulative and spec.unit in (Unit.NUMBER, Unit.CURRENCY, Unit.DAYS)
        for quarter in quarters:
            elapsed = Decimal((quarter.end - origin).days) / Decimal("365.25")
            centre = _expected(spec, elapsed) + _seasonal(spec, quarter)
            for council in NEIGHBOURS:
                value = centre + offsets[council] + Decimal(str(rng.gauss(0, 0.6))) * spec.noise
                value = max(min(value, Decimal(100)) if spec.unit == Unit.PERCENTAGE else value, Decimal(0))
                if additive:
                    running[council] += value
                    value = running[council]
                values.append(
                    BenchmarkValue(
                        indicator=indicator,
                        period=quarter,
                        group="CIPFA nearest neighbours",
                        council=f"{council} Borough Council",
                        value=_quantize(value, spec.decimal_places),
                    )
                )
    BenchmarkValue.objects.bulk_create(values, batch_size=1000)
