import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation.models import Portfolio, Service

from . import forecast, periods, rag, spc
from .shown import ShownRating, shown_rating

VALUE = {"max_digits": 18, "decimal_places": 4}


def percent(fraction: Decimal) -> str:
    """A fraction as a percentage without trailing zeros: Decimal("0.0500") is "5%"."""
    return f"{(fraction * 100).normalize():f}%"


class Frequency(models.TextChoices):
    MONTH = periods.MONTH, "Monthly"
    QUARTER = periods.QUARTER, "Quarterly"
    YEAR = periods.YEAR, "Annual"


class PeriodFrequency(models.TextChoices):
    """What a period is: an indicator's frequency, or several years (benchmarks only)."""

    MONTH = periods.MONTH, "Monthly"
    QUARTER = periods.QUARTER, "Quarterly"
    YEAR = periods.YEAR, "Annual"
    YEARS = periods.YEARS, "Several years"


class PeriodQuerySet(models.QuerySet):
    def get_by_label(self, text: str) -> "Period":
        frequency, year, number = periods.parse_label(text)
        return self.get(frequency=frequency, year=year, number=number)

    def ended_on(self, day: datetime.date) -> "PeriodQuerySet":
        """Periods that ended before day, the latest first."""
        return self.filter(end__lt=day).order_by("-end", "start")

    def overdue_on(self, day: datetime.date) -> "PeriodQuerySet":
        """Periods whose returns are overdue on day (Period.is_overdue)."""
        return self.filter(due__lt=day)

    def current_on(self, day: datetime.date) -> dict[str, "Period"]:
        """For each frequency, the current period on day: the latest ending on or before it,
        what an indicator of that frequency reports for a period ending on day. One query."""
        current: dict[str, Period] = {}
        for candidate in self.filter(end__lte=day).order_by("end", "-start"):
            current[candidate.frequency] = candidate
        return current


