"""Targets in the browser: officers propose them, the performance team quality-assures
them and portfolio holders sign them off (docs/domain.md, "Indicators": targets).
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.locking import ConflictError
from pmis.web import form_errors

from .. import periods, services, target_years
from ..figures import affixes
from ..forms import TargetsForm
from ..models import (
    Frequency,
    Indicator,
    Period,
    Profile,
    Rating,
    Target,
    TargetStatus,
    TargetYear,
    target_sign_off_deadline,
)
from ..periods import PERIODS_PER_YEAR
from ..permissions import OWN_PROPOSAL, get_indicator_for_user, is_own_proposal, reportable, require
from ..targets import SHOWN_STATUSES, Row, proposals, shown_status, years_awaiting

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
    targets, the years on offer (and for the performance team, how many years await
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
        context["awaiting"] = years_awaiting("quality_assure", user).count()
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


def _saved_message(indicator: Indicator, year_label: str, target_year: TargetYear, saved: int, propose: bool) -> str:
    what = ngettext("%(count)d target", "%(count)d targets", saved) % {"count": saved}
    revision = f" (revision {target_year.revision})" if target_year.revision > 1 else ""
    if propose:
        return (
            f"The {indicator.code} targets for {year_label}{revision} are proposed to the performance team for "
            "quality assurance."
        )
    if saved:
        return f"{what} for {indicator.code} in {year_label} saved as draft{revision}."
    return "Nothing had changed, so no targets were saved."


def _last_year(indicator: Indicator, year: int):
    """Last year's ratings of the indicator's periods, oldest first (the figures the page shows
    for context and that shape a profile "like last year")."""
    return list(
        Rating.objects.filter(
            outturn__indicator=indicator, outturn__period__year=year - 1, outturn__period__frequency=indicator.frequency
        )
        .with_target_status()
        .select_related("outturn__period")
        .order_by("outturn__period__end")
    )


@login_required
def target_edit(request, indicator_id: int, year: int):
    """Set an indicator's targets for a financial year as one proposal: the annual target, its
    profile over the periods and the rationale, all saved together."""
    indicator = get_indicator_for_user(request.user, indicator_id, report=True)
    rows = _rows(indicator, year)
    year_label = periods.year_label(year)
    target_year = TargetYear.objects.filter(indicator=indicator, year=year).first()
    previous = _last_year(indicator, year)
    last_year = {rating.outturn.period.number: rating.actual for rating in previous}
    revising = target_year is not None and (target_year.status == TargetStatus.SIGNED_OFF or target_year.revision > 1)
    if request.method == "POST":
        propose = request.POST.get("action") == "propose"
        form = TargetsForm(
            request.POST, indicator=indicator, rows=rows, proposing=propose, last_year=last_year, revising=revising
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved_year, saved = target_years.target_year_save(
                    indicator=indicator,
                    year=year,
                    entries={
                        row.name: services.TargetEntry(row.period, data[row.name], data[f"{row.name}_version"])
                        for row in rows
                    },
                    profile=data["profile"],
                    rationale=data["rationale"],
                    reason=data.get("change_reason", ""),
                    by=request.user,
                    propose=propose,
                    expected_version=data["year_version"],
                )
            except services.TargetConflicts as conflict:
                # The page now shows what the others saved; saving again overwrites it on purpose.
                form.data = form.data.copy()
                for name, error in conflict.conflicts.items():
                    form.add_error(name, error.messages)
                    form.data[f"{name}_version"] = error.record.version
                rows = _rows(indicator, year)
            except ConflictError as conflict:
                form_errors(form, conflict)
                form.data = form.data.copy()
                form.data["year_version"] = conflict.record.version
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _saved_message(indicator, year_label, saved_year, saved, propose))
                return redirect("indicators:target-edit", indicator.pk, year)
    else:
        initial = {
            "rationale": target_year.rationale if target_year else _page_rationale(rows),
            "profile": target_year.profile if target_year else Profile.BY_HAND,
            "year_version": target_year.version if target_year else None,
            # A revision not yet signed off keeps the reason given for it.
            "change_reason": target_year.change_reason
            if target_year and target_year.status != TargetStatus.SIGNED_OFF
            else "",
        }
        for row in rows:
            if row.target is not None:
                initial[row.name] = f"{row.target.value:.{indicator.decimal_places}f}"
                initial[f"{row.name}_version"] = row.target.version
        form = TargetsForm(initial=initial, indicator=indicator, rows=rows, last_year=last_year, revising=revising)
    prefix, suffix = affixes(indicator.unit)
    return render(
        request,
        "indicators/target_edit.html",
        {
            "indicator": indicator,
            "year": year,
            "year_label": year_label,
            "previous_year_label": periods.year_label(year - 1),
            "target_year": target_year,
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


# The pages that quality-assure and sign off whole years, one row per indicator

DECISIONS = {
    "quality_assure": {
        "title": "Targets to quality-assure",
        "verb": "Quality-assure",
        "done": "quality-assured",
        "page": "indicators:quality-assurance",
        "done_page": "indicators:quality-assurance-done",
    },
    "sign_off": {
        "title": "Targets to sign off",
        "verb": "Sign off",
        "done": "signed off",
        "page": "indicators:sign-off",
        "done_page": "indicators:sign-off-done",
    },
}
APPROVE, SEND_BACK, LATER = "approve", "send_back", "later"


def _may_decide(user, stage: str) -> None:
    require(is_performance_team(user) if stage == "quality_assure" else has_role(user, Role.PORTFOLIO_HOLDER))


def _decisions_page(request, stage: str):
    """A page of year proposals awaiting the stage, each with a choice: move it on, send it
    back with a comment, or decide later. One submission sends back those chosen and moves
    on all the rest shown, all or none. A fixed number of queries whatever the number of rows.
    """
    user = request.user
    _may_decide(user, stage)
    words = DECISIONS[stage]
    rows = proposals(years_awaiting(stage, user))
    for row in rows:
        row.own = stage == "sign_off" and is_own_proposal(user, row.year)
        row.choice = LATER if row.own else APPROVE
        row.comment = row.error = ""
    errors = []
    if request.method == "POST":
        shown = {int(pk) for pk in request.POST.getlist("shown") if pk.isdigit()}
        send_back, rest = {}, []
        for row in rows:
            if row.year.pk not in shown:
                continue
            row.choice = request.POST.get(f"decision-{row.year.pk}", LATER if row.own else APPROVE)
            row.comment = request.POST.get(f"comment-{row.year.pk}", "").strip()
            if row.choice == SEND_BACK:
                if not row.comment:
                    row.error = f"Say why the {row.indicator.code} targets are being sent back."
                    errors.append((f"comment-{row.year.pk}", row.error))
                send_back[row.year.pk] = row.comment
            elif row.choice == APPROVE and not row.own:
                rest.append(row.year)
        if not shown:
            errors.append(("", "Nothing was decided: the targets on the page have been dealt with already."))
        if not errors:
            try:
                target_years.target_years_decide(send_back=send_back, rest=rest, stage=stage, by=user)
            except ValidationError as error:
                errors.extend(("", message) for message in error.messages)
            else:
                request.session[f"target-decisions-{stage}"] = {
                    "moved": [year.pk for year in rest],
                    "sent_back": list(send_back),
                }
                return redirect(words["done_page"])
    year = periods.financial_year(timezone.localdate())
    deadline = target_sign_off_deadline(year)
    signed = []
    if stage == "sign_off":
        signed = (
            TargetYear.objects.filter(year=year, status=TargetStatus.SIGNED_OFF, indicator__portfolio__holder=user)
            .select_related("indicator", "signed_off_by")
            .order_by("indicator__code")
        )
    return render(
        request,
        "indicators/target_decisions.html",
        {
            "stage": stage,
            "words": words,
            "rows": rows,
            "errors": errors,
            "own_proposal": OWN_PROPOSAL,
            "deadline": deadline,
            "deadline_passed": timezone.localdate() > deadline,
            "signed": signed,
            "year_label": periods.year_label(year),
        },
    )


def _decisions_done(request, stage: str):
    """The confirmation after a page of decisions: what moved on and what was sent back."""
    _may_decide(request.user, stage)
    done = request.session.get(f"target-decisions-{stage}", {"moved": [], "sent_back": []})
    years = {
        year.pk: year
        for year in TargetYear.objects.filter(pk__in=[*done["moved"], *done["sent_back"]]).select_related("indicator")
    }
    return render(
        request,
        "indicators/target_decisions_done.html",
        {
            "stage": stage,
            "words": DECISIONS[stage],
            "moved": [years[pk] for pk in done["moved"] if pk in years],
            "sent_back": [years[pk] for pk in done["sent_back"] if pk in years],
        },
    )


@login_required
def sign_off(request):
    """The portfolio holder's one page to sign off the targets of their portfolios' years."""
    return _decisions_page(request, "sign_off")


@login_required
def sign_off_done(request):
    return _decisions_done(request, "sign_off")


@login_required
def quality_assurance(request):
    """The performance team's one page to quality-assure the proposed years."""
    return _decisions_page(request, "quality_assure")


@login_required
def quality_assurance_done(request):
    return _decisions_done(request, "quality_assure")
