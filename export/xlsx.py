"""The official tables as an Excel workbook: one sheet per grid (see ``export.forms``).

Looks like the printed forms: 黑体 title merged across the table, 宋体 body,
thin borders on every cell of every merged range (each cell is styled — Excel
and LibreOffice lose the right/bottom edges otherwise), wrapped text with row
heights estimated from the text (LibreOffice does not auto-fit), A4 with
fit-to-width, repeated header rows and a 第 X 页 共 Y 页 footer.

Money, scores and rates are written as numbers with number formats; a score
set by hand keeps its number and shows a ``*`` through the format.  Every
other string is written as text (``t="inlineStr"``), never as a formula, so a
name like ``=1+1`` or ``@SUM(A1)`` stays what the clerk typed.
"""
from __future__ import annotations

import io
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak

from model.report import Report
from model.scoring import ScoreResult
from model.templates import Template

from .forms import grids_for
from .gcpause import collector_paused
from .grid import Cell, Grid, positions

BODY_FONT, TITLE_FONT = "宋体", "黑体"
BODY_SIZE, TITLE_SIZE, NOTE_SIZE = 10.5, 16, 9.5
GB2312 = 134  # font charset, so Excel/WPS pick the East Asian face
LINE_PT = {BODY_SIZE: 13.8, NOTE_SIZE: 12.5, TITLE_SIZE: 24.0}  # line height per font size
MIN_ROW_PT = 21.0
MDW = 8  # maximum digit width in pixels of the default font (宋体 11), which sets what a column width means
MAX_ROW_PT = 409.0  # Excel's limit
FORMULA_START = ("=", "+", "-", "@")

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {"money": "#,##0.00", "score": "0.00", "percent": "0.00%", "number": "General"}
NUMERIC_STYLES = tuple(FORMATS)
_NUMBER_TEXT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")


# ---------------------------------------------------------------- values

