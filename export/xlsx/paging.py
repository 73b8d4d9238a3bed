"""Where the printed pages of a sheet end: A4, fit to width, nothing cut or missing.

Excel, WPS and LibreOffice break a page wherever it is full; a merged label
running over the break is then printed half on each page (履职效能（30分）
cut in two) or only on the page its text happens to sit (管理效率 missing from
the next).  So the pages are planned here, row by row, from the heights the
sheet sets and the printable height at the sheet's zoom, and written as manual
breaks placed before the app would break by itself:

- a break goes between groups (merged labels) when the group fits on a page;
- a group taller than a page is split at the break: the writer merges each
  part on its own and writes the label again in the first row after the break;
- a block continued on the next page gets its column header printed again
  there (``Grid.column_heads``: the rows are inserted before the continuation);
- heading rows (``Grid.sections``, column headers, rows of header cells only)
  never end a page, and a 签章 block (rows whose 签章 cells hold text) stays on
  one page.

Each candidate break on a page is scored (the costs below, in pages left
empty) and the cheapest taken.  The title lines and the grid's header rows are
print titles, repeated on every page, so every page starts with the same
height used.  The zoom is the largest any app may use, so in most apps the
pages are a little less full than planned, never fuller.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..grid import Grid
from .layout import cell_height

MARGINS = dict(left=0.55, right=0.55, top=0.6, bottom=0.75, header=0.3, footer=0.35)  # inches
A4_PT = (595.3, 841.9)
SAFETY = 0.93  # share of the printable height planned for: row heights round to pixels, printers differ

# What a break costs, in pages left empty (the cheapest break on the page is taken).
FORBIDDEN = 300.0  # a heading or column header would end the page, or a 签章 block be split
CLIPPED = 30.0  # a part of a split label too short for the label's text
AVOIDABLE = 0.25  # a merged label split although its rows fit on one page
KEPT = 0.4  # a block continued on the next page although it fits on one page
SPLIT = 0.1  # a label taller than a page split (written again after the break)
CONTINUED = 0.1  # a block taller than a page continued (its column header printed again)
APART = 0.5  # a 签章 block put on a page without a row of the table it follows


def _scale(grid: Grid, widths: list[float]) -> float:
    """The fit-to-width zoom (never enlarging).  Pixels per width unit differ by app and font (Excel with
    宋体 about 8, LibreOffice with a Song look-alike about 9): take 7, a larger zoom than any of them, so
    that pages planned here are never too full for one of them."""
    paper_w = A4_PT[1] if grid.landscape else A4_PT[0]
    printable = paper_w - (MARGINS["left"] + MARGINS["right"]) * 72
    table = sum(w * 7 + 5 for w in widths) * 0.75  # column width → pixels → points
    return min(1.0, printable / table) if table else 1.0


def _page_capacity(grid: Grid, widths: list[float]) -> float:
    """Row height (points, unscaled) that fits on one page, with a safety margin for other apps' metrics."""
    paper_h = A4_PT[0] if grid.landscape else A4_PT[1]
    printable = paper_h - (MARGINS["top"] + MARGINS["bottom"]) * 72
    return printable / _scale(grid, widths) * SAFETY


@dataclass(frozen=True)
class Page:
    """One printed page below the print titles: ``rows`` are grid rows, then the notes (``len(grid.rows) + k``);
    ``repeat`` the rows of a column header printed again above them."""
    rows: range
    repeat: range = range(0)


def block_rows(grid: Grid, placed, head: range) -> range:
    """The rows a column header heads: from below it to the next heading, header or row across the whole
    table (a 签章 block); or, where a label of the header runs down beside the block (绩效指标), to that
    label's end."""
    ncols = len(grid.columns)
    starts = [s for s in sorted(set(grid.sections) | {h.start for h in grid.column_heads}) if s >= head.stop]
    end = starts[0] if starts else len(grid.rows)
    end = next((r for r in range(head.stop, end) if len(placed[r]) == 1 and placed[r][0][1].colspan == ncols), end)
    beside = max((r + c.rowspan for r in head for _, c in placed[r]), default=0)
    if beside > head.stop:
        end = min(end, beside)
    return range(head.stop, end)