class Period(models.Model):
    """A collection period: a month, quarter or whole financial year; or several years, for
    benchmarks published over a span of years ("2019-21", number being the years)."""

    frequency = models.CharField(max_length=10, choices=PeriodFrequency)
    year = models.PositiveSmallIntegerField(help_text="Starting year of the financial year: 2025 for 2025/26.")
    number = models.PositiveSmallIntegerField(help_text="Month 1 (April) to 12, quarter 1 to 4, or 1 for the year.")
    start = models.DateField()
    end = models.DateField()
    due = models.DateField(help_text="Returns for this period are due by the end of this day.")
    locked_at = models.DateTimeField(
        null=True, blank=True, help_text="Once locked, only the performance team can amend this period's figures."
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["end", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["frequency", "year", "number"], name="period_unique"),
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="period_starts_before_end"),
            models.CheckConstraint(condition=Q(due__gte=models.F("end")), name="period_due_after_end"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return periods.label(self.frequency, self.year, self.number)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def return_status(self, day: datetime.date) -> str:
        """Where a return for this period not yet made stands on day (periods.return_status)."""
        return periods.return_status(self.end, self.due, day)

    def is_overdue(self, day: datetime.date) -> bool:
        """A return for this period not made by day is overdue: its due day has passed."""
        return self.return_status(day) == periods.OVERDUE


def quarter_to_report(quarters: Iterable[Period], outturns: "models.QuerySet[Outturn]") -> Period | None:
    """The default period of a scorecard page: of quarters (those ended), the latest holding
    one of outturns (a month's or a year's figure counts for the quarter it ends in), else
    the latest; None without quarters. One query."""
    quarters = sorted(quarters, key=lambda q: q.end)
    if not quarters:
        return None
    latest = outturns.filter(period__end__lte=quarters[-1].end).aggregate(end=models.Max("period__end"))["end"]
    if latest is not None:
        containing = [q for q in quarters if q.start <= latest <= q.end]
        if containing:
            return containing[-1]
    return quarters[-1]


class ToleranceMode(models.TextChoices):
    RELATIVE = rag.RELATIVE, "A percentage of the target"
    ABSOLUTE = rag.ABSOLUTE, "Points in the indicator's unit"


class TolerancePolicyQuerySet(models.QuerySet):
    def timeline(self) -> "TolerancePolicyQuerySet":
        """Newest first, as the rating rule reads them: by the start of the period each takes
        effect from (the installation policy, from the first period, last), then of two
        policies for one period the one recorded later first. One query."""
        return self.select_related("effective_from", "set_by").order_by(
            models.F("effective_from__start").desc(nulls_last=True), "-created_at", "-pk"
        )

    def in_force_on(self, day: datetime.date) -> "TolerancePolicy":
        """The corporate policy that rates a period starting on day. One query."""
        in_force = self.timeline().filter(Q(effective_from__isnull=True) | Q(effective_from__start__lte=day))
        return policy_in_force(in_force[:1], day)


def policy_in_force(timeline: Iterable["TolerancePolicy"], day: datetime.date) -> "TolerancePolicy":
    """The newest policy in force on day, from policies newest first (TolerancePolicy.objects.timeline()).

    Every period is covered by the installation policy, recorded by a data migration; the
    database has none only if it was emptied.
    """
    for policy in timeline:
        if policy.since is None or policy.since <= day:
            return policy
    raise TolerancePolicy.DoesNotExist(f"No tolerance policy is in force on {day}: the installation policy is missing.")


class TolerancePolicy(models.Model):
    """The corporate tolerance, set by the performance team from a period onwards.

    Policies are never edited: a change is a new policy, so the history of what applied
    when (and why) is the list of policies itself. The first, recorded at installation,
    applies from the first period and has no author.
    """

    tolerance = models.DecimalField(
        max_digits=18,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Relative: a fraction of the target (0.05 is 5%), at most 1. Absolute: points, an amount in "
        "each indicator's own unit.",
    )
    mode = models.CharField(
        max_length=10,
        choices=ToleranceMode,
        default=ToleranceMode.RELATIVE,
        help_text="A percentage of each target, or points in each indicator's own unit.",
    )
    reason = models.TextField(help_text="Why the council set this tolerance.")
    effective_from = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="Ratings of periods starting on or after this period's start use this policy "
        "(empty only for the installation policy, which applies from the first period).",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="Empty only for the installation policy.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = TolerancePolicyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "tolerance policies"
        ordering = [models.F("effective_from__start").desc(nulls_last=True), "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tolerance__gte=0) & (Q(mode=ToleranceMode.ABSOLUTE) | Q(tolerance__lte=1)),
                name="tolerance_relative_is_a_fraction",
            ),
        ]

    def __str__(self):
        return f"{self.tolerance_text} from {self.effective_from_label}"

    @property
    def since(self) -> datetime.date | None:
        """The start of the first period this policy rates; None for the installation policy."""
        return self.effective_from.start if self.effective_from_id else None

    def band(self, target: Decimal) -> Decimal:
        """How far from target a figure may be and be Amber rather than Red."""
        return self.tolerance if self.mode == ToleranceMode.ABSOLUTE else abs(target) * self.tolerance

    @property
    def tolerance_text(self) -> str:
        """The tolerance in words: "5% of the target" or "2 points"."""
        if self.mode == ToleranceMode.ABSOLUTE:
            amount = f"{self.tolerance.normalize():f}"
            return f"{amount} point" if self.tolerance == 1 else f"{amount} points"
        return f"{percent(self.tolerance)} of the target"

    @property
    def effective_from_label(self) -> str:
        return self.effective_from.label if self.effective_from_id else "the first period"


class Kind(models.TextChoices):
    NATIONAL = "national", "National"
    LOCAL = "local", "Local"
    PROXY = "proxy", "Local/proxy"


