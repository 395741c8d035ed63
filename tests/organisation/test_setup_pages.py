"""The performance team sets up the organisation and its people in PMIS's own pages:
services and portfolios with their history, invitations by email, roles with separation
of duties. Bad input is refused at the field and changes nothing."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from organisation.models import Directorate, Portfolio, Role, Service
from outbox.models import Email
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import DirectorateFactory, PortfolioFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    person = UserFactory(username="pat.performance", first_name="Pat", last_name="Power", roles=[Role.PERFORMANCE_TEAM])
    client.force_login(person)
    return person


def test_a_service_is_created_and_a_duplicate_code_refused_at_the_field(client, team):
    directorate = DirectorateFactory(name="Place")
    ServiceFactory(code="waste", name="Waste")
    url = reverse("organisation:service-add")
    data = {"name": "Parks", "code": "waste", "directorate": directorate.pk, "manager": ""}
    body = client.post(url, data).content.decode()
    assert '<a href="#id_code">“waste” is already the code of Waste: choose another.</a>' in body
    assert not Service.objects.filter(name="Parks").exists()

    response = client.post(url, {**data, "code": "parks"})
    assert response.status_code == 302
    parks = Service.objects.get(code="parks")
    assert parks.directorate == directorate
    assert parks.history.get().history_user == team


def test_services_are_realigned_to_portfolios_with_the_date_and_who(client, team):
    holder = UserFactory(roles=[Role.PORTFOLIO_HOLDER])
    waste, parks = ServiceFactory(name="Waste"), ServiceFactory(name="Parks")
    portfolio = PortfolioFactory(name="Environment", code="environment", holder=holder)
    portfolio.services.add(waste)
    url = reverse("organisation:portfolio", args=[portfolio.pk])
    data = {"name": "Environment", "code": "environment", "holder": holder.pk, "services": [parks.pk], "version": 1}
    assert client.post(url, data).status_code == 302
    assert list(portfolio.services.all()) == [parks]
    page = client.get(url).content.decode()
    assert "Services added Parks; removed Waste" in page
    assert "Pat Power" in page

    # Someone else's form, opened before that change, is refused and changes nothing.
    stale = client.post(url, {**data, "services": [waste.pk]}).content.decode()
    assert "changed this after you opened it" in stale
    assert list(Portfolio.objects.get(pk=portfolio.pk).services.all()) == [parks]


def test_an_invitation_emails_a_link_that_lets_the_person_choose_a_password(client, team):
    service = ServiceFactory(name="Waste")
    data = {
        "first_name": "Olu",
        "last_name": "Officer",
        "email": "Olu.Officer@council.example",
        "job_title": "Recycling officer",
        "service": service.pk,
        "roles": [Role.OFFICER],
    }
    assert client.post(reverse("organisation:person-invite"), data).status_code == 302
    person = get_user_model().objects.get(email="olu.officer@council.example")
    assert person.service == service and not person.has_usable_password()
    assert list(person.groups.values_list("name", flat=True)) == [Role.OFFICER]
    email = Email.objects.get(to="olu.officer@council.example")
    link = re.search(r"https?://\S+(/accounts/reset/\S+)", email.body).group(1)

    client.logout()
    form = client.get(link, follow=True)
    assert "new_password1" in form.content.decode()
    chosen = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Bins-on-Tuesday-42", "new_password2": "Bins-on-Tuesday-42"}
    )
    assert chosen.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Bins-on-Tuesday-42")

    # The same address again is refused at the field.
    client.force_login(team)
    body = client.post(reverse("organisation:person-invite"), data).content.decode()
    assert '<a href="#id_email">olu.officer@council.example already has an account' in body
    assert Email.objects.count() == 1


def test_only_a_superuser_gives_the_performance_team_role_and_nobody_their_own_roles(client, team):
    officer = UserFactory(username="olu", roles=[Role.OFFICER])

    def form(person, roles):
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "roles": roles,
            "version": person.version,
        }

    url = reverse("organisation:person", args=[officer.pk])
    body = client.post(url, form(officer, [Role.OFFICER, Role.PERFORMANCE_TEAM])).content.decode()
    assert "Only a superuser gives or takes away the performance team role" in body
    assert not officer.groups.filter(name=Role.PERFORMANCE_TEAM).exists()

    own = client.post(
        reverse("organisation:person", args=[team.pk]), form(team, [Role.PERFORMANCE_TEAM, Role.CHIEF_OFFICER])
    )
    assert "You cannot change your own roles" in own.content.decode()
    assert not team.groups.filter(name=Role.CHIEF_OFFICER).exists()

    root = UserFactory(username="root")
    root.is_superuser = True
    root.save()
    client.force_login(root)
    assert client.post(url, form(officer, [Role.OFFICER, Role.PERFORMANCE_TEAM])).status_code == 302
    assert officer.groups.filter(name=Role.PERFORMANCE_TEAM).exists()
    history = client.get(url).content.decode()
    assert "Roles: Performance team given" in history


@pytest.mark.parametrize(("name", "queries"), [("organisation:organisation", 8), ("organisation:people", 9)])
def test_the_organisation_and_people_pages_run_a_fixed_number_of_queries(
    client, team, django_assert_num_queries, name, queries
):
    for size in (2, 6):
        for _ in range(size):
            service = ServiceFactory()
            PortfolioFactory().services.add(service)
            UserFactory(service=service, roles=[Role.OFFICER])
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


def test_an_invitation_is_sent_again_until_the_person_has_chosen_a_password(client, team):
    data = {"first_name": "Olu", "last_name": "Officer", "email": "olu@council.example", "roles": [Role.OFFICER]}
    client.post(reverse("organisation:person-invite"), data)
    person = get_user_model().objects.get(email="olu@council.example")
    page = client.get(reverse("organisation:person", args=[person.pk])).content.decode()
    assert "Send the invitation again" in page
    resend = reverse("organisation:person-invitation", args=[person.pk])

    response = client.post(resend, follow=True)

    assert "A new invitation is on its way to olu@council.example" in response.content.decode()
    first, second = Email.objects.filter(to="olu@council.example").order_by("pk")
    links = [re.search(r"https?://\S+/accounts/reset/\S+", email.body).group(0) for email in (first, second)]
    assert "Choose your password here" in second.body and all(links)

    # Once they have chosen a password there is no invitation to send.
    person.set_password("Bins-on-Tuesday-42")
    person.save()
    assert (
        "Send the invitation again" not in client.get(reverse("organisation:person", args=[person.pk])).content.decode()
    )
    response = client.post(resend, follow=True)
    assert "has already chosen a password or signed in, so there is no invitation to send again" in (
        response.content.decode()
    )
    assert Email.objects.filter(to="olu@council.example").count() == 2


def test_only_the_performance_team_resends_an_invitation(client):
    person = UserFactory(username="new.person")
    person.set_unusable_password()
    person.save()
    client.force_login(UserFactory(username="olly", roles=[Role.OFFICER]))
    assert client.post(reverse("organisation:person-invitation", args=[person.pk])).status_code == 403
    assert not Email.objects.exists()


def test_people_are_found_by_name_role_service_and_account(client, team):
    waste, parks = ServiceFactory(name="Waste"), ServiceFactory(name="Parks")
    UserFactory(username="olu", first_name="Olu", last_name="Officer", service=waste, roles=[Role.OFFICER])
    UserFactory(username="sam", first_name="Sam", last_name="Manager", service=parks, roles=[Role.SERVICE_MANAGER])
    gone = UserFactory(username="gone", first_name="Gwen", last_name="Gone", service=waste, roles=[Role.OFFICER])
    gone.is_active = False
    gone.save()
    invited = UserFactory(username="ivy@council.example", first_name="Ivy", last_name="Invited", service=parks)
    invited.set_unusable_password()
    invited.save()
    url = reverse("organisation:people")

    def names(**filters) -> list[str]:
        response = client.get(url, filters)
        return [row["person"].first_name for row in response.context["rows"]]

    assert names() == ["Ivy", "Sam", "Olu", "Pat", "Gwen"]  # active first, by last name
    assert names(q="officer") == ["Olu"]
    assert names(q="IVY@council") == ["Ivy"]
    assert names(role=Role.OFFICER) == ["Olu", "Gwen"]
    assert names(service=waste.pk) == ["Olu", "Gwen"]
    assert names(service=waste.pk, account="active") == ["Olu"]
    assert names(account="off") == ["Gwen"]
    assert names(account="invited") == ["Ivy"]
    assert names(role="no-such-role") == names()  # a bad choice is ignored
    page = client.get(url, {"q": "nobody"}).content.decode()
    assert "0 people found" in page and "Nobody matches" in page and "Show everyone" in page


def test_people_are_listed_fifty_to_a_page_keeping_the_filters(client, team):
    for number in range(55):
        UserFactory(username=f"p{number:02d}", first_name="Person", last_name=f"{number:02d}", roles=[Role.OFFICER])
    url = reverse("organisation:people")
    first = client.get(url, {"role": Role.OFFICER})
    assert len(first.context["rows"]) == 50
    page = first.content.decode()
    assert "55 people found, 1 to 50 shown" in page
    assert 'href="?role=officer&amp;page=2"' in page
    second = client.get(url, {"role": Role.OFFICER, "page": 2})
    assert [row["person"].last_name for row in second.context["rows"]] == ["50", "51", "52", "53", "54"]
    assert client.get(url, {"page": "99"}).status_code == 200  # past the end: the last page


def test_the_people_page_with_filters_runs_a_fixed_number_of_queries(client, team, django_assert_num_queries):
    service = ServiceFactory()
    for size in (2, 60):
        for _ in range(size):
            UserFactory(service=service, roles=[Role.OFFICER])
        with django_assert_num_queries(10):
            client.get(reverse("organisation:people"), {"role": Role.OFFICER, "service": service.pk, "page": 2})


def test_a_service_set_up_by_mistake_is_deleted_and_one_in_use_is_refused_saying_why(client, team):
    place = DirectorateFactory(name="Place")
    mistake = ServiceFactory(name="Wsate", directorate=place)
    used = ServiceFactory(name="Waste", directorate=place)
    UserFactory(username="olu", service=used, roles=[Role.OFFICER])
    IndicatorFactory(service=used)
    IndicatorFactory(service=used)
    url = reverse("organisation:service-delete", args=[mistake.pk])
    assert f'href="{url}"' in client.get(reverse("organisation:service", args=[mistake.pk])).content.decode()
    assert "Are you sure you want to delete the service “Wsate”?" in client.get(url).content.decode()

    response = client.post(url, {"version": mistake.version}, follow=True)

    assert "The service “Wsate” is deleted." in response.content.decode()
    assert not Service.objects.filter(pk=mistake.pk).exists()
    assert Service.history.filter(name="Wsate", history_type="-").get().history_user == team

    refused = client.post(
        reverse("organisation:service-delete", args=[used.pk]), {"version": used.version}, follow=True
    )
    assert (
        "Waste cannot be deleted: it has 2 indicators and 1 person working in it. Move them to another service first."
        in refused.content.decode()
    )
    assert Service.objects.filter(pk=used.pk).exists()
    directorate = client.get(reverse("organisation:directorate-delete", args=[place.pk])).content.decode()
    assert "Place cannot be deleted: it has 1 service." in directorate


def test_an_empty_directorate_is_deleted_by_the_team_only(client, team):
    empty = DirectorateFactory(name="Nowhere")
    url = reverse("organisation:directorate-delete", args=[empty.pk])
    client.force_login(UserFactory(username="olly", roles=[Role.OFFICER]))
    assert client.post(url, {"version": empty.version}).status_code == 403
    client.force_login(team)
    assert client.post(url, {"version": empty.version}).status_code == 302
    assert not Directorate.objects.filter(pk=empty.pk).exists()
