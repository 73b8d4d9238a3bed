"""Bordered form tables: regions (merged cells), splitting over pages, borders stroked once."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle
from reportlab.platypus.tables import (
    _SPECIALROWS,
    CellStyle,
    _hLine,
)
from reportlab.rl_config import _FUZZ

from ..grid import Cell
from . import speedups
from .sizing import Sizing

PAD_X, PAD_TOP, PAD_BOTTOM = 3, 2.5, 3


class _Region:
    """A cell of the table: its place, its content per row (``parts``), whether it is a real SPAN."""

    def __init__(self, r, c, cs, rs, cell: Cell, parts: list):
        self.r, self.c, self.cs, self.rs, self.cell, self.parts = r, c, cs, rs, cell, parts
        self.real = True

    def moved(self, r: int, rs: int, parts: list) -> "_Region":
        """The same cell at rows ``r`` … ``r + rs - 1`` of another table, showing ``parts``."""
        reg = _Region(r, self.c, self.cs, rs, self.cell, parts)
        reg.real = self.real
        return reg


class _Rules:
    """Where a form table may end a page, by table row (see ``FormTable.split``).

    - ``heading``: rows that head what follows (section rows, column headers, rows of header cells
      only): a page never ends with one.
    - ``sign``: rows holding a signature cell (``whole``: one spanning the table): a run of them stays
      on one page.
    - ``heads``: the column headers of blocks (ranges, in order); ``starts``: rows where a block begins
      (a section row or a column header).  A page that continues a block starts with its header again,
      unless what is left of the block is ``wide`` rows only (one cell across the table: no columns).
    - ``lead``: rows at the top of the table that are printed copies (the fixed header, a repeated
      column header): a page must hold more than these.
    - ``cont``: ``cont(region)`` is the content of a cell printed again where a page break cuts it.
    """

    __slots__ = ("heading", "sign", "whole", "heads", "starts", "wide", "lead", "cont")

    def __init__(self, heading=frozenset(), sign=frozenset(), whole=frozenset(), heads=(), starts=frozenset(),
                 wide=frozenset(), lead=0, cont=None):
        self.heading, self.sign, self.whole = frozenset(heading), frozenset(sign), frozenset(whole)
        self.heads, self.starts, self.wide = list(heads), frozenset(starts), frozenset(wide)
        self.lead, self.cont = lead, cont

    def penalty(self, k: int) -> int:
        """How bad ending a page before row ``k`` is: 0 fine; a split signature run 2 (3 between whole-width
        signature blocks); a heading at the foot 4."""
        p = 0
        if k - 1 in self.heading:
            p += 4
        if k - 1 in self.sign and k in self.sign:
            p += 3 if (k - 1 in self.whole and k in self.whole) else 2
        return p

    def head_at(self, k: int, nrows: int):
        """The column header to print again above row ``k`` on a new page (that of the block row ``k`` is in)."""
        head = None
        for h in self.heads:
            if h.stop <= k:
                head = h
        if head is None:
            return None
        end = min((s for s in self.starts if s >= head.stop), default=nrows)
        if k >= end or all(r in self.wide for r in range(k, end)):
            return None
        return head

    def taken(self, rows: list[int], lead: int) -> "_Rules":
        """These rules for a table made of the rows ``rows`` (indices here, in their new order)."""
        where = {old: new for new, old in enumerate(rows)}

        def pick(s):
            return frozenset(where[o] for o in s if o in where)

        heads = [range(where[h.start], where[h.stop - 1] + 1) for h in self.heads
                 if h.start in where and h.stop - 1 in where and where[h.stop - 1] - where[h.start] == len(h) - 1]
        return _Rules(pick(self.heading), pick(self.sign), pick(self.whole), heads, pick(self.starts), pick(self.wide),
                      lead, self.cont)


def _whole_table_cmds(font: str) -> list:
    return [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        ("FONTNAME", (0, 0), (-1, -1), font),  # empty cells too: never an unembedded Helvetica
        ("FONTSIZE", (0, 0), (-1, -1), 6), ("LEADING", (0, 0), (-1, -1), 7),
    ]


# reportlab's cell style attribute set by each cell command (reportlab.platypus.tables._setCellStyle)
_CELL_ATTRS = {"VALIGN": "valign", "LEFTPADDING": "leftPadding", "RIGHTPADDING": "rightPadding",
               "TOPPADDING": "topPadding", "BOTTOMPADDING": "bottomPadding", "FONTNAME": "fontname",
               "FACE": "fontname", "FONTSIZE": "fontsize", "SIZE": "fontsize", "LEADING": "leading"}


def _cell_styles(nrows: int, ncols: int, whole: list) -> list:
    """The table's CellStyles with the whole-table commands ``whole`` already applied: what
    ``Table(cellStyles=None)`` followed by ``setStyle(whole)`` makes, without the per-cell calls.

    Every cell gets the same CellStyle object until a command of its own changes it (``_apply_style``
    then gives the cell a copy): reportlab only reads cell styles once they are set (its own split
    shares them between the parts), so a 5,000-row table no longer makes 25,000 of them per page.
    """
    shared = CellStyle.__new__(CellStyle)  # CellStyle(name) sets only ``name``
    shared.__dict__["name"] = repr((0, 0))
    shared.__dict__.update({_CELL_ATTRS[cmd[0]]: cmd[3] for cmd in whole})
    shared._shared = True
    return [[shared] * ncols for _ in range(nrows)]


def _own_style(row: list, i: int, j: int) -> CellStyle:
    """The cell's own CellStyle (a copy of the shared one, the first time it is changed)."""
    cs = row[j]
    if cs.__dict__.get("_shared"):
        own = CellStyle.__new__(CellStyle)
        own.__dict__.update(cs.__dict__)
        del own.__dict__["_shared"]
        own.__dict__["name"] = repr((i, j))
        row[j] = cs = own
    return cs


