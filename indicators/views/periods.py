"""Periods: the performance team's list of recent periods with their returns, and locking
and unlocking a period's figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation.permissions import is_performance_team

from .. import services
from ..models import Frequency
from ..permissions import get_period, require
from ..returns import recent_periods


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
            messages.error(request, message)
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
