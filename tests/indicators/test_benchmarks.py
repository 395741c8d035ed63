import statistics
from decimal import Decimal as D

import pytest

from indicators.benchmarks import QUARTILE_WORDS, benchmarks, quantile, quartile_position, quartiles


def values(*numbers):
    return [D(str(n)) for n in numbers]


class TestQuartiles:
    @pytest.mark.parametrize(
        ("numbers", "expected"),
        [
            # h = (n - 1) x p on the sorted values, interpolating between neighbours.
            ((1, 2, 3, 4, 5), ("2", "3", "4")),
            ((40, 10, 30, 20), ("17.5", "25", "32.5")),
            # Ties: the median of 5, 5, 5, 7 is 5; the upper quartile 5 + 0.25 x 2.
            ((5, 5, 5, 7), ("5", "5", "5.5")),
            # Fewer than four comparators still have quartiles by the same method.
            ((10, 20, 30), ("15", "20", "25")),
            ((10, 20), ("12.5", "15", "17.5")),
            ((7,), ("7", "7", "7")),
            (("92.1", "88.4", "95.0", "90.3", "91.7"), ("90.3", "91.7", "92.1")),
        ],
    )
    def test_inclusive_quartiles_by_hand(self, numbers, expected):
        assert quartiles(values(*numbers)) == tuple(D(e) for e in expected)

    @pytest.mark.parametrize("numbers", [(1, 2, 3, 4, 5), (3, 1, 4, 1, 5, 9, 2, 6), (10, 20), (2, 2, 2, 9, 11)])
    def test_agree_with_the_standard_library_inclusive_method(self, numbers):
        expected = statistics.quantiles(values(*numbers), n=4, method="inclusive")
        assert [float(q) for q in quartiles(values(*numbers))] == pytest.approx([float(q) for q in expected])

    def test_exact_in_decimal(self):
        assert quartiles(values("0.1", "0.2", "0.3", "0.4")) == (D("0.175"), D("0.25"), D("0.325"))

    def test_refuses_no_values_and_bad_fractions(self):
        with pytest.raises(ValueError, match="no values"):
            quantile([], D("0.5"))
        with pytest.raises(ValueError, match="between 0 and 1"):
            quantile(values(1), D("1.5"))


BOUNDS = (D("17.5"), D("25"), D("32.5"))  # quartiles of 10, 20, 30, 40


class TestQuartilePosition:
    @pytest.mark.parametrize(
        ("own", "higher", "lower"),
        [
            ("35", 1, 4),
            ("32.5", 1, 3),  # on the upper quartile: the better quarter for higher, third for lower
            ("30", 2, 3),
            ("25", 2, 2),
            ("20", 3, 2),
            ("17.5", 3, 1),
            ("17", 4, 1),
        ],
    )
    def test_quartile_one_is_always_the_best_quarter(self, own, higher, lower):
        assert quartile_position(D(own), BOUNDS, "higher") == higher
        assert quartile_position(D(own), BOUNDS, "lower") == lower

    def test_ties_put_a_figure_equal_to_most_comparators_in_the_better_quarter(self):
        bounds = quartiles(values(5, 5, 5, 7))  # 5, 5, 5.5
        assert quartile_position(D(5), bounds, "higher") == 2
        assert quartile_position(D(5), bounds, "lower") == 1
        assert quartile_position(D(6), bounds, "higher") == 1
        assert quartile_position(D(6), bounds, "lower") == 4

    def test_one_comparator(self):
        bounds = quartiles(values(7))
        assert quartile_position(D(8), bounds, "higher") == 1
        assert quartile_position(D(6), bounds, "higher") == 4
        assert quartile_position(D(7), bounds, "lower") == 1

    def test_data_only_and_missing_figures_have_no_position(self):
        assert quartile_position(D(30), BOUNDS, "none") is None
        assert quartile_position(None, BOUNDS, "higher") is None

    def test_refuses_an_unknown_polarity(self):
        with pytest.raises(ValueError, match="polarity"):
            quartile_position(D(1), BOUNDS, "sideways")


class TestBenchmarks:
    def test_one_per_group_in_name_order(self):
        pairs = [("Nearest neighbours", v) for v in values(10, 20, 30, 40)]
        pairs += [("County", v) for v in values(50, 60)]
        county, neighbours = benchmarks(pairs, own=D(35), polarity="lower")
        assert (county.group, county.count, county.median, county.quartile) == ("County", 2, D(55), 1)
        assert county.is_few
        assert (neighbours.lower_quartile, neighbours.median, neighbours.upper_quartile) == BOUNDS
        assert neighbours.quartile == 4 and neighbours.quartile_words == "Bottom quartile (worst 25%)"
        assert not neighbours.is_few

    def test_words(self):
        assert QUARTILE_WORDS[1] == "Top quartile (best 25%)"
        assert benchmarks([("G", D(1))], own=None, polarity="higher")[0].quartile_words == ""
