"""The home page and the user's recent returns ("My returns")."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from home.pages import home_page  # reads every app's data: the one import from above (ARCHITECTURE.md)
from organisation.models import Role
from organisation.permissions import has_role

from ..permissions import can_read, require
from ..returns import recent_returns


@login_required
def home(request):
    """What each of the user's roles must act on or know this week (home.pages)."""
    require(can_read(request.user))
    return render(request, "indicators/home.html", home_page(request.user, timezone.localdate()))


@login_required
def my_returns(request):
    require(has_role(request.user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM))
    rows = recent_returns(request.user, timezone.localdate())
    # One link per service and period with returns still to do, to enter them all at once.
    bulk = {(row["indicator"].service, row["period"]) for row in rows if row["to_do"] and row["indicator"].service}
    bulk = sorted(bulk, key=lambda pair: (pair[1].end, pair[0].name))
    return render(request, "indicators/my_returns.html", {"rows": rows, "bulk": bulk})