def clean_text(text: str) -> str:
    """Text openpyxl can store: control characters (illegal in XML) removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def numeric_value(cell: Cell):
    """(Decimal, number format) for a money/score/percent/number cell whose text is a number, else None."""
    if cell.style not in NUMERIC_STYLES:
        return None
    text = cell.text.strip()
    marked = text.endswith("*")
    text = text.rstrip("*").strip()
    percent = cell.style == "percent"
    if percent:
        if not text.endswith("%"):
            return None
        text = text[:-1]
    if not _NUMBER_TEXT.match(text):
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        return None
    fmt = FORMATS[cell.style]
    if percent:
        value = value / 100
    elif cell.style == "number" and value == value.to_integral_value():
        value = int(value)
    if marked:
        fmt = ("0.00" if fmt == "General" else fmt) + '"*"'
    return value, fmt


def set_text(ws_cell, text: str) -> None:
    """Store a string as text, never as a formula (formula injection)."""
    text = clean_text(text)
    ws_cell.value = text
    ws_cell.data_type = "s"
    if text.startswith(FORMULA_START):
        ws_cell.quotePrefix = True


# ---------------------------------------------------------------- layout

def _font(cell: Cell) -> Font:
    return _font_for(cell.style)


def _alignment(cell: Cell) -> Alignment:
    return _alignment_for(cell.style, cell.align)


# One Font / Alignment object per look, made once per process: openpyxl compares style objects by value,
# so sharing them changes nothing in the file, and a big report has thousands of cells but a dozen looks.
@lru_cache(maxsize=None)
def _font_for(style: str) -> Font:
    if style == "title":
        return Font(name=TITLE_FONT, size=TITLE_SIZE, charset=GB2312)
    return Font(name=BODY_FONT, size=BODY_SIZE, bold=style == "header", charset=GB2312)


@lru_cache(maxsize=None)
def _alignment_for(style: str, align: str) -> Alignment:
    horizontal = align or {
        "header": "center", "title": "center", "money": "right", "number": "center",
        "score": "center", "percent": "center", "sign": "left",
    }.get(style, "left")
    vertical = "top" if style == "sign" else "center"
    indent = 1 if horizontal == "right" else 0
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=True, indent=indent)


@lru_cache(maxsize=None)
def _merged_font(name: str, size: float) -> Font:
    return Font(name=name, size=size, charset=GB2312)


@lru_cache(maxsize=None)
def _merged_alignment(horizontal: str) -> Alignment:
    return Alignment(horizontal=horizontal, vertical="center", wrap_text=True)


class _Looks:
    """The style ids of each distinct cell look of one workbook, worked out once.

    Assigning ``cell.font`` (or border, alignment) makes openpyxl hash the
    style object and look it up in the workbook's list on every assignment;
    for a 50-project report that was most of the export's time.  The first
    cell with a given look is styled through that API, exactly as before (so
    the workbook's font/border/alignment lists fill in the same order and the
    file is the same); later cells with the same look copy its style ids.
    """

    def __init__(self):
        self._arrays: dict[tuple, StyleArray] = {}

    def apply(self, ws_cell, cell: Cell, number_format: str | None = None) -> None:
        key = (cell.style, cell.align, number_format, bool(ws_cell.quotePrefix))
        array = self._arrays.get(key)
        if array is not None:
            ws_cell._style = StyleArray(array)
            return
        if number_format is not None:
            ws_cell.number_format = number_format
        ws_cell.border = BORDER
        ws_cell.font = _font(cell)
        ws_cell.alignment = _alignment(cell)
        self._arrays[key] = StyleArray(ws_cell._style)


def _merge(ws, r1: int, c1: int, r2: int, c2: int) -> None:
    """``ws.merge_cells`` without its ``MergedCellRange.format()`` pass.

    That pass copies the top-left cell's borders and protection onto the
    other cells of the range, which is needed only when they are not styled
    themselves; here every cell of the range gets border, font and alignment
    right after (see write_grid), and the protection it copies is the
    default.  It was a fifth of the export's time on a big report.
    """
    coord = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
    mcr = MergedCellRange(ws, coord)
    # straight into the set: MultiCellRange.add first compares the range with every range already
    # merged (quadratic), and a grid's ranges never overlap
    ws.merged_cells.ranges.add(mcr)
    cells = mcr.cells
    next(cells)  # the top-left cell keeps its value
    for row, col in cells:
        ws._cells[row, col] = MergedCell(ws, row, col)


@lru_cache(maxsize=4096)
def lines_needed(text: str, width_chars: float) -> int:
    """Wrapped line count of ``text`` in a cell ``width_chars`` wide (full-width characters count 2)."""
    # A column w characters wide is about 8w + 5 pixels (the workbook's default font is 宋体 11, whose digits
    # are 8 px at 96 dpi); at 10.5 pt a half-width character takes 7 px and a CJK one 14 px.
    # Cached: a big report repeats the same texts (合格, 提高, headers) in column after column.
    usable = max(2.0, (width_chars * MDW + 1) / 7 * 0.92 - 1.0)
    return sum(max(1, math.ceil(print_width(line) / usable)) for line in (text or "").split("\n"))


def print_width(text: str) -> int:
    """Like grid.text_width, but East Asian ambiguous characters (①、“”、≥、×) count 2 as CJK fonts draw them."""
    return sum(map(_char_width, text))


@lru_cache(maxsize=None)
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def row_height(lines: int, size: float = BODY_SIZE) -> float:
    return min(MAX_ROW_PT, max(MIN_ROW_PT, lines * LINE_PT.get(size, size * 1.4) + 6))


def _row_heights(grid: Grid, placed) -> list[float]:
    heights = [MIN_ROW_PT] * len(grid.rows)
    spanning = []
    for r, row in enumerate(placed):
        for col, cell in row:
            width = sum(grid.columns[col:col + cell.colspan])
            need = row_height(lines_needed(cell.text, width))
            if cell.rowspan == 1:
                heights[r] = max(heights[r], need)
            else:
                spanning.append((r, cell.rowspan, need))
    for r, span, need in spanning:  # a tall merged cell shares its extra height among its rows
        rows = range(r, min(r + span, len(heights)))
        have = sum(heights[i] for i in rows)
        if need > have:
            extra = (need - have) / len(rows)
            for i in rows:
                heights[i] = min(MAX_ROW_PT, heights[i] + extra)
    return heights


def sheet_name(grid: Grid, report: Report, taken: set[str]) -> str:
    """Unique, ≤31 characters, none of []:*?/\\ — from the grid title; projects as 项目1-名称."""
    base = grid.title
    if grid.key.startswith("project_self_eval."):
        i = int(grid.key.split(".")[1])
        name = report.projects[i].name.strip() if i < len(report.projects) else ""
        base = f"项目{i + 1}-{name}" if name else f"项目{i + 1}"
    base = _SHEET_ILLEGAL.sub("_", clean_text(base)).strip().strip("'") or "Sheet"
    name, n = base[:31], 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


# ---------------------------------------------------------------- page breaks

MARGINS = dict(left=0.55, right=0.55, top=0.6, bottom=0.75, header=0.3, footer=0.35)  # inches
A4_PT = (595.3, 841.9)


def _scale(grid: Grid, widths: list[float]) -> float:
    """The fit-to-width zoom (never enlarging).  Pixels per width unit differ by app and font (Excel with
    宋体 about 8, LibreOffice with a Song look-alike about 7): take 7, the larger zoom, so that pages
    planned here are never too full for either."""
    paper_w = A4_PT[1] if grid.landscape else A4_PT[0]
    printable = paper_w - (MARGINS["left"] + MARGINS["right"]) * 72
    table = sum(w * 7 + 5 for w in widths) * 0.75  # column width → pixels → points
    return min(1.0, printable / table) if table else 1.0


def _page_capacity(grid: Grid, widths: list[float]) -> float:
    """Row height (points, unscaled) that fits on one page, with a safety margin for other apps' metrics."""
    paper_h = A4_PT[0] if grid.landscape else A4_PT[1]
    printable = paper_h - (MARGINS["top"] + MARGINS["bottom"]) * 72
    return printable / _scale(grid, widths) * 0.93


