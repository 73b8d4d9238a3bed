"""The Excel workbook as a clerk (and Excel) sees it: sheets, titles, merged cells, figures, print setup.

openpyxl's load_workbook re-applies borders of merged ranges, so the border test reads the raw sheet XML.
"""
import io
import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree as ET

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from export.forms import grids_for
from export.grid import positions
from export.xlsx import build_xlsx, lines_needed, sheet_name
from model import scoring, templates
from model.report import Override

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
SAMPLES = ("xingxian_2022", "shilong_2020", "xiangxi_2021")
FOLDER = Path(__file__).resolve().parents[2] / "resources" / "samples"


def scored(report):
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


@pytest.fixture(scope="module")
def books():
    """name → (xlsx bytes, workbook) for every sample that exists."""
    from model import storage

    out = {}
    for name in SAMPLES:
        path = FOLDER / f"{name}.jxzp.json"
        if path.exists():
            data = build_xlsx(*scored(storage.load(path)))
            out[name] = (data, load_workbook(io.BytesIO(data)))
    return out


def book(books, name):
    if name not in books:
        pytest.skip(f"sample {name} not present")
    return books[name][1]


def cells(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def find(ws, value):
    """Cells whose value equals ``value`` (numbers compared as Decimal to 2 dp)."""
    out = []
    for c in cells(ws):
        v = c.value
        if isinstance(value, str):
            if v == value:
                out.append(c)
        elif isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            if round(Decimal(str(v)), 4) == round(Decimal(str(value)), 4):
                out.append(c)
    return out


def norm(v):
    """openpyxl reads numbers back as float/int: compare them as Decimal."""
    return Decimal(str(v)) if isinstance(v, float) else v


def row_texts(ws, row):
    return [norm(c.value) for c in ws[row] if c.value is not None]


# ---------------------------------------------------------------- grids

@pytest.mark.parametrize("name", SAMPLES + ("yongxing_2020",))
def test_every_grid_is_a_full_rectangle(sample, name):
    try:
        report = sample(name)
    except Exception:
        pytest.skip(f"sample {name} not present")
    report, tpl, result = scored(report)
    for grid in grids_for(report, tpl, result):
        n, covered = len(grid.columns), {}
        for r, row in enumerate(positions(grid)):
            for col, cell in row:
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        assert (r + dr, col + dc) not in covered, (grid.key, r, cell.text)
                        covered[(r + dr, col + dc)] = cell
        assert set(covered) == {(r, c) for r in range(len(grid.rows)) for c in range(n)}, grid.key


def test_grids_follow_the_template_forms(sample):
    report, tpl, result = scored(sample("xingxian_2022"))
    keys = [g.key for g in grids_for(report, tpl, result)]
    # 评分说明 follows the official forms whenever a score was set by hand
    assert keys == [f"project_self_eval.{i}" for i in range(4)] + ["base_data", "adjustments"]
    report, tpl, result = scored(sample("shilong_2020"))
    assert [g.key for g in grids_for(report, tpl, result)] == ["indicator_scores", "score_summary", "base_data",
                                                                "adjustments"]


# ---------------------------------------------------------------- 兴县 projects

def test_xingxian_sheets_and_titles(books):
    wb = book(books, "xingxian_2022")
    assert wb.sheetnames == ["项目1-2022年脱贫劳动力稳岗补助", "项目2-2022年省级数字乡村示范创建项目",
                             "项目3-2021-2022年度雨露计划项目", "项目4-精准扶贫档案整理服务", "基础数据", "评分说明"]
    for ws in wb.worksheets[:4]:
        assert ws["A1"].value == "项目支出绩效自评表"
        assert ws["A2"].value == "（2022年度）"
        assert ws["A3"].value == "预算单位（盖章）：兴县乡村振兴局"
        assert ws["A1"].font.name == "黑体" and ws["A1"].font.sz == 16
        assert any(str(m) == "A1:J1" for m in ws.merged_cells.ranges)


def test_xingxian_wengang_figures(books):
    ws = book(books, "xingxian_2022")["项目1-2022年脱贫劳动力稳岗补助"]
    (total_row,) = [c.row for c in find(ws, "年度资金总额：")]
    values = row_texts(ws, total_row)
    assert values[1:] == [Decimal("883.56"), Decimal("883.56"), Decimal("152.52"), 10, Decimal("0.1726"), Decimal("1.73"),
                          "执行率*该指标分值，最高不得超过分值上限。"]
    (current,) = [c.row for c in find(ws, "其中：当年财政拨款")]
    assert row_texts(ws, current)[4:] == [10, Decimal("0.1726"), Decimal("1.73")]  # as on seed 002's form
    rate = find(ws, Decimal("0.1726"))[0]
    assert rate.number_format == "0.00%"
    money = find(ws, Decimal("152.52"))[0]
    assert money.number_format == "#,##0.00" and money.data_type == "n"
    (total,) = [c.row for c in find(ws, "总　分")]
    assert row_texts(ws, total) == ["总　分", Decimal("83.73")]  # no 分值 sum: the form prints the score only
    assert find(ws, "优 ☐　　良 ☑　　中 ☐　　差 ☐"), "self-assessment 良 ticked"
    assert len(find(ws, "优 ☐　　良 ☑　　中 ☐　　差 ☐")) == 2  # 主管部门审核结论 良 too
    assert find(ws, "本级安排 ☑　上级转移支付 ☐")


def test_overridden_scores_are_numbers_explained_in_the_appendix(books):
    wb = book(books, "xingxian_2022")
    ws = wb["项目1-2022年脱贫劳动力稳岗补助"]
    (row,) = [c.row for c in find(ws, "脱贫户和监测户劳动力")]
    assert [c for c in ws[row] if c.value == 1 and c.data_type == "n"], "the hand-set score stays a plain number"
    texts = [c.value for c in cells(ws) if isinstance(c.value, str)]
    assert not any("人工调整" in x or "按评分规则计算" in x for x in texts), "nothing the official form lacks"
    notes = wb["评分说明"]
    (row,) = [c.row for c in find(notes, "项目1“2022年脱贫劳动力稳岗补助”：脱贫户和监测户劳动力")]
    weight, by_rule, set_by_hand, reason = row_texts(notes, row)[1:]
    assert (weight, by_rule, set_by_hand) == (5, Decimal("0.43"), Decimal("1.00")) and reason.startswith("原表得分1分。")
    assert find(notes, "87.16 分（良）")


def test_project_indicator_levels_are_merged(books):
    ws = book(books, "xingxian_2022")["项目2-2022年省级数字乡村示范创建项目"]
    (output,) = find(ws, "产出指标\n（50分）")
    merged = [m for m in ws.merged_cells.ranges if m.min_row == output.row and m.min_col == output.column]
    assert merged and merged[0].max_row - merged[0].min_row + 1 == 7  # 4 数量 + 质量 + 时效 + 成本 rows
    (quantity,) = find(ws, "数量指标")
    merged = [m for m in ws.merged_cells.ranges if m.min_row == quantity.row and m.min_col == quantity.column]
    assert merged[0].max_row - merged[0].min_row + 1 == 4


def test_base_data_has_every_metric_with_formula(books):
    from model.metrics import METRICS

    ws = book(books, "xingxian_2022")["基础数据"]
    texts = {c.value for c in cells(ws) if isinstance(c.value, str)}
    for metric in METRICS.values():
        assert metric.name in texts and metric.formula in texts
    assert "金额单位：元" in ws["A2"].value  # this sample is kept in 元
    assert find(ws, Decimal("31066300.00")), "全年预算数 in 元"


# ---------------------------------------------------------------- 石龙 department

def test_shilong_indicator_table(books):
    wb = book(books, "shilong_2020")
    assert wb.sheetnames == ["评价指标体系及得分", "得分情况表", "基础数据", "评分说明"]
    ws = wb["评价指标体系及得分"]
    assert ws["A1"].value == "评价指标体系及得分"
    assert row_texts(ws, 3) == ["一级指标", "二级指标", "三级指标", "指标解释", "评分规则", "得分"]
    level1 = sorted((m for m in ws.merged_cells.ranges if m.min_col == 1 == m.max_col), key=lambda m: m.min_row)
    # a label split by a page break is merged on each page and written again: each 一级 once or more, in order
    names = [ws.cell(m.min_row, 1).value.replace("\n", "") for m in level1]
    assert [x for i, x in enumerate(names) if i == 0 or names[i - 1] != x] == [
        "履职效能（30分）", "管理效率（35分）", "运行成本（12分）", "服务满意（15分）", "可持续性（8分）"]
    assert sum(m.max_row - m.min_row + 1 for m in level1) == 41
    assert level1[0].min_row == 4 and level1[-1].max_row == 44
    scores = [norm(ws.cell(r, 6).value) for r in range(4, 45)]
    assert all(isinstance(s, (int, Decimal)) for s in scores) and sum(scores) == Decimal("86.00")
    (total,) = [c.row for c in find(ws, "合计")]
    assert row_texts(ws, total) == ["合计", Decimal("86.00")]
    assert ws.print_title_rows == "$1:$3"  # title, subtitle and the header row on every page
    assert ws.page_setup.orientation == "landscape"
    assert not [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("*")]
    notes = wb["评分说明"]
    (row,) = [c.row for c in find(notes, "总体成本节约率")]
    assert row_texts(notes, row)[1:4] == [2, Decimal("0.00"), Decimal("2.00")]
    assert find(notes, "83.50 分（良）"), "the total by rule alone"


def test_shilong_score_summary(books):
    ws = book(books, "shilong_2020")["得分情况表"]
    assert row_texts(ws, 3) == ["指标", "目标分值", "得分", "得分率"]
    assert row_texts(ws, 4) == ["履职效能", Decimal("30.00"), Decimal("26.00"), Decimal("0.8667")]
    assert row_texts(ws, 5) == ["\u3000工作目标管理情况", Decimal("6.00"), Decimal("5.00"), Decimal("0.8333")]
    (total,) = [c.row for c in find(ws, "合计")]
    assert row_texts(ws, total) == ["合计", Decimal("100.00"), Decimal("86.00"), Decimal("0.8600")]
    assert row_texts(ws, total + 1) == ["评价等次", "良"]


# ---------------------------------------------------------------- 湘西 department (seed 001)

def test_xiangxi_dept_form(books):
    wb = book(books, "xiangxi_2021")
    assert wb.sheetnames[0] == "部门整体支出绩效自评表"
    ws = wb["部门整体支出绩效自评表"]
    assert "金额单位：万元" in ws["A2"].value and "湘西自治州乡村振兴局" in ws["A2"].value
    (summary,) = [c.row for c in find(ws, "局机关及二级机构汇总") if find(ws, Decimal("1482.43"))[0].row == c.row]
    assert row_texts(ws, summary) == ["局机关及二级机构汇总", Decimal("1482.43"), Decimal("224.76"), Decimal("1252.66"),
                                      Decimal("5.01")]
    (spending,) = [c.row for c in find(ws, Decimal("1478.93"))]
    assert row_texts(ws, spending)[2] == Decimal("830.35"), "基本支出 as the form states it, not 人员 + 公用"
    for label in ("联系人", "人员编制", "职能职责概述", "四、评价人员", "签　字"):
        assert find(ws, label), label
    assert find(ws, "罗翔") and find(ws, "18874362937") and find(ws, "黎小涛")
    signs = [c.value for c in ws["A"] if isinstance(c.value, str) and "（签章）" in c.value]
    assert len(signs) == 2 and all("年\u3000\u3000\u3000月\u3000\u3000\u3000日" in s for s in signs)
    assert any(str(c.value).startswith("评价组组长（签字）") for c in ws["A"])
    (goal,) = find(ws, "产出目标")
    merged = [m for m in ws.merged_cells.ranges if m.min_row == goal.row and m.min_col == goal.column]
    assert merged[0].max_row - merged[0].min_row + 1 == 3


# ---------------------------------------------------------------- raw XML: borders, formulas, print setup

def _styles(z):
    root = ET.fromstring(z.read("xl/styles.xml"))
    borders = []
    for b in root.find("m:borders", NS):
        borders.append({side: (b.find(f"m:{side}", NS) is not None and b.find(f"m:{side}", NS).get("style") is not None)
                        for side in ("left", "right", "top", "bottom")})
    xfs = [int(x.get("borderId", 0)) for x in root.find("m:cellXfs", NS)]
    return borders, xfs


def _sheets(z):
    return sorted(n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n))


