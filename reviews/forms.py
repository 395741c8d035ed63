from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from indicators.figures import parse_money
from indicators.models import Frequency, Indicator, Period
from organisation.models import Directorate, Portfolio, Role, Service
from plans.models import Milestone, Priority

from .models import (
    Action,
    ActionStatus,
    Feedback,
    FeedbackKind,
    MeetingKind,
    ReferralKind,
    ScorecardGrouping,
    ScrutinyBoard,
)


def date_field(label: str, *, required: bool = True, what: str = "the date") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text="For example, 31/3/2027",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": f"Enter {what}.",
            "invalid": f"Enter {what} as day/month/year, like 31/3/2027.",
        },
    )


def _person(user) -> str:
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


# The scope each kind of meeting needs, and what to say when it is missing.
SCOPE_NEEDED = {
    MeetingKind.SERVICE_PRT: {"service": "Choose the service this Performance Review Team reviews."},
    MeetingKind.PORTFOLIO_PRT: {"portfolio": "Choose the portfolio this Performance Review Team reviews."},
    MeetingKind.CHECK_IN: {
        "portfolio": "Choose the portfolio whose holder meets the head of service.",
        "service": "Choose the service whose head meets the portfolio holder.",
    },
    MeetingKind.DMT: {"directorate": "Choose the directorate whose management team meets."},
}
COUNCIL_WIDE = (MeetingKind.CORPORATE_PRT, MeetingKind.CHIEF_OFFICER_GROUP)
SCOPES = ("service", "portfolio", "directorate")


