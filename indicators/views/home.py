"""The home page and the user's recent returns ("My returns")."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from home.pages import home_page  # reads every app's data: the one import from above (ARCHITECTURE.md)
from organisation.models import Role
from organisation.permissions import has_role

from ..permissions import can_read, require
from ..returns import DUE_SOON_WORKING_DAYS, by_urgency, recent_returns


@login_required
def home(request):
    """What each of the user's roles must act on or know this week (home.pages)."""
    require(can_read(request.user))
    return render(request, "indicators/home.html", home_page(request.user, timezone.localdate()))


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
