"""Spreadsheets and CSV files PMIS writes keep text as text.

Anyone who can write commentary, a title or an uploaded cell could otherwise plant a formula
(=HYPERLINK(...), =cmd|...) that runs when a reader opens the download. As OWASP advises for
CSV, a text cell beginning with =, +, -, @, a tab or a carriage return gets a leading
apostrophe, unless it is a plain figure such as -3.5, -£1,200 or -12.5%; in an Excel
workbook such text is written as a string cell, which Excel never evaluates. Numbers stay
numbers.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FIGURE = re.compile(r"[-+]?£?\d[\d,]*(\.\d+)?%?")


def csv_cell(value):
    """A value for a CSV cell: text that could be taken for a formula is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _FIGURE.fullmatch(value):
        return "'" + value
    return value


class CsvWriter:
    """csv.writer whose rows' cells pass through csv_cell."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def text_as_text(workbook) -> None:
    """Make every cell openpyxl took for a formula (text beginning with "=") a string cell.

    PMIS writes no formulas of its own: call it on a workbook built from data before saving."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
