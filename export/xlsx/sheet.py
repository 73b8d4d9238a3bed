"""One grid written as one printable sheet: title rows, the table page by page, notes, print setup."""
from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak

from ..grid import Grid, positions
from .cells import (
    BODY_FONT,
    BODY_SIZE,
    NOTE_SIZE,
    TITLE_FONT,
    TITLE_SIZE,
    _Looks,
    _merged_alignment,
    _merged_font,
    numeric_value,
    set_text,
)
from .layout import _row_heights, lines_needed, row_height
from .paging import MARGINS, Page, _page_capacity, plan_pages

DRAFT_MARK = "（草稿：未评完）"


@dataclass
class SheetLayout:
    """What write_grid prints and where: the title lines, each grid row's height, the pages."""
    grid: Grid
    title: str
    subtitle: list[str]
    title_heights: list[float]  # the title row, then one per subtitle line
    placed: list
    heights: list[float]  # per grid row
    note_heights: list[float]
    pages: list[Page] = field(default_factory=list)

    def sequence(self) -> list[tuple[int, int]]:
        """(row, page) for every row below the title lines, top to bottom: the grid's header rows, then
        each page's repeated column header and its rows (grid rows, then notes as ``len(grid.rows) + k``)."""
        out = [(r, 0) for r in range(min(self.grid.header_rows, len(self.grid.rows)))]
        for p, page in enumerate(self.pages):
            out += [(r, p) for r in page.repeat]
            out += [(r, p) for r in page.rows]
        return out


def widths_of(grid: Grid) -> list[float]:
    """Column widths as written to the sheet."""
    return [round(w + 0.7, 2) for w in grid.columns]


def sheet_layout(grid: Grid, draft: bool = False) -> SheetLayout:
    """Where everything of ``grid`` goes on its sheet; ``draft`` adds 草稿（未评完） to the title."""
    width = sum(grid.columns)
    title = grid.title + (DRAFT_MARK if draft else "")
    subtitle = grid.subtitle.split("\n") if grid.subtitle else []
    title_heights = [row_height(lines_needed(title, width / 1.5), TITLE_SIZE) + 6]
    title_heights += [row_height(lines_needed(line, width)) for line in subtitle]
    placed = positions(grid)
    heights = [round(h, 1) for h in _row_heights(grid, placed)]
    note_heights = [row_height(lines_needed(note, width * BODY_SIZE / NOTE_SIZE), NOTE_SIZE) - 4
                    for note in grid.notes]
    lay = SheetLayout(grid, title, subtitle, title_heights, placed, heights, note_heights)
    repeat = sum(title_heights) + sum(heights[:grid.header_rows])
    lay.pages = plan_pages(grid, placed, heights, note_heights, _page_capacity(grid, widths_of(grid)), repeat)
    return lay


def _merged_row(ws, row: int, ncols: int, text: str, font: Font, horizontal: str, height: float) -> None:
    from . import _merge  # through the package: a test swaps it for openpyxl's own merge_cells

    cell = ws.cell(row=row, column=1)
    set_text(cell, text)
    cell.font = font
    cell.alignment = _merged_alignment(horizontal)
    if ncols > 1:
        _merge(ws, row, 1, row, ncols)
    ws.row_dimensions[row].height = height


def write_grid(ws, grid: Grid, looks: _Looks | None = None, draft: bool = False) -> SheetLayout:
    """Write ``grid`` on ``ws`` page by page (see paging); ``draft`` marks the title as 草稿（未评完）."""
    from . import _merge

    looks = looks or _Looks()
    lay = sheet_layout(grid, draft)
    ncols = len(grid.columns)
    for i, w in enumerate(widths_of(grid), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w

    _merged_row(ws, 1, ncols, lay.title, _merged_font(TITLE_FONT, TITLE_SIZE), "center", lay.title_heights[0])
    for k, line in enumerate(lay.subtitle):
        _merged_row(ws, 2 + k, ncols, line, _merged_font(BODY_FONT, BODY_SIZE),
                    "center" if k == 0 else "left", lay.title_heights[1 + k])
    top = 2 + len(lay.subtitle)

    # The cells covering each grid row; a cell is printed as one merged range per page it is on (a label
    # split by a page break is written again after it).
    n = len(grid.rows)
    covering: list[list] = [[] for _ in range(n)]
    for r, cells in enumerate(lay.placed):
        for col, cell in cells:
            for rr in range(r, min(n, r + cell.rowspan)):
                covering[rr].append((col, cell))
    rects: list[list] = []  # [first, last, col, cell] in sheet rows below the title lines
    current: dict[tuple[int, int], list] = {}
    sequence = lay.sequence()
    last_on_page: dict[int, int] = {}
    for i, (r, page) in enumerate(sequence):
        last_on_page[page] = i
        if r >= n:  # a note
            note = grid.notes[r - n]
            _merged_row(ws, top + i, ncols, note, _merged_font(BODY_FONT, NOTE_SIZE), "left",
                        lay.note_heights[r - n])
            continue
        ws.row_dimensions[top + i].height = lay.heights[r]
        for col, cell in covering[r]:
            rect = current.get((id(cell), page))
            if rect is not None and rect[1] == i - 1:
                rect[1] = i
            else:
                current[(id(cell), page)] = rect = [i, i, col, cell]
                rects.append(rect)

    for first, last, col, cell in rects:
        r1, c1 = top + first, col + 1
        r2, c2 = top + last, c1 + cell.colspan - 1
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

    ws.row_breaks = RowBreak()
    for page in range(len(lay.pages) - 1):
        ws.row_breaks.append(Break(id=top + last_on_page[page]))  # the break goes after this sheet row
    _page_setup(ws, grid, top)
    return lay


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
    # The title lines and the grid's header rows are printed at the top of every page.
    ws.print_title_rows = f"1:{top + min(grid.header_rows, len(grid.rows)) - 1}"
