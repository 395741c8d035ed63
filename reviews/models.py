import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from indicators.models import Indicator, Period
from indicators.periods import working_days_before
from organisation.models import Directorate, Portfolio, Service

# Papers must be with attendees this many working days before the meeting.
PACK_WORKING_DAYS = 5
# The meeting page warns when the deadline is this many working days away or fewer.
PACK_WARNING_WORKING_DAYS = 2


class MeetingKind(models.TextChoices):
    SERVICE_PRT = "service_prt", "Service Performance Review Team"
    PORTFOLIO_PRT = "portfolio_prt", "Portfolio Performance Review Team"
    CHECK_IN = "check_in", "Portfolio holder and head of service check-in"
    DMT = "dmt", "Departmental management team"
    CHIEF_OFFICER_GROUP = "cog", "Chief Officer Group"
    SCRUTINY = "scrutiny", "Scrutiny board review"
    SURGERY = "surgery", "Performance surgery"
    CORPORATE_PRT = "corporate_prt", "Corporate Performance Review Team"


# The Performance Review Teams whose summaries the corporate PRT gathers.
PRT_KINDS = (MeetingKind.SERVICE_PRT, MeetingKind.PORTFOLIO_PRT)


class Meeting(models.Model):
    kind = models.CharField(max_length=20, choices=MeetingKind)
    title = models.CharField(max_length=300)
    date = models.DateField()
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="meetings", help_text="The period under review."
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="meetings")
    # A performance surgery: the indicators examined and what it recorded.
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="surgeries")
    action_plan = models.TextField("service's action plan", blank=True)
    discussion = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    # A Performance Review Team's key issues, gathered into the corporate PRT's pack.
    summary = models.TextField("summary of key issues", blank=True)
    cancelled_reason = models.TextField("why it is cancelled", blank=True)
    version = models.PositiveIntegerField(default=1)

    # Who was invited is part of the record: each historical version keeps the attendees then.
    history = HistoricalRecords(excluded_fields=["action_plan", "discussion", "outcome"], m2m_fields=[attendees])

    class Meta:
        ordering = ["-date", "title"]
        indexes = [
            # The previous meeting of a series: same kind and scope, earlier date.
            models.Index(fields=["kind", "service", "portfolio", "directorate", "date"], name="meeting_series_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})"

    @property
    def is_cancelled(self) -> bool:
        return bool(self.cancelled_reason)

    @property
    def scope(self) -> str:
        if self.service_id:
            return "service"
        if self.portfolio_id:
            return "portfolio"
        if self.directorate_id:
            return "directorate"
        return "council"

    @property
    def scope_name(self) -> str:
        if self.service_id:
            within = f" (portfolio: {self.portfolio.name})" if self.portfolio_id else ""
            return f"Service: {self.service.name}{within}"
        if self.portfolio_id:
            return f"Portfolio: {self.portfolio.name}"
        if self.directorate_id:
            return f"Directorate: {self.directorate.name}"
        return "Whole council"

    def series(self) -> models.QuerySet["Meeting"]:
        """The meetings of the same kind and scope: a series whose open actions carry forward."""
        return Meeting.objects.filter(
            kind=self.kind, service=self.service_id, portfolio=self.portfolio_id, directorate=self.directorate_id
        )

    def previous(self) -> "Meeting | None":
        """The last meeting of the series held before this one (a cancelled one was not held)."""
        return self.series().filter(date__lt=self.date, cancelled_reason="").order_by("-date", "-pk").first()

    @property
    def pack_deadline(self) -> datetime.date:
        """The last day the pack may be published: 5 working days before the meeting."""
        return working_days_before(self.date, PACK_WORKING_DAYS)

    def deadline_state(self, today: datetime.date, published: datetime.date | None) -> str:
        """ "met", "missed" (published late, or not published and the deadline passed), "near"
        (not published, deadline within 2 working days) or "open"."""
        deadline = self.pack_deadline
        if published is not None:
            return "met" if published <= deadline else "missed"
        if today > deadline:
            return "missed"
        if working_days_before(deadline, PACK_WARNING_WORKING_DAYS) <= today:
            return "near"
        return "open"


class PackSnapshot(models.Model):
    """A version of a meeting's pack as published: its figures frozen as JSON, shown even if
    data changes later. A reissue adds a version with its reason; every version is kept and
    the highest is current."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField(default=1)
    reason = models.TextField("reason for reissuing", blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [models.UniqueConstraint(fields=["meeting", "version"], name="one_pack_per_version")]

    def __str__(self):
        return f"Pack for {self.meeting}, version {self.version}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet):
    def still_open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date):
        """Open or in-progress actions past their due date."""
        return self.still_open().filter(due__lt=today)


class Action(models.Model):
    """Something agreed to be done: raised at a meeting, or against an indicator, milestone or
    priority (a Red indicator's remedial action plan is its set of actions)."""

    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions")
    due = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus, default=ActionStatus.OPEN)
    dropped_reason = models.TextField(blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    milestone = models.ForeignKey(
        "plans.Milestone", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    priority = models.ForeignKey(
        "plans.Priority", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    # A remedial action plan for a Red or Amber indicator: the period by which its figure
    # should be back on target (its steps are ActionStep rows).
    recover_by = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="recover by"
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        indexes = [
            # The daily chase: open actions due before today.
            models.Index(fields=["status", "due"], name="action_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | ~models.Q(dropped_reason=""), name="action_dropped_has_reason"
            ),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due < today

    @property
    def is_plan(self) -> bool:
        """A remedial action plan recorded for an indicator (with the period it should recover by)."""
        return self.recover_by_id is not None


class ActionStep(models.Model):
    """A dated step of a remedial action plan."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(max_length=300)
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return self.text


class ActionUpdate(models.Model):
    """A dated progress update on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date}: {self.text[:60]}"


class BudgetLine(models.Model):
    """A service's budget monitoring for a period: budget, forecast outturn and savings."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="budget_lines")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="budget_lines")
    budget = models.DecimalField(max_digits=14, decimal_places=2)
    forecast_outturn = models.DecimalField(max_digits=14, decimal_places=2)
    savings_target = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    savings_delivered = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    commentary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "service"]
        constraints = [models.UniqueConstraint(fields=["service", "period"], name="one_budget_line_per_period")]

    def __str__(self):
        return f"{self.service}, {self.period}"

    @property
    def variance(self):
        """Forecast outturn less budget: positive is an overspend."""
        return self.forecast_outturn - self.budget


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"


class Feedback(models.Model):
    """A complaint or compliment logged against a service."""

    kind = models.CharField(max_length=20, choices=FeedbackKind)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="feedback")
    received = models.DateField("date received")
    category = models.CharField(max_length=100)
    response_due = models.DateField(null=True, blank=True)
    response_sent = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    action = models.ForeignKey(
        "Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        help_text="The action taken in response, if any.",
    )

    class Meta:
        verbose_name_plural = "complaints and compliments"
        ordering = ["-received", "pk"]
        indexes = [
            # The pack's counts: a service's complaints and compliments received in a period.
            models.Index(fields=["service", "received"], name="feedback_service_received_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.category} ({self.received})"


class ScorecardGrouping(models.TextChoices):
    USUAL = "", "As usual: the Council Scorecard by corporate priority, any other in one list"
    PRIORITY = "priority", "Corporate priority"
    PORTFOLIO = "portfolio", "Cabinet portfolio"
    NONE = "none", "No grouping: one list in the order chosen"


class Scorecard(models.Model):
    """A named selection of indicators reported together, kept by the performance team.

    One is the Council Scorecard: the 60-70 priority measures reported to the Chief
    Officer Group monthly and to Cabinet quarterly.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_council_scorecard = models.BooleanField("Council Scorecard", default=False)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="scorecards", through="ScorecardMeasure")
    group_by = models.CharField(
        "group measures by",
        max_length=20,
        choices=ScorecardGrouping,
        default=ScorecardGrouping.USUAL,
        blank=True,
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    # Measures chosen, removed or reordered are recorded as a change of the scorecard (its reason says which).
    history = HistoricalRecords()

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


class ScorecardMeasure(models.Model):
    """An indicator on a scorecard, at its place in the scorecard's order."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="measures")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scorecard_measures")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "reviews_scorecard_indicators"
        ordering = ["scorecard", "position", "indicator__code"]
        # As the table was made for the plain many-to-many field.
        unique_together = [("scorecard", "indicator")]

    def __str__(self):
        return f"{self.scorecard}: {self.indicator}"


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
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    history = HistoricalRecords()
    objects = GoodNewsStoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "good news stories"
        ordering = ["-date", "title"]

    def __str__(self):
        return self.title


class ScrutinyBoard(models.Model):
    """An Overview and Scrutiny board: its members keep a watch list of measures together."""

    name = models.CharField(max_length=200, unique=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="scrutiny_boards")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class WatchedMeasure(models.Model):
    """A measure on a watch list: a person's own, or a scrutiny board's."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="watchers")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="watched"
    )
    board = models.ForeignKey(ScrutinyBoard, on_delete=models.CASCADE, null=True, blank=True, related_name="watched")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True, board__isnull=False)
                | models.Q(person__isnull=False, board__isnull=True),
                name="watched_by_one",
            ),
            models.UniqueConstraint(fields=["person", "indicator"], name="watched_once_by_a_person"),
            models.UniqueConstraint(fields=["board", "indicator"], name="watched_once_by_a_board"),
        ]

    def __str__(self):
        return f"{self.indicator} watched by {self.person or self.board}"


class ReferralKind(models.TextChoices):
    SURGERY = "surgery", "A performance surgery"
    SCRUTINY_REVIEW = "scrutiny_review", "A scrutiny review"


class Referral(models.Model):
    """A scrutiny member's referral of a measure to a surgery or a scrutiny review, with the
    performance team's answer."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField("referred to", max_length=20, choices=ReferralKind)
    board = models.ForeignKey(ScrutinyBoard, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    raised_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self):
        return f"{self.indicator} to {self.get_kind_display().lower()}"


class PdfJobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    MAKING = "making", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not be made"


class PdfJob(models.Model):
    """A large page (a pack, an exception report) being made into a PDF in the background
    (reviews/pdf_jobs.py): the page's HTML as rendered for its requester, then the PDF."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()
    title = models.CharField(max_length=300)
    filename = models.CharField(max_length=200)
    back_url = models.CharField("the page the PDF is of", max_length=2000)
    html = models.TextField()
    base_url = models.CharField(max_length=2000)
    state = models.CharField(max_length=10, choices=PdfJobState, default=PdfJobState.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(blank=True, default=b"")

    class Meta:
        indexes = [
            # The sweep: jobs left waiting (their task lost), and old jobs to delete.
            models.Index(fields=["state", "requested_at"], name="pdfjob_state_requested_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"
