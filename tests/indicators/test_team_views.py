import datetime
import re
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.models import Frequency, Outturn, OutturnState, Rag, Unit
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# 2025/26 Q3 (October to December 2025) was due on 22 January 2026.
TODAY = datetime.datetime(2026, 2, 2, 10, 0, tzinfo=LONDON)
Q3 = "2025/26 Q3"


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(TODAY, tick=False)
    return time_machine


@pytest.fixture
def service():
    return ServiceFactory(name="Housing Benefits")


@pytest.fixture
def officer(service):
    return UserFactory(
        username="olive.officer", roles=[Role.OFFICER], first_name="Olive", last_name="Officer", service=service
    )


@pytest.fixture
def indicator(service, officer):
    return IndicatorFactory(
        code="LPI 001", title="Claims processed on time", service=service, responsible_officer=officer
    )


def enter(indicator, label, value, by, **kwargs) -> Outturn:
    return services.outturn_record(
        indicator=indicator, period=period(label), by=by, value=None if value is None else D(value), **kwargs
    )


def submit(indicator, label, value, by, **kwargs) -> Outturn:
    return services.outturn_submit(outturn=enter(indicator, label, value, by, **kwargs), by=by)


def set_target(indicator, label, value, by):
    return services.target_set(indicator=indicator, period=period(label), value=D(value), rationale="Trend", by=by)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def get_page(client, name: str) -> str:
    response = client.get(reverse(f"indicators:{name}"))
    assert response.status_code == 200
    return response.content.decode()


def queue(client, **filters) -> str:
    response = client.get(reverse("indicators:validation"), filters)
    assert response.status_code == 200
    return response.content.decode()


def queue_row(content: str, outturn) -> str:
    return re.search(rf'<tr class="govuk-table__row" id="outturn-{outturn.pk}">(.*?)</tr>', content, re.S).group(1)


def validate(client, outturns, **data):
    """Select the returns in the queue and confirm (the confirmation page, then the action)."""
    selection = {"outturn": [o.pk for o in outturns], "filters": data.pop("filters", "")}
    confirm = client.post(reverse("indicators:validation-confirm"), selection)
    assert confirm.status_code == 200
    return client.post(
        reverse("indicators:validation-confirm"),
        selection | {"confirmed": "1", "commentary": "asked"} | data,
        follow=True,
    )