class Unit(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    NUMBER = "number", "Number"
    CURRENCY = "currency", "Currency (£)"
    DAYS = "days", "Days"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
    RATE_PER_10000 = "rate_per_10000", "Rate per 10,000"
    RATE_PER_100000 = "rate_per_100000", "Rate per 100,000"
    RATIO = "ratio", "Ratio"


# A figure with a numerator and denominator is numerator / denominator x the unit's scale.
# Year-to-date and aggregate figures are formed from numerators and denominators, never
# by averaging; without them only the additive units can be summed.
SCALE = {
    Unit.PERCENTAGE: Decimal(100),
    Unit.RATE_PER_1000: Decimal(1000),
    Unit.RATE_PER_10000: Decimal(10000),
    Unit.RATE_PER_100000: Decimal(100000),
}
# What follows a rate's figure: "12.5 per 1,000".
RATE_WORDS = {
    Unit.RATE_PER_1000: "per 1,000",
    Unit.RATE_PER_10000: "per 10,000",
    Unit.RATE_PER_100000: "per 100,000",
}
ADDITIVE_UNITS = {Unit.NUMBER, Unit.CURRENCY, Unit.DAYS}


class Polarity(models.TextChoices):
    HIGHER = rag.HIGHER, "Higher is better"
    LOWER = rag.LOWER, "Lower is better"
    NONE = rag.NONE, "None (data only)"


class EntryBasis(models.TextChoices):
    PERIOD = "period", "Each period's own figure"
    YEAR_TO_DATE = "year_to_date", "The year-to-date figure"


def collecting(period: Period, prefix: str = "") -> Q:
    """Indicators that collect a figure for period: it is not before their collected-from
    period nor after their retired-after period (the rule of Indicator.collects)."""
    return (
        Q(**{f"{prefix}collected_from__isnull": True}) | Q(**{f"{prefix}collected_from__start__lte": period.start})
    ) & (Q(**{f"{prefix}retired_after__isnull": True}) | Q(**{f"{prefix}retired_after__end__gte": period.end}))


class IndicatorQuerySet(models.QuerySet):
    def collected(self):
        """Indicators the council collects (not reference-only national entries)."""
        return self.filter(is_collected=True)

    def collected_in(self, period: Period):
        """Collected indicators whose figure for period is expected (Indicator.collects)."""
        return self.collected().filter(collecting(period))

    def collected_during(self, start: datetime.date, end: datetime.date):
        """Collected indicators that collect a figure for some period between start and end
        (a financial year): collected from before its end, not retired before its start."""
        return self.collected().filter(
            (Q(collected_from__isnull=True) | Q(collected_from__start__lte=end))
            & (Q(retired_after__isnull=True) | Q(retired_after__end__gte=start))
        )

    def published(self):
        """Indicators shown to the public: published and collected (Indicator.is_public)."""
        return self.filter(is_published=True, is_collected=True)

    def with_latest_rating(self):
        """Annotate the rating of each indicator's most recent outturn, in the same query:
        latest_rag, latest_value (the figure rated) and latest_frequency, latest_year and
        latest_number (its period)."""
        latest = Rating.objects.filter(outturn__indicator=models.OuterRef("pk")).order_by("-outturn__period__end")
        fields = {
            "latest_rag": "rag",
            "latest_value": "actual",
            "latest_frequency": "outturn__period__frequency",
            "latest_year": "outturn__period__year",
            "latest_number": "outturn__period__number",
        }
        return self.annotate(**{name: models.Subquery(latest.values(field)[:1]) for name, field in fields.items()})


class Indicator(models.Model):
    code = models.CharField(max_length=30, unique=True, help_text='For example "NI 192" or "LPI 014".')
    title = models.CharField(max_length=400)
    description = models.TextField(blank=True, help_text="Plain English, for residents.")
    definition = models.TextField(blank=True, help_text="How the figure is calculated.")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.LOCAL)
    national_indicator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": Kind.NATIONAL},
        related_name="proxies",
        help_text="For a local/proxy indicator: the national indicator it stands in for.",
    )
    unit = models.CharField(max_length=20, choices=Unit, default=Unit.NUMBER)
    decimal_places = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(4)])
    polarity = models.CharField(max_length=10, choices=Polarity, default=Polarity.NONE)
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.QUARTER)
    is_cumulative = models.BooleanField(
        "cumulative",
        default=False,
        help_text="Accumulates over the financial year: targets are a year-to-date profile and "
        "outturns are rated year to date.",
    )
    data_source = models.CharField(max_length=300, blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators")
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    is_collected = models.BooleanField(
        "collected",
        default=True,
        help_text="Off for national indicators kept only for reference (and proxy links).",
    )
    is_published = models.BooleanField("published", default=False, help_text="Shown to the public.")
    baseline = models.DecimalField(**VALUE, null=True, blank=True)
    baseline_year = models.CharField(max_length=7, blank=True, help_text="For example 2007/08.")
    tolerance = models.DecimalField(
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Overrides the corporate tolerance for this indicator.",
    )
    tolerance_mode = models.CharField(max_length=10, choices=ToleranceMode, blank=True)
    entry_basis = models.CharField(
        max_length=20,
        choices=EntryBasis,
        default=EntryBasis.PERIOD,
        help_text="For a cumulative indicator, what officers enter: each period's own figure or the year to "
        "date. The figure is kept as entered; PMIS works out the other and rates the year to date.",
    )
    allows_negative = models.BooleanField(
        "a negative figure is possible", default=False, help_text="For example a budget variance or a net change."
    )
    collected_from = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The first period a figure is due for: none is due, overdue or expected before it.",
    )
    retired_after = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The last period a figure is collected for. The indicator and its history are kept.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=Kind.PROXY, national_indicator__isnull=False)
                | (~Q(kind=Kind.PROXY) & Q(national_indicator__isnull=True)),
                name="indicator_proxy_links_national",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__isnull=True, tolerance_mode="") | (Q(tolerance__gte=0) & ~Q(tolerance_mode="")),
                name="indicator_tolerance_has_mode",
            ),
            models.CheckConstraint(
                condition=~Q(tolerance_mode=ToleranceMode.RELATIVE) | Q(tolerance__lte=1),
                name="indicator_relative_tolerance_max_1",
            ),
            models.CheckConstraint(condition=Q(decimal_places__lte=4), name="indicator_decimal_places_max_4"),
            models.CheckConstraint(
                condition=Q(entry_basis=EntryBasis.PERIOD) | Q(is_cumulative=True),
                name="indicator_year_to_date_entry_is_cumulative",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        errors = {}
        if self.kind == Kind.PROXY and not self.national_indicator_id:
            errors["national_indicator"] = "A local/proxy indicator must name the national indicator it stands in for."
        if self.kind != Kind.PROXY and self.national_indicator_id:
            errors["national_indicator"] = "Only a local/proxy indicator links to a national indicator."
        if self.national_indicator_id and self.national_indicator.kind != Kind.NATIONAL:
            errors["national_indicator"] = "The linked indicator must be a national indicator."
        if (self.tolerance is None) != (not self.tolerance_mode):
            errors["tolerance_mode"] = "Give both a tolerance override and its mode, or neither."
        elif self.tolerance_mode == ToleranceMode.RELATIVE and self.tolerance > 1:
            errors["tolerance"] = "A tolerance cannot be more than 100% of the target."
        if self.entry_basis == EntryBasis.YEAR_TO_DATE and not self.is_cumulative:
            errors["entry_basis"] = "Only a cumulative indicator can have its figures entered year to date."
        if self.collected_from_id and self.retired_after_id and self.retired_after.end < self.collected_from.start:
            errors["retired_after"] = (
                f"The period it is retired after ({self.retired_after}) must not be before the period it is "
                f"collected from ({self.collected_from})."
            )
        if errors:
            raise ValidationError(errors)

    def collects(self, period: Period) -> bool:
        """A figure is due (and expected) for period: it is not before the collected-from
        period nor after the retired-after period."""
        return periods.collects(
            period.start,
            period.end,
            self.collected_from.start if self.collected_from_id else None,
            self.retired_after.end if self.retired_after_id else None,
        )

    def return_status(self, period: Period, day: datetime.date) -> str:
        """Where this indicator's missing return for period stands on day: not collected
        outside its collected-from and retired-after periods, else as Period.return_status."""
        return period.return_status(day) if self.collects(period) else periods.NOT_COLLECTED

    @property
    def is_public(self) -> bool:
        """Shown to the public: the rule of IndicatorQuerySet.published() for one indicator."""
        return self.is_published and self.is_collected

    @property
    def scale(self) -> Decimal:
        return SCALE.get(self.unit, Decimal(1))

    def quantize(self, value: Decimal) -> Decimal:
        """Round a computed figure to this indicator's decimal places, halves away from zero."""
        return value.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)

    def format_value(self, value: Decimal | None) -> str:
        """A figure in this indicator's unit and decimal places: "95.2%", "£1,234", "12 days"."""
        return format_figure(value, self.unit, self.decimal_places)

    def tolerance_words(self, tolerance: Decimal, mode: str) -> str:
        return tolerance_words(tolerance, mode, self.unit, self.decimal_places)


