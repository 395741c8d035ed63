"""The scorecard table: its columns and how each sorts (?sort= in the URL).

The page template writes the GOV.UK markup itself; django-tables2 orders the rows and
says which column is sorted which way. Sort keys are never None, so rows always compare.
"""

import django_tables2 as tables

from .scorecards import Row


class ScorecardTable(tables.Table):
    code = tables.Column("Code", accessor="indicator__code")
    title = tables.Column("Indicator", accessor="indicator__title")
    figure = tables.Column("Figure", accessor="actual", orderable=False)
    target = tables.Column("Target", accessor="target_value", orderable=False)
    rating = tables.Column("Rating", accessor="status_label", order_by=("status_rank", "indicator__code"))
    direction = tables.Column(
        "Since previous period", accessor="travel_previous", order_by=("travel_previous_rank", "indicator__code")
    )
    direction_year = tables.Column(
        "Since same period last year",
        accessor="travel_last_year",
        order_by=("travel_last_year_rank", "indicator__code"),
    )
    variation = tables.Column("Variation", accessor="variation", order_by=("variation_rank", "indicator__code"))
    assurance = tables.Column("Assurance", accessor="assurance", order_by=("assurance_rank", "indicator__code"))
    trend = tables.Column("Trend", accessor="sparkline", orderable=False)
    signed_off = tables.Column("Target signed off", accessor="signed_off", order_by=("signed_off", "indicator__code"))
    commentary = tables.Column("Commentary", accessor="commentary_start", orderable=False)

    class Meta:
        # Sorting only: the template renders the table.
        template_name = "django_tables2/table.html"


def sorted_rows(table: ScorecardTable) -> list[Row]:
    """The table's rows in the order the request asked for.

    The list django-tables2 sorted in place, rather than a BoundRow per row: the template
    renders the rows itself, and thousands of BoundRows took a tenth of the page's time.
    """
    return table.data.data
