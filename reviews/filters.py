"""Scorecard filters, read from the URL so a filtered scorecard can be bookmarked and shared.

Portfolio, directorate, service, frequency and kind choose the indicators in the
database (ScorecardFilters.indicators). Rating, direction, variation and assurance depend
on each indicator's current period, so they choose among the rows the read layer returns
(ScorecardFilters.rows); the summary counts the rows before those. Every filter is
optional; a value that is not one of its choices is shown as an error on its field and
ignored.
"""

from django import forms
from django.db.models import QuerySet

from indicators.models import Assurance, Frequency, Indicator, Kind, Rag, Travel
from organisation.models import Directorate, Portfolio, Service

from .scorecards import NOT_DUE, OVERDUE, PROVISIONAL_SUMMARY, STATUS_LABELS, Row

# A rating against a target not yet signed off is chosen apart, as the summary counts it.
RATING_CHOICES = [
    (Rag.RED, "Red"),
    (Rag.AMBER, "Amber"),
    (Rag.GREEN, "Green"),
    *[(key, label.replace(" (target not signed off)", "")) for key, label in PROVISIONAL_SUMMARY],
    (Rag.NO_TARGET, "No target"),
    (Rag.DATA_ONLY, "Data only"),
    (Rag.NOT_AVAILABLE, "Not available or incomplete"),
    (OVERDUE, STATUS_LABELS[OVERDUE]),
    (NOT_DUE, STATUS_LABELS[NOT_DUE]),
]
DIRECTION_CHOICES = [("", "Any"), *Travel.choices, ("none", "No comparison")]
# Variation is filtered by kind (a high or a low concern are both concerns).
VARIATION_CHOICES = [
    ("", "Any"),
    ("concern", "Concern"),
    ("improvement", "Improvement"),
    ("neutral", "Unusually high or low (data only)"),
    ("common", "Common cause"),
    ("none", "Not enough data"),
]
ASSURANCE_CHOICES = [("", "Any"), *Assurance.choices, ("none", "Not assessed")]


class ScorecardFilters(forms.Form):
    rag = forms.MultipleChoiceField(
        label="Rating", choices=RATING_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    direction = forms.ChoiceField(label="Direction since previous period", choices=DIRECTION_CHOICES, required=False)
    direction_year = forms.ChoiceField(
        label="Direction since same period last year", choices=DIRECTION_CHOICES, required=False
    )
    variation = forms.ChoiceField(label="Variation", choices=VARIATION_CHOICES, required=False)
    assurance = forms.ChoiceField(label="Assurance", choices=ASSURANCE_CHOICES, required=False)
    frequency = forms.ChoiceField(choices=[("", "All frequencies"), *Frequency.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Kind.choices], required=False)
    portfolio = forms.ModelChoiceField(Portfolio.objects.all(), required=False, empty_label="All portfolios")
    directorate = forms.ModelChoiceField(Directorate.objects.all(), required=False, empty_label="All directorates")
    service = forms.ModelChoiceField(Service.objects.all(), required=False, empty_label="All services")

    def _chosen(self) -> dict:
        """The filters given with a valid value (an invalid one is left out, as if not given)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def active(self, query) -> list[tuple[str, str]]:
        """The filters in force as (words, the address without it): the panel's removable tags."""
        tags = []
        for name, value in self._chosen().items():
            bound = self[name]
            model = isinstance(self.fields[name], forms.ModelChoiceField)
            choices = {} if model else {str(key): text for key, text in self.fields[name].choices}
            for one in value if isinstance(value, list) else [value]:
                key = str(getattr(one, "pk", one))
                remaining = query.copy()
                remaining.setlist(name, [v for v in remaining.getlist(name) if v != key])
                remaining.pop("export", None)
                text = str(one) if model else choices.get(key, key)
                tags.append((f"{bound.label}: {text}", f"?{remaining.urlencode()}"))
        return tags

    def indicators(self, indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
        """The indicators of the chosen portfolio, directorate, service, frequency and kind."""
        chosen = self._chosen()
        lookups = {
            "portfolio": chosen.get("portfolio"),
            "service__directorate": chosen.get("directorate"),
            "service": chosen.get("service"),
            "frequency": chosen.get("frequency"),
            "kind": chosen.get("kind"),
        }
        return indicators.filter(**{lookup: value for lookup, value in lookups.items() if value is not None})

    def rows(self, rows: list[Row]) -> list[Row]:
        """The rows with a chosen rating, direction, variation and assurance."""
        chosen = self._chosen()
        wanted = set(chosen.get("rag", ()))
        direction = chosen.get("direction", "")
        direction_year = chosen.get("direction_year", "")
        variation = chosen.get("variation", "")
        assurance = chosen.get("assurance", "")

        def matches(row: Row) -> bool:
            if wanted and row.summary_key not in wanted:
                return False
            if direction and (row.travel_previous or "none") != direction:
                return False
            if direction_year and (row.travel_last_year or "none") != direction_year:
                return False
            if variation and ((row.variation or "none").split("_")[0]) != variation:
                return False
            return not assurance or (row.assurance or "none") == assurance

        return [row for row in rows if matches(row)]
