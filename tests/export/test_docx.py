"""Word export: reopens with python-docx, real heading styles, 公文 body, East Asian fonts, A4 公文 margins, footer fields."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from export import fonts as fonts_mod
from model import scoring, storage, templates

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"


def load(name):
    report = storage.load(SAMPLES / f"{name}.jxzp.json")
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


@pytest.fixture(scope="module")
def built():
    from export.docx import build_docx

    cache = {}

    def get(name):
        if name not in cache:
            data = build_docx(*load(name))
            cache[name] = (data, docx.Document(io.BytesIO(data)))
        return cache[name]

    return get


def by_style(doc, name):
    return [p.text for p in doc.paragraphs if p.style.name == name]


def east_asia(element) -> str | None:
    rpr = element.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_reopens_with_headings_in_template_order(built):
    data, doc = built("xiangxi_2021")
    assert data[:2] == b"PK"
    report, tpl, _ = load("xiangxi_2021")
    h1 = by_style(doc, "Heading 1")
    assert h1 == [s.title for s in tpl.narrative_sections]
    assert "（一）部门（单位）基本情况。" in by_style(doc, "Heading 2")
    assert "3、项目管理情况" in by_style(doc, "Heading 3")
    title = by_style(doc, "Title")
    assert title == ["湘西自治州乡村振兴局\n2021年度部门整体支出绩效自评报告"]
    body = by_style(doc, "公文正文")
    assert any(t.startswith("湘西土家族苗族自治州乡村振兴局为州人民政府工作部门") for t in body)
    assert "本单位无政府性基金预算。" in body


def test_run_in_heading_keeps_the_paragraph(built):
    _, doc = built("xiangxi_2021")
    para = next(p for p in doc.paragraphs if p.text.startswith("（一）全力巩固“两不愁三保障”"))
    assert para.style.name == "公文正文"
    lead = para.runs[0]
    assert lead.text == "（一）全力巩固“两不愁三保障”和饮水安全保障成果。"
    assert east_asia(lead._r) == fonts_mod.docx_face("kai")
    assert para.runs[1].text.startswith("教育保障方面")
    bold_lead = next(p for p in doc.paragraphs if p.text.startswith("1、强力推进有效衔接。"))
    assert bold_lead.runs[0].bold is True


def test_east_asian_fonts_and_gongwen_body(built):
    _, doc = built("shilong_2020")
    styles = doc.styles
    fang, hei, kai = (fonts_mod.docx_face(r) for r in ("fang", "hei", "kai"))
    assert east_asia(styles["Normal"].element) == fang
    assert east_asia(styles["公文正文"].element) == fang
    assert east_asia(styles["Heading 1"].element) == hei
    assert east_asia(styles["Heading 2"].element) == kai
    assert east_asia(styles["Heading 3"].element) == fang and styles["Heading 3"].font.bold is True
    assert east_asia(styles["Title"].element) == fonts_mod.docx_face("title")
    for name in ("Normal", "公文正文", "Heading 1", "Heading 2", "Heading 3", "Title"):
        rfonts = styles[name].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert not any(k.endswith("Theme") or k.endswith("theme") for k in rfonts.attrib), name  # theme fonts would win
    body = styles["公文正文"]
    pf = body.paragraph_format
    assert body.font.size == Pt(16)
    assert pf.line_spacing == Pt(28) and pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert pf.first_line_indent == Pt(32)
    ind = body.element.find(qn("w:pPr")).find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert styles["Title"].font.size == Pt(22)
    assert styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert styles["Heading 1"].font.size == Pt(16) and not styles["Heading 1"].font.bold
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_a4_gongwen_margins_and_page_number_fields(built):
    _, doc = built("xingxian_2022")
    sec = doc.sections[0]
    got = (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)
    want = (210, 297, 37, 35, 28, 26)  # mm; Word stores twips
    assert [round(v.mm, 1) for v in got] == [float(w) for w in want]
    footer = sec.footer.paragraphs[0]
    codes = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert [c.split()[0] for c in codes] == ["PAGE", "NUMPAGES"]
    assert footer.text.replace("1", "X", 1).replace("1", "Y", 1) == "第 X 页 共 Y 页"


def test_score_summary_and_sign_off(built):
    _, doc = built("shilong_2020")
    text = all_text(doc)
    assert "86.00" in text and "履职效能" in text and "良" in text
    assert "评价组组长（签字）" in text and "部门（单位）负责人（签章）" in text
    _, doc = built("xingxian_2022")
    text = all_text(doc)
    assert "2022年脱贫劳动力稳岗补助" in text and "83.73" in text
    header = doc.tables[0].rows[0]
    assert header._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None  # repeats on a new page


def test_empty_sections_are_ready_to_type_into(built):
    _, doc = built("xingxian_2022")  # no narrative written yet
    report, tpl, _ = load("xingxian_2022")
    assert by_style(doc, "Heading 1") == [s.title for s in tpl.narrative_sections]
    paras = doc.paragraphs
    for i, p in enumerate(paras):
        if p.style.name == "Heading 1":
            assert paras[i + 1].style.name == "公文正文"


def test_user_text_is_kept_verbatim():
    from export.docx import build_docx

    report, tpl, result = load("xingxian_2022")
    report = copy.deepcopy(report)
    report.narrative["overview"] = "=SUM(A1)<b>&amp; 𪚖\n（一）项目概况\n正文"
    doc = docx.Document(io.BytesIO(build_docx(report, tpl, result)))
    body = by_style(doc, "公文正文")
    assert "=SUM(A1)<b>&amp; 𪚖" in body
    assert "（一）项目概况" in by_style(doc, "Heading 2")