@pytest.mark.parametrize("name", SAMPLES)
def test_every_edge_cell_of_every_merged_range_has_its_border_in_the_xml(books, name):
    if name not in books:
        pytest.skip(f"sample {name} not present")
    z = zipfile.ZipFile(io.BytesIO(books[name][0]))
    borders, xfs = _styles(z)
    checked = 0
    for sheet in _sheets(z):
        root = ET.fromstring(z.read(sheet))
        style = {c.get("r"): int(c.get("s", 0)) for c in root.iter(f"{{{NS['m']}}}c")}
        ncols = max(range_boundaries(c.get("r") + ":" + c.get("r"))[2] for c in root.iter(f"{{{NS['m']}}}c"))
        for mc in root.iter(f"{{{NS['m']}}}mergeCell"):
            c1, r1, c2, r2 = range_boundaries(mc.get("ref"))
            anchor = borders[xfs[style.get(f"{_col(c1)}{r1}", 0)]]
            if not any(anchor.values()):  # title, subtitle and note lines: full width, one row, no border
                assert r1 == r2 and c1 == 1 and c2 >= ncols - 1, mc.get("ref")
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    ref = f"{_col(c)}{r}"
                    assert ref in style, f"{sheet} {ref} of {mc.get('ref')} not written"
                    have = borders[xfs[style[ref]]]
                    need = {"left": c == c1, "right": c == c2, "top": r == r1, "bottom": r == r2}
                    for side, needed in need.items():
                        assert have[side] or not needed, f"{sheet} {ref} of {mc.get('ref')} lacks {side}"
            checked += 1
    assert checked > 20


