"""Builder: turns the report's parts into flowables (cover, form tables, chart, narrative, sign-off)."""
from __future__ import annotations

import re
from typing import Optional

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Spacer, Table, TableStyle

from ..fonts import FontSet
from ..grid import Cell, Grid, positions
from .para import Para
from .styles import Styles
from .tables import (
    PAD_BOTTOM,
    PAD_TOP,
    PAD_X,
    _continue_row,
    _make_table,
    _Region,
    _Rules,
)

FULL_SPACE = "\u3000"
CONTINUED = "（续）"  # after a merged label printed again on the page a table continues on



class Builder:
    def __init__(self, report, tpl, result, fs: FontSet):
        self.report, self.tpl, self.result, self.fs = report, tpl, result, fs
        self.st = Styles(fs)
        self.missing: set[str] = set()
        # (markup, id(style)) → what parsing it gave: a big report repeats the same cells (合格, 提高, the
        # headers of every project table), and reportlab's markup parser (html.parser) is slow
        self._parsed: dict[tuple[str, int], tuple] = {}
        self._drawn: dict = {}  # what repeated paragraphs wrote when drawn (para.Para.draw)

    def m(self, text: str, role: str) -> str:
        """Markup for ``text`` drawn in ``role``'s font (escaped, with per-character fallback)."""
        return self.fs.markup(text or "", role, self.missing)

    def paragraph(self, markup: str, style: ParagraphStyle) -> "Para":
        """``Para(markup, style)``, parsing each distinct markup and style once per build."""
        key = (markup, id(style))
        hit = self._parsed.get(key)
        if hit is None:
            p = Para(markup, style)
            # p.style is the style the parser settled on; the value also holds ``style``, so its id stays unique
            self._parsed[key] = (p.text, p.frags, p.style, style)
            return p
        text, frags, parsed_style, _style = hit
        # fragments are copied: each paragraph owns its own, as if it had been parsed itself
        p = Para(text, parsed_style, frags=[f.clone() for f in frags])
        p._drawkey, p._drawcache = key, self._drawn  # made before: drawn once, written again after
        return p

    def para(self, text: str, style: ParagraphStyle, role: str) -> "Para":
        markup = self.m(text, role)
        font = self.fs.font_name(role)
        if style.fontName != font:
            markup = f'<font name="{font}">{markup}</font>'
        return self.paragraph(markup, style)

    # ------------------------------------------------------------ tables

    def grid_flowables(self, g: Grid, width: float, annex: str = "", max_height: Optional[float] = None) -> list:
        st = self.st
        head: list = []
        if annex:
            head.append(self.para(annex, st.annex, "hei"))
        head.append(self.para(g.title, st.grid_title, "hei"))
        for line in (g.subtitle or "").split("\n"):
            if line.strip():
                head.append(self.subtitle_line(line, width))
        head.append(Spacer(1, 3))
        for f in head:  # the title lines go with the first rows of the table (see keep.KeepWithFirst)
            f.keepWithNext = 1
        table = self.grid_table(g, width, max_height)
        out = head + [table]
        for note in g.notes:
            if note.strip():
                out.append(self.para(note, st.grid_note, "song"))
        return out

    def subtitle_line(self, line: str, width: float):
        st = self.st
        parts = [p for p in re.split(r"\u3000{2,}|\s{3,}", line.strip()) if p.strip()]
        if len(parts) <= 1:
            text = line.strip()
            align = TA_CENTER if text.startswith(("（", "(")) else TA_LEFT
            return self.paragraph(self.m(text, "song"), st.variant(st.grid_sub, "sub", alignment=align))
        aligns = [TA_LEFT] + [TA_CENTER] * (len(parts) - 2) + [TA_RIGHT]
        cells = [self.paragraph(self.m(p.strip(), "song"), st.variant(st.grid_sub, f"sub{i}", alignment=a))
                 for i, (p, a) in enumerate(zip(parts, aligns))]
        # the first part (unit name) gets the room it needs
        weights = [max(len(p), 6) for p in parts]
        total = sum(weights)
        t = Table([cells], colWidths=[width * w / total for w in weights])
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.song),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        return t

    def cell_content(self, cell: Cell, size: float, col_width: float):
        styles = self.st
        st = styles.cell(cell.style, cell.align, size)
        role = "hei" if cell.style in ("header", "title") else "song"
        text = (cell.text or "").replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
        if not text.strip():
            return Spacer(1, st.leading)  # a blank cell is one line high, room to write by hand
        lines = text.split("\n")
        simple = len(lines) == 1 and not lines[0].startswith(FULL_SPACE)
        if simple:
            return self.paragraph(self.m(lines[0].strip(), role), st)
        out = []
        for line in lines:
            pad = len(line) - len(line.lstrip(FULL_SPACE + " "))
            body = line.strip()
            if not body:
                out.append(Spacer(1, st.leading))
                continue
            if cell.style == "sign" and pad >= 4:
                # signer / 年 月 日 lines pushed right on the official forms
                lst = styles.variant(st, f"{st.name}_r", alignment=TA_RIGHT, rightIndent=size * 3)
            elif pad:
                lst = styles.variant(st, f"{st.name}_i{pad}", leftIndent=min(pad * size, col_width / 2))
            else:
                lst = st
            out.append(self.paragraph(self.m(body, role), lst))
        return out

    def grid_table(self, g: Grid, width: float, max_height: Optional[float] = None) -> Table:
        """A Grid as a bordered table that breaks pages like a printed form (``FormTable``).

        Spans become SPANs.  A page never ends with a heading row (``g.sections``, a column header,
        a row of header cells only) nor inside a run of signature rows; a continued table starts
        with ``g.header_rows`` and the column header of the block it continues (``g.column_heads``),
        and a merged cell cut by the break (an 一级/二级 label) is printed again there with “（续）”.
        Given ``max_height`` (the frame height), a cell whose own text is taller than half a page is
        drawn as a merged-looking region instead of a SPAN (one box, text at its top, its rows free
        to break), and a row taller than a page is continued over extra rows inside such regions.
        Nothing is ever cut off.
        """
        ncols = max(1, len(g.columns))
        total = float(sum(g.columns)) or 1.0
        widths = [width * float(c) / total for c in g.columns] or [width]
        unit = width / total  # points per character column (a CJK character is two)
        size = max(7.5, min(10.5, round(unit * 2 * 0.9 * 2) / 2))
        regions: list[_Region] = []
        placed = positions(g)
        for r, row in enumerate(placed):
            for c, cell in row:
                if c >= ncols:
                    continue
                cs = min(cell.colspan, ncols - c)
                rs = max(1, min(cell.rowspan, len(g.rows) - r))
                content = self.cell_content(cell, size, sum(widths[c:c + cs]))
                regions.append(_Region(r, c, cs, rs, cell, [content]))
        nrows = max(1, len(g.rows))
        header = min(g.header_rows, max(nrows - 1, 0))
        counts = [1] * nrows  # table rows per grid row (a row taller than a page becomes several)
        cont = self._continued(size, widths)
        font = self.st.song
        sizes: dict = {}  # cell sizes, shared by this grid's tables (FormTable._listCellGeom)
        measured = _make_table(regions, nrows, widths, header, font, _form_rules(g, placed, counts, ncols, cont),
                               sizes)
        if not max_height:
            return measured
        measured.wrap(width, 1e9)
        heights = list(measured._rowHeights)
        changed = False
        for reg in regions:
            if reg.rs > 1 and sum(heights[reg.r:reg.r + reg.rs]) > max_height * 0.5 \
                    and _content_height(reg, widths) > max_height * 0.5:
                reg.real = False
                changed = True
        if changed:  # the text of such a region now sits in its first row
            remeasured = _make_table(regions, nrows, widths, header, font, sizes=sizes)
            remeasured.wrap(width, 1e9)
            heights = list(remeasured._rowHeights)
        heads = [h for h in g.column_heads if 0 <= h.start < h.stop <= nrows]
        limit = max_height - sum(heights[:header]) - max((sum(heights[h.start:h.stop]) for h in heads), default=0) - 8
        for r in reversed(range(header, nrows)):
            if heights[r] > limit:
                grown = _continue_row(regions, r, nrows, widths, limit)
                counts[r] += grown - nrows
                changed = changed or grown != nrows
                nrows = grown
        if not changed:
            # the usual case: every span and row fits, and the measured table is the one to print
            # (building its style again costs as much as measuring it)
            return measured
        return _make_table(regions, nrows, widths, header, font, _form_rules(g, placed, counts, ncols, cont), sizes)

    def _continued(self, size: float, widths: list[float]):
        """``cont(region)``: what a cell cut by a page break shows on the next page (its label again)."""
        made: dict = {}

        def cont(reg: _Region):
            key = (id(reg.cell), reg.c, reg.cs)
            hit = made.get(key)
            if hit is None:
                cell = reg.cell
                text = (cell.text or "").strip()
                if text:  # a label again; a long text only says that it goes on
                    short = cell.style in ("header", "label", "title") or len(text) <= 24
                    text = text + CONTINUED if short else CONTINUED
                again = Cell(text, cell.colspan, cell.rowspan, cell.style, cell.align)
                hit = made[key] = (self.cell_content(again, size, sum(widths[reg.c:reg.c + reg.cs])), cell)
            return hit[0]

        return cont

    def drawable(self, text: str, role: str) -> str:
        """Text for graphics strings (no per-character fallback there): unknown characters → 〓."""
        bad = self.fs.missing_glyphs(text, role)
        if not bad:
            return text
        self.missing |= {ch for ch in bad if self.fs.provider(ch, role) is None}
        return "".join("〓" if ch in bad else ch for ch in text)

    # ------------------------------------------------------------ sign-off

    def sign_off(self, width: float, max_height: Optional[float] = None) -> list:
        """评价人员及审核意见: the team (to sign) and the opinions, for reports whose forms have no 签章 rows."""
        st = self.st
        out: list = [self.para("评价人员及审核意见", st.grid_title, "hei"), Spacer(1, 4)]
        for f in out:
            f.keepWithNext = 1
        team, sign = self.sign_off_grids()
        if team is not None:
            out += [self.grid_table(team, width, max_height), Spacer(1, 8)]
        out.append(self.grid_table(sign, width, max_height))
        return out

    def sign_off_grids(self) -> tuple[Optional[Grid], Grid]:
        """The grids of ``sign_off``: the team table (None without named members) and the 签章 rows."""
        r = self.report
        members = [m for m in r.team if m.name.strip()]
        team = None
        if members:
            team = Grid("team", "", [14, 20, 30, 18], header_rows=1)
            team.add(Cell("姓\u3000名", style="header"), Cell("职务/职称", style="header"),
                     Cell("单\u3000位", style="header"), Cell("签\u3000字", style="header"))
            for mbr in members:
                team.add(Cell(mbr.name, align="center"), Cell(mbr.title or mbr.role, align="center"),
                         Cell(mbr.unit or r.basic.department), Cell(""))
        pad = FULL_SPACE * 12
        date_line = pad + "年\u3000\u3000月\u3000\u3000日"

        def block(head, opinion, signer_label, signer, date):
            lines = [f"{head}：{opinion.strip()}"] + [""] * (2 if opinion.strip() else 4)
            lines.append(pad + f"{signer_label}：{signer}".rstrip())
            lines.append(pad + date.strip() if date.strip() else date_line)
            return "\n".join(lines)

        sign = Grid("sign", "", [80])
        # the line is for the pen, as on the form (the leader's name is in the team table)
        sign.add(Cell(f"评价组组长（签字）：\n\n\n{date_line}", style="sign"))
        sign.add(Cell(block("部门（单位）意见", r.dept_opinion.opinion, "部门（单位）负责人（签章）",
                            r.dept_opinion.signer, r.dept_opinion.date), style="sign"))
        sign.add(Cell(block("财政部门归口业务科室意见", r.finance_opinion.opinion, "财政部门归口业务科室负责人（签章）",
                            r.finance_opinion.signer, r.finance_opinion.date), style="sign"))
        return team, sign