def _apply_style(t: "FormTable", cmds: list) -> None:
    """``t.setStyle(TableStyle(cmds))`` for the commands ``_make_table`` writes (SPAN, BOX of five
    items, cell commands over cell ranges), each stored as ``Table._addCommand`` stores it; any
    other command goes through ``_addCommand`` itself."""
    t.__dict__.pop("_sized", None)
    spans, lines, styles = t._spanCmds, t._linecmds, t._cellStyles
    for cmd in cmds:
        op = cmd[0]
        if op == "SPAN":
            spans.append(cmd)
        elif op == "BOX" and len(cmd) == 5:  # cap 1, no dash, join 1, one line, spaced by its weight
            lines.append((op, cmd[1], cmd[2], cmd[3], cmd[4], 1, None, 1, 1, cmd[3]))
        elif op in _CELL_ATTRS and len(cmd) == 4 and not isinstance(cmd[1][1], str) \
                and not isinstance(cmd[2][1], str):
            sc, ec, sr, er = t.normCellRange(cmd[1][0], cmd[2][0], cmd[1][1], cmd[2][1])
            attr, value = _CELL_ATTRS[op], cmd[3]
            for i in range(sr, er + 1):
                row = styles[i]
                for j in range(sc, ec + 1):
                    setattr(_own_style(row, i, j), attr, value)
        else:
            if op in _CELL_ATTRS or op in ("FONT", "TEXTCOLOR", "ALIGN", "ALIGNMENT", "HREF", "DESTINATION",
                                           "DIRECTION", "SHAPING"):  # reportlab changes cells: their own styles
                for i, row in enumerate(styles):
                    for j in range(len(row)):
                        _own_style(row, i, j)
            Table._addCommand(t, cmd)


