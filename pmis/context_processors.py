from django.conf import settings
from django.urls import reverse

from organisation.models import Role
from organisation.permissions import has_role, roles


def layout(request):
    """The council's name and the service navigation the signed-in user may use."""
    user = request.user
    items = []
    if user.is_authenticated and roles(user):
        items.append(("Home", reverse("indicators:home")))
        items.append(("Scorecards", reverse("reviews:scorecards")))
        items.append(("Plans", reverse("plans:plans")))
        items.append(("Meetings", reverse("reviews:meetings")))
        items.append(("My actions", reverse("reviews:my-actions")))
        if has_role(user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM):
            items.append(("My returns", reverse("indicators:my-returns")))
            items.append(("Targets", reverse("indicators:targets")))
        risk_readers = (Role.PERFORMANCE_TEAM, Role.RISK_AND_AUDIT, Role.CHIEF_OFFICER, Role.PORTFOLIO_HOLDER)
        if has_role(user, *risk_readers, Role.SCRUTINY_MEMBER):
            items.append(("Risks", reverse("risks:register")))
        if has_role(user, Role.PORTFOLIO_HOLDER):
            items.append(("Sign-off", reverse("indicators:sign-off")))
        if has_role(user, Role.PERFORMANCE_TEAM):
            items.append(("Validation", reverse("indicators:validation")))
            items.append(("Periods", reverse("indicators:periods")))
            items.append(("Imports", reverse("imports:framework")))
            items.append(("Organisation", reverse("organisation:organisation")))
    path = request.path
    navigation = [
        {"text": text, "href": href, "current": path == href, "active": path != href and path.startswith(href)}
        for text, href in items
    ]
    # "Home" is "/" and would be active everywhere.
    if navigation:
        navigation[0]["active"] = False
    return {"council_name": settings.PMIS_COUNCIL_NAME, "navigation": navigation}
