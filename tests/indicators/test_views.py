import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.models import Outturn, OutturnState, Unit
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = UserFactory(username="olly.officer", roles=[Role.OFFICER])
    client.force_login(user)
    return user


def entry_url(indicator, label):
    return reverse("indicators:outturn-entry", args=[indicator.pk, period(label).pk])


def post_figure(client, indicator, label, **data):
    fields = {"value": "", "not_available_reason": "", "commentary": "", "version": ""}
    fields.update(data)
    return client.post(entry_url(indicator, label), fields)


class TestMyReturns:
    @time_machine.travel(datetime.date(2025, 11, 3))
    def test_lists_recent_returns_with_where_each_stands(self, client, officer):
        mine = IndicatorFactory(responsible_officer=officer, title="Calls answered")
        IndicatorFactory(title="Someone else's indicator")
        services.outturn_record(indicator=mine, period=period("2025/26 Q2"), value=D("50"), by=officer)
        period("2025/26 Q1")
        page = client.get(reverse("indicators:my-returns")).content.decode()
        assert "Calls answered" in page and "Someone else" not in page
        # Q1 (due 22 July) has no figure: overdue. Q2 has a draft.
        assert "Overdue" in page and "Draft" in page

    @time_machine.travel(datetime.date(2025, 10, 10))
    def test_separates_overdue_due_soon_and_sent_back_with_counts(self, client, officer):
        IndicatorFactory(responsible_officer=officer, code="LPI 100")
        homes = IndicatorFactory(responsible_officer=officer, code="LPI 200")
        team = UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM])
        sent = services.outturn_submit(
            outturn=services.outturn_record(indicator=homes, period=period("2025/26 Q1"), value=D("5"), by=officer),
            by=officer,
        )
        services.outturn_return(outturn=sent, comment="Q1 looks like last year's.", by=team)
        period("2025/26 Q2")  # ended 30 September, due 21 October: within 10 working days

        page = client.get(reverse("indicators:my-returns")).content.decode()

        counts = page[page.index('id="return-counts"') : page.index("</ul>", page.index('id="return-counts"'))]
        assert "1 overdue" in counts and "2 due in the next 10 working days" in counts
        assert "1 sent back to you" in counts

        def table(table_id):
            start = page.index(f'<table class="govuk-table" id="{table_id}">')
            return page[start : page.index("</table>", start)]

        assert "LPI 100" in table("overdue") and "2025/26 Q1" in table("overdue")
        assert "LPI 200" not in table("overdue")
        assert "21 October 2025" in table("due-soon") and "LPI 200" in table("due-soon")
        assert "Q1 looks like last year&#x27;s." in table("returned")

    def test_runs_a_fixed_number_of_queries(self, client, officer):
        def build(count):
            for _ in range(count):
                indicator = IndicatorFactory(responsible_officer=officer)
                services.outturn_record(indicator=indicator, period=period("2024/25 Q4"), value=D("5"), by=officer)

        build(2)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("indicators:my-returns"))
        build(10)
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("indicators:my-returns"))
        assert len(few) == len(many)


