"""The scorecard table's columns and its sort order, read from ?sort= in the URL.

?sort=rating sorts by a column, ?sort=-rating the other way; anything else leaves the
rows in the indicators' order (by code). The page shows a compact table (SHOWN: indicator,
figure, target, rating, direction, trend), each row's commentary and other columns one
click away in its details; every column sorts from the filter panel's "Sort by". The page
template writes the GOV.UK table markup (the rows are written by templatetags/scorecards.py); each header carries its
aria-sort and the link that sorts by it. Sort keys are never None, so rows always
compare, and the ranked columns break ties by code.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indicators.models import Assurance, Rag, Travel, Variation

from .scorecards import NO_PERIOD, NOT_COLLECTED, NOT_DUE, OVERDUE, Row

# Worst first: the order "sort by rating" gives.
STATUS_RANK = {
    status: rank
    for rank, status in enumerate(
        [
            Rag.RED,
            Rag.AMBER,
            OVERDUE,
            Rag.NOT_AVAILABLE,
            Rag.INCOMPLETE,
            Rag.NO_TARGET,
            Rag.GREEN,
            Rag.DATA_ONLY,
            NOT_DUE,
            NOT_COLLECTED,
            NO_PERIOD,
        ]
    )
}
TRAVEL_RANK = {Travel.IMPROVING: 0, Travel.UNCHANGED: 1, Travel.WORSENING: 2, "": 3}
# Concerns first, as "sort by rating" puts Red first; then other special causes.
VARIATION_RANK = {
    Variation.CONCERN_HIGH: 0,
    Variation.CONCERN_LOW: 0,
    Variation.NEUTRAL_HIGH: 1,
    Variation.NEUTRAL_LOW: 1,
    Variation.IMPROVEMENT_HIGH: 2,
    Variation.IMPROVEMENT_LOW: 2,
    Variation.COMMON_CAUSE: 3,
    "": 4,
}
ASSURANCE_RANK = {Assurance.FAIL: 0, Assurance.HIT_AND_MISS: 1, Assurance.PASS: 2, "": 3}


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the table: its name in ?sort=, its header, and its sort key (None: it does not sort)."""

    name: str
    header: str
    key: Callable[[Row], object] | None = None
    # A column of the compact table the page shows (the others sort, and the downloads hold
    # them; the page shows their values in each row's details).
    shown: bool = True


COLUMNS: Sequence[Column] = (
    Column("code", "Indicator", lambda row: row.indicator.code),
    Column("title", "Title", lambda row: row.indicator.title, shown=False),
    Column("figure", "Figure"),
    Column("target", "Target"),
    Column("rating", "Rating", lambda row: (STATUS_RANK[row.status], row.indicator.code)),
    Column("direction", "Since previous period", lambda row: (TRAVEL_RANK[row.travel_previous], row.indicator.code)),
    Column(
        "direction_year",
        "Since same period last year",
        lambda row: (TRAVEL_RANK[row.travel_last_year], row.indicator.code),
        shown=False,
    ),
    Column("variation", "Variation", lambda row: (VARIATION_RANK[row.variation], row.indicator.code), shown=False),
    Column("assurance", "Assurance", lambda row: (ASSURANCE_RANK[row.assurance], row.indicator.code), shown=False),
    Column("trend", "Trend"),
    Column("signed_off", "Target signed off", lambda row: (row.signed_off, row.indicator.code), shown=False),
)
SHOWN = [column for column in COLUMNS if column.shown]
SORTABLE = {column.name: column for column in COLUMNS if column.key is not None}
# The filter panel's "Sort by": every sortable column, each way.
SORT_CHOICES = [("", "Code (the scorecard's order)")] + [
    choice
    for column in SORTABLE.values()
    if column.name != "code"
    for choice in ((column.name, column.header), (f"-{column.name}", f"{column.header}, the other way"))
]


@dataclass(frozen=True, slots=True)
class Header:
    """A column's header as the page shows it.

    aria_sort is "ascending", "descending" or "none" for a column that sorts, "" for one
    that does not; sort is the ?sort= its link asks for (ascending first, then the other
    way), "" for a column that does not sort.
    """

    text: str
    aria_sort: str
    sort: str

    @property
    def sort_in_words(self) -> str:
        return "descending" if self.sort.startswith("-") else "ascending"


@dataclass(frozen=True, slots=True)
class Sort:
    """The order a request asked for: a sortable column, ascending or descending; else none."""

    column: str = ""
    descending: bool = False

    @classmethod
    def from_query(cls, value: str) -> "Sort":
        """ "rating" or "-rating"; an unknown or unsortable column sorts nothing."""
        name = value.removeprefix("-")
        return cls(name, value.startswith("-")) if name in SORTABLE else cls()

    def rows(self, rows: list[Row]) -> list[Row]:
        """The rows in this order (a new list; unsorted, the same rows in the same order)."""
        if not self.column:
            return list(rows)
        return sorted(rows, key=SORTABLE[self.column].key, reverse=self.descending)

    def headers(self) -> list[Header]:
        """The compact table's headers (SHOWN)."""
        headers = []
        for column in SHOWN:
            if column.key is None:
                headers.append(Header(column.header, "", ""))
            elif column.name != self.column:
                headers.append(Header(column.header, "none", column.name))
            elif self.descending:
                headers.append(Header(column.header, "descending", column.name))
            else:
                headers.append(Header(column.header, "ascending", f"-{column.name}"))
        return headers
