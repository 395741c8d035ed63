from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from indicators import ratings, services
from indicators.models import Outturn, OutturnState, Rating, TargetStatus
from organisation.models import Role
from pmis.locking import ConflictError
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    user = UserFactory(username="perf.team", email="perf@example.org", roles=[Role.PERFORMANCE_TEAM])
    return user


@pytest.fixture
def officer():
    user = UserFactory(username="olly.officer", email="olly@example.org", roles=[Role.OFFICER])
    return user


def record(indicator, label, value, by, **kwargs):
    return services.outturn_record(indicator=indicator, period=period(label), value=D(value), by=by, **kwargs)


class TestOptimisticLocking:
    def test_a_figure_saved_by_someone_else_since_the_form_opened_is_not_overwritten(self, officer, team):
        indicator = IndicatorFactory()
        opened = record(indicator, "2025/26 Q1", "50", officer)
        record(indicator, "2025/26 Q1", "55", team, expected_version=opened.version)
        with pytest.raises(ConflictError, match=str(team)):
            record(indicator, "2025/26 Q1", "60", officer, expected_version=opened.version)
        opened.refresh_from_db()
        assert (opened.value, opened.version) == (D("55"), 2)

    def test_the_same_applies_to_targets(self, officer, team):
        indicator = IndicatorFactory()
        first = services.target_set(
            indicator=indicator, period=period("2025/26"), value=D("1"), rationale="", by=officer
        )
        services.target_set(
            indicator=indicator, period=period("2025/26"), value=D("2"), rationale="", by=team, expected_version=1
        )
        with pytest.raises(ConflictError):
            services.target_set(
                indicator=indicator,
                period=period("2025/26"),
                value=D("3"),
                rationale="",
                by=officer,
                expected_version=1,
            )
        first.refresh_from_db()
        assert first.value == D("2")


class TestReturnsAndValidation:
    def test_a_returned_figure_goes_back_to_the_officer_with_the_comment(
        self, officer, team, django_capture_on_commit_callbacks
    ):
        outturn = record(IndicatorFactory(), "2025/26 Q1", "50", officer)
        services.outturn_submit(outturn=outturn, by=officer)
        with pytest.raises(ValidationError, match="Say what"):
            services.outturn_return(outturn=outturn, by=team, comment=" ")
        with django_capture_on_commit_callbacks(execute=True):
            returned = services.outturn_return(outturn=outturn, by=team, comment="Check the denominator")
        assert (returned.state, returned.return_comment) == (OutturnState.RETURNED, "Check the denominator")
        assert mail.outbox[-1].to == ["olly@example.org"] and "Check the denominator" in mail.outbox[-1].body
        resubmitted = services.outturn_submit(outturn=returned, by=officer)
        with django_capture_on_commit_callbacks(execute=True):
            validated = services.outturn_validate(outturn=resubmitted, by=team)
        assert (validated.state, validated.return_comment) == (OutturnState.VALIDATED, "")
        assert "validated" in mail.outbox[-1].subject

    def test_quality_assurance_asks_the_portfolio_holder_to_sign_off(
        self, officer, team, django_capture_on_commit_callbacks
    ):
        indicator = IndicatorFactory()
        target = services.target_set(
            indicator=indicator, period=period("2025/26"), value=D("9"), rationale="", by=officer
        )
        services.target_propose(target=target, by=officer)
        with django_capture_on_commit_callbacks(execute=True):
            services.target_quality_assure(target=target, by=team)
        assert mail.outbox[-1].to == [indicator.portfolio.holder.email]
        assert "awaits your sign-off" in mail.outbox[-1].subject

    def test_a_returned_target_is_a_draft_with_the_reason(self, officer, team):
        target = services.target_set(
            indicator=IndicatorFactory(), period=period("2025/26"), value=D("9"), rationale="", by=officer
        )
        services.target_propose(target=target, by=officer)
        returned = services.target_return(target=target, by=team, comment="Too easy given last year")
        assert (returned.status, returned.return_comment) == (TargetStatus.DRAFT, "Too easy given last year")
        assert services.target_propose(target=returned, by=officer).return_comment == ""


