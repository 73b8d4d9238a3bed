"""Rounding tails of imported figures (issue 14): a 万元 source's tails are 提示, more than that stays an error."""
from decimal import Decimal

import pytest

from model import checks, storage, tails
from model.figures import source_paths
from model.report import EXPENDITURE_KINDS, INCOME_SOURCES
from model.templates import get

SAMPLE = "resources/samples/xingxian_2022.jxzp.json"
HALF = Decimal(50)  # half of 0.01 万元


def imported_in_wan() -> "storage.Report":
    """The sample as if its figures came from a 万元 workbook (2 decimals): every unit field ±50 元."""
    report = storage.load(SAMPLE)
    fields = ("carryover_begin",) + INCOME_SOURCES + EXPENDITURE_KINDS + ("carryover_end", "basic_entered")
    report.source_precision = {f"finance.units[0].{k}": HALF for k in fields}
    for i, _row in enumerate(report.finance.functional_rows):
        for k in ("total", "basic", "project"):
            report.source_precision[f"finance.functional_rows[{i}].{k}"] = HALF
    return report


def problems(report, code):
    return [p for p in checks.check(report, get(report.template_id)) if p.code == code]


def test_a_tail_within_the_sources_precision_is_a_hint_naming_it():
    report = imported_in_wan()
    report.finance.units[0].carryover_end += Decimal(100)  # a 万元 total 0.01 off the sum of its rows
    [p] = problems(report, "unbalanced")
    assert p.severity == checks.INFO
    assert "0.01 万元（100 元）" in p.message and "尾差" in p.message
    assert "相差 100.00元" in p.message


def test_beyond_the_tolerance_stays_an_error():
    report = imported_in_wan()
    limit = tails.tolerance(report, source_paths(report, "summary.balance") + ["finance.units[0].carryover_end"])
    assert limit == 7 * HALF  # the seven filled: 上年结转, 一般公共预算, 其他收入, 人员, 公用, 项目支出, 年末
    report.finance.units[0].carryover_end += limit + Decimal("0.01")
    [p] = problems(report, "unbalanced")
    assert p.severity == checks.ERROR


def test_typed_figures_in_yuan_have_no_tolerance():
    report = storage.load(SAMPLE)
    report.finance.units[0].carryover_end += Decimal("0.01")
    [p] = problems(report, "unbalanced")
    assert p.severity == checks.ERROR


def test_basic_sum_and_functional_rows_use_the_tails_too():
    report = imported_in_wan()
    u = report.finance.units[0]
    u.basic_entered = u.personnel + u.operating + Decimal(100)
    row = report.finance.functional_rows[0]
    row.total = (row.basic or 0) + (row.project or 0) + Decimal(100)
    [b] = problems(report, "basic_sum")
    assert b.severity == checks.INFO and "尾差" in b.message
    f = [p for p in problems(report, "functional_sum") if p.location == "finance.functional_rows[0]"]
    assert f and f[0].severity == checks.INFO
    row.total += Decimal(1000)  # three cells: at most 150 元
    f = [p for p in problems(report, "functional_sum") if p.location == "finance.functional_rows[0]"]
    assert f[0].severity == checks.WARNING


@pytest.mark.parametrize("shift, severity", [(Decimal(90), checks.INFO), (Decimal(100000), checks.WARNING)])
def test_published_totals_compare_within_the_tails_of_their_parts(shift, severity):
    report = imported_in_wan()
    report.finance.units[0].other_income += shift
    found = [p for p in problems(report, "published_mismatch") if p.location == "summary.income_total"]
    assert found and found[0].severity == severity


def test_source_paths_name_the_parts_of_a_total():
    report = storage.load(SAMPLE)
    assert source_paths(report, "summary.income_total") == [f"finance.units[0].{k}" for k in INCOME_SOURCES]
    assert source_paths(report, "unit.0.carryover_end") == ["finance.units[0].carryover_end"]
    assert source_paths(report, "metric.budget_execution_rate") == []
