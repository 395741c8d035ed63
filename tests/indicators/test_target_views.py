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

from indicators import services, target_years
from indicators.models import Frequency, Profile, Target, TargetStatus, TargetYear, Unit
from organisation.models import Role
from outbox.models import Email
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


def year_proposed(indicator, by, annual="90", quarters=("90", "90", "90", "90"), rationale="Trend", reason=""):
    """The indicator's 2026/27 targets (quarterly) proposed as one year."""
    entries = {"annual": services.TargetEntry(period(f"{YEAR}/27"), D(annual), None)}
    for number, value in enumerate(quarters, start=1):
        entries[f"period_{number}"] = services.TargetEntry(period(f"{YEAR}/27 Q{number}"), D(value), None)
    saved, _ = target_years.target_year_save(
        indicator=indicator,
        year=YEAR,
        entries=entries,
        profile=Profile.BY_HAND,
        rationale=rationale,
        reason=reason,
        by=by,
        propose=True,
    )
    return saved


def year_assured(indicator, by, **kwargs):
    saved = year_proposed(indicator, by, **kwargs)
    team = UserFactory(roles=[Role.PERFORMANCE_TEAM])
    return target_years.target_years_quality_assure(years=[saved], by=team)[0]


def year_signed_off(indicator, by, **kwargs):
    saved = year_assured(indicator, by, **kwargs)
    return target_years.target_years_sign_off(years=[saved], by=indicator.portfolio.holder)[0]


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
        year_proposed(indicator, officer)
        client.force_login(performance)
        text = page(client.get(reverse("indicators:targets") + f"?year={YEAR}"))
        assert "Calls answered" in text
        assert "Targets awaiting quality assurance" in text
        assert reverse("indicators:quality-assurance") in text
        assert "1 indicator's year awaits you." in text

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
        year = TargetYear.objects.get()
        assert (year.status, year.proposed_by, year.revision) == (TargetStatus.PROPOSED, officer, 1)
        assert {t.proposed_by for t in saved} == {officer}
        text = page(client.get(response["Location"]))
        assert "The 1 targets for 2026/27 are proposed to the performance team" not in text
        assert f"The {indicator.code} targets for 2026/27 are proposed to the performance team" in text
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

    def test_proposing_needs_every_target_of_the_year(self, client, officer):
        indicator = mine(officer)
        response = save(client, indicator, action="propose", annual="90", period_1="90", rationale="Trend")
        assert response.status_code == 200
        assert "3 targets of the year are not set" in page(response)
        assert not Target.objects.exists() and not TargetYear.objects.exists()

    def test_shows_last_years_outturns_for_context(self, client, officer):
        indicator = mine(officer, decimal_places=1)
        services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("81.5"), by=officer)
        services.outturn_record(indicator=indicator, period=period("2025/26 Q2"), value=D("83.2"), by=officer)
        text = page(client.get(edit_url(indicator)))
        assert "Outturns in 2025/26" in text
        assert "2025/26 Q1" in text and "81.5%" in text and "83.2%" in text

    def test_changing_a_signed_off_year_is_revision_2_with_a_reason_and_needs_sign_off_again(self, client, officer):
        indicator = mine(officer)
        year_signed_off(indicator, officer)
        text = page(client.get(edit_url(indicator)))
        assert text.count(">Signed off</strong>") == 6
        assert "Why are the signed-off targets changing?" in text
        refused = save(client, indicator, period_1="92")
        assert refused.status_code == 200
        assert "so this is revision 2: say why they are changing" in page(refused)
        assert values(indicator)["2026/27 Q1"] == D("90")
        assert TargetYear.objects.get().status == TargetStatus.SIGNED_OFF
        response = save(client, indicator, action="propose", period_1="92", change_reason="A new contract from July.")
        assert response.status_code == 302
        year = TargetYear.objects.get()
        assert (year.revision, year.status, year.change_reason) == (
            2,
            TargetStatus.PROPOSED,
            "A new contract from July.",
        )
        assert year.signed_off_by is None and year.first_signed_off_at is not None
        # Every period target of the year follows the year: none is left signed off.
        assert set(Target.objects.values_list("status", flat=True)) == {TargetStatus.PROPOSED}
        # The indicator page's history shows each revision.
        history = page(client.get(reverse("indicators:indicator-detail", args=[indicator.pk])))
        assert "revision 1 signed off by" in history and "revision 2 proposed" in history
        assert "because: A new contract from July." in history

    def test_changing_the_rationale_of_a_signed_off_year_is_a_new_revision(self, client, officer):
        indicator = mine(officer)
        year_signed_off(indicator, officer)
        save(client, indicator, rationale="Benchmark moved", change_reason="The benchmark moved.")
        year = TargetYear.objects.get()
        assert (year.rationale, year.revision, year.status) == ("Benchmark moved", 2, TargetStatus.DRAFT)
        assert set(Target.objects.values_list("status", flat=True)) == {TargetStatus.DRAFT}

    def test_spreading_a_cumulative_quarterly_target_gives_the_year_to_date_profile(self, client, officer):
        indicator = mine(officer, unit=Unit.NUMBER, decimal_places=0, is_cumulative=True)
        response = save(client, indicator, annual="1,001", profile="even", period_2="junk")
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
        save(client, indicator, annual="£1,000", profile="even")
        saved = values(indicator)
        assert len(saved) == 13
        assert (saved["2026/27 Apr"], saved["2026/27 May"], saved["2026/27 Mar"]) == (
            D("83.33"),
            D("166.67"),
            D("1000"),
        )

    def test_spreading_a_snapshot_target_sets_every_period_to_the_annual_target(self, client, officer):
        indicator = mine(officer, decimal_places=1)
        save(client, indicator, annual="95.5", profile="even")
        assert set(values(indicator).values()) == {D("95.5")}
        assert len(values(indicator)) == 5

    def test_spreading_needs_an_annual_target(self, client, officer):
        indicator = mine(officer)
        response = save(client, indicator, profile="even")
        assert "Enter the annual target to spread it" in page(response)
        assert not Target.objects.exists()

    def test_an_annual_indicator_has_only_the_annual_target(self, client, officer):
        indicator = mine(officer, frequency=Frequency.YEAR)
        form = client.get(edit_url(indicator)).context["form"]
        assert set(form.fields) == {"annual", "annual_version", "rationale", "year_version"}
        save(client, indicator, annual="70")
        assert values(indicator) == {"2026/27": D("70")}

    def test_shaping_like_last_year_follows_last_years_quarters(self, client, officer):
        indicator = mine(officer, unit=Unit.NUMBER, decimal_places=0)
        for number, value in enumerate(("80", "100", "120", "100"), start=1):
            services.outturn_record(
                indicator=indicator, period=period(f"2025/26 Q{number}"), value=D(value), by=officer
            )
        response = save(client, indicator, annual="200", profile="last_year")
        assert response.status_code == 302
        # A snapshot: last year's average was 100, so each quarter is 200 times its share of it.
        assert values(indicator) == {
            "2026/27": D("200"),
            "2026/27 Q1": D("160"),
            "2026/27 Q2": D("200"),
            "2026/27 Q3": D("240"),
            "2026/27 Q4": D("200"),
        }
        assert TargetYear.objects.get().profile == Profile.LAST_YEAR

    def test_shaping_a_cumulative_target_like_last_year_follows_its_year_to_date(self, client, officer):
        indicator = mine(officer, unit=Unit.NUMBER, decimal_places=0, is_cumulative=True)
        for number, value in enumerate(("10", "30", "30", "30"), start=1):
            services.outturn_record(
                indicator=indicator, period=period(f"2025/26 Q{number}"), value=D(value), by=officer
            )
        save(client, indicator, annual="200", profile="last_year")
        assert [values(indicator)[f"2026/27 Q{n}"] for n in range(1, 5)] == [D("20"), D("80"), D("140"), D("200")]

    def test_shaping_like_an_incomplete_last_year_is_refused(self, client, officer):
        indicator = mine(officer)
        services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("80"), by=officer)
        response = save(client, indicator, annual="90", profile="last_year")
        assert response.status_code == 200
        assert "Last year&#x27;s figures are not complete" in page(response)
        assert 'href="#id_profile"' in page(response)
        assert not Target.objects.exists()

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


