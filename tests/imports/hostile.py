"""Hostile files, small to upload and costly to read if reading is not bounded; used by the
fuzz tests and bench/hostile_files.py."""

import io
import zipfile

from openpyxl.utils import get_column_letter

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Returns" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"
    ),
}


def sheet_workbook(rows, *, dimension: str | None = None) -> bytes:
    """A workbook whose one sheet holds rows: lists of (column number, text) cells, written as
    inline strings, under a declared dimension (say "A1:XFD301") if given. A cell whose
    column is None has no reference: it follows the one before it."""
    xml = [
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if dimension:
        xml.append(f'<dimension ref="{dimension}"/>')
    xml.append("<sheetData>")
    for number, cells in enumerate(rows, start=1):
        xml.append(f'<row r="{number}">')
        for column, text in cells:
            ref = f' r="{get_column_letter(column)}{number}"' if column else ""
            xml.append(f'<c{ref} t="inlineStr"><is><t>{text}</t></is></c>')
        xml.append("</row>")
    xml.append("</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(xml))
    return out.getvalue()


def wide_workbook(rows: int = 300) -> bytes:
    """The audit's 6 KB workbook: a sheet declaring A1:XFD{rows+1}, each row one cell in XFD."""
    return sheet_workbook([[(16384, "x")] for _ in range(rows)], dimension=f"A1:XFD{rows + 1}")


def wide_csv(columns: int = 20_000) -> bytes:
    """A CSV file of one record with more columns than Excel's column letters reach (18,278)."""
    return ("," * (columns - 1) + "x\n").encode()
