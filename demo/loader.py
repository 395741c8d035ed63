"""Build the demo council from demo/catalogue.py.

The same catalogue and the same `today` always give the same council: every random
choice comes from a generator seeded with the indicator's code. Three financial years of
figures end at the last period that has finished by `today`; the current year has a few
returns missing after their due date, some entered late, and targets still awaiting
sign-off.
"""

import datetime
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
    Rag,
    Rating,
    Target,
    TargetStatus,
    TolerancePolicy,
    Unit,
)
from indicators.national import national_indicators_load
from indicators.ratings import ratings_recalculate
from indicators.services import periods_ensure_year, rating_override, spc_baseline_set
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
from reviews import packs
from reviews.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Feedback,
    FeedbackKind,
    GoodNewsStory,
    Meeting,
    MeetingKind,
    PackSnapshot,
    Scorecard,
)
from reviews.services import budget_line_set

from . import catalogue
from .review_cycle import review_cycle_load
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
    _meetings(portfolios, current, today)
    _scorecards(indicators)
    _benchmarks(indicators, today)
    _good_news(current, today)
    _prt_cycles(portfolios, people, today)
    review_cycle_load(people, today)
    risks_load(people=people, directorates=directorates, today=today)
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
            "baseline": _quantize(spec.start, spec.decimal_places),
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
        year_targets: dict[int, Decimal] = {}
        reported = [p for p in own if p.is_overdue(today)]
        for period in own:
            elapsed = Decimal((period.end - origin).days) / Decimal("365.25")
            expected = _expected(spec, elapsed)
            # Targets: the trend plus a stretch, year to date for cumulative counts.
            if spec.polarity != rag.NONE and not (period.year == current - 2 and rng.random() < 0.03):
                per_period = _target_level(spec, expected, stretch[period.year])
                if spec.cumulative and indicator.unit in (Unit.NUMBER, Unit.CURRENCY, Unit.DAYS):
                    running_target[period.year] = running_target.get(period.year, Decimal(0)) + per_period
                    value = running_target[period.year]
                else:
                    value = per_period
                value = _quantize(value, spec.decimal_places)
                year_targets[period.year] = value
                targets.append(_target(indicator, period, value, current, holder, performance, officer, rng))
            if period.end >= today:
                continue
            back = len(reported) - reported.index(period) if period in reported else 0
            expected = _special_cause(spec, expected, back)
            outturn = _outturn(indicator, spec, period, expected, today, officer, performance, rng)
            if outturn is not None:
                outturns.append(outturn)
        if indicator.frequency != Frequency.YEAR:
            for year, value in year_targets.items():
                targets.append(_target(indicator, years[year], value, current, holder, performance, officer, rng))
    bulk_create_with_history(targets, Target, batch_size=500)
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