DECISION_PAGES = {"quality_assure": "indicators:quality-assurance", "sign_off": "indicators:sign-off"}


def decide(client, stage, choices=None, comments=None):
    """Open a decision page and submit it with the choices (pk: choice) and comments."""
    response = client.get(reverse(DECISION_PAGES[stage]))
    data = {"shown": [row.year.pk for row in response.context["rows"]]}
    for pk, choice in (choices or {}).items():
        data[f"decision-{pk}"] = choice
    for pk, comment in (comments or {}).items():
        data[f"comment-{pk}"] = comment
    return client.post(reverse(DECISION_PAGES[stage]), data)


class TestQualityAssurancePage:
    def test_the_team_quality_assures_the_rest_after_sending_one_back_and_each_holder_gets_one_email(
        self, client, performance, officer, holder
    ):
        portfolio = holder.portfolios.get()
        years = [year_proposed(mine(officer, portfolio=portfolio), officer) for _ in range(3)]
        client.force_login(performance)
        text = page(client.get(reverse("indicators:quality-assurance")))
        assert text.count('class="govuk-summary-card"') == 3 and "Trend" in text
        response = decide(client, "quality_assure", {years[0].pk: "send_back"}, {years[0].pk: "Too easy."})
        assert response.status_code == 302 and response["Location"] == reverse("indicators:quality-assurance-done")
        statuses = {y.pk: y.status for y in TargetYear.objects.all()}
        assert statuses == {
            years[0].pk: TargetStatus.DRAFT,
            years[1].pk: TargetStatus.QUALITY_ASSURED,
            years[2].pk: TargetStatus.QUALITY_ASSURED,
        }
        assert TargetYear.objects.get(pk=years[0].pk).return_comment == "Too easy."
        assert Target.objects.filter(status=TargetStatus.QUALITY_ASSURED).count() == 10
        (email,) = Email.objects.all()
        assert email.to == holder.email and "2 indicators' targets await your sign-off" in email.subject
        assert "Sign them off, or send any back with a comment, on one page" in email.body
        done = page(client.get(response["Location"]))
        assert "2 indicators' targets quality-assured" in done and "Too easy." in done

    def test_sending_back_without_a_comment_is_refused_with_the_error_beside_the_row(
        self, client, performance, officer
    ):
        years = [year_proposed(mine(officer), officer) for _ in range(2)]
        client.force_login(performance)
        response = decide(client, "quality_assure", {years[1].pk: "send_back"})
        assert response.status_code == 200
        text = page(response)
        assert "There is a problem" in text
        assert f'href="#comment-{years[1].pk}"' in text and f'id="comment-{years[1].pk}-error"' in text
        # All or none: the other row was not quality-assured either.
        assert set(TargetYear.objects.values_list("status", flat=True)) == {TargetStatus.PROPOSED}

    def test_runs_a_fixed_number_of_queries(self, client, performance, officer):
        def build(count):
            for _ in range(count):
                indicator = mine(officer)
                services.outturn_record(indicator=indicator, period=period("2025/26 Q4"), value=D("80"), by=officer)
                year_proposed(indicator, officer)

        client.force_login(performance)
        url = reverse("indicators:quality-assurance")
        build(2)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        build(8)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(few) == len(many)

    def test_officers_and_holders_cannot_open_it(self, client, officer, holder):
        assert client.get(reverse("indicators:quality-assurance")).status_code == 403
        client.force_login(holder)
        assert client.post(reverse("indicators:quality-assurance")).status_code == 403


