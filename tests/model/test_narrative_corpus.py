"""The sentence corpus (narrative_corpus.yaml): every wrong figure flagged with the right value, no true
sentence flagged; and the drafts of a report whose 上年数 are all filled read back with no mismatch."""
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from model import narrative, narrative_check, scoring, templates
from model.report import (Finance, FundsRow, FunctionalRow, PriorYear, Project, ProjectIndicator, Report, ThreePublic,
                          UnitFinance)

CORPUS = yaml.safe_load((Path(__file__).with_name("narrative_corpus.yaml")).read_text(encoding="utf-8"))


def finance_report() -> Report:
    """A 2023 决算 in 万元 with every category the check reads, and every 上年数 (figures in the corpus header)."""
    unit = UnitFinance(name="某县乡村振兴局", carryover_begin=D("8000000.00"), general_budget=D("100000000.00"),
                       fund_budget=D("6398700.00"), other_income=D("13601300.00"), personnel=D("20000000.00"),
                       operating=D("5000000.00"), project_expenditure=D("95000000.00"), carryover_end=D("8000000.00"),
                       three_public=ThreePublic(D("0"), D("0"), D("180000.00"), D("60000.00")))
    prior = PriorYear(income_total=D("100000000.00"), expenditure_total=D("110000000.00"), personnel=D("18000000.00"),
                      operating=D("5500000.00"), fiscal_income=D("55358300.00"), general_budget=D("50000000.00"),
                      fiscal_expenditure=D("54080000.00"), general_expenditure=D("80000000.00"),
                      basic_expenditure=D("23500000.00"), project_expenditure=D("86500000.00"),
                      three_public=ThreePublic(D("0"), D("0"), D("200000.00"), D("50000.00")),
                      carryover_end=D("6000000.00"), agency_operating=D("5000000.00"),
                      in_service_personnel=D("15000000.00"), retiree_personnel=D("3000000.00"))
    rows = [FunctionalRow("208", "社会保障和就业支出", D("12000000.00")),
            FunctionalRow("20805", "行政事业单位养老支出", D("8000000.00")),
            FunctionalRow("213", "农林水支出", D("100000000.00")),
            FunctionalRow("21305", "巩固脱贫攻坚成果衔接乡村振兴", D("90000000.00")),
            FunctionalRow("221", "住房保障支出", D("8000000.00"))]
    finance = Finance(units=[unit], initial_budget=D("110000000.00"), budget_adjustment=D("15000000.00"),
                      three_public_budget=ThreePublic(None, None, D("200000.00"), D("80000.00")),
                      procurement_goods=D("1500000.00"), procurement_works=D("3000000.00"),
                      procurement_services=D("500000.00"), agency_operating=D("5200000.00"),
                      in_service_personnel=D("16000000.00"), retiree_personnel=D("4000000.00"),
                      fiscal_expenditure=D("104000000.00"), general_expenditure=D("98544000.00"),
                      functional_rows=rows, prior=prior)
    return Report(template_id="hunan-dept", fiscal_year=2023, display_unit="wan", finance=finance)


def _row(level1, level2, name, target, actual, weight):
    return ProjectIndicator(level1=level1, level2=level2, name=name, target=target, actual=actual, weight=D(weight))


def project_report() -> Report:
    """Two projects: 乡村道路硬化项目 (产出指标 46.47 of 50, total 95.61) and 农村饮水安全巩固提升工程 (98)."""
    roads = Project(name="乡村道路硬化项目", funds_current=FundsRow(D("3829100"), D("3829100"), D("3500000")),
                    indicators=[_row("output", "数量指标", "硬化道路长度", "≥100公里", "100公里", 30),
                                _row("output", "质量指标", "受益人数", "≥100人", "82.35人", 20),
                                _row("outcome", "社会效益指标", "群众出行条件改善率", "≥95%", "95%", 30),
                                _row("satisfaction", "服务对象满意度指标", "群众满意度", "≥90%", "90%", 10)])
    water = Project(name="农村饮水安全巩固提升工程", funds_current=FundsRow(D("1000000"), D("1000000"), D("800000")),
                    indicators=[_row("output", "数量指标", "供水工程处数", "≥10处", "10处", 50),
                                _row("outcome", "社会效益指标", "受益人口", "≥5000人", "5000人", 30),
                                _row("satisfaction", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10)])
    return Report(template_id="mof-project-2020", fiscal_year=2023, display_unit="wan", projects=[roads, water])


