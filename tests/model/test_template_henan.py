"""The 河南 2020 department template (seed 004's indicator system) loads as published."""
from decimal import Decimal

import pytest

from model import templates


@pytest.fixture(scope="module")
def tpl():
    return templates.load_all()["henan-dept-2020"]


def by_name(tpl, name):
    found = [i for i in tpl.indicators() if i.name == name]
    assert len(found) == 1, name
    return found[0]


def test_header(tpl):
    assert tpl.kind == "dept"
    assert tpl.province == "河南省"
    assert tpl.year == 2020
    assert tpl.project_template == "mof-project-2020"
    assert templates.project_form(tpl) is not None
    assert [(b.grade, b.min) for b in tpl.grade_bands] == [
        ("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert tpl.grade(Decimal(86)) == "良"
    titles = [s.title for s in tpl.narrative_sections]
    assert titles[0] == "一、部门基本概况"
    assert "七、有关建议" in titles
    assert len({s.id for s in tpl.narrative_sections}) == len(titles)


def test_level1_names_and_weights(tpl):
    assert [(l1.name, l1.weight) for l1 in tpl.tree] == [
        ("履职效能", 30), ("管理效率", 35), ("运行成本", 12), ("服务满意", 15), ("可持续性", 8)]


def test_counts(tpl):
    assert sum(len(l1.children) for l1 in tpl.tree) == 15
    assert len(tpl.indicators()) == 41
    assert [sum(len(l2.indicators) for l2 in l1.children) for l1 in tpl.tree] == [11, 18, 6, 3, 3]


def test_weights_sum_to_100(tpl):
    assert sum(i.weight for i in tpl.indicators()) == 100
    for l1 in tpl.tree:
        assert sum(l2.weight for l2 in l1.children) == l1.weight
        for l2 in l1.children:
            assert sum(i.weight for i in l2.indicators) == l2.weight


def test_every_indicator_has_published_text(tpl):
    for i in tpl.indicators():
        assert i.rule_text, i.name
        assert i.explanation, i.name
        assert not i.proposed, i.name


def test_ids_unique_snake_case(tpl):
    ids = [i.id for i in tpl.indicators()]
    assert len(set(ids)) == len(ids)
    assert all(iid.isascii() and iid == iid.lower() and " " not in iid for iid in ids)


def test_reform_weight_follows_detailed_table(tpl):
    """体制机制改革情况 is 3 points, as in the detailed indicator table and the
    appendix table.  The summary 得分情况表 prints 4.00, but the detailed table
    is the one that adds up: 体制机制改革情况 3 + 创新能力 3 + 人才支撑 2 = 8,
    the 可持续性 一级 weight, whereas 4 would make 9."""
    sustain = next(l1 for l1 in tpl.tree if l1.name == "可持续性")
    weights = {l2.name: l2.weight for l2 in sustain.children}
    assert weights == {"体制机制改革情况": 3, "创新能力": 3, "人才支撑": 2}
    assert sum(weights.values()) == sustain.weight == 8
    assert by_name(tpl, "重要改革事项").weight == 3


def test_threshold_rules(tpl):
    saving = by_name(tpl, "总体成本节约率")
    assert saving.kind == "threshold"
    assert (saving.params["op"], Decimal(str(saving.params["target"]))) == (">=", 5)
    assert saving.metric == "cost_saving_rate"

    expected = {
        "预算执行率": (">=", 90, "budget_execution_rate"),
        "预算调整率": ("<=", 20, "budget_adjustment_rate"),
        "结转结余变动率": ("<=", 20, "carryover_change_rate"),
        "政府采购执行率": (">=", 65, "procurement_execution_rate"),
        "部门固定资产利用率": (">=", 95, "fixed_asset_utilization_rate"),
        "在职人员经费变动率": ("<=", 10, "in_service_personnel_change_rate"),
        "离退休人员经费变动率": ("<=", 10, "retiree_personnel_change_rate"),
        "人均公用经费变动率": ("<=", 10, "per_capita_operating_change_rate"),
        "“三公经费”变动率": ("<=", 0, "three_public_change_rate"),
        "厉行节约支出变动率": ("<=", 10, "frugality_change_rate"),
        # typed by the clerk: no metric computes these
        "总体工作完成率": (">=", 95, None),
        "牵头单位工作完成率": (">=", 95, None),
        "专项资金细化率": (">=", 95, None),
        "项目库管理完整性": (">=", 95, None),
        "国库集中支付合规性": (">=", 95, None),
    }
    for name, (op, target, metric) in expected.items():
        ind = by_name(tpl, name)
        assert ind.kind == "threshold", name
        assert ind.params["op"] == op, name
        assert Decimal(str(ind.params["target"])) == target, name
        assert ind.unit == "%", name
        assert ind.metric == metric, name


def test_per_item_rules(tpl):
    for name, points in (("重要改革事项", 1.5), ("重点创新事项", 1.5), ("巩固脱贫成果事项", 1)):
        ind = by_name(tpl, name)
        assert ind.kind == "per_item", name
        assert Decimal(str(ind.params["points"])) == Decimal(str(points)), name
        assert Decimal(str(ind.params["cap"])) == 3, name


def test_checklists_with_points(tpl):
    for name, points in (("审核监督扶贫项目", [1.5, 1.5]),
                         ("建档贫困人口（村）脱贫率", [1.5, 1.5]),
                         ("人才培养或引进", [1, 1])):
        ind = by_name(tpl, name)
        assert ind.kind == "checklist", name
        assert len(ind.params["items"]) == 2, name
        assert ind.params["points"] == points, name
    assert len(by_name(tpl, "内控制度有效性").params["items"]) == 4
    assert len(by_name(tpl, "资产管理规范性").params["items"]) == 3
    assert len(by_name(tpl, "银行账户管理规范性").params["items"]) == 1


def test_other_rule_kinds(tpl):
    goal = by_name(tpl, "目标管理有效性")
    assert goal.kind == "levels"
    assert [lv["score"] for lv in goal.params["levels"]] == [2, 1, 0]

    road = by_name(tpl, "基础设施建设完成情况")
    assert road.kind == "proportional"
    assert Decimal(str(road.params["target"])) == Decimal("21.754")
    assert road.unit == "公里"
    industry = by_name(tpl, "产业扶贫完成情况")
    assert (industry.kind, industry.params["target"], industry.unit) == ("proportional", 5, "个")

    assert by_name(tpl, "扶贫项目竣工率").kind == "rate"

    for name in ("群众满意度", "对口部门满意度", "外部监督部门满意度"):
        ind = by_name(tpl, name)
        assert ind.kind == "bands", name
        assert ind.params["bands"] == [
            {"min": 90, "score": "full"}, {"min": 75, "score": 3}, {"min": 60, "score": 1}, {"score": 0}]


def test_rules_score_like_the_text(tpl):
    """A few spot checks that the encoded rules give what the 评分规则 says."""
    from model.rules import Facts

    def score(name, **facts):
        ind = by_name(tpl, name)
        return ind.rule.score(ind.params, ind.weight, Facts(name=name, **facts)).score

    assert score("总体成本节约率", value=Decimal("4.99")) == 0
    assert score("总体成本节约率", value=Decimal(5)) == 2
    assert score("“三公经费”变动率", value=Decimal("0.01")) == 0
    assert score("“三公经费”变动率", value=Decimal(0)) == 2
    assert score("群众满意度", value=Decimal("89.9")) == 3
    assert score("群众满意度", value=Decimal(90)) == 5
    assert score("群众满意度", value=Decimal("59.9")) == 0
    assert score("基础设施建设完成情况", value=Decimal("10.877")) == Decimal("1.5")
    assert score("产业扶贫完成情况", value=Decimal(4)) == Decimal("2.4")
    assert score("重要改革事项", value=Decimal(1)) == Decimal("1.5")
    assert score("重要改革事项", value=Decimal(3)) == 3
    assert score("巩固脱贫成果事项", value=Decimal(1)) == 1
    assert score("扶贫项目竣工率", value=Decimal(100)) == 3
    assert score("建档贫困人口（村）脱贫率", items=[True, False]) == Decimal("1.5")
    assert score("目标管理有效性", choice=1) == 1
