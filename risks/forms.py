from django import forms

from indicators.models import Indicator
from organisation.models import Directorate, User
from plans.models import Plan, Priority
from reviews.forms import PersonChoiceField, date_field
from reviews.models import Action

from .models import (
    RecommendationPriority,
    RecommendationStatus,
    Response,
    RiskCategory,
    RiskMatrix,
    RiskStatus,
    SourceKind,
)

DATE_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]

REGISTERS = [("", "Every register"), ("corporate", "Corporate register"), ("directorate", "Directorates' registers")]


class RegisterFilterForm(forms.Form):
    register = forms.ChoiceField(
        label="Register",
        choices=REGISTERS,
        required=False,
        error_messages={"invalid_choice": "Choose a register from the list."},
    )
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="Every directorate",
        error_messages={"invalid_choice": "Choose a directorate from the list."},
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=RiskCategory.objects.all(),
        required=False,
        empty_label="Every category",
        error_messages={"invalid_choice": "Choose a category from the list."},
    )


def _score_choices(words: list[str]) -> list[tuple[str, str]]:
    return [("", "Choose a score")] + [(str(n), f"{n}: {word}") for n, word in enumerate(words, start=1)]


def _score_field(label: str, scale: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        error_messages={
            "required": f"Choose the {label.lower()}.",
            "invalid_choice": f"Choose a {scale} score from the list.",
        },
    )


def _many(message: str) -> dict[str, str]:
    return {"invalid_choice": message, "invalid_pk_value": message}


class ScoresMixin:
    """Score fields whose choices are the steps of the council's matrix, in its words."""

    def set_scores(self, matrix: RiskMatrix):
        for name, field in self.fields.items():
            if name.endswith("_likelihood"):
                field.choices = _score_choices(matrix.likelihoods)
            elif name.endswith("_impact"):
                field.choices = _score_choices(matrix.impacts)


