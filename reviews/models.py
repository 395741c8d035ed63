from django.conf import settings
from django.db import models

from indicators.models import Period
from organisation.models import Portfolio


class MeetingKind(models.TextChoices):
    PORTFOLIO_PRT = "portfolio_prt", "Portfolio Performance Review Team"
    CORPORATE_PRT = "corporate_prt", "Corporate Performance Review Team"
    CHIEF_OFFICER_GROUP = "cog", "Chief Officer Group"
    SURGERY = "surgery", "Performance surgery"
    SCRUTINY = "scrutiny", "Scrutiny board"


class Meeting(models.Model):
    kind = models.CharField(max_length=20, choices=MeetingKind)
    title = models.CharField(max_length=300)
    date = models.DateField()
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="meetings", help_text="The period under review."
    )
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})"
