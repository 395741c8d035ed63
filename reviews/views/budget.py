"""Budget monitoring: the performance team enters a service's figures for a quarter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from indicators.permissions import require
from organisation.permissions import is_performance_team

from .. import services
from ..forms import BudgetLineForm
from ..models import BudgetLine


@login_required
def budget(request):
    """Enter a service's budget monitoring for a quarter (a file of them is imported on the
    imports pages)."""
    require(is_performance_team(request.user))
    form = BudgetLineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        line = services.budget_line_set(**form.cleaned_data, by=request.user)
        messages.success(request, f"Budget monitoring saved for {line.service.name}, {line.period.label}.")
        return redirect("reviews:budget")
    lines = BudgetLine.objects.select_related("service", "period").order_by("-period__end", "service__name")[:50]
    return render(request, "reviews/budget.html", {"form": form, "lines": lines})
