"""indicators/spc.py on hand-checked series (limits worked out on paper)."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import rag, spc


def series(*values, start=0):
    return [spc.Point(start + i, D(str(v))) for i, v in enumerate(values)]


# Mean 139/12, moving ranges 2,1,2,1,1,1,1,2,1,2,2: mean moving range 16/11.
TWELVE = (10, 12, 11, 13, 12, 11, 12, 13, 11, 12, 10, 12)
# Mean 11, every moving range 2: limits 11 +/- 5.32 (5.68 to 16.32), two-sigma lines
# 11 +/- 3.5466..., so 14.55 and 7.45.
SAWTOOTH = (12, 10) * 6
FIXED = (0, 11)


class TestLimits:
    def test_mean_moving_range_and_limits(self):
        found = spc.limits(series(*TWELVE), min_points=12)
        assert found.mean == D(139) / 12
        assert found.mean_moving_range == D(16) / 11
        assert found.upper == D(139) / 12 + D("2.66") * (D(16) / 11)
        assert found.lower == D(139) / 12 - D("2.66") * (D(16) / 11)
        assert found.points == 12
        assert D("15.45") < found.upper < D("15.46") and D("7.71") < found.lower < D("7.72")

    def test_a_short_series_has_no_limits_and_no_signals(self):
        assert spc.limits(series(*TWELVE[:11]), min_points=12) is None
        analysis = spc.analyse(series(*TWELVE[:11], 99), polarity=rag.HIGHER, min_points=13)
        assert analysis.limits is None and analysis.variations == [] and analysis.latest_variation == ""

    def test_the_minimum_is_configurable(self):
        assert spc.limits(series(*TWELVE[:5]), min_points=5).points == 5

    def test_a_constant_series_has_zero_moving_range_and_no_signal(self):
        analysis = spc.analyse(series(*[5] * 12), polarity=rag.HIGHER, min_points=12)
        assert analysis.limits.mean_moving_range == 0
        assert analysis.limits.lower == analysis.limits.upper == 5
        assert set(analysis.variations) == {spc.COMMON_CAUSE}

    def test_after_a_constant_baseline_any_change_is_a_special_cause(self):
        analysis = spc.analyse(series(*[5] * 12, 6), polarity=rag.LOWER, min_points=12, baseline=FIXED)
        assert analysis.latest_variation == spc.CONCERN_HIGH

    def test_missing_periods_are_not_bridged_by_a_moving_range(self):
        points = [spc.Point(0, D(1)), spc.Point(1, D(3)), spc.Point(3, D(4)), spc.Point(4, D(8))]
        assert spc.moving_ranges(points) == [None, D(2), None, D(4)]
        assert spc.limits(points, min_points=4).mean_moving_range == D(3)

    def test_isolated_points_give_no_moving_range_and_no_limits(self):
        assert spc.limits([spc.Point(0, D(1)), spc.Point(2, D(3))], min_points=2) is None

    def test_floats_and_disordered_points_are_refused(self):
        with pytest.raises(TypeError):
            spc.limits([spc.Point(0, 1.5), spc.Point(1, 2.5)], min_points=2)
        with pytest.raises(ValueError):
            spc.moving_ranges([spc.Point(1, D(1)), spc.Point(0, D(2))])


class TestSignals:
    def analyse(self, *extra, polarity=rag.HIGHER, start=0, baseline=FIXED):
        return spc.analyse(series(*SAWTOOTH, *extra, start=start), polarity=polarity, min_points=12, baseline=baseline)

    def test_a_point_above_the_upper_limit_by_polarity(self):
        assert self.analyse(17).latest_variation == spc.IMPROVEMENT_HIGH
        assert self.analyse(17, polarity=rag.LOWER).latest_variation == spc.CONCERN_HIGH
        assert self.analyse(17, polarity=rag.NONE).latest_variation == spc.NEUTRAL_HIGH
        assert self.analyse(16.32).latest_variation == spc.COMMON_CAUSE  # on the limit is inside

    def test_a_point_below_the_lower_limit_by_polarity(self):
        assert self.analyse(5).latest_variation == spc.CONCERN_LOW
        assert self.analyse(5, polarity=rag.LOWER).latest_variation == spc.IMPROVEMENT_LOW
        assert self.analyse(5, polarity=rag.NONE).latest_variation == spc.NEUTRAL_LOW
        assert self.analyse(5).signals[-1].reasons == ["outside the process limits"]

    def test_a_shift_is_seven_points_on_one_side_of_the_mean(self):
        six = self.analyse(*[12] * 6)
        assert six.variations[-6:] == [spc.COMMON_CAUSE] * 6
        seven = self.analyse(*[12] * 7)
        assert seven.variations[-7:] == [spc.IMPROVEMENT_HIGH] * 7
        assert seven.signals[-1].shift and not seven.signals[-1].trend
        assert self.analyse(*[10.5] * 7, polarity=rag.LOWER).latest_variation == spc.IMPROVEMENT_LOW

    def test_a_point_on_the_mean_ends_a_shift(self):
        assert self.analyse(12, 12, 12, 11, 12, 12, 12).latest_variation == spc.COMMON_CAUSE

    def test_a_trend_is_seven_points_each_higher_than_the_last(self):
        # The last baseline point (10) starts the run: 10, 10.5 ... 13 is six rises, seven points.
        five_rises = self.analyse(10.5, 11, 11.5, 12, 12.5)
        assert five_rises.latest_variation == spc.COMMON_CAUSE
        six_rises = self.analyse(10.5, 11, 11.5, 12, 12.5, 13)
        assert six_rises.variations[-7:] == [spc.IMPROVEMENT_HIGH] * 7
        assert six_rises.signals[-1].trend
        assert self.analyse(10.5, 11, 11.5, 12, 12.5, 13, polarity=rag.LOWER).latest_variation == spc.CONCERN_HIGH

    def test_a_falling_trend_and_an_equal_figure_ending_one(self):
        # Across the mean, so no shift: six falls, seven points.
        falling = self.analyse(14, 13, 12, 11.5, 10.5, 10, 9.5)
        assert falling.latest_variation == spc.CONCERN_LOW
        assert falling.signals[-1].trend and not falling.signals[-1].shift
        assert self.analyse(14, 13, 13, 12, 11.5, 10.5, 10).latest_variation == spc.COMMON_CAUSE

    def test_two_of_three_close_to_a_limit_on_the_same_side(self):
        found = self.analyse(15, 11.5, 15)
        assert [s.two_of_three for s in found.signals[-3:]] == [True, False, True]
        assert found.latest_variation == spc.IMPROVEMENT_HIGH
        assert found.variations[-2] == spc.COMMON_CAUSE
        assert self.analyse(15, 10, 15).latest_variation == spc.COMMON_CAUSE  # the middle one is below the mean
        assert self.analyse(7, 10.5, 7, polarity=rag.LOWER).latest_variation == spc.IMPROVEMENT_LOW

    def test_a_missing_period_breaks_runs(self):
        points = series(*SAWTOOTH) + series(*[12] * 4, start=12) + series(*[12] * 3, start=17)
        analysis = spc.analyse(points, polarity=rag.HIGHER, min_points=12, baseline=FIXED)
        assert analysis.latest_variation == spc.COMMON_CAUSE
        joined = series(*SAWTOOTH) + series(*[12] * 7, start=12)
        assert spc.analyse(joined, polarity=rag.HIGHER, min_points=12, baseline=FIXED).latest_variation == (
            spc.IMPROVEMENT_HIGH
        )

    def test_a_baseline_outside_the_points_gives_no_limits(self):
        assert self.analyse(17, baseline=(100, 120)).limits is None

    def test_without_a_fixed_baseline_every_point_sets_the_limits(self):
        analysis = spc.analyse(series(*TWELVE, 20), polarity=rag.HIGHER, min_points=12)
        assert analysis.limits.points == 13
        assert analysis.limits.mean == D(159) / 13


class TestAssurance:
    LIMITS = spc.Limits(mean=D(11), mean_moving_range=D(2), lower=D("5.68"), upper=D("16.32"), points=12)

    @pytest.mark.parametrize(
        ("polarity", "target", "expected"),
        [
            (rag.HIGHER, "5", spc.PASS),
            (rag.HIGHER, "5.68", spc.PASS),  # meeting the target is inclusive, as in the RAG rule
            (rag.HIGHER, "11", spc.HIT_AND_MISS),
            (rag.HIGHER, "16.32", spc.HIT_AND_MISS),
            (rag.HIGHER, "16.33", spc.FAIL),
            (rag.LOWER, "17", spc.PASS),
            (rag.LOWER, "16.32", spc.PASS),
            (rag.LOWER, "6", spc.HIT_AND_MISS),
            (rag.LOWER, "5.67", spc.FAIL),
        ],
    )
    def test_target_against_the_limits(self, polarity, target, expected):
        assert spc.assurance(self.LIMITS, D(target), polarity) == expected

    def test_no_assurance_without_limits_target_or_polarity(self):
        assert spc.assurance(None, D(1), rag.HIGHER) == ""
        assert spc.assurance(self.LIMITS, None, rag.HIGHER) == ""
        assert spc.assurance(self.LIMITS, D(1), rag.NONE) == ""

    def test_as_reported_gives_each_point_its_limits_for_assurance(self):
        points = series(*SAWTOOTH, 17)
        found = spc.as_reported(points, polarity=rag.HIGHER, min_points=12, baseline=FIXED)
        variation, lim = found[-1]
        assert (variation, spc.assurance(lim, D(20), rag.HIGHER)) == (spc.IMPROVEMENT_HIGH, spc.FAIL)
        assert spc.as_reported(points[:5], polarity=rag.HIGHER, min_points=12) == [("", None)] * 5


class TestAsReported:
    """The one pass used when re-rating gives, for each point, what analysing the series up
    to it gives for its last point."""

    @given(
        values=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=40),
        gaps=st.sets(st.integers(min_value=0, max_value=39), max_size=4),
        baseline=st.none() | st.tuples(st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=30)),
        min_points=st.integers(min_value=2, max_value=12),
    )
    def test_agrees_with_analysing_each_prefix(self, values, gaps, baseline, min_points):
        points, place = [], 0
        for i, value in enumerate(values):
            place += 2 if i in gaps else 1
            points.append(spc.Point(place, D(value)))
        found = spc.as_reported(points, polarity=rag.LOWER, min_points=min_points, baseline=baseline)
        assert len(found) == len(points)
        for end in range(1, len(points) + 1):
            prefix = points[:end]
            analysis = spc.analyse(prefix, polarity=rag.LOWER, min_points=min_points, baseline=baseline)
            assert found[end - 1] == (analysis.latest_variation, analysis.limits)
