"""Deleting a draft plan set up by mistake (the performance team), after a confirmation
page saying what goes with it; a plan in use is refused, saying why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from indicators.permissions import require
from organisation.permissions import is_performance_team

from . import services
from .models import Milestone, Plan


@login_required
def plan_delete(request, pk: int):
    require(is_performance_team(request.user))
    plan = get_object_or_404(Plan, pk=pk)
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            services.plan_delete(plan=plan, by=request.user, expected_version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("plans:plan", plan.pk)
        messages.success(request, f"The plan “{plan.title}” is deleted.")
        return redirect("plans:plans")
    return render(
        request,
        "plans/plan_delete.html",
        {
            "plan": plan,
            "refusal": services.plan_delete_refusal(plan),
            "priorities": plan.priorities.count(),
            "milestones": Milestone.objects.filter(priority__plan=plan).count(),
        },
    )
