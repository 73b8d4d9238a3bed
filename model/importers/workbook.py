"""Spreadsheets as plain grids: every importer reads .xlsx and .xls the same way.

``read_workbook(path)`` returns a list of ``Sheet``: rows of cell values where
numbers are ``Decimal`` (never float), text is ``str`` and empty cells are
``None``.  Merged ranges are resolved: every cell of a range carries the
top-left value (so a header spanning three columns names all three), and
``Sheet.is_copy(r, c)`` tells which cells got their value that way, so that a
number is never counted twice.  Hidden rows and columns are read like the
others and listed in ``Sheet.hidden_rows`` / ``hidden_cols``.

The file type is decided by its first bytes, not its name: clerks rename
files, and finance systems save web pages as “.xls”.  Anything that cannot be
read raises ``WorkbookError`` with a Chinese message that says what to do.

Limits, checked before the work (``check_xlsx`` / ``check_xls``; each refusal
names the limit).  The 决算公开 workbooks we know hold about 3,000 cells in
10 sheets (150 KB of sheet XML); the limits are a hundred times that or more,
and keep the worst workbook that passes them to a few seconds and a few
hundred MB:

* the file itself: at most ``MAX_FILE_MB`` MB on disk;
* .xlsx: the zip's declared uncompressed sizes (Python's zipfile never
  inflates past them): each member ≤ ``MAX_MEMBER_MB`` MB, all together ≤
  ``MAX_TOTAL_MB`` MB, at most ``MAX_MEMBERS`` members; then, streaming each
  XML member in 1 MB pieces and counting tags: shared strings ≤
  ``MAX_SHARED_STRINGS``, rows ≤ ``MAX_SHEET_ROWS`` per sheet, cells ≤
  ``MAX_CELLS`` in the workbook (empty styled cells too: they cost the same);
* .xls: the Workbook stream's BIFF records are walked before xlrd parses any
  of them — every record must fit its stream and be at most 8,224 bytes long,
  the SST's string count, and each sheet's rows (``ROW`` records and cell rows)
  and cells (``MULRK`` counts each cell) get the same limits, except that
  styled blank cells (``BLANK``/``MULBLANK``) have their own, larger limit
  ``MAX_BLANK_CELLS``: xlrd keeps them in a few bytes each;
* a cell's text is cut to ``MAX_CELL_TEXT`` characters (a 决算 label is a few
  dozen), so a huge shared string used by many cells costs nothing downstream.

Columns are not refused: workbooks converted from .xls often carry styled blank
cells to column IV (256); the cell limit bounds their cost, and columns past
``MAX_COLS`` are not read (as rows past ``MAX_ROWS``).
"""
from __future__ import annotations

import datetime
import io
import os
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

