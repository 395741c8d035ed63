import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators import ratings, services
from indicators.models import Frequency, Kind, Outturn, Period, Rating, Target, TargetStatus, TolerancePolicy, Unit
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(username="alice")


def record(indicator, label, value=None, by=None, **kwargs):
    return services.outturn_record(
        indicator=indicator, period=period(label), by=by or UserFactory(username="entry"), value=value, **kwargs
    )


def target(indicator, label, value):
    return services.target_set(
        indicator=indicator, period=period(label), value=D(value), rationale="Trend", by=UserFactory(username="t")
    )


def rating(indicator, label) -> Rating:
    return Rating.objects.get(outturn__indicator=indicator, outturn__period__in=[period(label)])


class TestPeriods:
    def test_a_financial_year_has_twelve_months_four_quarters_and_the_year(self):
        created = services.periods_ensure_year(year=2025)
        counts = {f: sum(p.frequency == f for p in created) for f in Frequency}
        assert counts == {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.YEAR: 1}
        services.periods_ensure_year(year=2025)
        assert Period.objects.count() == 17

    def test_due_dates_are_working_days_after_the_period_skipping_bank_holidays(self):
        services.periods_ensure_year(year=2025)
        q3 = Period.objects.get_by_label("2025/26 Q3")
        assert (q3.start, q3.end) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
        # 15 working days from 31 Dec 2025, skipping New Year's Day and two weekends.
        assert q3.due == datetime.date(2026, 1, 22)
        march = Period.objects.get_by_label("2025/26 Mar")
        # Good Friday 3 April and Easter Monday 6 April 2026 are not working days.
        assert march.due == datetime.date(2026, 4, 23)


class TestRatingOnSave:
    def test_an_outturn_is_rated_against_its_target_when_recorded(self):
        indicator = IndicatorFactory()
        target(indicator, "2025/26 Q1", "100")
        record(indicator, "2025/26 Q1", D("95"))
        saved = rating(indicator, "2025/26 Q1")
        assert (saved.rag, saved.actual, saved.target) == ("amber", D("95"), D("100"))
        installation = TolerancePolicy.objects.get(effective_from=None)
        assert (saved.tolerance, saved.tolerance_mode, saved.policy) == (D("0.05"), "relative", installation)

    def test_setting_a_target_later_re_rates_the_outturn(self):
        indicator = IndicatorFactory()
        record(indicator, "2025/26 Q1", D("95"))
        assert rating(indicator, "2025/26 Q1").rag == "no_target"
        target(indicator, "2025/26 Q1", "90")
        assert rating(indicator, "2025/26 Q1").rag == "green"

    def test_correcting_a_figure_re_rates_it_and_keeps_the_old_one_in_history(self):
        indicator = IndicatorFactory()
        target(indicator, "2025/26 Q1", "100")
        outturn = record(indicator, "2025/26 Q1", D("80"))
        assert rating(indicator, "2025/26 Q1").rag == "red"
        record(indicator, "2025/26 Q1", D("101"))
        assert rating(indicator, "2025/26 Q1").rag == "green"
        assert [h.value for h in outturn.history.order_by("history_date")] == [D("80"), D("101")]

    def test_the_audit_trail_names_who_entered_and_who_corrected_a_figure(self, officer):
        indicator = IndicatorFactory()
        record(indicator, "2025/26 Q1", D("80"), by=officer)
        corrector = UserFactory(username="bob")
        outturn = record(indicator, "2025/26 Q1", D("81"), by=corrector)
        history = outturn.history.order_by("history_date")
        assert [(h.history_user, h.value) for h in history] == [(officer, D("80")), (corrector, D("81"))]

    def test_unavailable_figures_and_data_only_indicators_are_never_red_or_green(self):
        rated = IndicatorFactory()
        target(rated, "2025/26 Q1", "100")
        record(rated, "2025/26 Q1", not_available_reason="Survey not run this quarter")
        assert rating(rated, "2025/26 Q1").rag == "not_available"
        context = IndicatorFactory(polarity="none")
        record(context, "2025/26 Q1", D("12"))
        assert rating(context, "2025/26 Q1").rag == "data_only"

    def test_an_indicator_tolerance_override_is_used_and_recorded(self):
        indicator = IndicatorFactory(tolerance=D("2"), tolerance_mode="absolute")
        target(indicator, "2025/26 Q1", "80")
        record(indicator, "2025/26 Q1", D("78"))
        saved = rating(indicator, "2025/26 Q1")
        assert (saved.rag, saved.tolerance, saved.tolerance_mode) == ("amber", D("2"), "absolute")

    def test_direction_of_travel_against_previous_period_and_last_year(self):
        indicator = IndicatorFactory(polarity="lower", unit=Unit.DAYS)
        record(indicator, "2024/25 Q2", D("20"))
        record(indicator, "2025/26 Q1", D("15"))
        record(indicator, "2025/26 Q2", D("18"))
        saved = rating(indicator, "2025/26 Q2")
        assert (saved.travel_previous, saved.travel_last_year) == ("worsening", "improving")
        assert rating(indicator, "2025/26 Q1").travel_last_year == ""  # no 2024/25 Q1 figure

    def test_previous_period_of_the_first_quarter_is_last_years_fourth(self):
        indicator = IndicatorFactory()
        record(indicator, "2024/25 Q4", D("50"))
        record(indicator, "2025/26 Q1", D("50"))
        assert rating(indicator, "2025/26 Q1").travel_previous == "unchanged"

    def test_a_late_correction_re_rates_the_periods_that_depend_on_it(self):
        indicator = IndicatorFactory()
        record(indicator, "2025/26 Q1", D("50"))
        record(indicator, "2025/26 Q2", D("60"))
        record(indicator, "2025/26 Q1", D("70"))
        assert rating(indicator, "2025/26 Q2").travel_previous == "worsening"


