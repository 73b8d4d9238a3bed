"""评分标准 wordings from the seeds and REFERENCE.md are read into the right rule kind and parameters,
and every rule described in words reads back to itself."""
from decimal import Decimal as D

import pytest

from model import templates
from model.paths import templates_dir
from model.template_io.criteria import describe, recognise
from model.template_io.excel import same_params

PCT = {"unit": "%"}

WORDINGS = [
    # seed 004 (石龙区, 河南)
    ("总体工作完成率≥95%，得满分；否则不得分。", 3, "总体工作完成率",
     "threshold", {"op": ">=", "target": 95, **PCT}),
    ("预算调整率≤20%，得满分；否则不得分。", 2, "预算调整率", "threshold", {"op": "<=", "target": 20, **PCT}),
    ("“三公经费”经费变动率≤0，得满分；否则不得分。", 2, "“三公经费”变动率",
     "threshold", {"op": "<=", "target": 0, **PCT}),
    ("新建改建公路或硬化路里程≥21.754公里，得满分；否则该指标得分=新建改建公路或硬化路里程/21.754×指标分值", 3,
     "基础设施建设完成情况", "proportional", {"target": 21.754, "unit": "公里", "direction": "positive"}),
    ("该指标得分=扶贫项目竣工率×指标分值", 3, "扶贫项目竣工率", "rate", PCT),
    ("每制定一项巩固脱贫成果事项，得1分，最高得3分。", 3, "巩固脱贫成果事项", "per_item", {"points": 1, "cap": 3}),
    ("每提供一个本部门体制机制改革事项，得1.5分，最高得3分。", 3, "重要改革事项", "per_item", {"points": 1.5, "cap": 3}),
    ("①②③各占1/3权重分，能满足相关要求得该项权重分，否则不得分。", 3, "财务管理制度的完备性",
     "checklist", {"items": ["第①项要求", "第②项要求", "第③项要求"]}),
    ("完成本年度扶贫项目的审核，得1.5分；对扶贫项目实施情况进行监督、检查，得1.5分。", 3, "审核监督扶贫项目",
     "checklist", {"items": ["完成本年度扶贫项目的审核", "对扶贫项目实施情况进行监督、检查"], "points": [1.5, 1.5]}),
    ("开展信息化建设工作，且有成效，得满分；否则不得分。", 1, "信息化建设成效",
     "checklist", {"items": ["开展信息化建设工作，且有成效"]}),
    ("部门制定有完整的目标管理机制和有效措施以保障工作目标有效落地，得2分；部门制定有目标管理机制或制定有效措施，得1分；"
     "部门未制定目标管理机制和有效措施，不得分。", 2, "目标管理有效性",
     "levels", {"levels": [{"label": "部门制定有完整的目标管理机制和有效措施以保障工作目标有效落地", "score": 2},
                           {"label": "部门制定有目标管理机制或制定有效措施", "score": 1},
                           {"label": "部门未制定目标管理机制和有效措施", "score": 0}]}),
    ("满意度调查问卷结果≥90%，得满分；75%≤满意度调查问卷结果＜90%，得3分；60%≤满意度调查问卷结果＜75%，得1分；"
     "满意度调查问卷结果＜60%，不得分。", 5, "群众满意度",
     "bands", {**PCT, "bands": [{"min": 90, "score": "full"}, {"min": 75, "score": 3}, {"min": 60, "score": 1},
                                {"score": 0}]}),
    ("建档贫困人口脱贫率=100%，得1.5分；建档贫困村脱贫率=100%，得1.5分；", 3, "建档贫困人口（村）脱贫率",
     "checklist", {"items": ["建档贫困人口脱贫率=100%", "建档贫困村脱贫率=100%"], "points": [1.5, 1.5]}),
    # REFERENCE.md: 湖南 county tables, 岳阳
    ("在职人员控制率≤100%的，得满分5分；每超过1个百分点扣0.5分（不足1个百分点的按1个百分点计），扣完为止。", 5,
     "在职人员控制率", "deduction", {"op": "<=", "threshold": 100, "points": 0.5, "partial": "up", **PCT}),
    ("“三公经费”变动率≤0的，得满分；每超过1个百分点扣该指标分值的10%，扣完为止。", 5, "“三公经费”变动率",
     "deduction", {"op": "<=", "threshold": 0, "share": 10, **PCT}),
    ("预算完成率达到100%的得满分，每低5个百分点扣2分，扣完为止。", 5, "预算完成率",
     "deduction", {"op": ">=", "threshold": 100, "step": 5, "points": 2, **PCT}),
    ("楼堂馆所面积控制率≤100%的得满分，每超过5%扣2分，扣完为止；未涉及楼堂馆所的得满分。", 5, "楼堂馆所面积控制率",
     "deduction", {"op": "<=", "threshold": 100, "step": 5, "points": 2, **PCT}),
    ("预算控制率为0的得满分；≤10%的得4分；≤20%的得3分；≤30%的得2分；>30%的不得分。", 5, "预算控制率",
     "bands", {**PCT, "bands": [{"max": 0, "score": "full"}, {"max": 10, "score": 4}, {"max": 20, "score": 3},
                                {"max": 30, "score": 2}, {"score": 0}]}),
    ("重点支出安排率≥90%的，得5分；80%（含）至90%的，得4分；70%（含）至80%的，得3分；60%（含）至70%的，得2分；"
     "低于60%的，不得分。", 5, "重点支出安排率",
     "bands", {**PCT, "bands": [{"min": 90, "score": 5}, {"min": 80, "score": 4}, {"min": 70, "score": 3},
                                {"min": 60, "score": 2}, {"score": 0}]}),
    ("结转结余率≤10%的，得3分；10%至20%（含）的，得2分；20%至30%（含）的，得1分；超过30%的，不得分。", 3, "结转结余率",
     "bands", {**PCT, "bands": [{"max": 10, "score": 3}, {"max": 20, "score": 2}, {"max": 30, "score": 1},
                                {"score": 0}]}),
    ("以下3项要求每满足1项得1分，共3分。", 3, "管理制度健全性",
     "checklist", {"items": ["第①项要求", "第②项要求", "第③项要求"]}),
    ("逐项核查，每发现一起违规扣1分，扣完为止。", 3, "资金使用合规性",
     "deduction", {"op": "<=", "threshold": 0, "points": 1, "unit": "起"}),
    ("对照年度效益目标按三档评分：达成预期指标的，得该指标分值的100%–80%（含80%）；部分达成预期指标并具有一定效果的，"
     "得80%–50%（含50%）；未达成预期指标且效果较差的，得50%–0。", 5, "社会效益",
     "qualitative", {"bands": [{"label": "达成预期指标", "low": 80, "high": 100},
                               {"label": "部分达成预期指标并具有一定效果", "low": 50, "high": 80},
                               {"label": "未达成预期指标且效果较差", "low": 0, "high": 50}]}),
    ("得分 = 预算执行率 × 3分，最高3分（执行率超过100%的按100%计）。", 3, "预算执行率", "rate", PCT),
    # issue 17's list: 按比例得分, 有/无, 完成得满分否则不得分
    ("完成率≥95%的得满分，未达到的按比例得分。", 4, "工作完成率",
     "proportional", {"target": 95, "direction": "positive", **PCT}),
    ("有健全的财务管理制度的，得满分；无的，不得分。", 2, "财务制度", "checklist", {"items": ["有健全的财务管理制度"]}),
    ("按时完成得满分，否则不得分。", 2, "报送及时性", "checklist", {"items": ["按时完成"]}),
]


