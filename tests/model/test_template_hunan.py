"""The 湖南 部门整体支出绩效自评 template (resources/templates/hunan-dept.yaml)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from model import metrics, rules, templates
from model.paths import templates_dir
from model.rules import pts

PATH = templates_dir() / "hunan-dept.yaml"

# Every node whose weight is our proposal (not in the 参事室 table), by path.
EXPECTED_PROPOSED = {
    "过程/预算管理",
    "过程/预算管理/公用经费控制率",
    "过程/预算管理/“三公经费”控制率",
    "过程/预算管理/政府采购执行率",
    "过程/预算管理/管理制度健全性",
    "过程/预算管理/资金使用合规性",
    "过程/预算管理/预决算信息公开性",
    "过程/预算管理/基础信息完善性",
    "过程/资产管理",
    "过程/资产管理/资产管理制度健全性",
    "过程/资产管理/资产管理安全性",
    "过程/资产管理/固定资产利用率",
    "产出",
    "产出/职责履行",
    "产出/职责履行/实际完成率",
    "产出/职责履行/完成及时率",
    "产出/职责履行/质量达标率",
    "产出/职责履行/重点工作办结率",
    "效果",
    "效果/履职效益",
    "效果/履职效益/经济效益",
    "效果/履职效益/社会效益",
    "效果/履职效益/生态效益",
    "效果/满意度",
    "效果/满意度/社会公众或服务对象满意度",
}

# The 参事室 table's published weights (REFERENCE.md: 投入 10, 过程 60 with 预算执行 20 = 5/5/5/5).
PUBLISHED = {
    "投入": 10, "投入/预算配置": 10, "投入/预算配置/在职人员控制率": 5, "投入/预算配置/“三公经费”变动率": 5,
    "过程": 60, "过程/预算执行": 20, "过程/预算执行/预算完成率": 5, "过程/预算执行/预算控制率": 5,
    "过程/预算执行/楼堂馆所面积控制率": 5, "过程/预算执行/投资概算控制率": 5,
}

# Indicators: 一级, 二级, 三级 name → (rule kind, metric).
REQUIRED = {
    ("投入", "预算配置", "在职人员控制率"): ("deduction", "staff_control_rate"),
    ("投入", "预算配置", "“三公经费”变动率"): ("deduction", "three_public_budget_change_rate"),
    ("过程", "预算执行", "预算完成率"): ("deduction", "budget_completion_rate"),
    ("过程", "预算执行", "预算控制率"): ("bands", "budget_control_rate"),
    ("过程", "预算执行", "楼堂馆所面积控制率"): ("deduction", None),
    ("过程", "预算执行", "投资概算控制率"): ("deduction", None),
    ("过程", "预算管理", "公用经费控制率"): ("threshold", "operating_control_rate"),
    ("过程", "预算管理", "“三公经费”控制率"): ("deduction", "three_public_control_rate"),
    ("过程", "预算管理", "政府采购执行率"): ("rate", "procurement_execution_rate"),
    ("过程", "预算管理", "管理制度健全性"): ("checklist", None),
    ("过程", "资产管理", "资产管理制度健全性"): ("checklist", None),
    ("过程", "资产管理", "资产管理安全性"): ("checklist", None),
    ("过程", "资产管理", "固定资产利用率"): ("rate", "fixed_asset_utilization_rate"),
    ("产出", "职责履行", "实际完成率"): ("rate", None),
    ("产出", "职责履行", "完成及时率"): ("rate", None),
    ("产出", "职责履行", "质量达标率"): ("rate", None),
    ("产出", "职责履行", "重点工作办结率"): ("rate", None),
    ("效果", "履职效益", "经济效益"): ("qualitative", None),
    ("效果", "履职效益", "社会效益"): ("qualitative", None),
    ("效果", "履职效益", "生态效益"): ("qualitative", None),
    ("效果", "满意度", "社会公众或服务对象满意度"): ("bands", None),
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
    assert [l1.name for l1 in tpl.tree] == ["投入", "过程", "产出", "效果"]


def test_weights_sum_at_every_level(tpl):
    assert sum(l1.weight for l1 in tpl.tree) == 100
    for l1 in tpl.tree:
        assert sum(l2.weight for l2 in l1.children) == l1.weight, l1.name
        for l2 in l1.children:
            assert sum(i.weight for i in l2.indicators) == l2.weight, l2.name
    assert sum(i.weight for i in tpl.indicators()) == 100
    assert all(i.weight > 0 for i in tpl.indicators())


def test_published_weights(tpl):
    """The 参事室 table's figures are kept and not marked proposed."""
    nodes = dict(_nodes(tpl))
    for path, weight in PUBLISHED.items():
        assert nodes[path].weight == weight, path
        assert not nodes[path].proposed, path