class TestValidation:
    def test_each_return_is_a_row_with_figure_target_rating_earlier_figures_and_lateness(
        self, client, performance, indicator, officer, now
    ):
        set_target(indicator, Q3, "100", performance)
        enter(indicator, "2025/26 Q1", "90", officer)
        enter(indicator, "2025/26 Q2", "95", officer)
        late = submit(indicator, Q3, "96.5", officer, commentary="Staff shortage in December.")
        on_time_indicator = IndicatorFactory(code="LPI 002", service=indicator.service)
        now.move_to(datetime.datetime(2026, 1, 10, 10, tzinfo=LONDON), tick=False)
        on_time = submit(on_time_indicator, Q3, "50", officer)
        now.move_to(TODAY, tick=False)
        enter(IndicatorFactory(code="LPI 003"), Q3, "10", officer)  # a draft: not listed

        content = queue(client)

        assert content.count('<tr class="govuk-table__row" id="outturn-') == 2
        assert "LPI 003" not in content
        row = queue_row(content, late)
        assert "Claims processed on time" in row and "2025/26 Q3, Housing Benefits" in row
        assert ">96.5%<" in row and ">100.0%<" in row
        assert "Amber</strong>" in row  # the rating in words, not colour alone
        assert (
            '<span class="govuk-visually-hidden">2025/26 Q1: </span>90.0%, '
            '<span class="govuk-visually-hidden">2025/26 Q2: </span>95.0%<br>'
        ) in row
        assert '<svg class="pmis-sparkline"' in row and "2025/26 Q3: 96.5" in row
        assert "Staff shortage in December." in row
        assert "Olive Officer<br>2 February 2026" in row and "Late</strong>" in row
        assert f'name="outturn" type="checkbox" value="{late.pk}" form="selection"' in row
        assert f"/outturns/{late.pk}/return/?next=%2Fvalidation%2F" in row
        assert "On time</strong>" in queue_row(content, on_time)

    def test_a_row_shows_what_the_entry_checks_ask_about_its_figure(self, client, performance, indicator, officer):
        enter(indicator, "2025/26 Q2", "10", officer)
        jumped = submit(indicator, Q3, "50", officer)
        steady = IndicatorFactory(code="LPI 002", service=indicator.service)
        enter(steady, "2025/26 Q2", "49", officer)
        calm = submit(steady, Q3, "50", officer)

        content = queue(client)

        row = queue_row(content, jumped)
        assert "Check</strong> 50.0% is 400% more than 2025/26 Q2&#x27;s figure (10.0%): is it right?" in row
        assert "Check</strong>" not in queue_row(content, calm)

    def test_filters_by_directorate_service_period_rating_and_status_in_the_address(
        self, client, performance, indicator, officer
    ):
        set_target(indicator, Q3, "100", performance)
        red = submit(indicator, Q3, "50", officer, commentary="Backlog.")
        elsewhere = IndicatorFactory(code="LPI 900", service=ServiceFactory(name="Parks"))
        set_target(elsewhere, Q3, "100", performance)
        other_red = submit(elsewhere, Q3, "50", officer, commentary="Rain.")
        green = submit(IndicatorFactory(code="LPI 002", service=indicator.service), Q3, "50", officer)
        set_target(green.indicator, Q3, "40", performance)
        sent_back = services.outturn_return(
            outturn=submit(IndicatorFactory(code="LPI 003", service=indicator.service), Q3, "1", officer),
            comment="Wrong quarter.",
            by=performance,
        )

        def shown(**filters):
            return set(re.findall(r'id="outturn-(\d+)"', queue(client, **filters)))

        service = indicator.service
        assert shown() == {str(o.pk) for o in (red, other_red, green)}
        assert shown(service=service.pk, rating=Rag.RED) == {str(red.pk)}
        assert shown(directorate=elsewhere.service.directorate_id) == {str(other_red.pk)}
        assert shown(period=period(Q3).pk, rating=Rag.GREEN) == {str(green.pk)}
        assert shown(status="late") == {str(o.pk) for o in (red, other_red, green)}  # due 22 January
        assert shown(status="returned") == {str(sent_back.pk)}
        assert "Sent back: Wrong quarter." in queue(client, status="returned")
        content = queue(client, rating="purple")
        assert '<a href="#id_rating">Select a valid choice.' in content
        assert shown(rating="purple") == shown()  # an invalid filter is ignored

    def test_validating_a_selection_confirms_it_then_validates_each_and_emails_each_officer_once(
        self, client, performance, indicator, officer, service, django_capture_on_commit_callbacks
    ):
        first = submit(indicator, Q3, "96.5", officer)
        second = submit(IndicatorFactory(code="LPI 002", service=service), Q3, "50", officer)
        left = submit(IndicatorFactory(code="LPI 003", service=service), Q3, "40", officer)
        selection = {"outturn": [first.pk, second.pk], "filters": f"service={service.pk}"}

        confirm = client.post(reverse("indicators:validation-confirm"), selection)

        page = confirm.content.decode()
        assert '<h1 class="govuk-heading-l">Validate 2 returns</h1>' in page
        assert "LPI 001 Claims processed on time" in page and "LPI 003" not in page
        assert Outturn.objects.filter(state=OutturnState.SUBMITTED).count() == 3
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("indicators:validation-confirm"),
                selection | {"confirmed": "1", "commentary": "asked"},
                follow=True,
            )

        assert response.redirect_chain[-1][0] == reverse("indicators:validation") + f"?service={service.pk}"
        assert "2 returns validated." in messages_of(response)
        states = dict(Outturn.objects.values_list("pk", "state"))
        assert states == {first.pk: "validated", second.pk: "validated", left.pk: "submitted"}
        first.refresh_from_db()
        assert (first.validated_by, first.version) == (performance, 3)
        assert first.history.latest().history_user == performance
        assert [m.to for m in mail.outbox] == [[officer.email]]
        assert "2 returns validated" in mail.outbox[0].subject
        assert "LPI 002" in mail.outbox[0].body

    def test_validate_all_shown_confirms_exactly_the_filtered_returns(self, client, performance, indicator, officer):
        set_target(indicator, Q3, "100", performance)
        red = submit(indicator, Q3, "50", officer, commentary="Backlog.")
        submit(IndicatorFactory(code="LPI 002", service=indicator.service), Q3, "50", officer)  # no target

        content = queue(client, rating=Rag.RED)
        shown = re.search(r'form="all-shown".*?>Validate all (\d+) shown<', content, re.S).group(1)
        selected = re.search(r'name="selected" value="([\d,]*)"', content).group(1)
        assert (shown, selected) == ("1", str(red.pk))

        page = client.post(reverse("indicators:validation-confirm"), {"selected": selected, "filters": "rating=red"})
        assert "Validate 1 return</button>" in page.content.decode()
        assert f'name="selected" value="{red.pk}"' in page.content.decode()

    def test_validating_nothing_is_an_error_linking_to_the_first_box(self, client, performance, indicator, officer):
        outturn = submit(indicator, Q3, "96.5", officer)

        response = client.post(reverse("indicators:validation-confirm"), {"filters": ""})

        content = response.content.decode()
        assert f'<a href="#select-{outturn.pk}">Select the returns to validate.</a>' in content
        assert 'id="selection-error"' in content
        assert "<title>Returns awaiting validation - Error" in content

    def test_a_return_changed_meanwhile_refuses_the_whole_selection_saying_which(
        self, client, performance, indicator, officer
    ):
        outturn = submit(indicator, Q3, "96.5", officer)
        other = submit(IndicatorFactory(code="LPI 002", service=indicator.service), Q3, "50", officer)
        enter(indicator, Q3, "97", officer)  # corrected: a draft again

        response = validate(client, [outturn, other])

        content = response.content.decode()
        assert "There is a problem" in content
        assert "Some returns are no longer awaiting validation (LPI 001 2025/26 Q3)" in content
        assert Outturn.objects.get(pk=other.pk).state == OutturnState.SUBMITTED

    def test_nobody_validates_a_return_they_entered(self, client, performance, indicator):
        outturn = submit(indicator, Q3, "96.5", performance)

        response = validate(client, [outturn])

        assert "someone else in the performance team must validate" in response.content.decode()
        assert Outturn.objects.get().state == OutturnState.SUBMITTED

    def test_sending_back_one_emails_the_officer_who_sees_the_comment_on_my_returns(
        self, client, performance, indicator, officer, django_capture_on_commit_callbacks
    ):
        outturn = submit(indicator, Q3, "96.5", officer)
        url = reverse("indicators:outturn-return", args=[outturn.pk])
        back = reverse("indicators:validation") + f"?service={indicator.service_id}"

        page = client.get(url, {"next": back}).content.decode()
        assert "What needs to change in LPI 001, 2025/26 Q3?" in page and "96.5%" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"comment": "The December figure looks like November's.", "next": back})

        assert response.status_code == 302 and response["Location"] == back
        outturn.refresh_from_db()
        assert (outturn.state, outturn.return_comment) == (
            OutturnState.RETURNED,
            "The December figure looks like November's.",
        )
        assert [m.to for m in mail.outbox] == [[officer.email]]
        assert "The December figure looks like November's." in mail.outbox[0].body
        client.force_login(officer)
        my_returns = client.get(reverse("indicators:my-returns")).content.decode()
        assert "Returned" in my_returns
        assert "The December figure looks like November&#x27;s." in my_returns

    def test_sending_back_without_a_comment_shows_the_error_at_the_field(self, client, performance, indicator, officer):
        outturn = submit(indicator, Q3, "96.5", officer)

        response = client.post(
            reverse("indicators:outturn-return", args=[outturn.pk]), {"comment": "  ", "next": "https://evil.test/"}
        )

        content = response.content.decode()
        assert response.status_code == 200
        assert '<a href="#id_comment">Say why it is sent back.</a>' in content
        assert 'id="id_comment-error"' in content
        assert 'href="/validation/" class="govuk-back-link"' in content  # not another site
        outturn.refresh_from_db()
        assert outturn.state == OutturnState.SUBMITTED

    def test_a_return_already_validated_cannot_be_sent_back(self, client, performance, indicator, officer):
        outturn = services.outturn_validate(outturn=submit(indicator, Q3, "96.5", officer), by=performance)

        response = client.post(reverse("indicators:outturn-return", args=[outturn.pk]), {"comment": "Too late"})

        assert "Only a submitted figure can be sent back." in response.content.decode()
        outturn.refresh_from_db()
        assert outturn.state == OutturnState.VALIDATED

    def test_the_page_costs_the_same_queries_for_two_returns_as_for_ten(self, client, performance, officer, service):
        def returns(count):
            for _ in range(count):
                indicator = IndicatorFactory(service=service)
                set_target(indicator, Q3, "90", performance)
                enter(indicator, "2025/26 Q2", "85", officer)
                outturn = submit(indicator, Q3, "80", officer, commentary="Why")
                services.rating_override(outturn=outturn, rag=Rag.AMBER, reason="Provisional", by=performance)

        url = reverse("indicators:validation")
        returns(2)
        two = count_queries(client, url)
        filtered = count_queries(client, f"{url}?service={service.pk}&rating=amber")
        returns(8)
        assert count_queries(client, url) == two
        assert count_queries(client, f"{url}?service={service.pk}&rating=amber") == filtered


