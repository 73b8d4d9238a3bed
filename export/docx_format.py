"""Word formatting shared by the Word writer's parts: 公文 styles, East Asian faces, fields, rows that never split.

Chinese face names are written to ``w:eastAsia`` (and ascii/hAnsi) with theme
fonts removed, so WPS and Word show the intended faces.
"""
from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

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


def reset_rpr(style) -> None:
    """Remove what Word's built-in heading/title styles carry that 公文 does not want (theme colours, sizes)."""
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:sz", "w:szCs", "w:b", "w:bCs", "w:i", "w:iCs", "w:spacing", "w:kern"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)


def indent_chars(paragraph_format_element, chars: int) -> None:
    """First-line indent in character units (w:firstLineChars), as WPS/Word set it for Chinese text."""
    ind = paragraph_format_element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def exact_lines(pf, points: float) -> None:
    pf.line_spacing = Pt(points)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def gongwen_style(style, face: str, size: float, bold: bool = False, indent: bool = True,
                   align=WD_ALIGN_PARAGRAPH.JUSTIFY) -> None:
    reset_rpr(style)
    set_fonts(style.element, face)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    exact_lines(pf, LINE_PT)
    pf.alignment = align
    pf.left_indent = Pt(0)
    if indent:
        pf.first_line_indent = Pt(size * 2)
        indent_chars(style.element, 2)
    else:
        pf.first_line_indent = Pt(0)


def page_field(paragraph, instr: str, face: str, size: float) -> None:
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


def no_row_splits(table, keep_together: bool = False) -> None:
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


def setup_document(doc, f: dict) -> None:
    """A4 公文 page, Chinese document defaults, the 公文 styles (body, headings, title, table text) and the page-number footer."""
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
    gongwen_style(styles["Normal"], f["fang"], BODY_PT, indent=False)
    body = styles.add_style(BODY_STYLE, 1)
    body.base_style = styles["Normal"]
    body.quick_style = True
    gongwen_style(body, f["fang"], BODY_PT)
    for level, (name, role, bold) in HEADINGS.items():
        st = styles[name]
        gongwen_style(st, f[role], BODY_PT, bold=bold, align=WD_ALIGN_PARAGRAPH.LEFT)
        st.paragraph_format.keep_with_next = True
        st.next_paragraph_style = body
    title = styles["Title"]
    gongwen_style(title, f["title"], TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    exact_lines(title.paragraph_format, 36)
    title.next_paragraph_style = body
    table = styles.add_style(TABLE_STYLE, 1)
    table.base_style = styles["Normal"]
    gongwen_style(table, f["song"], TABLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    exact_lines(table.paragraph_format, 16)
    footer_style = styles["Footer"]
    reset_rpr(footer_style)
    set_fonts(footer_style.element, f["song"])
    footer_style.font.size = Pt(12)

    # footer: 第 X 页 共 Y 页
    p = sec.footer.paragraphs[0] if sec.footer.paragraphs else sec.footer.add_paragraph()
    p.style = footer_style
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("第 ", ("PAGE",), " 页 共 ", ("NUMPAGES",), " 页"):
        if isinstance(part, tuple):
            page_field(p, part[0], f["song"], 12)
        else:
            r = p.add_run(part)
            set_fonts(r._r, f["song"])
            r.font.size = Pt(12)
