"""Amounts from 0.01 to 10^12 元 keep exact cents through entry, save, load, scoring and every export."""
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from export import export_report
from model import checks, scoring, storage, templates
from model.money import format_amount, parse_amount
from model.report import FundsRow, Project, ProjectIndicator, Report, UnitFinance

HUGE, TINY = "1,000,000,000,000.01", "0.01"


def _report():
    r = Report(template_id="hunan-dept", fiscal_year=2023, display_unit="yuan")
    r.basic.department = "大数测试局"
    r.finance.units.append(UnitFinance(name="局机关", general_budget=parse_amount(HUGE), other_income=parse_amount(TINY),
                                       personnel=parse_amount("999,999,999,999.99"), operating=parse_amount(TINY)))
    r.projects.append(Project(name="大额项目", funds_current=FundsRow(parse_amount(HUGE), parse_amount(HUGE),
                                                                       parse_amount("１２３４５６７８９０１２.３４"))))
    r.projects[0].indicators.append(ProjectIndicator(level1="output", level2="数量指标", name="x", target="1", actual="1",
                                                     weight=Decimal(50)))
    return r


def test_cents_survive_entry_save_load_and_scoring(tmp_path):
    r = _report()
    unit = r.finance.units[0]
    assert unit.general_budget == Decimal("1000000000000.01") and unit.other_income == Decimal("0.01")
    assert unit.income_total == Decimal("1000000000000.02")
    path = tmp_path / "大数.jxzp.json"
    storage.save(r, path)
    back = storage.load(path)
    assert back == r and '"1000000000000.01"' in path.read_text(encoding="utf-8")
    result = scoring.score(back)
    assert result.projects[0].execution.value == Decimal("123456789012.34") / Decimal("1000000000000.01") * 100
    assert format_amount(back.finance.summary.income_total, "yuan") == "1,000,000,000,000.02"
    checks.check(back, None, result)


def test_cents_survive_every_export(tmp_path):
    r = _report()
    tpl = templates.get(r.template_id)
    outcomes = export_report(r, tpl, tmp_path)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    paths = {o.kind: o.path for o in outcomes}
    found = set()
    for ws in openpyxl.load_workbook(paths["xlsx"]).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float, Decimal)) and cell.value > 10**11:
                    found.add(Decimal(str(cell.value)).quantize(Decimal("0.01")))
                elif isinstance(cell.value, str) and "1,000,000,000,000.0" in cell.value:
                    found.add(Decimal(cell.value.replace(",", "")).quantize(Decimal("0.01")))
    assert Decimal("1000000000000.01") in found or Decimal("1000000000000.02") in found
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(paths["pdf"]), "-"], capture_output=True, text=True).stdout
        assert "1,000,000,000,000.02" in text or "1,000,000,000,000.01" in text


@pytest.mark.parametrize("field", ["general_budget", "personnel", "assets_in_use", "carryover_begin"])
def test_negative_amounts_where_the_form_forbids_them_are_errors(field):
    r = _report()
    setattr(r.finance.units[0], field, Decimal("-5.00"))
    problems = [p for p in checks.check(r) if p.code == "negative_amount"]
    assert problems and problems[0].severity == "错误" and problems[0].location == f"finance.units[0].{field}"
    r.finance.budget_adjustment = Decimal("-100")  # 追减 is a legitimate negative
    assert not [p for p in checks.check(r) if p.location == "finance.budget_adjustment" and p.code == "negative_amount"]