def _content_height(reg: _Region, widths: list[float]) -> float:
    """Height of a region's own content in its box (padding included)."""
    w = sum(widths[reg.c:reg.c + reg.cs]) - 2 * PAD_X
    part = reg.parts[0]
    flows = part if isinstance(part, list) else [part]
    return sum(f.wrap(w, 1e9)[1] for f in flows if f != "") + PAD_TOP + PAD_BOTTOM


HEADING_STYLES = ("header", "title")


def _form_rules(g: Grid, placed: list, counts: list[int], ncols: int, cont) -> _Rules:
    """Where ``g``'s table may end a page (``_Rules``), for its table rows (grid row ``i`` is ``counts[i]`` rows)."""
    n = len(counts)
    start = [0] * n
    for i in range(1, n):
        start[i] = start[i - 1] + counts[i - 1]

    def rows(grid_rows) -> set[int]:
        return {t for i in grid_rows if 0 <= i < n for t in range(start[i], start[i] + counts[i])}

    heads = sorted((h for h in g.column_heads if 0 <= h.start < h.stop <= n), key=lambda h: h.start)
    heading = set(g.sections) | {i for h in heads for i in h}
    sign, whole, wide = set(), set(), set()
    for i, row in enumerate(placed[:n]):
        if row and all(cell.style in HEADING_STYLES for _c, cell in row):
            heading.add(i)
        if len(row) == 1 and row[0][1].colspan >= ncols:
            wide.add(i)
        for _c, cell in row:
            if cell.style == "sign":
                sign.add(i)
                if cell.colspan >= ncols:
                    whole.add(i)
    table_heads = [range(start[h.start], start[h.stop - 1] + counts[h.stop - 1]) for h in heads]
    starts = {start[s] for s in g.sections if 0 <= s < n} | {h.start for h in table_heads}
    return _Rules(rows(heading), rows(sign), rows(whole), table_heads, starts, rows(wide),
                  min(g.header_rows, max(n - 1, 0)), cont)