class TestEntry:
    def test_saving_a_figure_shows_its_rating_and_direction_of_travel(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer)
        services.target_set(indicator=indicator, period=period("2025/26 Q2"), value=D("90"), rationale="", by=officer)
        services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("85"), by=officer)
        response = post_figure(client, indicator, "2025/26 Q2", value="80%")
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "Red" in page and "Worsening" in page
        assert "Add commentary saying what went wrong" in page

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("n/a", "must be a number"),
            ("12.345", "1 decimal place"),
            ("99999999999999999", "too large"),
            ("1,23", "must be a number"),
            ("", "Enter a figure, or say why it is not available"),
        ],
    )
    def test_bad_figures_are_refused_with_a_clear_message(self, client, officer, value, message):
        indicator = IndicatorFactory(responsible_officer=officer, decimal_places=1)
        response = post_figure(client, indicator, "2025/26 Q1", value=value)
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page and "There is a problem" in page
        assert not Outturn.objects.exists()

    @pytest.mark.parametrize(("places", "hint"), [(1, "to 1 decimal place."), (2, "to 2 decimal places.")])
    def test_the_figure_hint_says_place_or_places(self, client, officer, places, hint):
        indicator = IndicatorFactory(responsible_officer=officer, decimal_places=places)
        assert f"In percentage, {hint}" in client.get(entry_url(indicator, "2025/26 Q1")).content.decode()

    def test_money_and_thousands_separators_are_understood(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer, unit=Unit.CURRENCY, decimal_places=2)
        post_figure(client, indicator, "2025/26 Q1", value="£1,234.50")
        assert Outturn.objects.get().value == D("1234.50")

    def test_negative_days_are_refused(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer, unit=Unit.DAYS)
        response = post_figure(client, indicator, "2025/26 Q1", value="-3")
        assert "cannot be negative" in response.content.decode()

    def test_a_missing_figure_is_recorded_with_its_reason_not_as_zero(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer)
        post_figure(client, indicator, "2025/26 Q1", not_available_reason="Survey postponed by the DWP")
        outturn = Outturn.objects.get()
        assert (outturn.value, outturn.not_available_reason) == (None, "Survey postponed by the DWP")

    def test_a_red_figure_is_submitted_only_with_commentary_the_refusal_at_the_field(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer)
        services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("90"), rationale="", by=officer)

        response = post_figure(client, indicator, "2025/26 Q1", value="50", action="submit")

        page = response.content.decode()
        outturn = Outturn.objects.get()
        assert response.status_code == 200 and outturn.state == OutturnState.DRAFT
        message = "Saved as a draft, not submitted. The figure is rated Red: say what went wrong"
        assert f'<a href="#id_commentary">{message}' in page  # the error summary links to the field
        assert 'id="id_commentary-error"' in page and "govuk-form-group--error" in page
        # Labelled as required now the rating is known, carrying the draft's version.
        assert 'for="id_commentary">Commentary</label>' in page
        assert "Required to submit: the figure is rated Red." in page
        assert f'name="version" value="{outturn.version}"' in page

        response = post_figure(
            client,
            indicator,
            "2025/26 Q1",
            value="50.0",
            commentary="Staff shortage",
            version=outturn.version,
            action="submit",
        )
        assert response.status_code == 302
        assert Outturn.objects.get().state == OutturnState.SUBMITTED

    def test_save_and_submit_of_an_unchanged_draft_submits_it_without_saving_again(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer)
        post_figure(client, indicator, "2025/26 Q1", value="50", action="draft")
        draft = Outturn.objects.get()
        assert draft.state == OutturnState.DRAFT

        response = post_figure(client, indicator, "2025/26 Q1", value="50.0", version=draft.version, action="submit")

        submitted = Outturn.objects.get()
        assert response.status_code == 302
        assert (submitted.state, submitted.version) == (OutturnState.SUBMITTED, draft.version + 1)
        assert submitted.history.count() == 2  # entered, submitted: no second save

    def test_a_second_save_from_an_old_form_is_refused_naming_who_saved(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer)
        post_figure(client, indicator, "2025/26 Q1", value="50")
        opened = Outturn.objects.get().version
        colleague = UserFactory(username="col.league", first_name="Colin", last_name="League")
        services.outturn_record(
            indicator=indicator, period=period("2025/26 Q1"), value=D("55"), by=colleague, expected_version=opened
        )
        response = post_figure(client, indicator, "2025/26 Q1", value="60", version=opened)
        page = response.content.decode()
        assert response.status_code == 200 and "Colin League changed this after you opened it" in page
        assert Outturn.objects.get().value == D("55")

    def test_the_wrong_periods_frequency_is_not_found(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer)
        assert client.get(entry_url(indicator, "2025/26 Apr")).status_code == 404

    def test_a_zero_never_seen_before_is_queried_until_confirmed(self, client, officer):
        indicator = IndicatorFactory(responsible_officer=officer, unit=Unit.NUMBER, decimal_places=0)
        for label, value in (("2025/26 Q1", 12), ("2025/26 Q2", 14)):
            services.outturn_record(indicator=indicator, period=period(label), value=D(value), by=officer)
        response = post_figure(client, indicator, "2025/26 Q3", value="0")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Is this a real zero, or is the figure missing?" in page and 'href="#id_confirmed"' in page
        assert not Outturn.objects.filter(period=period("2025/26 Q3")).exists()
        response = post_figure(client, indicator, "2025/26 Q3", value="0", confirmed="on")
        assert response.status_code == 302
        assert Outturn.objects.get(period=period("2025/26 Q3")).value == 0
        # A figure like the others is saved at once.
        assert post_figure(client, indicator, "2025/26 Q4", value="13").status_code == 302


class TestRefused:
    def test_an_officer_of_another_service_cannot_open_or_save(self, client, officer):
        indicator = IndicatorFactory()
        assert client.get(entry_url(indicator, "2025/26 Q1")).status_code == 403
        assert post_figure(client, indicator, "2025/26 Q1", value="5").status_code == 403
        assert not Outturn.objects.exists()

    def test_anonymous_people_are_sent_to_sign_in(self, client):
        indicator = IndicatorFactory()
        response = client.get(entry_url(indicator, "2025/26 Q1"))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_sign_in_is_throttled_after_five_wrong_passwords(client, settings):
    UserFactory(username="sam.scrutiny", password="the-right-password-1")
    for _ in range(5):
        client.post(reverse("login"), {"username": "sam.scrutiny", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "sam.scrutiny", "password": "the-right-password-1"})
    assert "locked for an hour" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_forgotten_password_is_reset_through_an_emailed_link(client):
    user = UserFactory(username="pat.reset", email="pat@example.org")
    client.post(reverse("password_reset"), {"email": "pat@example.org"})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link.split("testserver", 1)[-1], follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-much-better-pass-9", "new_password2": "a-much-better-pass-9"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-better-pass-9")
