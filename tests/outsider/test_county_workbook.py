"""A 决算 workbook that is not seed 002 (issue 14): another county, other figures, another finance system's layout.

某县农业农村局 2023, written the way a county system exports it and nothing like the seed:
金额单位 万元 in a cell beside 编制单位 on one line, the title carrying the department and year,
公开NN表 on the title row, 栏次 as text ("1", "2" …), 预算数/决算数 headers printed only above the
first column of their group (not merged), sheets named 表一…表七 in an odd order, a blank column
inside the 三公 table, notes under the tables.  Figures are kept in 元 below and printed rounded to
0.01 万元 (totals rounded from the exact sums, so parts and totals differ by their tails).
"""
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import Workbook

from model import checks, templates
from model.importers.common import INFO
from model.importers.final_accounts import apply, preview
from model.report import Report

D = Decimal
DEPT = "某县农业农村局"
# the department's 2023 决算, exact, in 元
GENERAL, OTHER = D("106400700.00"), D("1234567.89")
BEGIN = D("12000000.55")
PERSONNEL, OPERATING, PROJECT = D("8123456.78"), D("1456789.12"), D("97000000.33")
BASIC = PERSONNEL + OPERATING
SPENT = BASIC + PROJECT
INCOME = GENERAL + OTHER
END = BEGIN + INCOME - SPENT
GENERAL_SPENT = D("87523700.00")  # 一般公共预算财政拨款支出: 82.12% of 本年支出
FISCAL_BEGIN = D("3000000.00")
FUNCTIONAL = [("208", "社会保障和就业支出", D("4580245.90"), D("2000000.33")),
              ("20805", "行政事业单位养老支出", D("4580245.90"), D("2000000.33")),
              ("213", "农林水支出", D("5000000.00"), D("95000000.00")),
              ("21301", "农业农村", D("5000000.00"), D("95000000.00"))]
TP_BUDGET = {"vehicle_operation": D("150000.00"), "reception": D("50000.00")}
TP_FINAL = {"vehicle_operation": D("123456.00"), "reception": D("23456.78")}
AGENCY = OPERATING
GOODS, SERVICES = D("500000.00"), D("300000.00")


def wan(yuan: Decimal):
    return float((yuan / 10000).quantize(D("0.01"), rounding=ROUND_HALF_UP)) if yuan else None


def sheet(wb, name, title, number, header, rows, notes=("注：本表反映部门本年度收支情况。",)):
    ws = wb.create_sheet(name)
    ws.append([f"{DEPT}2023年度{title}", None, None, None, number])
    ws.append(["编制单位：" + DEPT, None, None, None, "单位：万元"])
    for line in header:
        ws.append(line)
    for row in rows:
        ws.append([wan(v) if isinstance(v, Decimal) else v for v in row])
    ws.append([])
    for note in notes:
        ws.append([note])
    return ws


