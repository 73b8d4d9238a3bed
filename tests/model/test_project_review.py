"""复核 of project forms (issue 15): each check fails on a fault and passes on the fixed form; settings are template data."""
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from model import checks, templates
from model.paths import templates_dir
from model.report import FundsRow, Override, Project, ProjectIndicator, Report

D = Decimal
NATIONAL = templates.get("mof-project-2020")


def row(level1="output", level2="数量指标", name="培训人数", target="≥2000人", actual="2000人", weight="50", **kw):
    return ProjectIndicator(level1=level1, level2=level2, name=name, target=target, actual=actual, weight=D(weight), **kw)


def good_project(**kw) -> Project:
    fields = dict(
        name="雨露计划", authority="县乡村振兴局", implementer="县乡村振兴局",
        funds_current=FundsRow(D("1000000"), D("1000000"), D("1000000")),
        goal_expected="资助脱贫家庭学生 2000 人完成职业教育。", goal_actual="资助 2000 人，全部按时发放。",
        authority_review="优",
        indicators=[row(),
                    row("outcome", "社会效益指标", "就业帮扶效果", "明显", "明显", "30"),
                    row("satisfaction", "服务对象满意度指标", "受助学生满意度", "≥90%", "95%", "10")])
    fields.update(kw)
    return Project(**fields)


def report(*projects, tpl=NATIONAL) -> Report:
    return Report(template_id=tpl.id, fiscal_year=2023, display_unit="yuan", projects=list(projects))


def found(r: Report, tpl=NATIONAL) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in checks.check(r, tpl):
        out.setdefault(p.code, []).append(p)
    return out


def one(r: Report, code: str, tpl=NATIONAL):
    problems = found(r, tpl).get(code, [])
    assert len(problems) == 1, (code, [p.message for p in problems])
    p = problems[0]
    assert p.message and p.action, p  # says what is wrong and what to do
    return p


NEW_CODES = {"unit_mismatch", "unit_kind", "deviation_reason_missing", "rate_out_of_range", "target_not_numeric",
             "text_too_long", "missing_goal", "authority_review_missing", "score_ahead_of_spending", "execution_cap",
             "funds_unspent", "no_projects"}


def test_the_good_form_passes_every_new_check():
    assert set(found(report(good_project()))) & NEW_CODES == set()


@pytest.mark.parametrize("target, actual, unit, flagged", [
    ("≥2000人", "2655户", "", True),        # people vs households
    ("≥2000人", "2655人", "", False),
    ("28.8万元", "28.8万元", "%", True),     # the unit column says % for an amount
    ("≥100百分比", "100%", "", False),       # 百分比 and % are one unit
    ("≥1亿元", "12000万元", "", False),      # convertible amounts
    ("≥20个", "20项", "", True),             # 个/项 only where the template allows
])
def test_units_of_target_and_actual(target, actual, unit, flagged):
    p = good_project(indicators=[row(name="培训规模", target=target, actual=actual, unit=unit)] + good_project().indicators[1:])
    got = found(report(p)).get("unit_mismatch", [])
    assert bool(got) == flagged, [x.message for x in got]
    if flagged:
        assert got[0].location == "projects[0].indicators[0]" and "不同" in got[0].message


@pytest.mark.parametrize("name, target, actual, flagged", [
    ("培训人数", "≥2000万元", "2000万元", True),    # a head count in 万元
    ("培训人数", "≥2000人", "2000人", False),
    ("项目成本", "≤100%", "95%", True),              # an amount in %
    ("受益群众满意度", "≥90人", "95人", True),       # a rate in 人
    ("受益群众满意度", "≥90%", "95%", False),
])
def test_a_unit_the_indicator_cannot_have(name, target, actual, flagged):
    p = good_project(indicators=[row(name=name, target=target, actual=actual)] + good_project().indicators[1:])
    assert bool(found(report(p)).get("unit_kind")) == flagged


@pytest.mark.parametrize("actual, reason, flagged", [
    ("1500人", "", True),                      # missed
    ("1500人", "暂无", True),                  # a placeholder is not a reason
    ("1500人", "/", True),
    ("1500人", "疫情", True),                  # fewer than 5 characters
    ("1500人", "受疫情影响，下半年培训推迟到次年。", False),
    ("2600人", "", True),                      # 130 % of the target: was it set too low?
    ("2500人", "", False),                     # 125 %
    ("2000人", "", False),
])
def test_deviation_needs_a_reason(actual, reason, flagged):
    p = good_project(indicators=[row(actual=actual, deviation_reason=reason)] + good_project().indicators[1:])
    got = found(report(p)).get("deviation_reason_missing", [])
    assert bool(got) == flagged
    if flagged:
        assert got[0].location == "projects[0].indicators[0].deviation_reason"


