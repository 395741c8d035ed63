from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indicators.models import Indicator
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


class Plan(models.Model):
    kind = models.CharField(max_length=20, choices=PlanKind)
    title = models.CharField(max_length=300)
    owner_service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="plans")
    owner_directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
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
    status = models.CharField(max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year", "kind", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(first_year__lte=models.F("last_year")), name="plan_years_in_order"),
        ]

    def __str__(self):
        return self.title


class Priority(models.Model):
    """An objective of a plan, measured by a basket of indicators."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="priorities")

    class Meta:
        verbose_name_plural = "priorities"
        ordering = ["plan", "position", "title"]

    def __str__(self):
        return self.title