def tolerance_words(tolerance: Decimal, mode: str, unit: str, decimal_places: int) -> str:
    """A tolerance in words for an indicator's unit: "5% of the target", "2.0 percentage
    points either side of the target", "£500 either side of the target"."""
    if mode == ToleranceMode.RELATIVE:
        return f"{percent(tolerance)} of the target"
    if unit == Unit.PERCENTAGE:
        amount = f"{tolerance:,.{decimal_places}f} percentage points"
    else:
        amount = format_figure(tolerance, unit, decimal_places)
    return f"{amount} either side of the target"


def format_figure(value: Decimal | None, unit: str, decimal_places: int) -> str:
    """A figure in a unit with a number of decimal places: "95.2%", "£1,234", "12 days"."""
    if value is None:
        return "not available"
    number = f"{value:,.{decimal_places}f}"
    if unit == Unit.PERCENTAGE:
        return f"{number}%"
    if unit == Unit.CURRENCY:
        return f"-£{number[1:]}" if number.startswith("-") else f"£{number}"
    if unit == Unit.DAYS:
        return f"{number} day" if value == 1 else f"{number} days"
    if unit in RATE_WORDS:
        return f"{number} {RATE_WORDS[unit]}"
    return number


class TargetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed"
    QUALITY_ASSURED = "quality_assured", "Quality assured"
    SIGNED_OFF = "signed_off", "Signed off"