class TestPeriods:
    def test_lists_recent_periods_with_their_returns_validated_entered_and_expected(
        self, client, performance, indicator, officer
    ):
        second = IndicatorFactory(service=indicator.service)
        IndicatorFactory(is_collected=False)  # reference only: not expected
        IndicatorFactory(frequency=Frequency.MONTH)
        third = IndicatorFactory(service=indicator.service)  # no Q3 figure: missing
        validated = submit(indicator, Q3, "90", officer)
        services.outturn_validate(outturn=validated, by=performance)
        submit(second, Q3, "80", officer)
        period("2025/26 Q4")  # not ended: not listed
        services.outturn_validate(outturn=submit(third, "2025/26 Q2", "1", officer), by=performance)

        response = client.get(reverse("indicators:periods"))

        content = response.content.decode()
        q3 = period(Q3)
        row = re.search(rf'<tr class="govuk-table__row" id="period-{q3.pk}">(.*?)</tr>', content, re.S).group(1)
        numbers = re.findall(r'govuk-table__cell--numeric">(\d+)<', row)
        assert numbers == ["1", "2", "3"]
        assert "Open" in row and "22 January 2026" in row
        # Past its due date, but what stands in the way is said and no Lock is offered.
        assert "1 return is not validated yet (1" in row
        assert f'href="/validation/?period={q3.pk}">awaiting validation' in row
        assert "1 return is missing." in row
        assert "Lock<span" not in row
        q2 = period("2025/26 Q2")
        row = re.search(rf'<tr class="govuk-table__row" id="period-{q2.pk}">(.*?)</tr>', content, re.S).group(1)
        assert f'Lock<span class="govuk-visually-hidden"> {q2}</span>' in row
        assert "2 returns are missing: once locked, only the performance team can enter them." in row
        assert "2025/26 Q4" not in content

    def test_a_period_not_yet_due_offers_no_lock_and_refuses_one(self, client, performance, now):
        now.move_to(datetime.datetime(2026, 1, 10, 10, tzinfo=LONDON), tick=False)
        q3 = period(Q3)

        row = re.search(rf'id="period-{q3.pk}">(.*?)</tr>', get_page(client, "periods"), re.S).group(1)
        assert "Returns are due by 22 January 2026: it can be locked after that." in row
        assert "Lock<span" not in row
        refused = client.post(reverse("indicators:period-lock", args=[q3.pk]), follow=True)
        assert messages_of(refused) == [
            "2025/26 Q3 cannot be locked before its returns are due: they are due by 22 January 2026."
        ]
        q3.refresh_from_db()
        assert not q3.is_locked

    def test_lock_is_refused_while_returns_are_unvalidated_then_locks(self, client, performance, indicator, officer):
        outturn = submit(indicator, Q3, "90", officer)
        q3 = period(Q3)

        refused = client.post(reverse("indicators:period-lock", args=[q3.pk]), follow=True)

        assert messages_of(refused) == [
            "2025/26 Q3 cannot be locked: 1 return is not validated yet. Validate it first."
        ]
        q3.refresh_from_db()
        assert not q3.is_locked

        services.outturn_validate(outturn=outturn, by=performance)
        locked = client.post(reverse("indicators:period-lock", args=[q3.pk]), follow=True)

        q3.refresh_from_db()
        assert (q3.is_locked, q3.locked_by) == (True, performance)
        assert "2025/26 Q3 is locked: only the performance team can now amend its figures." in messages_of(locked)
        row = re.search(rf'id="period-{q3.pk}">(.*?)</tr>', locked.content.decode(), re.S).group(1)
        assert "Locked</strong>" in row
        assert "Unlock" in row

    def test_unlock_lets_officers_correct_figures_again(self, client, performance):
        q3 = services.period_lock(period=period(Q3), by=performance)

        response = client.post(reverse("indicators:period-unlock", args=[q3.pk]), follow=True)

        q3.refresh_from_db()
        assert not q3.is_locked
        assert "2025/26 Q3 is unlocked: officers can correct its figures again." in messages_of(response)

    def test_an_officer_cannot_amend_a_figure_in_a_locked_period(self, client, performance, indicator, officer):
        outturn = submit(indicator, Q3, "90", officer)
        services.outturn_validate(outturn=outturn, by=performance)
        services.period_lock(period=period(Q3), by=performance)
        client.force_login(officer)

        response = client.post(
            reverse("indicators:outturn-entry", args=[indicator.pk, period(Q3).pk]),
            {"value": "99", "commentary": "", "not_available_reason": "", "version": outturn.version + 1},
        )

        assert "2025/26 Q3 is locked. Ask the performance team if the figure needs amending." in (
            response.content.decode()
        )
        outturn.refresh_from_db()
        assert (outturn.value, outturn.state) == (D("90"), OutturnState.VALIDATED)

    def test_the_performance_team_amends_a_locked_figure_only_with_a_reason(
        self, client, performance, indicator, officer
    ):
        outturn = services.outturn_validate(outturn=submit(indicator, Q3, "90", officer), by=performance)
        services.period_lock(period=period(Q3), by=performance)
        url = reverse("indicators:outturn-entry", args=[indicator.pk, period(Q3).pk])
        form = {"value": "91.5", "commentary": "", "not_available_reason": "", "version": outturn.version}

        refused = client.post(url, form | {"amendment_reason": ""})

        assert "2025/26 Q3 is locked: say why the figure is being amended." in refused.content.decode()
        outturn.refresh_from_db()
        assert outturn.value == D("90")

        response = client.post(url, form | {"amendment_reason": "Audit found 15 missed claims."}, follow=True)

        outturn.refresh_from_db()
        assert (outturn.value, outturn.state) == (D("91.5"), OutturnState.VALIDATED)
        assert "Amended after the period was locked: Audit found 15 missed claims." in response.content.decode()

    def test_the_page_costs_the_same_queries_for_few_returns_as_for_many(self, client, performance, officer):
        url = reverse("indicators:periods")
        for label in ("2025/26 Q2", Q3, "2025/26 Dec", "2024/25"):
            period(label)
        enter(IndicatorFactory(), Q3, "1", officer)
        few = count_queries(client, url)
        for label in ("2025/26 Q1", "2025/26 Nov", "2025/26 Oct", "2024/25 Q4"):
            period(label)
        for _ in range(5):
            enter(IndicatorFactory(), "2025/26 Q2", "1", officer)
        assert count_queries(client, url) == few


