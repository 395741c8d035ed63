"""The performance team's administration of the indicator register.

Saving an indicator, a target, an outturn or a tolerance policy here goes through
indicators.services, so the admin rates figures and keeps the target lifecycle exactly as
the rest of PMIS does.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import definitions, periods, services
from .models import (
    BenchmarkValue,
    Indicator,
    Outturn,
    Period,
    Rag,
    Rating,
    SpcBaseline,
    Target,
    TolerancePolicy,
    percent,
)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "frequency", "start", "end", "due"]
    list_filter = ["frequency", "year"]
    readonly_fields = ["frequency", "year", "number", "start", "end"]
    search_fields = ["year"]

    def has_add_permission(self, request):
        # Periods come whole financial years at a time: manage.py create_periods.
        return False


@admin.register(TolerancePolicy)
class TolerancePolicyAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "tolerance", "effective_from", "set_by", "created_at"]
    list_select_related = ["effective_from", "set_by"]
    fields = ["tolerance", "reason", "effective_from", "set_by", "created_at"]
    readonly_fields = ["set_by", "created_at"]
    autocomplete_fields = ["effective_from"]

    def has_change_permission(self, request, obj=None):
        # A policy is never edited: the council records a new one, so the old stays on record.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        policy = services.tolerance_policy_create(
            tolerance=obj.tolerance, reason=obj.reason, effective_from=obj.effective_from, by=request.user
        )
        obj.pk, obj.set_by, obj.created_at = policy.pk, policy.set_by, policy.created_at
        messages.info(request, f"Ratings from {policy.effective_from} onwards are being recalculated.")


INDICATOR_FIELDSETS = [
    (None, {"fields": ["code", "title", "description", "definition", "kind", "national_indicator"]}),
    (
        "Measurement",
        {"fields": ["unit", "decimal_places", "polarity", "frequency", "is_cumulative", "data_source"]},
    ),
    ("Ownership", {"fields": ["service", "responsible_officer", "portfolio", "is_collected", "is_published"]}),
    ("Baseline and tolerance", {"fields": ["baseline", "baseline_year", "tolerance", "tolerance_mode"]}),
]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [field for _, options in INDICATOR_FIELDSETS for field in options["fields"]]

    def clean(self):
        data = super().clean()
        if "frequency" in data:
            try:
                definitions.indicator_frequency_check(indicator=self.instance, frequency=data["frequency"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    form = IndicatorForm
    list_display = [
        "code",
        "title",
        "kind",
        "unit",
        "polarity",
        "frequency",
        "is_cumulative",
        "service",
        "portfolio",
        "is_published",
        "latest",
    ]
    list_filter = ["kind", "is_collected", "is_published", "polarity", "frequency", "unit", "portfolio", "service"]
    list_select_related = ["service", "portfolio"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["national_indicator", "service", "responsible_officer", "portfolio"]
    fieldsets = INDICATOR_FIELDSETS

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest_rating()

    @admin.display(description="Latest rating", ordering="latest_rag")
    def latest(self, obj):
        if obj.latest_rag is None:
            return "No figures"
        rating = Rag(obj.latest_rag).label
        period = periods.label(obj.latest_frequency, obj.latest_year, obj.latest_number)
        if obj.latest_value is None:
            return f"{rating} ({period})"
        return f"{rating}: {obj.format_value(obj.latest_value)} ({period})"

    def save_model(self, request, obj, form, change):
        # Every field of the form, not only those changed from what it showed: a form
        # reverting to a version from the history shows that version.
        if change:
            definitions.indicator_update(indicator=obj, changes=form.cleaned_data, by=request.user)
        else:
            obj.pk = definitions.indicator_create(fields=form.cleaned_data, by=request.user).pk


class RatedForm(forms.ModelForm):
    """A target's or outturn's form: its indicator and period are fixed once it exists."""

    def key(self, data) -> tuple[Indicator | None, Period | None]:
        if self.instance.pk:
            return self.instance.indicator, self.instance.period
        return data.get("indicator"), data.get("period")


class RatedAdmin(SimpleHistoryAdmin):
    """Targets and outturns: figures shown in their unit; deleting one re-rates what depended on it."""

    def get_readonly_fields(self, request, obj=None):
        # Moving a figure to another indicator or period is a delete and a new entry.
        fields = super().get_readonly_fields(request, obj)
        return ["indicator", "period", *fields] if obj else fields

    @admin.display(description="Figure", ordering="value")
    def figure(self, obj):
        if obj.value is None:
            return "Not available"
        return obj.indicator.format_value(obj.value)

    def delete_model(self, request, obj):
        services.figures_delete(figures=type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.figures_delete(figures=queryset)


class TargetForm(RatedForm):
    class Meta:
        model = Target
        fields = ["indicator", "period", "value", "rationale"]

    def clean(self):
        data = super().clean()
        indicator, period = self.key(data)
        if indicator and period and data.get("value") is not None:
            services.target_check(indicator=indicator, period=period, value=data["value"])
        return data


@admin.register(Target)
class TargetAdmin(RatedAdmin):
    form = TargetForm
    list_display = ["indicator", "period", "figure", "status", "revision", "signed_off_by", "signed_off_at"]
    list_filter = ["status", "period__year", "period__frequency", "indicator__portfolio"]
    list_select_related = ["indicator", "period", "signed_off_by"]
    search_fields = ["indicator__code", "indicator__title"]
    autocomplete_fields = ["indicator", "period"]
    readonly_fields = [
        "status",
        "revision",
        "proposed_by",
        "proposed_at",
        "quality_assured_by",
        "quality_assured_at",
        "signed_off_by",
        "signed_off_at",
    ]
    # Proposing, quality-assuring and signing off are decisions on a whole year, taken on
    # PMIS's own pages (indicators.target_years), never one period's target in the admin.
    actions = []

    def save_model(self, request, obj, form, change):
        saved = services.target_set(
            indicator=obj.indicator, period=obj.period, value=obj.value, rationale=obj.rationale, by=request.user
        )
        obj.pk = saved.pk


class OutturnForm(RatedForm):
    class Meta:
        model = Outturn
        fields = [
            "indicator",
            "period",
            "value",
            "numerator",
            "denominator",
            "not_available_reason",
            "commentary",
            "commentary_is_public",
            "amendment_reason",
        ]

    def clean(self):
        data = super().clean()
        indicator, period = self.key(data)
        if period and period.is_locked and not data.get("amendment_reason", "").strip():
            self.add_error("amendment_reason", f"{period} is locked: say why the figure is being amended.")
        if indicator and period:
            data["value"] = services.outturn_check(
                indicator=indicator,
                period=period,
                value=data.get("value"),
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
                not_available_reason=data.get("not_available_reason", ""),
            )
        return data


@admin.register(Outturn)
class OutturnAdmin(RatedAdmin):
    form = OutturnForm
    list_display = ["indicator", "period", "figure", "rag", "state", "entered_by", "entered_at"]
    list_filter = ["state", "rating__rag", "period__year", "period__frequency", "indicator__portfolio"]
    list_select_related = ["indicator", "period", "entered_by", "rating"]
    search_fields = ["indicator__code", "indicator__title"]
    autocomplete_fields = ["indicator", "period"]
    readonly_fields = [
        "rating_summary",
        "state",
        "entered_by",
        "entered_at",
        "submitted_by",
        "submitted_at",
        "return_comment",
        "validated_by",
        "validated_at",
    ]

    @admin.display(description="Rating", ordering="rating__rag")
    def rag(self, obj):
        rating = getattr(obj, "rating", None)
        return rating.get_rag_display() if rating else "Not rated"

    def save_model(self, request, obj, form, change):
        saved = services.outturn_record(
            indicator=obj.indicator,
            period=obj.period,
            by=request.user,
            value=obj.value,
            numerator=obj.numerator,
            denominator=obj.denominator,
            not_available_reason=obj.not_available_reason,
            commentary=obj.commentary,
            commentary_is_public=obj.commentary_is_public,
            amendment_reason=obj.amendment_reason,
        )
        obj.pk = saved.pk

    def get_deleted_objects(self, objs, request):
        # An outturn's rating goes with it; nobody deletes ratings on their own.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(Rating._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    @admin.display(description="Rating")
    def rating_summary(self, obj):
        rating = getattr(obj, "rating", None)
        if rating is None:
            return "Not rated yet"
        unit = obj.indicator.format_value
        target = unit(rating.target) if rating.target is not None else "none"
        tolerance = (
            f"{percent(rating.tolerance)} of the target"
            if rating.tolerance_mode == "relative"
            else unit(rating.tolerance)
        )
        return (
            f"{rating.get_rag_display()}: {unit(rating.actual)} against a target of {target}, tolerance {tolerance}. "
            f"Since the previous period: {rating.get_travel_previous_display() or 'no comparison'}; "
            f"since the same period last year: {rating.get_travel_last_year_display() or 'no comparison'}."
        )


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = [
        "outturn",
        "rag",
        "actual",
        "target",
        "tolerance",
        "tolerance_mode",
        "travel_previous",
        "travel_last_year",
        "variation",
        "assurance",
        "likely_to_miss",
    ]
    list_filter = [
        "rag",
        "travel_previous",
        "travel_last_year",
        "variation",
        "assurance",
        "likely_to_miss",
        "outturn__period__year",
    ]
    list_select_related = ["outturn__indicator", "outturn__period"]
    search_fields = ["outturn__indicator__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpcBaseline)
class SpcBaselineAdmin(SimpleHistoryAdmin):
    """Read only, with its history of who set or reset which baseline: the performance
    team fixes and resets baselines on the indicator page, which re-rates the indicator."""

    list_display = ["indicator", "first_period", "last_period", "set_by", "set_at"]
    list_select_related = ["indicator", "first_period", "last_period", "set_by"]
    search_fields = ["indicator__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BenchmarkValue)
class BenchmarkValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "group", "council", "value"]
    list_filter = ["group", "period__year"]
    list_select_related = ["indicator", "period"]
    search_fields = ["indicator__code", "council", "group"]
    autocomplete_fields = ["indicator", "period"]