def _make_table(regions: list[_Region], nrows: int, widths: list[float], header: int, font: str,
                rules: "_Rules | None" = None, sizes: "dict | None" = None, window: "int | None" = None) -> "FormTable":
    """A FormTable of ``regions``; ``sizes``: the memo of cell sizes shared by the tables of one grid
    (see ``FormTable._listCellGeom``); ``window``: only the first ``window`` rows are made now (no cell
    crosses that row), the rest when needed (see ``FormTable.wrap``)."""
    full = nrows
    if window is not None and window < nrows:
        regions_all, regions = regions, [reg for reg in regions if reg.r < window]
        nrows = window
    else:
        window, regions_all = None, regions
    ncols = len(widths)
    data = [[""] * ncols for _ in range(nrows)]
    whole = _whole_table_cmds(font)
    cmds = [] if speedups.FAST_STYLES else list(whole)
    for reg in regions:
        c0, r0, c1, r1 = reg.c, reg.r, reg.c + reg.cs - 1, reg.r + reg.rs - 1
        for j, part in enumerate(reg.parts):
            if r0 + j <= r1:
                data[r0 + j][c0] = part
        if reg.real:
            if reg.cs > 1 or reg.rs > 1:
                cmds.append(("SPAN", (c0, r0), (c1, r1)))
        else:
            if reg.cs > 1:
                for rr in range(r0, r1 + 1):
                    cmds.append(("SPAN", (c0, rr), (c1, rr)))
            cmds.append(("VALIGN", (c0, r0), (c1, r1), "TOP"))
        if reg.cell.style == "sign":
            cmds += [("VALIGN", (c0, r0), (c1, r1), "TOP"), ("TOPPADDING", (c0, r0), (c1, r0), 5),
                     ("BOTTOMPADDING", (c0, r1), (c1, r1), 8)]
        cmds.append(("BOX", (c0, r0), (c1, r1), 0.5, colors.black))
    cmds.append(("BOX", (0, 0), (-1, -1), 0.9, colors.black))
    if speedups.FAST_STYLES and nrows and ncols:
        # the cells are "" or flowables already: reportlab's normalizeData would only copy the rows
        t = FormTable(data, colWidths=widths, repeatRows=header, splitByRow=1, splitInRow=0, hAlign="CENTER",
                      cellStyles=_cell_styles(nrows, ncols, whole), normalizedData=1)
        _apply_style(t, cmds)
    else:
        t = FormTable(data, colWidths=widths, repeatRows=header, splitByRow=1, splitInRow=0, hAlign="CENTER")
        t.setStyle(TableStyle(cmds))
    t._sizes = {} if sizes is None else sizes
    if rules is not None:
        t._form = (regions_all, widths, header, font, rules)
        t._rows = full
        t._window = window
    return t


WINDOW_ROWS = 120  # a continued form table longer than this is made a window of rows at a time


def _clean_row(regions: list[_Region], at: int, nrows: int) -> int:
    """The first row from ``at`` on that no cell spans across (``nrows`` when there is none)."""
    crossing = set()
    for reg in regions:
        if reg.rs > 1 and reg.r + reg.rs > at:
            crossing.update(range(max(reg.r + 1, at), reg.r + reg.rs))
    while at < nrows and at in crossing:
        at += 1
    return at


