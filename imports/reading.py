"""Reading uploaded spreadsheets (.xlsx) and CSV files into rows of cells: no database access.

Whatever the file holds, reading either returns a Table or raises FileProblem with a
message for the person who uploaded it; it never lets a library's exception through.
A workbook's zip directory is checked (member count and declared uncompressed sizes)
before openpyxl opens it, so a zip bomb is refused unopened: zipfile never inflates a
member beyond its declared size (it fails the CRC check instead). Its worksheets' cells
are then counted in the packed XML, so that openpyxl never parses more than
PMIS_IMPORT_MAX_CELLS of them. The width a sheet declares is ignored (openpyxl would pad
every row to it); a row whose cells reach beyond PMIS_IMPORT_MAX_COLUMNS, in a sheet or a
CSV file, is refused before any cell of it is kept, and empty cells are never kept.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

# Longest text accepted in one cell (commentary is the longest field anyone writes).
MAX_CELL_CHARS = 10_000
ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, for the uploader."""


@dataclass
class Cell:
    column: str  # the column's letter: "C"
    value: object  # str, int, float, Decimal, datetime or None
    percent_format: bool = False  # an Excel cell formatted as a percentage holds 0.95 for 95%


# A sheet or CSV file as read: (row number, {column number: Cell}) for each row, empty
# cells left out.
Grid = list[tuple[int, dict[int, Cell]]]