class TestRatingOverride:
    @pytest.fixture
    def outturn(self, performance, indicator, officer):
        set_target(indicator, Q3, "100", performance)
        return enter(indicator, Q3, "96", officer)  # Amber

    def test_an_override_shows_both_ratings_and_who_overrode(self, client, performance, indicator, outturn):
        response = client.post(
            reverse("indicators:rating-override", args=[outturn.pk]),
            {"rag": Rag.RED, "reason": "The figure is provisional."},
            follow=True,
        )

        assert response.redirect_chain[-1][0] == reverse("indicators:outturn-entry", args=[indicator.pk, period(Q3).pk])
        assert "The rating of the 2025/26 Q3 figure for LPI 001 is overridden: Red." in messages_of(response)
        content = response.content.decode()
        assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in content
        assert f"Overridden by {performance}" in content
        assert "The figure is provisional." in content
        assert "The computed rating is Amber." in content
        outturn.rating.refresh_from_db()
        assert (outturn.rating.rag, outturn.rating.override_rag) == (Rag.AMBER, Rag.RED)

    def test_an_override_needs_a_reason(self, client, performance, outturn):
        response = client.post(
            reverse("indicators:rating-override", args=[outturn.pk]), {"rag": Rag.RED, "reason": ""}, follow=True
        )

        assert messages_of(response) == [
            "The rating is not overridden: Say why the computed rating is being overridden."
        ]
        outturn.rating.refresh_from_db()
        assert outturn.rating.override_rag == ""

    def test_choosing_no_override_removes_it(self, client, performance, outturn):
        services.rating_override(outturn=outturn, rag=Rag.GREEN, reason="Provisional", by=performance)

        response = client.post(reverse("indicators:rating-override", args=[outturn.pk]), {"rag": "", "reason": ""})

        assert response.status_code == 302
        outturn.rating.refresh_from_db()
        assert (outturn.rating.override_rag, outturn.rating.overridden_by) == ("", None)

    def test_it_returns_to_the_page_it_came_from(self, client, performance, outturn):
        response = client.post(
            reverse("indicators:rating-override", args=[outturn.pk]),
            {"rag": Rag.GREEN, "reason": "Provisional", "next": "/validation/"},
        )
        assert response.url == "/validation/"

        elsewhere = client.post(
            reverse("indicators:rating-override", args=[outturn.pk]),
            {"rag": Rag.GREEN, "reason": "Provisional", "next": "https://example.com/"},
        )
        assert elsewhere.url == reverse("indicators:outturn-entry", args=[outturn.indicator_id, outturn.period_id])

    def test_the_form_partial_shows_the_current_override(self, performance, outturn):
        services.rating_override(outturn=outturn, rag=Rag.GREEN, reason="Provisional", by=performance)
        outturn = Outturn.objects.select_related("rating", "indicator", "period").get(pk=outturn.pk)

        html = render_to_string("indicators/_override_form.html", {"outturn": outturn, "rag_choices": Rag.choices})

        assert f'action="{reverse("indicators:rating-override", args=[outturn.pk])}"' in html
        assert '<option value="green" selected>Green</option>' in html
        assert f'<label class="govuk-label" for="override-rag-{outturn.pk}">' in html
        assert f'<label class="govuk-label" for="override-reason-{outturn.pk}">' in html
        assert ">Provisional</textarea>" in html
        assert "The computed rating is Amber." in html


