"""The national-dept-2013 template (财预〔2013〕53号 共性指标框架): structure, and a worked example.

The example department below is scored by hand from the published rules (arithmetic in the
comments); the template must give the same score for every indicator, the same total and grade.
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest
import yaml

from model import scoring, templates
from model.paths import templates_dir
from model.report import IndicatorAnswer, Report, ThreePublic, UnitFinance
from model.templates import TemplateError

PATH = templates_dir() / "national-dept-2013.yaml"
W = D(10000)  # 1 万元 in 元


@pytest.fixture(scope="module")
def tpl():
    return templates.load_template(PATH)


def test_listed_and_structured_as_the_framework(tpl):
    assert "national-dept-2013" in templates.load_all()
    assert [(l1.name, l1.weight) for l1 in tpl.tree] == [("投入", 15), ("过程", 40), ("产出", 20), ("效果", 25)]
    inputs = tpl.tree[0]
    assert [(l2.name, l2.weight, [(i.name, i.weight) for i in l2.indicators]) for l2 in inputs.children] == [
        ("目标设定", 5, [("绩效目标合理性", 2), ("绩效指标明确性", 3)]),
        ("预算配置", 10, [("在职人员控制率", 3), ("“三公经费”变动率", 3), ("重点支出安排率", 4)]),
    ]
    assert not any(i.proposed for i in inputs.children[1].indicators)  # published weights
    assert [l2.name for l2 in tpl.tree[1].children] == ["预算执行", "预算管理", "资产管理"]
    assert tpl.indicator("three_public_change").metric == "three_public_budget_change_rate"  # 预算数 base
    assert tpl.indicator("three_public_change").metric_base == "budget"
    assert "财预〔2013〕53号" in PATH.read_text(encoding="utf-8").split("\nid:")[0]


def _example() -> Report:
    r = Report(template_id="national-dept-2013", fiscal_year=2023)
    r.basic.department = "示例县乡村振兴局"
    r.basic.authorized_total, r.basic.actual_staff = 20, 21
    f = r.finance
    f.initial_budget, f.budget_adjustment = 1000 * W, 50 * W       # 全年预算数 1,050 万元
    f.operating_budget = 190 * W
    f.three_public_budget = ThreePublic(reception=D("10.4") * W)
    f.prior.three_public_budget = ThreePublic(reception=10 * W)
    f.prior.carryover_end = 50 * W
    f.key_project_expenditure = 200 * W
    f.units.append(UnitFinance(
        name="局机关", carryover_begin=50 * W, general_budget=1050 * W,
        personnel=600 * W, operating=200 * W, project_expenditure=250 * W, carryover_end=50 * W,
        three_public=ThreePublic(reception=D("10.5") * W), assets_in_use=90 * W, assets_idle=10 * W))
    a = r.answers
    a["goal_reasonableness"] = IndicatorAnswer(items=[True, True, False])
    a["indicator_clarity"] = IndicatorAnswer(items=[True] * 3)
    a["payment_progress"] = IndicatorAnswer(value=D(95))
    a["procurement_execution"] = IndicatorAnswer(not_applicable=True)   # no 政府采购 this year
    a["budget_rules"] = IndicatorAnswer(items=[True] * 3)
    a["fund_compliance"] = IndicatorAnswer(items=[True] * 3)
    a["budget_disclosure"] = IndicatorAnswer(items=[True, False])
    a["basic_information"] = IndicatorAnswer(items=[True] * 3)
    a["asset_rules"] = IndicatorAnswer(items=[True] * 3)
    a["asset_safety"] = IndicatorAnswer(items=[True, True, False])
    for iid, v in (("completion_rate", 100), ("timeliness_rate", 96), ("quality_rate", 100), ("key_task_rate", 100)):
        a[iid] = IndicatorAnswer(value=D(v))
    a["economic_benefit"] = IndicatorAnswer(choice=0)
    a["social_benefit"] = IndicatorAnswer(choice=0, judged_score=D("4.5"))
    a["ecological_benefit"] = IndicatorAnswer(choice=1)
    a["satisfaction"] = IndicatorAnswer(value=D(92))
    return r


EXPECTED = {
    # 投入 10.83
    "goal_reasonableness": "1.33",    # 2 of 3 points × 2/3 = 1.333… → 1.33
    "indicator_clarity": "3",
    "staff_control": "1.5",           # 21 / 20 = 105 %: 5 points over × 10 % × 3 = 1.5 off
    "three_public_change": "1.8",     # 预算数 (10.4 − 10) / 10 = 4 %: 4 × 10 % × 3 = 1.2 off
    "key_expenditure": "3.2",         # 200 / 250 = 80 % → the 80–90 band
    # 过程 32.4
    "budget_completion": "2.4",       # (50 + 1050 − 50) / (50 + 1050) = 95.45 %: 4.55 short → 1 step of 5 → 40 % × 4 off
    "budget_adjustment": "2",         # 50 / 1050 = 4.76 % ≤ 10 %
    "payment_progress": "1.9",        # 95 % × 2
    "carryover": "2",                 # 50 / 1050 = 4.76 % ≤ 10 %
    "carryover_change": "2",          # (50 − 50) / 50 = 0 ≤ 0
    "operating_control": "0.8",       # 200 / 190 = 105.26 %: 6 points (part counts) × 10 % × 2 = 1.2 off
    "three_public_control": "2",      # 10.5 / 10.4 = 100.96 %: 1 point × 1 off
    "procurement_execution": "2",     # 不适用: full
    "budget_rules": "3", "fund_compliance": "3", "budget_disclosure": "1.5", "basic_information": "3",
    "asset_rules": "3", "asset_safety": "2",
    "fixed_asset_utilization": "1.8",  # 90 / 100 = 90 % × 2
    # 产出 19.8
    "completion_rate": "5", "timeliness_rate": "4.8", "quality_rate": "5", "key_task_rate": "5",
    # 效果 23.5
    "economic_benefit": "5", "social_benefit": "4.5", "ecological_benefit": "4",  # 部分达成: top of 50–80 % × 5
    "satisfaction": "10",
}


def test_worked_example(tpl):
    result = scoring.score(_example(), tpl)
    got = {s.key.removeprefix("dept."): s.score for s in result.dept.indicators}
    assert got == {k: D(v) for k, v in EXPECTED.items()}
    assert [g.score for g in result.dept.groups] == [D("10.83"), D("32.40"), D("19.80"), D("23.50")]
    # 10.83 + 32.4 + 19.8 + 23.5 = 86.53 → 良 (80–90)
    assert (result.dept.totals.total, result.dept.totals.grade) == (D("86.53"), "良")
    assert not result.dept.totals.rescaled
    na = result.by_key("dept.procurement_execution")
    assert na.explanation == "已标为不适用；按评分规则，不适用的得满分 2 分"


def test_not_applicable_only_where_the_template_allows_it(tpl):
    r = _example()
    r.answers["payment_progress"].not_applicable = True  # no not_applicable in the template: scored as usual
    s = scoring.score(r, tpl).by_key("dept.payment_progress")
    assert s.score == D("1.9") and s.explanation.startswith("本模板中该指标不能标为不适用")


def test_no_project_spending_makes_key_expenditure_not_applicable(tpl):
    r = _example()
    r.finance.units[0].project_expenditure = D(0)
    r.finance.key_project_expenditure = D(0)
    s = scoring.score(r, tpl).by_key("dept.key_expenditure")
    assert s.score == 4 and "本部门没有该项" in s.explanation


def _broken(tmp_path, change) -> str:
    doc = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        templates.load_template(path)
    return str(e.value)


def _ind(doc, iid):
    return next(i for l1 in doc["indicators"] for l2 in l1["children"] for i in l2["children"] if i["id"] == iid)


@pytest.mark.parametrize("iid,change,needle", [
    ("staff_control", lambda i: i["rule"].pop("share"), "points（每档扣几分）或 share"),
    ("staff_control", lambda i: i["rule"].update(op="<"), "比较符 op"),
    ("three_public_change", lambda i: i.update(metric_base="initial"), "计算口径 metric_base“initial”无效"),
    ("key_expenditure", lambda i: i.update(metric_base="budget"), "metric_base 只能用于"),
    ("key_expenditure", lambda i: i.update(not_applicable="drop"), "rescale_inapplicable"),
    ("budget_completion", lambda i: i.update(weight=5), "不一致"),
])
def test_broken_copies_name_the_file_and_indicator(tmp_path, iid, change, needle):
    doc_name = {}

    def edit(doc):
        ind = _ind(doc, iid)
        doc_name["name"] = ind["name"]
        change(ind)

    msg = _broken(tmp_path, edit)
    assert "broken.yaml" in msg and needle in msg
    if "不一致" not in needle:
        assert f"“{doc_name['name']}”" in msg


def test_rescale_switch_must_be_a_flag(tmp_path):
    assert "rescale_inapplicable 应为 true 或 false" in _broken(tmp_path, lambda d: d.update(rescale_inapplicable="是"))
