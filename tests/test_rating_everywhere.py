"""One rating, everywhere (issue 19): random small councils, every surface that shows a rating.

Each example builds a council through the services (targets signed off or not, figures
validated or not, overrides, published and internal indicators) and checks that every page
and file gives the same rating word for the same indicator and period, or the marker that
explains the difference (provisional, overridden, not yet validated, target not yet agreed),
and that the internal and public counts reconcile by the rule the public scorecard states.
"""

import datetime
from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from indicators import services, shown
from indicators.indicator_page import period_rows
from indicators.models import Indicator, Polarity, Rag, Rating
from organisation.models import Role
from public import data, opendata
from reviews import exports, packs, scorecards
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, UserFactory

TODAY = datetime.date(2026, 6, 1)
QUARTERS = ("2025/26 Q1", "2025/26 Q2")

quarter = st.fixed_dictionaries(
    {
        "target": st.none() | st.integers(min_value=80, max_value=120),
        "signed_off": st.booleans(),
        "figure": st.none() | st.just("not available") | st.integers(min_value=70, max_value=130),
        "validated": st.booleans(),
        "override": st.sampled_from(["", Rag.GREEN, Rag.AMBER, Rag.RED]),
    }
)
measure = st.fixed_dictionaries(
    {
        "published": st.booleans(),
        "polarity": st.sampled_from([Polarity.HIGHER, Polarity.LOWER, Polarity.NONE]),
        "quarters": st.tuples(quarter, quarter),
    }
)
councils = st.lists(measure, min_size=1, max_size=3)


class Council:
    """A council built from a drawn description, through the services pages call."""

    def __init__(self, description: list[dict]):
        services.periods_ensure_year(year=2025)
        self.officer = UserFactory(roles=[Role.OFFICER])
        self.team = UserFactory(roles=[Role.PERFORMANCE_TEAM])
        self.portfolio = PortfolioFactory(holder=UserFactory(roles=[Role.PORTFOLIO_HOLDER]))
        self.figures = {}  # (indicator, quarter label) -> (Outturn, validated)
        self.indicators = []
        for n, drawn in enumerate(description):
            indicator = IndicatorFactory(
                code=f"T{n}", portfolio=self.portfolio, is_published=drawn["published"], polarity=drawn["polarity"]
            )
            self.indicators.append(indicator)
            for label, q in zip(QUARTERS, drawn["quarters"], strict=True):
                self.quarter(indicator, label, q)

    def quarter(self, indicator, label, q):
        if q["target"] is not None:
            target = services.target_set(
                indicator=indicator, period=period(label), value=Decimal(q["target"]), rationale="Trend", by=self.team
            )
            if q["signed_off"]:
                target = services.target_propose(target=target, by=self.team)
                target = services.target_quality_assure(target=target, by=self.team)
                services.target_sign_off(target=target, by=self.portfolio.holder)
        if q["figure"] is None:
            return
        available = q["figure"] != "not available"
        outturn = services.outturn_record(
            indicator=indicator,
            period=period(label),
            value=Decimal(q["figure"]) if available else None,
            not_available_reason="" if available else "The survey was not run.",
            commentary="What happened and what is being done.",
            by=self.officer,
        )
        if q["validated"]:
            outturn = services.outturn_submit(outturn=outturn, by=self.officer)
            outturn = services.outturn_validate(outturn=outturn, by=self.team)
        if q["override"]:
            services.rating_override(outturn=outturn, rag=q["override"], reason="Known data issue", by=self.team)
        self.figures[(indicator.pk, label)] = (outturn, q["validated"])


def public_expected(expected: shown.ShownRating, validated: bool) -> tuple[str, bool]:
    """What the public pages must show for a figure rated expected inside PMIS: the same word,
    or the reason it is withheld (the rule the public scorecard states)."""
    if not validated:
        return shown.NOT_VALIDATED, False
    if expected.provisional:
        return shown.TARGET_NOT_AGREED, False
    return expected.status, expected.overridden


