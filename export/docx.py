"""The narrative report as an editable Word file (python-docx), in 公文 style.

``build_docx(report, tpl, result) -> bytes``: A4 with 公文 margins (top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm); title 方正小标宋简体 (when installed,
else 黑体) 22 pt centred; body 仿宋 16 pt, first line indented two characters,
lines exactly 28 pt; headings are Word's own “Heading 1–4” styles restyled
(黑体 / 楷体 / 仿宋 bold / 仿宋) so the navigation pane and a table of contents
work; “第 X 页 共 Y 页” in the footer (PAGE / NUMPAGES fields); the score
summary as a small table; signature lines.  Chinese face names are written
to ``w:eastAsia`` (and ascii/hAnsi) with theme fonts removed, so WPS and Word
show the intended faces.  Sections the clerk has not written yet appear as
headings with an empty paragraph, ready to type into.
"""
from __future__ import annotations

import io
from typing import Optional

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from model.money import format_decimal, format_percent

from . import narrative as narrative_mod
from .fonts import docx_face
from .gcpause import collector_paused

APP_NAME = "绩效自评填报助手"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28
TABLE_PT = 10.5  # 五号
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
FULL_SPACE = "\u3000"
DATE_BLANK = f"年{FULL_SPACE * 2}月{FULL_SPACE * 2}日"

# Word's built-in heading styles, by 公文 level: (style, font role, bold)
HEADINGS = {1: ("Heading 1", "hei", False), 2: ("Heading 2", "kai", False),
            3: ("Heading 3", "fang", True), 4: ("Heading 4", "fang", False)}
BODY_STYLE = "公文正文"
TABLE_STYLE = "表格文字"


# ---------------------------------------------------------------- low-level formatting

def set_fonts(element, face: str) -> None:
    """Give a run/style's rPr the face for East Asian and Latin text; drop theme fonts."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in THEME_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), face)
    rfonts.set(qn("w:hint"), "eastAsia")


def _reset_rpr(style) -> None:
    """Remove what Word's built-in heading/title styles carry that 公文 does not want (theme colours, sizes)."""
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:sz", "w:szCs", "w:b", "w:bCs", "w:i", "w:iCs", "w:spacing", "w:kern"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)


def _indent_chars(paragraph_format_element, chars: int) -> None:
    """First-line indent in character units (w:firstLineChars), as WPS/Word set it for Chinese text."""
    ind = paragraph_format_element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _exact_lines(pf, points: float) -> None:
    pf.line_spacing = Pt(points)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def _gongwen_style(style, face: str, size: float, bold: bool = False, indent: bool = True,
                   align=WD_ALIGN_PARAGRAPH.JUSTIFY) -> None:
    _reset_rpr(style)
    set_fonts(style.element, face)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    _exact_lines(pf, LINE_PT)
    pf.alignment = align
    pf.left_indent = Pt(0)
    if indent:
        pf.first_line_indent = Pt(size * 2)
        _indent_chars(style.element, 2)
    else:
        pf.first_line_indent = Pt(0)


