"""Targets in the browser: officers propose them, the performance team quality-assures
them and portfolio holders sign them off (docs/domain.md, "Indicators": targets).
"""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.web import form_errors, redirect_back, run_action

from .. import periods, services
from ..figures import affixes
from ..forms import ReturnForm, TargetsForm
from ..models import Frequency, Indicator, Period, Rating, Target, TargetStatus
from ..periods import PERIODS_PER_YEAR
from ..permissions import (
    OWN_PROPOSAL,
    can_report,
    can_sign_off,
    get_indicator_for_user,
    is_own_proposal,
    reportable,
    require,
)
from ..targets import SHOWN_STATUSES, Row, awaiting_quality_assurance, awaiting_sign_off, latest_ratings, shown_status

# The financial years the pages accept (starting years); Period.year is a small integer.
YEARS = range(2000, 2100)


def _year_from_query(request) -> int:
    text = request.GET.get("year", "")
    if text.isdigit() and int(text) in YEARS:
        return int(text)
    return periods.financial_year(timezone.localdate())


# The list of targets


@login_required
def targets(request):
    """The user's reportable indicators and where their targets for a financial year stand.

    A fixed number of queries whatever the number of indicators: indicators, the year's
    targets, the years on offer (and for the performance team, the targets awaiting
    quality assurance).
    """
    user = request.user
    require(has_role(user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM))
    year = _year_from_query(request)
    indicators = reportable(user)
    by_indicator = defaultdict(list)
    for target in Target.objects.filter(indicator__in=indicators, period__year=year).select_related("period"):
        by_indicator[target.indicator_id].append(target)
    rows = []
    for indicator in indicators.order_by("code"):
        year_targets = by_indicator[indicator.pk]
        annual = next((t for t in year_targets if t.period.frequency == Frequency.YEAR), None)
        present = {shown_status(t) for t in year_targets}
        rows.append(
            {
                "indicator": indicator,
                "annual": annual,
                "per_year": PERIODS_PER_YEAR[indicator.frequency] if indicator.frequency != Frequency.YEAR else None,
                "periods_set": sum(1 for t in year_targets if t.period.frequency == indicator.frequency),
                "statuses": [(value, label) for value, label in SHOWN_STATUSES if value in present],
                "count": len(year_targets),
                "signed_off": sum(1 for t in year_targets if t.status == TargetStatus.SIGNED_OFF),
            }
        )
    current = periods.financial_year(timezone.localdate())
    set_up = set(Period.objects.filter(frequency=Frequency.YEAR).values_list("year", flat=True))
    context = {
        "rows": rows,
        "year": year,
        "year_label": periods.year_label(year),
        "year_set_up": year in set_up,
        "years": [(y, periods.year_label(y)) for y in sorted(set_up | {year, current}, reverse=True)],
        "is_performance_team": is_performance_team(user),
    }
    if context["is_performance_team"]:
        context["awaiting"] = awaiting_quality_assurance()
        context["return_form"] = ReturnForm()
    return render(request, "indicators/targets.html", context)


# Setting an indicator's targets for a year


def _rows(indicator: Indicator, year: int) -> list[Row]:
    """The annual target and then each period's target of the year, with the saved targets; 404
    when the year's periods are not set up."""
    if year not in YEARS:
        raise Http404("No such financial year.")
    found = sorted(
        Period.objects.filter(year=year, frequency__in={Frequency.YEAR, indicator.frequency}),
        key=lambda p: (p.frequency != Frequency.YEAR, p.number),
    )
    if not found or found[0].frequency != Frequency.YEAR:
        raise Http404("The periods of that financial year are not set up.")
    saved = {
        t.period_id: t
        for t in Target.objects.filter(indicator=indicator, period__in=found).select_related("signed_off_by")
    }
    so_far = " (year to date)" if indicator.is_cumulative else ""
    rows = [Row("annual", f"Annual target for {found[0]}", found[0], saved.get(found[0].pk))]
    rows += [Row(f"period_{p.number}", f"{p} target{so_far}", p, saved.get(p.pk)) for p in found[1:]]
    return rows


def _page_rationale(rows: list[Row]) -> str:
    """The rationale the page shows: the first one saved, the annual target's if it has one."""
    return services.targets_rationale(row.target for row in rows)


def _saved_message(indicator: Indicator, year_label: str, saved: int, proposed: int, propose: bool) -> str:
    what = f"{indicator.code} target{'s' if saved != 1 else ''} for {year_label}"
    if propose and proposed:
        plural = "s" if proposed != 1 else ""
        done = f"{saved} {what} saved. " if saved else ""
        return f"{done}{proposed} target{plural} proposed to the performance team for quality assurance."
    if propose:
        return f"{saved} {what} saved. There were no draft targets to propose."
    if saved:
        return f"{saved} {what} saved as draft."
    return "Nothing had changed, so no targets were saved."