class MeetingForm(forms.Form):
    """Arranging or changing a meeting. Attendees are found by portfolio, service or role
    (the people_* fields and the "Show these people" button, no JavaScript needed)."""

    kind = forms.ChoiceField(
        label="Kind of meeting", choices=MeetingKind.choices, error_messages={"required": "Choose the kind of meeting."}
    )
    title = forms.CharField(max_length=300, error_messages={"required": "Enter the meeting's title."})
    date = date_field("Date of the meeting", what="the date of the meeting")
    period = forms.ModelChoiceField(
        label="Period under review",
        queryset=Period.objects.none(),
        error_messages={"required": "Choose the period under review.", "invalid_choice": "Choose a period."},
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.all(),
        required=False,
        help_text="For a service Performance Review Team or a check-in with the head of service.",
    )
    portfolio = forms.ModelChoiceField(
        queryset=Portfolio.objects.all(),
        required=False,
        help_text="For a portfolio Performance Review Team or a check-in with the portfolio holder.",
    )
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.all(), required=False, help_text="For a departmental management team."
    )
    chair = PersonChoiceField(queryset=get_user_model().objects.none(), required=False)
    attendees = PeopleField(queryset=get_user_model().objects.none(), required=False)
    people_portfolio = forms.ModelChoiceField(
        label="People of a portfolio", queryset=Portfolio.objects.all(), required=False
    )
    people_service = forms.ModelChoiceField(label="People of a service", queryset=Service.objects.all(), required=False)
    people_role = forms.ChoiceField(
        label="People with a role", choices=[("", "Any role"), *Role.choices], required=False
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Indicators examined (performance surgery)", queryset=Indicator.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, surgery_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if surgery_only:
            # Chief officers, cabinet members and scrutiny members convene performance surgeries only.
            self.fields["kind"].choices = [(MeetingKind.SURGERY, MeetingKind.SURGERY.label)]
        people = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["chair"].queryset = people
        self.fields["attendees"].queryset = people
        self.fields["period"].queryset = Period.objects.filter(
            frequency__in=[Frequency.QUARTER, Frequency.MONTH]
        ).order_by("-end", "frequency")
        self.fields["indicators"].queryset = Indicator.objects.collected().order_by("code")
        self.fields["chair"].choices = [("", "No chair yet"), *list(self.fields["chair"].choices)[1:]]
        for name in ("service", "people_service"):
            self.fields[name].queryset = Service.objects.order_by("name")
        for name in ("people_portfolio", "people_service"):
            self.fields[name].empty_label = "Any"

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = SCOPE_NEEDED.get(kind, {})
        for name, message in needed.items():
            if not data.get(name):
                self.add_error(name, message)
        service, portfolio = data.get("service"), data.get("portfolio")
        if (
            kind == MeetingKind.CHECK_IN
            and service
            and portfolio
            and not portfolio.services.filter(pk=service.pk).exists()
        ):
            self.add_error("service", f"Choose a service in the {portfolio.name} portfolio.")
        chosen = [name for name in SCOPES if data.get(name)]
        if kind in COUNCIL_WIDE and chosen:
            label = dict(MeetingKind.choices)[kind]
            self.add_error(chosen[0], f"A {label} covers the whole council: leave it blank.")
        elif needed:
            for name in chosen:
                if name not in needed:
                    self.add_error(name, f"A {dict(MeetingKind.choices)[kind]} has no {name}: leave it blank.")
        elif len(chosen) > 1:
            self.add_error(chosen[1], "Choose one of a service, a portfolio or a directorate, not more.")
        if kind == MeetingKind.SURGERY and not data.get("indicators"):
            self.add_error("indicators", "Choose the indicators the surgery will examine.")
        return data

    def meeting_fields(self) -> dict:
        """What services.meeting_arrange and meeting_change take."""
        data = self.cleaned_data
        fields = ("kind", "title", "date", "period", "service", "portfolio", "directorate", "chair")
        return {
            **{name: data[name] for name in fields},
            "attendees": data["attendees"],
            "indicators": data["indicators"],
        }


class PeopleFinderForm(forms.Form):
    """The attendee finder's choices, read when "Show these people" is pressed."""

    people_portfolio = forms.ModelChoiceField(queryset=Portfolio.objects.all(), required=False)
    people_service = forms.ModelChoiceField(queryset=Service.objects.all(), required=False)
    people_role = forms.ChoiceField(choices=[("", "Any role"), *Role.choices], required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        widget=forms.Textarea,
        help_text="The attendees are emailed this.",
        error_messages={"required": "Say why the meeting is cancelled."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SurgeryRecordForm(forms.Form):
    action_plan = forms.CharField(label="The service's action plan", widget=forms.Textarea, required=False)
    discussion = forms.CharField(widget=forms.Textarea, required=False)
    outcome = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        if not any((data.get("action_plan"), data.get("discussion"), data.get("outcome"))):
            raise forms.ValidationError("Enter the action plan, the discussion or the outcome.")
        return data


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Summary of key issues",
        widget=forms.Textarea,
        help_text="A few lines for Cabinet and the scrutiny panel: what is going well, what is not, what was agreed.",
        error_messages={"required": "Enter the key issues the meeting found."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label="Why is the pack reissued?",
        widget=forms.Textarea,
        help_text="Attendees are told this, for example: a figure for Q2 was corrected after validation.",
        error_messages={"required": "Say why the pack is reissued, for example a figure was corrected."},
    )


class ActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea, error_messages={"required": "Describe what is to be done."})
    owner = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        error_messages={"required": "Choose who owns the action.", "invalid_choice": "Choose someone from the list."},
    )
    due = date_field("Due date", what="the due date")
    indicator = forms.ModelChoiceField(
        label="Against an indicator",
        queryset=Indicator.objects.none(),
        required=False,
        help_text="A Red indicator's remedial action plan is the set of actions raised against it.",
    )
    priority = forms.ModelChoiceField(label="Against a priority", queryset=Priority.objects.none(), required=False)
    milestone = forms.ModelChoiceField(label="Against a milestone", queryset=Milestone.objects.none(), required=False)

    def __init__(self, *args, indicators=None, services=None, **kwargs):
        """indicators and services: the meeting's scope, which the choices keep to (None: the
        whole council)."""
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("last_name", "username")
        )
        indicator_choices = Indicator.objects.collected()
        priorities = Priority.objects.select_related("plan")
        if indicators is not None:
            indicator_choices = indicator_choices.filter(pk__in=indicators.values("pk"))
            within = Q(indicators__in=indicators.values("pk"))
            if services is not None:
                within |= Q(plan__owner_service__in=services.values("pk"))
            priorities = priorities.filter(pk__in=Priority.objects.filter(within).values("pk"))
        self.fields["indicator"].queryset = indicator_choices.order_by("code")
        self.fields["priority"].queryset = priorities.order_by("plan__title", "title")
        self.fields["milestone"].queryset = Milestone.objects.filter(
            priority__in=self.fields["priority"].queryset.values("pk")
        ).order_by("due", "title")


PLAN_STEPS = 5


