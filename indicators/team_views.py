"""The performance team's pages (validation, periods, rating overrides), the audit trail
of an indicator, and entering all of a service's figures for a period at once."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from organisation.models import Portfolio, Service
from organisation.permissions import is_performance_team
from pmis.locking import ConflictError
from pmis.web import form_errors, redirect_back, run_action

from . import services
from .forms import OutturnForm, ReturnForm
from .models import Frequency, Indicator, Outturn, OutturnState, Period, Rag, Rating, Target, Unit
from .permissions import can_report_for_service, get_indicator_for_user, get_period, reportable, require
from .views import SUFFIX

# How many ended periods of each frequency the periods page lists.
PERIODS_SHOWN = {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.YEAR: 2}


def _entry_page(outturn: Outturn) -> str:
    return reverse("indicators:outturn-entry", args=[outturn.indicator_id, outturn.period_id])


def _outturn(outturn_id: int) -> Outturn:
    return get_object_or_404(Outturn.objects.select_related("indicator", "period"), pk=outturn_id)


# Validation


def _return_form(outturn: Outturn, data=None) -> ReturnForm:
    # One send-back form per return on the page: ids must differ, the field name need not.
    form = ReturnForm(data, auto_id=f"return-{outturn.pk}-%s")
    form.fields["comment"].label = f"What needs to change in {outturn.indicator.code}, {outturn.period}?"
    return form


def awaiting_validation():
    """Submitted returns, oldest period first, with everything the validation page shows: one query."""
    return (
        Outturn.objects.filter(state=OutturnState.SUBMITTED)
        .select_related("indicator", "period", "submitted_by", "rating", "rating__overridden_by")
        .order_by("period__end", "indicator__code")
    )


def _validation_page(request, bound: ReturnForm | None = None, bound_for: int | None = None):
    outturns = list(awaiting_validation())
    rows = [
        {"outturn": o, "return_form": bound if o.pk == bound_for else _return_form(o), "rating": _rating(o)}
        for o in outturns
    ]
    return render(
        request,
        "indicators/validation.html",
        {"rows": rows, "form": bound, "rag_choices": Rag.choices},
    )


def _rating(outturn: Outturn) -> Rating | None:
    try:
        return outturn.rating
    except Rating.DoesNotExist:
        return None


@login_required
def validation(request):
    require(is_performance_team(request.user))
    return _validation_page(request)


@require_POST
@login_required
def outturn_validate(request, outturn_id: int):
    require(is_performance_team(request.user))
    outturn = _outturn(outturn_id)
    # The "show the commentary publicly" box is on the form only when there is commentary.
    public = request.POST.get("commentary_is_public") == "on" if "commentary_choice" in request.POST else None
    run_action(
        request,
        services.outturn_validate,
        f"The {outturn.period} return for {outturn.indicator.code} is validated.",
        outturn=outturn,
        commentary_is_public=public,
    )
    return redirect_back(request, reverse("indicators:validation"))


@require_POST
@login_required
def outturn_return(request, outturn_id: int):
    require(is_performance_team(request.user))
    outturn = _outturn(outturn_id)
    form = _return_form(outturn, request.POST)
    if not form.is_valid() and outturn.state == OutturnState.SUBMITTED:
        # Show the validation page again with the error on this return's form.
        return _validation_page(request, bound=form, bound_for=outturn.pk)
    run_action(
        request,
        services.outturn_return,
        f"The {outturn.period} return for {outturn.indicator.code} is sent back to the officer.",
        outturn=outturn,
        comment=form.cleaned_data.get("comment", ""),
    )
    return redirect_back(request, reverse("indicators:validation"))


# Periods


def recent_periods(today: datetime.date) -> list[dict]:
    """The recently ended periods with their counts of returns: five queries whatever the number.

    Each row: period, validated and entered (returns of collected indicators) and expected
    (collected indicators of the period's frequency).
    """
    rows = []
    for frequency, count in PERIODS_SHOWN.items():
        ended = Period.objects.ended_on(today).filter(frequency=frequency).select_related("locked_by")
        rows += [{"period": p} for p in ended[:count]]
    counts = {
        row["period_id"]: row
        for row in Outturn.objects.filter(period__in=[r["period"] for r in rows], indicator__is_collected=True)
        .values("period_id")
        .annotate(
            entered=Count("pk"),
            validated=Count("pk", filter=Q(state=OutturnState.VALIDATED)),
            submitted=Count("pk", filter=Q(state=OutturnState.SUBMITTED)),
        )
        .order_by()
    }
    expected = dict(Indicator.objects.collected().values_list("frequency").annotate(count=Count("pk")).order_by())
    for row in rows:
        found = counts.get(row["period"].pk, {})
        row["entered"] = found.get("entered", 0)
        row["validated"] = found.get("validated", 0)
        row["submitted"] = found.get("submitted", 0)
        row["expected"] = expected.get(row["period"].frequency, 0)
        row["unvalidated"] = row["entered"] - row["validated"]
    return rows


@login_required
def period_list(request):
    require(is_performance_team(request.user))
    rows = recent_periods(timezone.localdate())
    sections = [
        (label, [row for row in rows if row["period"].frequency == frequency])
        for frequency, label in (
            (Frequency.QUARTER, "Quarters"),
            (Frequency.MONTH, "Months"),
            (Frequency.YEAR, "Years"),
        )
    ]
    return render(request, "indicators/periods.html", {"sections": sections})


@require_POST
@login_required
def period_lock(request, period_id: int):
    require(is_performance_team(request.user))
    period = get_period(period_id)
    try:
        services.period_lock(period=period, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{period} is not locked: {message} Validate them first.")
    else:
        messages.success(request, f"{period} is locked: only the performance team can now amend its figures.")
    return redirect("indicators:periods")


@require_POST
@login_required
def period_unlock(request, period_id: int):
    require(is_performance_team(request.user))
    period = get_period(period_id)
    services.period_unlock(period=period, by=request.user)
    messages.success(request, f"{period} is unlocked: officers can correct its figures again.")
    return redirect("indicators:periods")


# Rating override


class RatingOverrideForm(forms.Form):
    rag = forms.ChoiceField(
        label="Overriding rating", required=False, choices=[("", "No override: show the computed rating"), *Rag.choices]
    )
    reason = forms.CharField(label="Why override the computed rating?", required=False, widget=forms.Textarea)


@require_POST
@login_required
def rating_override(request, outturn_id: int):
    """Set or remove the overriding rating. Errors come back as a message on the page the form was on."""
    require(is_performance_team(request.user))
    outturn = _outturn(outturn_id)
    if not Rating.objects.filter(outturn=outturn).exists():
        messages.error(request, "This figure has no rating to override yet.")
        return redirect_back(
            request, reverse("indicators:outturn-entry", args=[outturn.indicator_id, outturn.period_id])
        )
    form = RatingOverrideForm(request.POST)
    if form.is_valid():
        try:
            rating = services.rating_override(
                outturn=outturn, rag=form.cleaned_data["rag"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            what = f"the {outturn.period} figure for {outturn.indicator.code}"
            if rating.override_rag:
                messages.success(request, f"The rating of {what} is overridden: {rating.shown_label}.")
            else:
                messages.success(request, f"The override is removed: {what} shows its computed rating.")
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, f"The rating is not overridden: {message}")
    return redirect_back(request, _entry_page(outturn))


# Audit trail

# Who made a change and when are shown for every change, so the fields that only repeat
# them (and the version counter) would be noise.
NOT_SHOWN = {
    "version",
    "indicator",
    "period",
    "entered_by",
    "entered_at",
    "submitted_by",
    "submitted_at",
    "validated_by",
    "validated_at",
    "proposed_by",
    "proposed_at",
    "quality_assured_by",
    "quality_assured_at",
    "signed_off_by",
    "signed_off_at",
}
FIGURES = {"value", "baseline"}
# What a new target or figure is shown with; a new definition just says it was created.
SHOWN_WHEN_CREATED = {Target: ["value", "rationale"], Outturn: ["value", "not_available_reason", "commentary"]}
RELATED = {"service": Service, "portfolio": Portfolio, "national_indicator": Indicator}


def _shown(model, name: str, value, indicator: Indicator, related: dict) -> str:
    if value is None or value == "":
        return "none"
    field = model._meta.get_field(name)
    if name in FIGURES:
        return indicator.format_value(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name in related:
        return str(related[name].get(value, f"deleted ({value})"))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def indicator_history(indicator: Indicator) -> list[dict]:
    """Every change to the indicator's definition, targets and figures, newest first.

    Three queries for the histories, plus one per kind of linked record (service, portfolio,
    officer, national indicator) a changed definition names. Each entry: when, who, what,
    action ("created", "changed" or "deleted") and changes, a list of (field, old, new).
    """
    histories = [
        (Indicator, "Definition", Indicator.history.filter(id=indicator.pk).select_related("history_user")),
        (Target, "Target", Target.history.filter(indicator_id=indicator.pk).select_related("history_user", "period")),
        (Outturn, "Figure", Outturn.history.filter(indicator_id=indicator.pk).select_related("history_user", "period")),
    ]
    pairs = []
    for model, what, records in histories:
        by_object = defaultdict(list)
        for record in records.order_by("history_date", "history_id"):
            by_object[record.id].append(record)
        for versions in by_object.values():
            previous = None
            for record in versions:
                pairs.append((model, what, record, previous))
                previous = record
    # Linked records named by changed definitions, one query per kind.
    wanted = defaultdict(set)
    deltas = {}
    for model, _what, record, previous in pairs:
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=NOT_SHOWN)
            deltas[record.history_id, model] = delta
            for change in delta.changes:
                if change.field in RELATED or change.field == "responsible_officer":
                    wanted[change.field].update(v for v in (change.old, change.new) if v is not None)
    related = {name: RELATED[name].objects.in_bulk(ids) for name, ids in wanted.items() if name in RELATED}
    if wanted.get("responsible_officer"):
        related["responsible_officer"] = get_user_model().objects.in_bulk(wanted["responsible_officer"])
    entries = []
    for model, what, record, previous in pairs:
        label = what if model is Indicator else f"{what} {record.period}"
        changes = []
        if record.history_type == "+" or previous is None:
            action = "created"
            for name in SHOWN_WHEN_CREATED.get(model, []):
                value = getattr(record, name)
                if value not in (None, ""):
                    changes.append((_label(model, name), None, _shown(model, name, value, indicator, related)))
        elif record.history_type == "-":
            action = "deleted"
        else:
            action = "changed"
            for change in deltas[record.history_id, model].changes:
                changes.append(
                    (
                        _label(model, change.field),
                        _shown(model, change.field, change.old, indicator, related),
                        _shown(model, change.field, change.new, indicator, related),
                    )
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "what": label,
                "action": action,
                "changes": changes,
                "order": (record.history_date, record.history_id),
            }
        )
    entries.sort(key=lambda entry: entry["order"], reverse=True)
    return entries


def _label(model, name: str) -> str:
    if name == "value":
        return "Target" if model is Target else "Figure"
    if name == "state":
        return "Status"
    return str(model._meta.get_field(name).verbose_name).capitalize()


@login_required
def indicator_history_view(request, indicator_id: int):
    indicator = get_indicator_for_user(request.user, indicator_id)
    return render(
        request,
        "indicators/indicator_history.html",
        {"indicator": indicator, "entries": indicator_history(indicator)},
    )


# Bulk entry


class BulkOutturnForm(OutturnForm):
    """One row of bulk entry: the figure for one indicator. Rows left as they were are not saved."""

    def __init__(self, *args, indicator: Indicator, locked: bool, **kwargs):
        super().__init__(*args, indicator=indicator, locked=locked, **kwargs)
        # The label names the indicator, so that the error summary and a screen reader
        # moving between rows say which figure is meant.
        self.fields["value"].label = f"Figure for {indicator.code}"

    def changed(self) -> bool:
        """Whether to save the row: it was neither left empty nor left as it was."""
        typed = any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.fields if name != "version")
        if not typed and not self.data.get(self.add_prefix("version")):
            # Empty when opened and left empty, even if someone has entered a figure since.
            return False
        # The version alone differs when someone saved the same figure again meanwhile.
        return bool(set(self.changed_data) - {"version"})

    def show(self, outturn: Outturn) -> None:
        """Show the figure as it now is, in place of what was posted."""
        for name, value in OutturnForm.initial_for(outturn).items():
            if name in self.fields:
                self.data[self.add_prefix(name)] = str(value)


class BaseBulkOutturnFormSet(forms.BaseFormSet):
    """A row per indicator, its fields named after the indicator rather than its position,
    so that an indicator added or removed while the form was open cannot shift a figure
    onto another indicator."""

    def __init__(self, *args, indicators: list[Indicator], locked: bool, **kwargs):
        self.indicators = indicators
        self.locked = locked
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.indicators)

    def initial_form_count(self):
        return len(self.indicators)

    def add_prefix(self, index):
        if isinstance(index, int):
            return f"{self.prefix}-{self.indicators[index].pk}"
        return super().add_prefix(index)

    def get_form_kwargs(self, index):
        indicator = self.indicators[index] if index is not None else self.indicators[0]
        return {"indicator": indicator, "locked": self.locked}


BulkOutturnFormSet = forms.formset_factory(BulkOutturnForm, formset=BaseBulkOutturnFormSet, extra=0)


def _save_rows(formset, period: Period, by) -> int | None:
    """Record every changed row, all or nothing; the number saved, or None (and nothing
    saved) if any row has an error, every row's errors then being on its form."""
    changed = [form for form in formset.forms if form.changed()]
    valid = [form for form in changed if form.is_valid()]
    failed = len(valid) < len(changed) or not formset.management_form.is_valid()
    try:
        # Rows that are valid are tried even when others are not, so that every row's
        # errors are shown at once.
        saved = services.outturns_record(
            period=period, figures={form: form.arguments() for form in valid}, by=by, dry_run=failed
        )
    except services.FiguresRefused as refused:
        for form, error in refused.errors.items():
            form_errors(form, error)
            if isinstance(error, ConflictError):
                # The row may not even have been touched: show what the other person saved,
                # so that saving again keeps it unless the user changes it.
                form.show(error.record)
        return None
    return None if failed else saved


@login_required
def bulk_entry(request, service_id: int, period_id: int):
    """Enter all of a service's figures for a period on one page, saved all together or not at all."""
    service = get_object_or_404(Service, pk=service_id)
    period = get_period(period_id)
    require(can_report_for_service(request.user, service))
    indicators = list(
        reportable(request.user)
        .filter(service=service, frequency=period.frequency)
        .select_related("service")
        .order_by("code")
    )
    outturns = {
        o.indicator_id: o
        for o in Outturn.objects.filter(indicator__in=indicators, period=period).select_related("rating")
    }
    locked = period.is_locked
    can_amend = not locked or is_performance_team(request.user)
    initial = [OutturnForm.initial_for(outturns.get(indicator.pk)) for indicator in indicators]
    formset = None
    if can_amend and request.method == "POST":
        formset = BulkOutturnFormSet(
            request.POST.copy(), initial=initial, indicators=indicators, locked=locked, prefix="row"
        )
        saved = _save_rows(formset, period, request.user)
        if saved is not None:
            if saved:
                messages.success(request, f"{saved} figure{'s' if saved != 1 else ''} saved for {service}, {period}.")
            else:
                messages.success(request, f"No figures were changed for {service}, {period}.")
            return redirect("indicators:my-returns")
    elif can_amend:
        formset = BulkOutturnFormSet(initial=initial, indicators=indicators, locked=locked, prefix="row")
    previous = Period.objects.filter(frequency=period.frequency, end__lt=period.start).order_by("-end").first()
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__in=indicators, period=period)}
    previous_outturns = (
        {
            o.indicator_id: o
            for o in Outturn.objects.filter(indicator__in=indicators, period=previous).select_related("rating")
        }
        if previous
        else {}
    )
    rows = [
        {
            "indicator": indicator,
            "form": formset.forms[index] if formset else None,
            "outturn": outturns.get(indicator.pk),
            "target": targets.get(indicator.pk),
            "previous": previous_outturns.get(indicator.pk),
            "prefix": "£" if indicator.unit == Unit.CURRENCY else "",
            "suffix": SUFFIX.get(indicator.unit, ""),
        }
        for index, indicator in enumerate(indicators)
    ]
    return render(
        request,
        "indicators/bulk_entry.html",
        {"service": service, "period": period, "previous_period": previous, "rows": rows, "formset": formset},
    )