class TestSignOffPage:
    def test_the_holder_signs_off_a_portfolios_year_on_one_page_after_sending_one_back(self, client, officer, holder):
        portfolio = holder.portfolios.get()
        assured = [year_assured(mine(officer, portfolio=portfolio, title=f"Measure {n}"), officer) for n in range(3)]
        elsewhere = year_assured(mine(officer), officer)
        client.force_login(holder)
        text = page(client.get(reverse("indicators:sign-off")))
        assert "Measure 0" in text and "Measure 2" in text and elsewhere.indicator.title not in text
        assert "Rationale" in text and "Trend" in text and "Benchmark" in text
        assert "Sign off the rest" in text
        response = decide(
            client, "sign_off", {assured[1].pk: "send_back", assured[2].pk: "later"}, {assured[1].pk: "Q4 looks low."}
        )
        assert response.status_code == 302
        after = {y.pk: y for y in TargetYear.objects.all()}
        assert (after[assured[0].pk].status, after[assured[0].pk].signed_off_by) == (TargetStatus.SIGNED_OFF, holder)
        assert after[assured[1].pk].status == TargetStatus.DRAFT
        assert after[assured[2].pk].status == TargetStatus.QUALITY_ASSURED
        assert after[elsewhere.pk].status == TargetStatus.QUALITY_ASSURED
        signed = Target.objects.filter(indicator=assured[0].indicator)
        assert {(t.status, t.signed_off_by) for t in signed} == {(TargetStatus.SIGNED_OFF, holder)}
        done = page(client.get(response["Location"]))
        assert "govuk-panel--confirmation" in done and "1 indicator's targets signed off" in done
        assert "Q4 looks low." in done
        signed_list = page(client.get(reverse("indicators:sign-off"))).split('id="signed-off"')[1]
        assert "Measure 0" in signed_list and "Measure 1" not in signed_list

    def test_shows_latest_figures_and_benchmark_quartile(self, client, officer, holder):
        indicator = mine(officer, portfolio=holder.portfolios.get(), decimal_places=1)
        services.outturn_record(indicator=indicator, period=period("2025/26 Q4"), value=D("81.5"), by=officer)
        quarter = period("2025/26 Q4")
        services.benchmark_values_set(
            values=[
                (indicator.pk, quarter.pk, "Nearest neighbours", council, D(value))
                for council, value in (("A", "70"), ("B", "75"), ("C", "80"), ("D", "80"))
            ],
            by=officer,
        )
        year_assured(indicator, officer)
        client.force_login(holder)
        text = page(client.get(reverse("indicators:sign-off")))
        assert "2025/26 Q4: 81.5%" in text
        assert "Top quartile (best 25%) of Nearest neighbours, 2025/26 Q4" in text

    def test_a_year_the_holder_proposed_cannot_be_signed_off_by_them(self, client, officer):
        holder = UserFactory(roles=[Role.PORTFOLIO_HOLDER, Role.PERFORMANCE_TEAM])
        indicator = IndicatorFactory(portfolio=PortfolioFactory(holder=holder))
        own = year_assured(indicator, holder)
        client.force_login(holder)
        text = page(client.get(reverse("indicators:sign-off")))
        assert "You proposed this target, so you cannot sign it off" in text
        assert f'id="decision-{own.pk}"' not in text
        decide(client, "sign_off", {own.pk: "approve"})
        assert TargetYear.objects.get().status == TargetStatus.QUALITY_ASSURED

    def test_runs_a_fixed_number_of_queries(self, client, officer, holder):
        portfolio = holder.portfolios.get()

        def build(count):
            for _ in range(count):
                indicator = mine(officer, portfolio=portfolio)
                services.outturn_record(indicator=indicator, period=period("2025/26 Q4"), value=D("80"), by=officer)
                year_assured(indicator, officer)

        client.force_login(holder)
        url = reverse("indicators:sign-off")
        build(2)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        build(8)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(few) == len(many)

    def test_anonymous_users_are_sent_to_sign_in(self, client):
        response = client.get(reverse("indicators:sign-off"))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_people_who_hold_no_portfolio_role_cannot_open_it(self, client, officer):
        assert client.get(reverse("indicators:sign-off")).status_code == 403
        assert client.get(reverse("indicators:sign-off-done")).status_code == 403

    def test_the_holder_of_another_portfolio_cannot_sign_off(self, client, officer, holder):
        year = year_assured(mine(officer, portfolio=holder.portfolios.get()), officer)
        other = UserFactory(roles=[Role.PORTFOLIO_HOLDER])
        PortfolioFactory(holder=other)
        client.force_login(other)
        assert "No targets are awaiting you" in page(client.get(reverse("indicators:sign-off")))
        client.post(reverse("indicators:sign-off"), {"shown": [year.pk], f"decision-{year.pk}": "approve"})
        assert TargetYear.objects.get().status == TargetStatus.QUALITY_ASSURED


