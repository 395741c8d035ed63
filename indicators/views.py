import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.locking import ConflictError
from pmis.web import form_errors, run_action

from . import periods, rag, services
from .forms import OutturnForm, ReturnForm
from .models import Frequency, Outturn, OutturnState, Period, Rag, Rating, Target, TargetStatus, Unit
from .permissions import can_read, get_indicator_for_user, get_period, reportable, require

SUFFIX = {Unit.PERCENTAGE: "%", Unit.DAYS: "days", Unit.RATE_PER_1000: "per 1,000"}
# How many ended periods of each frequency "My returns" lists.
RECENT = {Frequency.MONTH: 3, Frequency.QUARTER: 2, Frequency.YEAR: 1}


@login_required
def home(request):
    user = request.user
    require(can_read(user))
    context = {}
    if has_role(user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM):
        context["returns"] = recent_returns(user, timezone.localdate())
        context["to_do"] = sum(1 for row in context["returns"] if row["to_do"])
    if has_role(user, Role.PORTFOLIO_HOLDER):
        context["awaiting_sign_off"] = Target.objects.filter(
            status=TargetStatus.QUALITY_ASSURED, indicator__portfolio__holder=user
        ).count()
    if is_performance_team(user):
        context["awaiting_validation"] = Outturn.objects.filter(state=OutturnState.SUBMITTED).count()
        context["awaiting_quality_assurance"] = Target.objects.filter(status=TargetStatus.PROPOSED).count()
    return render(request, "indicators/home.html", context)


def recent_returns(user, today: datetime.date) -> list[dict]:
    """The returns the user must make for recent periods, with where each stands.

    Three queries whatever the number of indicators: indicators, periods, outturns.
    """
    indicators = list(reportable(user).select_related("service").order_by("code"))
    ended = Period.objects.ended_on(today)
    recent = {}
    for frequency, count in RECENT.items():
        recent[frequency] = list(ended.filter(frequency=frequency)[:count])
    period_ids = [p.pk for ps in recent.values() for p in ps]
    outturns = {
        (o.indicator_id, o.period_id): o
        for o in Outturn.objects.filter(indicator__in=indicators, period_id__in=period_ids).select_related("rating")
    }
    rows = []
    for indicator in indicators:
        for period in recent[indicator.frequency]:
            outturn = outturns.get((indicator.pk, period.pk))
            if outturn is None:
                state = period.return_status(today)
                label = periods.RETURN_LABELS[state]
            elif outturn.state == OutturnState.SUBMITTED and outturn.is_late:
                state, label = "submitted", "Submitted late"
            else:
                state, label = outturn.state, outturn.get_state_display()
            rows.append(
                {
                    "indicator": indicator,
                    "period": period,
                    "outturn": outturn,
                    "state": state,
                    "state_label": label,
                    "to_do": state in ("overdue", "due", "draft", "returned"),
                }
            )
    rows.sort(key=lambda row: (not row["to_do"], row["period"].due, row["indicator"].code))
    return rows


@login_required
def my_returns(request):
    require(has_role(request.user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM))
    rows = recent_returns(request.user, timezone.localdate())
    # One link per service and period with returns still to do, to enter them all at once.
    bulk = {(row["indicator"].service, row["period"]) for row in rows if row["to_do"] and row["indicator"].service}
    bulk = sorted(bulk, key=lambda pair: (pair[1].end, pair[0].name))
    return render(request, "indicators/my_returns.html", {"rows": rows, "bulk": bulk})


@login_required
def outturn_entry(request, indicator_id: int, period_id: int):
    """Enter or correct one figure; afterwards the page shows its rating and direction of travel."""
    indicator = get_indicator_for_user(request.user, indicator_id, report=True)
    period = get_period(period_id)
    if period.frequency != indicator.frequency:
        raise Http404("No such period for this indicator.")
    outturn = (
        Outturn.objects.filter(indicator=indicator, period=period)
        .select_related("indicator", "period", "rating")
        .first()
    )
    locked = period.is_locked
    if locked and not is_performance_team(request.user):
        # Readable, not changeable: the page says the period is locked.
        form = None
    elif request.method == "POST":
        form = OutturnForm(request.POST, indicator=indicator, locked=locked)
        if form.is_valid():
            try:
                form.save(period=period, by=request.user)
            except ConflictError as conflict:
                form_errors(form, conflict)
                form.data = form.data.copy()
                form.data["version"] = conflict.record.version
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"The {period} figure for {indicator.code} is saved.")
                return redirect("indicators:outturn-entry", indicator.pk, period.pk)
    else:
        form = OutturnForm(initial=OutturnForm.initial_for(outturn), indicator=indicator, locked=locked)
    target = Target.objects.filter(indicator=indicator, period=period).first()
    rating = getattr(outturn, "rating", None)
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
            "can_submit": outturn is not None and outturn.state in (OutturnState.DRAFT, OutturnState.RETURNED),
            "is_performance_team": is_performance_team(request.user),
            "return_form": ReturnForm(),
            "value_prefix": "£" if indicator.unit == Unit.CURRENCY else "",
            "value_suffix": SUFFIX.get(indicator.unit, ""),
            "rag_choices": Rag.choices,
            "now": timezone.localdate(),
            "previous": Rating.objects.filter(outturn__indicator=indicator, outturn__period__end__lt=period.start)
            .select_related("outturn__period")
            .order_by("-outturn__period__end")[:4],
        },
    )


@require_POST
@login_required
def outturn_submit(request, outturn_id: int):
    outturn = get_object_or_404(Outturn.objects.select_related("indicator", "period"), pk=outturn_id)
    get_indicator_for_user(request.user, outturn.indicator_id, report=True)
    run_action(
        request,
        services.outturn_submit,
        f"The {outturn.period} return for {outturn.indicator.code} is submitted.",
        outturn=outturn,
    )
    return redirect("indicators:outturn-entry", outturn.indicator_id, outturn.period_id)