def _blocks(grid: Grid, placed, heights: list[float], capacity: float) -> list[range]:
    """Runs of rows to keep on one page: rows tied by a (not too tall) merged cell, and heading rows
    tied to the row after them."""
    n = len(grid.rows)
    glue = [False] * n  # glue[r]: row r must stay with row r + 1
    for r, row in enumerate(placed):
        for _, cell in row:
            span = range(r, min(n, r + cell.rowspan))
            if cell.rowspan > 1 and sum(heights[i] for i in span) <= capacity * 0.4:
                for i in span[:-1]:
                    glue[i] = True
        if row and all(cell.style == "header" for _, cell in row) and r + 1 < n:
            glue[r] = True
    out, start = [], 0
    for r in range(n):
        if not glue[r] or r == n - 1:
            out.append(range(start, r + 1))
            start = r + 1
    return out


def page_breaks(grid: Grid, placed, heights: list[float], widths: list[float], first_page_used: float) -> list[int]:
    """Grid row indices before which a new page starts, so that no block is split when it can be helped."""
    capacity = _page_capacity(grid, widths)
    repeat = sum(heights[:grid.header_rows])
    used, breaks = first_page_used, []
    for block in _blocks(grid, placed, heights, capacity):
        h = sum(heights[i] for i in block)
        if used + h > capacity and used > (repeat if breaks else first_page_used):
            breaks.append(block.start)
            used = repeat
        used += h
        while used > capacity:  # a block taller than a page: the app breaks it inside
            used -= capacity - repeat
    return breaks


def _merged_row(ws, row: int, ncols: int, text: str, font: Font, horizontal: str, height: float) -> None:
    cell = ws.cell(row=row, column=1)
    set_text(cell, text)
    cell.font = font
    cell.alignment = _merged_alignment(horizontal)
    if ncols > 1:
        _merge(ws, row, 1, row, ncols)
    ws.row_dimensions[row].height = height