MAX_ROWS = 20000  # a 决算 table has a few hundred rows; styled blank rows can claim a million
MAX_COLS = 200
# limits checked before reading (module doc): a refusal, not a cut
MAX_FILE_MB = 50
MAX_MEMBER_MB = 64
MAX_TOTAL_MB = 200
MAX_MEMBERS = 10_000
MAX_SHARED_STRINGS = 200_000
MAX_SHEET_ROWS = 100_000
MAX_CELLS = 300_000
MAX_BLANK_CELLS = 5_000_000  # .xls only: xlrd keeps a styled blank cell in a few bytes (3 million: 1 s, 84 MB)
MAX_CELL_TEXT = 256  # characters kept of a cell's text (a 决算 label or title is a few dozen)
_CHUNK = 1 << 20

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookError(Exception):
    """A file that is not a readable workbook; str() is the message for the clerk."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]] = field(default_factory=list)
    copies: set[tuple[int, int]] = field(default_factory=set)  # cells filled from a merged range
    # hidden rows and columns (0-based): their cells are read like any other; importers may say so
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    # decimals a number cell's format prints ("#,##0.00" → 2), where the format says: 2.10 is stored as 2.1
    places: dict[tuple[int, int], int] = field(default_factory=dict)

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
    if len(text) > MAX_CELL_TEXT:
        text = text[:MAX_CELL_TEXT]
    return text if text.strip() else None


_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def format_places(fmt: str | None) -> int | None:
    """Decimals a number format prints: "#,##0.00" → 2, "0" → 0; None for General, text, % and dates."""
    if not fmt or fmt.lower() == "general" or fmt == "@":
        return None
    section = _FORMAT_LITERALS.sub("", fmt.split(";")[0])
    if "%" in section or any(ch in section.lower() for ch in "ymdhs") or not re.search("[0#?]", section):
        return None
    m = re.search(r"\.([0#?]+)", section)
    return len(m.group(1)) if m else 0


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


# ---------------------------------------------------------------- limits, checked before the work

def _refuse(name: str, what: str, advice: str = "") -> WorkbookError:
    advice = advice or ("这不像是部门决算公开表，可能已损坏或是特意构造的文件。"
                        "请确认选择的文件，或从财政决算系统重新导出后再导入。")
    return WorkbookError(f"“{name}”{what}，未读取。{advice}")


_ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")  # also <x:row> of writers that prefix the namespace
_CELL_TAGS = (b"<c ", b"<c>", b":c ", b":c>")
_STRING_TAGS = (b"<si>", b"<si ", b":si>", b":si ")
# merged ranges and hyperlinks: openpyxl makes one object per cell they cover
_AREA = re.compile(rb'<(?:\w+:)?(?:mergeCell|hyperlink)\b[^>]*?\sref="([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?"')
_TAIL = 512  # bytes carried from one piece to the next (longer than any tag or ref we look for)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _area(m: re.Match) -> int:
    c1, r1 = _column_number(m.group(1)), int(m.group(2))
    if m.group(3) is None:
        return 1
    c2, r2 = _column_number(m.group(3)), int(m.group(4))
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """Member path → sheet title (from workbook.xml and its rels), for messages; {} when unclear."""
    try:
        if z.getinfo("xl/workbook.xml").file_size > _CHUNK or z.getinfo("xl/_rels/workbook.xml.rels").file_size > _CHUNK:
            return {}
        book = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile, ValueError, EOFError):
        return {}
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid, target = re.search(r'\bId="([^"]*)"', tag), re.search(r'\bTarget="([^"]*)"', tag)
        if rid and target:
            path = target.group(1).lstrip("/") if target.group(1).startswith("/") else f"xl/{target.group(1)}"
            targets[rid.group(1)] = os.path.normpath(path).replace("\\", "/")
    names = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        title, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\bid="([^"]*)"', tag)
        if title and rid and rid.group(1) in targets:
            names[targets[rid.group(1)]] = title.group(1)
    return names


def check_xlsx(z: zipfile.ZipFile, name: str) -> None:
    """Refuse an .xlsx past the limits (module doc) from its zip directory and one streaming pass, before openpyxl."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(name, f"由 {len(infos):,} 个部分组成，超过上限 {MAX_MEMBERS:,}")
    total = 0
    for info in infos:
        if info.file_size > MAX_MEMBER_MB * 2**20:
            raise _refuse(name, f"中的“{info.filename}”解压后有 {info.file_size / 2**20:,.0f} MB，"
                                f"超过每个部分 {MAX_MEMBER_MB} MB 的上限")
        total += info.file_size
    if total > MAX_TOTAL_MB * 2**20:
        raise _refuse(name, f"解压后共有 {total / 2**20:,.0f} MB，超过 {MAX_TOTAL_MB} MB 的上限")
    titles = None
    cells = strings = area = 0
    for info in infos:
        if not info.filename.lower().endswith(".xml") or info.file_size == 0:
            continue
        rows = 0
        tail = b""
        with z.open(info) as fh:
            while True:
                piece = fh.read(_CHUNK)
                if not piece:
                    break
                data = tail + piece
                rows += sum(data.count(t) - tail.count(t) for t in _ROW_TAGS)
                cells += sum(data.count(t) - tail.count(t) for t in _CELL_TAGS)
                strings += sum(data.count(t) - tail.count(t) for t in _STRING_TAGS)
                if b"ref=" in data:
                    area += sum(_area(m) for m in _AREA.finditer(data) if m.end() > len(tail))
                tail = data[-_TAIL:]
                if rows > MAX_SHEET_ROWS:
                    titles = _sheet_names(z) if titles is None else titles
                    sheet = titles.get(info.filename)
                    where = f"的工作表“{sheet}”" if sheet else f"中的“{info.filename}”"
                    raise _refuse(name, f"{where}有超过 {MAX_SHEET_ROWS:,} 行（部门决算公开表只有几百行）",
                                  "如果表下方有大量设置了格式的空行，请在 Excel 或 WPS 中删除这些空行后另存，再导入。")
                if strings > MAX_SHARED_STRINGS:
                    raise _refuse(name, f"有超过 {MAX_SHARED_STRINGS:,} 个不同的文字（部门决算公开表一般只有几千个）")
                if cells + area > MAX_CELLS:
                    raise _refuse(name, f"有超过 {MAX_CELLS:,} 个单元格（含合并单元格和设置了格式的空白单元格；"
                                        "部门决算公开表一般只有几千个）",
                                  "请只保留部门决算公开表所在的工作表，删除大片设置了格式的空白区域或合并区域后另存，再导入。")