class TestHistory:
    def test_shows_who_changed_what_from_what_to_what_newest_first(self, client, performance, indicator, officer, now):
        now.move_to(TODAY + datetime.timedelta(seconds=30), tick=False)
        enter(indicator, Q3, "80", officer)
        now.move_to(TODAY + datetime.timedelta(minutes=1), tick=False)
        set_target(indicator, Q3, "90", performance)
        now.move_to(TODAY + datetime.timedelta(minutes=2), tick=False)
        enter(indicator, Q3, "95.5", officer, commentary="Back on track.")
        now.move_to(TODAY + datetime.timedelta(minutes=3), tick=False)
        indicator.title = "Benefit claims processed on time"
        indicator._history_user = performance
        indicator.save()

        response = client.get(reverse("indicators:indicator-history", args=[indicator.pk]))

        content = response.content.decode()
        rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', content, re.S)[1:]
        text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
        assert text[0].startswith(f"2 Feb 2026 10:03 {performance} Definition")
        assert "Definition Title changed from Claims processed on time to Benefit claims processed on time" in text[0]
        assert "Olive Officer Figure 2025/26 Q3" in text[1]
        assert "Figure changed from 80.0% to 95.5%" in text[1]
        assert "Commentary changed from none to Back on track." in text[1]
        assert "Target 2025/26 Q3 Created Target: 90.0% Rationale: Trend" in text[2]
        assert "Olive Officer Figure 2025/26 Q3 Created Figure: 80.0%" in text[3]
        assert text[-1].endswith("Definition Created")
        assert "Version" not in content

    def test_the_page_costs_the_same_queries_for_few_changes_as_for_many(self, client, performance, indicator, officer):
        url = reverse("indicators:indicator-history", args=[indicator.pk])
        enter(indicator, Q3, "80", officer)
        set_target(indicator, Q3, "90", performance)
        few = count_queries(client, url)
        for value in range(81, 89):
            enter(indicator, Q3, str(value), officer)
            set_target(indicator, "2025/26 Q2", str(value), performance)
            enter(indicator, "2025/26 Q2", str(value), officer)
        assert count_queries(client, url) == few

    def test_anyone_with_a_role_may_read_it(self, client, indicator):
        client.force_login(UserFactory(username="sam.scrutiny", roles=[Role.SCRUTINY_MEMBER]))
        assert client.get(reverse("indicators:indicator-history", args=[indicator.pk])).status_code == 200

    def test_someone_with_no_role_is_refused_and_a_missing_indicator_is_not_found(self, client, indicator):
        client.force_login(UserFactory(username="nobody"))
        assert client.get(reverse("indicators:indicator-history", args=[indicator.pk])).status_code == 403
        client.force_login(UserFactory(username="sam.scrutiny", roles=[Role.SCRUTINY_MEMBER]))
        assert client.get(reverse("indicators:indicator-history", args=[999999])).status_code == 404


def bulk_form(rows: dict, total: int | None = None) -> dict:
    """The bulk entry form as posted: rows maps an indicator to its row's fields."""
    total = len(rows) if total is None else total
    data = {"row-TOTAL_FORMS": total, "row-INITIAL_FORMS": total, "row-MIN_NUM_FORMS": 0, "row-MAX_NUM_FORMS": 1000}
    for indicator, fields in rows.items():
        data |= {f"row-{indicator.pk}-{name}": value for name, value in fields.items()}
    return data


