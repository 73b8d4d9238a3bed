"""The three wrong figures of a real county report (issue 14), and a project report's, in other words than the seeds'.

Data: 财政拨款收入 10,640.07 万元 this year and 5,536.03 万元 last year (+5,104.04 万元 = +92.20 %);
the report divided the change by this year's figure (47.97 %).  一般公共预算财政拨款支出 is 82.12 % of
本年支出; the report says 84.43 %.
"""
from decimal import Decimal

import pytest

from model import storage
from model.narrative_check import mismatches
from model.report import Report, UnitFinance

D = Decimal


@pytest.fixture
def county() -> Report:
    report = Report(template_id="hunan-dept", fiscal_year=2023, display_unit="wan")
    report.finance.units = [UnitFinance(name="本级", general_budget=D("106400700.00"), other_income=D("1234567.89"),
                                        personnel=D("8123456.78"), operating=D("1456789.12"),
                                        project_expenditure=D("97000000.33"))]
    report.finance.general_expenditure = report.finance.fiscal_expenditure = D("87523700.00")
    report.finance.prior.fiscal_income = D("55360300.00")
    report.finance.prior.fiscal_expenditure = D("60000000.00")
    return report


def said(report: Report, text: str) -> list[str]:
    report.narrative = {"finance": text}
    return [shown for _sid, _claim, shown in mismatches(report)]


def test_a_share_of_this_years_spending(county):
    [shown] = said(county, "2023年度一般公共预算财政拨款支出8752.37万元，占本年支出的84.43%，主要用于农林水支出。")
    assert "82.12%" in shown
    assert said(county, "2023年度一般公共预算财政拨款支出8752.37万元，占本年支出的82.12%。") == []


def test_a_change_divided_by_this_year(county):
    [shown] = said(county, "财政拨款收入10640.07万元，较上年决算数增加5104.04万元，增长47.97%，主要是衔接资金增加。")
    assert "92.20%" in shown and "本年" in shown
    assert said(county, "财政拨款收入10640.07万元，较上年决算数增加5104.04万元，增长92.20%。") == []


def test_the_same_slip_for_fiscal_spending(county):
    # 8,752.37 − 6,000.00 = 2,752.37 万元; ÷ 8,752.37 = 31.45 % (wrong), ÷ 6,000.00 = 45.87 %
    [shown] = said(county, "财政拨款支出8752.37万元，较上年决算数增加2752.37万元，增长31.45%。")
    assert "45.87%" in shown


@pytest.fixture
def projects() -> Report:
    return storage.load("resources/samples/xingxian_2022.jxzp.json")


def test_a_project_budget_against_its_funds_block(projects):
    projects.narrative = {"overview": "2021-2022年度雨露计划项目全年预算金额620.20万元，全年执行数520.20万元。"}
    [(_sid, claim, shown)] = mismatches(projects)
    assert "520.20" in shown and "620.20" in claim.quote


def test_a_project_subtotal_against_its_computed_score(projects):
    projects.narrative = {"analysis": "2022年脱贫劳动力稳岗补助项目产出指标实际得分50分，效益指标得分30分。"}
    [(_sid, _claim, shown)] = mismatches(projects)
    assert "42" in shown
    projects.narrative = {"analysis": "2022年脱贫劳动力稳岗补助项目产出指标实际得分42分，效益指标得分30分。"}
    assert mismatches(projects) == []
