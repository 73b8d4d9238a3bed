"""Print-ready PDF of a report (reportlab platypus, A4).

``build_pdf(report, tpl, result) -> bytes``: cover page, the official tables
(``export.forms.grids_for``) with a bar chart of 得分率 per 一级 indicator, the
narrative report in 公文 style, project tables as 附件, and signature blocks.
Every page but the cover carries “第 X 页 共 Y 页”.

Fonts come from ``export.fonts`` (TrueType only, embedded and subset).  A
character no font can draw is printed as “〓” and listed in the returned
bytes' ``missing_chars`` (``export.fonts.Rendered``; ``.warning`` is the
message for the clerk).
"""
from __future__ import annotations

import io
import re
from typing import Iterable, Optional

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as canvas_mod
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether, NextPageTemplate, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.tables import _SPECIALROWS, _hLine
from reportlab.rl_config import _FUZZ

from model.money import format_percent

from . import narrative as narrative_mod
from . import rlfast
from .fonts import FontSet, Rendered, get_fonts
from .gcpause import collector_paused
from .grid import Cell, Grid, positions

APP_NAME = "绩效自评填报助手"
FULL_SPACE = "\u3000"

# ---------------------------------------------------------------- Chinese line breaking

# Full-width closers that must not start a line, openers that must not end one.
CJK_CANNOT_START = "，。；：？！）”’》〉」』】〕、…％·,.;:?!)%"
CJK_CANNOT_END = "（“‘《〈「『【〔(["
_installed = False