class TestBulkEntry:
    @pytest.fixture
    def indicators(self, service, officer):
        return [
            IndicatorFactory(code="LPI 010", service=service),
            IndicatorFactory(code="LPI 011", service=service, unit=Unit.DAYS, decimal_places=0, polarity="lower"),
            IndicatorFactory(code="LPI 012", service=service, unit=Unit.NUMBER, decimal_places=0),
        ]

    @pytest.fixture
    def url(self, service):
        return reverse("indicators:bulk-entry", args=[service.pk, period(Q3).pk])

    def test_shows_a_row_per_collected_indicator_of_the_service_and_frequency(
        self, client, officer, indicators, url, performance
    ):
        IndicatorFactory(code="LPI 020", service=indicators[0].service, frequency=Frequency.MONTH)
        IndicatorFactory(code="LPI 021", service=indicators[0].service, is_collected=False)
        IndicatorFactory(code="LPI 022")
        set_target(indicators[0], Q3, "90", performance)
        enter(indicators[0], "2025/26 Q2", "88", officer)
        client.force_login(officer)

        response = client.get(url)

        content = response.content.decode()
        assert response.status_code == 200
        assert [row["indicator"] for row in response.context["rows"]] == indicators
        for code in ("LPI 020", "LPI 021", "LPI 022"):
            assert code not in content
        assert f'<label class="govuk-label" for="id_row-{indicators[0].pk}-value">Figure for LPI 010' in content
        assert f'name="row-{indicators[1].pk}-commentary"' in content
        assert f'name="row-{indicators[2].pk}-not_available_reason"' in content
        assert f'type="hidden" name="row-{indicators[0].pk}-version"' in content
        assert "90.0%" in content  # target
        assert "88.0%" in content  # last period's figure

    def test_saves_every_filled_row_at_once_and_skips_empty_rows(
        self, client, officer, indicators, url, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)
        data = bulk_form(
            {
                indicators[0]: {"value": "95.5", "commentary": "On track."},
                indicators[1]: {"value": "", "not_available_reason": "System down.", "commentary": ""},
                indicators[2]: {"value": "", "not_available_reason": "", "commentary": ""},
            }
        )

        response = client.post(url, data, follow=True)

        assert response.redirect_chain[-1][0] == reverse("indicators:my-returns")
        assert "2 figures saved for Housing Benefits, 2025/26 Q3." in messages_of(response)
        saved = {o.indicator.code: o for o in Outturn.objects.select_related("indicator")}
        assert set(saved) == {"LPI 010", "LPI 011"}
        assert (saved["LPI 010"].value, saved["LPI 010"].commentary, saved["LPI 010"].entered_by) == (
            D("95.5"),
            "On track.",
            officer,
        )
        assert (saved["LPI 011"].value, saved["LPI 011"].not_available_reason) == (None, "System down.")

    def test_one_bad_row_saves_nothing_and_each_bad_row_shows_its_errors(self, client, officer, indicators, url):
        client.force_login(officer)
        data = bulk_form(
            {
                indicators[0]: {"value": "95.5"},
                indicators[1]: {"value": "lots"},
                indicators[2]: {"value": "", "commentary": "Only commentary."},
            }
        )

        response = client.post(url, data)

        content = response.content.decode()
        assert response.status_code == 200
        assert Outturn.objects.count() == 0
        assert "No figures have been saved." in content
        bad, empty = indicators[1].pk, indicators[2].pk
        assert f'<a href="#id_row-{bad}-value">LPI 011: The figure must be a number' in content
        assert (
            f'<a href="#id_row-{empty}-value">LPI 012: Enter a figure, or say why it is not available.</a>' in content
        )
        assert f'id="id_row-{bad}-value-error"' in content
        assert f'id="id_row-{empty}-value-error"' in content
        assert "LPI 010:" not in content
        assert 'value="95.5"' in content  # the good row keeps what was typed
        assert "<title>2025/26 Q3 figures for Housing Benefits - Error" in content

    @pytest.mark.parametrize(
        ("row", "value", "message"),
        [
            (0, "ninety", "The figure must be a number"),
            (1, "-3", "The figure cannot be negative for a measure in days."),
            (0, "95.55", "LPI 010 is reported to 1 decimal place; 95.55 has more."),
            (2, "123456789012345678", "The figure is too large."),
            (0, "95", "Leave the reason empty when you enter a figure."),
        ],
    )
    def test_bad_input_is_refused_with_a_reason(self, client, officer, indicators, url, row, value, message):
        client.force_login(officer)
        reason = "Not collected." if value == "95" else ""
        data = bulk_form({indicators[row]: {"value": value, "not_available_reason": reason}})

        response = client.post(url, data)

        assert response.status_code == 200
        assert message in response.content.decode()
        assert Outturn.objects.count() == 0

    def test_missing_commentary_on_a_red_figure_is_not_an_error_when_saving(
        self, client, officer, indicators, url, performance
    ):
        set_target(indicators[0], Q3, "90", performance)
        client.force_login(officer)

        response = client.post(url, bulk_form({indicators[0]: {"value": "50", "commentary": ""}}))

        assert response.status_code == 302
        outturn = Outturn.objects.get()
        assert (outturn.value, outturn.rating.rag, outturn.commentary) == (D("50"), Rag.RED, "")

    def test_save_and_submit_submits_every_complete_row_and_holds_those_needing_commentary(
        self, client, officer, indicators, url, performance
    ):
        set_target(indicators[0], Q3, "90", performance)
        earlier_draft = enter(indicators[2], Q3, "7", officer)
        client.force_login(officer)
        data = bulk_form(
            {
                indicators[0]: {"value": "50", "commentary": ""},  # Red, no commentary
                indicators[1]: {"value": "4", "commentary": ""},  # no target: no commentary needed
                indicators[2]: {"value": "7", "commentary": "", "not_available_reason": "", "version": 1},
            }
        ) | {"action": "submit"}

        response = client.post(url, data)

        content = response.content.decode()
        states = {o.indicator.code: o.state for o in Outturn.objects.select_related("indicator")}
        assert states == {"LPI 010": "draft", "LPI 011": "submitted", "LPI 012": "submitted"}
        # The earlier draft, left as it was, is submitted without being saved again.
        assert Outturn.objects.get(pk=earlier_draft.pk).version == earlier_draft.version + 1
        assert "2 figures saved and 2 submitted for Housing Benefits, 2025/26 Q3." in messages_of(response)
        red = indicators[0].pk
        assert "This figure is saved as a draft but not submitted." in content
        assert (
            f'<a href="#id_row-{red}-commentary">LPI 010: Saved as a draft, not submitted. The figure is rated Red'
            in content
        )
        assert f'id="id_row-{red}-commentary-error"' in content
        assert f'for="id_row-{red}-commentary">Commentary</label>' in content  # required now
        held = Outturn.objects.get(indicator=indicators[0])
        assert f'name="row-{red}-version" value="{held.version}"' in content

        # Adding the commentary and submitting again submits it.
        again = dict(response.context["formset"].data.items()) | {
            f"row-{red}-commentary": "Two staff off sick.",
            "action": "submit",
        }
        response = client.post(url, again, follow=True)
        assert response.redirect_chain[-1][0] == reverse("indicators:my-returns")
        assert Outturn.objects.get(indicator=indicators[0]).state == OutturnState.SUBMITTED

    def test_rows_left_as_they_were_are_not_saved_again(self, client, officer, indicators, url, performance):
        validated = services.outturn_validate(outturn=submit(indicators[0], Q3, "80", officer), by=performance)
        client.force_login(officer)
        unchanged = {"value": "80.0", "commentary": "", "not_available_reason": "", "version": validated.version}

        response = client.post(url, bulk_form({indicators[0]: unchanged, indicators[2]: {"value": "7"}}), follow=True)

        assert "1 figure saved for Housing Benefits, 2025/26 Q3." in messages_of(response)
        validated.refresh_from_db()
        assert validated.state == OutturnState.VALIDATED
        assert Outturn.objects.count() == 2

    def test_a_figure_someone_else_saved_meanwhile_is_not_overwritten(self, client, officer, indicators, url):
        first = enter(indicators[0], Q3, "60", officer)
        client.force_login(officer)
        opened = {"value": "60.0", "not_available_reason": "", "commentary": "", "version": first.version}
        colleague = UserFactory(username="carl.colleague", roles=[Role.OFFICER], service=officer.service)
        enter(indicators[0], Q3, "70", colleague)
        enter(indicators[2], Q3, "3", colleague)

        # Neither row was touched: the first now differs from what was opened, the third was empty.
        response = client.post(url, bulk_form({indicators[0]: opened, indicators[1]: {"value": "4"}}))

        content = response.content.decode()
        assert f"LPI 010: {colleague} changed this after you opened it" in content
        assert f'name="row-{indicators[0].pk}-value" type="text" value="70.0"' in content  # what they saved
        assert Outturn.objects.get(indicator=indicators[0]).value == D("70")
        assert not Outturn.objects.filter(indicator=indicators[1]).exists()

        # Saving the page again keeps their figure and saves the rest.
        again = response.context["formset"].data
        response = client.post(url, again, follow=True)
        assert "1 figure saved for Housing Benefits, 2025/26 Q3." in messages_of(response)
        assert {o.indicator.code: o.value for o in Outturn.objects.select_related("indicator")} == {
            "LPI 010": D("70"),
            "LPI 011": D("4"),
            "LPI 012": D("3"),
        }

    def test_a_locked_period_cannot_be_changed_by_an_officer(self, client, officer, indicators, url, performance):
        services.period_lock(period=period(Q3), by=performance)
        client.force_login(officer)

        response = client.post(url, bulk_form({indicators[0]: {"value": "75"}}))

        assert "2025/26 Q3 is locked." in response.content.decode()
        assert Outturn.objects.count() == 0

    def test_the_performance_team_amends_a_locked_period_giving_a_reason(self, client, performance, indicators, url):
        services.period_lock(period=period(Q3), by=performance)

        refused = client.post(url, bulk_form({indicators[0]: {"value": "75"}}))
        assert "LPI 010: 2025/26 Q3 is locked: say why the figure is being amended." in refused.content.decode()

        client.post(url, bulk_form({indicators[0]: {"value": "75", "amendment_reason": "Late data from the DWP."}}))
        assert Outturn.objects.get().amendment_reason == "Late data from the DWP."

    def test_the_service_manager_may_use_it(self, client, service, indicators, url):
        manager = UserFactory(username="maya.manager", roles=[Role.SERVICE_MANAGER])
        service.manager = manager
        service.save()
        client.force_login(manager)
        assert client.get(url).status_code == 200


