import pytest
from django.db.models import ProtectedError

from indicators.models import Target, TargetStatus
from organisation import services
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period

pytestmark = pytest.mark.django_db


def test_a_role_gives_no_admin_permission(performance):
    """The performance team's group had the framework's model permissions for the admin; the
    admin is now for superusers only."""
    groups = services.role_groups_ensure()
    assert not groups[Role.PERFORMANCE_TEAM].permissions.exists()
    assert not performance.is_staff and not performance.get_all_permissions()


def test_who_signed_off_a_target_cannot_be_deleted(performance):
    indicator = IndicatorFactory()
    holder = indicator.portfolio.holder
    Target.objects.create(
        indicator=indicator,
        period=period("2025/26 Q1"),
        value=1,
        status=TargetStatus.SIGNED_OFF,
        signed_off_by=holder,
        signed_off_at="2025-03-01T10:00Z",
    )
    with pytest.raises(ProtectedError):
        holder.delete()