def test_a_reverse_target_missed_and_a_qualitative_row_short_of_its_band():
    rows = [row("output", "成本指标", "人均成本", "≤500元", "650元"),
            row("outcome", "社会效益指标", "就业帮扶效果", "明显", "一般", "30", band=1),
            good_project().indicators[2]]
    got = found(report(good_project(indicators=rows)))["deviation_reason_missing"]
    assert [p.location for p in got] == ["projects[0].indicators[0].deviation_reason",
                                         "projects[0].indicators[1].deviation_reason"]


def test_scores_ahead_of_spending_and_unspent_funds():
    spent_little = good_project(funds_current=FundsRow(D("1000000"), D("1000000"), D("600000")))
    p = one(report(spent_little), "score_ahead_of_spending")
    assert "60.00%" in p.message and "100.00%" in p.message
    assert "40.00%" in one(report(spent_little), "funds_unspent").message
    fine = good_project(funds_current=FundsRow(D("1000000"), D("1000000"), D("980000")))
    assert {"score_ahead_of_spending", "funds_unspent"} & set(found(report(fine))) == set()


def template_with(tmp_path: Path, review: dict) -> templates.Template:
    doc = yaml.safe_load((templates_dir() / "mof-project-2020.yaml").read_text(encoding="utf-8"))
    doc.update(id="test-project", review=review)
    path = tmp_path / "test-project.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return templates.load_template(path)


def test_execution_caps_are_template_data(tmp_path):
    tpl = template_with(tmp_path, {"execution": {"caps": [{"below": 80, "max_total": 89}, {"below": 70, "max_total": 79},
                                                          {"below": 60, "max_total": 69}]}})
    assert tpl.review.score_ahead_percent == 5  # the other execution settings stay national
    p75 = good_project(funds_current=FundsRow(D("1000000"), D("1000000"), D("750000")))
    assert "89" in one(report(p75, tpl=tpl), "execution_cap", tpl).message  # 7.5 + 90 = 97.5 > 89
    p65 = good_project(funds_current=FundsRow(D("1000000"), D("1000000"), D("650000")))
    assert "79" in one(report(p65, tpl=tpl), "execution_cap", tpl).message
    assert "execution_cap" not in found(report(p75))  # national: no caps


def test_form_completeness():
    assert one(report(), "no_projects").severity == checks.ERROR
    bare = good_project(goal_expected="", goal_actual=" ", authority_review="")
    got = found(report(bare))
    assert [p.location for p in got["missing_goal"]] == ["projects[0].goal_expected", "projects[0].goal_actual"]
    assert got["authority_review_missing"][0].location == "projects[0].authority_review"


def test_quantitative_targets_must_be_numbers():
    p = good_project(indicators=[row(target="≥较上年提高", actual="提高")] + good_project().indicators[1:])
    assert one(report(p), "target_not_numeric").location == "projects[0].indicators[0]"
    typed = good_project(indicators=[row(target="大幅提高", actual="提高", nature="quantitative")]
                         + good_project().indicators[1:])
    assert one(report(typed), "target_not_numeric")


@pytest.mark.parametrize("actual, flagged", [("-20%", True), ("−20%", True), ("120%", True), ("100%", False)])
def test_satisfaction_outside_0_to_100_is_an_error(actual, flagged):
    rows = good_project().indicators[:2] + [row("satisfaction", "服务对象满意度指标", "受助学生满意度", "≥90%", actual, "10",
                                                deviation_reason="个别学生反映发放时间偏晚。")]
    got = found(report(good_project(indicators=rows))).get("rate_out_of_range", [])
    assert bool(got) == flagged
    if flagged:
        assert got[0].severity == checks.ERROR


def test_text_limits_are_template_data(tmp_path):
    tpl = template_with(tmp_path, {"completeness": {"text_limits": {"deviation_reason": 10, "goal_actual": 12}}})
    long_reason = "受疫情影响，下半年培训推迟到次年，已调整计划。"
    p = good_project(indicators=[row(actual="1500人", deviation_reason=long_reason)] + good_project().indicators[1:])
    got = found(report(p, tpl=tpl), tpl)["text_too_long"]
    assert {x.location for x in got} == {"projects[0].indicators[0].deviation_reason", "projects[0].goal_actual"}
    assert "text_too_long" not in found(report(p))


@pytest.mark.parametrize("review, message", [
    ({"units": {"colour": True}}, "未知的设置“colour”"),
    ({"speed": {}}, "未知的复核设置“speed”"),
    ({"execution": {"caps": [{"below": 80}]}}, "below: 执行率"),
    ({"completeness": {"text_limits": {"nickname": 10}}}, "text_limits"),
    ({"deviation": {"min_chars": "五"}}, "min_chars"),
])
def test_bad_review_settings_name_the_file_and_the_setting(tmp_path, review, message):
    with pytest.raises(templates.TemplateError) as e:
        template_with(tmp_path, review)
    assert message in str(e.value) and "test-project.yaml" in str(e.value)


