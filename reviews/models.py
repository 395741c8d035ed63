from django.conf import settings
from django.db import models

from indicators.models import Indicator, Period
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


class Scorecard(models.Model):
    """A named selection of indicators reported together, kept by the performance team.

    One is the Council Scorecard: the 60-70 priority measures reported to the Chief
    Officer Group monthly and to Cabinet quarterly.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_council_scorecard = models.BooleanField("Council Scorecard", default=False)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="scorecards")

    class Meta:
        ordering = ["-is_council_scorecard", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_council_scorecard"],
                condition=models.Q(is_council_scorecard=True),
                name="one_council_scorecard",
            ),
        ]

    def __str__(self):
        return self.name


class GoodNewsStoryQuerySet(models.QuerySet):
    def published(self):
        """Stories the performance team has published, newest first."""
        return self.filter(is_published=True).order_by("-date", "-pk")


class GoodNewsStory(models.Model):
    """A success worth telling residents about, optionally linked to an indicator or priority.

    Published stories appear on the public home page and in the annual report of the
    financial year their date falls in.
    """

    title = models.CharField(max_length=200)
    text = models.TextField(help_text="Plain English, for residents.")
    date = models.DateField()
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="good_news_stories"
    )
    priority = models.ForeignKey(
        "plans.Priority", on_delete=models.SET_NULL, null=True, blank=True, related_name="good_news_stories"
    )
    is_published = models.BooleanField("published", default=False, help_text="Shown on the public pages.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoodNewsStoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "good news stories"
        ordering = ["-date", "title"]

    def __str__(self):
        return self.title
