from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import rag
from indicators.rag import rate, travel

FIVE = D("0.05")


@pytest.mark.parametrize(
    ("actual", "target", "polarity", "tolerance", "mode", "expected"),
    [
        # Higher is better, relative 5% of 100: band 5, so Amber from 95 up to (not incl.) 100.
        ("100", "100", "higher", FIVE, "relative", "green"),
        ("100.0001", "100", "higher", FIVE, "relative", "green"),
        ("99.9999", "100", "higher", FIVE, "relative", "amber"),
        ("95", "100", "higher", FIVE, "relative", "amber"),  # exactly on the boundary: Amber
        ("95.00", "100.0", "higher", FIVE, "relative", "amber"),
        ("94.9999", "100", "higher", FIVE, "relative", "red"),
        ("0", "100", "higher", FIVE, "relative", "red"),
        # Lower is better, relative 5% of 20 days: band 1, Amber above 20 up to 21 inclusive.
        ("20", "20", "lower", FIVE, "relative", "green"),
        ("19.99", "20", "lower", FIVE, "relative", "green"),
        ("20.01", "20", "lower", FIVE, "relative", "amber"),
        ("21", "20", "lower", FIVE, "relative", "amber"),  # exactly on the boundary: Amber
        ("21.0001", "20", "lower", FIVE, "relative", "red"),
        # Absolute tolerance of 2 percentage points.
        ("78", "80", "higher", D("2"), "absolute", "amber"),
        ("77.9", "80", "higher", D("2"), "absolute", "red"),
        ("82", "80", "lower", D("2"), "absolute", "amber"),
        ("82.1", "80", "lower", D("2"), "absolute", "red"),
        # The band uses |T|: a negative target (net change) still gets a positive band.
        ("-10.5", "-10", "higher", FIVE, "relative", "amber"),
        ("-10.6", "-10", "higher", FIVE, "relative", "red"),
        ("-9.5", "-10", "lower", FIVE, "relative", "amber"),
        ("-9.4", "-10", "lower", FIVE, "relative", "red"),
        # A zero target has a zero relative band: anything worse is Red.
        ("0", "0", "lower", FIVE, "relative", "green"),
        ("1", "0", "lower", FIVE, "relative", "red"),
        # Zero tolerance: no Amber at all.
        ("99.99", "100", "higher", D("0"), "relative", "red"),
        ("100", "100", "higher", D("0"), "relative", "green"),
        # Other statuses are never Red or Green.
        (None, "100", "higher", FIVE, "relative", "not_available"),
        (None, None, "none", FIVE, "relative", "not_available"),
        ("50", "100", "none", FIVE, "relative", "data_only"),
        ("50", None, "none", FIVE, "relative", "data_only"),
        ("50", None, "higher", FIVE, "relative", "no_target"),
        ("50", None, "lower", D("3"), "absolute", "no_target"),
    ],
)
def test_rate_boundaries(actual, target, polarity, tolerance, mode, expected):
    actual = None if actual is None else D(actual)
    target = None if target is None else D(target)
    assert rate(actual, target, polarity, tolerance, mode) == expected


def test_rate_default_mode_is_relative():
    # Read as an absolute band, 0.05 would make 95 Red; as relative it is 5 and 95 is Amber.
    assert rate(D("95"), D("100"), "higher", FIVE) == "amber"
    assert rate(D("95"), D("100"), "higher", FIVE, "absolute") == "red"


def test_rate_relative_tolerance_scales_with_the_target():
    # 5% of 1,000 is 50: 951 is Amber, though 5% of 100 would make 95.1 Amber too.
    assert rate(D("951"), D("1000"), "higher", FIVE) == "amber"
    assert rate(D("949"), D("1000"), "higher", FIVE) == "red"


def test_rate_accepts_whole_numbers():
    assert rate(95, 100, "higher", FIVE) == "amber"


@pytest.mark.parametrize("bad", [95.0, "95", True])
def test_rate_refuses_floats_and_text(bad):
    with pytest.raises(TypeError):
        rate(bad, D("100"), "higher", FIVE)


