"""The services behind a year's targets as one decision (indicators.target_years)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from indicators import services, target_years
from indicators.models import Frequency, Profile, Target, TargetStatus, TargetYear
from organisation.models import Role
from pmis.locking import ConflictError
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _periods():
    services.periods_ensure_year(year=2026)


@pytest.fixture
def officer():
    return UserFactory(roles=[Role.OFFICER])


@pytest.fixture
def team():
    return UserFactory(roles=[Role.PERFORMANCE_TEAM])


def save(indicator, by, *, annual="100", propose=True, reason="", expected_version=None, rationale="Trend"):
    # Each target's version as the page would show it (None: not set yet).
    versions = dict(Target.objects.filter(indicator=indicator).values_list("period_id", "version"))
    labels = {"annual": "2026/27"}
    if indicator.frequency == Frequency.QUARTER:
        labels.update({f"period_{number}": f"2026/27 Q{number}" for number in range(1, 5)})
    entries = {
        name: services.TargetEntry(period(label), D(annual), versions.get(period(label).pk))
        for name, label in labels.items()
    }
    year, _ = target_years.target_year_save(
        indicator=indicator,
        year=2026,
        entries=entries,
        profile=Profile.EVEN,
        rationale=rationale,
        reason=reason,
        by=by,
        propose=propose,
        expected_version=expected_version,
    )
    return year


def test_signing_off_is_all_or_none_and_names_the_indicator_refused(officer, team):
    mine, theirs = IndicatorFactory(code="AB 1"), IndicatorFactory(code="AB 2")
    years = target_years.target_years_quality_assure(years=[save(mine, officer), save(theirs, officer)], by=team)
    with pytest.raises(ValidationError, match="AB 2: only the holder of its portfolio"):
        target_years.target_years_sign_off(years=years, by=mine.portfolio.holder)
    assert set(TargetYear.objects.values_list("status", flat=True)) == {TargetStatus.QUALITY_ASSURED}
    assert set(Target.objects.values_list("status", flat=True)) == {TargetStatus.QUALITY_ASSURED}


def test_only_a_proposed_year_is_quality_assured(officer, team):
    draft = save(IndicatorFactory(code="CD 1"), officer, propose=False)
    with pytest.raises(ValidationError, match="CD 1: the targets for 2026/27 are draft, so they cannot be quality"):
        target_years.target_years_quality_assure(years=[draft], by=team)


def test_sending_back_needs_a_comment_and_keeps_it(officer, team):
    year = save(IndicatorFactory(), officer)
    with pytest.raises(ValidationError, match="being sent back"):
        target_years.target_year_return(target_year=year, by=team, comment="  ")
    returned = target_years.target_year_return(target_year=year, by=team, comment="Too easy.")
    assert (returned.status, returned.return_comment, returned.proposed_by) == (TargetStatus.DRAFT, "Too easy.", None)
    assert set(Target.objects.values_list("return_comment", flat=True)) == {"Too easy."}


def test_a_stale_save_is_refused(officer):
    indicator = IndicatorFactory(frequency=Frequency.YEAR)
    first = save(indicator, officer, propose=False)
    save(indicator, officer, annual="110", propose=False, expected_version=first.version)
    with pytest.raises(ConflictError):
        save(indicator, officer, annual="120", propose=False, expected_version=first.version)
    assert Target.objects.get().value == D("110")


def test_proposing_again_without_a_change_is_refused(officer):
    indicator = IndicatorFactory(frequency=Frequency.YEAR)
    save(indicator, officer)
    with pytest.raises(ValidationError, match="proposed already and nothing has changed"):
        save(indicator, officer)


def test_an_in_year_revision_keeps_the_first_sign_off_for_the_deadline(officer, team):
    indicator = IndicatorFactory(frequency=Frequency.YEAR)
    (year,) = target_years.target_years_quality_assure(years=[save(indicator, officer)], by=team)
    (year,) = target_years.target_years_sign_off(years=[year], by=indicator.portfolio.holder)
    first = year.first_signed_off_at
    revised = save(indicator, officer, annual="120", reason="A new contract.")
    assert (revised.revision, revised.status, revised.first_signed_off_at) == (2, TargetStatus.PROPOSED, first)
    assert revised.history.filter(status=TargetStatus.SIGNED_OFF, revision=1).exists()


def test_the_migration_makes_one_year_of_targets_set_one_by_one(officer, team):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("indicators.migrations.0009_target_years_from_targets")
    indicator = IndicatorFactory()
    holder = indicator.portfolio.holder
    for label in ("2026/27", "2026/27 Q1"):
        made = services.target_set(indicator=indicator, period=period(label), value=D(90), rationale="Trend", by=team)
        made = services.target_quality_assure(target=services.target_propose(target=made, by=officer), by=team)
        services.target_sign_off(target=made, by=holder)
    partly = IndicatorFactory()
    services.target_set(indicator=partly, period=period("2026/27 Q1"), value=D(5), rationale="", by=team)
    services.target_propose(
        target=services.target_set(indicator=partly, period=period("2026/27"), value=D(5), rationale="Why", by=team),
        by=officer,
    )

    migration.forwards(apps, None)

    signed, draft = TargetYear.objects.get(indicator=indicator), TargetYear.objects.get(indicator=partly)
    assert (signed.status, signed.signed_off_by, signed.rationale) == (TargetStatus.SIGNED_OFF, holder, "Trend")
    assert (
        signed.first_signed_off_at == Target.objects.filter(indicator=indicator).latest("signed_off_at").signed_off_at
    )
    assert (draft.status, draft.rationale, draft.year) == (TargetStatus.DRAFT, "Why", 2026)
    migration.forwards(apps, None)
    assert TargetYear.objects.count() == 2