def write_grid(ws, grid: Grid, looks: _Looks | None = None) -> None:
    looks = looks or _Looks()
    ncols = len(grid.columns)
    width = sum(grid.columns)
    for i, w in enumerate(grid.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = round(w + 0.7, 2)

    row = 1
    _merged_row(ws, row, ncols, grid.title, _merged_font(TITLE_FONT, TITLE_SIZE),
                "center", row_height(lines_needed(grid.title, width / 1.5), TITLE_SIZE) + 6)
    row += 1
    for k, line in enumerate(grid.subtitle.split("\n") if grid.subtitle else []):
        _merged_row(ws, row, ncols, line, _merged_font(BODY_FONT, BODY_SIZE),
                    "center" if k == 0 else "left", row_height(lines_needed(line, width)))
        row += 1

    top = row
    placed = positions(grid)
    heights = _row_heights(grid, placed)
    for r, (cells, height) in enumerate(zip(placed, heights)):
        ws.row_dimensions[top + r].height = round(height, 1)
        for col, cell in cells:
            r1, c1 = top + r, col + 1
            r2, c2 = r1 + cell.rowspan - 1, c1 + cell.colspan - 1
            target = ws.cell(row=r1, column=c1)
            number = numeric_value(cell)
            number_format = None
            if number is not None:
                target.value, number_format = number
            elif cell.text:
                set_text(target, cell.text)
            if r2 > r1 or c2 > c1:
                _merge(ws, r1, c1, r2, c2)
            looks.apply(target, cell, number_format)
            # every cell of the range gets the border (and the look), not only the top-left one
            for rr in range(r1, r2 + 1):
                for cc in range(c1, c2 + 1):
                    if rr != r1 or cc != c1:
                        looks.apply(ws.cell(row=rr, column=cc), cell)
    bottom = top + len(grid.rows) - 1
    row = bottom + 1

    title_used = sum(ws.row_dimensions[i].height or MIN_ROW_PT for i in range(1, top))
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, ncols + 1)]
    ws.row_breaks = RowBreak()
    for r in page_breaks(grid, placed, heights, widths, title_used):
        ws.row_breaks.append(Break(id=top + r - 1))  # the break goes after this sheet row

    for note in grid.notes:
        _merged_row(ws, row, ncols, note, _merged_font(BODY_FONT, NOTE_SIZE), "left",
                    row_height(lines_needed(note, width * BODY_SIZE / NOTE_SIZE), NOTE_SIZE) - 4)
        row += 1

    _page_setup(ws, grid, top)


def _page_setup(ws, grid: Grid, top: int) -> None:
    ws.sheet_view.showGridLines = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(**MARGINS)
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9
    ws.oddFooter.center.font = BODY_FONT
    if grid.header_rows:
        ws.print_title_rows = f"{top}:{top + grid.header_rows - 1}"


# ---------------------------------------------------------------- entry point

def build_workbook(report: Report, tpl: Template, result: ScoreResult) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    # The default (Normal) font is what column widths are measured in: 宋体, as in Chinese Excel/WPS,
    # not Calibri (which LibreOffice on Linux replaces by a wider face).
    wb._fonts = IndexedList([Font(name=BODY_FONT, size=11, charset=GB2312, family=3)])
    taken: set[str] = set()
    grids = grids_for(report, tpl, result)
    looks = _Looks()  # style ids belong to the workbook: shared by its sheets, never by two workbooks
    for grid in grids:
        write_grid(wb.create_sheet(sheet_name(grid, report, taken)), grid, looks)
    if not grids:  # a workbook needs a sheet; say why it is empty
        ws = wb.create_sheet("说明")
        set_text(ws.cell(row=1, column=1), "本模板没有需要导出的表格。")
    wb.properties.creator = "绩效自评填报助手"
    wb.properties.title = clean_text(f"{report.basic.department} {report.fiscal_year}年度 {tpl.form_title or tpl.title}")
    return wb


@collector_paused()
def build_xlsx(report: Report, tpl: Template, result: ScoreResult) -> bytes:
    """The workbook of the template's official tables, as .xlsx bytes."""
    buf = io.BytesIO()
    build_workbook(report, tpl, result).save(buf)
    return buf.getvalue()
