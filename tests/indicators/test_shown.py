"""The rating shown for a figure (indicators/shown.py): every combination of its inputs."""

import itertools

import pytest

from indicators import rag, shown
from indicators.shown import ShownRating, shown_rating

RATINGS = [rag.GREEN, rag.AMBER, rag.RED, rag.NO_TARGET, rag.DATA_ONLY, rag.NOT_AVAILABLE, rag.INCOMPLETE]


def test_a_rating_against_a_signed_off_target_is_shown_as_computed():
    assert shown_rating(rag_computed=rag.RED, target_signed_off=True) == ShownRating(rag.RED, rag.RED)
    assert shown_rating(rag_computed=rag.RED, target_signed_off=True).words == "Red"


def test_a_rating_against_a_target_not_signed_off_is_provisional_in_words():
    rating = shown_rating(rag_computed=rag.AMBER, target_signed_off=False)
    assert rating.status == rag.AMBER and rating.provisional
    assert rating.words == "Amber (provisional: target not signed off)"
    assert rating.summary_key == "provisional_amber"


@pytest.mark.parametrize("status", [rag.NO_TARGET, rag.DATA_ONLY, rag.NOT_AVAILABLE, rag.INCOMPLETE])
def test_statuses_that_rest_on_no_target_are_never_provisional(status):
    rating = shown_rating(rag_computed=status, target_signed_off=False)
    assert rating.status == status and not rating.provisional


def test_an_override_says_so_with_the_computed_rating():
    rating = shown_rating(rag_computed=rag.RED, override=rag.GREEN, target_signed_off=True)
    assert rating.status == rag.GREEN and rating.overridden and rating.computed == rag.RED
    assert rating.words == "Green (overridden, computed Red)"


def test_an_override_of_a_provisional_rating_carries_both_markers():
    rating = shown_rating(rag_computed=rag.RED, override=rag.GREEN, target_signed_off=False)
    assert rating.words == "Green (provisional: target not signed off; overridden, computed Red)"
    assert rating.summary_key == "provisional_green"


def test_the_public_sees_no_unvalidated_figure_and_no_rating_against_a_target_not_agreed():
    assert shown_rating(rag_computed=rag.GREEN, target_signed_off=True, validated=False, public=True) == ShownRating(
        shown.NOT_VALIDATED
    )
    assert shown_rating(rag_computed=rag.GREEN, target_signed_off=False, public=True) == ShownRating(
        shown.TARGET_NOT_AGREED
    )
    assert shown_rating(
        rag_computed=rag.GREEN, target_signed_off=True, public=True, year_to_date_validated=False
    ) == ShownRating(rag.INCOMPLETE)
    assert shown.LABELS[shown.TARGET_NOT_AGREED] == "Target not yet agreed"


@pytest.mark.parametrize(
    ("computed", "override", "signed_off", "validated"),
    list(itertools.product(RATINGS, ["", rag.GREEN, rag.AMBER, rag.RED], [True, False], [True, False])),
)
def test_public_and_internal_agree_or_the_public_says_why(computed, override, signed_off, validated):
    inside = shown_rating(rag_computed=computed, override=override, target_signed_off=signed_off, validated=validated)
    public = shown_rating(
        rag_computed=computed, override=override, target_signed_off=signed_off, validated=validated, public=True
    )
    # Inside PMIS the word is the override, else the computed rating, whatever the figure's state.
    assert inside.status == (override or computed) and inside.overridden == bool(override)
    assert inside.provisional == (computed in shown.RATED and not signed_off)
    if not validated:
        assert public.status == shown.NOT_VALIDATED
    elif inside.provisional:
        assert public.status == shown.TARGET_NOT_AGREED
    else:
        assert public == inside
    assert not public.provisional
