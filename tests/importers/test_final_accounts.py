"""决算 import: seed 002's ten tables, in four workbook layouts, give the sample's finance figures."""
import copy
from dataclasses import fields
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from model import storage
from model.importers.common import INFO, WARNING
from model.importers.final_accounts import (
    FinalAccountsError, apply, label_of, norm, preview, preview_text, title_kind,
)
from model.report import Report, UnitFinance

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ROOT = HERE.parent.parent
SAMPLE = ROOT / "resources" / "samples" / "xingxian_2022.jxzp.json"
GOOD = ["tables.xlsx", "stacked.xlsx", "tables.xls", "stacked.xls"]
FINANCE_FIELDS = ("three_public_budget", "procurement_goods", "procurement_works", "procurement_services",
                  "agency_operating", "vehicles", "functional_rows", "fiscal_expenditure", "general_expenditure")


def fresh() -> Report:
    return Report(template_id="mof-project-2020", fiscal_year=2022)


@pytest.fixture(scope="module")
def sample() -> Report:
    return storage.load(SAMPLE)


def imported(name: str, report: Report | None = None) -> tuple[Report, object]:
    report = report or fresh()
    result = preview(DATA / name, report)
    apply(report, result)
    return report, result


def unit_amounts(unit: UnitFinance) -> dict:
    return {f.name: getattr(unit, f.name) for f in fields(UnitFinance) if f.name != "name"}


def warnings_of(result) -> list:
    return [p for p in result.problems if p.severity != INFO]


# ---------------------------------------------------------------- the good workbooks

@pytest.mark.parametrize("name", GOOD)
def test_good_workbooks_reproduce_the_sample_finance(name, sample):
    report, result = imported(name)
    assert len(report.finance.units) == 1 and report.finance.units[0].name == "本级"
    assert unit_amounts(report.finance.units[0]) == unit_amounts(sample.finance.units[0])
    for attr in FINANCE_FIELDS:
        assert getattr(report.finance, attr) == getattr(sample.finance, attr), attr
    # the names as the sample has them: labels wrapped in their cells are joined again
    assert [r.name for r in report.finance.functional_rows] == [r.name for r in sample.finance.functional_rows]
    assert report.basic.department == "兴县乡村振兴局"
    assert warnings_of(result) == []  # the cross-checks stay silent on the seed's tables


@pytest.mark.parametrize("name", GOOD)
def test_all_ten_tables_are_found_by_title(name):
    result = preview(DATA / name, fresh())
    assert len(result.found) == 10
    assert all(p.severity == INFO for p in result.problems)
    assert not any("没有找到" in p.message for p in result.problems)


def test_the_basic_split_follows_the_agency_operating_rule(sample):
    report, result = imported("tables.xlsx")
    unit = report.finance.units[0]
    assert unit.basic_expenditure == Decimal("2852493.55")  # 公开03表 基本支出
    assert unit.operating == Decimal("774368.47")  # 机关运行经费
    assert unit.personnel == Decimal("2852493.55") - Decimal("774368.47")
    assert any("按机关运行经费拆分" in p.message for p in result.problems)
    assert unit.expenditure_total == Decimal("29085952.04")
    assert unit.income_total == Decimal("31066335.81")