class RiskForm(ScoresMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter the risk's title."})
    cause = forms.CharField(
        label="Cause",
        widget=forms.Textarea,
        help_text="Because of… (what gives rise to the risk)",
        error_messages={"required": "Describe the cause of the risk."},
    )
    event = forms.CharField(
        label="Event",
        widget=forms.Textarea,
        help_text="…this may happen…",
        error_messages={"required": "Describe the event that may happen."},
    )
    consequence = forms.CharField(
        label="Consequence",
        widget=forms.Textarea,
        help_text="…which would lead to…",
        error_messages={"required": "Describe the consequence if it happens."},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.filter(is_active=True, groups__isnull=False).distinct(),
        empty_label="Choose the owner",
        error_messages={"required": "Choose the risk's owner.", "invalid_choice": "Choose an owner from the list."},
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=RiskCategory.objects.all(),
        empty_label="Choose a category",
        error_messages={
            "required": "Choose the risk's category.",
            "invalid_choice": "Choose a category from the list.",
        },
    )
    directorate = forms.ModelChoiceField(
        label="Register",
        queryset=Directorate.objects.all(),
        required=False,
        empty_label="Corporate register",
        help_text="The directorate whose register holds the risk, or the corporate register.",
        error_messages={"invalid_choice": "Choose a register from the list."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=RiskStatus.choices,
        error_messages={"required": "Choose the risk's status.", "invalid_choice": "Choose a status from the list."},
    )
    inherent_likelihood = _score_field("Inherent likelihood", "likelihood")
    inherent_impact = _score_field("Inherent impact", "impact")
    residual_likelihood = _score_field("Residual likelihood", "likelihood")
    residual_impact = _score_field("Residual impact", "impact")
    controls = forms.CharField(
        label="Controls in place",
        widget=forms.Textarea,
        required=False,
        help_text="What is done now to make the risk less likely or its impact smaller.",
    )
    target_score = forms.IntegerField(
        label="Target score",
        help_text="The residual score (likelihood times impact) the owner aims to bring the risk down to.",
        error_messages={
            "required": "Enter the target score, a whole number such as 6.",
            "invalid": "Enter the target score as a whole number, such as 6.",
        },
    )
    review_due = forms.DateField(
        label="Next review due",
        help_text="For example, 31 3 2026 or 2026-03-31.",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date the next review is due.",
            "invalid": "Enter the date the next review is due as a real date, such as 31 3 2026.",
        },
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Priorities it relates to",
        queryset=Priority.objects.select_related("plan").order_by("plan__title", "position", "title"),
        required=False,
        error_messages=_many("Choose priorities from the list."),
    )
    plans = forms.ModelMultipleChoiceField(
        label="Plans it relates to",
        queryset=Plan.objects.order_by("title"),
        required=False,
        error_messages=_many("Choose plans from the list."),
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Indicators it relates to",
        queryset=Indicator.objects.collected().order_by("code"),
        required=False,
        error_messages={
            "invalid_choice": "Choose indicators from the list.",
            "invalid_pk_value": "Choose indicators from the list.",
        },
    )
    actions = forms.ModelMultipleChoiceField(
        label="Actions agreed",
        queryset=Action.objects.still_open().order_by("due", "pk"),
        required=False,
        help_text="Open actions from meetings and plans that treat this risk.",
        error_messages=_many("Choose actions from the list."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, matrix: RiskMatrix, risk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_scores(matrix)
        self.fields["priorities"].label_from_instance = lambda p: f"{p.title} ({p.plan.title})"
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {i.title}"
        self.fields["actions"].label_from_instance = lambda a: f"{a.description[:80]} (due {a.due:%d %B %Y})"
        if risk is not None:
            # Actions already linked stay choosable once closed.
            self.fields["actions"].queryset = (
                Action.objects.filter(pk__in=[a.pk for a in risk.actions.all()]) | Action.objects.still_open()
            ).order_by("due", "pk")


class ReviewForm(ScoresMixin, forms.Form):
    residual_likelihood = _score_field("Residual likelihood", "likelihood")
    residual_impact = _score_field("Residual impact", "impact")
    controls = forms.CharField(
        label="Controls in place",
        widget=forms.Textarea,
        help_text="What is done now to make the risk less likely or its impact smaller.",
        error_messages={"required": "Say what controls are in place, even if they have not changed."},
    )
    comment = forms.CharField(
        label="What has changed since the last review",
        widget=forms.Textarea,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, matrix: RiskMatrix, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_scores(matrix)


class CategoryForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, error_messages={"required": "Enter the category's name."})
    appetite = forms.IntegerField(
        label="Appetite",
        help_text="The highest residual score (likelihood times impact) the council accepts for this kind of risk.",
        error_messages={
            "required": "Enter the council's appetite, a score such as 8.",
            "invalid": "Enter the appetite as a whole number, such as 8.",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MatrixForm(forms.Form):
    likelihood_words = forms.CharField(
        label="Likelihood scale",
        widget=forms.Textarea,
        help_text="One word a line, lowest first: the number of lines is the number of steps.",
        error_messages={"required": "Enter the words of the likelihood scale, one a line."},
    )
    impact_words = forms.CharField(
        label="Impact scale",
        widget=forms.Textarea,
        help_text="One word a line, lowest first: the number of lines is the number of steps.",
        error_messages={"required": "Enter the words of the impact scale, one a line."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def words(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


def _date_field(label: str, what: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text="For example, 31 3 2026 or 2026-03-31.",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": f"Enter the date {what}.",
            "invalid": f"Enter the date {what} as a real date, such as 31 3 2026.",
        },
    )


def _people():
    return User.objects.filter(is_active=True, groups__isnull=False).distinct()


class SourceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of review",
        choices=[("", "Choose a kind"), *SourceKind.choices],
        error_messages={"required": "Choose the kind of review.", "invalid_choice": "Choose a kind from the list."},
    )
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter the report's title."})
    author = forms.CharField(
        label="By",
        max_length=200,
        help_text="Who made the review, such as Internal Audit, Ofsted or the Local Government Association.",
        error_messages={"required": "Enter who made the review."},
    )
    date = _date_field("Date of the report", "of the report")
    report = forms.CharField(
        label="Where the report can be read",
        max_length=500,
        required=False,
        help_text="Its web address or reference.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RecommendationForm(forms.Form):
    number = forms.IntegerField(
        label="Number in the report",
        min_value=1,
        error_messages={
            "required": "Enter the recommendation's number in the report.",
            "invalid": "Enter the number as a whole number, such as 3.",
            "min_value": "Give the recommendation's number in the report, 1 or more.",
        },
    )
    text = forms.CharField(
        label="Recommendation", widget=forms.Textarea, error_messages={"required": "Enter the recommendation."}
    )
    priority = forms.ChoiceField(
        label="Priority",
        choices=[("", "Choose a priority"), *RecommendationPriority.choices],
        error_messages={"required": "Choose the priority.", "invalid_choice": "Choose a priority from the list."},
    )
    response = forms.ChoiceField(
        label="Council's response",
        choices=Response.choices,
        error_messages={"required": "Choose the response.", "invalid_choice": "Choose a response from the list."},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        required=False,
        help_text="Why the council accepts only part of it, or does not accept it.",
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=_people(),
        required=False,
        empty_label="No owner yet",
        error_messages={"invalid_choice": "Choose an owner from the list."},
    )
    due = _date_field("Due by", "it is due by", required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=RecommendationStatus.choices,
        error_messages={"required": "Choose the status.", "invalid_choice": "Choose a status from the list."},
    )
    evidence = forms.CharField(
        label="Evidence of completion",
        widget=forms.Textarea,
        required=False,
        help_text="What shows it is implemented: a document, a decision, a figure.",
    )
    actions = forms.ModelMultipleChoiceField(
        label="Actions agreed",
        queryset=Action.objects.still_open().order_by("due", "pk"),
        required=False,
        help_text="Open actions from meetings and plans that implement this recommendation.",
        error_messages=_many("Choose actions from the list."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, recommendation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].label_from_instance = lambda a: f"{a.description[:80]} (due {a.due:%d %B %Y})"
        if recommendation is not None:
            self.fields["actions"].queryset = (
                Action.objects.filter(pk__in=[a.pk for a in recommendation.actions.all()]) | Action.objects.still_open()
            ).order_by("due", "pk")


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=RecommendationStatus.choices,
        error_messages={"required": "Choose the status.", "invalid_choice": "Choose a status from the list."},
    )
    evidence = forms.CharField(
        label="Evidence of completion",
        widget=forms.Textarea,
        required=False,
        help_text="What shows it is implemented: a document, a decision, a figure.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionRaiseForm(forms.Form):
    """An action to treat a risk or implement a recommendation: what, who owns it, when due."""

    description = forms.CharField(
        label="What is to be done", widget=forms.Textarea, error_messages={"required": "Describe what is to be done."}
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        help_text="They find it in My actions and record its progress there.",
        error_messages={"required": "Choose who owns the action.", "invalid_choice": "Choose someone from the list."},
    )
    due = date_field("Due date", what="the due date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, groups__isnull=False).distinct().order_by("last_name", "username")
        )