class Target(models.Model):
    """The target for one indicator and period (the year period holds the annual target).

    Changing the value of a signed-off target starts a new revision, back in draft; the
    signed-off revision stays in the history.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(**VALUE)
    rationale = models.TextField(blank=True, help_text="Why this level: trend, benchmark, resources.")
    status = models.CharField(max_length=20, choices=TargetStatus, default=TargetStatus.DRAFT)
    revision = models.PositiveIntegerField(default=1)
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )
    return_comment = models.TextField(blank=True, help_text="Why the target was sent back to draft.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    quality_assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quality_assured_at = models.DateTimeField(null=True, blank=True)
    # PROTECT: a signed-off target must keep the name of who signed it off.
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "period__end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_unique_per_period"),
            models.CheckConstraint(
                condition=~Q(status=TargetStatus.SIGNED_OFF)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="target_sign_off_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period}: {self.value}"


class Profile(models.TextChoices):
    """How a year's annual target is spread over its periods."""

    EVEN = "even", "Evenly"
    LAST_YEAR = "last_year", "Shaped like last year's figures"
    BY_HAND = "by_hand", "By hand"


def target_sign_off_deadline(year: int) -> datetime.date:
    """The day a financial year's targets must be signed off by
    (PMIS_TARGET_SIGN_OFF_DEADLINE, 30 April of the year's start by default)."""
    month, day = settings.PMIS_TARGET_SIGN_OFF_DEADLINE
    return datetime.date(year, month, day)