def _round100(value):
    return None if value is None else (value / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 100


def test_wan_workbook_is_converted_to_yuan(sample):
    report, result = imported("wan.xlsx")
    assert warnings_of(result) == []  # rounding tails are tolerated in 万元 tables
    got, want = unit_amounts(report.finance.units[0]), unit_amounts(sample.finance.units[0])
    for key, value in want.items():
        if key == "three_public":
            assert got[key].vehicle_operation == _round100(value.vehicle_operation)
        elif key == "personnel":  # derived: 基本支出 − 机关运行经费, each rounded
            assert abs(got[key] - value) <= 100
        else:
            assert got[key] == _round100(value), key
    assert got["general_budget"] == Decimal("27274300.00")
    for mine, theirs in zip(report.finance.functional_rows, sample.finance.functional_rows, strict=True):
        assert (mine.code, mine.name) == (theirs.code, theirs.name)
        assert (mine.total, mine.basic, mine.project) == tuple(map(_round100, (theirs.total, theirs.basic, theirs.project)))
    assert report.finance.agency_operating == Decimal("774400.00")
    assert report.finance.procurement_goods == Decimal("11000.00")
    assert report.finance.vehicles == 1  # a count, never scaled


# ---------------------------------------------------------------- preview and apply

def test_preview_does_not_modify_the_report(sample):
    report = copy.deepcopy(sample)
    before = copy.deepcopy(report)
    result = preview(DATA / "tables.xlsx", report)
    assert report == before
    # the sample was built from these tables: nothing to change, everything confirmed
    assert result.changes == []
    assert "finance.units[0].general_budget" in result.unchanged


def test_preview_lists_old_and_new_values():
    report = fresh()
    report.finance.units.append(UnitFinance(name="局机关", general_budget=Decimal("100")))
    result = preview(DATA / "tables.xlsx", report)
    change = next(c for c in result.changes if c.path == "finance.units[0].general_budget")
    assert (change.old, change.new) == (Decimal("100"), Decimal("27274348.52"))
    assert change.label == "局机关：一般公共预算财政拨款收入"
    assert not result.create_unit
    text = preview_text(result, "wan")
    assert "0.01 → 2,727.43" in text and "金额单位：万元" in text


def test_apply_marks_provenance():
    report, result = imported("tables.xlsx")
    assert result.create_unit == "本级"
    for change in result.changes:
        if change.path != "finance.functional_rows":
            assert report.provenance[change.path] == "imported"
    assert report.provenance["finance.units[0].general_budget"] == "imported"
    assert report.provenance["finance.units[0].fund_budget"] == "imported"  # blank in the tables: confirmed empty
    assert report.provenance["finance.functional_rows[22].total"] == "imported"
    assert "finance.functional_rows" not in report.provenance  # the UI colours cells, not the list


def test_apply_refuses_a_report_edited_after_the_preview():
    report = fresh()
    result = preview(DATA / "tables.xlsx", report)
    report.finance.units.append(UnitFinance(name="局机关"))
    before = copy.deepcopy(report)
    with pytest.raises(FinalAccountsError, match="重新导入"):
        apply(report, result)
    assert report == before


def test_several_units_import_into_the_first_and_say_so():
    report = fresh()
    report.finance.units += [UnitFinance(name="局机关"), UnitFinance(name="乡村发展服务中心")]
    report, result = imported("tables.xlsx", report)
    assert report.finance.units[0].general_budget == Decimal("27274348.52")
    assert report.finance.units[1].general_budget is None
    assert any("2 个单位" in p.message and "局机关" in p.message for p in result.problems)


def test_a_reimport_overwrites_typed_values_and_clears_stale_rows(sample):
    report = copy.deepcopy(sample)
    report.finance.units[0].other_income = Decimal("1")
    report.finance.functional_rows.append(copy.deepcopy(report.finance.functional_rows[0]))
    report.provenance["finance.functional_rows[23].total"] = "imported"
    report, result = imported("stacked.xls", report)
    assert [c.path for c in result.changes] == ["finance.units[0].other_income", "finance.functional_rows"]
    assert report.finance.units[0].other_income == Decimal("3791987.29")
    assert report.finance.functional_rows == sample.finance.functional_rows
    assert "finance.functional_rows[23].total" not in report.provenance


def test_year_and_department_mismatch_warn():
    report = fresh()
    report.fiscal_year = 2023
    report.basic.department = "石龙区乡村振兴局"
    result = preview(DATA / "tables.xlsx", report)
    messages = [p.message for p in result.problems if p.severity == WARNING]
    assert any("2022 年度" in m and "2023 年度" in m for m in messages)
    assert any("兴县乡村振兴局" in m and "石龙区乡村振兴局" in m for m in messages)
    assert not any(c.path == "basic.department" for c in result.changes)


# ---------------------------------------------------------------- cross-checks

def test_cross_checks_fire_on_a_broken_income_total():
    report, result = imported("broken_total.xlsx")
    warnings = warnings_of(result)
    assert warnings and all(p.severity == WARNING for p in warnings)
    sums = [p for p in warnings if "本年收入合计 31,066,353.81 元不等于" in p.message]
    assert len(sums) == 1
    assert sums[0].sheet == "Sheet5" and sums[0].cell == "C9"
    assert "公开02表（Sheet5）第 9 行 C 列" in sums[0].message and "相差 18.00 元" in sums[0].message
    assert any("公开01表" in p.message and "不一致" in p.message for p in warnings)
    # the figures themselves still import (the 合计 is computed, not stored)
    assert report.finance.units[0].income_total == Decimal("31066335.81")


def _edit(tmp_path, name, edit) -> Path:
    wb = openpyxl.load_workbook(DATA / name)
    edit(wb)
    out = tmp_path / f"edited_{name}"
    wb.save(out)
    return out


def _find(wb, text):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == text:
                    return ws, cell
    raise KeyError(text)


def _sheet_of(wb, number):
    ws, _ = _find(wb, number)
    return ws


def _row_with(ws, col, text):
    return next(row for row in ws.iter_rows() if row[col].value == text)


def test_cross_check_general_budget_spending_against_table_05(tmp_path):
    def edit(wb):
        row = _row_with(_sheet_of(wb, "公开04表"), 3, "本年支出合计")
        row[6].value = 27266890.29  # 一般公共预算财政拨款 column
    result = preview(_edit(tmp_path, "tables.xlsx", edit), fresh())
    messages = [p.message for p in warnings_of(result)]
    assert any("一般公共预算财政拨款支出 27,266,890.29 元不等于" in m and "公开05表" in m for m in messages)


def test_cross_check_overview_balance(tmp_path):
    def edit(wb):
        row = _row_with(_sheet_of(wb, "公开01表"), 3, "年末结转和结余")
        row[5].value = 37532276.70
    result = preview(_edit(tmp_path, "tables.xlsx", edit), fresh())
    messages = [p.message for p in warnings_of(result)]
    assert any("总计 66,618,228.77 元不等于本年支出合计、结余分配与年末结转和结余之和 66,618,228.74 元" in m
               for m in messages)
    assert any("年末结转和结余 37,532,276.70 元不等于年初结转和结余 + 本年收入合计 − 本年支出合计" in m
               for m in messages)


# ---------------------------------------------------------------- malformed workbooks

def _bad_cell(name):
    wb = openpyxl.load_workbook(DATA / name)
    ws, cell = _find(wb, "12,3x4")
    return ws.title, cell.row, cell.column_letter


@pytest.mark.parametrize("name, expected", [
    ("not_a_workbook.xlsx", ["不是 Excel 工作簿", "请选择"]),
    ("no_tables.xlsx", ["没有找到部门决算公开表", "“人员信息”、“工作计划”"]),
    ("bad_number.xlsx", None),
    ("no_amount_column.xlsx", ["公开01表（Sheet3）第 6 行 A 列", "“收入”部分的金额列", "重新导出"]),
    ("missing.xlsx", ["找不到文件"]),
])
def test_malformed_workbooks_raise_and_leave_the_report_alone(name, expected, sample):
    if expected is None:
        sheet, row, col = _bad_cell(name)
        expected = [f"公开02表（{sheet}）第 {row} 行 {col} 列的“12,3x4”不是数字", "改成数字"]
    report = copy.deepcopy(sample)
    before = copy.deepcopy(report)
    with pytest.raises(FinalAccountsError) as info:
        preview(DATA / name, report)
    for text in expected:
        assert text in str(info.value)
    assert report == before


def test_bad_number_error_names_sheet_and_cell():
    sheet, row, col = _bad_cell("bad_number.xlsx")
    with pytest.raises(FinalAccountsError) as info:
        preview(DATA / "bad_number.xlsx", fresh())
    assert (info.value.sheet, info.value.cell) == (sheet, f"{col}{row}")


def test_web_page_saved_as_xls_is_explained(tmp_path):
    page = tmp_path / "决算.xls"
    page.write_text("<html><body><table><tr><td>收入支出决算总表</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(FinalAccountsError, match="网页格式"):
        preview(page, fresh())


def test_a_docx_renamed_xlsx_is_not_a_workbook(tmp_path):
    import zipfile

    fake = tmp_path / "决算.xlsx"
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FinalAccountsError, match="不是 Excel 工作簿"):
        preview(fake, fresh())


# ---------------------------------------------------------------- layout variants

def test_title_variants(tmp_path):
    def edit(wb):
        replace = {"收入支出决算总表": "兴县乡村振兴局2022年度收入支出决算总表",
                   "财政拨款“三公”经费支出决算表": '财政拨款"三公"经费支出决算表',
                   "财政拨款收入支出决算总表": "财政拨款收入支出决算总表（公开04表）",
                   "部门决算公开相关信息统计表": "部门决算公开相关信息 统计表"}
        for old, new in replace.items():
            _, cell = _find(wb, old)
            cell.value = new
    report, result = imported(_edit(tmp_path, "tables.xlsx", edit))
    assert len(result.found) == 10
    assert report.finance.units[0].three_public.vehicle_operation == Decimal("20980.00")
    assert report.finance.units[0].carryover_end == Decimal("37532276.73")


def test_title_matching_rules():
    assert title_kind(norm("财政拨款“三公”经费支出决算表")) == "three_public"
    assert title_kind(norm("财政拨款三公经费支出决算表")) == "three_public"
    assert title_kind(norm("财政拨款收入支出决算总表")) == "fiscal_overview"
    assert title_kind(norm("收入支出决算总表")) == "overview"
    assert title_kind(norm("一般公共预算财政拨款支出决算表")) == "general"
    assert title_kind(norm("一般公共预算财政拨款基本支出决算表")) == "general_detail"
    assert title_kind(norm("支出决算表")) == "expenditure"
    assert title_kind(norm("注：本表反映部门本年度各项支出情况。")) is None
    assert label_of("（一）行政单位") == "行政单位"
    assert label_of("八、其他收入") == "其他收入"
    assert label_of("2. 主要领导干部用车") == "主要领导干部用车"
    assert norm("社会保障和 就业\n支出") == "社会保障和就业支出"
    assert norm("因公出国（境）费") == "因公出国(境)费"


def test_basic_split_from_a_basic_detail_table(tmp_path):
    """Rule (a): 明细表 “其中：基本支出” figures that add up to 基本支出 are used as they are."""
    def edit(wb):
        ws, cell = _find(wb, "人员经费合计")
        ws.cell(cell.row, 4).value = 2000000.00  # D: 人员经费 其中：基本支出
        ws.cell(cell.row, 16).value = 852493.55  # P: 公用经费 其中：基本支出
    report, result = imported(_edit(tmp_path, "tables.xlsx", edit))
    unit = report.finance.units[0]
    assert (unit.personnel, unit.operating) == (Decimal("2000000.00"), Decimal("852493.55"))
    assert not any("按机关运行经费拆分" in p.message for p in result.problems)


def test_basic_split_without_agency_operating_warns(tmp_path):
    """Rule (c): nothing to split by → all 基本支出 to 人员经费, with a 警告."""
    def edit(wb):
        ws, cell = _find(wb, "(一) 行政单位")
        ws.cell(cell.row, 3).value = None
    report, result = imported(_edit(tmp_path, "tables.xlsx", edit))
    unit = report.finance.units[0]
    assert (unit.personnel, unit.operating) == (Decimal("2852493.55"), None)
    assert any("没有给出基本支出中人员经费和公用经费的拆分" in p.message for p in warnings_of(result))


def test_vertical_three_public_table_and_sheet_named_by_title(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "财政拨款三公经费支出决算表"  # no title row: the sheet name says it
    for row in (["部门：兴县乡村振兴局", None, "单位：万元"],
                ["项目", "预算数", "决算数"],
                ["合计", 2.5, "2.10"],
                ["1.因公出国（境）费", None, "——"],
                ["2.公务用车购置及运行维护费", 2.5, 2.1],
                ["  其中：公务用车购置费", None, None],
                ["        公务用车运行维护费", 2.5, 2.1],
                ["3.公务接待费", None, None]):
        ws.append(row)
    path = tmp_path / "三公.xlsx"
    wb.save(path)
    report, result = imported(path)
    assert report.finance.units[0].three_public.vehicle_operation == Decimal("21000.00")
    assert report.finance.units[0].three_public.overseas_travel is None
    assert report.finance.three_public_budget.vehicle_operation == Decimal("25000.00")
    assert warnings_of(result) == []
    # only the 三公 table was there: nothing else is touched
    assert report.finance.units[0].general_budget is None
    assert report.finance.functional_rows == []


def test_a_table_of_contents_sheet_does_not_hide_the_tables(tmp_path, sample):
    def edit(wb):
        toc = wb.create_sheet("目录", 0)
        toc.append(["目 录"])
        for i, title in enumerate(["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
                                   "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算明细表",
                                   "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
                                   "国有资本经营预算财政拨款支出决算表", "部门决算公开相关信息统计表"]):
            toc.append([f"{'一二三四五六七八九十'[i]}、{title}", i + 2])
    report, result = imported(_edit(tmp_path, "tables.xlsx", edit))
    assert len(result.found) == 10 and "目录" not in " ".join(result.found)
    assert unit_amounts(report.finance.units[0]) == unit_amounts(sample.finance.units[0])
    assert warnings_of(result) == []


def test_only_the_overview_table(tmp_path):
    """With 公开01表 alone: income by source and 结转 from it, the rest untouched, and the gaps said."""
    def edit(wb):
        keep = _sheet_of(wb, "公开01表")
        for ws in list(wb.worksheets):
            if ws is not keep:
                wb.remove(ws)
    report, result = imported(_edit(tmp_path, "tables.xlsx", edit))
    unit = report.finance.units[0]
    assert unit.general_budget == Decimal("27274348.52") and unit.other_income == Decimal("3791987.29")
    assert unit.carryover_begin == Decimal("35551892.96") and unit.carryover_end == Decimal("37532276.73")
    assert unit.personnel is None and unit.project_expenditure is None
    assert report.finance.functional_rows == [] and report.finance.vehicles is None
    missing = [p.message for p in result.problems if "没有找到" in p.message]
    assert len(missing) == 9 and any("支出决算表" in m and "未导入" in m for m in missing)
    assert warnings_of(result) == []


def test_an_unknown_income_row_with_money_is_reported(tmp_path):
    def edit(wb):
        ws = _sheet_of(wb, "公开01表")
        row = next(r for r in ws.iter_rows() if r[1].value == 9)  # 行次 9: an empty income line
        row[0].value = "九、财政专户管理资金收入"
        row[2].value = 100.0
    result = preview(_edit(tmp_path, "tables.xlsx", edit), fresh())
    assert any("财政专户管理资金收入" in p.message and "没有导入" in p.message for p in warnings_of(result))


def _small(tmp_path, rows, merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    path = tmp_path / "small.xlsx"
    wb.save(path)
    return path


def test_expenditure_table_with_class_columns_and_code_in_the_name(tmp_path):
    path = _small(tmp_path, [
        ["兴县乡村振兴局2022年度支出决算表"],
        ["编制单位：兴县乡村振兴局", None, None, None, "单位：万元"],
        ["科目编码", None, None, "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["类", "款", "项", None, None, None, None],
        [None, None, None, "合计", "2,908.60", "285.25", "2,623.35"],
        ["208", None, None, "社会保障和就业支出", 27.29, 27.29, None],
        ["208", "05", None, "行政事业单位养老支出", 27.29, 27.29, None],
        ["208", "05", "05", "机关事业单位基本养老保险缴费支出", 17.02, 17.02, "——"],
    ], merges=["A3:C3", "D3:D4", "E3:E4", "F3:F4", "G3:G4"])
    report, result = imported(path)
    rows = report.finance.functional_rows
    assert [(r.code, r.name, r.total) for r in rows] == [
        ("208", "社会保障和就业支出", Decimal("272900.00")), ("20805", "行政事业单位养老支出", Decimal("272900.00")),
        ("2080505", "机关事业单位基本养老保险缴费支出", Decimal("170200.00"))]
    assert rows[2].project is None
    assert report.finance.units[0].project_expenditure == Decimal("26233500.00")

    path = _small(tmp_path, [
        ["支出决算表"], ["金额单位：元"],
        ["项目", "本年支出合计", "基本支出", "项目支出"],
        ["合计", 100.0, 60.0, 40.0],
        ["213 农林水支出", 100.0, 60.0, 40.0],
    ])
    report, _ = imported(path)
    assert [(r.code, r.name) for r in report.finance.functional_rows] == [("213", "农林水支出")]


def test_overview_printed_in_one_column(tmp_path):
    path = _small(tmp_path, [
        ["收入支出决算总表"], ["单位：元"],
        ["项目", "行次", "决算数"],
        ["一、一般公共预算财政拨款收入", 1, 900.0],
        ["二、其他收入", 2, 100.0],
        ["本年收入合计", 3, 1000.0],
        ["年初结转和结余", 4, 50.0],
        ["总计", 5, 1050.0],
        ["一、农林水支出", 6, 800.0],
        ["本年支出合计", 7, 800.0],
        ["年末结转和结余", 8, 250.0],
        ["总计", 9, 1050.0],
    ])
    report, result = imported(path)
    unit = report.finance.units[0]
    assert (unit.general_budget, unit.other_income) == (Decimal("900.00"), Decimal("100.00"))
    assert (unit.carryover_begin, unit.carryover_end) == (Decimal("50.00"), Decimal("250.00"))
    assert warnings_of(result) == []


# ---------------------------------------------------------------- sources and precision

def test_each_change_names_its_sheet_cell_and_unit():
    result = preview(DATA / "wan.xlsx", fresh())
    sources = {ch.path: ch.source for ch in result.changes}
    assert sources["finance.units[0].other_income"] == "收入决算表（Sheet5）I9，万元"
    assert sources["finance.functional_rows"].startswith("支出决算表（Sheet7）第 ")
    assert "；" not in sources["finance.units[0].personnel"] and "、" in sources["finance.units[0].personnel"]
    assert "〔来源：收入决算表（Sheet5）I9，万元〕" in preview_text(result)


def test_apply_replaces_the_precision_of_the_imported_paths():
    report, result = imported("wan.xlsx")
    assert result.precision["finance.units[0].other_income"] == Decimal(50)
    assert report.source_precision == result.precision
    report.source_precision["finance.functional_rows[40].total"] = Decimal(5)  # a row that is no more
    result = preview(DATA / "tables.xlsx", report)  # the same figures in 元: exact to the cent
    assert result.precision == {}
    apply(report, result)
    assert report.source_precision == {}


def test_fiscal_and_general_expenditure_come_from_table_04():
    report, result = imported("tables.xlsx")
    assert report.finance.fiscal_expenditure == report.finance.general_expenditure == Decimal("27266890.28")
    sources = {ch.path: ch.source for ch in result.changes}
    assert sources["finance.fiscal_expenditure"].startswith("财政拨款收入支出决算总表（")
