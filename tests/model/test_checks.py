"""Checks on small synthetic reports: each problem says where and what to do."""
from decimal import Decimal as D

from model import checks, templates
from model.report import (FundsRow, IndicatorAnswer, Override, Project, ProjectIndicator, Report,
                          UnitFinance)

W = D(10000)


def _dept(**finance):
    r = Report(template_id="henan-dept-2020", fiscal_year=2020)
    r.basic.department = "测试局"
    r.finance.units.append(UnitFinance(name="局机关", **finance))
    return r


def _codes(report):
    return {(p.code, p.location): p for p in checks.check(report)}


def test_every_problem_has_chinese_message_and_action():
    r = Report(template_id="henan-dept-2020", fiscal_year=1)
    problems = checks.check(r)
    assert problems and all(p.message and p.action and p.severity in ("错误", "警告", "提示") for p in problems)
    assert problems[0].severity == "错误"  # sorted: errors first
    assert ("missing_department", "basic.department") in {(p.code, p.location) for p in problems}


def test_income_must_equal_expenditure_plus_balance():
    r = _dept(carryover_begin=10 * W, general_budget=100 * W, personnel=50 * W, project_expenditure=40 * W,
              carryover_end=25 * W)
    p = _codes(r)[("unbalanced", "finance.units[0].carryover_end")]
    assert p.severity == "错误" and "20.00万元" in p.message and "25.00万元" in p.message
    r.finance.units[0].carryover_end = D("200000.50")  # 0.01 万元 tail when typed in 万元
    assert _codes(r)[("unbalanced", "finance.units[0].carryover_end")].severity == "提示"


def test_execution_over_100_percent():
    r = _dept(general_budget=100 * W, personnel=120 * W)
    r.finance.initial_budget = 100 * W
    assert ("execution_over_100", "finance.annual_budget_entered") in _codes(r)


def test_published_rate_that_disagrees_is_named():
    r = _dept(general_budget=100 * W, personnel=60 * W)
    r.finance.annual_budget_entered = 100 * W
    r.published["metric.budget_execution_rate"] = D("61.92")
    p = _codes(r)[("published_mismatch", "metric.budget_execution_rate")]
    assert "61.92%" in p.message and "60.00%" in p.message
    r.published["metric.budget_execution_rate"] = D("60.00")
    assert ("published_mismatch", "metric.budget_execution_rate") not in _codes(r)


def test_override_needs_a_reason_and_missing_facts_are_listed():
    r = _dept()
    r.answers["goal_basis"] = IndicatorAnswer(items=[True, True], override=Override(D(2), "  "))
    found = _codes(r)
    assert ("override_without_reason", "answers.goal_basis") in found
    assert ("missing_facts", "answers.goal_management") in found  # nothing chosen yet
    assert ("missing_facts", "answers.goal_basis") not in found


def test_override_under_a_checklist_it_cannot_produce():
    r = _dept()
    r.answers["poverty_project_review"] = IndicatorAnswer(items=[True, True], override=Override(D(2), "酌情"))
    assert ("override_impossible", "answers.poverty_project_review") in _codes(r)


def test_credit_code_check_digit():
    assert checks.credit_code_valid("11433100MB1E34539C")
    assert not checks.credit_code_valid("11433100MB1E34539D")
    r = _dept()
    r.basic.credit_code = "11433100MB1E34539D"
    assert ("credit_code", "basic.credit_code") in _codes(r)


def test_staff_total_against_breakdown():
    r = _dept()
    r.basic.authorized_total, r.basic.authorized_admin, r.basic.authorized_institution = 43, 30, 10
    assert ("staff_sum", "basic.authorized_total") in _codes(r)


def _project(**row):
    r = Report(template_id="mof-project-2020", fiscal_year=2022)
    r.basic.department = "测试局"
    defaults = dict(level1="output", level2="质量指标", name="质量", target="合格", actual="合格", weight=D(50))
    r.projects.append(Project(name="项目", funds_current=FundsRow(W, W, 2 * W),
                              indicators=[ProjectIndicator(**(defaults | row))]))
    return r


def test_project_execution_over_budget_and_weights():
    found = _codes(_project())
    assert ("execution_over_100", "projects[0].funds") in found
    assert ("project_weights", "projects[0].indicators") in found  # 效益/满意度 rows missing


def test_judged_score_outside_its_band():
    found = _codes(_project(band=0, judged_score=D(30)))
    assert ("judged_outside_band", "projects[0].indicators[0]") in found
    assert ("qualitative_below_met", "projects[0].indicators[0]") in found


def test_checks_use_template_sections():
    tpl = templates.get("mof-project-2020")
    assert "dept_indicators" not in tpl.sections


def test_the_departments_overall_goal_is_asked_for_where_the_form_prints_it():
    from model import checks, storage, templates

    yongxing = storage.load("resources/samples/yongxing_2020.jxzp.json")  # seed 003 states no 整体绩效目标
    got = [p.location for p in checks.check(yongxing) if p.code == "missing_goal"]
    assert got == ["basic.performance_goal", "basic.goal_actual"]
    yongxing.basic.performance_goal, yongxing.basic.goal_actual = "巩固脱贫攻坚成果。", "全面完成。"
    assert not [p for p in checks.check(yongxing) if p.code == "missing_goal"]
    shilong = storage.load("resources/samples/shilong_2020.jxzp.json")  # the 河南 forms have no such cells
    assert "dept_self_eval" not in templates.get(shilong.template_id).forms
    shilong.basic.performance_goal = shilong.basic.goal_actual = ""
    assert not [p for p in checks.check(shilong) if p.code == "missing_goal"]
