"""Figures (outturns): entering one, submitting it, the performance team's validation and
rating overrides, and entering all of a service's figures for a period at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisation.models import Service
from organisation.permissions import is_performance_team
from pmis.locking import ConflictError
from pmis.web import form_conflict, form_errors, redirect_back

from .. import rag, services
from ..figures import affixes
from ..forms import BulkOutturnFormSet, OutturnForm, QueueFilters, RatingOverrideForm, ReturnForm, ValidateForm
from ..models import Outturn, OutturnState, Period, Rag, Rating, Target, collecting
from ..permissions import (
    can_amend,
    can_report_for_service,
    get_indicator_for_user,
    get_period,
    is_own_figure,
    reportable,
    require,
)
from ..returns import figure_histories, figure_queries, validation_queue
from ..year_to_date import entered_to_date, own_of


def _entry_page(outturn: Outturn) -> str:
    return reverse("indicators:outturn-entry", args=[outturn.indicator_id, outturn.period_id])


def _outturn(outturn_id: int) -> Outturn:
    return get_object_or_404(Outturn.objects.select_related("indicator", "period"), pk=outturn_id)


# Entering and submitting one figure


@login_required
def outturn_entry(request, indicator_id: int, period_id: int):
    """Enter or correct one figure, saving it as a draft or saving and submitting it;
    afterwards the page shows its rating and direction of travel."""
    indicator = get_indicator_for_user(request.user, indicator_id, report=True)
    period = get_period(period_id)
    if period.frequency != indicator.frequency:
        raise Http404("No such period for this indicator.")
    outturn = _entry_outturn(indicator, period)
    locked = period.is_locked
    if not can_amend(request.user, period):
        # Readable, not changeable: the page says the period is locked.
        form = None
    elif request.method == "POST":
        form = OutturnForm(request.POST, initial=OutturnForm.initial_for(outturn), indicator=indicator, locked=locked)
        submit = request.POST.get("action") == "submit" and not locked
        if form.is_valid() and _entry_save(request, form, outturn, period, submit):
            return redirect("indicators:outturn-entry", indicator.pk, period.pk)
        outturn = _entry_outturn(indicator, period)
    else:
        form = OutturnForm(initial=OutturnForm.initial_for(outturn), indicator=indicator, locked=locked)
    target = Target.objects.filter(indicator=indicator, period=period).first()
    rating = getattr(outturn, "rating", None)
    if form is not None:
        form.rated(rating)
    value_prefix, value_suffix = affixes(indicator.unit)
    own_figure = None
    if outturn is not None and entered_to_date(indicator):
        previous = None
        if period.number > 1:
            previous = Outturn.objects.filter(
                indicator=indicator,
                period__frequency=period.frequency,
                period__year=period.year,
                period__number=period.number - 1,
            ).first()
        own_figure = own_of(indicator, outturn, previous)
    return render(
        request,
        "indicators/outturn_entry.html",
        {
            "indicator": indicator,
            "period": period,
            "outturn": outturn,
            "rating": rating,
            "target": target,
            "form": form,
            "needs_commentary": rating is not None and rag.needs_commentary(rating.rag, outturn.commentary),
            "is_performance_team": is_performance_team(request.user),
            "value_prefix": value_prefix,
            "value_suffix": value_suffix,
            "own_figure": own_figure,
            "rag_choices": Rag.choices,
            "now": timezone.localdate(),
            "previous": Rating.objects.filter(outturn__indicator=indicator, outturn__period__end__lt=period.start)
            .select_related("outturn__period")
            .order_by("-outturn__period__end")[:4],
        },
    )


def _entry_outturn(indicator, period) -> Outturn | None:
    return (
        Outturn.objects.filter(indicator=indicator, period=period)
        .select_related("indicator", "period", "rating")
        .first()
    )


def _entry_save(request, form: OutturnForm, outturn: Outturn | None, period: Period, submit: bool) -> bool:
    """Save the figure if it changed, then submit it if asked; True when all that was done.
    A refusal goes on the form: a figure saved but refused submission (a Red or Amber
    figure without commentary) stays a draft, and the form carries its new version."""
    indicator, saved = form.indicator, None
    try:
        if outturn is None or not submit or set(form.changed_data) - {"version"}:
            saved = form.save(period=period, by=request.user)
            if saved is None:
                return False  # the figure is queried: confirm or correct it
        if submit:
            services.outturn_submit(outturn=saved or outturn, by=request.user)
    except ConflictError as conflict:
        form_conflict(form, conflict)
        return False
    except ValidationError as error:
        if saved is not None and hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    field: [f"Saved as a draft, not submitted. {message}" for message in messages_]
                    for field, messages_ in error.message_dict.items()
                }
            )
        form_errors(form, error)
        if saved is not None:
            form.data = form.data.copy()
            form.data["version"] = saved.version
        return False
    if submit:
        messages.success(request, f"The {period} figure for {indicator.code} is saved and submitted.")
    elif period.is_locked:
        messages.success(request, f"The {period} figure for {indicator.code} is amended.")
    else:
        messages.success(request, f"The {period} figure for {indicator.code} is saved as a draft.")
    return True


# Validation


@login_required
def validation(request):
    """The queue of returns awaiting validation as a table, filtered by the address."""
    require(is_performance_team(request.user))
    return _queue_page(request, QueueFilters(request.GET))


def _queue_page(request, filters: QueueFilters, error: str = ""):
    chosen = filters.chosen()
    rows = validation_queue(chosen)

    def selectable(row) -> bool:
        return row.state == OutturnState.SUBMITTED and not is_own_figure(request.user, row)

    return render(
        request,
        "indicators/validation.html",
        {
            "filters": filters,
            "rows": rows,
            "selectable": ",".join(str(row.pk) for row in rows if selectable(row)),
            "selectable_count": sum(1 for row in rows if selectable(row)),
            "selection_error": error,
            "filtered": bool(chosen),
            "filter_query": filters.data.urlencode(),
            "first_selectable": next((r.pk for r in rows if selectable(r)), None),
        },
    )


def _selected(request) -> list[int]:
    """The returns chosen: the boxes ticked ("outturn"), or every one shown or confirmed
    ("selected", their ids joined by commas: one field, however many)."""
    given = request.POST.getlist("outturn") + request.POST.get("selected", "").split(",")
    return sorted({int(pk) for pk in given if pk.isdigit()})


def _queue_address(request) -> str:
    """The queue as it was filtered when the selection was made."""
    query = request.POST.get("filters", "")
    return reverse("indicators:validation") + (f"?{query}" if query else "")


@require_POST
@login_required
def validation_confirm(request):
    """Confirm the returns selected in the queue before validating them; with "confirmed",
    validate them all (or, refused, show why on the confirmation page)."""
    require(is_performance_team(request.user))
    ids = _selected(request)
    if not ids:
        filters = QueueFilters(QueryDict(request.POST.get("filters", "")))
        return _queue_page(request, filters, error="Select the returns to validate.")
    outturns = list(
        Outturn.objects.filter(pk__in=ids)
        .select_related("indicator", "period", "submitted_by", "rating")
        .order_by("period__end", "indicator__code")
    )
    form = ValidateForm(request.POST if "confirmed" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            count = services.outturns_validate(
                outturns=ids, by=request.user, commentary_is_public=form.commentary_is_public()
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d return validated.", "%(count)d returns validated.", count) % {"count": count},
            )
            return redirect(_queue_address(request))
    asked = sum(1 for o in outturns if o.indicator.is_published and o.commentary and o.commentary_is_public)
    return render(
        request,
        "indicators/validation_confirm.html",
        {
            "outturns": outturns,
            "selected": ",".join(str(pk) for pk in ids),
            "form": form,
            "asked": asked,
            "filters": request.POST.get("filters", ""),
        },
    )


def _return_form(outturn: Outturn, data=None) -> ReturnForm:
    form = ReturnForm(data)
    form.fields["comment"].label = f"What needs to change in {outturn.indicator.code}, {outturn.period}?"
    return form


def _queue_back(request) -> str:
    """The queue page to go back to (as filtered when the user left it): the "next" given,
    if it is the queue on this site."""
    url = request.GET.get("next") or request.POST.get("next", "")
    queue = reverse("indicators:validation")
    if url.startswith(queue) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return queue


@login_required
def outturn_return(request, outturn_id: int):
    """Send one return back to its officer with a comment saying what needs to change."""
    require(is_performance_team(request.user))
    outturn = get_object_or_404(
        Outturn.objects.select_related("indicator", "period", "submitted_by", "rating"), pk=outturn_id
    )
    if request.method == "POST":
        form = _return_form(outturn, request.POST)
        if form.is_valid():
            try:
                services.outturn_return(outturn=outturn, comment=form.cleaned_data["comment"], by=request.user)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request, f"The {outturn.period} return for {outturn.indicator.code} is sent back to the officer."
                )
                return redirect(_queue_back(request))
    else:
        form = _return_form(outturn)
    return render(
        request,
        "indicators/outturn_return.html",
        {
            "outturn": outturn,
            "rating": getattr(outturn, "rating", None),
            "form": form,
            "next": _queue_back(request),
        },
    )


# Rating override


@require_POST
@login_required
def rating_override(request, outturn_id: int):
    """Set or remove the overriding rating. Errors come back as a message on the page the form was on."""
    require(is_performance_team(request.user))
    outturn = _outturn(outturn_id)
    if not Rating.objects.filter(outturn=outturn).exists():
        messages.error(request, "This figure has no rating to override yet.")
        return redirect_back(request, _entry_page(outturn))
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


# Bulk entry


def _queried(forms: list, period: Period) -> bool:
    """Put the entry checks' queries (indicators.unusual: a zero where there has never been
    one, a figure outside the process limits, a jump) on each row not yet confirmed, as the
    entry page does; True if any row is queried. One query."""
    pending = [form for form in forms if not form.cleaned_data.get("confirmed")]
    if not pending:
        return False
    histories = figure_histories([form.indicator.pk for form in pending], period.frequency)
    asked = False
    for form in pending:
        arguments = form.arguments()
        try:
            value = services.outturn_check(
                period=period,
                **{k: arguments[k] for k in ("indicator", "value", "numerator", "denominator", "not_available_reason")},
            )
        except ValidationError:
            continue  # refused when the rows are recorded, with its reason
        for query in figure_queries(form.indicator, period, value, histories[form.indicator.pk]):
            form.add_error("confirmed", query)
            asked = True
    return asked


def _save_rows(formset, period: Period, by) -> int | None:
    """Record every changed row, all or nothing; the number saved, or None (and nothing
    saved) if any row has an error or a figure queried and not yet confirmed, every row's
    errors and queries then being on its form."""
    changed = [form for form in formset.forms if form.changed()]
    valid = [form for form in changed if form.is_valid()]
    failed = len(valid) < len(changed) or not formset.management_form.is_valid()
    failed = _queried(valid, period) or failed
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
    """Enter all of a service's figures for a period on one page, saved all together or not
    at all; "Save and submit" then submits every complete figure that may be submitted."""
    service = get_object_or_404(Service, pk=service_id)
    period = get_period(period_id)
    require(can_report_for_service(request.user, service))
    indicators = list(
        reportable(request.user)
        .filter(collecting(period), service=service, frequency=period.frequency)
        .select_related("service", "collected_from", "retired_after")
        .order_by("code")
    )
    outturns = _bulk_outturns(indicators, period)
    locked = period.is_locked
    amend = can_amend(request.user, period)
    initial = [OutturnForm.initial_for(outturns.get(indicator.pk)) for indicator in indicators]
    formset, held = None, {}
    if amend and request.method == "POST":
        formset = BulkOutturnFormSet(
            request.POST.copy(), initial=initial, indicators=indicators, locked=locked, prefix="row"
        )
        saved = _save_rows(formset, period, request.user)
        if saved is not None:
            submit = request.POST.get("action") == "submit" and not locked
            submitted, held = _submit_rows(indicators, period, request.user) if submit else ([], {})
            messages.success(request, _bulk_saved_words(saved, len(submitted), service, period))
            if not held:
                return redirect("indicators:my-returns")
            # Figures that need commentary stay drafts: the page again, as now saved, with
            # the refusal at each one's commentary.
            outturns = _bulk_outturns(indicators, period)
            formset = _formset_showing(indicators, outturns, locked)
            for index, indicator in enumerate(indicators):
                if indicator.pk in held:
                    form_errors(formset.forms[index], held[indicator.pk])
    elif amend:
        formset = BulkOutturnFormSet(initial=initial, indicators=indicators, locked=locked, prefix="row")
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__in=indicators, period=period)}
    earlier, last_figures = _last_figures(indicators, period)
    rows = []
    for index, indicator in enumerate(indicators):
        prefix, suffix = affixes(indicator.unit)
        form = formset.forms[index] if formset else None
        outturn = outturns.get(indicator.pk)
        if form is not None:
            form.rated(getattr(outturn, "rating", None))
        rows.append(
            {
                "indicator": indicator,
                "form": form,
                "outturn": outturn,
                "target": targets.get(indicator.pk),
                "last_figures": [(p, last_figures.get((indicator.pk, p.pk))) for p in earlier],
                "prefix": prefix,
                "suffix": suffix,
            }
        )
    return render(
        request,
        "indicators/bulk_entry.html",
        {"service": service, "period": period, "rows": rows, "formset": formset, "held": len(held)},
    )


# How many earlier periods' figures bulk entry shows beside each row.
LAST_FIGURES = 3


def _bulk_outturns(indicators, period: Period) -> dict[int, Outturn]:
    return {
        o.indicator_id: o
        for o in Outturn.objects.filter(indicator__in=indicators, period=period).select_related("rating")
    }


def _last_figures(indicators, period: Period) -> tuple[list[Period], dict]:
    """The periods before period (oldest first) and each indicator's outturn in them: two queries."""
    before = Period.objects.filter(frequency=period.frequency, end__lt=period.start).order_by("-end")
    earlier = list(before[:LAST_FIGURES])[::-1]
    figures = {
        (o.indicator_id, o.period_id): o
        for o in Outturn.objects.filter(indicator__in=indicators, period__in=earlier).select_related("rating")
    }
    return earlier, figures