def _field(paragraph, instr: str, face: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) with a placeholder result, updated by Word/WPS/LibreOffice."""
    def run(el=None, text=None):
        r = paragraph.add_run(text)
        set_fonts(r._r, face)
        r.font.size = Pt(size)
        if el is not None:
            r._r.append(el)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")  # no w:dirty: page fields are laid out anew anyway, no prompt
    run(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instr} \\* MERGEFORMAT "
    run(code)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run(sep)
    run(text="1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run(end)


def _no_row_splits(table, keep_together: bool = False) -> None:
    """Rows never break across pages (w:cantSplit); ``keep_together`` keeps the whole table on one page."""
    rows = list(table.rows)
    for i, row in enumerate(rows):
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))
        if keep_together:
            cells = row.cells
            for cell in cells:
                paras = cell.paragraphs
                for j, p in enumerate(paras):
                    if i < len(rows) - 1 or j < len(paras) - 1:
                        p.paragraph_format.keep_with_next = True


# ---------------------------------------------------------------- the document

class DocxBuilder:
    def __init__(self, report, tpl, result):
        self.report, self.tpl, self.result = report, tpl, result
        self.faces = {role: docx_face(role) for role in ("song", "hei", "fang", "kai", "title")}
        self.doc = Document()
        self._style_ids: dict[str, Optional[str]] = {}
        self._setup()

    # ------------------------------------------------------------ setup

    def _setup(self) -> None:
        doc, f = self.doc, self.faces
        sec = doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)
        sec.header_distance, sec.footer_distance = Mm(15), Mm(20)

        # document defaults: Chinese language and 仿宋, so new text typed anywhere looks right
        defaults = doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = defaults.find(qn("w:rPrDefault"))
            rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
            if rpr is not None:
                for el in rpr.findall(qn("w:rFonts")):
                    rpr.remove(el)
                rfonts = OxmlElement("w:rFonts")
                for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                    rfonts.set(qn(attr), f["fang"])
                rpr.insert(0, rfonts)
                for el in rpr.findall(qn("w:lang")):
                    rpr.remove(el)
                lang = OxmlElement("w:lang")
                lang.set(qn("w:val"), "en-US")
                lang.set(qn("w:eastAsia"), "zh-CN")
                lang.set(qn("w:bidi"), "ar-SA")
                rpr.append(lang)

        styles = doc.styles
        _gongwen_style(styles["Normal"], f["fang"], BODY_PT, indent=False)
        body = styles.add_style(BODY_STYLE, 1)
        body.base_style = styles["Normal"]
        body.quick_style = True
        _gongwen_style(body, f["fang"], BODY_PT)
        for level, (name, role, bold) in HEADINGS.items():
            st = styles[name]
            _gongwen_style(st, f[role], BODY_PT, bold=bold, align=WD_ALIGN_PARAGRAPH.LEFT)
            st.paragraph_format.keep_with_next = True
            st.next_paragraph_style = body
        title = styles["Title"]
        _gongwen_style(title, f["title"], TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        _exact_lines(title.paragraph_format, 36)
        title.next_paragraph_style = body
        table = styles.add_style(TABLE_STYLE, 1)
        table.base_style = styles["Normal"]
        _gongwen_style(table, f["song"], TABLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
        _exact_lines(table.paragraph_format, 16)
        footer_style = styles["Footer"]
        _reset_rpr(footer_style)
        set_fonts(footer_style.element, f["song"])
        footer_style.font.size = Pt(12)

        # footer: 第 X 页 共 Y 页
        p = sec.footer.paragraphs[0] if sec.footer.paragraphs else sec.footer.add_paragraph()
        p.style = footer_style
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in ("第 ", ("PAGE",), " 页 共 ", ("NUMPAGES",), " 页"):
            if isinstance(part, tuple):
                _field(p, part[0], f["song"], 12)
            else:
                r = p.add_run(part)
                set_fonts(r._r, f["song"])
                r.font.size = Pt(12)

        line1, line2 = narrative_mod.report_title(self.report, self.tpl)
        props = doc.core_properties
        props.title = f"{line1}{line2}"
        props.author = self.report.basic.department or APP_NAME
        props.subject = self.tpl.title
        props.comments = f"由{APP_NAME}生成，可继续在 WPS 或 Word 中编辑。"
        props.language = "zh-CN"

    # ------------------------------------------------------------ writing helpers

    def run(self, paragraph, text: str, role: Optional[str] = None, bold: Optional[bool] = None, size=None):
        r = paragraph.add_run(text)
        if role:
            set_fonts(r._r, self.faces[role])
        if bold is not None:
            r.bold = bold
        if size:
            r.font.size = Pt(size)
        return r

    def style_id(self, name: str) -> Optional[str]:
        """The w:pStyle id python-docx writes for paragraph style ``name`` (None for the default style), found once.

        ``add_paragraph(text, style=name)`` looks the style up by name and
        compares it with the default style by scanning every style of the
        document, for every paragraph: 40 % of the Word export's time.
        """
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return self._style_ids[name]

    def paragraph(self, text: str = "", style: Optional[str] = None, container=None):
        """``(container or doc).add_paragraph(text, style)``, with the style id looked up once."""
        p = (container if container is not None else self.doc).add_paragraph(text)
        if style is not None:
            self.set_style(p, style)
        return p

    def set_style(self, p, style: str) -> None:
        """``p.style = style`` (by name), with the style id looked up once."""
        p._p.style = self.style_id(style)

    def body(self, text: str = ""):
        return self.paragraph(text, BODY_STYLE)

    def heading(self, level: int, text: str):
        name = HEADINGS[min(max(level, 1), 4)][0]
        return self.paragraph(text, name)

    def block(self, b: narrative_mod.Block) -> None:
        if b.level and not b.run_in:
            self.heading(b.level, b.text)
        elif b.run_in:
            _name, role, bold = HEADINGS[min(b.level, 4)]
            p = self.body()
            self.run(p, b.lead, role, bold=bold or None)
            self.run(p, b.rest)
        else:
            self.body(b.text)

    def right_line(self, text: str, style=BODY_STYLE, indent_chars: int = 4):
        p = self.paragraph(text, style)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Pt(BODY_PT * indent_chars)
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "0")
        return p

    def page_break(self) -> None:
        p = self.paragraph(style="Normal")
        p.add_run().add_break(WD_BREAK.PAGE)

    # ------------------------------------------------------------ parts

    def title(self) -> None:
        line1, line2 = narrative_mod.report_title(self.report, self.tpl)
        p = self.paragraph(style="Title")
        lines = [line for line in (line1, line2) if line]
        for i, line in enumerate(lines):
            r = p.add_run(line)
            if i < len(lines) - 1:
                r.add_break()
        self.paragraph(style=BODY_STYLE)  # one blank 公文 line under the title
        addressee = self.report.basic.addressee.strip()
        if addressee:
            self.paragraph(addressee.rstrip("：:") + "：", "Normal")

    def narrative(self) -> None:
        narrative = self.report.narrative or {}
        known = set()
        for sec in self.tpl.narrative_sections:
            known.add(sec.id)
            text = narrative.get(sec.id, "") or ""
            blocks = narrative_mod.section_blocks(sec.title, text)
            for b in blocks:
                self.block(b)
            if not text.strip():
                self.body()  # room to write the section
        for sid, text in narrative.items():
            if sid not in known and (text or "").strip():
                for b in narrative_mod.parse(text):
                    self.block(b)
        # 落款: unit and date
        self.paragraph(style=BODY_STYLE)
        self.right_line(narrative_mod.signatory(self.report))
        self.right_line(self.report.basic.report_date.strip() or DATE_BLANK)

    def _table(self, rows: list[list[str]], widths_mm: list[float], header_rows: int = 1,
               aligns: Optional[list[str]] = None):
        t = self.doc.add_table(rows=len(rows), cols=len(widths_mm))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        # row by row: t.cell(r, c) lists every cell of the table on each call
        for r, (row, t_row) in enumerate(zip(rows, t.rows)):
            for c, (text, cell) in enumerate(zip(row, t_row.cells)):
                cell.width = Mm(widths_mm[c])
                p = cell.paragraphs[0]
                self.set_style(p, TABLE_STYLE)
                header = r < header_rows
                align = "center" if header else (aligns[c] if aligns else "left")
                p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(
                    align, WD_ALIGN_PARAGRAPH.LEFT)
                self.run(p, text, "hei" if header else None)
        for c, w in enumerate(widths_mm):
            t.columns[c].width = Mm(w)  # w:gridCol, which LibreOffice and WPS lay out by
        for r in range(header_rows):
            tr_pr = t.rows[r]._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            tr_pr.append(el)
        _no_row_splits(t)
        return t

    def score_summary(self) -> bool:
        """得分情况 table(s): 一级/二级 subtotals of the department score, and each project's total."""
        res = self.result
        if res is None or (res.dept is None and not res.projects):
            return False
        p = self.paragraph("绩效自评得分情况", "Normal")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        for r in p.runs:
            set_fonts(r._r, self.faces["hei"])
        if res.dept is not None:
            rows = [["指标", "分值", "得分", "得分率"]]
            for g in res.dept.groups:
                rows.append([g.name, format_decimal(g.weight), format_decimal(g.score), format_percent(g.rate)])
                for child in g.children:
                    if hasattr(child, "children"):
                        rows.append([FULL_SPACE + child.name, format_decimal(child.weight),
                                     format_decimal(child.score), format_percent(child.rate)])
            totals = res.dept.totals
            rows.append(["合计", "100.00", format_decimal(totals.total), format_percent(totals.rate)])
            rows.append(["评价等次", totals.grade, "", ""])
            t = self._table(rows, [70, 30, 30, 30], aligns=["left", "right", "right", "right"])
            last = t.rows[-1]
            merged = last.cells[1].merge(last.cells[3])
            for extra in merged.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
            merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._bold_row(t.rows[-2])
        if res.projects:
            if res.dept is not None:
                self.paragraph(style=TABLE_STYLE)
            rows = [["序号", "项目名称", "得分", "评价等次"]]
            for p_score in res.projects:
                rows.append([str(p_score.index + 1), p_score.name, format_decimal(p_score.totals.total),
                             p_score.totals.grade])
            self._table(rows, [14, 100, 23, 23], aligns=["center", "left", "right", "center"])
        return True

    def _bold_row(self, row) -> None:
        for cell in row.cells:
            for p in cell.paragraphs:
                for r in p.runs:
                    set_fonts(r._r, self.faces["hei"])

    def sign_off(self) -> None:
        r = self.report
        leader = next((m.name for m in r.team if m.role == "组长" and m.name.strip()), "")
        self.paragraph(style=TABLE_STYLE)
        blocks = [
            (f"评价组组长（签字）：{leader}", "", "", ""),
            ("部门（单位）意见：", r.dept_opinion.opinion, f"部门（单位）负责人（签章）：{r.dept_opinion.signer}",
             r.dept_opinion.date),
            ("财政部门归口业务科室意见：", r.finance_opinion.opinion,
             f"财政部门归口业务科室负责人（签章）：{r.finance_opinion.signer}", r.finance_opinion.date),
        ]
        t = self.doc.add_table(rows=len(blocks), cols=1)
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.columns[0].width = Mm(156)
        for (head, opinion, signer, date), t_row in zip(blocks, t.rows):
            cell = t_row.cells[0]
            cell.width = Mm(156)
            p = cell.paragraphs[0]
            self.set_style(p, TABLE_STYLE)
            self.run(p, head, "hei")
            if opinion.strip():
                self.run(p, opinion.strip())
            for _ in range(2 if opinion.strip() else 3):
                self.paragraph(style=TABLE_STYLE, container=cell)
            if signer:
                q = self.paragraph(signer.rstrip(), TABLE_STYLE, container=cell)
                q.paragraph_format.left_indent = Pt(TABLE_PT * 14)
            q = self.paragraph(date.strip() or DATE_BLANK, TABLE_STYLE, container=cell)
            q.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            q.paragraph_format.right_indent = Pt(TABLE_PT * 3)
        _no_row_splits(t, keep_together=True)

    # ------------------------------------------------------------ all

    def build(self) -> bytes:
        self.title()
        self.narrative()
        self.page_break()
        if self.score_summary():
            self.paragraph(style=TABLE_STYLE)
        self.sign_off()
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


@collector_paused()
def build_docx(report, tpl, result) -> bytes:
    """The narrative report as an editable .docx (bytes)."""
    return DocxBuilder(report, tpl, result).build()
