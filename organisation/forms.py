"""The performance team's forms for the organisation and its people: each reads what was
typed; the rules (unique codes, who may give which role) are the services'."""

from django import forms
from django.contrib.auth import get_user_model

from .models import Directorate, Portfolio, Role, Service


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username}{f', {obj.job_title}' if obj.job_title else ''}"


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


CODE_HELP = "Lower-case letters, digits and hyphens; used in addresses and imports."


class DirectorateForm(VersionedForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the directorate's name."})
    code = forms.CharField(
        label="Code", max_length=20, help_text=CODE_HELP, error_messages={"required": "Enter a short code."}
    )
    director = PersonChoice(
        label="Director",
        queryset=_people(),
        required=False,
        empty_label="No director yet",
        error_messages={"invalid_choice": "Choose a person from the list."},
    )


class ServiceForm(VersionedForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the service's name."})
    code = forms.CharField(
        label="Code", max_length=20, help_text=CODE_HELP, error_messages={"required": "Enter a short code."}
    )
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.order_by("name"),
        empty_label="Choose a directorate",
        error_messages={
            "required": "Choose the directorate the service belongs to.",
            "invalid_choice": "Choose a directorate from the list.",
        },
    )
    manager = PersonChoice(
        label="Service manager",
        queryset=_people(),
        required=False,
        empty_label="No manager yet",
        error_messages={"invalid_choice": "Choose a person from the list."},
    )


class PortfolioForm(VersionedForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the portfolio's name."})
    code = forms.CharField(
        label="Code", max_length=20, help_text=CODE_HELP, error_messages={"required": "Enter a short code."}
    )
    holder = PersonChoice(
        label="Portfolio holder (cabinet member)",
        queryset=_people().filter(groups__name=Role.PORTFOLIO_HOLDER),
        required=False,
        empty_label="No holder yet",
        error_messages={"invalid_choice": "Choose a portfolio holder from the list."},
    )
    services = forms.ModelMultipleChoiceField(
        label="Services it covers",
        queryset=Service.objects.select_related("directorate").order_by("name"),
        required=False,
        error_messages={
            "invalid_choice": "Choose services from the list.",
            "invalid_pk_value": "Choose services from the list.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].label_from_instance = lambda s: f"{s.name} ({s.directorate.name})"


class PersonForm(VersionedForm):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name."}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name."}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Their work email: they sign in with it, and the invitation goes to it.",
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address, like name@council.gov.uk.",
        },
    )
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    service = forms.ModelChoiceField(
        label="Service they work in",
        queryset=Service.objects.order_by("name"),
        required=False,
        empty_label="No service",
        error_messages={"invalid_choice": "Choose a service from the list."},
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        required=False,
        error_messages={"invalid_choice": "Choose roles from the list."},
    )
    portfolios = forms.ModelMultipleChoiceField(
        label="Cabinet portfolios they hold",
        queryset=Portfolio.objects.order_by("name"),
        required=False,
        error_messages={
            "invalid_choice": "Choose portfolios from the list.",
            "invalid_pk_value": "Choose portfolios from the list.",
        },
    )


class PeopleFilters(forms.Form):
    """The People list's filters (all optional; a bad choice is ignored as if not given)."""

    q = forms.CharField(label="Name, email or username", required=False, max_length=100)
    role = forms.ChoiceField(label="Role", required=False)
    service = forms.ModelChoiceField(
        label="Service", required=False, queryset=Service.objects.none(), empty_label="Any"
    )
    account = forms.ChoiceField(
        label="Account",
        required=False,
        choices=[("", "Any"), ("active", "Active"), ("invited", "Invited, not yet signed in"), ("off", "Deactivated")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Any"), *Role.choices]
        self.fields["service"].queryset = Service.objects.order_by("name")

    def chosen(self) -> dict:
        """The valid filters given, by name."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
