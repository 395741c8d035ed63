"""The scorecard table's sort (?sort=) and its headers, on rows made by hand."""

import re

import pytest

from indicators.models import Assurance, Rag, Travel, Variation
from reviews.scorecards import NOT_DUE, OVERDUE
from reviews.tables import SHOWN, SORTABLE, Header, Sort
from reviews.templatetags.scorecards import scorecard_rows
from tests.reviews.rows import codes, row

ROWS = [
    row("A", title="Zebra crossings", status=Rag.GREEN, travel_previous=Travel.WORSENING, signed_off=True),
    row("B", title="Bins", status=OVERDUE),
    row(
        "C",
        title="Cycle lanes",
        status=Rag.RED,
        travel_previous=Travel.IMPROVING,
        travel_last_year=Travel.WORSENING,
        variation=Variation.IMPROVEMENT_LOW,
        assurance=Assurance.PASS,
    ),
    row(
        "D",
        title="Allotments",
        status=Rag.RED,
        travel_last_year=Travel.IMPROVING,
        variation=Variation.CONCERN_HIGH,
        assurance=Assurance.FAIL,
        signed_off=True,
    ),
    row("E", title="Bins", status=NOT_DUE),
]

# Ascending; descending is the reverse (every key is unique but the title's, ties keep the codes' order).
ASCENDING = {
    "code": ["A", "B", "C", "D", "E"],
    "title": ["D", "B", "E", "C", "A"],
    # Worst first: Red, then overdue, then Green, then not yet due; ties by code.
    "rating": ["C", "D", "B", "A", "E"],
    # Improving, worsening, then no comparison.
    "direction": ["C", "A", "B", "D", "E"],
    "direction_year": ["D", "C", "A", "B", "E"],
    # Concerns, improvements, then not enough data.
    "variation": ["D", "C", "A", "B", "E"],
    # Fails, passes, then not assessed.
    "assurance": ["D", "C", "A", "B", "E"],
    # Not signed off first.
    "signed_off": ["B", "C", "E", "A", "D"],
}


def test_every_sortable_column_is_tested():
    assert set(ASCENDING) == set(SORTABLE)


@pytest.mark.parametrize("column", ASCENDING)
def test_each_sortable_column_sorts_both_ways(column):
    assert codes(Sort.from_query(column).rows(ROWS)) == ASCENDING[column]
    descending = codes(Sort.from_query(f"-{column}").rows(ROWS))
    if column == "title":
        # Two rows titled "Bins" keep their order (B before E) either way.
        assert descending == ["A", "C", "B", "E", "D"]
    else:
        assert descending == ASCENDING[column][::-1]


@pytest.mark.parametrize("value", ["", "figure", "-trend", "commentary", "bogus", "--code", "code,title", "Code"])
def test_anything_but_a_sortable_column_leaves_the_rows_in_order(value):
    sort = Sort.from_query(value)
    assert sort == Sort()
    assert codes(sort.rows(ROWS)) == codes(ROWS)
    assert all(header.aria_sort in ("none", "") for header in sort.headers())


def test_sorting_leaves_the_given_list_alone():
    given = list(ROWS)
    Sort.from_query("-code").rows(given)
    assert given == ROWS


def test_headers_say_how_the_table_is_sorted_and_link_to_the_next_order():
    def header(sort: str, text: str) -> Header:
        return next(h for h in Sort.from_query(sort).headers() if h.text == text)

    assert [h.text for h in Sort().headers()] == [
        "Indicator",
        "Figure",
        "Target",
        "Rating",
        "Since previous period",
        "Trend",
    ]
    # A column that does not sort has no aria-sort and no link.
    assert header("rating", "Figure") == Header("Figure", "", "")
    # Unsorted columns link to ascending; the sorted one to the other way.
    assert header("rating", "Indicator") == Header("Indicator", "none", "code")
    assert header("rating", "Rating") == Header("Rating", "ascending", "-rating")
    assert header("-rating", "Rating") == Header("Rating", "descending", "rating")
    assert header("rating", "Rating").sort_in_words == "descending"
    assert header("-rating", "Rating").sort_in_words == "ascending"
    # Columns kept for sorting and downloads are not headers of the compact table.
    assert "Since same period last year" not in [h.text for h in Sort().headers()]


def test_a_header_for_each_cell_of_a_row():
    cells = re.findall(r"<t[hd] ", scorecard_rows(ROWS[:1]))
    assert len(cells) == len(SHOWN)