def install_line_breaking() -> None:
    """Teach reportlab Chinese line-breaking rules (禁则), once per process.

    Extends ``ALL_CANNOT_START`` in ``reportlab.lib.textsplit`` and
    ``reportlab.platypus.paragraph`` with the full-width closers, and replaces
    reportlab's two CJK splitters with versions that, instead of letting one
    closer hang, move characters to the next line until that line starts with
    something allowed and this one does not end with an opener.
    """
    global _installed
    if _installed:
        return
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(ch for ch in CJK_CANNOT_START if ch not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START = textsplit.ALL_CANNOT_START + extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START
    textsplit.dumbSplit = _dumb_split
    paragraph.cjkFragSplit = _cjk_frag_split
    paragraph._justifyDrawParaLine = _justify_line(paragraph._justifyDrawParaLine)
    paragraph._justifyDrawParaLineX = _justify_frag_line(paragraph._justifyDrawParaLineX)
    _installed = True


def _cjk_spacing(text: str, extra: float, size: float) -> float:
    """Character spacing that justifies a Chinese line (两端对齐); 0 when the line is not Chinese."""
    n = len(text.rstrip())
    if n < 2 or extra <= 1e-6 or not any(ord(ch) >= 0x3000 for ch in text):
        return 0.0
    spacing = extra / (n - 1)
    return spacing if spacing <= size * 0.6 else 0.0  # a nearly empty line stays left-aligned


def _justify_line(original):
    """Justify single-font CJK lines by character spacing (reportlab only stretches spaces)."""
    from reportlab.platypus.paragraph import setXPos

    def draw(tx, offset, extraspace, words, last=0):
        text = " ".join(words)
        spacing = 0.0 if last else _cjk_spacing(text, extraspace, tx._fontsize or 10)
        if not spacing:
            return original(tx, offset, extraspace, words, last)
        setXPos(tx, offset)
        tx.setCharSpace(spacing)
        tx._textOut(text, 1)
        tx.setCharSpace(0)
        setXPos(tx, -offset)
        return offset

    return draw


def _justify_frag_line(original):
    """Justify mixed-font CJK lines by character spacing."""
    from reportlab.platypus.paragraph import _putFragLine, setXPos

    def draw(tx, offset, line, last=0):
        if last or getattr(line, "lineBreak", False) or getattr(line, "kind", 0) != 1:
            return original(tx, offset, line, last)
        words = [w for w in line.words if not hasattr(w, "cbDefn")]
        text = "".join(getattr(w, "text", "") for w in words)
        size = max((getattr(w, "fontSize", 0) for w in words), default=10)
        spacing = _cjk_spacing(text, line.extraSpace, size)
        if not spacing:
            return original(tx, offset, line, last)
        tx._x_offset = offset
        setXPos(tx, offset)
        tx.setCharSpace(spacing)
        _putFragLine(offset, tx, line, last, "justify")
        tx.setCharSpace(0)
        setXPos(tx, -offset)

    return draw


def _break_index(chars, k: int, start: int) -> int:
    """Where the next line starts when character ``k`` overflows a line that began at ``start``."""
    b = k
    if ord(chars[b][:1] or " ") < 0x3000 and not chars[b].isspace():
        # inside a Latin word or number: break after the last space or CJK character
        for j in range(k - 1, (start + k) // 2, -1):
            cj = chars[j]
            if cj.isspace() or (cj and ord(cj[:1]) >= 0x3000):
                b = j + 1
                break
    for _ in range(4):
        moved = False
        while b > start + 1 and chars[b] in CJK_CANNOT_START_SET:
            b -= 1
            moved = True
        while b > start + 1 and chars[b - 1] in CJK_CANNOT_END_SET:
            b -= 1
            moved = True
        if not moved:
            break
    return max(b, start + 1)


CJK_CANNOT_START_SET = frozenset(CJK_CANNOT_START) | frozenset("!\',.:;?!\")]\u3001\u3002\u300d\u300f\u3011\u3015\uff3d\uff09")
CJK_CANNOT_END_SET = frozenset(CJK_CANNOT_END)


def _dumb_split(word, widths, maxWidths):
    """reportlab.lib.textsplit.dumbSplit with 禁则 (single-font paragraphs)."""
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    lines = []
    i = start = 0
    used = 0.0
    max_width = maxWidths[0]
    n = len(word)
    while i < n:
        used += widths[i]
        i += 1
        if used > max_width + _FUZZ and used > 0:
            b = _break_index(word, i - 1, start)
            lines.append([max_width - sum(widths[start:b]), word[start:b].strip()])
            max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]  # the last width for the rest
            i = start = b
            used = 0.0
    if used > 0:
        lines.append([max_width - used, word[start:]])
    return lines


def _glyphs(text: str, frag) -> list:
    """``[cjkU(ch, frag) for ch in text]`` with each character's width looked up once (``rlfast``)."""
    from reportlab.platypus.paragraph import cjkU

    table = rlfast.width_table(frag.fontName, frag.fontSize)
    out = []
    for ch in text:
        u = str.__new__(cjkU, ch)  # what cjkU.__new__ does, minus its stringWidth call
        u._frag = frag
        u._width = rlfast.char_width(table, ch, frag.fontName, frag.fontSize)
        out.append(u)
    return out


def _cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """reportlab.platypus.paragraph.cjkFragSplit with 禁则 (mixed-font paragraphs)."""
    from reportlab.lib.utils import isBytes
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    U = []
    for f in frags:
        text = f.text
        if isBytes(text):
            text = text.decode(encoding)
        if text and not hasattr(f, "cbDefn"):
            U.extend(_glyphs(text, f))
        elif text:
            U.extend([cjkU(t, f, encoding) for t in text])
        else:
            U.append(cjkU(text, f, encoding))
    lines = []
    i = start = 0
    used = 0.0
    max_width = maxWidths[0]
    n = len(U)

    def width(u):
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        return w

    while i < n:
        u = U[i]
        i += 1
        used += width(u)
        line_break = hasattr(u.frag, "lineBreak")
        if line_break or (used > max_width + _FUZZ and used > 0):
            b = i if line_break else _break_index(U, i - 1, start)
            line_used = sum(width(x) for x in U[start:b])
            lines.append(makeCJKParaLine(U[start:b], max_width, line_used, max_width - line_used, line_break, calcBounds))
            max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]  # the last width for the rest
            i = start = b
            used = 0.0
    if used > 0:
        lines.append(makeCJKParaLine(U[start:], max_width, used, max_width - used, False, calcBounds))
    return ParaLines(kind=1, lines=lines)


# ---------------------------------------------------------------- page layout

PAGE_W, PAGE_H = A4
# 公文 margins (GB/T 9704): top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
GW_MARGINS = dict(top=37 * mm, bottom=35 * mm, left=28 * mm, right=26 * mm)
TABLE_MARGINS = dict(top=18 * mm, bottom=18 * mm, left=16 * mm, right=16 * mm)


