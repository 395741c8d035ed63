import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.models import Frequency, Target, TargetStatus, Unit
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture(autouse=True)
def _periods():
    services.periods_ensure_year(year=YEAR - 1)
    services.periods_ensure_year(year=YEAR)


@pytest.fixture
def officer(client):
    """An officer of a service, signed in to the client."""
    user = UserFactory(username="olly.officer", roles=[Role.OFFICER], first_name="Olly", last_name="Officer")
    user.service = ServiceFactory()
    user.save()
    client.force_login(user)
    return user


@pytest.fixture
def holder():
    """A portfolio holder, with a portfolio."""
    user = UserFactory(
        username="harriet.holder", roles=[Role.PORTFOLIO_HOLDER], first_name="Harriet", last_name="Holder"
    )
    PortfolioFactory(holder=user)
    return user


def mine(officer, **kwargs):
    return IndicatorFactory(service=officer.service, **kwargs)


def edit_url(indicator, year=YEAR):
    return reverse("indicators:target-edit", args=[indicator.pk, year])


def action_url(name, target):
    return reverse(f"indicators:{name}", args=[target.pk])


def opened(client, indicator, year=YEAR) -> dict:
    """What the browser would send back from the edit page as opened: the form's fields."""
    form = client.get(edit_url(indicator, year)).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    return data


def save(client, indicator, action="draft", year=YEAR, data=None, **changes):
    """Open the edit page, change some fields, and press a button."""
    data = dict(opened(client, indicator, year) if data is None else data)
    data.update(changes, action=action)
    return client.post(edit_url(indicator, year), data)


def target(indicator, label, value, by, rationale=""):
    return services.target_set(indicator=indicator, period=period(label), value=D(value), rationale=rationale, by=by)


def quality_assured(indicator, label, value, by):
    saved = services.target_propose(target=target(indicator, label, value, by), by=by)
    return services.target_quality_assure(target=saved, by=UserFactory(roles=[Role.PERFORMANCE_TEAM]))


def signed_off(indicator, label, value, by):
    saved = quality_assured(indicator, label, value, by)
    return services.target_sign_off(target=saved, by=indicator.portfolio.holder)


def values(indicator):
    return {t.period.label: t.value for t in Target.objects.filter(indicator=indicator).select_related("period")}


def page(response) -> str:
    return response.content.decode()


class TestTargetsPage:
    def test_lists_the_officers_indicators_with_where_their_targets_stand(self, client, officer):
        by_service = mine(officer, title="Calls answered", decimal_places=1)
        assigned = IndicatorFactory(responsible_officer=officer, title="Homes built")
        IndicatorFactory(title="Someone else's indicator")
        target(by_service, "2026/27", "95", officer)
        target(by_service, "2026/27 Q1", "94", officer)
        text = page(client.get(reverse("indicators:targets") + f"?year={YEAR}"))
        assert "Calls answered" in text and "Homes built" in text and "Someone else" not in text
        assert "95.0%" in text and "1 of 4" in text
        assert "Draft" in text and "Not signed off" in text
        assert edit_url(by_service) in text and edit_url(assigned) in text

    def test_shows_returned_and_signed_off_targets(self, client, officer):
        returned = mine(officer, title="Returned one")
        saved = services.target_propose(target=target(returned, "2026/27", "50", officer), by=officer)
        services.target_return(target=saved, by=UserFactory(roles=[Role.PERFORMANCE_TEAM]), comment="Too low")
        done = mine(officer, title="Signed one")
        signed_off(done, "2026/27", "60", officer)
        text = page(client.get(reverse("indicators:targets") + f"?year={YEAR}"))
        assert "Returned" in text
        assert '<strong class="govuk-tag govuk-tag--green">Signed off</strong>' in text

    @time_machine.travel(datetime.date(2026, 5, 1))
    def test_shows_the_current_financial_year_unless_another_is_chosen(self, client, officer):
        mine(officer)
        assert "Targets for 2026/27" in page(client.get(reverse("indicators:targets")))
        assert "Targets for 2025/26" in page(client.get(reverse("indicators:targets") + "?year=2025"))

    def test_a_year_without_periods_says_so(self, client, officer):
        mine(officer)
        text = page(client.get(reverse("indicators:targets") + "?year=2030"))
        assert "are not set up yet" in text

    def test_the_performance_team_sees_every_indicator_and_the_targets_awaiting_quality_assurance(
        self, client, performance, officer
    ):
        indicator = mine(officer, title="Calls answered")
        services.target_propose(target=target(indicator, "2026/27 Q1", "90", officer), by=officer)
        client.force_login(performance)
        text = page(client.get(reverse("indicators:targets") + f"?year={YEAR}"))
        assert "Calls answered" in text
        assert "Targets awaiting quality assurance" in text
        saved = Target.objects.get()
        assert action_url("target-quality-assure", saved) in text
        assert action_url("target-return", saved) in text

    def test_officers_do_not_see_the_quality_assurance_queue(self, client, officer):
        assert "Targets awaiting quality assurance" not in page(client.get(reverse("indicators:targets")))

    def test_runs_a_fixed_number_of_queries(self, client, performance):
        officer = UserFactory(roles=[Role.OFFICER])

        def build(count):
            for _ in range(count):
                indicator = IndicatorFactory()
                target(indicator, "2026/27", "80", officer)
                services.target_propose(target=target(indicator, "2026/27 Q1", "80", officer), by=officer)

        url = reverse("indicators:targets") + f"?year={YEAR}"
        build(2)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        build(8)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(few) == len(many)

    def test_anonymous_users_are_sent_to_sign_in(self, client):
        response = client.get(reverse("indicators:targets"))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_scrutiny_members_are_refused(self, client):
        client.force_login(UserFactory(roles=[Role.SCRUTINY_MEMBER]))
        assert client.get(reverse("indicators:targets")).status_code == 403