class ActionPlanForm(forms.Form):
    """A remedial action plan for a Red or Amber indicator, saved by services.action_plan_record."""

    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea,
        error_messages={"required": "Say what will be done to bring the figure back on target."},
    )
    owner = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        error_messages={"required": "Choose who owns the plan.", "invalid_choice": "Choose someone from the list."},
    )
    due = date_field("Plan complete by", what="the date the plan is complete by")
    recover_by = forms.ModelChoiceField(
        label="The figure should recover by",
        queryset=Period.objects.none(),
        help_text="The quarter by whose figure the indicator should be back on target.",
        error_messages={"required": "Choose the quarter by which the figure should recover."},
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("last_name", "username")
        )
        quarters = Period.objects.filter(frequency=Frequency.QUARTER).order_by("end")
        self.fields["recover_by"].queryset = quarters.filter(end__gte=today) if today else quarters
        for n in range(1, PLAN_STEPS + 1):
            self.fields[f"step_{n}_text"] = forms.CharField(label=f"Step {n}", max_length=300, required=False)
            self.fields[f"step_{n}_due"] = date_field(f"Step {n} due", required=False, what=f"when step {n} is due")

    def step_rows(self):
        """Each step's text and due-date fields, for the template."""
        return [(self[f"step_{n}_text"], self[f"step_{n}_due"]) for n in range(1, PLAN_STEPS + 1)]

    def clean(self):
        data = super().clean()
        steps = []
        for n in range(1, PLAN_STEPS + 1):
            text, due = (data.get(f"step_{n}_text") or "").strip(), data.get(f"step_{n}_due")
            if text and not due and f"step_{n}_due" not in self.errors:
                self.add_error(f"step_{n}_due", f"Enter when step {n} is due.")
            elif due and not text:
                self.add_error(f"step_{n}_text", f"Say what step {n} is, or clear its date.")
            elif text and due:
                steps.append((text, due))
        if not steps and not self.errors:
            self.add_error("step_1_text", "Enter at least one step and when it is due.")
        data["steps"] = steps
        return data


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, error_messages={"required": "Choose the status."})
    text = forms.CharField(label="Progress update", widget=forms.Textarea, required=False)
    dropped_reason = forms.CharField(
        label="Why it is dropped", widget=forms.Textarea, required=False, help_text="Only when you drop the action."
    )
    steps_done = forms.TypedMultipleChoiceField(label="Steps done", coerce=int, required=False, choices=[])
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps_done"].choices = [(step.pk, step.text) for step in steps]

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionStatus.DROPPED and not (data.get("dropped_reason") or "").strip():
            self.add_error("dropped_reason", "Say why the action is dropped.")
        return data


class MoneyField(forms.CharField):
    """An amount in pounds, read as the budget import reads it; empty is none (0)."""

    def __init__(self, label: str, *, what: str, required: bool = True):
        super().__init__(label=label, required=required, max_length=40, error_messages={"required": f"Enter {what}."})
        self.what = what

    def clean(self, value):
        return parse_money(super().clean(value), self.what.capitalize()) or Decimal(0)


