"""Saving the workbook: ``wb.save`` with each sheet's cells written as text, and progress per sheet.

openpyxl writes every cell through lxml's incremental writer (an element per cell, its style id
looked up in the workbook's list by hashing the style): half of a 500-project workbook's save.
Here the ``<sheetData>`` of a sheet is written as the same text — the rows and cells as openpyxl
writes them (``r``, ``s``, ``t`` attributes in that order, text as inline strings, ASCII with
character references, ``xml:space="preserve"`` on text with outer blanks, numbers through
openpyxl's ``safe_string``) — and put into the sheet's XML where openpyxl's writer is; everything
else of the sheet and the workbook is openpyxl's own.  A sheet holding anything else (formulas,
dates, rich text, comments, links, unusual characters) is written by openpyxl as before.
Each sheet is written into memory rather than a temporary file.
"""
from __future__ import annotations

import datetime
import io
import re
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.cell.rich_text import CellRichText
from openpyxl.compat import safe_string
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

FAST_ROWS = True  # tests turn it off to compare the parts
_PLAIN_ATTR = re.compile(r"^[A-Za-z0-9.:+\-]*$")  # attribute values written as they are
# characters whose escaping this writer does not spell as libxml2 does (or that XML cannot hold)
_UNUSUAL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class _Unusual(Exception):
    """A cell this writer leaves to openpyxl (the whole sheet is then written by openpyxl)."""


def _text(value: str) -> str:
    if _UNUSUAL.search(value):
        raise _Unusual()
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not value.isascii():
        value = value.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return value


def _attrs(attrs: dict) -> str:
    out = []
    for key, value in attrs.items():
        if not _PLAIN_ATTR.match(value):
            raise _Unusual()
        out.append(f' {key}="{value}"')
    return "".join(out)


def sheet_data(writer: WorksheetWriter) -> bytes:
    """``<sheetData>…</sheetData>`` of the writer's sheet, as openpyxl's ``write_rows`` writes it
    (raises _Unusual for a sheet it should write itself)."""
    ws = writer.ws
    dims = ws.row_dimensions
    style_ids: dict[tuple, str] = {}
    out = ["<sheetData>"]
    for row_idx, row in writer.rows():
        attrs = {"r": f"{row_idx}"}
        attrs.update(dims.get(row_idx, {}))
        out.append(f"<row{_attrs(attrs)}>")
        for cell in row:
            if cell._comment is not None or cell.hyperlink:
                raise _Unusual()
            styled = cell.has_style
            value = cell._value
            if value is None and not styled:
                continue
            kind = cell.data_type
            if kind == "s":
                t = "inlineStr"
            elif kind == "n":
                t = "n"
            else:
                raise _Unusual()
            if styled:  # coordinates, style ids and these types need no escaping
                key = tuple(cell._style)
                sid = style_ids.get(key)
                if sid is None:  # the first cell of a look: openpyxl's lookup (adds it to the workbook)
                    sid = style_ids[key] = f"{cell.style_id}"
                head = f'<c r="{cell.coordinate}" s="{sid}" t="{t}">'
            else:
                head = f'<c r="{cell.coordinate}" t="{t}">'
            if value is None or value == "":
                out.append(head + "</c>")
            elif kind == "s":
                if not isinstance(value, str) or isinstance(value, CellRichText):
                    raise _Unusual()
                space = ' xml:space="preserve"' if value != value.strip() else ""
                out.append(f"{head}<is><t{space}>{_text(value)}</t></is></c>")
            else:
                out.append(f"{head}<v>{_text(safe_string(value))}</v></c>")
        out.append("</row>")
    out.append("</sheetData>")
    return "".join(out).encode("ascii")


class _SheetWriter(WorksheetWriter):
    def write_rows(self):
        if not FAST_ROWS:
            return super().write_rows()
        try:
            data = sheet_data(self)
        except _Unusual:
            return super().write_rows()
        xf = self.xf.send(True)
        xf.flush()  # what lxml has written so far is in self.out: the rows go after it
        self.out.write(data)
        self.xf.send(None)


def save_workbook(wb, buf, progress=None) -> None:
    """``wb.save(buf)`` (see the module docstring); ``progress(n + i, 2n)`` before each of the n sheets."""
    sheets = len(wb.worksheets)

    class Writer(ExcelWriter):
        def write_worksheet(self, ws):  # as ExcelWriter.write_worksheet, the sheet written in memory
            if progress is not None:
                progress(sheets + ws._id - 1, 2 * sheets)
            from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = _SheetWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.out.getvalue())
            self.manifest.append(ws)

    # as openpyxl.writer.excel.save_workbook
    archive = ZipFile(buf, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    Writer(wb, archive).save()
