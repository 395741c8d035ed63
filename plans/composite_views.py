"""The composite rule of priorities: the thresholds in force and earlier ones, and new
thresholds recorded by the performance team after a preview of the priorities whose
composite would change colour this year. Composites are worked out when read, so a new
policy shows at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from indicators.models import Frequency, Period
from indicators.periods import financial_year
from indicators.permissions import require
from organisation.permissions import is_performance_team
from pmis.web import form_errors

from . import services
from .composites import Thresholds, basket_statuses, composite, thresholds_on
from .forms import CompositePolicyForm
from .models import CompositePolicy, PlanStatus, Priority


def composite_preview(thresholds: Thresholds, since: Period, today) -> list[tuple[str, Period, str, str]]:
    """The priorities of approved plans whose composite would change colour, for each
    quarter of the current financial year from since that has ended: (priority, quarter,
    now, after). Four queries a quarter, at most four quarters."""
    year = financial_year(today)
    quarters = Period.objects.filter(
        frequency=Frequency.QUARTER, year=year, start__gte=since.start, end__lt=today
    ).order_by("start")
    priorities = {
        p.pk: p
        for p in Priority.objects.filter(
            plan__status=PlanStatus.APPROVED, plan__first_year__lte=year, plan__last_year__gte=year
        ).select_related("plan")
    }
    changes = []
    for quarter in quarters:
        now = thresholds_on(quarter.start)
        for pk, basket in basket_statuses(list(priorities), quarter).items():
            statuses = [status for _, status, _ in basket]
            before, after = composite(statuses, now), composite(statuses, thresholds)
            if before.status != after.status:
                changes.append((priorities[pk].title, quarter, before.label, after.label))
    return sorted(changes, key=lambda row: (row[0], row[1].start))


@login_required
def composite_rule(request):
    """The thresholds in force, earlier ones; new ones after reading their preview."""
    require(is_performance_team(request.user))
    today = timezone.localdate()
    form = CompositePolicyForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "yes":
            try:
                policy = services.composite_policy_create(by=request.user, **data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"The composite rule is recorded: {policy}.")
                return redirect("plans:composite-rule")
        else:
            preview = composite_preview(
                Thresholds(data["green_from"], data["amber_from"]), data["effective_from"], today
            )
    return render(
        request,
        "plans/composite_rule.html",
        {
            "form": form,
            "preview": preview,
            "in_force": thresholds_on(today),
            "policies": list(CompositePolicy.objects.select_related("effective_from", "set_by")),
        },
    )