class TargetYear(models.Model):
    """An indicator's targets for a financial year as one decision: the annual target and its
    profile over the year's periods, with the rationale. Proposed, quality-assured and
    signed off once; its period targets (Target rows, which ratings read) follow its status.

    An in-year change to a signed-off year is a new revision, with a reason, needing sign-off
    again; the history keeps every revision.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="target_years")
    year = models.PositiveSmallIntegerField(help_text="Starting year of the financial year.")
    profile = models.CharField(max_length=20, choices=Profile, default=Profile.EVEN)
    rationale = models.TextField(
        blank=True, help_text="Why this level: the trend, benchmarks, resources and the ambition."
    )
    status = models.CharField(max_length=20, choices=TargetStatus, default=TargetStatus.DRAFT)
    revision = models.PositiveIntegerField(default=1)
    change_reason = models.TextField(blank=True, help_text="Why a signed-off year was changed (revision 2 on).")
    return_comment = models.TextField(blank=True, help_text="Why the year's targets were sent back to draft.")
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    quality_assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quality_assured_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # When the year's first revision was signed off: against the deadline, a later revision
    # does not make a year late.
    first_signed_off_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_year_unique"),
            models.CheckConstraint(
                condition=~Q(status=TargetStatus.SIGNED_OFF)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="target_year_sign_off_recorded",
            ),
        ]
        indexes = [
            # The sign-off and quality-assurance pages: a status's years of one financial year.
            models.Index(fields=["year", "status"], name="target_year_status"),
        ]

    def __str__(self):
        return f"{self.indicator.code} targets for {periods.year_label(self.year)}"

    @property
    def year_label(self) -> str:
        return periods.year_label(self.year)

    def is_late(self, today: datetime.date) -> bool:
        """Not signed off by the council's deadline for the year (which has passed)."""
        deadline = target_sign_off_deadline(self.year)
        if today <= deadline:
            return False
        return self.first_signed_off_at is None or timezone.localdate(self.first_signed_off_at) > deadline


class OutturnState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    VALIDATED = "validated", "Validated"


class OutturnQuerySet(models.QuerySet):
    def of_published_indicators(self):
        """Figures of published indicators, in any state: the public pages say a period's
        figure is not yet validated (never what it is) until it is."""
        return self.filter(indicator__is_published=True, indicator__is_collected=True)

    def published(self):
        """Figures the public sees: validated figures of published indicators."""
        return self.of_published_indicators().filter(state=OutturnState.VALIDATED)


class Outturn(models.Model):
    """The figure reported for one indicator and period.

    The figure is kept as entered: for a cumulative indicator entered per period the value
    is the period's own figure, and the year to date is formed from the year's figures when
    the outturn is rated; entered year to date, the value is the year to date, and the
    period's own figure is derived from it (indicators.year_to_date).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="outturns")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="outturns")
    value = models.DecimalField(**VALUE, null=True, blank=True)
    numerator = models.DecimalField(**VALUE, null=True, blank=True)
    denominator = models.DecimalField(**VALUE, null=True, blank=True)
    not_available_reason = models.TextField(
        blank=True, help_text="Why there is no figure. Record this instead of a value, never a zero."
    )
    commentary = models.TextField(blank=True)
    commentary_is_public = models.BooleanField(
        "commentary is public",
        default=False,
        help_text="Show the commentary on the public pages once the figure is validated; otherwise it stays internal.",
    )
    state = models.CharField(max_length=20, choices=OutturnState, default=OutturnState.DRAFT)
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )
    return_comment = models.TextField(blank=True, help_text="Why the performance team sent the return back.")
    amendment_reason = models.TextField(
        blank=True, help_text="Why the performance team amended the figure after its period was locked."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = OutturnQuerySet.as_manager()

    class Meta:
        ordering = ["indicator__code", "period__end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="outturn_unique_per_period"),
            models.CheckConstraint(
                condition=Q(value__isnull=False, not_available_reason="")
                | (
                    Q(value__isnull=True, numerator__isnull=True, denominator__isnull=True)
                    & ~Q(not_available_reason="")
                ),
                name="outturn_value_or_reason",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__gt=0),
                name="outturn_numerator_with_positive_denominator",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period}"

    @property
    def is_submittable(self) -> bool:
        """Its officer may submit it: a draft, or a figure sent back to them."""
        return self.state in (OutturnState.DRAFT, OutturnState.RETURNED)

    @property
    def is_late(self) -> bool:
        """Submitted after the period's due date (a return not yet submitted is not late but overdue)."""
        if self.submitted_at is None:
            return False
        return timezone.localdate(self.submitted_at) > self.period.due