def _col(n):
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def test_user_text_is_never_a_formula(sample):
    report = sample("xingxian_2022")
    report.basic.department = "=1+1"
    p = report.projects[0]
    p.name = "@SUM(A1:A2)"
    p.goal_expected = "-2+3"
    p.goal_actual = "+cmd|' /C calc'!A0"
    p.indicators[0].name = "=HYPERLINK(\"http://x\")"
    p.indicators[0].deviation_reason = "=1+1\x07 bell removed"
    data = build_xlsx(*scored(report))
    z = zipfile.ZipFile(io.BytesIO(data))
    for sheet in _sheets(z):
        xml = z.read(sheet).decode("utf-8")
        assert "<f>" not in xml and "<f " not in xml, sheet
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws.title == "项目1-@SUM(A1_A2)"
    for text in ("预算单位（盖章）：=1+1", "@SUM(A1:A2)", "-2+3", "+cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")",
                 "=1+1 bell removed"):
        (cell,) = find(ws, text)
        assert cell.data_type == "s", text
    raw = z.read(_sheets(z)[0]).decode("utf-8")
    assert re.search(r'<c r="[A-Z]+\d+"[^>]*t="inlineStr"[^>]*><is><t>@SUM\(A1:A2\)</t>', raw)
    base = wb["基础数据"]
    assert "单位名称：=1+1" in base["A2"].value


