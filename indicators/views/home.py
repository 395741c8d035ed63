"""The home page and the user's recent returns ("My returns")."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team

from ..permissions import can_read, require
from ..returns import DUE_SOON_WORKING_DAYS, awaiting_validation, by_urgency, recent_returns
from ..targets import awaiting_quality_assurance, awaiting_sign_off


@login_required
def home(request):
    user = request.user
    require(can_read(user))
    context = {}
    if has_role(user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM):
        context["returns"] = recent_returns(user, timezone.localdate())
        context["to_do"] = sum(1 for row in context["returns"] if row["to_do"])
    if has_role(user, Role.PORTFOLIO_HOLDER):
        context["awaiting_sign_off"] = awaiting_sign_off(user).count()
    if is_performance_team(user):
        context["awaiting_validation"] = awaiting_validation().count()
        context["awaiting_quality_assurance"] = awaiting_quality_assurance().count()
    return render(request, "indicators/home.html", context)


@login_required
def my_returns(request):
    require(has_role(request.user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM))
    today = timezone.localdate()
    rows = recent_returns(request.user, today)
    # One link per service and period with returns still to do, to enter them all at once.
    bulk = {(row["indicator"].service, row["period"]) for row in rows if row["to_do"] and row["indicator"].service}
    bulk = sorted(bulk, key=lambda pair: (pair[1].end, pair[0].name))
    groups = by_urgency(rows, today)
    sections = [
        # (id, heading, words after the count, words when there are none, rows)
        ("overdue", "Overdue", "overdue", "No returns are overdue.", groups["overdue"]),
        (
            "due-soon",
            f"Due in the next {DUE_SOON_WORKING_DAYS} working days",
            f"due in the next {DUE_SOON_WORKING_DAYS} working days",
            f"No returns are due in the next {DUE_SOON_WORKING_DAYS} working days.",
            groups["due_soon"],
        ),
        (
            "returned",
            "Sent back to you",
            "sent back to you",
            "No returns have been sent back to you.",
            groups["returned"],
        ),
        ("other", "Other recent returns", "", "", groups["other"]),
    ]
    return render(request, "indicators/my_returns.html", {"rows": rows, "sections": sections, "bulk": bulk})