class TestEditPage:
    def test_an_officer_saves_and_proposes_the_years_targets(self, client, officer):
        indicator = mine(officer, decimal_places=1)
        response = save(
            client,
            indicator,
            action="propose",
            annual="95%",
            period_1="93",
            period_2="94",
            period_3="95",
            period_4="96.5",
            rationale="Top quartile of our nearest neighbours.",
        )
        assert response.status_code == 302
        saved = Target.objects.filter(indicator=indicator)
        assert saved.count() == 5
        assert {t.status for t in saved} == {TargetStatus.PROPOSED}
        assert {t.rationale for t in saved} == {"Top quartile of our nearest neighbours."}
        assert values(indicator)["2026/27 Q4"] == D("96.5")
        text = page(client.get(response["Location"]))
        assert "5 targets proposed to the performance team" in text
        assert "Not signed off" in text

    def test_save_as_draft_keeps_the_targets_in_draft_and_proposing_them_later_needs_a_rationale(self, client, officer):
        indicator = mine(officer)
        response = save(client, indicator, annual="90")
        assert response.status_code == 302
        assert Target.objects.get().status == TargetStatus.DRAFT
        response = save(client, indicator, action="propose")
        assert response.status_code == 200
        assert "Give the rationale before you propose" in page(response)
        assert Target.objects.get().status == TargetStatus.DRAFT

    def test_a_single_draft_target_can_be_proposed_from_the_page(self, client, officer):
        indicator = mine(officer)
        saved = target(indicator, "2026/27 Q1", "90", officer, rationale="Trend")
        assert action_url("target-propose", saved) in page(client.get(edit_url(indicator)))
        response = client.post(action_url("target-propose", saved))
        assert response.status_code == 302 and response["Location"] == edit_url(indicator)
        assert Target.objects.get().status == TargetStatus.PROPOSED

    def test_shows_last_years_outturns_for_context(self, client, officer):
        indicator = mine(officer, decimal_places=1)
        services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("81.5"), by=officer)
        services.outturn_record(indicator=indicator, period=period("2025/26 Q2"), value=D("83.2"), by=officer)
        text = page(client.get(edit_url(indicator)))
        assert "Outturns in 2025/26" in text
        assert "2025/26 Q1" in text and "81.5%" in text and "83.2%" in text

    def test_changing_a_signed_off_target_makes_revision_2_in_draft_not_signed_off(self, client, officer):
        indicator = mine(officer)
        for label in ("2026/27", "2026/27 Q1"):
            signed_off(indicator, label, "90", officer)
        assert page(client.get(edit_url(indicator))).count(">Signed off</strong>") == 2
        response = save(client, indicator, period_1="92")
        assert response.status_code == 302
        changed = Target.objects.get(period=period("2026/27 Q1"))
        assert (changed.revision, changed.status, changed.value) == (2, TargetStatus.DRAFT, D("92"))
        assert changed.signed_off_by is None
        # The annual target was not touched, so it stays signed off.
        untouched = Target.objects.get(period=period("2026/27"))
        assert (untouched.revision, untouched.status) == (1, TargetStatus.SIGNED_OFF)
        text = page(client.get(edit_url(indicator)))
        assert text.count(">Signed off</strong>") == 1 and text.count(">Not signed off</strong>") == 1

    def test_changing_the_rationale_applies_it_to_every_target_on_the_page(self, client, officer):
        indicator = mine(officer)
        signed_off(indicator, "2026/27", "90", officer)
        save(client, indicator, rationale="Benchmark moved")
        changed = Target.objects.get()
        assert (changed.rationale, changed.revision, changed.status) == ("Benchmark moved", 2, TargetStatus.DRAFT)

    def test_spreading_a_cumulative_quarterly_target_gives_the_year_to_date_profile(self, client, officer):
        indicator = mine(officer, unit=Unit.NUMBER, decimal_places=0, is_cumulative=True)
        response = save(client, indicator, annual="1,001", spread="on", period_2="junk")
        assert response.status_code == 302
        assert values(indicator) == {
            "2026/27": D("1001"),
            "2026/27 Q1": D("250"),
            "2026/27 Q2": D("501"),
            "2026/27 Q3": D("751"),
            "2026/27 Q4": D("1001"),
        }

    def test_spreading_a_cumulative_monthly_target_uses_twelfths(self, client, officer):
        indicator = mine(officer, unit=Unit.CURRENCY, decimal_places=2, is_cumulative=True, frequency=Frequency.MONTH)
        save(client, indicator, annual="£1,000", spread="on")
        saved = values(indicator)
        assert len(saved) == 13
        assert (saved["2026/27 Apr"], saved["2026/27 May"], saved["2026/27 Mar"]) == (
            D("83.33"),
            D("166.67"),
            D("1000"),
        )

    def test_spreading_a_snapshot_target_sets_every_period_to_the_annual_target(self, client, officer):
        indicator = mine(officer, decimal_places=1)
        save(client, indicator, annual="95.5", spread="on")
        assert set(values(indicator).values()) == {D("95.5")}
        assert len(values(indicator)) == 5

    def test_spreading_needs_an_annual_target(self, client, officer):
        indicator = mine(officer)
        response = save(client, indicator, spread="on")
        assert "Enter the annual target to spread it" in page(response)
        assert not Target.objects.exists()

    def test_an_annual_indicator_has_only_the_annual_target(self, client, officer):
        indicator = mine(officer, frequency=Frequency.YEAR)
        form = client.get(edit_url(indicator)).context["form"]
        assert set(form.fields) == {"annual", "annual_version", "rationale"}
        save(client, indicator, annual="70")
        assert values(indicator) == {"2026/27": D("70")}

    @pytest.mark.parametrize(
        ("unit", "value", "message"),
        [
            (Unit.PERCENTAGE, "lots", "The 2026/27 Q2 target must be a number"),
            (Unit.PERCENTAGE, "12.345", "1 decimal place; 12.345 has more"),
            (Unit.PERCENTAGE, "99999999999999999", "The 2026/27 Q2 target is too large"),
            (Unit.DAYS, "-3", "cannot be negative for a measure in days"),
            (Unit.PERCENTAGE, "1" * 41, "is too long"),
        ],
    )
    def test_bad_figures_are_refused_with_a_clear_message(self, client, officer, unit, value, message):
        indicator = mine(officer, unit=unit, decimal_places=1)
        response = save(client, indicator, annual="10", period_2=value)
        assert response.status_code == 200
        text = page(response)
        assert message in text and "There is a problem" in text
        assert 'href="#id_period_2"' in text
        assert "not available" not in text
        assert not Target.objects.exists()

    def test_clearing_a_saved_target_is_refused(self, client, officer):
        indicator = mine(officer)
        target(indicator, "2026/27 Q1", "90", officer)
        response = save(client, indicator, period_1="")
        assert "The 2026/27 Q1 target has been set, so it cannot be left empty" in page(response)
        assert values(indicator) == {"2026/27 Q1": D("90")}

    def test_an_empty_page_asks_for_a_target(self, client, officer):
        response = save(client, mine(officer))
        assert "Enter the annual target, or a target for at least one period" in page(response)

    def test_one_bad_row_rolls_back_the_whole_page(self, client, officer):
        indicator = mine(officer)
        target(indicator, "2026/27", "80", officer)
        response = save(client, indicator, annual="85", period_1="80", period_2="eighty")
        assert response.status_code == 200
        assert values(indicator) == {"2026/27": D("80")}

    def test_a_service_refusal_on_a_later_row_rolls_back_the_rows_saved_before_it(self, client, officer, monkeypatch):
        indicator = mine(officer)
        real = services.target_set

        def refuse_q3(*, period, **kwargs):
            if period.label == "2026/27 Q3":
                raise ValidationError({"value": "Refused for the test."})
            return real(period=period, **kwargs)

        monkeypatch.setattr(services, "target_set", refuse_q3)
        response = save(client, indicator, annual="80", period_1="80", period_2="80", period_3="80", period_4="80")
        assert response.status_code == 200
        assert 'href="#id_period_3">Refused for the test.' in page(response)
        assert not Target.objects.exists()

    def test_a_second_save_from_a_stale_page_is_refused_naming_who_saved_first(self, client, officer):
        indicator = mine(officer)
        target(indicator, "2026/27", "80", officer)
        target(indicator, "2026/27 Q1", "80", officer)
        colleague = UserFactory(roles=[Role.OFFICER], first_name="Cara", last_name="Colleague", service=officer.service)
        other = Client()
        other.force_login(colleague)
        mine_opened, theirs_opened = opened(client, indicator), opened(other, indicator)
        assert save(other, indicator, data=theirs_opened, period_1="85").status_code == 302
        response = save(client, indicator, data=mine_opened, annual="90", period_1="70")
        assert response.status_code == 200
        assert "Cara Colleague changed this after you opened it" in page(response)
        assert values(indicator) == {"2026/27": D("80"), "2026/27 Q1": D("85")}
        # The page now holds the current version: saving again overwrites it on purpose.
        again = {name: value for name, value in response.context["form"].data.items() if name != "action"}
        assert save(client, indicator, data=again).status_code == 302
        assert values(indicator) == {"2026/27": D("90"), "2026/27 Q1": D("70")}

    def test_a_year_without_periods_is_not_found(self, client, officer):
        assert client.get(edit_url(mine(officer), year=2030)).status_code == 404

    def test_anonymous_users_are_sent_to_sign_in(self, client):
        response = client.get(edit_url(IndicatorFactory()))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_an_officer_of_another_service_is_refused(self, client, officer):
        indicator = IndicatorFactory()
        assert client.get(edit_url(indicator)).status_code == 403
        assert client.post(edit_url(indicator), {"annual": "5", "action": "draft"}).status_code == 403
        assert not Target.objects.exists()

    def test_a_scrutiny_member_is_refused(self, client):
        indicator = IndicatorFactory()
        client.force_login(UserFactory(roles=[Role.SCRUTINY_MEMBER]))
        assert client.get(edit_url(indicator)).status_code == 403
        assert client.post(edit_url(indicator), {"annual": "5", "action": "draft"}).status_code == 403