class FormTable(Sizing, Table):
    """A Table that breaks pages like a printed form and closes its borders where a break cuts it.

    A table made from a grid (``_make_table`` with ``_Rules``) splits itself: see ``_split_form``.
    Others split as reportlab does, with the line at the cut drawn (reportlab splits BOX commands
    without one, and its ``splitlast`` rows only work for the first break).
    """
    # the line commands whose segments _drawLines joins (boxes round cell ranges, lines above/below rows)
    _JOINABLE = ("BOX", "OUTLINE", "LINEABOVE", "LINEBELOW")

    def _drawLines(self):
        """Stroke each border segment once.

        Every cell has its own BOX (so that merged-looking regions are closed), so reportlab strokes
        every inner edge twice, each edge as a line of its own: some 30,000 strokes for a 50-project
        report.  Here the segments of consecutive commands drawn with the same pen are collected,
        joined where they meet and stroked once each; the same lines print.  Tables with other line
        commands (or dashed, multiple or rounded lines) are drawn by reportlab as before.
        """
        cmds = [c for c in self._linecmds if not (isinstance(c[1][1], str) and c[1][1] in _SPECIALROWS)]
        if self._roundingRectDef or any(c[0] not in self._JOINABLE or c[6] or c[8] != 1 for c in cmds):
            return super()._drawLines()
        canv = self.canv
        canv.saveState()
        groups: list[tuple[tuple, dict, dict]] = []  # (pen, y → [(x0, x1)], x → [(y0, y1)])
        for op, (sc, sr), (ec, er), weight, color, cap, dash, join, _count, _space in cmds:
            pen = (weight, color, cap, join)
            if not groups or groups[-1][0] != pen:
                groups.append((pen, {}, {}))
            _pen, hs, vs = groups[-1]
            sc, ec, sr, er = self.normCellRange(sc, ec, sr, er)
            cols, rows = self._colpositions, self._rowpositions
            x0, x1 = cols[sc], cols[ec + 1]
            if op in ("BOX", "OUTLINE"):
                ys, y0, y1 = (rows[sr], rows[er + 1]), rows[er + 1], rows[sr]
                for x in (x0, x1):
                    vs.setdefault(x, []).append((y0, y1))
            else:
                ys = rows[sr:er + 1] if op == "LINEABOVE" else rows[sr + 1:er + 2]
            for y in ys:
                hs.setdefault(y, []).append((x0, x1))
        hblocks, vblocks = getattr(self, "_hBlocks", {}), getattr(self, "_vBlocks", {})
        vline = lambda y0, x0, y1, x1: canv.line(x0, y0, x1, y1)  # noqa: E731  (_hLine draws along x)
        for (weight, color, cap, join), hs, vs in groups:
            if cap is not None:
                canv.setLineCap(cap)
            if join is not None:
                canv.setLineJoin(join)
            self._curweight = self._curcolor = None
            self._prepLine(weight, color)
            for y, spans in hs.items():
                for a, b in _joined(spans):
                    _hLine(canv.line, a, b, y, hblocks)
            for x, spans in vs.items():
                for a, b in _joined(spans):
                    _hLine(vline, a, b, x, vblocks)
        canv.restoreState()
        self._curcolor = None

    _form = None  # (regions, widths, header, font, rules) of a table made from a grid: it splits as a form
    _rows = None  # its rows (all of them, also when only a window of them is made)
    _window = None  # only this many of its rows made yet (a long table continued on the next page)

    def wrap(self, availWidth, availHeight):
        """A windowed table is always taller than a page where it goes (so that it is split there, and the
        rows after its window follow); if its window would fit, the whole table is made first."""
        size = super().wrap(availWidth, availHeight)
        if self._window is not None and size[1] <= availHeight + _FUZZ:
            self._unwindow()
            size = super().wrap(availWidth, availHeight)
        return size

    def _unwindow(self) -> None:
        regions, widths, header, font, rules = self._form
        whole = _make_table(regions, self._rows, widths, header, font, rules, self._sizes)
        self.__dict__.pop("_sized", None)
        self.__dict__.update(whole.__dict__)

    def split(self, availWidth, availHeight):
        if self._form is None:
            return self._split_plain(availWidth, availHeight)
        return self._split_form(availWidth, availHeight)

    def _split_plain(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            first.setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), 0.9, colors.black)]))
            rr = rest.repeatRows
            k = rr if isinstance(rr, int) else len(rr or ())
            if k < rest._nrows:
                rest.setStyle(TableStyle([("LINEABOVE", (0, k), (-1, k), 0.5, colors.black)]))
        return parts

    def _split_form(self, availWidth, availHeight):
        """End the page where a printed form may end, and continue on the next as a form does.

        The page ends before the last row that fits and breaks no rule (``_Rules.penalty``): no heading
        or column header at the foot, no signature run cut.  Where the table is already at the top of
        a frame (moving it would not help) the least bad break that fits is taken; elsewhere, with no
        good break, nothing is placed and the table starts on the next page.  The continuation starts
        with the fixed header rows and the column header of the block it continues; a cell cut by the
        break (a merged 一级/二级 label) is printed again on the new page with “（续）”.  Both parts are
        tables of their own, each closed by its outer box.
        """
        _regions, _widths, _header, _font, rules = self._form
        self._calc(availWidth, availHeight)
        heights, n = self._rowHeights, self._rows
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", 0))
        fits, used = [], 0.0
        for k in range(1, n):
            if k > len(heights) or heights[k - 1] is None:  # not measured (or not made): more than a page below
                break
            used += heights[k - 1]
            if used > availHeight + _FUZZ:
                break
            if k > rules.lead:
                fits.append(k)
        ranked = sorted(fits, key=lambda k: (rules.penalty(k), -k))
        if not at_top:
            ranked = [k for k in ranked if rules.penalty(k) == 0]
        for k in ranked:
            first, rest = self._cut(k)
            if first.wrap(availWidth, availHeight)[1] <= availHeight + _FUZZ:  # a cut label may need more room
                return [first, rest]
        return []

    def _cut(self, k: int) -> tuple["FormTable", "FormTable"]:
        """Rows ``0 … k-1`` as one table, the rest (after its header rows again) as another."""
        regions, widths, header, font, rules = self._form
        n = self._rows
        top = []
        for reg in regions:
            if reg.r + reg.rs <= k:
                top.append(reg)
            elif reg.r < k:
                top.append(reg.moved(reg.r, k - reg.r, reg.parts[:k - reg.r]))
        head = rules.head_at(k, n)
        if head is not None and head.start < header:
            head = None
        prefix = list(range(header)) + (list(head) if head is not None else [])
        lead = len(prefix)
        again = {old: new for new, old in enumerate(prefix)}

        def label(reg):
            return [rules.cont(reg)] if rules.cont else [""]

        rest = []
        for reg in regions:
            end = reg.r + reg.rs
            if reg.r in again:  # a header row printed again (a cell of it may run on into the rows below)
                stop = header if reg.r < header else head.stop
                rows = min(end, stop) - reg.r
                more = end - k if reg.r >= header and end > k else 0
                rest.append(reg.moved(again[reg.r], rows + more, label(reg) if more else reg.parts[:rows]))
            elif reg.r >= k:
                rest.append(reg.moved(reg.r - k + lead, reg.rs, reg.parts))
            elif end > k:  # cut by the break: the rest of its text, or its label again
                j = k - reg.r
                rest.append(reg.moved(lead, end - k, reg.parts[j:] if len(reg.parts) > j else label(reg)))
        first = _make_table(top, k, widths, header, font, rules.taken(list(range(k)), rules.lead), self._sizes)
        left = lead + n - k
        window = None
        if speedups.FAST_CALC and left > WINDOW_ROWS:  # a long rest: made two pages or so at a time, not all again per page
            window = _clean_row(rest, lead + max(2 * k, WINDOW_ROWS // 2), left)
        second = _make_table(rest, left, widths, header, font,
                             rules.taken(prefix + list(range(k, n)), lead), self._sizes, window)
        return first, second


def _joined(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Intervals (in either order) merged where they overlap or meet, each as (low, high)."""
    out: list[list[float]] = []
    for a, b in sorted((min(a, b), max(a, b)) for a, b in spans):
        if out and a <= out[-1][1] + _FUZZ:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _split_flowables(flows: list, width: float, height: float) -> list[list]:
    """Flowables → chunks each at most ``height`` tall (paragraphs split between lines)."""
    chunks: list[list] = [[]]
    avail = height
    queue = list(flows)
    while queue:
        f = queue.pop(0)
        _w, h = f.wrap(width, avail)
        if h <= avail + 0.01:
            chunks[-1].append(f)
            avail -= h
            continue
        parts = f.split(width, avail) if avail > 0 else []
        if parts and len(parts) > 1:
            chunks[-1].append(parts[0])
            queue[0:0] = parts[1:]
        elif chunks[-1]:
            queue.insert(0, f)
        else:  # cannot be split and taller than a page: keep it whole (never lose text)
            chunks[-1].append(f)
        chunks.append([])
        avail = height
    return [c for c in chunks if c] or [[]]


def _continue_row(regions: list[_Region], r: int, nrows: int, widths: list[float], limit: float) -> int:
    """Spread row ``r`` over as many rows as its tallest cell needs; returns the new row count."""
    starting = [reg for reg in regions if reg.r == r]
    pieces = {}
    k = 1
    for reg in starting:
        w = sum(widths[reg.c:reg.c + reg.cs]) - 2 * PAD_X
        flows = reg.parts[0] if isinstance(reg.parts[0], list) else [reg.parts[0]]
        chunks = _split_flowables([f for f in flows if f != ""], w, limit - PAD_TOP - PAD_BOTTOM)
        pieces[id(reg)] = chunks
        k = max(k, len(chunks))
    if k == 1:
        return nrows
    extra = k - 1
    for reg in regions:
        if reg.r > r:
            reg.r += extra
        elif reg.r < r < reg.r + reg.rs or (reg.r == r):
            reg.rs += extra
            reg.real = False
    for reg in starting:
        chunks = pieces[id(reg)]
        reg.parts = chunks + reg.parts[1:] if len(chunks) > 1 else reg.parts
    return nrows + extra
