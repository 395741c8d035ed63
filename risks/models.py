"""Risk registers and the recommendations tracker, beside performance.

A risk sits on the corporate register (no directorate) or a directorate's register, and a
directorate risk escalated to the corporate register shows on both. Its scores are
likelihood times impact on the council's scoring matrix (RiskMatrix); its category carries
the council's appetite, the highest residual score the council accepts for that kind of risk.
"""

import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from indicators.models import Indicator
from organisation.models import Directorate
from plans.models import Plan, Priority
from reviews.models import Action

# The council's scoring matrix until the performance team records its own words.
DEFAULT_LIKELIHOOD_WORDS = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
DEFAULT_IMPACT_WORDS = ["Negligible", "Minor", "Moderate", "Major", "Severe"]
# A risk's owner reviews it every quarter: the next review is due this many months after one.
REVIEW_MONTHS = 3


class RiskMatrix(models.Model):
    """The council's scoring matrix: one row, the words of each step of its two scales
    (lowest first, one per line). Its size is the number of words: 5 by 5 by default."""

    likelihood_words = models.TextField(default="\n".join(DEFAULT_LIKELIHOOD_WORDS))
    impact_words = models.TextField(default="\n".join(DEFAULT_IMPACT_WORDS))
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "risk scoring matrix"
        verbose_name_plural = "risk scoring matrix"

    def __str__(self):
        return f"{len(self.likelihoods)} by {len(self.impacts)} scoring matrix"

    @classmethod
    def current(cls) -> "RiskMatrix":
        return cls.objects.first() or cls()

    @property
    def likelihoods(self) -> list[str]:
        return [word.strip() for word in self.likelihood_words.splitlines() if word.strip()]

    @property
    def impacts(self) -> list[str]:
        return [word.strip() for word in self.impact_words.splitlines() if word.strip()]

    @property
    def highest(self) -> int:
        return len(self.likelihoods) * len(self.impacts)


class RiskCategory(models.Model):
    """A kind of risk (strategic, operational, financial, compliance...) and the council's
    appetite for it."""

    name = models.CharField(max_length=100, unique=True)
    appetite = models.PositiveSmallIntegerField(
        help_text="The highest residual score (likelihood times impact) the council accepts for this kind of risk."
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "risk categories"
        ordering = ["name"]

    def __str__(self):
        return self.name


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    ESCALATED = "escalated", "Escalated to the corporate register"
    CLOSED = "closed", "Closed"


LIVE_STATUSES = (RiskStatus.OPEN, RiskStatus.ESCALATED)


class RiskQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def corporate(self):
        """The corporate register: corporate risks and those escalated to it, not closed."""
        return self.live().filter(models.Q(directorate__isnull=True) | models.Q(status=RiskStatus.ESCALATED))

    def review_overdue(self, today: datetime.date):
        return self.live().filter(review_due__lt=today)

    def above_appetite(self):
        return self.live().filter(residual_score__gt=models.F("category__appetite"))

    def rising(self):
        rose = models.Q(residual_score__gt=models.F("previous_residual_score"))
        return self.live().filter(rose, previous_residual_score__isnull=False)


class Risk(models.Model):
    title = models.CharField(max_length=300)
    cause = models.TextField(help_text="Because of…")
    event = models.TextField(help_text="…this may happen…")
    consequence = models.TextField(help_text="…which would lead to…")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks")
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="risks")
    directorate = models.ForeignKey(
        Directorate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        help_text="The directorate whose register holds the risk; none for a corporate risk.",
    )
    priorities = models.ManyToManyField(Priority, blank=True, related_name="risks")
    plans = models.ManyToManyField(Plan, blank=True, related_name="risks")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="risks")
    actions = models.ManyToManyField(Action, blank=True, related_name="risks")
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_impact = models.PositiveSmallIntegerField()
    # Stored so that registers filter and sort by them in the database.
    inherent_score = models.PositiveSmallIntegerField(editable=False)
    residual_score = models.PositiveSmallIntegerField(editable=False)
    previous_residual_score = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="The residual score before its latest change."
    )
    controls = models.TextField("controls in place", blank=True)
    target_score = models.PositiveSmallIntegerField()
    review_due = models.DateField("next review due")
    last_reviewed = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RiskStatus, default=RiskStatus.OPEN)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[priorities, plans, indicators, actions])
    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-residual_score", "title", "pk"]
        indexes = [models.Index(fields=["status", "review_due"], name="risk_status_review_idx")]

    def __str__(self):
        return self.title

    @property
    def reference(self) -> str:
        return f"R{self.pk:03d}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def is_review_overdue(self, today: datetime.date) -> bool:
        return self.is_live and self.review_due < today

    @property
    def above_appetite(self) -> bool:
        return self.is_live and self.residual_score > self.category.appetite

    @property
    def rising(self) -> bool:
        return self.previous_residual_score is not None and self.residual_score > self.previous_residual_score

    @property
    def register_name(self) -> str:
        return self.directorate.name if self.directorate_id else "Corporate"


class RiskReview(models.Model):
    """An owner's quarterly review: the residual scores and controls as they found them."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_impact = models.PositiveSmallIntegerField()
    residual_score = models.PositiveSmallIntegerField()
    controls = models.TextField(blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.risk} reviewed {self.date}"


# The recommendations tracker


class SourceKind(models.TextChoices):
    INTERNAL_AUDIT = "internal_audit", "Internal audit"
    EXTERNAL_AUDIT = "external_audit", "External audit"
    INSPECTION = "inspection", "Inspection"
    PEER_REVIEW = "peer_review", "Peer review"
    SCRUTINY_REVIEW = "scrutiny_review", "Scrutiny review"


class Source(models.Model):
    """A report whose recommendations the council tracks: an audit, an inspection (Ofsted,
    CQC), a peer review (the LGA) or a scrutiny review."""

    kind = models.CharField(max_length=20, choices=SourceKind)
    title = models.CharField(max_length=300, unique=True)
    author = models.CharField("by", max_length=200, help_text="Who made the review, such as Internal Audit or Ofsted.")
    date = models.DateField("date of the report")
    report = models.CharField(
        max_length=500, blank=True, help_text="Where the report can be read: its web address or reference."
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title"]

    def __str__(self):
        return self.title


class RecommendationPriority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Response(models.TextChoices):
    AWAITED = "awaited", "Response awaited"
    ACCEPTED = "accepted", "Accepted"
    PARTLY = "partly", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class RecommendationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    CLOSED = "closed", "Closed, not implemented"


OUTSTANDING = (RecommendationStatus.NOT_STARTED, RecommendationStatus.IN_PROGRESS)


class RecommendationQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        return self.filter(status__in=OUTSTANDING, due__lt=today)


class Recommendation(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(help_text="Its number in the report.")
    text = models.TextField("recommendation")
    priority = models.CharField(max_length=10, choices=RecommendationPriority)
    response = models.CharField("council's response", max_length=20, choices=Response, default=Response.AWAITED)
    reasons = models.TextField(blank=True, help_text="Why it is partly accepted or not accepted.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    actions = models.ManyToManyField(Action, blank=True, related_name="recommendations")
    due = models.DateField("due by", null=True, blank=True)
    status = models.CharField(max_length=20, choices=RecommendationStatus, default=RecommendationStatus.NOT_STARTED)
    evidence = models.TextField("evidence of completion", blank=True)
    completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[actions])
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="recommendation_number_unique_in_source")
        ]
        indexes = [models.Index(fields=["status", "due"], name="recommendation_status_due_idx")]

    def __str__(self):
        return f"{self.source}: recommendation {self.number}"

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_outstanding and self.due is not None and self.due < today
