"""Scorecards and exception reports as Excel and CSV: the same rows as the page."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reviews.exports import EXCEPTION_CSV_HEADING, number_format
from tests.indicators.factories import IndicatorFactory
from tests.reviews.world import World

pytestmark = pytest.mark.django_db

SCORECARD_HEADING = [
    "Code",
    "Indicator",
    "Period",
    "Unit",
    "Figure",
    "Target",
    "Rating",
    "Computed rating",
    "Since previous period",
    "Since same period last year",
    "Variation",
    "Assurance",
    "Target signed off",
    "Commentary",
]


@pytest.fixture
def world(client):
    made = World()
    client.force_login(made.people["scrutiny"])
    return made


def download(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response


def scorecard(client, world, **query):
    url = reverse("reviews:scorecard", args=["council-scorecard"])
    return download(client, url, period=world.quarter.pk, **query)


def rows_of(sheet):
    return {row[0].value: row for row in sheet.iter_rows(min_row=2)}


def test_scorecard_workbook(client, world):
    response = scorecard(client, world, export="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="council-scorecard-2025-26-q2.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == SCORECARD_HEADING
    rows = rows_of(sheet)
    assert list(rows) == ["H1", "H2", "H3", "H4", "L1", "L2"]
    heading = SCORECARD_HEADING.index
    red = rows["H1"]
    assert red[heading("Figure")].value == 50 and red[heading("Figure")].number_format == '0.0"%"'
    assert red[heading("Target")].value == 100 and red[heading("Target")].number_format == '0.0"%"'
    rating = red[heading("Rating")]
    assert rating.value == "Red" and rating.fill.fill_type == "solid" and rating.fill.start_color.rgb.endswith("F4CDC6")
    # H2's target is not signed off: its rating says so, in words.
    assert rows["H2"][heading("Rating")].value == "Amber (provisional: target not signed off)"
    assert rows["H3"][heading("Rating")].value == "Green"
    assert rows["H4"][heading("Rating")].value == "Overdue"
    money = rows["H3"][heading("Figure")]
    assert float(money.value) == 1234.56 and money.number_format == "£#,##0.00"
    assert rows["L2"][heading("Figure")].number_format == "#,##0.0"
    assert red[heading("Since previous period")].value == "Improving"
    assert red[heading("Target signed off")].value == "Signed off"
    assert red[heading("Commentary")].value == "The contractor went into administration."


def test_workbook_follows_the_filters_and_sort(client, world):
    response = scorecard(client, world, export="xlsx", rag=["red", "provisional_red"], sort="-code")
    assert list(rows_of(load_workbook(io.BytesIO(response.content)).active)) == ["L1", "H1"]


def test_override_in_the_workbook(client, world):
    world.override_amber_to_green()
    rows = rows_of(load_workbook(io.BytesIO(scorecard(client, world, export="xlsx").content)).active)
    assert (
        rows["H2"][SCORECARD_HEADING.index("Rating")].value
        == "Green (provisional: target not signed off; overridden, computed Amber)"
    )
    assert rows["H2"][SCORECARD_HEADING.index("Computed rating")].value == "Amber"


def test_scorecard_csv(client, world):
    response = scorecard(client, world, export="csv", portfolio=world.housing.pk)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="council-scorecard-2025-26-q2.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == SCORECARD_HEADING
    rows = {line[0]: dict(zip(SCORECARD_HEADING, line, strict=True)) for line in lines[1:]}
    assert list(rows) == ["H1", "H2", "H3", "H4"]
    assert rows["H1"]["Figure"] == "50.0" and rows["H1"]["Target"] == "100.0" and rows["H1"]["Rating"] == "Red"
    assert rows["H3"]["Figure"] == "1234.56" and rows["H3"]["Unit"] == "Currency (£)"
    assert rows["H4"]["Figure"] == "" and rows["H4"]["Rating"] == "Overdue"


def test_exception_report_workbook_has_a_sheet_per_section(client, world):
    url = reverse("reviews:exception-report")
    query = {"scope": "portfolio", "pk": world.housing.pk, "period": world.quarter.pk, "export": "xlsx"}
    response = download(client, url, **query)
    assert response["Content-Disposition"] == (
        'attachment; filename="exception-report-portfolio-housing-2025-26-q2.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:4] == [
        "Red and Amber",
        "Overdue returns",
        "Targets not signed off",
        "Reds without an action plan",
    ]
    assert all(sheet.freeze_panes == "A2" for sheet in book.worksheets)
    red_and_amber = rows_of(book["Red and Amber"])
    assert list(red_and_amber) == ["H1", "H2"]
    heading = [cell.value for cell in book["Red and Amber"][1]]
    assert red_and_amber["H1"][heading.index("Tolerance used")].value == "5% of the target"
    assert red_and_amber["H2"][heading.index("Rating")].value == "Amber (provisional: target not signed off)"
    assert red_and_amber["H2"][heading.index("Figure")].number_format == '0.0"%"'
    assert list(rows_of(book["Overdue returns"])) == ["H4"]
    assert list(rows_of(book["Targets not signed off"])) == ["H2", "H4"]
    # The Red has no action plan: it says so, and is listed as an exception itself.
    assert red_and_amber["H1"][heading.index("Action plan")].value == "Red without a plan"
    assert red_and_amber["H2"][heading.index("Action plan")].value == "No action plan recorded"
    assert list(rows_of(book["Reds without an action plan"])) == ["H1"]


def test_exception_report_csv(client, world):
    url = reverse("reviews:exception-report")
    query = {"scope": "portfolio", "pk": world.housing.pk, "period": world.quarter.pk, "export": "csv"}
    response = download(client, url, **query)
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == EXCEPTION_CSV_HEADING
    assert all(len(line) == len(EXCEPTION_CSV_HEADING) for line in lines)
    assert [(line[0], line[1]) for line in lines[1:]] == [
        ("Red and Amber", "H1"),
        ("Red and Amber", "H2"),
        ("Overdue returns", "H4"),
        ("Targets not signed off", "H2"),
        ("Targets not signed off", "H4"),
    ]
    overdue = dict(zip(EXCEPTION_CSV_HEADING, lines[3], strict=True))
    assert overdue["Due"] == world.quarter.due.isoformat() and overdue["Rating"] == "Overdue"


@pytest.mark.parametrize(
    ("unit", "places", "expected"),
    [
        ("percentage", 1, '0.0"%"'),
        ("percentage", 0, '0"%"'),
        ("currency", 2, "£#,##0.00"),
        ("currency", 0, "£#,##0"),
        ("days", 1, '#,##0.0" days"'),
        ("rate_per_1000", 2, '#,##0.00" per 1,000"'),
        ("ratio", 2, "0.00"),
        ("number", 0, "#,##0"),
    ],
)
def test_number_formats(unit, places, expected):
    assert number_format(IndicatorFactory.build(unit=unit, decimal_places=places)) == expected