class TestRefusals:
    @pytest.fixture
    def urls(self, indicator, officer):
        outturn = submit(indicator, Q3, "90", officer)
        q3 = period(Q3)
        return {
            "validation": reverse("indicators:validation"),
            "periods": reverse("indicators:periods"),
            "history": reverse("indicators:indicator-history", args=[indicator.pk]),
            "bulk": reverse("indicators:bulk-entry", args=[indicator.service_id, q3.pk]),
            "validate": reverse("indicators:validation-confirm"),
            "return": reverse("indicators:outturn-return", args=[outturn.pk]),
            "override": reverse("indicators:rating-override", args=[outturn.pk]),
            "lock": reverse("indicators:period-lock", args=[q3.pk]),
            "unlock": reverse("indicators:period-unlock", args=[q3.pk]),
        }

    PAGES = ("validation", "periods", "history", "bulk")
    ACTIONS = ("validate", "return", "override", "lock", "unlock")

    @pytest.mark.parametrize("name", PAGES)
    def test_anonymous_visitors_are_sent_to_sign_in(self, client, urls, name):
        response = client.get(urls[name])
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")

    @pytest.mark.parametrize("name", ACTIONS)
    def test_anonymous_posts_are_sent_to_sign_in(self, client, urls, name):
        response = client.post(urls[name], {"comment": "x", "rag": "red", "reason": "x"})
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")

    @pytest.mark.parametrize("name", ("validation", "periods"))
    def test_an_officer_cannot_open_the_performance_teams_pages(self, client, urls, officer, name):
        client.force_login(officer)
        assert client.get(urls[name]).status_code == 403

    @pytest.mark.parametrize("name", ACTIONS)
    def test_an_officer_cannot_use_the_performance_teams_actions(self, client, urls, officer, name):
        client.force_login(officer)
        assert client.post(urls[name], {"comment": "x", "rag": "red", "reason": "x"}).status_code == 403
        assert Outturn.objects.get().state == OutturnState.SUBMITTED

    @pytest.mark.parametrize("name", ACTIONS)
    def test_a_scrutiny_member_cannot_post(self, client, urls, name):
        client.force_login(UserFactory(username="sam.scrutiny", roles=[Role.SCRUTINY_MEMBER]))
        assert client.post(urls[name], {"comment": "x", "rag": "red", "reason": "x"}).status_code == 403

    def test_a_scrutiny_member_cannot_enter_figures_in_bulk(self, client, urls):
        client.force_login(UserFactory(username="sam.scrutiny", roles=[Role.SCRUTINY_MEMBER]))
        assert client.get(urls["bulk"]).status_code == 403
        assert client.post(urls["bulk"], {}).status_code == 403

    def test_an_officer_of_another_service_cannot_enter_the_services_figures(self, client, urls, indicator):
        stranger = UserFactory(username="otto.other", roles=[Role.OFFICER], service=ServiceFactory())
        client.force_login(stranger)
        assert client.get(urls["bulk"]).status_code == 403
        # Not even when one of the service's indicators is assigned to them.
        IndicatorFactory(service=indicator.service, responsible_officer=stranger)
        assert client.get(urls["bulk"]).status_code == 403

    @pytest.mark.parametrize("name", [action for action in ACTIONS if action != "return"])
    def test_actions_refuse_get(self, client, urls, performance, name):
        assert client.get(urls[name]).status_code == 405

    def test_missing_records_are_not_found(self, client, performance):
        for url in (
            reverse("indicators:outturn-return", args=[999999]),
            reverse("indicators:rating-override", args=[999999]),
            reverse("indicators:period-lock", args=[999999]),
            reverse("indicators:period-unlock", args=[999999]),
        ):
            assert client.post(url).status_code == 404
        assert client.get(reverse("indicators:bulk-entry", args=[999999, period(Q3).pk])).status_code == 404


