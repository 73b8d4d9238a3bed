"""The 湖南 部门整体支出绩效自评 template (resources/templates/hunan-dept.yaml)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from model import metrics, rules, templates
from model.paths import templates_dir
from model.rules import pts

PATH = templates_dir() / "hunan-dept.yaml"

# Every node whose weight is our proposal (not published, not seen locally), by path.
EXPECTED_PROPOSED = {
    "过程/预算执行/预算执行率",
    "过程/预算执行/公用经费控制率",
    "过程/预算执行/“三公经费”控制率",
    "过程/预算执行/政府采购执行率",
    "过程/预算管理/管理制度健全性",
    "过程/预算管理/资金使用合规性",
    "过程/预算管理/预决算信息公开性",
    "过程/预算管理/基础信息完善性",
    "过程/资产管理/资产管理制度健全性",
    "过程/资产管理/资产管理安全性",
    "过程/资产管理/固定资产利用率",
    "产出",
    "产出/职责履行",
    "产出/职责履行/实际完成率",
    "产出/职责履行/完成及时率",
    "产出/职责履行/质量达标率",
    "产出/职责履行/重点工作办结率",
    "效益",
    "效益/履职效益",
    "效益/履职效益/经济效益",
    "效益/履职效益/社会效益",
    "效益/履职效益/生态效益",
    "效益/满意度",
    "效益/满意度/社会公众或服务对象满意度",
}

# Indicators the issue names: 一级, 二级, 三级 name → (rule kind, metric).
REQUIRED = {
    ("投入", "预算配置", "在职人员控制率"): ("bands", "staff_control_rate"),
    ("投入", "预算配置", "“三公经费”变动率"): ("threshold", "three_public_change_rate"),
    ("投入", "预算配置", "重点支出安排率"): ("bands", "key_expenditure_rate"),
    ("过程", "预算执行", "预算执行率"): ("rate", "budget_execution_rate"),
    ("过程", "预算执行", "预算调整率"): ("bands", "budget_adjustment_rate"),
    ("过程", "预算执行", "结转结余率"): ("bands", "carryover_rate"),
    ("过程", "预算执行", "公用经费控制率"): ("threshold", "operating_control_rate"),
    ("过程", "预算执行", "“三公经费”控制率"): ("bands", "three_public_control_rate"),
    ("过程", "预算执行", "政府采购执行率"): ("rate", "procurement_execution_rate"),
    ("过程", "预算管理", "管理制度健全性"): ("checklist", None),
    ("过程", "资产管理", "资产管理制度健全性"): ("checklist", None),
    ("过程", "资产管理", "资产管理安全性"): ("checklist", None),
    ("过程", "资产管理", "固定资产利用率"): ("rate", "fixed_asset_utilization_rate"),
    ("产出", "职责履行", "实际完成率"): ("rate", None),
    ("产出", "职责履行", "完成及时率"): ("rate", None),
    ("产出", "职责履行", "质量达标率"): ("rate", None),
    ("产出", "职责履行", "重点工作办结率"): ("rate", None),
    ("效益", "履职效益", "经济效益"): ("qualitative", None),
    ("效益", "履职效益", "社会效益"): ("qualitative", None),
    ("效益", "履职效益", "生态效益"): ("qualitative", None),
    ("效益", "满意度", "社会公众或服务对象满意度"): ("bands", None),
}

NARRATIVE = [
    "一、基本情况",
    "二、一般公共预算支出情况",
    "三、政府性基金预算支出情况",
    "四、国有资本经营预算支出情况",
    "五、社会保险基金预算支出情况",
    "六、部门整体支出绩效情况",
    "七、综合评价情况及评价结论",
    "八、主要经验做法、存在的问题及原因分析",
    "九、有关建议",
    "十、绩效自评结果拟应用和公开情况",
]


@pytest.fixture(scope="module")
def tpl():
    return templates.load_template(PATH)


def _nodes(tpl):
    """(path, node) for every 一级, 二级 and 三级 node."""
    for l1 in tpl.tree:
        yield l1.name, l1
        for l2 in l1.children:
            yield f"{l1.name}/{l2.name}", l2
            for ind in l2.indicators:
                yield f"{l1.name}/{l2.name}/{ind.name}", ind


def _header() -> str:
    lines = []
    for line in PATH.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


def _bare(text: str) -> str:
    return text.replace("“", "").replace("”", "")


def _block(header: str, start: str, end: str) -> str:
    return _bare(header[header.index(start):header.index(end)])


def _score(ind, value) -> Decimal:
    facts = rules.Facts(name=ind.name, value=Decimal(str(value)))
    return ind.rule.score(ind.params, ind.weight, facts).score


def test_loads_with_all_templates():
    all_ = templates.load_all()
    t = all_["hunan-dept"]
    assert len(t.indicators()) >= len(REQUIRED)
    assert all_[t.project_template].kind == "project"


def test_header_fields(tpl):
    assert tpl.id == "hunan-dept"
    assert tpl.kind == "dept"
    assert tpl.title == "部门整体支出绩效自评（湖南）"
    assert tpl.form_title == "部门整体支出绩效自评表"
    assert tpl.province == "湖南省"
    assert tpl.year is None
    assert tpl.notice == "《湖南省预算支出绩效评价管理办法》（湘财绩〔2020〕7号）"
    assert tpl.sections == ("basic_info", "finance", "projects", "dept_indicators",
                            "narrative", "team_opinion", "review")
    assert tpl.project_template == "mof-project-2020"
    assert [(b.grade, b.min) for b in tpl.grade_bands] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert tpl.grade(Decimal("89.99")) == "良"


def test_narrative_sections_follow_seed_001(tpl):
    assert [s.title for s in tpl.narrative_sections] == NARRATIVE
    ids = [s.id for s in tpl.narrative_sections]
    assert len(set(ids)) == len(ids)
    for s in tpl.narrative_sections:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", s.id), s.id
        assert s.hint and s.hint.endswith("。"), s.id


def test_level1_names(tpl):
    assert [l1.name for l1 in tpl.tree] == ["投入", "过程", "产出", "效益"]


def test_weights_sum_at_every_level(tpl):
    assert sum(l1.weight for l1 in tpl.tree) == 100
    for l1 in tpl.tree:
        assert sum(l2.weight for l2 in l1.children) == l1.weight, l1.name
        for l2 in l1.children:
            assert sum(i.weight for i in l2.indicators) == l2.weight, l2.name
    assert sum(i.weight for i in tpl.indicators()) == 100
    assert all(i.weight > 0 for i in tpl.indicators())


def test_seen_weights(tpl):
    """The locally seen figures of REFERENCE.md are kept and not marked proposed."""
    nodes = dict(_nodes(tpl))
    seen = {"投入": 15, "投入/预算配置": 15, "投入/预算配置/在职人员控制率": 5,
            "投入/预算配置/“三公经费”变动率": 5, "投入/预算配置/重点支出安排率": 5,
            "过程": 40, "过程/预算执行": 15, "过程/预算管理": 15, "过程/资产管理": 10,
            "过程/预算执行/预算调整率": 3, "过程/预算执行/结转结余率": 3}
    for path, weight in seen.items():
        assert nodes[path].weight == weight, path
        assert not nodes[path].proposed, path


def test_proposed_weights_are_exactly_the_expected_ones(tpl):
    marked = {path for path, node in _nodes(tpl) if node.proposed}
    assert marked == EXPECTED_PROPOSED


def test_header_comment_lists_every_weight(tpl):
    header = _header()
    proposed = _block(header, "建议分值", "评分规则来源")
    seen = _block(header, "地方评分表所见", "建议分值")
    for path, node in _nodes(tpl):
        block = proposed if node.proposed else seen
        entry = f"{_bare(node.name)} {pts(node.weight)}"
        assert entry in block, f"{path}: “{entry}” not in the header's {'建议' if node.proposed else '所见'} list"


def test_required_indicators_and_metrics(tpl):
    found = {(i.level1, i.level2, i.name): i for i in tpl.indicators()}
    for key, (kind, metric) in REQUIRED.items():
        assert key in found, key
        ind = found[key]
        assert ind.kind == kind, key
        assert ind.metric == metric, key
    assert {i.metric for i in tpl.indicators() if i.metric} <= set(metrics.METRICS)


def test_every_indicator_is_documented(tpl):
    for ind in tpl.indicators():
        assert ind.explanation, ind.name
        assert ind.rule_text, ind.name
        assert ind.data_source, ind.name
        if ind.kind in ("rate", "threshold", "bands"):
            assert ind.unit == "%", ind.name
        if ind.kind != "qualitative":  # rule text states the weight it scores
            assert f"{pts(ind.weight)}分" in ind.rule_text, ind.name
    ids = [i.id for i in tpl.indicators()]
    assert len(set(ids)) == len(ids)


def test_metric_indicators_explain_their_formula(tpl):
    for ind in tpl.indicators():
        if ind.metric or ind.kind == "rate":
            assert f"{_bare(ind.name)} = " in _bare(ind.explanation), ind.name
            assert "× 100%" in ind.explanation, ind.name


def test_staff_control_rule(tpl):
    ind = next(i for i in tpl.indicators() if i.name == "在职人员控制率")
    assert _score(ind, 98) == 5
    assert _score(ind, 100) == 5
    assert _score(ind, "100.5") == Decimal("4.5")
    assert _score(ind, 104) == 3
    assert _score(ind, 109) == Decimal("0.5")
    assert _score(ind, 110) == 0
    assert _score(ind, 260) == 0  # seed 003: 13 人 / 编制 5 人


def test_banded_rules_from_reference(tpl):
    key = next(i for i in tpl.indicators() if i.name == "重点支出安排率")
    assert [_score(key, v) for v in (95, 90, 85, 75, 65, 59)] == [5, 5, 4, 3, 2, 0]
    adj = next(i for i in tpl.indicators() if i.name == "预算调整率")
    assert [_score(adj, v) for v in (0, 10, 15, 30, 45)] == [3, 2, 1, Decimal("0.5"), 0]
    three = next(i for i in tpl.indicators() if i.name == "“三公经费”控制率")
    assert [_score(three, v) for v in (98, 100, "100.4", 102)] == [2, 2, 1, 0]


def test_rate_rules(tpl):
    ind = next(i for i in tpl.indicators() if i.name == "预算执行率")
    assert _score(ind, "61.92") == Decimal("1.86")  # seed 003
    assert _score(ind, 120) == ind.weight


def test_qualitative_bands_match_project_template(tpl):
    project = templates.load_template(templates_dir() / "mof-project-2020.yaml")
    for ind in tpl.indicators():
        if ind.kind == "qualitative":
            assert ind.params == project.project.qualitative, ind.name