class Rag(models.TextChoices):
    GREEN = rag.GREEN, "Green"
    AMBER = rag.AMBER, "Amber"
    RED = rag.RED, "Red"
    NO_TARGET = rag.NO_TARGET, "No target"
    DATA_ONLY = rag.DATA_ONLY, "Data only"
    NOT_AVAILABLE = rag.NOT_AVAILABLE, "Not available"
    INCOMPLETE = rag.INCOMPLETE, "Year to date incomplete"


class Travel(models.TextChoices):
    IMPROVING = rag.IMPROVING, "Improving"
    WORSENING = rag.WORSENING, "Worsening"
    UNCHANGED = rag.UNCHANGED, "Unchanged"


class Variation(models.TextChoices):
    COMMON_CAUSE = spc.COMMON_CAUSE, "Common cause"
    IMPROVEMENT_HIGH = spc.IMPROVEMENT_HIGH, "Improvement (high)"
    IMPROVEMENT_LOW = spc.IMPROVEMENT_LOW, "Improvement (low)"
    CONCERN_HIGH = spc.CONCERN_HIGH, "Concern (high)"
    CONCERN_LOW = spc.CONCERN_LOW, "Concern (low)"
    NEUTRAL_HIGH = spc.NEUTRAL_HIGH, "Unusually high"
    NEUTRAL_LOW = spc.NEUTRAL_LOW, "Unusually low"


class Assurance(models.TextChoices):
    PASS = spc.PASS, "Consistently passes"
    HIT_AND_MISS = spc.HIT_AND_MISS, "Hit and miss"
    FAIL = spc.FAIL, "Consistently fails"


class ForecastMethod(models.TextChoices):
    PACE = forecast.PACE, "Pace so far"
    SHARE = forecast.SHARE, "Share of the year in earlier years"


class SpcBaseline(models.Model):
    """The periods whose figures set an indicator's process limits, fixed by the performance
    team (for example after a known change in the service). Without one, the limits come
    from every figure up to the one being judged. Resetting deletes it; the history keeps it.
    """

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="spc_baseline")
    first_period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    last_period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="Why the limits are fixed on these periods.")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "SPC baseline"

    def __str__(self):
        return f"{self.indicator.code}: {self.first_period} to {self.last_period}"


class RatingQuerySet(models.QuerySet):
    def with_target_status(self):
        """Each rating with the status of its outturn's period's target (target_status, None
        without one): what Rating.shown needs to say a rating is provisional, read in the
        same query."""
        return self.annotate(
            target_status=models.Subquery(
                Target.objects.filter(
                    indicator_id=models.OuterRef("outturn__indicator_id"),
                    period_id=models.OuterRef("outturn__period_id"),
                ).values("status")[:1]
            )
        )