@time_machine.travel(datetime.date(2026, 5, 4))
def test_years_not_signed_off_by_the_deadline_are_late_on_the_home_pages(client, officer, holder):
    portfolio = holder.portfolios.get()
    late = year_assured(mine(officer, portfolio=portfolio, title="Awaiting sign-off"), officer)
    mine(officer, portfolio=portfolio, title="No targets at all")
    year_signed_off(mine(officer, portfolio=portfolio, title="Signed in time"), officer)
    client.force_login(holder)
    home = page(client.get(reverse("indicators:home")))
    assert "Targets late for sign-off" in home and "30 April 2026" in home
    assert "Awaiting sign-off" in home and "No targets at all" in home and "Signed in time" not in home
    client.force_login(UserFactory(roles=[Role.PERFORMANCE_TEAM]))
    team_home = page(client.get(reverse("indicators:home")))
    assert "2 indicators' targets for the year were not signed off" in team_home
    assert late.is_late(datetime.date(2026, 5, 4)) and not late.is_late(datetime.date(2026, 4, 30))


@time_machine.travel(datetime.date(2026, 4, 30))
def test_nothing_is_late_on_the_deadline_day(client, officer, holder):
    year_assured(mine(officer, portfolio=holder.portfolios.get()), officer)
    client.force_login(holder)
    assert "Targets late for sign-off" not in page(client.get(reverse("indicators:home")))


