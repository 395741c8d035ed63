import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indicators.models import Indicator, Period
from indicators.periods import year_label
from organisation.models import Directorate, Service


class PlanKind(models.TextChoices):
    CORPORATE = "corporate", "Corporate plan"
    THEMATIC = "thematic", "Thematic improvement plan"
    SERVICE = "service", "Service business plan"
    PARTNERSHIP = "partnership", "Partnership plan (LAA/LSP)"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    QUALITY_ASSURED = "quality_assured", "Quality assured"
    SCRUTINY_REVIEW = "scrutiny_review", "Scrutiny review"
    APPROVED = "approved", "Approved"


def sign_off_deadline(first_year: int) -> datetime.date:
    """The date a service business plan starting in first_year must be approved by
    (PMIS_PLAN_SIGN_OFF_DEADLINE, 30 April by default)."""
    month, day = settings.PMIS_PLAN_SIGN_OFF_DEADLINE
    return datetime.date(first_year, month, day)


class PlanQuerySet(models.QuerySet):
    def late(self, today: datetime.date):
        """Service business plans not approved by their sign-off deadline: still unapproved
        after it, or approved after it."""
        rule = Q(pk__in=[])
        for year in self.filter(kind=PlanKind.SERVICE).values_list("first_year", flat=True).distinct().order_by():
            deadline = sign_off_deadline(year)
            if deadline >= today:
                continue
            rule |= Q(first_year=year) & (~Q(status=PlanStatus.APPROVED) | Q(approved_at__date__gt=deadline))
        return self.filter(rule, kind=PlanKind.SERVICE)


class Plan(models.Model):
    kind = models.CharField(max_length=20, choices=PlanKind)
    title = models.CharField(max_length=300)
    owner_service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="plans")
    owner_directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans_led",
        help_text="The officer who writes the plan and answers scrutiny's comments with its owner.",
    )
    first_year = models.PositiveSmallIntegerField(help_text="Starting year of the first financial year covered.")
    last_year = models.PositiveSmallIntegerField(help_text="Starting year of the last financial year covered.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The plan this one cascades from: service plan, thematic plan, corporate plan.",
    )
    partners = models.TextField(
        blank=True,
        help_text="A partnership plan's partner organisations, one a line (the police, the health trust).",
    )
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successor",
        help_text="The plan this one follows on from (rolled forward from), whose years it must not overlap.",
    )
    status = models.CharField(max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )
    quality_assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quality_assured_at = models.DateTimeField(null=True, blank=True)
    scrutiny_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scrutiny_started_at = models.DateTimeField(null=True, blank=True)
    # PROTECT: an approved plan must keep the name of who approved it.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The key business-plan targets the cabinet member monitors at their quarterly
    # Performance Review Team meeting (indicators from this plan's baskets).
    prt_indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="prt_plans", verbose_name="key targets monitored at the PRT"
    )
    prt_selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    prt_selected_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[prt_indicators])
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-first_year", "kind", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(first_year__lte=models.F("last_year")), name="plan_years_in_order"),
        ]

    def __str__(self):
        return self.title

    @property
    def years_label(self) -> str:
        """ "2025/26", or "2024/25 to 2027/28" for a plan of several years."""
        first = year_label(self.first_year)
        return first if self.last_year == self.first_year else f"{first} to {year_label(self.last_year)}"

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    @property
    def owner(self):
        """The owning service or directorate."""
        return self.owner_service or self.owner_directorate

    @property
    def sign_off_deadline(self) -> datetime.date | None:
        return sign_off_deadline(self.first_year) if self.kind == PlanKind.SERVICE else None

    def is_late(self, today: datetime.date) -> bool:
        deadline = self.sign_off_deadline
        if deadline is None or deadline >= today:
            return False
        if self.status != PlanStatus.APPROVED:
            return True
        return self.approved_at.date() > deadline

    def owner_ids(self) -> set[int]:
        """Who owns the plan: its lead officer, the owning service's manager or the owning
        directorate's director. Needs owner_service and owner_directorate loaded."""
        ids = {self.lead_officer_id}
        if self.owner_service_id:
            ids.add(self.owner_service.manager_id)
        if self.owner_directorate_id:
            ids.add(self.owner_directorate.director_id)
        return ids - {None}


class Priority(models.Model):
    """An objective of a plan, measured by a basket of indicators."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities_led",
        help_text="The officer who leads the work on this priority.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="priorities")
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        verbose_name_plural = "priorities"
        ordering = ["plan", "position", "title"]

    def __str__(self):
        return self.title


class ScrutinyComment(models.Model):
    """A scrutiny member's comment on a plan under scrutiny review, and the owner's answer."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="scrutiny_comments")
    text = models.TextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "made_at", "pk"]

    def __str__(self):
        return f"{self.plan}: comment by {self.made_by}"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        """Milestones past their due date and not complete."""
        return self.filter(due__lt=today).exclude(status=MilestoneStatus.COMPLETE)


class Milestone(models.Model):
    """A dated deliverable of a priority. Its status and percent complete are those of its
    latest quarterly update."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones"
    )
    due = models.DateField()
    status = models.CharField(max_length=20, choices=MilestoneStatus, default=MilestoneStatus.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "due", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="milestone_percent_max_100"),
        ]
        indexes = [
            # Overdue milestones: due before today and not complete.
            models.Index(fields=["due", "status"], name="milestone_due_status_idx"),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due < today and self.status != MilestoneStatus.COMPLETE


class MilestoneUpdate(models.Model):
    """The quarter's progress report on a milestone: one per milestone and quarter."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    percent_complete = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    status = models.CharField(max_length=20, choices=MilestoneStatus)
    comment = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone", "period__end"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "period"], name="milestone_update_once_per_period"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="milestone_update_percent_max_100"),
        ]

    def __str__(self):
        return f"{self.milestone} {self.period}"


class Objective(models.Model):
    """A member of staff's appraisal objective, linked to the service or corporate target
    (indicator) it contributes to."""

    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="objectives")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="objectives")
    year = models.PositiveSmallIntegerField(help_text="Starting year of the financial year of the appraisal.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "owner__last_name", "pk"]

    def __str__(self):
        return f"{self.owner}: {self.text[:60]}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)


# The default composite rule of docs/domain.md, used until the performance team records a policy.
DEFAULT_GREEN_FROM = Decimal("1.5")
DEFAULT_AMBER_FROM = Decimal("1.0")


class CompositePolicy(models.Model):
    """The thresholds of the composite rule, set by the performance team from a period on.

    Each basket indicator scores Green 2, Amber 1, Red 0; the composite is Green when the
    mean score is at least green_from, Amber when at least amber_from, else Red. Like the
    tolerance policy, a policy is never edited: a change is a new policy.
    """

    green_from = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(2))],
        help_text="Mean score (Green 2, Amber 1, Red 0) from which a priority is Green.",
    )
    amber_from = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(2))],
        help_text="Mean score from which a priority is Amber (below it, Red).",
    )
    reason = models.TextField(help_text="Why the council set these thresholds.")
    effective_from = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Composites of periods starting on or after this period's start use this policy.",
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "composite policies"
        ordering = ["-effective_from__start", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_from__gte=0, green_from__lte=2, amber_from__lte=models.F("green_from")),
                name="composite_thresholds_in_order",
            ),
        ]

    def __str__(self):
        return f"Green from {self.green_from}, Amber from {self.amber_from}, from {self.effective_from}"