def _frame(pagesize, m, fid):
    w, h = pagesize
    return Frame(m["left"], m["bottom"], w - m["left"] - m["right"], h - m["top"] - m["bottom"],
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=fid)


def _canvas_class(font: str):
    """A canvas that draws “第 X 页 共 Y 页” once the page count is known (two passes)."""

    class NumberedCanvas(canvas_mod.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages) - 1  # the cover is not numbered
            for number, state in enumerate(self._pages):
                self.__dict__.update(state)
                if number > 0:
                    self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number, total):
            w, _h = self._pagesize
            bottom = getattr(self, "_footer_y", None) or 10 * mm
            self.saveState()
            self.setFont(font, 10.5)
            self.drawCentredString(w / 2, bottom, f"第 {number} 页 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def _mark_footer(y):
    def on_page(canv, doc):
        canv._footer_y = y
    return on_page


# ---------------------------------------------------------------- styles

class Styles:
    def __init__(self, fs: FontSet):
        self.fs = fs
        song, hei, fang, kai, title = (fs.font_name(r) for r in ("song", "hei", "fang", "kai", "title"))
        self.song, self.hei, self.fang, self.kai, self.title_font = song, hei, fang, kai, title

        def ps(name, font, size, leading, **kw):
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)

        self.cover_title = ps("cover_title", title, 26, 44, alignment=TA_CENTER)
        self.cover_label = ps("cover_label", hei, 15, 24, alignment=TA_RIGHT)
        self.cover_value = ps("cover_value", song, 15, 24)
        self.cover_team_title = ps("cover_team_title", hei, 16, 28, alignment=TA_CENTER, spaceAfter=12)
        self.cover_team = ps("cover_team", fang, 15, 28)
        self.grid_title = ps("grid_title", hei, 16, 24, alignment=TA_CENTER, spaceAfter=4)
        self.grid_sub = ps("grid_sub", song, 10.5, 15)
        self.grid_note = ps("grid_note", song, 9, 13, spaceBefore=1)
        self.annex = ps("annex", hei, 16, 24, spaceAfter=6)
        self.chart_title = ps("chart_title", hei, 12, 18, alignment=TA_CENTER, spaceBefore=10)
        # 公文: 仿宋 三号 (16 pt), fixed 28 pt lines, two-character first-line indent
        self.doc_title = ps("doc_title", title, 22, 34, alignment=TA_CENTER)
        self.addressee = ps("addressee", fang, 16, 28)
        self.body = ps("body", fang, 16, 28, firstLineIndent=32, alignment=TA_JUSTIFY)
        self.h1 = ps("h1", hei, 16, 28, firstLineIndent=32, keepWithNext=1)
        self.h2 = ps("h2", kai, 16, 28, firstLineIndent=32, keepWithNext=1)
        self.h3 = ps("h3", fang, 16, 28, firstLineIndent=32, keepWithNext=1)
        self.h4 = ps("h4", fang, 16, 28, firstLineIndent=32, keepWithNext=1)
        self.signature = ps("signature", fang, 16, 28, alignment=TA_RIGHT, rightIndent=32)
        self._cells: dict = {}
        self._variants: dict = {}

    def heading(self, level: int) -> ParagraphStyle:
        return (self.h1, self.h2, self.h3, self.h4)[min(level, 4) - 1]

    @staticmethod
    def role_of_heading(level: int) -> str:
        return {1: "hei", 2: "kai"}.get(level, "fang")

    def cell(self, style: str, align: str, size: float) -> ParagraphStyle:
        key = (style, align, size)
        if key not in self._cells:
            font = self.hei if style in ("header", "title") else self.song
            if not align:
                align = {"header": "center", "title": "center", "money": "right", "number": "right",
                         "score": "right", "percent": "right"}.get(style, "left")
            alignment = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}.get(align, TA_LEFT)
            fsize = size + 2 if style == "title" else size
            self._cells[key] = ParagraphStyle(
                f"cell_{style}_{align}_{size}", fontName=font, fontSize=fsize, leading=round(fsize * 1.32, 1),
                alignment=alignment, wordWrap="CJK")
        return self._cells[key]

    def variant(self, parent: ParagraphStyle, name: str, **changes) -> ParagraphStyle:
        """``parent`` with ``changes``, made once per distinct change (parsed paragraphs are cached per style)."""
        key = (id(parent), name, tuple(sorted(changes.items())))
        style = self._variants.get(key)
        if style is None:
            style = self._variants[key] = ParagraphStyle(name, parent=parent, **changes)
        return style