@pytest.mark.parametrize("text, weight, name, kind, params", WORDINGS, ids=[w[2] for w in WORDINGS])
def test_wording_recognised(text, weight, name, kind, params):
    found = recognise(text, D(weight), name)
    assert found.recognised
    assert (found.kind, found.params) == (kind, params) or (found.kind == kind and same_params(found.params, params))


def test_placeholder_items_come_from_the_explanation_or_are_noted():
    text = "①②各占1/2权重分，能满足相关要求得该项权重分，否则不得分。"
    found = recognise(text, D(2), "预算编制完整性", "①收入预算编制足额；\n②支出预算编制科学。")
    assert found.params["items"] == ["收入预算编制足额", "支出预算编制科学"] and not found.note
    assert "请补写每项要求" in recognise(text, D(2), "预算编制完整性").note


def test_not_applicable_full_is_read():
    found = recognise("楼堂馆所面积控制率≤100%的得满分，每超过5%扣2分，扣完为止；未涉及楼堂馆所的得满分。", D(5), "x")
    assert found.not_applicable == "full"


def test_unrecognised_becomes_qualitative_with_a_note():
    found = recognise("由评价组根据现场核查情况综合评定。", D(4), "工作质量")
    assert not found.recognised and found.kind == "qualitative"
    assert "未能识别评分标准“由评价组根据现场核查情况综合评定。”" in found.note and "请核对" in found.note


@pytest.mark.parametrize("tid", ["henan-dept-2020", "hunan-dept", "national-dept-2013", "sichuan-dept"])
def test_every_bundled_rule_described_reads_back_to_itself(tid):
    tpl = templates.load_template(templates_dir() / f"{tid}.yaml")
    for ind in tpl.indicators():
        back = recognise(describe(ind.kind, ind.params, ind.name), ind.weight, ind.name)
        assert back.kind == ind.kind and same_params(back.params, ind.params), ind.name


@pytest.mark.parametrize("kind, params", [
    ("deduction", {"op": ">=", "threshold": 90, "step": 5, "share": 20, "partial": "exact", "unit": "%"}),
    ("deduction", {"op": "<=", "threshold": 100, "points": 1, "partial": "down", "unit": "%"}),
    ("proportional", {"direction": "reverse", "target": 12, "unit": "天"}),
    ("proportional", {"direction": "positive"}),
    ("per_item", {"points": 0.5}),
    ("threshold", {"op": "=", "target": 100, "unit": "%"}),
    ("levels", {"levels": [{"label": "有机制且有措施", "score": "full"}, {"label": "有其一", "score": 1}]}),
])
def test_other_rules_read_back(kind, params):
    back = recognise(describe(kind, params, "某指标"), D(2), "某指标")
    assert back.kind == kind and same_params(back.params, params)