# BIFF record types (Microsoft's [MS-XLS]) the .xls check looks at
_BOF, _EOF, _BOUNDSHEET, _SST, _ROW = 0x0809, 0x000A, 0x0085, 0x00FC, 0x0208
_ONE_CELL = {0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00D6}  # NUMBER LABEL BOOLERR RK LABELSST FORMULA RSTRING
_BLANK, _MULRK, _MULBLANK = 0x0201, 0x00BD, 0x00BE
_MAX_RECORD = 8224  # BIFF8's longest record body


def check_xls(data: bytes, name: str) -> None:
    """Refuse an .xls past the limits by walking its BIFF records (no parsing of their content) before xlrd does."""
    from xlrd import compdoc

    try:
        doc = compdoc.CompDoc(data, logfile=io.StringIO())
        for qname in ("Workbook", "Book"):
            mem, base, size = doc.locate_named_stream(qname)
            if mem:
                break
        else:
            return  # xlrd says what is wrong
    except Exception:  # a damaged container: xlrd's own error message follows
        return
    end = min(base + size, len(mem))
    damaged = _refuse(name, "的内部记录长度不对，文件已损坏",
                      "请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入，或从财政决算系统重新导出。")

    def records(pos: int):
        while pos + 4 <= end:
            kind, length = struct.unpack_from("<HH", mem, pos)
            if length > _MAX_RECORD or pos + 4 + length > end:
                raise damaged
            yield kind, pos + 4, length
            pos += 4 + length

    offsets: list[int] = []
    for kind, at, length in records(base):
        if kind == _BOUNDSHEET and length >= 4:
            offsets.append(struct.unpack_from("<I", mem, at)[0])
        elif kind == _SST and length >= 8:
            unique = struct.unpack_from("<I", mem, at + 4)[0]
            if unique > MAX_SHARED_STRINGS:
                raise _refuse(name, f"有 {unique:,} 个不同的文字，超过上限 {MAX_SHARED_STRINGS:,}（部门决算公开表一般只有几千个）")
        elif kind == _EOF:
            break
    cells = blanks = 0
    for offset in offsets or [0]:  # BIFF2–4: the stream is the one sheet
        depth, last_row = 0, -1
        for kind, at, length in records(base + offset):
            if kind == _BOF:
                depth += 1
            elif kind == _EOF:
                depth -= 1
                if depth <= 0:
                    break
            elif kind in _ONE_CELL or kind in (_ROW, _BLANK):
                if length >= 2:
                    last_row = max(last_row, struct.unpack_from("<H", mem, at)[0])
                cells += kind in _ONE_CELL
                blanks += kind == _BLANK
            elif kind == _MULRK and length >= 6:
                last_row = max(last_row, struct.unpack_from("<H", mem, at)[0])
                cells += (length - 6) // 6
            elif kind == _MULBLANK and length >= 6:
                last_row = max(last_row, struct.unpack_from("<H", mem, at)[0])
                blanks += (length - 6) // 2
            if last_row >= MAX_SHEET_ROWS:
                raise _refuse(name, f"有工作表超过 {MAX_SHEET_ROWS:,} 行（部门决算公开表只有几百行）")
            if cells > MAX_CELLS or blanks > MAX_BLANK_CELLS:
                what = (f"有超过 {MAX_CELLS:,} 个填了内容的单元格" if cells > MAX_CELLS
                        else f"有超过 {MAX_BLANK_CELLS:,} 个设置了格式的空白单元格")
                raise _refuse(name, f"{what}（部门决算公开表一般只有几千个单元格）",
                              "请只保留部门决算公开表所在的工作表，删除大片设置了格式的空白区域后另存，再导入。")


# ---------------------------------------------------------------- reading

