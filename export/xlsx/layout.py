"""Row heights estimated from the text (LibreOffice does not auto-fit wrapped rows), and sheet names."""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from model.report import Report

from ..grid import Grid
from .cells import BODY_SIZE, NOTE_SIZE, TITLE_SIZE, clean_text

LINE_PT = {BODY_SIZE: 13.8, NOTE_SIZE: 12.5, TITLE_SIZE: 24.0}  # line height per font size
MIN_ROW_PT = 21.0
MDW = 8  # maximum digit width in pixels of the default font (宋体 11), which sets what a column width means
MAX_ROW_PT = 409.0  # Excel's limit
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")


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


def cell_height(grid: Grid, col: int, cell) -> float:
    """Height (points) the text of ``cell`` placed at ``col`` needs."""
    return row_height(lines_needed(cell.text, sum(grid.columns[col:col + cell.colspan])))


def _row_heights(grid: Grid, placed) -> list[float]:
    heights = [MIN_ROW_PT] * len(grid.rows)
    spanning = []
    for r, row in enumerate(placed):
        for col, cell in row:
            need = cell_height(grid, col, cell)
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
