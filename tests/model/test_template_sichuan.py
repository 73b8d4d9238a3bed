"""The 四川 templates: sichuan-dept (不适用 dropped and the total rescaled to 100) and sichuan-project
(预算执行 10 + 绩效指标 90, 指标性质 and 度量单位 columns, 100-字 reasons).  Worked examples are scored
by hand from the published rules (arithmetic in the comments)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
import yaml

from export.forms import grids_for
from export.grid import positions
from model import checks, scoring, templates
from model.paths import templates_dir
from model.report import FundsRow, IndicatorAnswer, Project, ProjectIndicator, Report
from model.templates import TemplateError

W = D(10000)


def test_listed_with_the_published_weights():
    found = templates.load_all()
    dept, project = found["sichuan-dept"], found["sichuan-project"]
    assert dept.project_template == "sichuan-project" and dept.rescale_inapplicable
    assert [(l1.name, l1.weight) for l1 in dept.tree] == [("部门决策", 25), ("综合管理", 30), ("部门绩效", 45)]
    assert [(l2.name, l2.weight) for l2 in dept.tree[0].children] == [("目标任务", 15), ("预算编制", 10)]
    assert [(l2.name, l2.weight) for l2 in dept.tree[1].children] == [
        ("专项资金分配时限", 2), ("中期评估", 2), ("绩效监控", 5), ("非税收入", 2), ("资产管理", 6), ("内控", 2),
        ("信息公开", 6), ("绩效评价", 5)]
    assert [(l2.name, l2.weight) for l2 in dept.tree[2].children] == [("履职成效", 20), ("可持续发展", 15), ("满意度", 10)]
    assert [i.weight for i in dept.tree[2].children[2].indicators] == [3, 3, 4]
    assert all(i.not_applicable == "drop" for i in dept.indicators())
    form = project.project
    assert (form.execution_weight, sum(l1.weight for l1 in form.level1), form.execution_label) == (10, 90, "预算执行")
    assert [label for _, label in form.columns][3:6] == ["指标性质", "指标值", "度量单位"]
    assert project.review.limit("deviation_reason") == 100


def _dept_example() -> Report:
    r = Report(template_id="sichuan-dept", fiscal_year=2023)
    r.basic.department = "示例县农业农村局"
    a = r.answers
    for iid in ("relevance", "clarity", "reasonableness", "budget_basis", "goal_management",
                "long_term_mechanism", "capacity_building", "innovation"):
        a[iid] = IndicatorAnswer(choice=0)                          # 达成: full, 5 each
    a["budget_basis"] = IndicatorAnswer(choice=1)                   # 部分达成: top of 50–80 % × 5 = 4
    a["provincial_allocation"] = IndicatorAnswer(not_applicable=True)  # no 专项资金 this year: dropped (1)
    a["central_allocation"] = IndicatorAnswer(not_applicable=True)     # dropped (1)
    a["nontax_income"] = IndicatorAnswer(not_applicable=True)          # no 非税收入: dropped (2)
    a["midterm_review"] = IndicatorAnswer(items=[True, False])          # 1
    a["monitoring"] = IndicatorAnswer(items=[True] * 5)                 # 5
    a["asset_management"] = IndicatorAnswer(items=[True] * 5 + [False])  # 5
    a["internal_control"] = IndicatorAnswer(items=[True, True])         # 2
    for iid in ("budget_disclosure", "final_disclosure", "performance_disclosure"):
        a[iid] = IndicatorAnswer(items=[True, True])                    # 2 each
    a["evaluation"] = IndicatorAnswer(items=[True] * 4 + [False])       # 4
    a["duty_results"] = IndicatorAnswer(value=D(90))                    # 90 % × 20 = 18
    a["partner_satisfaction"] = IndicatorAnswer(value=D(95))            # 3
    a["target_satisfaction"] = IndicatorAnswer(value=D(85))             # 2.4
    a["public_satisfaction"] = IndicatorAnswer(value=D(91))             # 4
    return r


def test_dept_worked_example_rescaled_to_100():
    result = scoring.score(_dept_example())
    # 部门决策 5+5+5+4+5 = 24; 综合管理 1+5+5+2+6+4 = 23 (4 points dropped); 部门绩效 18+15+9.4 = 42.4
    assert [g.score for g in result.dept.groups] == [D(24), D(23), D("42.40")]
    t = result.dept.totals
    # 89.4 of the 96 applicable points: 89.4 / 96 × 100 = 93.125 → 93.13 → 优 (without rescaling: 89.40, 良)
    assert (t.raw_total, t.applicable, t.total, t.grade) == (D("89.40"), D(96), D("93.13"), "优")
    assert t.rule_total == D("93.13")
    assert t.rescale_text() == "不适用指标共 4 分不计，适用指标得分 89.4 / 适用分值 96 × 100 = 93.13 分"
    dropped = result.by_key("dept.nontax_income")
    assert dropped.dropped and dropped.score == 0 and "按比例分配给其余指标" in dropped.explanation
    assert not any(p.code == "missing_facts" for p in checks.check(_dept_example()))


def test_rescaling_is_in_the_score_explanation_appendix():
    report = _dept_example()
    result = scoring.score(report)
    grids = {g.key: g for g in grids_for(report, templates.get("sichuan-dept"), result)}
    text = " ".join(c.text for row in positions(grids["adjustments"]) for _, c in row)
    assert "非税收入" in text and "不适用指标共 4 分不计" in text


def _project_example() -> Report:
    r = Report(template_id="sichuan-project", fiscal_year=2023)
    r.basic.department = "示例县农业农村局"
    rows = [
        # 产出 50: 30 + 10 + 10
        ProjectIndicator("output", "数量指标", "新建高标准农田", "≥", "1000亩", "950亩", "亩", D(30)),  # 950/1000 × 30 = 28.5
        ProjectIndicator("output", "质量指标", "验收合格率", "=", "100%", "100%", "%", D(10)),            # 10
        ProjectIndicator("output", "成本指标", "亩均建设成本", "≤", "1500元", "1600元", "元", D(10),
                         deviation_reason="材料涨价"),                                              # 1500/1600 × 10 = 9.38
        # 效益 30
        ProjectIndicator("outcome", "经济效益指标", "带动农户增收", "", "增收", "部分增收", "", D(30), "qualitative",
                         band=1, judged_score=D(20)),                                             # 部分达成, judged 20
        # 满意度 10
        ProjectIndicator("satisfaction", "服务对象满意度指标", "受益农户满意度", "≥", "90%", "93%", "%", D(10)),  # 10
    ]
    r.projects.append(Project(name="高标准农田建设", authority="示例县农业农村局", implementer="示例县农业农村局",
                              funds_current=FundsRow(100 * W, 100 * W, 85 * W), indicators=rows,
                              goal_expected="新建高标准农田1000亩", goal_actual="建成950亩"))
    return r


def test_project_worked_example():
    result = scoring.score(_project_example())
    ps = result.projects[0]
    # 预算执行 85 / 100 = 85 % × 10 = 8.5
    assert ps.execution.score == D("8.50")
    assert [s.score for s in ps.rows] == [D("28.50"), D(10), D("9.38"), D(20), D(10)]
    # 8.5 + 28.5 + 10 + 9.38 + 20 + 10 = 86.38 → 良
    assert (ps.totals.total, ps.totals.grade) == (D("86.38"), "良")


def test_project_form_prints_nature_and_unit_columns():
    report = _project_example()
    tpl = templates.get("sichuan-project")
    grid = next(g for g in grids_for(report, tpl, scoring.score(report, tpl)) if g.key == "project_self_eval.0")
    rows = [[c.text for _, c in row] for row in positions(grid)]
    head = next(r for r in rows if "指标性质" in r)
    assert head == ["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值",
                    "得分", "偏差原因分析及改进措施"]
    for name, printed in (("新建高标准农田", ["≥", "1000", "亩", "950", "30", "28.50"]),
                          ("亩均建设成本", ["≤", "1500", "元", "1600", "10", "9.38", "材料涨价"]),
                          ("带动农户增收", ["定性", "增收", "", "部分增收", "30", "20.00"])):
        row = next(r for r in rows if name in r)
        at = row.index(name) + 1
        assert row[at:at + len(printed)] == printed, name
    assert any(r and r[0].startswith("预算执行\n（万元）\n（10分）") for r in rows)
    total = next(r for r in rows if r[0] == "总　分")
    assert total[1] == "86.38"
    assert len(grid.columns) == 11


def test_reason_over_100_characters_is_flagged():
    report = _project_example()
    report.projects[0].indicators[2].deviation_reason = "材料涨价" * 30  # 120 字
    codes = {p.code for p in checks.check(report)}
    assert "text_too_long" in codes


@pytest.mark.parametrize("columns,needle", [
    (["level1", "level2", "name", "target", "actual", "weight", "score", "colour"], "未知的栏目“colour”"),
    (["level1", "level2", "name", "target", "actual", "weight", "deviation_reason"], "缺少得分"),
    (["name", "level1", "level2", "target", "actual", "weight", "score", "standard"], "前两栏"),
    (["level1", "level2", "name", "target", "actual", "weight", "score"], "至少 8 栏"),
    (["level1", "level2", "name", {"key": "nature", "label": ""}, "target", "actual", "weight", "score"], "label"),
])
def test_broken_columns_are_refused(tmp_path, columns, needle):
    doc = yaml.safe_load((templates_dir() / "sichuan-project.yaml").read_text(encoding="utf-8"))
    doc["project"]["columns"] = columns
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        templates.load_template(path)
    assert "broken.yaml" in str(e.value) and "project.columns" in str(e.value) and needle in str(e.value)


def test_broken_dept_copy_names_the_indicator(tmp_path):
    doc = yaml.safe_load((templates_dir() / "sichuan-dept.yaml").read_text(encoding="utf-8"))
    doc["indicators"][2]["children"][2]["children"][2]["rule"]["bands"][1]["score"] = 5  # 社会公众满意度: 5 of 4
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TemplateError, match="“社会公众满意度”.*超出 0–4"):
        templates.load_template(path)