class RatingEverywhereTests(TestCase):
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        # No shrinking: each example builds a council, and a failure is readable as drawn.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(councils)
    def test_every_surface_gives_the_same_rating_or_the_marker_that_explains(self, description):
        council = Council(description)
        collected = Indicator.objects.collected().order_by("code")
        published = {i.pk for i in council.indicators if i.is_published}
        public_figures = {
            (pk, f.period.label): f for pk, figs in data.figures(Indicator.objects.published()).items() for f in figs
        }
        pages = {i.pk: {row.period.label: row for row in period_rows(i, today=TODAY)} for i in council.indicators}

        for label in QUARTERS:
            quarter = period(label)
            inside = {r.indicator.pk: r for r in scorecards.scorecard(collected, quarter, today=TODAY).rows}
            exceptions = scorecards.exceptions(collected, quarter, today=TODAY)
            red_and_amber = {r.indicator.pk: r for r in exceptions.red_and_amber}
            as_public = scorecards.scorecard(collected, quarter, today=TODAY, public=True)
            as_public_rows = {r.indicator.pk: r for r in as_public.rows}
            public = data.scorecard(quarter)
            public_rows = {r.indicator.pk: r for r in public.rows}
            assert set(public_rows) == set(as_public_rows) == published

            for indicator in council.indicators:
                pk = indicator.pk
                row = inside[pk]
                found = council.figures.get((pk, label))
                if found is None:
                    # No figure: no rating anywhere, and the public pages say it is not published.
                    assert row.shown is None and pk not in red_and_amber
                    if pk in published:
                        assert public_rows[pk].status == as_public_rows[pk].status == shown.NOT_PUBLISHED
                    continue
                outturn, validated = found
                # The sign-off and target pages read the stored rating with its target's status.
                expected = Rating.objects.with_target_status().get(outturn=outturn).shown

                # Inside PMIS: scorecard, indicator page, exports, packs, exception report.
                assert row.shown == expected and row.status == expected.status
                assert pages[pk][label].shown == expected
                assert row.rating_words == expected.words
                assert ("provisional" in expected.words) == expected.provisional
                assert ("overridden" in expected.words) == expected.overridden
                cells = {heading: value(row) for heading, value, _ in exports.SCORECARD_COLUMNS}
                assert cells["Rating"] == (expected.status, expected.words)
                assert cells["Computed rating"] == expected.computed_label
                assert packs._row(row)["status_label"] == expected.words
                if expected.status in (Rag.RED, Rag.AMBER):
                    assert red_and_amber[pk].rating_words == expected.words
                else:
                    assert pk not in red_and_amber

                # The public pages, open data and the API, and "as the public sees it".
                if pk not in published:
                    assert (pk, label) not in public_figures
                    continue
                status, overridden = public_expected(expected, validated)
                figure = public_figures[(pk, label)]
                assert figure.status == status and figure.overridden == overridden
                assert opendata.figure_record(figure)["status"] == status
                assert public_rows[pk].status == status
                assert as_public_rows[pk].status == status
                if overridden:
                    assert figure.computed == expected.computed

            # The counts reconcile: "as the public sees it" inside PMIS is the public scorecard.
            internal_counts = {c.status: c.count for c in as_public.summary if c.count}
            public_counts = {c.status: c.count for c in public.summary}
            assert internal_counts == public_counts
            # And by the stated rule from the internal scorecard's own rows: a public Green,
            # Amber or Red is an internal one that is published, validated and not provisional.
            firm = Counter(
                r.status
                for r in inside.values()
                if r.indicator.pk in published
                and r.shown is not None
                and not r.provisional
                and council.figures[(r.indicator.pk, label)][1]
            )
            for rating in (Rag.GREEN, Rag.AMBER, Rag.RED):
                assert public_counts.get(rating, 0) == firm[rating]
