import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from indicators.models import Target, TargetStatus
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_performance_team_manages_users_but_cannot_make_a_superuser(client, performance):
    officer = UserFactory(username="olly.officer")
    url = reverse("admin:organisation_user_change", args=[officer.pk])
    response = client.post(url, user_form(officer, job_title="Data officer", is_superuser="on"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.job_title, officer.is_superuser) == ("Data officer", False)
    client.post(
        reverse("admin:organisation_user_change", args=[performance.pk]), user_form(performance, is_superuser="on")
    )
    performance.refresh_from_db()
    assert not performance.is_superuser


def test_the_performance_team_cannot_change_a_superuser(client, performance):
    admin_user = UserFactory(username="root", is_superuser=True, is_staff=True)
    change = reverse("admin:organisation_user_change", args=[admin_user.pk])
    client.post(change, user_form(admin_user, is_superuser="on", is_active=""))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[admin_user.pk]),
        {"password1": "taken-over-1234", "password2": "taken-over-1234", "usable_password": "true"},
    )
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active and not admin_user.check_password("taken-over-1234")
    assert (
        client.post(reverse("admin:organisation_user_delete", args=[admin_user.pk]), {"post": "yes"}).status_code == 403
    )


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