# ---------------------------------------------------------------- building blocks


COVER_TITLE_CHARS = 60  # two title lines of 26 pt fit about this many characters
COVER_VALUE_CHARS = 90  # three lines of a cover value
COVER_NAME_CHARS = 24  # a team member's name cell


def _fit(text: str, limit: int) -> str:
    """Shorten text for a fixed-size page, marking the cut with an ellipsis."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Builder:
    def __init__(self, report, tpl, result, fs: FontSet):
        self.report, self.tpl, self.result, self.fs = report, tpl, result, fs
        self.st = Styles(fs)
        self.missing: set[str] = set()
        # (markup, id(style)) → what parsing it gave: a big report repeats the same cells (合格, 提高, the
        # headers of every project table), and reportlab's markup parser (html.parser) is slow
        self._parsed: dict[tuple[str, int], tuple] = {}

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
        return Para(text, parsed_style, frags=[f.clone() for f in frags])

    def para(self, text: str, style: ParagraphStyle, role: str) -> "Para":
        markup = self.m(text, role)
        font = self.fs.font_name(role)
        if style.fontName != font:
            markup = f'<font name="{font}">{markup}</font>'
        return self.paragraph(markup, style)

    # ------------------------------------------------------------ cover

    def cover(self) -> list:
        st, b = self.st, self.report.basic
        line1, line2 = narrative_mod.report_title(self.report, self.tpl)
        out: list = [Spacer(1, 30 * mm)]
        for line in (line1, line2):
            if line:
                out.append(self.para(_fit(line, COVER_TITLE_CHARS), st.cover_title, "title"))
        out.append(Spacer(1, 40 * mm))
        rows = [("部门（单位）名称（公章）", b.department), ("预算编码", b.budget_code),
                ("评价方式", b.evaluation_mode), ("评价机构", b.evaluator), ("报告时间", b.report_date)]
        if b.document_number.strip():
            rows.append(("文号", b.document_number))
        # the cover is one fixed page: a value too long for it is shortened there (it is printed in full inside)
        data = [[self.para(f"{label}：", st.cover_label, "hei"), self.para(_fit(value, COVER_VALUE_CHARS), st.cover_value, "song")]
                for label, value in rows]
        width = PAGE_W - GW_MARGINS["left"] - GW_MARGINS["right"]
        from reportlab.pdfbase.pdfmetrics import stringWidth

        label_w = max(stringWidth(f"{label}：", st.hei, st.cover_label.fontSize) for label, _v in rows) + 16
        label_w = min(label_w, width * 0.6)
        t = Table(data, colWidths=[label_w, width - label_w])
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), st.song),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 9), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (1, 0), (1, -1), 6),
        ]))
        out.append(t)
        if self.report.team:
            out += [PageBreak(), Spacer(1, 10 * mm), self.para("评价小组", st.cover_team_title, "hei")]
            by_role: dict[str, list[str]] = {}
            for member in self.report.team:
                if member.name.strip():
                    by_role.setdefault(member.role or "成员", []).append(member.name.strip())
            labels = {"组长": "组\u3000\u3000长", "成员": "成\u3000\u3000员"}
            per_row = 5
            width = PAGE_W - GW_MARGINS["left"] - GW_MARGINS["right"]
            label_w = 15 * 5 + 6
            rows = []
            for role in ("组长", "副组长", "成员", *[r for r in by_role if r not in ("组长", "副组长", "成员")]):
                names = by_role.get(role)
                for i in range(0, len(names or ()), per_row):
                    label = self.para(labels.get(role, role) + "：", st.cover_team, "hei") if i == 0 else ""
                    chunk = names[i:i + per_row]
                    rows.append([label] + [self.para(_fit(n, COVER_NAME_CHARS), st.cover_team, "fang") for n in chunk]
                                + [""] * (per_row - len(chunk)))
            if rows:
                # one name per cell: a name is never split over two lines
                t = Table(rows, colWidths=[label_w] + [(width - label_w) / per_row] * per_row)
                t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.song), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                                       ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
                out.append(t)
        return out

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
        """A Grid as a bordered Table.

        Spans become SPANs.  A reportlab table cannot break a page inside a
        SPAN or a row, so (given ``max_height``, the frame height) a span taller
        than half a page is drawn as a merged-looking region instead (one box,
        text at its top, free to break across pages like a printed Excel form),
        and a row taller than a page is continued over extra rows inside such
        regions.  Nothing is ever cut off.
        """
        ncols = max(1, len(g.columns))
        total = float(sum(g.columns)) or 1.0
        widths = [width * float(c) / total for c in g.columns] or [width]
        unit = width / total  # points per character column (a CJK character is two)
        size = max(7.5, min(10.5, round(unit * 2 * 0.9 * 2) / 2))
        regions: list[_Region] = []
        for r, placed in enumerate(positions(g)):
            for c, cell in placed:
                if c >= ncols:
                    continue
                cs = min(cell.colspan, ncols - c)
                rs = max(1, min(cell.rowspan, len(g.rows) - r))
                content = self.cell_content(cell, size, sum(widths[c:c + cs]))
                regions.append(_Region(r, c, cs, rs, cell, [content]))
        nrows = max(1, len(g.rows))
        header = min(g.header_rows, max(nrows - 1, 0))
        if not max_height:
            return _make_table(regions, nrows, widths, header, self.st.song)
        measured = _make_table(regions, nrows, widths, header, self.st.song)
        measured.wrap(width, 1e9)
        heights = list(measured._rowHeights)
        changed = False
        for reg in regions:
            if reg.rs > 1 and sum(heights[reg.r:reg.r + reg.rs]) > max_height * 0.5:
                reg.real = False
                changed = True
        limit = max_height - sum(heights[:header]) - 8
        for r in reversed(range(header, nrows)):
            if heights[r] > limit:
                grown = _continue_row(regions, r, nrows, widths, limit)
                changed = changed or grown != nrows
                nrows = grown
        # the usual case: every span and row fits, and the measured table is the one to print
        # (building its style again costs as much as measuring it)
        return _make_table(regions, nrows, widths, header, self.st.song) if changed else measured

    # ------------------------------------------------------------ chart

    def score_chart(self, width: float) -> list:
        """Bar chart of 得分率 per 一级 indicator (skipped when there is no department score)."""
        dept = self.result.dept if self.result else None
        if dept is None or not dept.groups:
            return []
        from reportlab.graphics.charts.barcharts import VerticalBarChart
        from reportlab.graphics.shapes import Drawing, String

        st = self.st
        names, rates, shown = [], [], []
        for g in dept.groups:
            rate = g.rate
            rates.append(float(rate) if rate is not None else 0.0)
            shown.append(format_percent(rate))  # rounded half-up like the tables
            name = self.drawable(g.name, "song")
            names.append("\n".join(name[i:i + 6] for i in range(0, len(name), 6)))
        n = len(names)
        chart_w = min(width, max(300.0, 80.0 * n + 80))
        height = 210
        d = Drawing(chart_w, height)
        d.initialFontName, d.initialFontSize = st.song, 9  # else the renderer sets Helvetica (unembedded)
        bc = VerticalBarChart()
        bc.x, bc.y = 36, 42
        bc.width, bc.height = chart_w - 48, height - 66
        bc.data = [rates]
        bc.barWidth = 10
        bc.groupSpacing = 14
        bc.bars[0].fillColor = colors.HexColor("#4a6fa5")
        bc.bars[0].strokeColor = None
        bc.valueAxis.valueMin, bc.valueAxis.valueMax, bc.valueAxis.valueStep = 0, 100, 20
        bc.valueAxis.labels.fontName = st.song
        bc.valueAxis.labels.fontSize = 8
        bc.valueAxis.labelTextFormat = "%d%%"
        bc.valueAxis.visibleGrid = True
        bc.valueAxis.gridStrokeColor = colors.HexColor("#cccccc")
        bc.valueAxis.gridStrokeWidth = 0.4
        bc.categoryAxis.categoryNames = names
        bc.categoryAxis.labels.fontName = st.song
        bc.categoryAxis.labels.fontSize = 9
        bc.categoryAxis.labels.boxAnchor = "n"
        bc.categoryAxis.labels.dy = -3
        bc.barLabelFormat = lambda v: ""  # labels drawn below with 得分/分值
        bc.barLabels.fontName = st.song
        d.add(bc)
        # value labels above the bars
        step = bc.width / n
        for i, (v, text) in enumerate(zip(rates, shown)):
            x = bc.x + step * (i + 0.5)
            y = bc.y + bc.height * min(v, 100) / 100 + 3
            d.add(String(x, y, text, fontName=st.song, fontSize=8, textAnchor="middle"))
        title = self.paragraph(self.m("一级指标得分率", "hei"), st.chart_title)
        table = Table([[d]], colWidths=[chart_w], hAlign="CENTER")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.song),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        return [KeepTogether([title, table])]

    def drawable(self, text: str, role: str) -> str:
        """Text for graphics strings (no per-character fallback there): unknown characters → 〓."""
        bad = self.fs.missing_glyphs(text, role)
        if not bad:
            return text
        self.missing |= {ch for ch in bad if self.fs.provider(ch, role) is None}
        return "".join("〓" if ch in bad else ch for ch in text)

    # ------------------------------------------------------------ narrative

    def narrative(self) -> list:
        blocks = narrative_mod.report_blocks(self.report, self.tpl)
        if not blocks:
            return []
        st = self.st
        line1, line2 = narrative_mod.report_title(self.report, self.tpl)
        out: list = []
        for line in (line1, line2):
            if line:
                out.append(self.para(line, st.doc_title, "title"))
        out.append(Spacer(1, 28))
        if self.report.basic.addressee.strip():
            out.append(self.para(self.report.basic.addressee.strip().rstrip("：:") + "：", st.addressee, "fang"))
        for b in blocks:
            if b.level and not b.run_in:
                role = st.role_of_heading(b.level)
                out.append(self.para(b.text, st.heading(b.level), role))
            elif b.run_in:
                role = st.role_of_heading(b.level)
                font = {"hei": st.hei, "kai": st.kai}.get(role, st.fang)
                markup = f'<font name="{font}">{self.m(b.lead, role)}</font>{self.m(b.rest, "fang")}'
                out.append(self.paragraph(markup, st.body))
            else:
                out.append(self.para(b.text, st.body, "fang"))
        # 落款: unit and date, right-aligned
        date = self.report.basic.report_date.strip() or "年\u3000\u3000月\u3000\u3000日"
        out += [Spacer(1, 28), self.para(narrative_mod.signatory(self.report), st.signature, "fang"),
                self.para(date, st.signature, "fang")]
        return out

    # ------------------------------------------------------------ sign-off

    def sign_off(self, width: float, max_height: Optional[float] = None) -> list:
        st = self.st
        r = self.report
        leader = next((m.name for m in r.team if m.role == "组长" and m.name.strip()), "")
        out: list = [self.para("评价人员及审核意见", st.grid_title, "hei"), Spacer(1, 4)]
        members = [m for m in r.team if m.name.strip()]
        if members:
            g = Grid("team", "", [14, 20, 30, 18], header_rows=1)
            g.add(Cell("姓\u3000名", style="header"), Cell("职务/职称", style="header"),
                  Cell("单\u3000位", style="header"), Cell("签\u3000字", style="header"))
            for mbr in members:
                g.add(Cell(mbr.name, align="center"), Cell(mbr.title or mbr.role, align="center"),
                      Cell(mbr.unit or r.basic.department), Cell(""))
            out += [self.grid_table(g, width, max_height), Spacer(1, 8)]
        pad = FULL_SPACE * 12
        date_line = pad + "年\u3000\u3000月\u3000\u3000日"

        def block(head, opinion, signer_label, signer, date):
            lines = [f"{head}：{opinion.strip()}"] + [""] * (2 if opinion.strip() else 4)
            lines.append(pad + f"{signer_label}：{signer}".rstrip())
            lines.append(pad + date.strip() if date.strip() else date_line)
            return "\n".join(lines)

        g = Grid("sign", "", [80])
        g.add(Cell(f"评价组组长（签字）：{leader}\n\n\n{date_line}", style="sign"))
        g.add(Cell(block("部门（单位）意见", r.dept_opinion.opinion, "部门（单位）负责人（签章）",
                         r.dept_opinion.signer, r.dept_opinion.date), style="sign"))
        g.add(Cell(block("财政部门归口业务科室意见", r.finance_opinion.opinion, "财政部门归口业务科室负责人（签章）",
                         r.finance_opinion.signer, r.finance_opinion.date), style="sign"))
        out.append(self.grid_table(g, width, max_height))
        return out


# ---------------------------------------------------------------- table regions

PAD_X, PAD_TOP, PAD_BOTTOM = 3, 2.5, 3


class _Region:
    """A cell of the table: its place, its content per row (``parts``), whether it is a real SPAN."""

    def __init__(self, r, c, cs, rs, cell: Cell, parts: list):
        self.r, self.c, self.cs, self.rs, self.cell, self.parts = r, c, cs, rs, cell, parts
        self.real = True


def _make_table(regions: list[_Region], nrows: int, widths: list[float], header: int, font: str) -> Table:
    ncols = len(widths)
    data = [[""] * ncols for _ in range(nrows)]
    cmds = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        ("FONTNAME", (0, 0), (-1, -1), font),  # empty cells too: never an unembedded Helvetica
        ("FONTSIZE", (0, 0), (-1, -1), 6), ("LEADING", (0, 0), (-1, -1), 7),
    ]
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
    t = FormTable(data, colWidths=widths, repeatRows=header, splitByRow=1, splitInRow=0, hAlign="CENTER")
    t.setStyle(TableStyle(cmds))
    return t


class Para(Paragraph):
    """A Paragraph that breaks its lines once per width.

    reportlab wraps a table cell's paragraphs on every pass: when the table
    is measured for page planning, when the frame places it, when each part
    of a split table is measured and when a cell is drawn — the same line
    breaking four or five times over.  With ``wordWrap="CJK"`` (all our
    styles) the lines depend only on the fragments, the style and the width,
    and ``wrap`` sets nothing else, so what it computed is kept per width.

    A table measures a cell with its column width but draws it with the
    difference of two column positions, which can differ from it in the last
    bit (72.48160770948408 against 72.4816077094841): widths that close are
    the same width.
    """

    SAME_WIDTH = 1e-9  # points; float noise, a million times below what a PDF coordinate shows

    def wrap(self, availWidth, availHeight):
        if availWidth < _FUZZ or self.style.wordWrap != "CJK":
            return super().wrap(availWidth, availHeight)
        done = self.__dict__.setdefault("_wrapped", {})
        hit = done.get(availWidth)
        if hit is None and done:
            hit = next((v for w, v in done.items() if abs(w - availWidth) <= self.SAME_WIDTH), None)
        if hit is None:
            size = super().wrap(availWidth, availHeight)
            done[availWidth] = (size, self.blPara, self._wrapWidths, self.height)
            return size
        (_w, height), self.blPara, self._wrapWidths, self.height = hit
        self.width = availWidth  # as Paragraph.wrap: the width asked for is the width taken
        return availWidth, height


class _Cells(list):
    """A list of (column, row) cells whose ``in`` is a set lookup.

    reportlab keeps the cells covered by spans in plain lists and asks
    ``cell in cells`` for every cell each time it measures a table:
    quadratic in the number of spans, which a 50-project report has
    thousands of.  Order and contents stay those of the list.
    """

    def __init__(self, cells):
        super().__init__(cells)
        self._set = frozenset(self)

    def __contains__(self, cell) -> bool:
        return cell in self._set


class FormTable(Table):
    """A Table that closes its borders where a page break cuts it.

    reportlab splits BOX commands without drawing a line at the cut (and its
    ``splitlast`` rows only work for the first break), so merged-looking
    regions would stay open at the bottom of a page.
    """

    def _calcSpanRanges(self):
        super()._calcSpanRanges()
        self._colSpanCells = _Cells(self._colSpanCells)
        self._rowSpanCells = _Cells(self._rowSpanCells)

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

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            first.setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), 0.9, colors.black)]))
            rr = rest.repeatRows
            k = rr if isinstance(rr, int) else len(rr or ())
            if k < rest._nrows:
                rest.setStyle(TableStyle([("LINEABOVE", (0, k), (-1, k), 0.5, colors.black)]))
        return parts


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


def _has_sign_blocks(grids: Iterable[Grid]) -> bool:
    return any(cell.style == "sign" for g in grids for row in g.rows for cell in row)


def _is_project(g: Grid) -> bool:
    return g.key.startswith("project_self_eval")


@collector_paused()
def build_pdf(report, tpl, result, grids: Optional[list[Grid]] = None) -> bytes:
    """The report as a print-ready A4 PDF.

    Returns ``Rendered`` bytes: ``.missing_chars`` lists characters no font
    could draw (printed as 〓), ``.warning`` the message for the clerk.
    ``grids``: the official tables; by default ``export.forms.grids_for``.
    """
    install_line_breaking()
    rlfast.install()
    rl_config.useA85 = 0  # compressed streams as binary, not ASCII85 text: 10 % smaller, one pass less
    fs = get_fonts()
    if grids is None:
        from .forms import grids_for

        grids = grids_for(report, tpl, result)
    b = Builder(report, tpl, result, fs)
    st = b.st

    buf = io.BytesIO()
    line1, line2 = narrative_mod.report_title(report, tpl)
    doc = BaseDocTemplate(
        buf, pagesize=A4, title=f"{line1}{line2}", author=report.basic.department or APP_NAME,
        subject=tpl.title, creator=APP_NAME, producer=APP_NAME, lang="zh-CN",
        initialFontName=st.song, initialFontSize=10.5, initialLeading=14,
        leftMargin=GW_MARGINS["left"], rightMargin=GW_MARGINS["right"],
        topMargin=GW_MARGINS["top"], bottomMargin=GW_MARGINS["bottom"],
    )
    land = landscape(A4)
    doc.addPageTemplates([
        PageTemplate("cover", [_frame(A4, GW_MARGINS, "cover")], pagesize=A4),
        PageTemplate("gongwen", [_frame(A4, GW_MARGINS, "gw")], pagesize=A4, onPage=_mark_footer(20 * mm)),
        PageTemplate("portrait", [_frame(A4, TABLE_MARGINS, "tp")], pagesize=A4, onPage=_mark_footer(9 * mm)),
        PageTemplate("landscape", [_frame(land, TABLE_MARGINS, "tl")], pagesize=land, onPage=_mark_footer(9 * mm)),
    ])
    width_p = A4[0] - TABLE_MARGINS["left"] - TABLE_MARGINS["right"]
    width_l = land[0] - TABLE_MARGINS["left"] - TABLE_MARGINS["right"]
    height_p = A4[1] - TABLE_MARGINS["top"] - TABLE_MARGINS["bottom"]
    height_l = land[1] - TABLE_MARGINS["top"] - TABLE_MARGINS["bottom"]

    story: list = b.cover()

    def new_page(template: str):
        story.append(NextPageTemplate(template))
        story.append(PageBreak())

    is_dept = tpl.kind == "dept"
    main = [g for g in grids if not (is_dept and (_is_project(g) or g.key == "base_data"))]
    annex = [g for g in grids if g not in main]
    chart = b.score_chart(width_p)
    chart_after = next((g for key in ("score_summary", "indicator_scores", "dept_self_eval")
                        for g in main if g.key == key), None)

    def add_grid(g: Grid, label: str = ""):
        new_page("landscape" if g.landscape else "portrait")
        if g.landscape:
            story.extend(b.grid_flowables(g, width_l, label, height_l))
        else:
            story.extend(b.grid_flowables(g, width_p, label, height_p))
        if g is chart_after and chart:
            story.append(CondPageBreak(220))
            story.extend(chart)

    for g in main:
        add_grid(g)
    if chart and chart_after is None:
        new_page("portrait")
        story.extend(chart)

    body = b.narrative()
    if body:
        new_page("gongwen")
        story.extend(body)

    for n, g in enumerate(annex, 1):
        add_grid(g, f"附件{n}")

    if not _has_sign_blocks(grids):
        new_page("portrait")
        story.extend(b.sign_off(width_p, height_p))

    doc.build(story, canvasmaker=_canvas_class(st.song))
    return Rendered(buf.getvalue(), b.missing)