@dataclass
class Row:
    number: int  # the row in the sheet (or the record in the CSV, the header being 1)
    cells: dict[str, Cell] = field(default_factory=dict)

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return "" if cell is None else cell_text(cell)

    def column(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.column if cell else ""

    def is_empty(self) -> bool:
        return all(cell_text(cell) == "" for cell in self.cells.values())


@dataclass
class Table:
    columns: dict[str, str]  # key -> column letter
    rows: list[Row]
    sheet: str = ""  # the worksheet read, for a workbook
    is_workbook: bool = False
    header_row: int = 1


def header_key(text) -> str:
    """A column heading as a key: "Not available reason" -> "not_available_reason"."""
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")


def cell_text(cell: Cell) -> str:
    """A cell as the text the checks read: numbers written plainly, dates as ISO dates.

    Checks that need a number reject dates themselves (see is_date).
    """
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        number = excel_number(value)
        if cell.percent_format:
            number = (number * 100).normalize()
            return f"{number:f}%"
        return f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def excel_number(value: int | float | Decimal) -> Decimal:
    """A number as Excel shows it: a float to 15 significant digits, so that the binary
    fraction 0.9590000000000001 a formula such as =95.9/100 stores is read as 0.959."""
    if isinstance(value, float):
        return Decimal(f"{value:.15g}")
    return Decimal(value)


def is_date(cell: Cell | None) -> bool:
    return cell is not None and isinstance(cell.value, datetime.datetime | datetime.date | datetime.time)


def read_table(
    data: bytes,
    filename: str,
    *,
    required: tuple[str, ...],
    known: tuple[str, ...],
    any_of: tuple[str, ...] = (),
    others: bool = False,
) -> Table:
    """The rows of an uploaded file, keyed by the known column headings it has.

    The header is the first row (among the first 20) holding every required heading and,
    if any_of is given, one of those. With others, every other heading is kept too, keyed
    by "=" and its text ("=ENV1a", "=2019/20"), for files laid out wide.
    Raises FileProblem when the file is too large, not a readable workbook or CSV, or has
    no such header.
    """
    limit = settings.PMIS_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileProblem(f"The file is {_size(len(data))}; files up to {_size(limit)} can be imported.")
    if not data.strip():
        raise FileProblem("The file is empty.")
    lower = filename.lower()
    if data.startswith(ZIP_MAGIC):
        grid, sheet = _read_workbook(data)
        is_workbook = True
    elif lower.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise FileProblem(
            f"{filename} is not an Excel workbook that can be read (it may be damaged, cut short, "
            "or another kind of file renamed). Save it again as an Excel workbook (.xlsx) or as CSV."
        )
    else:
        grid, sheet = _read_csv(data), ""
        is_workbook = False
    return _table(grid, sheet, is_workbook, required, known, any_of, others)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def _check_zip(data: bytes) -> None:
    """Refuse a workbook whose zip directory or cells are beyond the limits, before openpyxl
    opens it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileProblem(
            "The file is not a workbook that can be read: it may be damaged or cut short. "
            "Save it again as an Excel workbook (.xlsx) or as CSV."
        ) from None
    if len(members) > settings.PMIS_IMPORT_MAX_MEMBERS:
        raise FileProblem(f"The workbook has {len(members):,} parts; a spreadsheet of figures has far fewer.")
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.PMIS_IMPORT_MAX_UNPACKED_BYTES:
        raise FileProblem(
            f"The workbook would unpack to {_size(unpacked)}, more than the "
            f"{_size(settings.PMIS_IMPORT_MAX_UNPACKED_BYTES)} allowed. Split it into smaller files."
        )
    try:
        _count_cells(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileProblem(
            "The workbook could not be read to the end: it may be damaged. Save it again and upload it."
        ) from None


# A cell or row element, with or without a namespace prefix: <c r=...>, <x:c>, <row r=...>.
_CELL_OR_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)[\s>/]")


def _count_cells(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose worksheets hold more cells than openpyxl may parse, or a row
    wider than a sheet of figures, counting the elements in the packed XML as it is unpacked
    (its size checked already): openpyxl would build every cell of a row before its width
    could be checked."""
    limit = settings.PMIS_IMPORT_MAX_CELLS
    columns = settings.PMIS_IMPORT_MAX_COLUMNS
    count = 0
    # Every part is counted, not only xl/worksheets/: a workbook may keep its sheets anywhere.
    for member in archive.infolist():
        tail, width = b"", 0
        with archive.open(member) as xml:
            while chunk := xml.read(1 << 20):
                text = tail + chunk
                for element in _CELL_OR_ROW.finditer(text):
                    if element.end() <= len(tail):
                        continue  # found in the previous chunk already
                    if element.group(1) == b"row":
                        width = 0
                        continue
                    count += 1
                    width += 1
                    if count > limit:
                        raise FileProblem(f"The workbook has more than {limit:,} cells; split it into smaller files.")
                    if width > columns:
                        raise FileProblem(
                            f"A row of the workbook has more than {columns:,} cells; files with more than "
                            f"{columns:,} columns cannot be imported. Delete the columns beyond the last heading "
                            "and upload the file again."
                        )
                tail = text[-32:]


def _too_wide(row_number: int, width: int) -> FileProblem:
    limit = settings.PMIS_IMPORT_MAX_COLUMNS
    return FileProblem(
        f"Row {row_number} has cells in {width:,} columns; files with more than {limit:,} columns "
        "cannot be imported. Delete the columns beyond the last heading and upload the file again."
    )


def _read_workbook(data: bytes) -> tuple[Grid, str]:
    _check_zip(data)
    try:
        # data_only: a formula cell gives the value Excel or LibreOffice last stored.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on damaged files; all mean the same here
        raise FileProblem(
            "The file is not an Excel workbook that can be read. Save it again as an Excel workbook (.xlsx) or as CSV."
        ) from None
    try:
        if not workbook.worksheets:
            raise FileProblem("The workbook has no worksheets.")
        sheet = workbook.worksheets[0]
        # Rows as wide as their own cells, not as the width the sheet declares.
        sheet.reset_dimensions()
        grid = []
        limit = settings.PMIS_IMPORT_MAX_ROWS + 20
        columns = settings.PMIS_IMPORT_MAX_COLUMNS
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if number > limit:
                raise FileProblem(f"The sheet has more than {settings.PMIS_IMPORT_MAX_ROWS:,} rows; split it.")
            if len(row) > columns:
                raise _too_wide(number, len(row))
            cells = {}
            for index, cell in enumerate(row, start=1):
                value = getattr(cell, "value", None)
                if value is not None:
                    fmt = getattr(cell, "number_format", "") or ""
                    cells[index] = Cell(get_column_letter(index), value, "%" in fmt)
            grid.append((number, cells))
        return grid, sheet.title
    except FileProblem:
        raise
    except Exception:
        raise FileProblem(
            "The workbook could not be read to the end: it may be damaged. Save it again and upload it."
        ) from None
    finally:
        workbook.close()


def _read_csv(data: bytes) -> Grid:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel's "CSV" (not "CSV UTF-8") in the UK writes Windows-1252: "£" is one byte.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem("The file is neither a workbook nor text. Save it as CSV UTF-8 or .xlsx.") from None
    if "\x00" in text:
        raise FileProblem("The file is neither a workbook nor CSV text. Save it as CSV UTF-8 or .xlsx.")
    grid = []
    columns = settings.PMIS_IMPORT_MAX_COLUMNS
    try:
        # newline="" semantics: line breaks inside quoted cells stay in the cell.
        for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number > settings.PMIS_IMPORT_MAX_ROWS + 20:
                raise FileProblem(f"The file has more than {settings.PMIS_IMPORT_MAX_ROWS:,} rows; split it.")
            if len(record) > columns:
                raise _too_wide(number, len(record))
            grid.append((number, {i: Cell(get_column_letter(i), v) for i, v in enumerate(record, start=1) if v}))
    except csv.Error as error:
        raise FileProblem(f"The CSV file cannot be read: {error}.") from None
    return grid


def _table(
    grid: Grid,
    sheet: str,
    is_workbook: bool,
    required: tuple[str, ...],
    known: tuple[str, ...],
    any_of: tuple[str, ...] = (),
    others: bool = False,
) -> Table:
    header = None
    for number, cells in grid:
        if number > 20:
            break
        keys = {header_key(cell.value) for cell in cells.values()}
        if set(required) <= keys and (not any_of or keys & set(any_of)):
            header = number, cells
            break
    if header is None:
        where = f"the sheet {sheet!r}" if sheet else "the file"
        wanted = ", ".join(required) + (" and one of " + ", ".join(any_of) if any_of else "")
        wanted = wanted.strip(" ,")
        raise FileProblem(
            f"No heading row found in {where}: the first rows must include a row with the headings {wanted}."
        )
    header_number, header_cells = header
    columns, positions = {}, {}
    for position, cell in sorted(header_cells.items()):
        key = header_key(cell.value)
        if others and key not in known and cell_text(cell):
            key = "=" + cell_text(cell)
            if key in columns:
                raise FileProblem(f"The heading {key[1:]} appears twice (columns {columns[key]} and {cell.column}).")
            columns[key], positions[key] = cell.column, position
        elif key in known:
            if key in columns:
                raise FileProblem(f"The heading {key} appears twice (columns {columns[key]} and {cell.column}).")
            columns[key], positions[key] = cell.column, position
    rows = []
    for number, cells in grid:
        if number <= header_number:
            continue
        row = Row(number)
        for key, position in positions.items():
            row.cells[key] = cells.get(position) or Cell(columns[key], None)
        if not row.is_empty():
            rows.append(row)
    if not rows:
        raise FileProblem("There are no rows of data under the headings.")
    if len(rows) > settings.PMIS_IMPORT_MAX_ROWS:
        raise FileProblem(f"The file has {len(rows):,} rows; up to {settings.PMIS_IMPORT_MAX_ROWS:,} can be imported.")
    return Table(columns=columns, rows=rows, sheet=sheet, is_workbook=is_workbook, header_row=header_number)
