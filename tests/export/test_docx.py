"""Word export: reopens with python-docx, real heading styles, 公文 body, East Asian fonts, A4 公文 margins, footer fields."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import docx
import docx.text.paragraph
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
    from model import storage
    from model.checksum import checksum
    from tests.conftest import SAMPLES

    page, code = footer.text.split("\u3000\u3000")
    assert page.replace("1", "X", 1).replace("1", "Y", 1) == "第 X 页 共 Y 页"
    assert code == f"校验码 {checksum(storage.load(SAMPLES / 'xingxian_2022.jxzp.json'))}"


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


def test_no_heading_stands_alone(built):
    """Sections not written yet are left out: no bare heading, and no draft text the clerk never saw."""
    report, tpl, result = load("xingxian_2022")
    report = copy.deepcopy(report)
    report.narrative = {"overview": "本项目概况。"}
    from export.docx import build_docx

    doc = docx.Document(io.BytesIO(build_docx(report, tpl, result)))
    assert by_style(doc, "Heading 1") == [tpl.narrative_sections[0].title]
    from model import narrative as drafts

    for s in tpl.narrative_sections[1:]:  # drafts exist but were never accepted: not printed
        draft = drafts.draft(report, tpl, result, s.id)
        assert not draft or draft.splitlines()[0] not in all_text(doc)
    body = doc.element.body
    blocks = [el for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
    for i, el in enumerate(blocks):
        if el.tag == qn("w:p") and docx.text.paragraph.Paragraph(el, doc).style.name.startswith("Heading"):
            after = blocks[i + 1]
            assert after.tag == qn("w:tbl") or docx.text.paragraph.Paragraph(after, doc).style.name == "公文正文"
            assert after.tag == qn("w:tbl") or docx.text.paragraph.Paragraph(after, doc).text.strip()


def test_user_text_is_kept_verbatim():
    from export.docx import build_docx

    report, tpl, result = load("xingxian_2022")
    report = copy.deepcopy(report)
    report.narrative["overview"] = "=SUM(A1)<b>&amp; 𪚖\n（一）项目概况\n正文"
    doc = docx.Document(io.BytesIO(build_docx(report, tpl, result)))
    body = by_style(doc, "公文正文")
    assert "=SUM(A1)<b>&amp; 𪚖" in body
    assert "（一）项目概况" in by_style(doc, "Heading 2")


# ---------------------------------------------------------------- tables

def tables_by_first_cell(doc, text):
    return [t for t in doc.tables if t.rows and t.rows[0].cells[0].text == text]


def grid_texts_match(table, grid):
    """Every cell of the grid reads the same in the Word table, spans resolved (python-docx gives a merged cell
    at each position it covers)."""
    from export.grid import positions

    for r, placed in enumerate(positions(grid)):
        for c, cell in placed:
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    got = table.cell(r + dr, c + dc).text
                    assert got == cell.text, (r + dr, c + dc, got, cell.text)


def test_project_forms_are_word_tables_built_from_the_grids(built):
    from export.forms import grids_for

    data, doc = built("xingxian_2022")
    report, tpl, result = load("xingxian_2022")
    grids = [g for g in grids_for(report, tpl, result) if g.key.startswith("project_self_eval")]
    forms = tables_by_first_cell(doc, "项目名称")
    assert len(forms) == len(grids) == 4
    for table, grid in zip(forms, grids):
        assert len(table.rows) == len(grid.rows) and len(table.columns) == len(grid.columns)
        grid_texts_match(table, grid)
        xml = table._tbl.xml
        assert "w:gridSpan" in xml and 'w:vMerge w:val="restart"' in xml  # merged as on the form
        assert "w:tblBorders" in xml and 'w:tblLayout w:type="fixed"' in xml
    text = all_text(doc)
    for n, project in enumerate(report.projects, 1):
        assert f"附件{n}" in text and project.name in text
    assert "83.73" in text
    # each form on its own A4 section after the report (portrait grids: portrait pages)
    assert len(doc.sections) == 1 + len(grids)
    for sec, grid in zip(doc.sections[1:], grids):
        assert round(sec.page_width.mm) == (297 if grid.landscape else 210)


def test_a_landscape_grid_with_spans_and_a_repeated_header():
    from export.docx import build_docx
    from export.grid import Cell, Grid

    report, tpl, result = load("xingxian_2022")
    g = Grid("project_self_eval.0", "宽表", [10, 20, 20, 10], header_rows=2, landscape=True, subtitle="（2022年度）",
             notes=["注：测试。"])
    g.add(Cell("一级", rowspan=3, style="header"), Cell("合并两列", colspan=2, style="header"), Cell("分值", style="header"))
    g.add(Cell("甲", style="header"), Cell("乙", style="header"), Cell("", style="header"))
    g.add(Cell("长长的文字" * 8), Cell("1,234.50", style="money"), Cell("10", style="score"))
    doc = docx.Document(io.BytesIO(build_docx(report, tpl, result, grids=[g])))
    sec = doc.sections[-1]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (297, 210)
    (table,) = tables_by_first_cell(doc, "一级")
    grid_texts_match(table, g)
    rows = table._tbl.findall(qn("w:tr"))
    assert [r.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for r in rows] == [True, True, False]
    right = [p for p in table.rows[2].cells[2].paragraphs][0]
    assert right.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[0].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    header_run = table.rows[0].cells[1].paragraphs[0].runs[0]
    assert east_asia(header_run._r) == fonts_mod.docx_face("hei")
    assert "注：测试。" in all_text(doc) and "（2022年度）" in all_text(doc)


def test_narrative_tables_print_as_word_tables(built):
    _, doc = built("xiangxi_2021")
    (table,) = tables_by_first_cell(doc, "项目名称")  # seed 001's 年度专项资金收支情况, written with ｜
    assert [c.text for c in table.rows[0].cells] == ["项目名称", "年初财政拨款结转和结余", "财政拨款收入", "财政拨款支出",
                                                     "年末财政拨款结转"]
    assert table.rows[-1].cells[3].text == "643.59"
    assert table.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert table.rows[2].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # money right-aligned
    assert table.rows[2].cells[0].paragraphs[0].alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)
    assert not any("｜" in p.text or "|" in p.text for p in doc.paragraphs)  # no pipe text left in the report


def test_draft_tables_keep_their_title_and_unit(built):
    from export.docx import build_docx

    report, tpl, result = load("xiangxi_2021")
    report = copy.deepcopy(report)
    from model import narrative as drafts

    report.narrative["general_budget"] = drafts.draft(report, tpl, result, "finance")
    doc = docx.Document(io.BytesIO(build_docx(report, tpl, result)))
    paras = [p for p in doc.paragraphs]
    title = next(i for i, p in enumerate(paras) if p.text == "表1 2021年度收入情况")
    assert paras[title].alignment == WD_ALIGN_PARAGRAPH.CENTER and paras[title].paragraph_format.keep_with_next
    assert paras[title - 1].text.endswith("收入构成见下表。") and paras[title - 1].paragraph_format.keep_with_next
    assert paras[title + 1].text == "单位：万元" and paras[title + 1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    (income,) = tables_by_first_cell(doc, "收入项目")
    assert [c.text for c in income.rows[-1].cells] == ["合计", "1,257.67", "100.00%"]


def test_an_unfinished_report_says_so_and_prints_no_score():
    from export.docx import build_docx
    from model.report import Report

    report = Report(template_id="henan-dept-2020", fiscal_year=2024)
    report.basic.department = "某县乡村振兴局"
    tpl = templates.get(report.template_id)
    result = scoring.score(report, tpl)
    assert not result.complete
    doc = docx.Document(io.BytesIO(build_docx(report, tpl, result)))
    from export.narrative import report_title

    line1, line2 = report_title(report, tpl)
    assert by_style(doc, "Title") == [f"{line1}\n{line2}（草稿：未评完）"] and line1 == "某县乡村振兴局"
    assert doc.core_properties.title.endswith("（草稿：未评完）")
    (summary,) = tables_by_first_cell(doc, "指标")
    total = [c.text for c in summary.rows[-2].cells]
    assert total[0] == "合计" and total[2] == result.dept.totals.shown and total[2].startswith("未评完：")
    grade = [c.text for c in summary.rows[-1].cells]
    assert grade[0] == "评价等次" and grade[1] == ""
    # nothing written: no headings at all, and no score claimed anywhere
    assert by_style(doc, "Heading 1") == []
    assert "评价等次为" not in all_text(doc)


def test_an_unfinished_project_prints_no_score_nor_grade():
    from export.docx import build_docx

    report, tpl, _ = load("xingxian_2022")
    report = copy.deepcopy(report)
    row = report.projects[0].indicators[0]
    row.actual, row.band, row.override = "", None, None
    result = scoring.score(report, tpl)
    totals = result.projects[0].totals
    assert not totals.complete and totals.grade == ""
    doc = docx.Document(io.BytesIO(build_docx(report, tpl, result)))
    assert by_style(doc, "Title")[0].endswith("（草稿：未评完）")
    (summary,) = tables_by_first_cell(doc, "序号")[-1:]
    cells = [c.text for c in summary.rows[1].cells]
    assert cells == ["1", "2022年脱贫劳动力稳岗补助", totals.shown, totals.shown]  # one cell across 得分 and 等次
    assert [c.text for c in summary.rows[2].cells][2:] == ["99.00", "优"]
