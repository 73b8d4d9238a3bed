"""Issue 19: 绩效目标表 imported so that only actuals are left to type.

Fixtures: seed 002's four project tables (targets only) in five layouts built at test
time (targets_data/make.py) plus the committed split.xls.  Importing any into an empty
mof-project-2020 report, then typing the 实际完成值 and 执行数 of the xingxian sample (and
the 档次 its evaluator chose for qualitative rows), gives every project the sample's score
by rule; export → import is identity."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from export.targets import export_targets
from model import templates
from model.importers import targets
from model.report import DeptGoal, Report
from model.scoring import score

DATA = Path(__file__).resolve().parent / "targets_data"
sys.path.insert(0, str(DATA))
import make  # noqa: E402  (the fixture builder)

XLS = DATA / "split.xls"
ROW_FIELDS = ("level1", "level2", "name", "comparator", "target", "unit", "weight", "nature")


@pytest.fixture(scope="module")
def xingxian():
    return make.sample()


@pytest.fixture(scope="module")
def tpl():
    return templates.get("mof-project-2020")


def imported(path, tpl, report=None):
    report = report or Report(template_id="mof-project-2020", fiscal_year=2022)
    plan = targets.preview(path, report, tpl)
    targets.apply(report, plan)
    return report, plan


def type_actuals(report, sample):
    """What the clerk types after the import: 执行数 and 实际完成值 (and a qualitative row's chosen 档次)."""
    for sp in sample.projects:
        ip = next(p for p in report.projects if p.name == sp.name)
        ip.funds_current.executed = sp.funds_current.executed
        for sr in sp.indicators:
            ir = next(r for r in ip.indicators if r.name == sr.name and r.level1 == sr.level1)
            ir.actual, ir.band, ir.judged_score = sr.actual, sr.band, sr.judged_score


def rule_totals(report, tpl):
    return {p.name: p.totals.rule_total for p in score(report, tpl).projects}


def layout_path(layout, tmp_path, sample):
    return XLS if layout == "split.xls" else make.build(layout, tmp_path, sample)


@pytest.mark.parametrize("layout", ["per_sheet", "stacked", "long", "split", "split.xls"])
def test_only_actuals_left_to_type(layout, tmp_path, xingxian, tpl):
    report, plan = imported(layout_path(layout, tmp_path, xingxian), tpl)
    assert [p.name for p in report.projects] == [p.name for p in xingxian.projects]
    for sp, ip in zip(xingxian.projects, report.projects):
        assert (ip.authority, ip.goal_expected) == (sp.authority, sp.goal_expected)
        assert (ip.funds_current.initial_budget, ip.funds_current.annual_budget) == (
            sp.funds_current.initial_budget, sp.funds_current.annual_budget)
        assert [(r.level1, r.level2, r.name, r.weight) for r in ip.indicators] == [
            (r.level1, r.level2, r.name, r.weight) for r in sp.indicators]
        assert all(r.actual == "" for r in ip.indicators) and ip.funds_current.executed is None
    assert not plan.proposed
    type_actuals(report, xingxian)
    assert rule_totals(report, tpl) == rule_totals(xingxian, tpl)


def test_split_columns_read_comparator_and_unit(xingxian, tpl):
    report, _ = imported(XLS, tpl)
    rows = {r.name: r for p in report.projects for r in p.indicators}
    # 1.47 + 万人 → 1.47万人 (the 万 counts); ≥ / >= / 不低于 in the 指标性质 column all read as ≥
    assert (rows["脱贫户和监测户劳动力"].target, rows["脱贫户和监测户劳动力"].unit) == ("1.47万人", "万人")
    assert {(r.comparator, r.target) for n, r in rows.items() if n.endswith("满意度")} == {("≥", "98%"), ("≥", "95%")}
    assert (rows["资助学生数量"].comparator, rows["资助学生数量"].target, rows["资助学生数量"].unit) == ("≥", "1734人", "人")
    assert (rows["惠及年度"].comparator, rows["惠及年度"].target, rows["惠及年度"].unit) == ("", "2022年底", "")


def test_weights_from_the_table_are_checked_against_the_template(tmp_path, xingxian, tpl):
    _, plan = imported(make.build("per_sheet", tmp_path, xingxian), tpl)
    warnings = [p for p in plan.result.problems if p.severity == "警告"]
    # seed 002's 数字乡村 table gives its one 效益 row 15 of the template's 30
    assert len(warnings) == 1
    assert "2022年省级数字乡村示范创建项目" in warnings[0].message and "效益指标分值合计 15 分" in warnings[0].message
    assert (warnings[0].sheet, warnings[0].cell) == ("附件2", "D21")  # its 三级指标 cell


def test_no_weights_column_gets_the_templates_proposal_flagged(tmp_path, xingxian, tpl):
    report, plan = imported(make.build("no_weights", tmp_path, xingxian), tpl)
    weights = {p.name: [r.weight for r in p.indicators] for p in report.projects}
    assert weights["2022年脱贫劳动力稳岗补助"] == [Decimal("12.5")] * 4 + [30, 10]
    assert weights["精准扶贫档案整理服务"] == [17, Decimal("16.5"), Decimal("16.5"), 15, 15, 10]
    assert weights["2022年省级数字乡村示范创建项目"] == [Decimal("7.5")] * 2 + [7] * 5 + [30, 10]
    # never silently: a 提示 per project and the rows listed
    assert set(plan.proposed) == {p.name for p in xingxian.projects}
    assert "产出指标／脱贫户和监测户劳动力 12.5 分" in plan.proposed["2022年脱贫劳动力稳岗补助"]
    notes = [p for p in plan.result.problems if "建议分值" in p.message]
    assert len(notes) == 4 and all(p.severity == "提示" for p in notes)
    type_actuals(report, xingxian)
    totals, expected = rule_totals(report, tpl), rule_totals(xingxian, tpl)
    # 雨露计划's own 分值 are the even split; the others score as the sample once the clerk confirms its 分值
    assert totals["2021-2022年度雨露计划项目"] == expected["2021-2022年度雨露计划项目"]
    for sp in xingxian.projects:
        ip = next(p for p in report.projects if p.name == sp.name)
        for sr, ir in zip(sp.indicators, ip.indicators):
            ir.weight = sr.weight
    assert rule_totals(report, tpl) == expected


def test_proposal_rule():
    assert targets.propose(Decimal(50), 3) == [17, Decimal("16.5"), Decimal("16.5")]
    assert targets.propose(Decimal(50), 6) == [Decimal("8.5")] * 4 + [8, 8]
    assert sum(targets.propose(Decimal(30), 7)) == 30
    assert targets.propose(Decimal(10), 1) == [10]


@pytest.mark.parametrize("layout", ["per_sheet", "split"])
def test_round_trip_export_import_is_identity(layout, tmp_path, xingxian, tpl):
    first, _ = imported(make.build(layout, tmp_path, xingxian), tpl)
    out = tmp_path / "exported.xlsx"
    export_targets(first, tpl, out)
    second, _ = imported(out, tpl)
    assert len(second.projects) == len(first.projects)
    for a, b in zip(first.projects, second.projects):
        assert (a.name, a.authority, a.implementer, a.goal_expected) == (b.name, b.authority, b.implementer, b.goal_expected)
        assert (a.funds_current, a.funds_carryover, a.funds_other) == (b.funds_current, b.funds_carryover, b.funds_other)
        assert [[getattr(r, f) for f in ROW_FIELDS] for r in a.indicators] == [
            [getattr(r, f) for f in ROW_FIELDS] for r in b.indicators]
    again = tmp_path / "again.xlsx"
    export_targets(second, tpl, again)
    assert _cells(out) == _cells(again)


def test_sample_exported_and_imported_into_itself_changes_nothing(tmp_path, xingxian, tpl):
    out = tmp_path / "xingxian.xlsx"
    export_targets(xingxian, tpl, out)
    report = make.sample()
    plan = targets.preview(out, report, tpl)
    assert plan.values == [] and plan.result.changes == []
    assert all(p.severity != "警告" or "分值合计" in p.message for p in plan.result.problems)


def test_matched_project_keeps_what_was_typed(tmp_path, xingxian, tpl):
    path = make.build("stacked", tmp_path, xingxian)
    report = make.sample()
    report.projects[2].indicators[0].target = "≥1000人"
    report.projects[2].indicators[0].weight = Decimal(5)
    plan = targets.preview(path, report, tpl)
    rows = [ch for ch in plan.result.changes if ".indicators[" in ch.path]
    assert [(ch.path, ch.old, ch.new) for ch in rows] == [
        ("projects[2].indicators[0]", "≥1000人，分值 5", "≥1734人，分值 10")]
    assert len(plan.result.found) == 4 and all("同名，更新" in f for f in plan.result.found)
    targets.apply(report, plan)
    assert len(report.projects) == 4
    row = report.projects[2].indicators[0]
    assert (row.target, row.weight, row.actual) == ("≥1734人", 10, "1734人")
    assert report.provenance["projects[2].indicators[0].target"] == "imported"
    assert report.provenance["projects[2].funds_current.annual_budget"] == "imported"


def _grid_workbook(path, rows, head=(("项目名称", "测试项目"),)):
    wb = Workbook()
    ws = wb.active
    ws.title = "目标"
    for r in head:
        ws.append(list(r))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_rows_that_cannot_be_placed_are_warnings_with_their_cell(tmp_path, tpl):
    path = _grid_workbook(tmp_path / "bad.xlsx", [
        ("一级指标", "二级指标", "三级指标", "指标值", "分值"),
        (None, "数量指标", "无一级的指标", "5个", 10),
        ("产出指标", "经济效益指标", "放错二级的指标", "5个", 10),
        ("产出指标", "数量指标", "好指标", "≥5个", 50),
        ("成果指标", "数量指标", "未知一级", "1", 10),
    ])
    report, plan = imported(path, tpl)
    assert [r.name for r in report.projects[0].indicators] == ["好指标"]
    warned = {(p.sheet, p.cell): p.message for p in plan.result.problems if p.severity == "警告"}
    assert "没有一级指标" in warned[("目标", "C3")]
    assert "二级指标“经济效益指标”不在“产出指标”之下" in warned[("目标", "C4")]
    assert "一级指标“成果指标”不是本模板的一级指标" in warned[("目标", "C6")]


def test_comparator_words_and_nature_in_the_property_column(tmp_path, tpl):
    path = _grid_workbook(tmp_path / "words.xlsx", [
        ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位", "权重"),
        ("产出指标", "数量指标", "培训人数", "不低于", 200, "人次", 25),
        ("产出指标", "成本指标", "人均成本", "不超过", 300, "元", 25),
        ("效益指标", "社会效益指标", "群众增收", "定性", "明显提高", None, 30),
        ("满意度指标", "服务对象满意度指标", "满意度", "＞＝", 90, "%", 10),
    ])
    report, plan = imported(path, tpl)
    rows = report.projects[0].indicators
    assert [(r.comparator, r.target, r.unit, r.nature) for r in rows] == [
        ("≥", "200人次", "人次", "auto"), ("≤", "300元", "元", "auto"), ("", "明显提高", "", "qualitative"),
        ("≥", "90%", "%", "auto")]
    assert not [p for p in plan.result.problems if p.severity == "警告"]


def test_department_targets_fill_goals_and_expected_goal(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in (("2023年部门整体绩效目标表",), ("部门名称", "某县乡村振兴局"), ("职责", "负责巩固拓展脱贫攻坚成果"),
                ("年度总体绩效目标", "巩固脱贫成果，防止规模性返贫"),
                ("一级指标", "二级指标", "三级指标", "指标值类型", "指标值", "计量单位", "指标解释", "评(扣)分标准", "备注"),
                ("产出指标", "数量指标", "监测户帮扶覆盖率", "定量", "≥100", "%", "监测户落实帮扶措施的比例", "未达到扣2分", None),
                (None, "时效指标", "资金拨付及时率", "定量", 100, "%", None, None, None),
                ("效益指标", "社会效益指标", "返贫致贫", "定性", "不发生规模性返贫", None, None, None, None),
                ("满意度指标", "服务对象满意度指标", "群众满意度", "定量", "≥90", "%", None, None, None)):
        ws.append(list(row))
    wb.save(tmp_path / "dept.xlsx")
    tpl = templates.get("hunan-dept")
    report = Report(template_id="hunan-dept", fiscal_year=2023)
    report.dept_goals = [DeptGoal("产出目标", "数量指标", "监测户帮扶覆盖率", "≥90%", "100%")]
    report, plan = imported(tmp_path / "dept.xlsx", tpl, report)
    assert report.basic.department == "某县乡村振兴局"
    assert report.basic.performance_goal == "巩固脱贫成果，防止规模性返贫"
    assert [(g.category, g.dimension, g.name, g.target, g.actual) for g in report.dept_goals] == [
        ("产出目标", "数量指标", "监测户帮扶覆盖率", "≥100%", "100%"),
        ("产出目标", "时效指标", "资金拨付及时率", "100%", ""),
        ("效益目标", "社会效益指标", "返贫致贫", "不发生规模性返贫", ""),
        ("满意度目标", "服务对象满意度指标", "群众满意度", "≥90%", "")]
    assert report.projects == []
    assert report.provenance["basic.performance_goal"] == "imported"
    out = tmp_path / "back.xlsx"
    export_targets(report, tpl, out)
    again, _ = imported(out, tpl, Report(template_id="hunan-dept", fiscal_year=2023))
    assert again.dept_goals == [DeptGoal(g.category, g.dimension, g.name, g.target, "") for g in report.dept_goals]
    assert again.basic.performance_goal == report.basic.performance_goal


def test_a_workbook_without_target_tables_is_refused(tpl):
    with pytest.raises(targets.TargetsError, match="没有找到绩效目标表"):
        targets.preview(Path(__file__).parent / "data" / "tables.xlsx", Report(template_id="mof-project-2020"), tpl)
    with pytest.raises(targets.TargetsError, match="不是 Excel 工作簿"):
        targets.preview(Path(__file__).parent / "data" / "not_a_workbook.xlsx", Report(template_id="mof-project-2020"), tpl)


def _cells(path):
    wb = load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