def _target(indicator, period, value, current, holder, performance, officer, rng) -> Target:
    status = TargetStatus.SIGNED_OFF
    if period.year == current:
        status = rng.choices(
            [TargetStatus.SIGNED_OFF, TargetStatus.QUALITY_ASSURED, TargetStatus.PROPOSED, TargetStatus.DRAFT],
            weights=[80, 10, 6, 4],
        )[0]
    year_start = periods.bounds(Frequency.YEAR, period.year, 1)[0]
    target = Target(
        indicator=indicator,
        period=period,
        value=value,
        rationale=rng.choice(
            [
                "Continues the improvement of the last three years.",
                "Set against the nearest-neighbour councils' upper quartile.",
                "Holds performance steady while the service absorbs a budget saving.",
                "Reflects the new contract's service standards.",
                "Stretch agreed at the portfolio Performance Review Team meeting.",
            ]
        ),
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


def _outturn(indicator, spec, period, expected, today, officer, performance, rng) -> Outturn | None:
    recent = period.due >= today - datetime.timedelta(days=45)
    if recent and period.is_overdue(today) and rng.random() < 0.05:
        return None  # overdue: nothing entered after the due date
    if period.due >= today and rng.random() < 0.4:
        return None  # not due yet and not yet entered
    outturn = Outturn(indicator=indicator, period=period, entered_by=officer)
    if not spec.cumulative and rng.random() < 0.015:
        # (A gap in a cumulative measure would leave the rest of its year without a year to date.)
        outturn.not_available_reason = rng.choice(catalogue.COMMENTARY[Rag.NOT_AVAILABLE])
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
    """Officer commentary: always for Red and Amber figures, often for the rest."""
    ratings = Rating.objects.select_related("outturn__indicator", "outturn__period").filter(
        outturn__value__isnull=False
    )
    changed = []
    for rating in ratings:
        outturn = rating.outturn
        rng = random.Random(f"fernley:{outturn.indicator.code}:{outturn.period.label}")
        templates = catalogue.COMMENTARY.get(rating.rag)
        if templates and (rating.rag in (Rag.RED, Rag.AMBER) or rng.random() < 0.4):
            indicator = outturn.indicator
            outturn.commentary = rng.choice(templates).format(
                value=indicator.format_value(rating.actual),
                target=indicator.format_value(rating.target),
                period=outturn.period.label,
            )
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


def _good_news(current: int, today: datetime.date) -> None:
    """The published good news stories (and one draft), dated in past years or earlier this year."""
    published = {i.code: i for i in Indicator.objects.filter(is_published=True)}
    for title, text, code, years_before, month, is_published in catalogue.GOOD_NEWS:
        year = current - years_before
        day = datetime.date(year if month >= 4 else year + 1, month, 14)
        if day > today:
            day = today
        GoodNewsStory.objects.create(
            title=title,
            text=text,
            date=day,
            indicator=published.get(code) if code else None,
            is_published=is_published,
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
        priority = Priority.objects.create(
            plan=corporate,
            title=portfolio.name,
            description=f"What the council will deliver for {portfolio.name.lower()}.",
            position=position,
        )
        priority.indicators.set(by_portfolio.get(portfolio.pk, [])[:8])
        service = next(iter(portfolio.services.order_by("code")), None)
        for title, months in catalogue.CORPORATE_MILESTONES[code]:
            owner = managers.get(service.code) if service else None
            milestones.append(
                (Milestone(priority=priority, title=title, owner=owner, due=_month_end(current, months)), code)
            )

    parent_of: dict[str, Plan] = {}
    for directorate_code, title, priorities in catalogue.THEMATIC_PLANS:
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
        for position, (priority_title, service_codes) in enumerate(priorities, start=1):
            priority = Priority.objects.create(plan=thematic, title=priority_title, position=position)
            priority.indicators.set([i for code in service_codes for i in rated.get(services[code].pk, [])[:4]])
            for code in service_codes:
                parent_of[code] = thematic
            milestones.append(
                (
                    Milestone(
                        priority=priority,
                        title=f"Report progress on “{priority_title.lower()}” to the scrutiny committee",
                        owner=directorate.director,
                        due=_month_end(current, 6),
                    ),
                    priority_title,
                )
            )

    for index, (code, service) in enumerate(services.items()):
        stage = catalogue.PLAN_STAGES.get(code, PlanStatus.APPROVED)
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
            on = start + datetime.timedelta(days=49 if code in catalogue.APPROVED_LATE else 23)
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
        priority = Priority.objects.create(plan=plan, title=f"Deliver the {service.name.lower()} service standards")
        priority.indicators.set(by_service.get(service.pk, []))
        for title, months in catalogue.SERVICE_MILESTONES:
            milestones.append(
                (
                    Milestone(
                        priority=priority, title=title, owner=officers.get(code), due=_month_end(current, months)
                    ),
                    code,
                )
            )
        # Plans under review have comments, and so do some approved ones.
        if plan.status == PlanStatus.SCRUTINY_REVIEW or (plan.status == PlanStatus.APPROVED and index % 4 == 0):
            made = plan.scrutiny_started_at or plan.approved_at
            for n, (text, answer) in enumerate(catalogue.SCRUTINY_COMMENTS):
                # Approved plans had every comment answered; under review, the last waits.
                if not answer and plan.status == PlanStatus.APPROVED:
                    continue
                ScrutinyComment.objects.create(
                    plan=plan,
                    text=text,
                    made_by=scrutiny[n % len(scrutiny)],
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
            (officers.get(code), "Meet the {code} target this year, reporting progress to the team each month"),
            (managers.get(code), "Review {code} with the portfolio holder at each Performance Review Team meeting"),
        ]
        bulk_create_with_history(
            [
                Objective(
                    text=text.format(code=indicator.code),
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
            comment = {
                MilestoneStatus.COMPLETE: "Delivered on time.",
                MilestoneStatus.ON_TRACK: "Work is going to plan.",
                MilestoneStatus.AT_RISK: "A supplier is running late; the team is working on a recovery plan.",
                MilestoneStatus.OFF_TRACK: "Not delivered by the due date because of staff shortages; "
                "a new date is being agreed.",
            }[status]
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


def _meetings(portfolios, current, today) -> None:
    quarters = Period.objects.filter(frequency=Frequency.QUARTER, year__gte=current - 1, end__lt=today)
    meetings = []
    for quarter in quarters:
        date = quarter.end + datetime.timedelta(days=45)
        for portfolio in portfolios.values():
            meetings.append(
                Meeting(
                    kind=MeetingKind.PORTFOLIO_PRT,
                    title=f"{portfolio.name} Performance Review Team, {quarter.label}",
                    date=date,
                    period=quarter,
                    portfolio=portfolio,
                    chair=portfolio.holder,
                )
            )
    Meeting.objects.bulk_create(meetings)


def _prt_cycles(portfolios, people, today: datetime.date) -> None:
    """The last two PRT cycles before today: each portfolio's meetings with attendees, packs
    published on time, actions (one done, one carried forward with updates, one overdue),
    budget monitoring and complaints for their quarters; a corporate PRT per cycle and a
    performance surgery. Packs are assembled as they stood on their publication day."""
    performance = next(iter(people[Role.PERFORMANCE_TEAM].values()))
    held = Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT, date__lt=today).order_by("-date")
    cycles = sorted({meeting.period_id: meeting.period for meeting in held}.values(), key=lambda p: p.end)[-2:]
    for quarter in cycles:
        for index, service in enumerate(Service.objects.order_by("code")):
            budget = Decimal(400_000 + 37_000 * (index % 9))
            # Most services are within budget; every fifth overspends by 1-4%.
            over = Decimal(index % 4 + 1) / 100 if index % 5 == 0 else Decimal("-0.01")
            budget_line_set(
                service=service,
                period=quarter,
                budget=budget,
                forecast_outturn=(budget * (1 + over)).quantize(Decimal("1")),
                savings_target=Decimal(20_000 + 5_000 * (index % 3)),
                savings_delivered=Decimal(15_000 + 5_000 * (index % 2)),
                by=performance,
            )
            for n in range(index % 4 + 1):
                received = quarter.start + datetime.timedelta(days=7 + 19 * n)
                due = periods.add_working_days(received, 10)
                Feedback.objects.create(
                    kind=FeedbackKind.COMPLIMENT if n == 2 else FeedbackKind.COMPLAINT,
                    service=service,
                    received=received,
                    category=["Missed deadline", "Staff conduct", "Thank you", "Quality of service"][n],
                    response_due=None if n == 2 else due,
                    response_sent=None if n == 2 else periods.add_working_days(received, 6 + 3 * (index % 3)),
                    outcome="" if n == 2 else "Upheld" if index % 2 else "Not upheld",
                )
    meetings = list(
        Meeting.objects.filter(kind=MeetingKind.PORTFOLIO_PRT, period__in=cycles)
        .select_related("portfolio", "period")
        .order_by("date", "portfolio__code")
    )
    for quarter in cycles:
        corporate = Meeting.objects.create(
            kind=MeetingKind.CORPORATE_PRT,
            title=f"Corporate Performance Review Team, {quarter.label}",
            date=quarter.end + datetime.timedelta(days=52),
            period=quarter,
            chair=people[Role.PORTFOLIO_HOLDER].get("LEAD"),
        )
        meetings.append(corporate)
    managers = people[Role.SERVICE_MANAGER]
    for meeting in meetings:
        services = list(meeting.portfolio.services.order_by("code")) if meeting.portfolio_id else []
        attendees = [meeting.chair, performance, *(managers[s.code] for s in services if s.code in managers)]
        meeting.attendees.set([person for person in attendees if person])
        if meeting.portfolio_id and services:
            owner = managers.get(services[0].code) or performance
            first_cycle = meeting.period_id == cycles[0].pk
            raised = _at(meeting.date, today)

            def action(
                description, due, status=ActionStatus.OPEN, closed=None, meeting=meeting, owner=owner, raised=raised
            ):
                made = Action(
                    description=description,
                    owner=owner,
                    due=due,
                    status=status,
                    closed_on=closed,
                    meeting=meeting,
                    raised_by=performance,
                    raised_at=raised,
                )
                made._history_user = performance
                made.save()
                return made

            if first_cycle:
                action(
                    f"Report the cost of agency staff in {services[0].name} to the next meeting",
                    meeting.date + datetime.timedelta(days=30),
                    ActionStatus.DONE,
                    closed=meeting.date + datetime.timedelta(days=25),
                )
                carried = action(
                    f"Agree a recovery plan for the Red indicators in {services[0].name}",
                    meeting.date + datetime.timedelta(days=60),
                    ActionStatus.IN_PROGRESS,
                )
                ActionUpdate.objects.create(
                    action=carried,
                    date=meeting.date + datetime.timedelta(days=20),
                    text="Draft plan discussed with the service's team; consultation with staff under way.",
                    by=owner,
                )
            else:
                action(
                    f"Review the waiting list for {services[-1].name} with the portfolio holder",
                    min(meeting.date + datetime.timedelta(days=21), today - datetime.timedelta(days=3)),
                )
                action(
                    "Bring benchmarking against nearest neighbours to the next meeting",
                    meeting.date + datetime.timedelta(days=100),
                )
        publish = periods.working_days_before(meeting.date, 6)
        PackSnapshot.objects.create(
            meeting=meeting,
            published_at=_at(publish, today, hour=9),
            published_by=performance,
            data=packs.pack(meeting, today=min(publish, today)),
        )
    red = Rating.objects.filter(rag=rag.RED, outturn__period=cycles[-1], outturn__indicator__is_collected=True)
    examined = list(Indicator.objects.filter(pk__in=red.values("outturn__indicator")).order_by("code")[:3])
    if examined:
        surgery = Meeting.objects.create(
            kind=MeetingKind.SURGERY,
            title=f"Performance surgery: {examined[0].title}",
            date=min(cycles[-1].end + datetime.timedelta(days=60), today - datetime.timedelta(days=1)),
            period=cycles[-1],
            chair=next(iter(people[Role.CHIEF_OFFICER].values())),
            action_plan="Extra staff from the corporate pool for six months; weekly monitoring by the head of service.",
            discussion="Members asked why performance fell and whether the target is still right.",
            outcome="Keep the target; the service reports progress to the next Performance Review Team.",
        )
        surgery.indicators.set(examined)
        follow_up = Action(
            description=f"Weekly figures for {examined[0].code} to the chief officer until it is back on target",
            owner=examined[0].responsible_officer or performance,
            due=surgery.date + datetime.timedelta(days=45),
            meeting=surgery,
            indicator=examined[0],
            raised_by=performance,
            raised_at=_at(surgery.date, today),
        )
        follow_up._history_user = performance
        follow_up.save()


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
    """Nearest neighbours' figures for the published quarterly indicators, last financial year."""
    year = periods.financial_year(today) - 1
    origin = periods.bounds(Frequency.YEAR, year - 1, 1)[0]
    quarters = list(Period.objects.filter(frequency=Frequency.QUARTER, year=year))
    values = []
    for indicator, spec in indicators:
        if not spec.published or spec.frequency != "quarterly" or spec.polarity == rag.NONE:
            continue
        rng = random.Random(f"fernley:benchmarks:{spec.code}")
        for quarter in quarters:
            elapsed = Decimal((quarter.end - origin).days) / Decimal("365.25")
            centre = _expected(spec, elapsed)
            for council in NEIGHBOURS:
                value = centre + Decimal(str(rng.gauss(0, 1.5))) * spec.noise
                value = max(min(value, Decimal(100)) if spec.unit == Unit.PERCENTAGE else value, Decimal(0))
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