def test_print_setup(books):
    for name, (data, wb) in books.items():
        for ws in wb.worksheets:
            assert int(ws.page_setup.paperSize) == 9, (name, ws.title)
            assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
            assert ws.sheet_properties.pageSetUpPr.fitToPage is True
            assert ws.print_options.horizontalCentered is True
            assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
            assert ws.page_margins.left > 0.3
    z = zipfile.ZipFile(io.BytesIO(books["xingxian_2022"][0]))
    root = ET.fromstring(z.read(_sheets(z)[0]))
    assert root.find("m:pageSetup", NS).get("paperSize") == "9"
    assert root.find("m:sheetPr/m:pageSetUpPr", NS).get("fitToPage") == "1"
    footer = root.find("m:headerFooter/m:oddFooter", NS).text
    from model import storage
    from model.checksum import checksum
    from tests.conftest import SAMPLES

    code = checksum(storage.load(SAMPLES / "xingxian_2022.jxzp.json"))
    assert "第 &P 页 共 &N 页&R" in footer and footer.endswith(f" 校验码 {code}")


def test_fonts_widths_and_wrapped_row_heights(books):
    ws = book(books, "xingxian_2022")["项目1-2022年脱贫劳动力稳岗补助"]
    body = find(ws, "项目名称")[0]
    assert body.font.name == "宋体" and 10 <= body.font.sz <= 11 and body.alignment.horizontal == "center"
    assert all(c.alignment.wrap_text for c in cells(ws) if c.row > 3)
    assert ws.column_dimensions["D"].width > ws.column_dimensions["G"].width
    (goal,) = [c for c in cells(ws) if isinstance(c.value, str) and c.value.startswith("促进脱贫劳动力人口增收")]
    assert ws.row_dimensions[goal.row].height >= 3 * 14  # several wrapped lines
    assert ws.row_dimensions[find(ws, "上年结转资金")[0].row].height < 30
    # the default font that column widths are measured in is 宋体
    z = zipfile.ZipFile(io.BytesIO(books["xingxian_2022"][0]))
    assert '<font><name val="宋体"/>' in z.read("xl/styles.xml").decode("utf-8")