def test_rate_refuses_unknown_polarity_mode_and_negative_tolerance():
    with pytest.raises(ValueError, match="polarity"):
        rate(D("1"), D("1"), "up", FIVE)
    with pytest.raises(ValueError, match="mode"):
        rate(D("1"), D("1"), "higher", FIVE, "percent")
    with pytest.raises(ValueError, match="negative"):
        rate(D("1"), D("1"), "higher", D("-0.01"))
    with pytest.raises(ValueError, match="required"):
        rate(D("1"), D("1"), "higher", None)


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        ("90", "80", "higher", "improving"),
        ("70", "80", "higher", "worsening"),
        ("70", "80", "lower", "improving"),
        ("90", "80", "lower", "worsening"),
        ("80", "80.00", "higher", "unchanged"),
        ("80", "80", "lower", "unchanged"),
        ("90", "80", "none", None),
        (None, "80", "higher", None),
        ("80", None, "lower", None),
    ],
)
def test_travel(current, previous, polarity, expected):
    current = None if current is None else D(current)
    previous = None if previous is None else D(previous)
    assert travel(current, previous, polarity) == expected


def test_travel_refuses_unknown_polarity():
    with pytest.raises(ValueError):
        travel(D("1"), D("2"), "sideways")


values = st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
tolerances = st.decimals(min_value=0, max_value=1, places=4)
modes = st.sampled_from(rag.MODES)
ORDER = {"red": 0, "amber": 1, "green": 2}


@given(values, values, values, tolerances, modes)
def test_a_better_actual_never_rates_worse(a, b, target, tolerance, mode):
    low, high = sorted([a, b])
    assert ORDER[rate(high, target, "higher", tolerance, mode)] >= ORDER[rate(low, target, "higher", tolerance, mode)]
    assert ORDER[rate(low, target, "lower", tolerance, mode)] >= ORDER[rate(high, target, "lower", tolerance, mode)]


@given(values, values, tolerances, modes)
def test_polarities_are_mirror_images(actual, target, tolerance, mode):
    assert rate(actual, target, "higher", tolerance, mode) == rate(-actual, -target, "lower", tolerance, mode)


@given(values, values, modes)
def test_zero_tolerance_never_gives_amber(actual, target, mode):
    for polarity in ("higher", "lower"):
        assert rate(actual, target, polarity, 0, mode) in ("green", "red")


@given(values, values, tolerances, tolerances, modes)
def test_a_wider_tolerance_never_rates_worse(actual, target, t1, t2, mode):
    narrow, wide = sorted([t1, t2])
    for polarity in ("higher", "lower"):
        assert ORDER[rate(actual, target, polarity, wide, mode)] >= ORDER[rate(actual, target, polarity, narrow, mode)]


@given(values, values, tolerances, modes)
def test_green_exactly_when_target_met(actual, target, tolerance, mode):
    assert (rate(actual, target, "higher", tolerance, mode) == "green") == (actual >= target)
    assert (rate(actual, target, "lower", tolerance, mode) == "green") == (actual <= target)


@given(values, values)
def test_travel_polarities_are_opposite(current, previous):
    up, down = travel(current, previous, "higher"), travel(current, previous, "lower")
    if current == previous:
        assert up == down == "unchanged"
    else:
        assert {up, down} == {"improving", "worsening"}


@pytest.mark.parametrize(
    ("status", "commentary", "needed"),
    [
        (rag.RED, "", True),
        (rag.AMBER, "", True),
        (rag.RED, "Staff shortage; agency cover from May.", False),
        (rag.GREEN, "", False),
        (rag.NO_TARGET, "", False),
        (rag.DATA_ONLY, "", False),
        (rag.INCOMPLETE, "", False),
        ("", "", False),
    ],
)
def test_red_and_amber_figures_need_commentary(status, commentary, needed):
    assert rag.needs_commentary(status, commentary) is needed
