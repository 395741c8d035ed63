from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from indicators.figures import parse_money
from indicators.models import Frequency, Indicator, Period
from organisation.models import Directorate, Portfolio, Service
from plans.models import Milestone, Priority

from .models import ActionStatus, Feedback, FeedbackKind, MeetingKind, ScorecardGrouping


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


class MeetingForm(forms.Form):
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
    portfolio = forms.ModelChoiceField(
        queryset=Portfolio.objects.all(), required=False, help_text="For a portfolio meeting."
    )
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.all(), required=False, help_text="For a directorate meeting."
    )
    chair = PersonChoiceField(queryset=get_user_model().objects.none(), required=False)
    attendees = PeopleField(queryset=get_user_model().objects.none(), required=False)
    indicators = forms.ModelMultipleChoiceField(
        label="Indicators examined (performance surgery)", queryset=Indicator.objects.none(), required=False
    )

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

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if data.get("portfolio") and data.get("directorate"):
            self.add_error("directorate", "Choose a portfolio or a directorate, not both.")
        if kind == MeetingKind.PORTFOLIO_PRT and not data.get("portfolio"):
            self.add_error("portfolio", "Choose the portfolio this Performance Review Team reviews.")
        if kind == MeetingKind.CORPORATE_PRT and (data.get("portfolio") or data.get("directorate")):
            self.add_error("portfolio", "A corporate Performance Review Team covers the whole council: leave it blank.")
        if kind == MeetingKind.SURGERY and not data.get("indicators"):
            self.add_error("indicators", "Choose the indicators the surgery will examine.")
        return data


class SurgeryRecordForm(forms.Form):
    action_plan = forms.CharField(label="The service's action plan", widget=forms.Textarea, required=False)
    discussion = forms.CharField(widget=forms.Textarea, required=False)
    outcome = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        if not any((data.get("action_plan"), data.get("discussion"), data.get("outcome"))):
            raise forms.ValidationError("Enter the action plan, the discussion or the outcome.")
        return data


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("last_name", "username")
        )
        self.fields["indicator"].queryset = Indicator.objects.collected().order_by("code")
        self.fields["priority"].queryset = Priority.objects.select_related("plan").order_by("plan__title", "title")
        self.fields["milestone"].queryset = Milestone.objects.order_by("due", "title")


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, error_messages={"required": "Choose the status."})
    text = forms.CharField(label="Progress update", widget=forms.Textarea, required=False)
    dropped_reason = forms.CharField(
        label="Why it is dropped", widget=forms.Textarea, required=False, help_text="Only when you drop the action."
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

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
    received = date_field("Date received", what="the date received")
    response_due = date_field("Response due", required=False, what="the response due date")
    response_sent = date_field("Response sent", required=False, what="the date the response was sent")

    class Meta:
        model = Feedback
        fields = ["kind", "service", "received", "category", "response_due", "response_sent", "outcome"]
        error_messages = {
            "kind": {"required": "Choose complaint or compliment."},
            "service": {"required": "Choose the service."},
            "category": {"required": "Enter the category, for example missed collection."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FeedbackKind.choices
        self.fields["service"].queryset = Service.objects.order_by("name")

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
