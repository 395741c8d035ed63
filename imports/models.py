from django.conf import settings
from django.db import models
from django.utils import timezone

from indicators.models import Indicator


class CodeAlias(models.Model):
    """Another way a file writes an indicator's code ("ENV01a" for "ENV1a").

    Recorded by the performance team (in the framework file or the admin); imports match a
    code or an alias ignoring case and spacing, never by guessing.
    """

    alias = models.CharField(max_length=60, unique=True, help_text="Exactly as files write it, e.g. ENV 01a.")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "code aliases"

    def __str__(self):
        return f"{self.alias} = {self.indicator.code}"


class Kind(models.TextChoices):
    RETURNS = "returns", "Returns (figures)"
    FRAMEWORK = "framework", "Indicator definitions and targets"
    BENCHMARKS = "benchmarks", "Benchmarks"
    BUDGET = "budget", "Budget monitoring"
    RISKS = "risks", "Risk register"
    RECOMMENDATIONS = "recommendations", "Recommendations"


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to be checked"
    CHECKING = "checking", "Being checked"
    INVALID = "invalid", "Has problems"
    READY = "ready", "Checked, ready to apply"
    APPLYING = "applying", "Being applied"
    APPLIED = "applied", "Applied"
    REFUSED = "refused", "Not applied"


class ImportRun(models.Model):
    """One uploaded file on its way through check, preview and apply.

    The file is kept so that applying re-checks exactly what was previewed, and so that
    the workbook can be returned with its problems marked.
    """

    kind = models.CharField(max_length=20, choices=Kind)
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    # When the status last changed or checking last made progress: a run in progress that
    # has not moved for PMIS_IMPORT_STUCK_SECONDS is taken up again by the sweep.
    status_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    # What checking found: {"errors": [...], "changes": [...], "summary": {...}, "versions": {...}}.
    result = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True, help_text="Why the file could not be read or applied.")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.filename}"

    @property
    def in_progress(self) -> bool:
        return self.status in (Status.QUEUED, Status.CHECKING, Status.APPLYING)