def test_switched_off_checks_stay_silent(tmp_path):
    tpl = template_with(tmp_path, {"units": {"enabled": False}, "deviation": {"enabled": False},
                                   "completeness": {"require_goal": False, "require_authority_review": False}})
    p = good_project(goal_expected="", authority_review="",
                     indicators=[row(actual="1500户")] + good_project().indicators[1:])
    assert set(found(report(p, tpl=tpl), tpl)) & {"unit_mismatch", "deviation_reason_missing", "missing_goal",
                                                  "authority_review_missing"} == set()


def test_the_xingxian_sample_shows_what_truly_applies():
    from model import storage

    sample = storage.load("resources/samples/xingxian_2022.jxzp.json")
    got = sorted((p.code, p.location) for p in checks.check(sample) if p.code in NEW_CODES)
    assert got == [
        ("deviation_reason_missing", "projects[0].indicators[0].deviation_reason"),  # 1.47万人 planned, 1271人
        ("deviation_reason_missing", "projects[1].indicators[8].deviation_reason"),  # 满意度 90% of ≥95%
        ("deviation_reason_missing", "projects[3].indicators[1].deviation_reason"),  # 质量 部分达成
        ("funds_unspent", "projects[0].funds"),                                      # 82.74% unspent
        ("missing_goal", "projects[3].goal_actual"),                                 # the seed left it blank
        ("score_ahead_of_spending", "projects[0].funds"),                            # 91% of points, 17% spent
    ]


def test_printed_project_subtotals_total_and_execution_rate_are_compared():
    r = report(good_project(indicators=[row(actual="1900人", deviation_reason="部分学生中途转学，未能完成培训。")]
                            + good_project().indicators[1:]))
    # printed: 产出 50 (its rows give 1900/2000 × 50 = 47.50), 总分 97.50 and 执行率 100% (both right)
    r.published = {"project.0.group.产出指标": D("50"), "project.0.total": D("97.50"),
                   "project.0.execution_rate": D("100")}
    [p] = found(r)["published_mismatch"]
    assert p.location == "project.0.group.产出指标" and "计算为 47.5 分" in p.message


def test_readiness_for_signature_in_one_line():
    from model import scoring

    r = report(good_project())
    r.basic.department = "某县乡村振兴局"
    result = scoring.score(r, NATIONAL)
    ready, line = checks.readiness(checks.check(r, NATIONAL, result), result)
    assert ready and line.startswith("可以打印签章")
    r.projects[0].indicators[0].actual = ""  # unanswered
    result = scoring.score(r, NATIONAL)
    ready, line = checks.readiness(checks.check(r, NATIONAL, result), result)
    assert not ready and "1 项指标未评分" in line
    r.basic.department = ""  # and an 错误
    ready, line = checks.readiness(checks.check(r, NATIONAL, result), result)
    assert not ready and "1 个错误、1 项指标未评分" in line


def test_a_new_form_with_every_fault_gets_each_flagged_once(tmp_path):
    """The faults of issue 15 in one project, under a template that caps totals and limits texts."""
    tpl = template_with(tmp_path, {"execution": {"caps": [{"below": 80, "max_total": 89}]},
                                   "completeness": {"text_limits": {"goal_expected": 20}}})
    faulty = good_project(
        funds_current=FundsRow(D("1000000"), D("1000000"), D("700000")),       # 70 %: 结余 30 %, cap 89
        goal_expected="资助脱贫家庭学生完成职业教育并实现稳定就业，带动家庭增收。",  # over 20 characters
        goal_actual="", authority_review="",
        indicators=[
            row(target="≥2000人", actual="2100户"),                              # 人 vs 户
            row("output", "成本指标", "项目成本", "≤100%", "95%", "0"),            # an amount in %
            row("output", "数量指标", "培训班期数", "≥较上年增加", "增加", "0", band=0),  # not a number
            row("outcome", "社会效益指标", "就业帮扶效果", "明显", "明显", "30"),
            row("satisfaction", "服务对象满意度指标", "受助学生满意度", "≥90%", "80%", "10",
                deviation_reason="暂无"),                                          # missed, "暂无"
            row("satisfaction", "服务对象满意度指标", "家长满意度", "≥90%", "120%", "0",
                deviation_reason="调查问卷统计口径有误，待核实。"),                      # over 100 %
        ])
    got = found(report(faulty, tpl=tpl), tpl)
    expected = {"unit_mismatch", "unit_kind", "target_not_numeric", "deviation_reason_missing", "rate_out_of_range",
                "missing_goal", "authority_review_missing", "score_ahead_of_spending", "execution_cap",
                "funds_unspent", "text_too_long"}
    assert expected <= set(got)
    for code in expected:
        assert len(got[code]) == 1, (code, [p.message for p in got[code]])
        assert got[code][0].action and any("\u4e00" <= ch <= "\u9fff" for ch in got[code][0].action)