def _block_heads(grid: Grid, placed, n: int) -> list[range | None]:
    """For each row (and note), the column header of the block it belongs to, if that header is not
    already a print title."""
    head_of: list[range | None] = [None] * n
    for h in grid.column_heads:
        if h.start >= grid.header_rows and h:
            for r in block_rows(grid, placed, h):
                head_of[r] = h
    return head_of


def _end_costs(grid: Grid, placed, n: int) -> list[float]:
    """What ending a page after each row (or note) costs by itself: headings, column headers and rows of
    header cells only head what follows them; a 签章 block (rows with a 签章 cell holding text: 评价组组长,
    意见 and 负责人（签章）) stays on one page, next to the table above it (rows with empty 签字 cells) if
    it can."""
    rows = len(grid.rows)
    out = [0.0] * n
    signed = [[c for _, c in row if c.style == "sign"] for row in placed] + [[]] * (n - rows)
    block = [any(c.text.strip() for c in cells) for cells in signed]
    for r in grid.sections:
        if r < n:
            out[r] = FORBIDDEN
    for h in grid.column_heads:
        for r in h:
            if r < n:
                out[r] = FORBIDDEN
    for r, row in enumerate(placed):
        if row and all(c.style == "header" for _, c in row) and r + 1 < rows:
            out[r] = FORBIDDEN
        if r + 1 < n and block[r + 1] and signed[r]:
            out[r] = max(out[r], FORBIDDEN if block[r] else APART)
    return out


def plan_pages(grid: Grid, placed, heights: list[float], note_heights: list[float],
               capacity: float, repeat: float) -> list[Page]:
    """The pages of a sheet.  ``heights``: of the grid rows; ``repeat``: of the print titles (title,
    subtitle and the grid's header rows); ``capacity``: what fits below the page's top margin, unscaled."""
    hs = list(heights) + list(note_heights)
    n = len(hs)
    first = min(grid.header_rows, len(grid.rows))
    if first >= n:
        return [Page(range(first, n))]
    pre = [0.0]
    for h in hs:
        pre.append(pre[-1] + h)

    def total(a: int, b: int) -> float:  # rows a … b - 1
        return pre[b] - pre[a]

    head_of = _block_heads(grid, placed, n)
    end_cost = _end_costs(grid, placed, n)
    spans = [(r, min(r + c.rowspan, len(grid.rows)) - 1, cell_height(grid, col, c))
             for r, row in enumerate(placed) if r >= first for col, c in row if c.rowspan > 1]

    block_end: dict[int, int] = {}  # column header start → the row after its block
    for r, h in enumerate(head_of):
        if h is not None:
            block_end[h.start] = r + 1

    def head_height(r: int) -> float:
        h = head_of[r]
        return total(h.start, h.stop) if h else 0.0

    def cost(b: int, s: int, used: float) -> float:
        """Breaking before row ``b`` on the page that starts at ``s``, with ``used`` points filled."""
        c = end_cost[b - 1]
        for r1, r2, need in spans:
            if r1 < b <= r2:
                before, after = total(max(r1, s), b), total(b, r2 + 1)
                if before < need or after < need:
                    c += CLIPPED
                fits = repeat + head_height(r1) + total(r1, r2 + 1) <= capacity
                c += AVOIDABLE if fits and r1 >= s else SPLIT
        h = head_of[b]
        if h is not None:  # the block goes on below its header printed again
            fits = h.start >= s and repeat + total(h.start, block_end[h.start]) <= capacity
            c += KEPT if fits else CONTINUED
        return c + max(0.0, capacity - used) / capacity

    # The notes under the table may fill the page to its margin: where an app's zoom is larger than
    # planned, it moves a note to the next page by itself, which cuts nothing.
    loose = capacity / SAFETY * 0.99
    rows = len(grid.rows)
    pages: list[Page] = []
    s = first
    while True:
        head = head_of[s] if pages and head_of[s] is not None else range(0)
        top = repeat + total(head.start, head.stop)
        e = s
        while e < n and top + total(s, e + 1) <= (capacity if e < rows else loose):
            e += 1
        if e >= n:
            pages.append(Page(range(s, n), head))
            return pages
        e = max(e, s + 1)  # a row taller than the page still goes somewhere
        b = min(range(s + 1, e + 1), key=lambda b: (cost(b, s, top + total(s, b)), -b))
        pages.append(Page(range(s, b), head))
        s = b