class TestQualityAssurance:
    def test_the_performance_team_quality_assures_a_proposed_target(self, client, performance):
        indicator = IndicatorFactory()
        saved = services.target_propose(target=target(indicator, "2026/27 Q1", "90", performance), by=performance)
        back = reverse("indicators:targets") + f"?year={YEAR}"
        response = client.post(action_url("target-quality-assure", saved), {"next": back})
        assert response.status_code == 302 and response["Location"] == back
        saved.refresh_from_db()
        assert (saved.status, saved.quality_assured_by) == (TargetStatus.QUALITY_ASSURED, performance)
        assert "awaits the portfolio holder" in page(client.get(back))

    def test_the_performance_team_sends_a_target_back_with_a_comment(self, client, performance, officer):
        indicator = mine(officer)
        saved = services.target_propose(target=target(indicator, "2026/27 Q1", "90", officer), by=officer)
        client.force_login(performance)
        response = client.post(action_url("target-return", saved), {"comment": "Below last year's outturn."})
        assert response.status_code == 302
        saved.refresh_from_db()
        assert (saved.status, saved.return_comment) == (TargetStatus.DRAFT, "Below last year's outturn.")
        client.force_login(officer)
        text = page(client.get(edit_url(indicator)))
        assert "Returned" in text and "Below last year&#x27;s outturn." in text

    def test_sending_back_without_a_comment_asks_for_one(self, client, performance):
        saved = services.target_propose(
            target=target(IndicatorFactory(), "2026/27 Q1", "9", performance), by=performance
        )
        response = client.post(action_url("target-return", saved), {"comment": " "})
        assert response.status_code == 200
        text = page(response)
        assert "There is a problem" in text and "Say why it is sent back" in text
        saved.refresh_from_db()
        assert saved.status == TargetStatus.PROPOSED

    def test_a_target_not_proposed_cannot_be_quality_assured(self, client, performance):
        saved = target(IndicatorFactory(), "2026/27 Q1", "9", performance)
        response = client.post(action_url("target-quality-assure", saved), follow=True)
        assert "only a proposed target can be quality assured" in page(response)

    def test_officers_and_scrutiny_members_cannot_quality_assure_or_send_back(self, client, officer):
        indicator = mine(officer)
        saved = services.target_propose(target=target(indicator, "2026/27 Q1", "90", officer), by=officer)
        for user in (officer, UserFactory(roles=[Role.SCRUTINY_MEMBER])):
            client.force_login(user)
            assert client.post(action_url("target-quality-assure", saved)).status_code == 403
            assert client.post(action_url("target-return", saved), {"comment": "No"}).status_code == 403
        assert Target.objects.get().status == TargetStatus.PROPOSED

    def test_others_cannot_propose_an_officers_target(self, client, officer):
        saved = target(IndicatorFactory(), "2026/27 Q1", "90", officer)
        assert client.post(action_url("target-propose", saved)).status_code == 403
        client.force_login(UserFactory(roles=[Role.SCRUTINY_MEMBER]))
        assert client.post(action_url("target-propose", saved)).status_code == 403
        assert Target.objects.get().status == TargetStatus.DRAFT

    @pytest.mark.parametrize("name", ["target-propose", "target-quality-assure", "target-return", "target-sign-off"])
    def test_actions_take_only_posts(self, client, performance, name):
        saved = target(IndicatorFactory(), "2026/27 Q1", "90", performance)
        assert client.get(action_url(name, saved)).status_code == 405

    @pytest.mark.parametrize("name", ["target-propose", "target-quality-assure", "target-return", "target-sign-off"])
    def test_anonymous_posts_are_sent_to_sign_in(self, client, name):
        saved = target(IndicatorFactory(), "2026/27 Q1", "90", UserFactory())
        response = client.post(action_url(name, saved), {"comment": "x"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_a_missing_target_is_not_found(self, client, performance):
        assert client.post(reverse("indicators:target-quality-assure", args=[999])).status_code == 404


class TestSignOff:
    def test_the_holder_sees_the_queue_with_context_and_signs_a_target_off(self, client, officer, holder):
        indicator = mine(officer, portfolio=holder.portfolios.get(), decimal_places=1, title="Calls answered")
        for label, value in (("2025/26 Q1", "81"), ("2025/26 Q2", "82"), ("2025/26 Q3", "83"), ("2025/26 Q4", "84")):
            services.outturn_record(indicator=indicator, period=period(label), value=D(value), by=officer)
        services.outturn_record(indicator=indicator, period=period("2024/25 Q4"), value=D("70.5"), by=officer)
        saved = quality_assured(indicator, "2026/27 Q1", "85", officer)
        Target.objects.filter(pk=saved.pk).update(rationale="Up two points on last year")
        client.force_login(holder)
        text = page(client.get(reverse("indicators:sign-off")))
        assert "Calls answered" in text and "85.0%" in text and "Up two points on last year" in text
        assert "81.0%" in text and "84.0%" in text and "70.5%" not in text
        assert "Revision 1" in text and "Not signed off" in text
        response = client.post(action_url("target-sign-off", saved))
        assert response.status_code == 302 and response["Location"] == reverse("indicators:sign-off")
        saved.refresh_from_db()
        assert (saved.status, saved.signed_off_by) == (TargetStatus.SIGNED_OFF, holder)
        text = page(client.get(reverse("indicators:sign-off")))
        assert "is signed off" in text and "No targets are awaiting your sign-off" in text
        assert '<strong class="govuk-tag govuk-tag--green">Signed off</strong>' in text and "by Harriet Holder" in text

    def test_a_new_revision_says_it_replaces_a_signed_off_target(self, client, officer, holder):
        indicator = mine(officer, portfolio=holder.portfolios.get())
        signed_off(indicator, "2026/27", "90", officer)
        quality_assured(indicator, "2026/27", "95", officer)
        client.force_login(holder)
        assert "Revision 2: replaces a signed-off target" in page(client.get(reverse("indicators:sign-off")))

    def test_the_holder_sends_a_target_back_with_a_comment(self, client, officer, holder):
        indicator = mine(officer, portfolio=holder.portfolios.get())
        saved = quality_assured(indicator, "2026/27", "90", officer)
        client.force_login(holder)
        response = client.post(
            action_url("target-return", saved), {"comment": "Too cautious.", "next": reverse("indicators:sign-off")}
        )
        assert response.status_code == 302 and response["Location"] == reverse("indicators:sign-off")
        saved.refresh_from_db()
        assert (saved.status, saved.return_comment) == (TargetStatus.DRAFT, "Too cautious.")

    def test_a_return_to_another_site_goes_to_the_sign_off_page_instead(self, client, officer, holder):
        saved = quality_assured(mine(officer, portfolio=holder.portfolios.get()), "2026/27", "90", officer)
        client.force_login(holder)
        response = client.post(action_url("target-return", saved), {"comment": "No", "next": "https://evil.example/"})
        assert response["Location"] == reverse("indicators:sign-off")

    def test_the_holder_sees_only_their_own_portfolios_targets(self, client, officer, holder):
        quality_assured(mine(officer, title="In another portfolio"), "2026/27", "90", officer)
        client.force_login(holder)
        assert "In another portfolio" not in page(client.get(reverse("indicators:sign-off")))

    def test_runs_a_fixed_number_of_queries(self, client, officer, holder):
        portfolio = holder.portfolios.get()

        def build(count):
            for _ in range(count):
                indicator = mine(officer, portfolio=portfolio)
                for label in ("2025/26 Q1", "2025/26 Q2"):
                    services.outturn_record(indicator=indicator, period=period(label), value=D("5"), by=officer)
                quality_assured(indicator, "2026/27 Q1", "6", officer)
                signed_off(indicator, "2026/27 Q2", "6", officer)

        client.force_login(holder)
        build(2)
        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse("indicators:sign-off")).status_code == 200
        build(8)
        with CaptureQueriesContext(connection) as many:
            assert client.get(reverse("indicators:sign-off")).status_code == 200
        assert len(few) == len(many)

    def test_anonymous_users_are_sent_to_sign_in(self, client):
        response = client.get(reverse("indicators:sign-off"))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_people_who_hold_no_portfolio_cannot_open_the_page(self, client, officer):
        assert client.get(reverse("indicators:sign-off")).status_code == 403
        client.force_login(UserFactory(roles=[Role.SCRUTINY_MEMBER]))
        assert client.get(reverse("indicators:sign-off")).status_code == 403

    def test_an_officer_cannot_sign_off(self, client, officer, holder):
        saved = quality_assured(mine(officer, portfolio=holder.portfolios.get()), "2026/27", "90", officer)
        assert client.post(action_url("target-sign-off", saved)).status_code == 403
        assert Target.objects.get().status == TargetStatus.QUALITY_ASSURED

    def test_the_holder_of_another_portfolio_cannot_sign_off_or_send_back(self, client, officer, holder):
        saved = quality_assured(mine(officer, portfolio=holder.portfolios.get()), "2026/27", "90", officer)
        other = UserFactory(roles=[Role.PORTFOLIO_HOLDER])
        PortfolioFactory(holder=other)
        client.force_login(other)
        assert client.post(action_url("target-sign-off", saved)).status_code == 403
        assert client.post(action_url("target-return", saved), {"comment": "No"}).status_code == 403
        assert Target.objects.get().status == TargetStatus.QUALITY_ASSURED

    def test_the_holder_cannot_send_back_a_target_not_yet_quality_assured(self, client, officer, holder):
        indicator = mine(officer, portfolio=holder.portfolios.get())
        saved = services.target_propose(target=target(indicator, "2026/27", "90", officer), by=officer)
        client.force_login(holder)
        assert client.post(action_url("target-return", saved), {"comment": "No"}).status_code == 403
        assert Target.objects.get().status == TargetStatus.PROPOSED


def test_labels_keep_the_capitals_of_period_names_and_say_place_or_places(client, officer):
    indicator = mine(officer, frequency=Frequency.MONTH, decimal_places=1)
    services.target_set(indicator=indicator, period=period("2026/27 Nov"), value=D("5"), rationale="", by=officer)

    page = client.get(edit_url(indicator)).content.decode()

    assert 'Propose<span class="govuk-visually-hidden"> the 2026/27 Nov target</span>' in page
    assert "Up to 1 decimal place." in page
    whole = client.get(edit_url(mine(officer, decimal_places=2))).content.decode()
    assert "Up to 2 decimal places." in whole
