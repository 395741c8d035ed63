from decimal import Decimal

from django import forms

from . import services
from .figures import parse_figure
from .models import Indicator, Unit


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


class OutturnForm(forms.Form):
    """A figure for one indicator and period. The service checks it against the indicator."""

    value = forms.CharField(label="Figure", required=False, max_length=40)
    numerator = forms.CharField(label="Numerator", required=False, max_length=40)
    denominator = forms.CharField(label="Denominator", required=False, max_length=40)
    not_available_reason = forms.CharField(
        label="If there is no figure, why not?",
        required=False,
        widget=forms.Textarea,
        help_text="Leave empty when you enter a figure. Never enter 0 for a missing figure.",
    )
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        widget=forms.Textarea,
        help_text="What the figure means. Required when the figure is Red or Amber: what went wrong "
        "and what is being done about it.",
    )
    commentary_is_public = forms.BooleanField(
        label="Show this commentary on the public pages",
        required=False,
        help_text="Residents see it beside the figure once it is validated. Leave unticked to keep it internal.",
    )
    amendment_reason = forms.CharField(
        label="Why is this locked figure being amended?", required=False, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, locked: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields[
            "value"
        ].help_text = f"In {indicator.get_unit_display().lower()}, to {indicator.decimal_places} decimal places."
        if indicator.unit not in (Unit.PERCENTAGE, Unit.RATE_PER_1000, Unit.RATIO):
            del self.fields["numerator"], self.fields["denominator"]
        elif indicator.is_cumulative:
            self.fields["numerator"].help_text = "Required: the year to date is worked out from these."
        if not locked:
            del self.fields["amendment_reason"]

    @staticmethod
    def initial_for(outturn) -> dict:
        """The form's starting values for correcting a saved figure (empty for a new one)."""
        if outturn is None:
            return {}
        places = outturn.indicator.decimal_places
        return {
            "version": outturn.version,
            "value": "" if outturn.value is None else f"{outturn.value:.{places}f}",
            "numerator": _plain(outturn.numerator),
            "denominator": _plain(outturn.denominator),
            "not_available_reason": outturn.not_available_reason,
            "commentary": outturn.commentary,
            "commentary_is_public": outturn.commentary_is_public,
        }

    def save(self, *, period, by):
        """Record the figure through services.outturn_record (which may raise ValidationError,
        or ConflictError when someone saved since the form was opened: a blank version means
        it was opened before there was a figure)."""
        return services.outturn_record(period=period, by=by, **self.arguments())

    def arguments(self) -> dict:
        """The cleaned figure as services.outturn_record's arguments, but for period and by."""
        data = self.cleaned_data
        return {
            "indicator": self.indicator,
            "value": data["value"],
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
            "not_available_reason": data["not_available_reason"],
            "commentary": data["commentary"],
            "commentary_is_public": data.get("commentary_is_public", False),
            "amendment_reason": data.get("amendment_reason", ""),
            "expected_version": data["version"] or 0,
        }

    def _figure(self, name: str, what: str):
        return parse_figure(self.cleaned_data.get(name, ""), self.indicator, what, may_be_missing=True)

    def clean_value(self):
        return self._figure("value", "The figure")

    def clean_numerator(self):
        return self._figure("numerator", "The numerator")

    def clean_denominator(self):
        return self._figure("denominator", "The denominator")


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change?", widget=forms.Textarea, error_messages={"required": "Say why it is sent back."}
    )