class TestCumulative:
    def test_counts_are_rated_year_to_date(self):
        homes = IndicatorFactory(unit=Unit.NUMBER, decimal_places=0, is_cumulative=True)
        target(homes, "2025/26 Q2", "30")
        record(homes, "2025/26 Q1", D("10"))
        record(homes, "2025/26 Q2", D("19"))
        saved = rating(homes, "2025/26 Q2")
        # 29 year to date against a year-to-date target of 30, band 1.5: Amber.
        assert (saved.actual, saved.rag) == (D("29"), "amber")

    def test_percentages_are_formed_from_numerators_and_denominators_not_averaged(self):
        paid = IndicatorFactory(unit=Unit.PERCENTAGE, decimal_places=1, is_cumulative=True)
        target(paid, "2025/26 Q2", "70")
        record(paid, "2025/26 Q1", numerator=D("9"), denominator=D("10"))
        record(paid, "2025/26 Q2", numerator=D("60"), denominator=D("100"))
        saved = rating(paid, "2025/26 Q2")
        # 69 of 110 is 62.7%; the mean of 90% and 60% would have been 75%.
        assert saved.actual == D("62.7")
        assert saved.rag == "red"
        assert Outturn.objects.get(indicator=paid, period=period("2025/26 Q2")).value == D("60.0")

    def test_a_missing_earlier_period_leaves_the_year_to_date_incomplete(self):
        homes = IndicatorFactory(unit=Unit.NUMBER, decimal_places=0, is_cumulative=True)
        target(homes, "2025/26 Q2", "30")
        record(homes, "2025/26 Q2", D("40"))
        saved = rating(homes, "2025/26 Q2")
        assert (saved.rag, saved.actual) == ("incomplete", None)
        record(homes, "2025/26 Q1", D("5"))
        saved = rating(homes, "2025/26 Q2")
        assert (saved.rag, saved.actual) == ("green", D("45"))

    def test_a_cumulative_percentage_needs_its_numerator_and_denominator(self):
        paid = IndicatorFactory(unit=Unit.PERCENTAGE, decimal_places=1, is_cumulative=True)
        with pytest.raises(ValidationError, match="give the numerator and denominator"):
            record(paid, "2025/26 Q1", D("90"))
        unavailable = record(paid, "2025/26 Q1", not_available_reason="System migration")
        assert unavailable.rating.rag == "not_available"

    def test_travel_compares_period_figures_with_the_last_period_and_year_to_date_with_last_year(self):
        homes = IndicatorFactory(unit=Unit.NUMBER, decimal_places=0, is_cumulative=True)
        for label, value in [("2024/25 Q1", "10"), ("2024/25 Q2", "30"), ("2025/26 Q1", "20"), ("2025/26 Q2", "15")]:
            record(homes, label, D(value))
        saved = rating(homes, "2025/26 Q2")
        # 15 this quarter after 20 last quarter; 35 year to date against 40 a year earlier.
        assert (saved.actual, saved.travel_previous, saved.travel_last_year) == (D("35"), "worsening", "worsening")