class Rating(models.Model):
    """The stored rating of an outturn: what was compared, against what, with which tolerance.

    Written only by indicators.services (when an outturn or target is saved, and by the
    bulk recalculation when a tolerance policy changes).
    """

    outturn = models.OneToOneField(Outturn, on_delete=models.CASCADE, primary_key=True, related_name="rating")
    rag = models.CharField(max_length=20, choices=Rag)
    actual = models.DecimalField(
        **VALUE, null=True, blank=True, help_text="The figure rated: year to date for a cumulative indicator."
    )
    target = models.DecimalField(**VALUE, null=True, blank=True)
    tolerance = models.DecimalField(max_digits=18, decimal_places=4)
    tolerance_mode = models.CharField(max_length=10, choices=ToleranceMode)
    policy = models.ForeignKey(
        TolerancePolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        help_text="The corporate policy used; empty when the indicator overrides it.",
    )
    travel_previous = models.CharField("direction since previous period", max_length=10, choices=Travel, blank=True)
    travel_last_year = models.CharField(
        "direction since same period last year", max_length=10, choices=Travel, blank=True
    )
    rated_at = models.DateTimeField()
    # Statistical process control of the period's own figure, as known when it was reported
    # (indicators/spc.py), and for a cumulative indicator the year-end forecast
    # (indicators/forecast.py). Blank or null when there is not enough history.
    variation = models.CharField(max_length=20, choices=Variation, blank=True)
    assurance = models.CharField(max_length=20, choices=Assurance, blank=True)
    forecast = models.DecimalField(
        "year-end forecast", **VALUE, null=True, blank=True, help_text="Cumulative indicators, before year end."
    )
    forecast_target = models.DecimalField("annual target", **VALUE, null=True, blank=True)
    forecast_method = models.CharField(max_length=10, choices=ForecastMethod, blank=True)
    likely_to_miss = models.BooleanField(
        default=False, help_text="The forecast is outside tolerance of the annual target."
    )
    # The performance team's override (for example while a figure is provisional). Never
    # touched by re-rating: the computed status above stays visible beside it.
    override_rag = models.CharField("overriding rating", max_length=20, choices=Rag, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        indexes = [
            # Scorecards and exception reports count and filter ratings by status.
            models.Index(fields=["rag"], name="rating_rag_idx"),
            # The public pages' data version reads the latest rated_at on every request.
            models.Index(fields=["rated_at"], name="rating_rated_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(likely_to_miss=True) | Q(forecast__isnull=False, forecast_target__isnull=False),
                name="rating_likely_to_miss_has_forecast",
            ),
        ]

    def __str__(self):
        return f"{self.outturn}: {self.get_rag_display()}"

    @property
    def shown_rag(self) -> str:
        """The status to show: the override when there is one, else the computed rating."""
        return self.override_rag or self.rag

    @property
    def shown_label(self) -> str:
        return Rag(self.shown_rag).label

    @property
    def shown(self) -> ShownRating:
        """The rating as every page shows it inside PMIS (indicators.shown): provisional when
        its target is not signed off, overridden with the computed rating kept. Reads the
        target's status annotated by RatingQuerySet.with_target_status(), else one query."""
        if not hasattr(self, "target_status"):
            self.target_status = (
                Target.objects.filter(indicator_id=self.outturn.indicator_id, period_id=self.outturn.period_id)
                .values_list("status", flat=True)
                .first()
            )
        return shown_rating(
            rag_computed=self.rag,
            override=self.override_rag,
            target_signed_off=self.target_status == TargetStatus.SIGNED_OFF,
        )


class BenchmarkValue(models.Model):
    """Another council's figure for an indicator and period, for benchmarking.

    Values come in groups (for example "CIPFA nearest neighbours"); the indicator page
    places the council's own figure in its group's quartiles.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmark_values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=100, help_text='For example "CIPFA nearest neighbours".')
    council = models.CharField(max_length=200)
    value = models.DecimalField(**VALUE)

    class Meta:
        ordering = ["indicator", "period__end", "group", "council"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "group", "council"], name="benchmark_value_unique"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period} {self.council}: {self.value}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class IndicatorProposal(models.Model):
    """A service manager's proposal of a new local indicator for their service, or of a
    change to one of its indicators. The definition goes live only when the performance
    team approves it; both steps are recorded (who and when, and the history)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        help_text="The indicator to change; empty for a new indicator (set once it is approved).",
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="indicator_proposals")
    title = models.CharField(max_length=400, help_text="The indicator's code and title as proposed.")
    data = models.JSONField(help_text="The definition as proposed, as the definition form reads it.")
    reason = models.TextField(help_text="Why the service proposes it.")
    status = models.CharField(max_length=10, choices=ProposalStatus, default=ProposalStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="Why it was declined.")
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]

    def __str__(self):
        return f"{'Change to' if self.indicator_id else 'New indicator'} {self.title}"


class CollectionYear(models.Model):
    """The performance team's confirmation, when starting a financial year, of the
    indicators to collect in it (the "Start the year" task list)."""

    year = models.PositiveSmallIntegerField(unique=True, help_text="Starting year of the financial year.")
    indicators = models.PositiveIntegerField(help_text="How many indicators were to be collected when confirmed.")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    history = HistoricalRecords()

    def __str__(self):
        return f"Indicators to collect in {periods.year_label(self.year)}"


class ChartNote(models.Model):
    """A note on an indicator's figure for a period ("new system went live"), shown on its
    chart and in its table (indicators/chart_notes.py)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="chart_notes")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="chart_note_one_per_period")]

    def __str__(self):
        return f"{self.indicator.code}, {self.period.label}: {self.text}"