def test_merged_cells_do_not_split_across_printed_pages_when_they_fit(books):
    ws = book(books, "shilong_2020")["评价指标体系及得分"]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks, "a 41-row table needs page breaks"
    merged = list(ws.merged_cells.ranges)
    for b in breaks:  # a break after row b: no merged range spans rows b and b + 1 (a split label is two ranges)
        assert not any(m.min_row <= b < m.max_row for m in merged), b
    level2 = sorted((m.min_row, m.max_row, ws.cell(m.min_row, 2).value)
                    for m in merged if m.min_col == 2 == m.max_col)
    groups = []  # a label split by a break is two ranges, one under the other, with the same text
    for r1, r2, text in level2:
        if groups and groups[-1][2] == text and groups[-1][1] == r1 - 1:
            groups[-1] = (groups[-1][0], r2, text, groups[-1][3] + 1)
        else:
            groups.append((r1, r2, text, 1))
    height = {g: sum(ws.row_dimensions[r].height for r in range(g[0], g[1] + 1)) for g in groups}
    small = [g for g in groups if height[g] < 150]  # a third of the page: kept whole, whatever it leaves empty
    assert len(small) >= 6
    assert all(g[3] == 1 for g in small), [g for g in small if g[3] > 1]


# ---------------------------------------------------------------- helpers

def test_sheet_names_are_unique_short_and_legal(sample):
    report = sample("xingxian_2022")
    from export.grid import Grid

    taken = set()
    report.projects[0].name = "一个非常非常长的项目名称/含有非法字符[]:*?\\以及更多更多更多的文字"
    report.projects[1].name = report.projects[0].name
    names = [sheet_name(Grid(f"project_self_eval.{i}", "项目支出绩效自评表", [1]), report, taken) for i in (0, 1)]
    names += [sheet_name(Grid("base_data", "基础数据", [1]), report, taken) for _ in range(2)]
    assert len(set(names)) == 4 and all(len(n) <= 31 for n in names)
    assert not any(set(n) & set("[]:*?/\\") for n in names)
    assert names[2:] == ["基础数据", "基础数据(2)"]


def test_line_estimate_counts_full_width_as_two():
    assert lines_needed("", 10) == 1
    assert lines_needed("a" * 9, 10) == 1
    assert lines_needed("汉" * 20, 10) >= 4
    assert lines_needed("一\n二\n三", 40) == 3


def test_empty_report_exports(sample):
    from model.report import Report

    for tid in ("hunan-dept", "mof-project-2020", "henan-dept-2020"):
        report = Report(template_id=tid, fiscal_year=2023)
        wb = load_workbook(io.BytesIO(build_xlsx(*scored(report))))
        assert wb.sheetnames


def test_override_without_reason_is_flagged(sample):
    report = sample("xingxian_2022")
    report.projects[2].indicators[0].override = Override(Decimal("3"), "")
    wb = load_workbook(io.BytesIO(build_xlsx(*scored(report))))
    ws = wb["评分说明"]
    assert any(isinstance(c.value, str) and "（未填写理由）" in c.value for c in cells(ws))