def test_header_names_the_variant_and_its_source(tpl):
    header = _header()
    assert "湖南省人民政府参事室" in header and "p-10887079" in header and "p-50355167" in header
    assert "参事室" in tpl.notes and "建议" in tpl.notes


def test_proposed_weights_are_exactly_the_expected_ones(tpl):
    marked = {path for path, node in _nodes(tpl) if node.proposed}
    assert marked == EXPECTED_PROPOSED


def test_header_comment_lists_every_weight(tpl):
    header = _header()
    proposed = _block(header, "建议分值", "评分规则来源")
    seen = _block(header, "已公布", "建议分值")
    for path, node in _nodes(tpl):
        block = proposed if node.proposed else seen
        entry = f"{_bare(node.name)} {pts(node.weight)}"
        assert entry in block, f"{path}: “{entry}” not in the header's {'建议' if node.proposed else '已公布'} list"


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


def _named(tpl, name):
    return next(i for i in tpl.indicators() if i.name == name)


def test_shared_hunan_rules(tpl):
    three = _named(tpl, "“三公经费”变动率")  # −10 % of the weight per point over 0
    assert [_score(three, v) for v in ("-40.93", 0, "0.5", 3, 10)] == [5, 5, Decimal("4.5"), Decimal("3.5"), 0]
    done = _named(tpl, "预算完成率")  # −2 per whole 5 % short
    assert [_score(done, v) for v in (100, "99.77", "97.96", "95.01", 95, 90, 85)] == [5, 5, 5, 5, 3, 1, 0]
    control = _named(tpl, "预算控制率")  # 追加 / 年初: 0 full, ≤10/20/30 % → 4/3/2, more → 0
    assert [_score(control, v) for v in (0, 5, 10, 15, 20, 25, 30, "45.06")] == [5, 4, 4, 3, 3, 2, 2, 0]
    for name in ("楼堂馆所面积控制率", "投资概算控制率"):  # −2 per whole 5 % over
        ind = _named(tpl, name)
        assert [_score(ind, v) for v in (90, 100, "104.9", 105, 110, 115)] == [5, 5, 5, 3, 1, 0], name
    public = _named(tpl, "“三公经费”控制率")  # 岳阳: −1 per point over
    assert [_score(public, v) for v in (98, 100, "100.4", 102, 106)] == [5, 5, 4, 3, 0]


def test_no_building_scores_full(tpl):
    """A department without 楼堂馆所 marks the two rates 不适用 and gets them full (seed 003)."""
    from model.report import IndicatorAnswer
    from model.scoring import score_dept_indicator

    for name in ("楼堂馆所面积控制率", "投资概算控制率"):
        ind = _named(tpl, name)
        assert ind.not_applicable == "full", name
        s = score_dept_indicator(ind, IndicatorAnswer(not_applicable=True), {})
        assert s.rule_score == ind.weight, name


def test_rate_rules(tpl):
    ind = _named(tpl, "政府采购执行率")
    assert _score(ind, "61.92") == Decimal("3.10")
    assert _score(ind, 120) == ind.weight


def test_qualitative_bands_match_project_template(tpl):
    project = templates.load_template(templates_dir() / "mof-project-2020.yaml")
    for ind in tpl.indicators():
        if ind.kind == "qualitative":
            assert ind.params == project.project.qualitative, ind.name
