"""The official tables as neutral grids, rendered alike by xlsx.py and pdf.py.

A Grid is laid out like an HTML table: each row lists its cells left to right;
a cell spanning rows occupies the positions below it, which the following rows
skip.  Writers place cells with ``positions(grid)`` so spans mean the same in
Excel and in the PDF.
"""
from __future__ import annotations

from dataclasses import dataclass, field



@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    style: str = "text"  # title / header / label / text / sign, or header (bold-ish, centred), label (left, 黑体-free), money/number/score/percent (right)
    align: str = ""  # left / center / right; empty = by style


@dataclass
class Grid:
    key: str  # stable id, also the sheet name stem
    title: str  # printed above the table (黑体)
    columns: list[float]  # column widths in characters (a CJK character counts 2)
    rows: list[list[Cell]] = field(default_factory=list)
    subtitle: str = ""  # a line under the title: 年度, 金额单位, 单位名称
    header_rows: int = 0  # rows repeated at the top of each printed page
    landscape: bool = False
    notes: list[str] = field(default_factory=list)  # footnotes printed under the table
    # Rows that head what follows them, for printing: a page never ends with one of them.
    # ``sections``: a heading row (二、部门（单位）收支情况); ``column_heads``: the column header of
    # the block below it (一级指标 / 二级指标 / …), printed again at the top of a page the block continues on.
    sections: list[int] = field(default_factory=list)
    column_heads: list[range] = field(default_factory=list)

    def add(self, *cells: Cell) -> int:
        """Append a row; returns its index."""
        self.rows.append(list(cells))
        return len(self.rows) - 1

    def add_section(self, *cells: Cell) -> None:
        self.sections.append(self.add(*cells))

    def mark_column_head(self, first: int, count: int = 1) -> None:
        """Rows ``first`` … ``first + count - 1`` are the column header of the block below them."""
        self.column_heads.append(range(first, first + count))

    def column_head_of(self, row: int) -> range | None:
        """The column header in force at ``row`` (the last one above it), if any."""
        above = [h for h in self.column_heads if h.stop <= row]
        return above[-1] if above else None


def positions(grid: Grid) -> list[list[tuple[int, Cell]]]:
    """(column index, cell) for every cell of every row, honouring row spans from above."""
    covered: dict[tuple[int, int], bool] = {}
    out = []
    for r, row in enumerate(grid.rows):
        placed, col = [], 0
        for cell in row:
            while covered.get((r, col)):
                col += 1
            placed.append((col, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered[(r + dr, col + dc)] = True
            col += cell.colspan
        out.append(placed)
    return out


def text_width(text: str) -> int:
    """Display width in character columns: full-width (CJK) characters count 2."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