class TestTolerancePolicy:
    def test_a_new_policy_re_rates_from_its_period_and_leaves_earlier_ratings(
        self, officer, django_capture_on_commit_callbacks
    ):
        indicator = IndicatorFactory()
        for label in ("2025/26 Q1", "2025/26 Q3"):
            target(indicator, label, "100")
            record(indicator, label, D("96"))
        assert rating(indicator, "2025/26 Q3").rag == "amber"
        q1_rated_at = rating(indicator, "2025/26 Q1").rated_at
        with django_capture_on_commit_callbacks(execute=True):
            policy = services.tolerance_policy_create(
                tolerance=D("0.02"), reason="Audit review", effective_from=period("2025/26 Q3"), by=officer
            )
        q1, q3 = rating(indicator, "2025/26 Q1"), rating(indicator, "2025/26 Q3")
        installation = TolerancePolicy.objects.get(effective_from=None)
        assert (q1.rag, q1.tolerance, q1.policy, q1.rated_at) == ("amber", D("0.05"), installation, q1_rated_at)
        assert (q3.rag, q3.tolerance, q3.policy) == ("red", D("0.02"), policy)

    def test_the_newest_policy_in_force_at_the_period_start_applies(self, officer):
        indicator = IndicatorFactory()
        q1_policy = TolerancePolicy.objects.create(
            tolerance=D("0.10"), reason="a", effective_from=period("2025/26 Q1"), set_by=officer
        )
        TolerancePolicy.objects.create(
            tolerance=D("0.01"), reason="b", effective_from=period("2025/26 Q4"), set_by=officer
        )
        target(indicator, "2025/26 Q2", "100")
        record(indicator, "2025/26 Q2", D("91"))
        record(indicator, "2024/25 Q4", D("91"))
        assert (rating(indicator, "2025/26 Q2").rag, rating(indicator, "2025/26 Q2").policy) == ("amber", q1_policy)
        # Before every recorded policy: the corporate default recorded at installation.
        assert rating(indicator, "2024/25 Q4").policy == TolerancePolicy.objects.get(effective_from=None)

    def test_of_two_policies_for_one_period_the_one_recorded_later_applies(self, officer):
        indicator = IndicatorFactory()
        for tolerance in ("0.10", "0.01"):
            TolerancePolicy.objects.create(
                tolerance=D(tolerance), reason=tolerance, effective_from=period("2025/26 Q1"), set_by=officer
            )
        later = TolerancePolicy.objects.get(tolerance=D("0.01"))
        target(indicator, "2025/26 Q2", "100")
        record(indicator, "2025/26 Q2", D("95"))
        assert (rating(indicator, "2025/26 Q2").rag, rating(indicator, "2025/26 Q2").policy) == ("red", later)
        assert TolerancePolicy.objects.in_force_on(period("2025/26 Q2").start) == later

    def test_the_installation_policy_is_in_force_before_every_other(self, officer):
        installation = TolerancePolicy.objects.get()
        assert (installation.tolerance, installation.reason, installation.set_by) == (
            D("0.05"),
            "Corporate default at installation",
            None,
        )
        TolerancePolicy.objects.create(
            tolerance=D("0.10"), reason="a", effective_from=period("2025/26 Q1"), set_by=officer
        )
        assert TolerancePolicy.objects.in_force_on(period("2024/25 Q4").start) == installation
        assert TolerancePolicy.objects.in_force_on(period("2025/26 Q1").start).reason == "a"
        assert list(TolerancePolicy.objects.timeline())[-1] == installation

    def test_with_no_policy_at_all_nothing_is_in_force(self):
        TolerancePolicy.objects.all().delete()
        with pytest.raises(TolerancePolicy.DoesNotExist):
            TolerancePolicy.objects.in_force_on(period("2025/26 Q1").start)

    @pytest.mark.parametrize(
        ("tolerance", "reason", "message"),
        [
            (D("0.05"), "  ", "Say why"),
            (D("1.5"), "Too loose", "more than 100% of the target"),
            (D("-0.01"), "x", "less than 0"),
        ],
    )
    def test_a_policy_needs_a_reason_and_a_sensible_fraction(self, officer, tolerance, reason, message):
        with pytest.raises(ValidationError, match=message):
            services.tolerance_policy_create(
                tolerance=tolerance, reason=reason, effective_from=period("2025/26 Q1"), by=officer
            )
        assert not TolerancePolicy.objects.exclude(effective_from=None).exists()


