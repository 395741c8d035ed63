"""Finding the people to invite to a meeting: by portfolio, service or role."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet


def people_matching(*, portfolio=None, service=None, role: str = "") -> QuerySet:
    """Active people with a role who work in the portfolio (its holder, its services' staff
    and managers), in the service (its staff and manager) and hold the role: each given
    condition narrows. Nobody when none is given. One query when evaluated."""
    people = get_user_model().objects.filter(is_active=True, groups__isnull=False)
    if not (portfolio or service or role):
        return people.none()
    if portfolio:
        people = people.filter(
            Q(portfolios=portfolio) | Q(service__portfolios=portfolio) | Q(managed_services__portfolios=portfolio)
        )
    if service:
        people = people.filter(Q(service=service) | Q(managed_services=service))
    if role:
        people = people.filter(groups__name=role)
    return people.distinct().order_by("last_name", "first_name", "username")
