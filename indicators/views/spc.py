"""The performance team's SPC baseline (the periods that fix an indicator's process
limits) and the page that explains variation, assurance and forecasts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from organisation.permissions import is_performance_team
from pmis.web import form_errors

from .. import services, spc
from ..forms import BaselineForm
from ..models import Frequency, SpcBaseline
from ..permissions import can_read, get_indicator_for_user, require

# Where the run lengths and the method come from (cited on the method page).
SOURCES = [
    (
        "NHS England, Making Data Count: a guide to statistical process control for boards and analysts",
        "https://www.england.nhs.uk/publication/making-data-count/",
    ),
    (
        "NHS-R community, NHSRplotthedots: XmR charts for Making Data Count (the rules as code)",
        "https://github.com/nhs-r-community/NHSRplotthedots",
    ),
]


@login_required
def spc_baseline(request, indicator_id: int):
    """Fix (or change) the periods that set the indicator's process limits: team only."""
    require(is_performance_team(request.user))
    indicator = get_indicator_for_user(request.user, indicator_id)
    current = SpcBaseline.objects.filter(indicator=indicator).first()
    initial = {}
    if current is not None:
        initial = {"first_period": current.first_period_id, "last_period": current.last_period_id}
    form = BaselineForm(request.POST or None, indicator=indicator, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.spc_baseline_set(indicator=indicator, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            data = form.cleaned_data
            messages.success(
                request,
                f"The process limits of {indicator.code} are fixed on {data['first_period']} to "
                f"{data['last_period']}; its variation and assurance are worked out again.",
            )
            return redirect(reverse("indicators:indicator-detail", args=[indicator.pk]) + "#variation")
    return render(
        request,
        "indicators/spc_baseline.html",
        {"indicator": indicator, "form": form, "current": current, "minimum": settings.PMIS_SPC_MIN_POINTS},
    )


@login_required
@require_POST
def spc_baseline_reset(request, indicator_id: int):
    require(is_performance_team(request.user))
    indicator = get_indicator_for_user(request.user, indicator_id)
    services.spc_baseline_reset(indicator=indicator, by=request.user)
    messages.success(request, f"The process limits of {indicator.code} are worked out from every figure again.")
    return redirect(reverse("indicators:indicator-detail", args=[indicator.pk]) + "#variation")


@login_required
def method(request):
    """How variation, assurance and year-end forecasts are worked out."""
    require(can_read(request.user))
    return render(
        request,
        "indicators/method.html",
        {
            "minimum": settings.PMIS_SPC_MIN_POINTS,
            "shift_run": spc.SHIFT_RUN,
            "trend_run": spc.TREND_RUN,
            "trend_rises": spc.TREND_RUN - 1,
            "constant": spc.XMR_CONSTANT,
            "sources": SOURCES,
            "frequencies": Frequency,
        },
    )