class TestLockedPeriods:
    def test_a_period_locks_only_when_every_return_is_validated(self, officer, team):
        outturn = record(IndicatorFactory(), "2025/26 Q1", "50", officer)
        with pytest.raises(ValidationError, match="1 return"):
            services.period_lock(period=period("2025/26 Q1"), by=team)
        services.outturn_validate(outturn=services.outturn_submit(outturn=outturn, by=officer), by=team)
        assert services.period_lock(period=period("2025/26 Q1"), by=team).is_locked

    def test_only_the_performance_team_amends_a_locked_figure_and_says_why(self, officer, team):
        indicator = IndicatorFactory()
        outturn = record(indicator, "2025/26 Q1", "50", officer)
        services.outturn_validate(outturn=services.outturn_submit(outturn=outturn, by=officer), by=team)
        services.period_lock(period=period("2025/26 Q1"), by=team)
        with pytest.raises(ValidationError, match="locked"):
            record(indicator, "2025/26 Q1", "51", officer)
        with pytest.raises(ValidationError, match="say why"):
            record(indicator, "2025/26 Q1", "51", team)
        amended = record(indicator, "2025/26 Q1", "51", team, amendment_reason="Late correction from the DWP")
        assert (amended.value, amended.state, amended.amendment_reason) == (
            D("51"),
            OutturnState.VALIDATED,
            "Late correction from the DWP",
        )


class TestOverride:
    def test_an_override_is_kept_beside_the_computed_rating_and_survives_re_rating(self, officer, team):
        indicator = IndicatorFactory()
        services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="", by=team)
        outturn = record(indicator, "2025/26 Q1", "50", officer)
        with pytest.raises(ValidationError, match="Say why"):
            services.rating_override(outturn=outturn, rag="amber", reason="", by=team)
        services.rating_override(outturn=outturn, rag="amber", reason="Provisional figure", by=team)
        ratings.ratings_recalculate()
        rating = Rating.objects.get(outturn=outturn)
        assert (rating.rag, rating.shown_rag, rating.overridden_by) == ("red", "amber", team)
        services.rating_override(outturn=outturn, rag="", reason="", by=team)
        rating.refresh_from_db()
        assert (rating.shown_rag, rating.override_reason, rating.overridden_by) == ("red", "", None)


class TestOutturnsImport:
    """An import records many figures at once, each as outturn_record records one."""

    def test_a_corrected_figure_goes_back_to_draft_one_version_up_and_is_rated(self, officer, team):
        indicator = IndicatorFactory()
        services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="", by=team)
        saved = record(indicator, "2025/26 Q1", "100", officer)
        saved = services.outturn_submit(outturn=saved, by=officer)
        corrected = Outturn(indicator=indicator, period=period("2025/26 Q1"), value=D("80"), commentary="Strike")
        corrected.pk, corrected.version = saved.pk, saved.version
        new = Outturn(indicator=indicator, period=period("2025/26 Q2"), value=D("101"))

        services.outturns_import(outturns=[corrected, new], by=team)

        q1 = Outturn.objects.select_related("rating").get(pk=saved.pk)
        assert (q1.value, q1.state, q1.version, q1.submitted_by) == (
            D("80"),
            OutturnState.DRAFT,
            saved.version + 1,
            None,
        )
        assert q1.entered_by == team and q1.history.latest().history_user == team
        assert q1.rating.rag == "red"
        assert Outturn.objects.get(period=period("2025/26 Q2")).state == OutturnState.DRAFT

    def test_figures_in_a_locked_period_are_refused(self, officer, team):
        indicator = IndicatorFactory()
        q1 = services.outturn_submit(outturn=record(indicator, "2025/26 Q1", "1", officer), by=officer)
        services.outturn_validate(outturn=q1, by=team)
        services.period_lock(period=period("2025/26 Q1"), by=team)
        corrected = Outturn(indicator=indicator, period=period("2025/26 Q1"), value=D("2"))
        corrected.pk, corrected.version = q1.pk, q1.version
        with pytest.raises(ValidationError, match="locked"):
            services.outturns_import(outturns=[corrected], by=team)
        assert Outturn.objects.get(pk=q1.pk).value == D("1")
