from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from indicators.models import Indicator
from indicators.periods import financial_year, year_label
from organisation.models import Directorate, Service

from .models import MilestoneStatus, Plan, PlanKind, PlanStatus


class PlanFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of plan",
        choices=[("", "All kinds"), *PlanKind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind of plan from the list."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "All statuses"), *PlanStatus.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )


class ScrutinyCommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment on this plan",
        widget=forms.Textarea,
        help_text="What should change, or what the plan's owner should explain before it is approved.",
        error_messages={"required": "Enter your comment on the plan."},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea,
        error_messages={"required": "Enter your answer to the scrutiny comment."},
    )


class ReturnToDraftForm(forms.Form):
    reason = forms.CharField(
        label="Why is the plan going back to draft?",
        widget=forms.Textarea,
        error_messages={"required": "Say why the plan is going back to draft."},
    )


class MilestoneUpdateForm(forms.Form):
    period = forms.ChoiceField(
        label="Quarter",
        error_messages={
            "required": "Choose the quarter you are reporting on.",
            "invalid_choice": "Choose this quarter or one of the two before it.",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Choose a status"), *MilestoneStatus.choices],
        error_messages={
            "required": "Choose the milestone's status.",
            "invalid_choice": "Choose one of the statuses listed.",
        },
    )
    percent_complete = forms.IntegerField(
        label="Percentage complete",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter how complete the milestone is, from 0 to 100.",
            "invalid": "Enter the percentage as a whole number, like 60.",
            "min_value": "Enter a percentage from 0 to 100.",
            "max_value": "Enter a percentage from 0 to 100.",
        },
    )
    comment = forms.CharField(
        label="Progress this quarter",
        widget=forms.Textarea,
        help_text="What was done, and what is being done about any slippage.",
        error_messages={"required": "Say what progress was made this quarter."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {str(q.pk): q for q in quarters}
        self.fields["period"].choices = [(str(q.pk), q.label) for q in quarters]

    def clean_period(self):
        return self.quarters[self.cleaned_data["period"]]


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose label id is the first box's, so the error summary can link to it."""

    def id_for_label(self, id_, index="0"):
        return super().id_for_label(id_, index)


class PrtSelectionForm(forms.Form):
    indicators = forms.ModelMultipleChoiceField(
        label="Key targets to monitor at your Performance Review Team",
        queryset=Indicator.objects.none(),
        required=False,
        widget=Checkboxes,
        error_messages={
            "invalid_choice": "Choose targets from this plan's priorities.",
            "invalid_pk_value": "Choose targets from this plan's priorities.",
        },
    )

    def __init__(self, *args, basket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = basket


class ObjectiveForm(forms.Form):
    owner = forms.ChoiceField(
        label="Member of staff",
        error_messages={
            "required": "Choose whose objective this is.",
            "invalid_choice": "Choose someone who works in this service.",
        },
    )
    indicator = forms.ChoiceField(
        label="Target it contributes to",
        error_messages={
            "required": "Choose the target the objective supports.",
            "invalid_choice": "Choose one of this service's targets.",
        },
    )
    text = forms.CharField(
        label="Objective",
        widget=forms.Textarea,
        help_text="As agreed at the appraisal: what the person will do, by when.",
        error_messages={"required": "Enter the objective."},
    )

    def __init__(self, *args, staff, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(u.pk): u for u in staff}
        self.indicators = {str(i.pk): i for i in indicators}
        self.fields["owner"].choices = [("", "Choose a person"), *((k, str(u)) for k, u in self.staff.items())]
        self.fields["indicator"].choices = [
            ("", "Choose a target"),
            *((k, f"{i.code} {i.title}") for k, i in self.indicators.items()),
        ]

    def clean_owner(self):
        return self.staff[self.cleaned_data["owner"]]

    def clean_indicator(self):
        return self.indicators[self.cleaned_data["indicator"]]


class BasketForm(forms.Form):
    indicators = forms.ModelMultipleChoiceField(
        label="Indicators that measure this priority",
        queryset=Indicator.objects.none(),
        required=False,
        widget=Checkboxes,
        error_messages={
            "invalid_choice": "Choose indicators from the register.",
            "invalid_pk_value": "Choose indicators from the register.",
        },
    )

    def __init__(self, *args, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = register


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label="What will be delivered",
        max_length=300,
        error_messages={
            "required": "Enter what will be delivered.",
            "max_length": "Keep it to 300 characters or fewer.",
        },
    )
    owner = forms.ChoiceField(
        label="Owner",
        error_messages={
            "required": "Choose who owns the milestone.",
            "invalid_choice": "Choose someone from the list.",
        },
    )
    due = forms.DateField(
        label="Due date",
        help_text="For example, 31/3/2027",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date the milestone is due.",
            "invalid": "Enter the due date as day/month/year, like 31/3/2027.",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in people}
        self.fields["owner"].choices = [("", "Choose a person"), *((k, str(u)) for k, u in self.people.items())]

    def clean_owner(self):
        return self.people[self.cleaned_data["owner"]]


def _year_choices() -> list[tuple[str, str]]:
    this_year = financial_year(timezone.localdate())
    return [("", "Choose a year")] + [(str(y), year_label(y)) for y in range(this_year - 3, this_year + 6)]


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username}{f', {obj.job_title}' if obj.job_title else ''}"


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of plan",
        choices=[("", "Choose a kind"), *PlanKind.choices],
        error_messages={"required": "Choose the kind of plan.", "invalid_choice": "Choose a kind from the list."},
    )
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={"required": "Enter the plan's title.", "max_length": "Keep the title to 300 characters."},
    )
    owner_service = forms.ModelChoiceField(
        label="Owning service",
        queryset=Service.objects.order_by("name"),
        required=False,
        empty_label="None",
        help_text="A service business plan's service.",
        error_messages={"invalid_choice": "Choose a service from the list."},
    )
    owner_directorate = forms.ModelChoiceField(
        label="Owning directorate",
        queryset=Directorate.objects.order_by("name"),
        required=False,
        empty_label="None",
        help_text="A thematic plan's directorate.",
        error_messages={"invalid_choice": "Choose a directorate from the list."},
    )
    lead_officer = PersonChoice(
        label="Lead officer",
        queryset=_people(),
        required=False,
        empty_label="None",
        help_text="Writes the plan and answers scrutiny's comments with its owner.",
        error_messages={"invalid_choice": "Choose a person from the list."},
    )
    partners = forms.CharField(
        label="Partner organisations",
        widget=forms.Textarea,
        required=False,
        help_text="For a partnership plan: one organisation a line, like Fernley Police or the NHS trust.",
    )
    first_year = forms.TypedChoiceField(
        label="First year",
        coerce=int,
        error_messages={"required": "Choose the first year the plan covers.", "invalid_choice": "Choose a year."},
    )
    last_year = forms.TypedChoiceField(
        label="Last year",
        coerce=int,
        error_messages={"required": "Choose the last year the plan covers.", "invalid_choice": "Choose a year."},
    )
    parent = forms.ModelChoiceField(
        label="Cascades from",
        queryset=Plan.objects.order_by("-first_year", "title"),
        required=False,
        empty_label="None",
        help_text="The plan this one sits under: a service plan under its thematic plan or the Corporate Plan.",
        error_messages={"invalid_choice": "Choose a plan from the list."},
    )
    predecessor = forms.ModelChoiceField(
        label="Follows on from",
        queryset=Plan.objects.order_by("-first_year", "title"),
        required=False,
        empty_label="None",
        help_text="Last period's plan this one replaces: their years must not overlap.",
        error_messages={"invalid_choice": "Choose a plan from the list."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        years = _year_choices()
        if plan is not None:
            for year in (plan.first_year, plan.last_year):
                if str(year) not in dict(years):
                    years.append((str(year), year_label(year)))
            others = Plan.objects.exclude(pk=plan.pk).order_by("-first_year", "title")
            self.fields["parent"].queryset = self.fields["predecessor"].queryset = others
        self.fields["first_year"].choices = self.fields["last_year"].choices = years
        for name in ("parent", "predecessor"):
            self.fields[name].label_from_instance = lambda p: f"{p.title} ({p.years_label})"


class PriorityForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={"required": "Enter the priority's title.", "max_length": "Keep the title to 300 characters."},
    )
    description = forms.CharField(label="What it means", widget=forms.Textarea, required=False)
    lead = PersonChoice(
        label="Lead",
        queryset=_people(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a person from the list."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MilestoneEditForm(MilestoneForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CompositePolicyForm(forms.Form):
    """New thresholds of the composite rule: mean scores (Green 2, Amber 1, Red 0), from a
    named quarter, with why."""

    green_from = forms.DecimalField(
        label="Green from a mean score of",
        min_value=0,
        max_value=2,
        decimal_places=2,
        help_text="From 0 to 2, for example 1.5.",
        error_messages={
            "required": "Enter the mean score from which a priority is Green, for example 1.5.",
            "invalid": "Enter the mean score as a number from 0 to 2, for example 1.5.",
            "min_value": "The mean score cannot be below 0.",
            "max_value": "The mean score cannot be above 2 (every indicator Green).",
            "max_decimal_places": "Give the mean score to at most 2 decimal places.",
        },
    )
    amber_from = forms.DecimalField(
        label="Amber from a mean score of",
        min_value=0,
        max_value=2,
        decimal_places=2,
        help_text="Below it a priority is Red. For example 1.0.",
        error_messages={
            "required": "Enter the mean score from which a priority is Amber, for example 1.0.",
            "invalid": "Enter the mean score as a number from 0 to 2, for example 1.0.",
            "min_value": "The mean score cannot be below 0.",
            "max_value": "The mean score cannot be above 2 (every indicator Green).",
            "max_decimal_places": "Give the mean score to at most 2 decimal places.",
        },
    )
    effective_from = forms.ModelChoiceField(
        label="From which quarter",
        queryset=None,
        empty_label=None,
        help_text="Composites of this quarter and every later one use the new thresholds; earlier ones keep theirs.",
    )
    reason = forms.CharField(
        label="Why is the council setting these thresholds?",
        widget=forms.Textarea,
        error_messages={"required": "Say why the council is setting these thresholds."},
    )

    def __init__(self, *args, **kwargs):
        from indicators.models import Frequency, Period

        super().__init__(*args, **kwargs)
        field = self.fields["effective_from"]
        field.queryset = Period.objects.filter(frequency=Frequency.QUARTER).order_by("start")
        field.label_from_instance = lambda period: period.label

    def clean(self):
        data = super().clean()
        green, amber = data.get("green_from"), data.get("amber_from")
        if green is not None and amber is not None and amber > green:
            self.add_error("amber_from", "Amber must start at or below where Green starts.")
        return data
