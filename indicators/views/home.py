"""The home page and the user's recent returns ("My returns")."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team

from ..permissions import can_read, require
from ..returns import awaiting_validation, recent_returns
from ..targets import awaiting_quality_assurance, awaiting_sign_off


@login_required
def home(request):
    user = request.user
    require(can_read(user))
    context = {}
    if has_role(user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM):
        context["returns"] = recent_returns(user, timezone.localdate())
        context["to_do"] = sum(1 for row in context["returns"] if row["to_do"])
    context["indicator_definitions"] = has_role(user, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM)
    if has_role(user, Role.PORTFOLIO_HOLDER):
        context["awaiting_sign_off"] = awaiting_sign_off(user).count()
    if is_performance_team(user):
        context["awaiting_validation"] = awaiting_validation().count()
        context["awaiting_quality_assurance"] = awaiting_quality_assurance().count()
    return render(request, "indicators/home.html", context)


@login_required
def my_returns(request):
    require(has_role(request.user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM))
    rows = recent_returns(request.user, timezone.localdate())
    # One link per service and period with returns still to do, to enter them all at once.
    bulk = {(row["indicator"].service, row["period"]) for row in rows if row["to_do"] and row["indicator"].service}
    bulk = sorted(bulk, key=lambda pair: (pair[1].end, pair[0].name))
    return render(request, "indicators/my_returns.html", {"rows": rows, "bulk": bulk})