def _submit_rows(indicators, period: Period, by) -> tuple[list[Outturn], dict[int, ValidationError]]:
    """Submit every figure of the page that its officer may submit (drafts and figures sent
    back); (those submitted, the refused by indicator id with why)."""
    submittable = Outturn.objects.filter(
        indicator__in=indicators, period=period, state__in=[OutturnState.DRAFT, OutturnState.RETURNED]
    ).select_related("indicator", "period")
    submitted, refused = services.outturns_submit(outturns=submittable, by=by)
    return submitted, {
        outturn.indicator_id: ValidationError(
            {
                field: [f"Saved as a draft, not submitted. {message}" for message in errors]
                for field, errors in error.message_dict.items()
            }
            if hasattr(error, "error_dict")
            else [f"Not submitted. {message}" for message in error.messages]
        )
        for outturn, error in refused.items()
    }


def _bulk_saved_words(saved: int, submitted: int, service: Service, period: Period) -> str:
    where = f"{service}, {period}"
    if submitted:
        figures = ngettext("%(count)d figure", "%(count)d figures", saved) % {"count": saved}
        return f"{figures} saved and {submitted} submitted for {where}."
    if saved:
        figures = ngettext("%(count)d figure", "%(count)d figures", saved) % {"count": saved}
        return f"{figures} saved for {where}."
    return f"No figures were changed for {where}."


def _formset_showing(indicators, outturns: dict[int, Outturn], locked: bool):
    """The bulk entry formset bound to the figures as saved, so that errors can be put on it
    and saving the page again changes nothing unless the user does."""
    data = QueryDict(mutable=True)
    data.update({"row-TOTAL_FORMS": len(indicators), "row-INITIAL_FORMS": len(indicators), "row-MIN_NUM_FORMS": 0})
    initial = []
    for indicator in indicators:
        values = OutturnForm.initial_for(outturns.get(indicator.pk))
        initial.append(values)
        for name, value in values.items():
            if value is True:
                data[f"row-{indicator.pk}-{name}"] = "on"
            elif value is not False:
                data[f"row-{indicator.pk}-{name}"] = str(value)
    formset = BulkOutturnFormSet(data, initial=initial, indicators=indicators, locked=locked, prefix="row")
    for form in formset.forms:
        form.is_valid()
    return formset
