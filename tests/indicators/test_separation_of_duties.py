"""Separation of duties (PMIS_SEPARATION_OF_DUTIES, on by default): whoever entered or
submitted a figure does not validate it, whoever proposed a target does not sign it off, and
nobody gives themselves a role or a portfolio."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators import services, target_years
from indicators.models import Outturn, OutturnState, Target, TargetStatus, TargetYear
from organisation import services as people
from organisation.models import Portfolio, Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, UserFactory

pytestmark = pytest.mark.django_db

Q3 = "2025/26 Q3"


@pytest.fixture
def team():
    return UserFactory(username="tess.team", roles=[Role.PERFORMANCE_TEAM])


def submitted(indicator, *, entered_by, submitted_by) -> Outturn:
    outturn = services.outturn_record(indicator=indicator, period=period(Q3), value=D("50"), by=entered_by)
    return services.outturn_submit(outturn=outturn, by=submitted_by)


def assured(indicator, *, proposed_by, team) -> Target:
    target = services.target_set(indicator=indicator, period=period(Q3), value=D("60"), rationale="Trend", by=team)
    target = services.target_propose(target=target, by=proposed_by)
    return services.target_quality_assure(target=target, by=team)


class TestValidation:
    @pytest.mark.parametrize("role", ["entered", "submitted"])
    def test_whoever_entered_or_submitted_a_figure_cannot_validate_it(self, team, role):
        officer = UserFactory(username="olly.officer")
        outturn = submitted(
            IndicatorFactory(),
            entered_by=team if role == "entered" else officer,
            submitted_by=team if role == "submitted" else officer,
        )
        with pytest.raises(ValidationError, match="You entered or submitted this figure: another member"):
            services.outturn_validate(outturn=outturn, by=team)
        with pytest.raises(ValidationError, match=rf"You entered or submitted .*{Q3}: someone else"):
            services.outturns_validate(outturns=[outturn.pk], by=team)
        saved = Outturn.objects.get()
        assert (saved.state, saved.validated_by, saved.version) == (OutturnState.SUBMITTED, None, outturn.version)

    def test_the_setting_lets_a_very_small_team_validate_its_own_figures(self, team, settings):
        settings.PMIS_SEPARATION_OF_DUTIES = False
        indicator, other = IndicatorFactory(), IndicatorFactory()
        one = submitted(indicator, entered_by=team, submitted_by=team)
        assert services.outturn_validate(outturn=one, by=team).state == OutturnState.VALIDATED
        two = submitted(other, entered_by=team, submitted_by=team)
        assert services.outturns_validate(outturns=[two.pk], by=team) == 1

    def test_the_queue_offers_no_selection_of_ones_own_figure(self, client, team):
        client.force_login(team)
        officer = UserFactory(username="olly.officer")
        own = submitted(IndicatorFactory(), entered_by=team, submitted_by=team)
        theirs = submitted(IndicatorFactory(), entered_by=officer, submitted_by=officer)

        content = client.get(reverse("indicators:validation")).content.decode()

        assert f'id="own-{own.pk}">You entered or submitted this figure: another member' in content
        assert f'id="select-{own.pk}"' not in content and f'id="select-{theirs.pk}"' in content


class TestSignOff:
    def test_whoever_proposed_a_target_cannot_sign_it_off(self, team):
        indicator = IndicatorFactory()
        holder = indicator.portfolio.holder
        target = assured(indicator, proposed_by=holder, team=team)
        with pytest.raises(ValidationError, match="You proposed this target, so you cannot sign it off"):
            services.target_sign_off(target=target, by=holder)
        saved = Target.objects.get()
        assert (saved.status, saved.signed_off_by, saved.version) == (
            TargetStatus.QUALITY_ASSURED,
            None,
            target.version,
        )

    def test_the_setting_lets_the_proposer_sign_off(self, team, settings):
        settings.PMIS_SEPARATION_OF_DUTIES = False
        indicator = IndicatorFactory()
        target = assured(indicator, proposed_by=indicator.portfolio.holder, team=team)
        assert services.target_sign_off(target=target, by=indicator.portfolio.holder).status == TargetStatus.SIGNED_OFF

    def test_the_sign_off_page_says_why_instead_of_offering_the_choice(self, client, team):
        holder = UserFactory(username="holly.holder", roles=[Role.PORTFOLIO_HOLDER])
        indicator = IndicatorFactory(portfolio=PortfolioFactory(holder=holder), frequency="year")
        proposed, _ = target_years.target_year_save(
            indicator=indicator,
            year=2025,
            entries={"annual": services.TargetEntry(period("2025/26"), D("60"), None)},
            profile="by_hand",
            rationale="Trend",
            by=holder,
            propose=True,
        )
        (own,) = target_years.target_years_quality_assure(years=[proposed], by=team)
        client.force_login(holder)

        content = client.get(reverse("indicators:sign-off")).content.decode()

        assert f'id="own-{own.pk}">You proposed this target, so you cannot sign it off' in content
        assert f'id="decision-{own.pk}"' not in content
        client.post(reverse("indicators:sign-off"), {"shown": [own.pk], f"decision-{own.pk}": "approve"})
        assert TargetYear.objects.get().status == TargetStatus.QUALITY_ASSURED
        with pytest.raises(ValidationError, match="You proposed this target"):
            target_years.target_years_sign_off(years=[own], by=holder)
        assert Target.objects.get().status == TargetStatus.QUALITY_ASSURED


class TestRoles:
    def test_nobody_makes_themselves_a_portfolios_holder(self, team):
        groups = people.role_groups_ensure()
        team.groups.add(groups[Role.PORTFOLIO_HOLDER])
        portfolio = PortfolioFactory(holder=None)
        with pytest.raises(ValidationError, match="You cannot make yourself a portfolio's holder"):
            people.portfolio_save(
                portfolio=portfolio, code=portfolio.code, name=portfolio.name, holder=team, services=[], by=team
            )
        with pytest.raises(ValidationError, match="You cannot change the portfolios you hold"):
            people.person_update(
                user=team,
                email=team.email,
                first_name="Tess",
                last_name="Team",
                roles=[Role.PERFORMANCE_TEAM, Role.PORTFOLIO_HOLDER],
                portfolios=[portfolio],
                by=team,
            )
        assert Portfolio.objects.get(pk=portfolio.pk).holder is None

    def test_the_admin_gives_no_roles_or_portfolios_to_the_performance_team(self, client, performance):
        portfolio = PortfolioFactory()
        for url in (
            reverse("admin:organisation_user_change", args=[performance.pk]),
            reverse("admin:organisation_portfolio_change", args=[portfolio.pk]),
        ):
            content = client.get(url).content.decode()
            assert 'name="groups"' not in content and 'name="holder"' not in content