def test_bulk_entry_queries_an_unusual_figure_and_saves_nothing_until_it_is_confirmed(client, officer, service):
    """The entry checks of the entry page (indicators.unusual), on bulk entry too."""
    zeroless = IndicatorFactory(code="LPI 030", service=service, unit=Unit.NUMBER, decimal_places=0)
    other = IndicatorFactory(code="LPI 031", service=service, unit=Unit.NUMBER, decimal_places=0)
    for label, value in (("2025/26 Q1", "40"), ("2025/26 Q2", "42")):
        enter(zeroless, label, value, officer)
        enter(other, label, value, officer)
    client.force_login(officer)
    url = reverse("indicators:bulk-entry", args=[service.pk, period(Q3).pk])
    data = bulk_form({zeroless: {"value": "0", "commentary": ""}, other: {"value": "41", "commentary": ""}})

    response = client.post(url, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert Outturn.objects.filter(period=period(Q3)).count() == 0
    assert "Is this a real zero, or is the figure missing?" in content
    assert f'href="#id_row-{zeroless.pk}-confirmed"' in content
    assert f'name="row-{zeroless.pk}-confirmed"' in content
    assert f'name="row-{other.pk}-confirmed"' not in content

    response = client.post(url, data | {f"row-{zeroless.pk}-confirmed": "on"})

    assert response.status_code == 302
    saved = dict(Outturn.objects.filter(period=period(Q3)).values_list("indicator__code", "value"))
    assert saved == {"LPI 030": D(0), "LPI 031": D(41)}