class BudgetLineForm(forms.Form):
    """A service's budget monitoring for a quarter, saved by services.budget_line_set."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), label="Service", error_messages={"required": "Choose the service."}
    )
    period = forms.ModelChoiceField(
        queryset=Period.objects.none(), label="Period", error_messages={"required": "Choose the period."}
    )
    budget = MoneyField("Budget (£)", what="the budget")
    forecast_outturn = MoneyField("Forecast outturn (£)", what="the forecast outturn")
    savings_target = MoneyField("Savings target (£)", what="the savings target", required=False)
    savings_delivered = MoneyField("Savings delivered (£)", what="the savings delivered", required=False)
    commentary = forms.CharField(label="Commentary", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(frequency=Frequency.QUARTER).order_by("-end")
        self.fields["service"].queryset = Service.objects.order_by("name")


class FeedbackForm(forms.ModelForm):
    """A complaint or compliment of one of services (the user's), linked to an action if any."""

    received = date_field("Date received", what="the date received")
    response_due = date_field("Response due", required=False, what="the response due date")
    response_sent = date_field("Response sent", required=False, what="the date the response was sent")

    class Meta:
        model = Feedback
        fields = ["kind", "service", "received", "category", "response_due", "response_sent", "outcome", "action"]
        error_messages = {
            "kind": {"required": "Choose complaint or compliment."},
            "service": {"required": "Choose the service."},
            "category": {"required": "Enter the category, for example missed collection."},
        }

    def __init__(self, *args, services=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FeedbackKind.choices
        self.fields["service"].queryset = services.order_by("name") if services is not None else Service.objects.none()
        # The open actions of those services: against their indicators, at their meetings, or the user's own.
        within = Q(indicator__service__in=self.fields["service"].queryset.values("pk")) | Q(
            meeting__service__in=self.fields["service"].queryset.values("pk")
        )
        if user is not None:
            within |= Q(owner=user)
        self.fields["action"].queryset = Action.objects.still_open().filter(within).distinct().order_by("due", "pk")
        self.fields["action"].label = "Action taken in response"
        self.fields["action"].empty_label = "No action"

    def clean(self):
        data = super().clean()
        sent, received = data.get("response_sent"), data.get("received")
        if sent and received and sent < received:
            self.add_error("response_sent", "The response cannot be sent before the complaint was received.")
        return data


class LeaverForm(forms.Form):
    """Who takes over which of a leaver's work (reviews.leavers)."""

    to = forms.ModelChoiceField(
        label="Give the chosen work to",
        queryset=None,
        empty_label="Choose a person",
        error_messages={
            "required": "Choose who takes over the work.",
            "invalid_choice": "Choose a person from the list.",
        },
    )
    indicators = forms.MultipleChoiceField(required=False)
    actions = forms.MultipleChoiceField(required=False)
    milestones = forms.MultipleChoiceField(required=False)
    priorities = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, leaver, work, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = (
            get_user_model().objects.filter(is_active=True).exclude(pk=leaver.pk).order_by("last_name", "first_name")
        )
        for kind in ("indicators", "actions", "milestones", "priorities"):
            self.fields[kind].choices = [(str(r.pk), str(r)) for r in getattr(work, kind)]
            self.fields[kind].error_messages["invalid_choice"] = f"Choose {kind} from the list: it has changed."


class ScorecardForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the scorecard's name."})
    description = forms.CharField(
        label="What it is for", widget=forms.Textarea, required=False, help_text="Who reads it, and when."
    )
    group_by = forms.ChoiceField(
        label="Group its measures by",
        choices=ScorecardGrouping.choices,
        required=False,
        error_messages={"invalid_choice": "Choose how to group the measures."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MeasureSearchForm(forms.Form):
    """Finding indicators to add to a scorecard: by code or title, portfolio or service."""

    q = forms.CharField(label="Code or words of the title", required=False, max_length=100)
    portfolio = forms.ModelChoiceField(
        label="Portfolio",
        queryset=Portfolio.objects.order_by("name"),
        required=False,
        empty_label="Any portfolio",
        error_messages={"invalid_choice": "Choose a portfolio from the list."},
    )
    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.order_by("name"),
        required=False,
        empty_label="Any service",
        error_messages={"invalid_choice": "Choose a service from the list."},
    )


class GoodNewsForm(forms.Form):
    title = forms.CharField(
        label="Headline",
        max_length=200,
        error_messages={
            "required": "Enter the story's headline.",
            "max_length": "Keep the headline to 200 characters.",
        },
    )
    text = forms.CharField(
        label="The story",
        widget=forms.Textarea,
        help_text="Plain English, for residents: spell out any abbreviation.",
        error_messages={"required": "Write the story, in plain English for residents."},
    )
    date = forms.DateField(
        label="Date of the good news",
        help_text="For example, 14/10/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date of the good news.",
            "invalid": "Enter the date as day/month/year, like 14/10/2026.",
        },
    )
    indicator = forms.ModelChoiceField(
        label="Indicator it is about",
        queryset=Indicator.objects.collected().order_by("code"),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose an indicator from the list."},
    )
    priority = forms.ModelChoiceField(
        label="Priority it is about",
        queryset=Priority.objects.select_related("plan").order_by("plan__title", "position"),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a priority from the list."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} {i.title}"
        self.fields["priority"].label_from_instance = lambda p: f"{p.title} ({p.plan.title})"


class WatchAddForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label="Measure to watch",
        queryset=Indicator.objects.none(),
        error_messages={
            "required": "Choose the measure to watch.",
            "invalid_choice": "Choose a measure from the list.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.collected().order_by("code")


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label="Refer it to", choices=[], error_messages={"required": "Choose a surgery or a scrutiny review."}
    )
    board = forms.ModelChoiceField(label="On behalf of", queryset=ScrutinyBoard.objects.none(), required=False)
    reason = forms.CharField(
        label="Why should it be examined?",
        widget=forms.Textarea,
        error_messages={"required": "Say why the measure should be examined."},
    )

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ReferralKind.choices
        self.fields["board"].queryset = ScrutinyBoard.objects.filter(pk__in=[b.pk for b in boards or []])
        self.fields["board"].empty_label = "Myself"


class ReferralAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Answer",
        widget=forms.Textarea,
        help_text="For example: a surgery is arranged for 3 March, chaired by the portfolio holder.",
        error_messages={"required": "Enter the answer to the referral."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class BoardForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the board's name."})
    chair = PersonChoiceField(queryset=get_user_model().objects.none(), required=False)
    members = PeopleField(queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.SCRUTINY_MEMBER)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["chair"].queryset = members
        self.fields["members"].queryset = members