def workbook(path):
    wb = Workbook()
    wb.remove(wb.active)
    tp_total_b, tp_total_f = sum(TP_BUDGET.values()), sum(TP_FINAL.values())
    sheet(wb, "表七", "部门决算相关信息统计表", "公开10表", [["项目", "行次", "统计数"], ["栏次", "", "1"]], [
        ["一、机关运行经费支出", "1", AGENCY], ["二、政府采购支出合计", "2", GOODS + SERVICES],
        ["（一）政府采购货物支出", "3", GOODS], ["（二）政府采购工程支出", "4", None],
        ["（三）政府采购服务支出", "5", SERVICES]])
    sheet(wb, "表三", "支出决算表", "公开03表",
          [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"], ["栏次", "", "1", "2", "3"]],
          [["合计", None, SPENT, BASIC, PROJECT]]
          + [[code, name, basic + project, basic, project] for code, name, basic, project in FUNCTIONAL])
    sheet(wb, "表一", "收入支出决算总表", "公开01表",
          [["收入", None, "支出", None], ["项目", "决算数", "项目", "决算数"], ["栏次", "1", "栏次", "2"]], [
              ["一、一般公共预算财政拨款收入", GENERAL, "一、社会保障和就业支出", D("6580246.23")],
              ["二、政府性基金预算财政拨款收入", None, "二、农林水支出", D("100000000.00")],
              ["三、其他收入", OTHER, None, None],
              ["本年收入合计", INCOME, "本年支出合计", SPENT],
              ["年初结转和结余", BEGIN, "年末结转和结余", END],
              ["总计", INCOME + BEGIN, "总计", SPENT + END]])
    sheet(wb, "表二", "收入决算表", "公开02表",
          [["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"], ["栏次", "", "1", "2", "3"]],
          [["合计", None, INCOME, GENERAL, OTHER]])
    fiscal_end = FISCAL_BEGIN + GENERAL - GENERAL_SPENT
    sheet(wb, "表四", "财政拨款收入支出决算总表", "公开04表",
          [["收入", None, "支出", None, None], ["项目", "金额", "项目", "合计", "一般公共预算财政拨款"],
           ["栏次", "1", "栏次", "2", "3"]], [
              ["一、一般公共预算财政拨款", GENERAL, "一、农林水支出", GENERAL_SPENT, GENERAL_SPENT],
              ["本年收入合计", GENERAL, "本年支出合计", GENERAL_SPENT, GENERAL_SPENT],
              ["年初财政拨款结转和结余", FISCAL_BEGIN, "年末财政拨款结转和结余", fiscal_end, fiscal_end],
              ["总计", GENERAL + FISCAL_BEGIN, "总计", GENERAL + FISCAL_BEGIN, GENERAL + FISCAL_BEGIN]])
    sheet(wb, "表五", "一般公共预算财政拨款支出决算表", "公开05表",
          [["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["栏次", "", "1", "2", "3"]],
          [["合计", None, GENERAL_SPENT, BASIC, GENERAL_SPENT - BASIC]])
    # 三公: 预算数 | 决算数 written once above the first column of each group, a blank column between
    b, f = TP_BUDGET, TP_FINAL
    sheet(wb, "表六", "财政拨款“三公”经费支出决算表", "公开07表", [
        ["预算数", None, None, None, None, None, None, "决算数", None, None, None, None, None],
        ["合计", "因公出国（境）费", "公务用车购置及运行维护费", None, None, "公务接待费", None,
         "合计", "因公出国（境）费", "公务用车购置及运行维护费", None, None, "公务接待费"],
        [None, None, "小计", "公务用车购置费", "公务用车运行维护费", None, None,
         None, None, "小计", "公务用车购置费", "公务用车运行维护费", None],
        ["1", "2", "3", "4", "5", "6", None, "7", "8", "9", "10", "11", "12"]],
        [[tp_total_b, None, b["vehicle_operation"], None, b["vehicle_operation"], b["reception"], None,
          tp_total_f, None, f["vehicle_operation"], None, f["vehicle_operation"], f["reception"]]])
    wb.save(path)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    path = tmp_path_factory.mktemp("county") / "2023年决算公开.xlsx"
    workbook(path)
    report = Report(template_id="hunan-dept", fiscal_year=2023, display_unit="yuan")
    result = preview(path, report)
    apply(report, result)
    return report, result


def close(got, exact, cells=1):
    """Within the tails of ``cells`` figures printed to 0.01 万元."""
    assert got is not None and abs(got - exact) <= 50 * cells, (got, exact)


def test_every_figure_arrives_within_its_printed_precision(imported):
    report, _ = imported
    u, f = report.finance.units[0], report.finance
    for got, exact in ((u.general_budget, GENERAL), (u.other_income, OTHER), (u.carryover_begin, BEGIN),
                       (u.project_expenditure, PROJECT), (u.carryover_end, END),
                       (f.general_expenditure, GENERAL_SPENT), (f.fiscal_expenditure, GENERAL_SPENT),
                       (f.agency_operating, AGENCY), (f.procurement_goods, GOODS), (f.procurement_services, SERVICES),
                       (f.three_public_budget.vehicle_operation, TP_BUDGET["vehicle_operation"]),
                       (f.three_public_budget.reception, TP_BUDGET["reception"]),
                       (u.three_public.vehicle_operation, TP_FINAL["vehicle_operation"]),
                       (u.three_public.reception, TP_FINAL["reception"])):
        close(got, exact)
    close(u.personnel, PERSONNEL, 2)  # 基本支出 − 机关运行经费
    close(u.operating, OPERATING)
    assert [r.code for r in f.functional_rows] == [c for c, *_ in FUNCTIONAL]
    assert u.three_public.overseas_travel is None and f.three_public_budget.overseas_travel is None


def test_the_preview_names_where_each_figure_came_from(imported):
    _, result = imported
    sources = {ch.path: ch.source for ch in result.changes}
    assert "表二" in sources["finance.units[0].other_income"] and "万元" in sources["finance.units[0].other_income"]


def test_nothing_but_rounding_tails_and_hints(imported):
    report, result = imported
    assert [p.message for p in result.problems if p.severity != INFO] == []
    assert report.source_precision["finance.units[0].personnel"] == D(100)  # 基本支出 − 机关运行经费: two tails
    assert set(report.source_precision.values()) == {D(50), D(100)}
    found = checks.check(report, templates.get(report.template_id))
    assert [p.message for p in found if p.code in ("unbalanced", "basic_sum", "functional_sum")
            and p.severity != checks.INFO] == []
