"""Cell values and looks: numbers with number formats, text never a formula, fonts, borders, merges."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange

from ..grid import Cell

BODY_FONT, TITLE_FONT = "宋体", "黑体"
BODY_SIZE, TITLE_SIZE, NOTE_SIZE = 10.5, 16, 9.5
GB2312 = 134  # font charset, so Excel/WPS pick the East Asian face
FORMULA_START = ("=", "+", "-", "@")

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {"money": "#,##0.00", "score": "0.00", "percent": "0.00%", "number": "General"}
NUMERIC_STYLES = tuple(FORMATS)
_NUMBER_TEXT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


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


# ---------------------------------------------------------------- looks

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
