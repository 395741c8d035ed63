"""Scorecard filters, read from the URL so a filtered scorecard can be bookmarked and shared.

Portfolio, directorate, service, frequency and kind filter the indicators in the database.
Rating, direction, variation and assurance depend on each indicator's current period, so
they filter the rows the read layer returns (filter_rows); the summary counts the rows
before those.
"""

import django_filters
from django import forms

from indicators.models import Assurance, Frequency, Indicator, Kind, Rag, Travel
from organisation.models import Directorate, Portfolio, Service

from .scorecards import NOT_DUE, OVERDUE, STATUS_LABELS, SUMMARY_BUCKET, Row

RATING_CHOICES = [
    (Rag.RED, "Red"),
    (Rag.AMBER, "Amber"),
    (Rag.GREEN, "Green"),
    (Rag.NO_TARGET, "No target"),
    (Rag.DATA_ONLY, "Data only"),
    (Rag.NOT_AVAILABLE, "Not available or incomplete"),
    (OVERDUE, STATUS_LABELS[OVERDUE]),
    (NOT_DUE, STATUS_LABELS[NOT_DUE]),
]
DIRECTION_CHOICES = [*Travel.choices, ("none", "No comparison")]
# Variation is filtered by kind (a high or a low concern are both concerns).
VARIATION_CHOICES = [
    ("concern", "Concern"),
    ("improvement", "Improvement"),
    ("neutral", "Unusually high or low (data only)"),
    ("common", "Common cause"),
    ("none", "Not enough data"),
]
ASSURANCE_CHOICES = [*Assurance.choices, ("none", "Not assessed")]


def _rows_only(queryset, name, value):
    """Rating and direction are applied to rows by filter_rows, not to the queryset."""
    return queryset


class ScorecardFilter(django_filters.FilterSet):
    rag = django_filters.MultipleChoiceFilter(
        label="Rating", choices=RATING_CHOICES, method=_rows_only, widget=forms.CheckboxSelectMultiple
    )
    direction = django_filters.ChoiceFilter(
        label="Direction since previous period", choices=DIRECTION_CHOICES, method=_rows_only, empty_label="Any"
    )
    direction_year = django_filters.ChoiceFilter(
        label="Direction since same period last year",
        choices=DIRECTION_CHOICES,
        method=_rows_only,
        empty_label="Any",
    )
    variation = django_filters.ChoiceFilter(
        label="Variation", choices=VARIATION_CHOICES, method=_rows_only, empty_label="Any"
    )
    assurance = django_filters.ChoiceFilter(
        label="Assurance", choices=ASSURANCE_CHOICES, method=_rows_only, empty_label="Any"
    )
    portfolio = django_filters.ModelChoiceFilter(queryset=Portfolio.objects.all(), empty_label="All portfolios")
    directorate = django_filters.ModelChoiceFilter(
        field_name="service__directorate", queryset=Directorate.objects.all(), empty_label="All directorates"
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.select_related("directorate"), empty_label="All services"
    )
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, empty_label="All frequencies")
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="All kinds")

    class Meta:
        model = Indicator
        fields = [
            "rag",
            "direction",
            "direction_year",
            "variation",
            "assurance",
            "portfolio",
            "directorate",
            "service",
            "frequency",
            "kind",
        ]


def filter_rows(rows: list[Row], filterset: ScorecardFilter) -> list[Row]:
    """The rows matching the rating and direction filters (call after filterset.qs)."""
    data = getattr(filterset.form, "cleaned_data", {})
    wanted = set(data.get("rag") or [])
    direction = data.get("direction") or ""
    direction_year = data.get("direction_year") or ""
    variation = data.get("variation") or ""
    assurance = data.get("assurance") or ""

    def matches(row: Row) -> bool:
        if wanted and SUMMARY_BUCKET.get(row.status, row.status) not in wanted:
            return False
        if direction and (row.travel_previous or "none") != direction:
            return False
        if direction_year and (row.travel_last_year or "none") != direction_year:
            return False
        if variation and ((row.variation or "none").split("_")[0]) != variation:
            return False
        return not assurance or (row.assurance or "none") == assurance

    return [row for row in rows if matches(row)]