@login_required
def target_edit(request, indicator_id: int, year: int):
    """Set an indicator's annual and period targets for a financial year, all saved together."""
    indicator = get_indicator_for_user(request.user, indicator_id, report=True)
    rows = _rows(indicator, year)
    year_label = periods.year_label(year)
    if request.method == "POST":
        propose = request.POST.get("action") == "propose"
        form = TargetsForm(request.POST, indicator=indicator, rows=rows, proposing=propose)
        if form.is_valid():
            try:
                data = form.cleaned_data
                saved, proposed = services.targets_save(
                    indicator=indicator,
                    entries={
                        row.name: services.TargetEntry(row.period, data[row.name], data[f"{row.name}_version"])
                        for row in rows
                    },
                    rationale=data["rationale"],
                    by=request.user,
                    propose=propose,
                )
            except services.TargetConflicts as conflict:
                # The page now shows what the others saved; saving again overwrites it on purpose.
                form.data = form.data.copy()
                for name, error in conflict.conflicts.items():
                    form.add_error(name, error.messages)
                    form.data[f"{name}_version"] = error.record.version
                rows = _rows(indicator, year)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _saved_message(indicator, year_label, saved, proposed, propose))
                return redirect("indicators:target-edit", indicator.pk, year)
    else:
        initial = {"rationale": _page_rationale(rows)}
        for row in rows:
            if row.target is not None:
                initial[row.name] = f"{row.target.value:.{indicator.decimal_places}f}"
                initial[f"{row.name}_version"] = row.target.version
        form = TargetsForm(initial=initial, indicator=indicator, rows=rows)
    previous = (
        Rating.objects.filter(
            outturn__indicator=indicator, outturn__period__year=year - 1, outturn__period__frequency=indicator.frequency
        )
        .with_target_status()
        .select_related("outturn__period")
        .order_by("outturn__period__end")
    )
    prefix, suffix = affixes(indicator.unit)
    return render(
        request,
        "indicators/target_edit.html",
        {
            "indicator": indicator,
            "year": year,
            "year_label": year_label,
            "previous_year_label": periods.year_label(year - 1),
            "target_rows": [
                {
                    "row": row,
                    "field": form[row.name],
                    "version": form[f"{row.name}_version"],
                    "status": shown_status(row.target) if row.target else "",
                }
                for row in rows
            ],
            "form": form,
            "previous": previous,
            "prefix": prefix,
            "suffix": suffix,
        },
    )


# Actions on one target


def _target_for(target_id: int) -> Target:
    return get_object_or_404(
        Target.objects.select_related("indicator__portfolio", "indicator__service", "period"), pk=target_id
    )


def _targets_page(target: Target) -> str:
    return f"{reverse('indicators:targets')}?year={target.period.year}"


@require_POST
@login_required
def target_propose(request, target_id: int):
    target = _target_for(target_id)
    require(can_report(request.user, target.indicator))
    run_action(
        request,
        services.target_propose,
        f"The {target.period} target for {target.indicator.code} is proposed to the performance team.",
        target=target,
    )
    return redirect_back(request, reverse("indicators:target-edit", args=[target.indicator_id, target.period.year]))


@require_POST
@login_required
def target_quality_assure(request, target_id: int):
    target = _target_for(target_id)
    require(is_performance_team(request.user))
    run_action(
        request,
        services.target_quality_assure,
        f"The {target.period} target for {target.indicator.code} is quality assured and awaits the portfolio "
        "holder's sign-off.",
        target=target,
    )
    return redirect_back(request, _targets_page(target))


@require_POST
@login_required
def target_return(request, target_id: int):
    """Send a target back to draft with a comment: the performance team, or the portfolio holder a
    target awaits for sign-off."""
    target = _target_for(target_id)
    holder = target.status == TargetStatus.QUALITY_ASSURED and can_sign_off(request.user, target)
    require(is_performance_team(request.user) or holder)
    default = reverse("indicators:sign-off") if holder else _targets_page(target)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        # Shown on a page of its own, with the error beside the comment box.
        return render(
            request,
            "indicators/target_return.html",
            {"target": target, "form": form, "next": request.POST.get("next", ""), "back": default},
        )
    run_action(
        request,
        services.target_return,
        f"The {target.period} target for {target.indicator.code} is sent back to draft.",
        comment=form.cleaned_data["comment"],
        target=target,
    )
    return redirect_back(request, default)


@require_POST
@login_required
def target_sign_off(request, target_id: int):
    target = _target_for(target_id)
    require(can_sign_off(request.user, target))
    run_action(
        request,
        services.target_sign_off,
        f"The {target.period} target for {target.indicator.code} is signed off.",
        target=target,
    )
    return redirect_back(request, reverse("indicators:sign-off"))


# The portfolio holder's sign-off queue


@login_required
def sign_off(request):
    """The quality-assured targets awaiting the user's sign-off, and those signed off this year.

    A fixed number of queries whatever the number of targets.
    """
    user = request.user
    require(has_role(user, Role.PORTFOLIO_HOLDER))
    queue = list(
        awaiting_sign_off(user)
        .select_related("indicator", "period", "proposed_by", "quality_assured_by")
        .order_by("indicator__code", "period__end")
    )
    recent = latest_ratings({target.indicator_id for target in queue})
    for target in queue:
        target.recent = recent.get(target.indicator_id, [])
        target.own = is_own_proposal(user, target)
    year = periods.financial_year(timezone.localdate())
    year_start = timezone.make_aware(datetime.datetime(year, 4, 1))
    signed = (
        Target.objects.filter(
            status=TargetStatus.SIGNED_OFF, indicator__portfolio__holder=user, signed_off_at__gte=year_start
        )
        .select_related("indicator", "period", "signed_off_by")
        .order_by("-signed_off_at", "indicator__code")
    )
    return render(
        request,
        "indicators/sign_off.html",
        {
            "queue": queue,
            "signed": signed,
            "year_label": periods.year_label(year),
            "return_form": ReturnForm(),
            "own_proposal": OWN_PROPOSAL,
        },
    )