REPORTS = {"finance": finance_report, "project": project_report}


def test_the_fixtures_are_what_the_corpus_says():
    report = finance_report()
    s, f = report.finance.summary, report.finance
    assert (s.income_total, s.expenditure_total, s.fiscal_appropriation) == (D("120000000.00"),) * 2 + (D("106398700.00"),)
    assert round(f.general_expenditure / s.expenditure_total * 100, 2) == D("82.12")
    result = scoring.score(project_report())
    roads, water = result.projects
    assert [g.score for g in roads.groups] == [D("9.14"), D("46.47"), D("30.00"), D("10.00")]
    assert (roads.totals.total, roads.totals.grade, water.totals.total, water.totals.grade) == (D("95.61"), "优", D("98.00"), "优")


def test_the_corpus_covers_what_issue_14_asks():
    assert len(CORPUS) >= 60
    wrong = [c for c in CORPUS if c["expect"]]
    assert len(wrong) >= 25 and len(CORPUS) - len(wrong) >= 30
    texts = "".join(c["text"] for c in CORPUS)
    for phrase in ("占本年支出的", "所占比重", "较上年决算数", "同比", "与上年相比", "持平", "万元", "亿元", "执行率",
                   "实际得分", "评价等次", "(类)", "主要用于以下方面", "| 收入合计 |"):
        assert phrase in texts, phrase


@pytest.mark.parametrize("case", CORPUS, ids=[f"{i:02d}-{c['report']}" for i, c in enumerate(CORPUS)])
def test_sentence(case):
    report = REPORTS[case["report"]]()
    report.narrative = {"other": case["text"]}
    got = narrative_check.mismatches(report, scoring.score(report, templates.get(report.template_id)))
    expected = case["expect"]
    expected = [] if expected is None else [expected] if isinstance(expected, str) else expected
    assert len(got) == len(expected), [(c.quote, shown) for _, c, shown in got]
    for (_, claim, shown), value in zip(got, expected):
        assert value in shown, (claim.quote, shown)


def test_drafts_state_every_change_and_read_back():
    """Where every 上年数 is known the draft states each category's 同比, and the check agrees with all of it."""
    report = finance_report()
    tpl = templates.get(report.template_id)
    result = scoring.score(report, tpl)
    text = narrative.draft(report, tpl, result, "finance")
    assert "财政拨款收入10,639.87万元，占88.67%，比上年增加5,104.04万元，增长92.20%" in text
    assert "一般公共预算财政拨款支出9,854.40万元，占本年支出合计的82.12%，比上年增加1,854.40万元，增长23.18%" in text
    report.narrative = {"finance": text}
    claims = narrative_check.parse(text, report.fiscal_year)
    changed = {c.key for c in claims if c.kind == "change"}
    assert changed >= {"income_total", "expenditure_total", "fiscal_appropriation", "general_budget",
                       "finance.fiscal_expenditure", "finance.general_expenditure", "basic_expenditure",
                       "project_expenditure", "personnel", "operating", "carryover_end", "tp", "tp.vehicle_operation",
                       "tp.reception", "finance.agency_operating"}
    assert narrative_check.mismatches(report, result) == []


def test_project_drafts_read_back():
    report = project_report()
    tpl = templates.get(report.template_id)
    result = scoring.score(report, tpl)
    report.narrative = {sid: narrative.draft(report, tpl, result, sid) or "" for sid in ("analysis", "conclusion")}
    claims = [c for text in report.narrative.values() for c in narrative_check.parse(text, 2023, narrative_check.names_of(report, result))]
    assert {"rate", "score", "grade"} <= {c.kind for c in claims}
    assert narrative_check.mismatches(report, result) == []