class TestBulkRecalculation:
    def build(self, count):
        for _ in range(count):
            indicator = IndicatorFactory()
            for label, value in [("2024/25 Q4", "90"), ("2025/26 Q1", "96"), ("2025/26 Q2", "100")]:
                Target.objects.create(indicator=indicator, period=period(label), value=D("100"))
                Outturn.objects.create(
                    indicator=indicator, period=period(label), value=D(value), entered_at="2025-01-01T00:00Z"
                )

    def test_rates_every_outturn_in_a_fixed_number_of_queries(self):
        self.build(2)
        with CaptureQueriesContext(connection) as few:
            assert ratings.ratings_recalculate() == 6
        self.build(20)
        with CaptureQueriesContext(connection) as many:
            assert ratings.ratings_recalculate() == 66
        assert len(many) == len(few)
        assert Rating.objects.filter(rag="amber").count() == 22

    def test_since_limits_the_periods_rated(self):
        self.build(3)
        assert ratings.ratings_recalculate(since=period("2025/26 Q2").start) == 3
        assert set(Rating.objects.values_list("outturn__period__number", flat=True)) == {2}


class TestTargets:
    def test_lifecycle_runs_draft_proposed_quality_assured_signed_off(self, officer):
        indicator = IndicatorFactory()
        holder = indicator.portfolio.holder
        saved = target(indicator, "2025/26", "100")
        assert saved.status == TargetStatus.DRAFT
        saved = services.target_propose(target=saved, by=officer)
        saved = services.target_quality_assure(target=saved, by=UserFactory(username="perf"))
        saved = services.target_sign_off(target=saved, by=holder)
        assert (saved.status, saved.signed_off_by, saved.signed_off_at is not None) == ("signed_off", holder, True)

    def test_steps_cannot_be_skipped(self, officer):
        indicator = IndicatorFactory()
        saved = target(indicator, "2025/26 Q1", "100")
        with pytest.raises(ValidationError, match="only a quality assured target can be signed off"):
            services.target_sign_off(target=saved, by=indicator.portfolio.holder)
        with pytest.raises(ValidationError, match="only a proposed target"):
            services.target_quality_assure(target=saved, by=officer)

    def test_only_the_portfolio_holder_signs_off(self, officer):
        indicator = IndicatorFactory()
        saved = target(indicator, "2025/26 Q1", "100")
        services.target_propose(target=saved, by=officer)
        services.target_quality_assure(target=saved, by=officer)
        other_holder = UserFactory(username="other.holder")
        with pytest.raises(ValidationError, match="Only the portfolio holder"):
            services.target_sign_off(target=saved, by=other_holder)
        assert Target.objects.get(pk=saved.pk).status == TargetStatus.QUALITY_ASSURED

    def test_changing_a_signed_off_target_starts_a_new_revision_needing_sign_off(self, officer):
        indicator = IndicatorFactory()
        saved = target(indicator, "2025/26 Q1", "100")
        services.target_propose(target=saved, by=officer)
        services.target_quality_assure(target=saved, by=officer)
        services.target_sign_off(target=saved, by=indicator.portfolio.holder)
        changed = target(indicator, "2025/26 Q1", "105")
        assert (changed.revision, changed.status, changed.signed_off_by) == (2, "draft", None)
        signed = changed.history.filter(status="signed_off").get()
        assert (signed.revision, signed.value) == (1, D("100"))

    def test_changing_the_rationale_of_a_signed_off_target_also_needs_sign_off(self, officer):
        indicator = IndicatorFactory()
        saved = target(indicator, "2025/26 Q1", "100")
        for step in (services.target_propose, services.target_quality_assure):
            step(target=saved, by=officer)
        services.target_sign_off(target=saved, by=indicator.portfolio.holder)
        changed = services.target_set(
            indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="Benchmark", by=officer
        )
        assert (changed.revision, changed.status) == (2, "draft")

    def test_re_saving_a_draft_target_keeps_its_revision(self):
        indicator = IndicatorFactory()
        target(indicator, "2025/26 Q1", "100")
        assert target(indicator, "2025/26 Q1", "101").revision == 1

    def test_a_target_must_fit_the_indicators_periods_and_decimal_places(self):
        indicator = IndicatorFactory(decimal_places=1)
        with pytest.raises(ValidationError, match="collected quarterly"):
            target(indicator, "2025/26 Apr", "100")
        with pytest.raises(ValidationError, match="1 decimal place"):
            target(indicator, "2025/26 Q1", "99.25")
        assert target(indicator, "2025/26", "99.5").period.frequency == "year"


