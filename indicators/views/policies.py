"""The corporate tolerance policy: the one in force, earlier ones, and recording a new one
after a preview of the ratings it would change; its re-rating runs in the background and
its page shows how far it has gone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from organisation.permissions import is_performance_team
from pmis.web import form_errors

from .. import services
from ..forms import TolerancePolicyForm
from ..models import Indicator, Period, Rating, TolerancePolicy, policy_in_force
from ..periods import financial_year, year_label
from ..permissions import require
from ..ratings import ratings_changes


def _timeline_with(policy: TolerancePolicy, timeline: list[TolerancePolicy]) -> list[TolerancePolicy]:
    """The timeline (newest first) with a policy not yet recorded where it would stand."""
    for index, existing in enumerate(timeline):
        if existing.since is None or existing.since <= policy.since:
            return [*timeline[:index], policy, *timeline[index:]]
    return [*timeline, policy]


def tolerance_preview(policy: TolerancePolicy, timeline: list[TolerancePolicy], today) -> dict:
    """What recording policy would change: how many ratings, and which indicators change
    colour in the current financial year ("LPI 016 2026/27 Q2: Amber to Red")."""
    indicators = Indicator.objects.filter(tolerance__isnull=True)
    changes = ratings_changes(indicators=indicators, since=policy.since, policies=_timeline_with(policy, timeline))
    recoloured = [c for c in changes if c.recoloured]
    year = financial_year(today)
    periods = {p.pk: p for p in Period.objects.filter(pk__in={c.period_id for c in recoloured}, year=year)}
    this_year = sorted(
        ((c.indicator.code, periods[c.period_id], c.before, c.after) for c in recoloured if c.period_id in periods),
        key=lambda row: (row[0], row[1].end),
    )
    return {
        "changed": len(changes),
        "recoloured": len(recoloured),
        "this_year": this_year,
        "year_label": year_label(year),
    }


@login_required
def tolerance_policy(request):
    """The policy in force, earlier ones; record a new one after reading its preview."""
    require(is_performance_team(request.user))
    timeline = list(TolerancePolicy.objects.timeline())
    today = timezone.localdate()
    form = TolerancePolicyForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "yes":
            try:
                policy = services.tolerance_policy_create(by=request.user, **data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    f"The tolerance of {policy} is recorded. Ratings from {policy.effective_from} on are being "
                    "worked out again.",
                )
                return redirect("indicators:tolerance-progress", policy.pk)
        else:
            unsaved = TolerancePolicy(
                tolerance=data["tolerance"], mode=data["mode"], effective_from=data["effective_from"]
            )
            preview = tolerance_preview(unsaved, timeline, today)
            preview["policy"] = unsaved
    return render(
        request,
        "indicators/tolerance_policy.html",
        {
            "form": form,
            "preview": preview,
            "in_force": policy_in_force(timeline, today) if timeline else None,
            "timeline": timeline,
        },
    )


@login_required
def tolerance_policy_progress(request, policy_id: int):
    """How far the re-rating after a policy has gone: ratings of its periods (of indicators
    using the corporate tolerance) rated since it was recorded, out of all of them."""
    require(is_performance_team(request.user))
    policy = get_object_or_404(TolerancePolicy.objects.select_related("effective_from", "set_by"), pk=policy_id)
    ratings = Rating.objects.filter(outturn__indicator__tolerance__isnull=True)
    if policy.since:
        ratings = ratings.filter(outturn__period__start__gte=policy.since)
    counts = ratings.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(rated_at__gte=policy.created_at)),
        finished_at=Max("rated_at"),
    )
    return render(
        request,
        "indicators/tolerance_progress.html",
        {"policy": policy, "finished": counts["done"] == counts["total"], **counts},
    )
