"""Spreadsheets as plain grids: every importer reads .xlsx and .xls the same way.

``read_workbook(path)`` returns a list of ``Sheet``: rows of cell values where
numbers are ``Decimal`` (never float), text is ``str`` and empty cells are
``None``.  Merged ranges are resolved: every cell of a range carries the
top-left value (so a header spanning three columns names all three), and
``Sheet.is_copy(r, c)`` tells which cells got their value that way, so that a
number is never counted twice.

The file type is decided by its first bytes, not its name: clerks rename
files, and finance systems save web pages as “.xls”.  Anything that cannot be
read raises ``WorkbookError`` with a Chinese message that says what to do.
"""
from __future__ import annotations

import datetime
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

MAX_ROWS = 20000  # a 决算 table has a few hundred rows; styled blank rows can claim a million
MAX_COLS = 200

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookError(Exception):
    """A file that is not a readable workbook; str() is the message for the clerk."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]] = field(default_factory=list)
    copies: set[tuple[int, int]] = field(default_factory=set)  # cells filled from a merged range

    @property
    def nrows(self) -> int:
        return len(self.rows)

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def is_copy(self, r: int, c: int) -> bool:
        return (r, c) in self.copies


def column_letter(c: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def _number(value: float | int) -> Decimal:
    # repr() of a float is the shortest text that round-trips: 27274348.52, not 27274348.519999…
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return str(value)
        return _number(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    return rows


def _fill_merged(sheet: Sheet, ranges: list[tuple[int, int, int, int]]) -> None:
    """ranges: (first_row, last_row, first_col, last_col), inclusive, 0-based."""
    for r0, r1, c0, c1 in ranges:
        r1, c1 = min(r1, MAX_ROWS - 1), min(c1, MAX_COLS - 1)
        if r0 >= len(sheet.rows):
            continue
        top = sheet.value(r0, c0)
        if top is None:
            continue
        for r in range(r0, min(r1, len(sheet.rows) - 1) + 1):
            row = sheet.rows[r]
            for c in range(c0, c1 + 1):
                if (r, c) == (r0, c0):
                    continue
                if len(row) <= c:
                    row.extend([None] * (c + 1 - len(row)))
                row[c] = top
                sheet.copies.add((r, c))


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    # Not read_only: the read-only reader does not report merged ranges, which we need
    # to resolve headers.  Disclosure workbooks are small, so this costs little.
    try:
        with warnings.catch_warnings():  # “no default style” and similar chatter from odd writers
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except Exception as e:  # openpyxl raises many kinds for damaged files
        raise WorkbookError(
            f"“{path.name}”看起来是 Excel 工作簿，但无法读取（{type(e).__name__}）。"
            "请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入。"
        ) from None
    sheets = []
    try:
        for ws in wb.worksheets:
            sheet = Sheet(ws.title)
            max_row, max_col = min(ws.max_row or 0, MAX_ROWS), min(ws.max_column or 0, MAX_COLS)
            for row in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True):
                sheet.rows.append([_cell(v) for v in row])
            _trim(sheet.rows)
            _fill_merged(sheet, [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1)
                                 for m in ws.merged_cells.ranges])
            sheets.append(sheet)
    finally:
        wb.close()
    return sheets


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as e:
        text = str(e)
        hint = "文件可能已加密或已损坏" if "encrypt" in text.lower() else "文件可能已损坏，或不是 Excel 97-2003 格式"
        raise WorkbookError(
            f"无法读取“{path.name}”（{hint}）。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入。"
        ) from None
    sheets = []
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            sheet = Sheet(ws.name)
            for r in range(min(ws.nrows, MAX_ROWS)):
                row = []
                for c in range(min(ws.ncols, MAX_COLS)):
                    kind = ws.cell_type(r, c)
                    value = ws.cell_value(r, c)
                    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        row.append(None)
                    elif kind == xlrd.XL_CELL_ERROR:
                        row.append("#错误")
                    elif kind == xlrd.XL_CELL_BOOLEAN:
                        row.append(_cell(bool(value)))
                    else:
                        row.append(_cell(value))
                sheet.rows.append(row)
            _trim(sheet.rows)
            _fill_merged(sheet, [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells])
            sheets.append(sheet)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets


def read_workbook(path: str | Path) -> list[Sheet]:
    """All sheets of an .xlsx/.xlsm or .xls file as grids (see module doc)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except FileNotFoundError:
        raise WorkbookError(f"找不到文件“{path}”，请确认路径是否正确。") from None
    except IsADirectoryError:
        raise WorkbookError(f"“{path}”是文件夹，请选择决算表的 Excel 文件。") from None
    except OSError as e:
        raise WorkbookError(f"无法读取“{path}”：{e.strerror or e}。请检查文件权限。") from None
    if head.startswith(ZIP_MAGIC):
        if not zipfile.is_zipfile(path):
            raise WorkbookError(f"“{path.name}”已损坏（压缩包不完整），请重新从财政系统导出后再导入。")
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
        if "xl/workbook.xml" not in names:
            hint = "（这是 WPS/Word 等其他格式的文件）" if names else ""
            raise WorkbookError(
                f"“{path.name}”不是 Excel 工作簿{hint}。请选择财政决算系统导出的 .xlsx 或 .xls 文件。"
            )
        return _read_xlsx(path)
    if head.startswith(OLE_MAGIC):
        return _read_xls(path)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")) or b"<table" in lowered:
        raise WorkbookError(
            f"“{path.name}”其实是网页格式的表格（有些系统导出的 .xls 是网页）。"
            "请用 Excel 或 WPS 打开它，选择“另存为”→“Excel 工作簿（.xlsx）”，再导入另存的文件。"
        )
    raise WorkbookError(
        f"“{path.name}”不是 Excel 工作簿（.xlsx 或 .xls）。"
        "请选择财政决算系统导出的部门决算公开表格文件；如果是 PDF 或 Word 文件，无法导入。"
    )