class TestOutturnChecks:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({}, "Enter a figure, or say why"),
            ({"value": D("5"), "not_available_reason": "No data"}, "Leave the reason empty"),
            ({"numerator": D("5")}, "both the numerator and the denominator"),
            ({"numerator": D("5"), "denominator": D("0")}, "more than zero"),
            ({"value": D("5.25")}, "1 decimal place"),
        ],
    )
    def test_bad_figures_are_refused_with_a_reason(self, kwargs, message):
        indicator = IndicatorFactory(decimal_places=1)
        with pytest.raises(ValidationError, match=message):
            record(indicator, "2025/26 Q1", **kwargs)
        assert not Outturn.objects.exists()

    def test_a_figure_must_be_for_one_of_the_indicators_periods(self):
        monthly = IndicatorFactory(frequency=Frequency.MONTH)
        with pytest.raises(ValidationError, match="not a monthly period"):
            record(monthly, "2025/26 Q1", D("5"))

    def test_red_and_amber_figures_need_commentary_to_be_submitted(self, officer):
        indicator = IndicatorFactory()
        target(indicator, "2025/26 Q1", "100")
        outturn = record(indicator, "2025/26 Q1", D("50"))
        with pytest.raises(ValidationError, match="rated Red"):
            services.outturn_submit(outturn=outturn, by=officer)
        outturn = record(indicator, "2025/26 Q1", D("50"), commentary="Two vacancies; agency staff start in May.")
        submitted = services.outturn_submit(outturn=outturn, by=officer)
        assert (submitted.state, submitted.submitted_by) == ("submitted", officer)
        checker = UserFactory(username="checker")
        validated = services.outturn_validate(outturn=submitted, by=checker)
        assert (validated.state, validated.validated_by) == ("validated", checker)

    def test_correcting_a_validated_figure_sends_it_back_to_draft(self, officer):
        indicator = IndicatorFactory()
        outturn = record(indicator, "2025/26 Q1", D("50"))
        services.outturn_validate(
            outturn=services.outturn_submit(outturn=outturn, by=officer), by=UserFactory(username="checker")
        )
        corrected = record(indicator, "2025/26 Q1", D("51"))
        assert (corrected.state, corrected.validated_by) == ("draft", None)
        assert corrected.history.filter(state="validated").exists()

    def test_a_return_submitted_after_its_due_date_is_late(self, officer):
        indicator = IndicatorFactory()
        outturn = record(indicator, "2025/26 Q1", D("50"))
        # Due by the end of the due day in UK time (British Summer Time in July).
        outturn.submitted_at = timezone.make_aware(datetime.datetime.combine(outturn.period.due, datetime.time(23, 59)))
        assert not outturn.is_late
        outturn.submitted_at += datetime.timedelta(minutes=2)
        assert outturn.is_late


def test_a_proxy_must_link_to_a_national_indicator_and_only_a_proxy_may():
    national = IndicatorFactory(kind=Kind.NATIONAL, code="NI 192")
    proxy = IndicatorFactory.build(kind=Kind.PROXY, code="LPI 101", service=None, portfolio=None)
    with pytest.raises(ValidationError, match="must name the national indicator"):
        proxy.full_clean()
    proxy.national_indicator = national
    proxy.full_clean()
    local = IndicatorFactory.build(kind=Kind.LOCAL, national_indicator=national, service=None, portfolio=None)
    with pytest.raises(ValidationError, match="Only a local/proxy"):
        local.full_clean()