def test_labels_keep_the_capitals_of_period_names_and_say_place_or_places(client, officer):
    indicator = mine(officer, frequency=Frequency.MONTH, decimal_places=1)
    services.target_set(indicator=indicator, period=period("2026/27 Nov"), value=D("5"), rationale="", by=officer)

    page = client.get(edit_url(indicator)).content.decode()

    assert "2026/27 Nov target" in page
    assert "Up to 1 decimal place." in page
    whole = client.get(edit_url(mine(officer, decimal_places=2))).content.decode()
    assert "Up to 2 decimal places." in whole


def test_rationales_show_on_the_indicator_page_for_every_role_and_publicly_once_signed_off(
    client, officer, holder, settings
):
    settings.PMIS_PUBLIC_VERSION_SECONDS = 0
    indicator = mine(officer, portfolio=holder.portfolios.get(), is_published=True)
    year_assured(indicator, officer, rationale="Upper quartile of our nearest neighbours.")
    for role in (Role.SCRUTINY_MEMBER, Role.CHIEF_OFFICER, Role.PORTFOLIO_HOLDER):
        client.force_login(UserFactory(roles=[role]))
        text = page(client.get(reverse("indicators:indicator-detail", args=[indicator.pk])))
        assert "Upper quartile of our nearest neighbours." in text and "Not signed off" in text
    client.logout()
    public = reverse("public:indicator", args=[indicator.code])
    assert "Upper quartile of our nearest neighbours." not in page(client.get(public))
    target_years.target_years_sign_off(years=[TargetYear.objects.get()], by=holder)
    text = page(client.get(public))
    assert "Upper quartile of our nearest neighbours." in text and "by the portfolio holder on" in text