def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    # Not read_only: the read-only reader does not report merged ranges, which we need
    # to resolve headers.  Disclosure workbooks are small, so this costs little (check_xlsx
    # has refused the ones that are not).
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
            # the cells that exist, not the rectangle up to the farthest one: ws.iter_rows would make a
            # Cell for every empty position (two cells at A20000 and GR1 made four million)
            grid: dict[int, dict[int, Any]] = {}
            for (r, c), cell in getattr(ws, "_cells", {}).items():
                if r <= MAX_ROWS and c <= MAX_COLS and cell.value is not None:
                    grid.setdefault(r, {})[c] = cell.value
                    if isinstance(cell.value, (int, float)):
                        places = format_places(cell.number_format)
                        if places is not None:
                            sheet.places[(r - 1, c - 1)] = places
            for r in range(1, max(grid, default=0) + 1):
                values = grid.get(r, {})
                row = [None] * max(values, default=0)
                for c, v in values.items():
                    row[c - 1] = _cell(v)
                sheet.rows.append(row)
            _trim(sheet.rows)
            _fill_merged(sheet, [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1)
                                 for m in ws.merged_cells.ranges])
            sheet.hidden_rows = {r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden and r <= MAX_ROWS}
            for dim in ws.column_dimensions.values():  # one entry may stand for a run of columns (min..max)
                if dim.hidden and dim.min:
                    sheet.hidden_cols.update(range(dim.min - 1, min(dim.max or dim.min, MAX_COLS)))
            sheets.append(sheet)
    finally:
        wb.close()
    return sheets


def _read_xls(path: Path, data: bytes) -> list[Sheet]:
    import xlrd

    try:
        # ragged rows: a row holds its own cells, not the widest row's count (a styled cell in column IV
        # would otherwise pad every row to 256)
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, ragged_rows=True,
                                  logfile=io.StringIO())
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
                for c in range(min(ws.row_len(r), MAX_COLS)):
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
                        if kind == xlrd.XL_CELL_NUMBER:
                            places = _xls_places(book, ws, r, c)
                            if places is not None:
                                sheet.places[(r, c)] = places
                sheet.rows.append(row)
            _trim(sheet.rows)
            _fill_merged(sheet, [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells])
            sheet.hidden_rows = {r for r, info in ws.rowinfo_map.items() if info.hidden and r < MAX_ROWS}
            sheet.hidden_cols = {c for c, info in ws.colinfo_map.items() if info.hidden and c < MAX_COLS}
            sheets.append(sheet)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets


def _xls_places(book, ws, r: int, c: int) -> int | None:
    try:
        fmt = book.format_map[book.xf_list[ws.cell_xf_index(r, c)].format_key].format_str
    except (IndexError, KeyError, AttributeError):
        return None
    return format_places(fmt)


def _zip_entries(path: Path) -> int:
    """The entry count the zip's end record declares (0 when it cannot be found: zipfile then says what is wrong)."""
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 65557))  # the end record (22 bytes) and the longest comment
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return 0
    return struct.unpack_from("<H", tail, at + 10)[0]


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
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        size = path.stat().st_size
        if size > MAX_FILE_MB * 2**20:
            raise _refuse(path.name, f"有 {size / 2**20:,.1f} MB，超过可导入的决算工作簿上限 {MAX_FILE_MB} MB"
                                     "（部门决算公开表一般不到 1 MB）",
                          "请确认选择的是部门决算公开表；如果表中插入了图片，请删除图片后另存，再导入。")
    if head.startswith(ZIP_MAGIC):
        if not zipfile.is_zipfile(path):
            raise WorkbookError(f"“{path.name}”已损坏（压缩包不完整），请重新从财政系统导出后再导入。")
        entries = _zip_entries(path)
        if entries > MAX_MEMBERS:  # before zipfile reads a directory entry for each
            raise _refuse(path.name, f"由 {entries:,} 个部分组成，超过上限 {MAX_MEMBERS:,}")
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                if "xl/workbook.xml" in names:
                    check_xlsx(z, path.name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise WorkbookError(f"“{path.name}”已损坏（压缩包内容不完整），请重新从财政系统导出后再导入。") from None
        if "xl/workbook.xml" not in names:
            hint = "（这是 WPS/Word 等其他格式的文件）" if names else ""
            raise WorkbookError(
                f"“{path.name}”不是 Excel 工作簿{hint}。请选择财政决算系统导出的 .xlsx 或 .xls 文件。"
            )
        return _read_xlsx(path)
    if head.startswith(OLE_MAGIC):
        try:
            data = path.read_bytes()
        except OSError as e:
            raise WorkbookError(f"无法读取“{path}”：{e.strerror or e}。请检查文件权限。") from None
        check_xls(data, path.name)
        return _read_xls(path, data)
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
