"""Who may see and change which indicators, targets and figures (docs/domain.md, "People and roles").

Every view fetches its objects through the helpers at the bottom, so none forgets a check.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team, roles

from .models import Indicator, Period, Target

REPORTERS = (Role.OFFICER, Role.SERVICE_MANAGER)


def can_read(user) -> bool:
    """Any member of staff with a role reads internal figures; the public only published ones."""
    return bool(roles(user))


def reportable(user):
    """The collected indicators the user enters figures and proposes targets for.

    Officers: those assigned to them or to their service. Service managers: their
    service's. The performance team: all.
    """
    indicators = Indicator.objects.collected()
    if is_performance_team(user):
        return indicators
    rule = Q(pk__in=[])
    if has_role(user, Role.OFFICER):
        rule |= Q(responsible_officer=user)
        if user.service_id:
            rule |= Q(service_id=user.service_id)
    if has_role(user, Role.SERVICE_MANAGER):
        rule |= Q(service__manager=user)
        if user.service_id:
            rule |= Q(service_id=user.service_id)
    return indicators.filter(rule)


def can_report(user, indicator: Indicator) -> bool:
    if not indicator.is_collected:
        return False
    if is_performance_team(user):
        return True
    if has_role(user, Role.OFFICER) and (
        indicator.responsible_officer_id == user.pk or (user.service_id and indicator.service_id == user.service_id)
    ):
        return True
    return has_role(user, Role.SERVICE_MANAGER) and bool(
        (indicator.service_id and indicator.service.manager_id == user.pk)
        or (user.service_id and indicator.service_id == user.service_id)
    )


def can_report_for_service(user, service) -> bool:
    """May enter all of a service's figures at once: an officer of the service, its service
    manager (or a manager working in it), or the performance team."""
    if is_performance_team(user):
        return True
    if has_role(user, Role.OFFICER) and user.service_id == service.pk:
        return True
    return has_role(user, Role.SERVICE_MANAGER) and (service.manager_id == user.pk or user.service_id == service.pk)


def can_amend(user, period: Period) -> bool:
    """May change the figures of the period: anyone who reports them until it is locked, then
    only the performance team."""
    return not period.is_locked or is_performance_team(user)


def can_sign_off(user, target: Target) -> bool:
    portfolio = target.indicator.portfolio
    return has_role(user, Role.PORTFOLIO_HOLDER) and portfolio is not None and portfolio.holder_id == user.pk


def is_own_figure(user, outturn) -> bool:
    """Separation of duties: whoever entered or submitted a figure does not validate it
    (unless PMIS_SEPARATION_OF_DUTIES is off)."""
    return settings.PMIS_SEPARATION_OF_DUTIES and user.pk in (outturn.entered_by_id, outturn.submitted_by_id)


def is_own_proposal(user, target: Target) -> bool:
    """Separation of duties: whoever proposed a target does not sign it off (unless
    PMIS_SEPARATION_OF_DUTIES is off)."""
    return settings.PMIS_SEPARATION_OF_DUTIES and target.proposed_by_id == user.pk


OWN_FIGURE = "You entered or submitted this figure: another member of the performance team validates it."
OWN_PROPOSAL = (
    "You proposed this target, so you cannot sign it off: send it back for the service "
    "or the performance team to propose."
)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def get_indicator_for_user(user, pk: int, *, report: bool = False) -> Indicator:
    """The collected indicator, if the user may read it (and report it, with report=True); else 404/403."""
    indicator = get_object_or_404(
        Indicator.objects.select_related(
            "service", "portfolio", "responsible_officer", "collected_from", "retired_after"
        ).collected(),
        pk=pk,
    )
    require(can_report(user, indicator) if report else can_read(user))
    return indicator


def get_indicator_for_reader(user, pk: int) -> Indicator:
    """Like get_indicator_for_user, but national indicators kept only for reference (not
    collected) have a page too: their proxies link to it."""
    indicator = get_object_or_404(
        Indicator.objects.select_related(
            "service", "portfolio", "responsible_officer", "national_indicator", "collected_from", "retired_after"
        ),
        pk=pk,
    )
    require(can_read(user))
    return indicator


def get_period(pk: int) -> Period:
    return get_object_or_404(Period, pk=pk)


def proposable_services(user):
    """The services whose indicators the user may propose (new ones, changes) for the
    performance team to approve: a service manager's own services."""
    from organisation.models import Service

    if not has_role(user, Role.SERVICE_MANAGER):
        return Service.objects.none()
    rule = Q(manager=user)
    if user.service_id:
        rule |= Q(pk=user.service_id)
    return Service.objects.filter(rule).order_by("name")
