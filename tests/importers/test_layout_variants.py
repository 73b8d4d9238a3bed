"""Issue 14's workbook corpus: seed 002's ten tables in the layouts finance systems and people produce.

Each variant is generated at test time (``make_fixtures.Variant``: a few switches over the
seed's grids) and must import to the sample's figures — exactly for 元 workbooks, within the
precision the preview states for 万元 ones — with nothing aborted and no 警告.
"""
from dataclasses import fields
from decimal import Decimal

import pytest

from model import storage
from model.importers.common import INFO, WARNING
from model.importers.final_accounts import apply, preview, preview_text
from model.report import Report, UnitFinance

from make_fixtures import DATA, UNMERGE_ALL, Variant, save
from test_final_accounts import FINANCE_FIELDS, SAMPLE

VARIANTS = {
    "text_numbering": Variant(numbering="text"),
    "no_numbering": Variant(numbering="absent"),
    "bare_numbering": Variant(numbering="bare"),
    "unmerged_three_public": Variant(unmerged=(6,)),
    "unmerged_overview_tables": Variant(unmerged=(0, 3)),
    "unmerged_everything_text_numbering": Variant(unmerged=UNMERGE_ALL, numbering="text"),
    "four_header_lines": Variant(group_row=True),
    "four_header_lines_unmerged_no_numbering": Variant(group_row=True, unmerged=UNMERGE_ALL, numbering="absent"),
    "blank_columns_and_rows": Variant(blank=True),
    "hidden_columns_and_rows": Variant(blank=True, hidden=True),
    "blank_columns_unmerged": Variant(blank=True, unmerged=UNMERGE_ALL),
    "long_titles": Variant(long_titles=True),
    "long_titles_unit_in_title": Variant(long_titles=True, unit_at="title"),
    "reversed_chinese_sheets": Variant(sheets="reversed"),
    "unit_in_header": Variant(unit_at="header"),
    "unit_in_a_cell": Variant(unit_at="cell"),
    "stacked_text_numbering_unmerged": Variant(layout="stacked", numbering="text", unmerged=UNMERGE_ALL),
    "excel_shared_strings": Variant(shared_strings=True),
    "excel_shared_strings_stacked": Variant(layout="stacked", shared_strings=True, numbering="absent"),
    "wan": Variant(unit="万元"),
    "wan_unit_in_title_reversed": Variant(unit="万元", unit_at="title", sheets="reversed", long_titles=True),
    "wan_unit_in_a_cell_unmerged": Variant(unit="万元", unit_at="cell", unmerged=UNMERGE_ALL, numbering="text"),
    "wan_unit_in_header_blank": Variant(unit="万元", unit_at="header", blank=True, group_row=True),
    "everything": Variant(unit="万元", numbering="text", unmerged=UNMERGE_ALL, group_row=True, blank=True,
                          hidden=True, long_titles=True, unit_at="cell", sheets="reversed", shared_strings=True),
}
COMMITTED = ["tables.xls", "stacked.xls"]


@pytest.fixture(scope="module")
def sample() -> Report:
    return storage.load(SAMPLE)


def _import(path):
    report = Report(template_id="mof-project-2020", fiscal_year=2022)
    result = preview(path, report)
    apply(report, result)
    return report, result


def _amounts(report: Report) -> dict[str, object]:
    """Every imported figure by report path (functional rows cell by cell)."""
    unit: UnitFinance = report.finance.units[0]
    out = {f"finance.units[0].{f.name}": getattr(unit, f.name) for f in fields(UnitFinance)
           if f.name not in ("name", "three_public")}
    out.update({f"finance.units[0].three_public.{k}": v for k, v in vars(unit.three_public).items()})
    for attr in FINANCE_FIELDS:
        value = getattr(report.finance, attr)
        if attr == "functional_rows":
            for i, row in enumerate(value):
                out.update({f"finance.functional_rows[{i}].{k}": getattr(row, k) for k in vars(row)})
        elif attr == "three_public_budget":
            out.update({f"finance.three_public_budget.{k}": v for k, v in vars(value).items()})
        else:
            out[f"finance.{attr}"] = value
    return out


def _variant_path(name, tmp_path):
    if name in COMMITTED:
        return DATA / name
    return save(VARIANTS[name], tmp_path / f"{name}.xlsx")


@pytest.mark.parametrize("name", list(VARIANTS) + COMMITTED)
def test_every_layout_imports_the_sample_figures(name, tmp_path, sample):
    report, result = _import(_variant_path(name, tmp_path))
    assert len(result.found) == 10
    assert [p.message for p in result.problems if p.severity != INFO] == []
    got, want = _amounts(report), _amounts(sample)
    assert got.keys() == want.keys()
    for path, expected in want.items():
        value = got[path]
        if isinstance(expected, Decimal) and isinstance(value, Decimal):
            # 元 sources: exact; 万元 ones: within the half unit the import records for the path
            assert abs(value - expected) <= result.precision.get(path, Decimal(0)), (path, value, expected)
        else:
            assert value == expected, path
    assert report.basic.department == "兴县乡村振兴局"
    wan = VARIANTS.get(name, Variant()).unit == "万元"
    # half of 0.01 万元 per cell; 人员经费 = 基本支出 − 机关运行经费 (行政单位 + 参公) carries the tails of all three
    halves = set(report.source_precision.values())
    assert (Decimal(50) in halves and all(h % 50 == 0 and h <= 150 for h in halves)) if wan \
        else report.source_precision == {}


def test_hidden_rows_and_columns_are_read_and_said(tmp_path):
    _, result = _import(save(VARIANTS["hidden_columns_and_rows"], tmp_path / "hidden.xlsx"))
    hints = [p.message for p in result.problems if "隐藏" in p.message]
    assert hints and all(p.severity == INFO for p in result.problems if "隐藏" in p.message)
    assert any("公开03表" in m and "行" in m and "照常导入" in m for m in hints)


def test_text_numbering_row_imports_instead_of_aborting(tmp_path, sample):
    """Issue 14's first failure: 栏次 “1”…“12” as text made 合计 the first data row and aborted."""
    report, result = _import(save(Variant(numbering="text"), tmp_path / "text.xlsx"))
    assert report.finance.units[0].three_public == sample.finance.units[0].three_public
    assert report.finance.three_public_budget == sample.finance.three_public_budget


def test_unmerged_budget_and_final_groups_are_not_mixed_up(tmp_path):
    """Issue 14's second failure: 预算数/决算数 printed only above their first column: budget read as 决算."""
    path = save(Variant(unmerged=(6,)), tmp_path / "unmerged.xlsx")
    report, result = _import(path)
    assert report.finance.three_public_budget.vehicle_operation == Decimal("20980.00")
    assert report.finance.units[0].three_public.vehicle_operation == Decimal("20980.00")
    sources = {ch.path: ch.source for ch in result.changes}
    budget, final = sources["finance.three_public_budget.vehicle_operation"], sources[
        "finance.units[0].three_public.vehicle_operation"]
    assert budget.endswith("，元") and final.endswith("，元")
    assert budget.split("）")[1].startswith("E") and final.split("）")[1].startswith("K")  # 预算 E, 决算 K


def test_an_unplaceable_column_is_a_preview_warning(tmp_path):
    report, result = _import(save(Variant(extra="备注"), tmp_path / "remark.xlsx"))
    warnings = [p for p in result.problems if p.severity == WARNING]
    assert len(warnings) == 1
    assert "公开03表" in warnings[0].message and "备注" in warnings[0].message and "没有导入" in warnings[0].message
    assert warnings[0].cell.startswith("I")
    assert "收支情况" in warnings[0].message  # what to do
    assert "[警告]" in preview_text(result)
    assert report.finance.units[0].project_expenditure == Decimal("26233458.49")  # the rest still imports


def test_prior_year_columns_go_to_finance_prior(tmp_path, sample):
    report, result = _import(save(Variant(extra="上年"), tmp_path / "prior.xlsx"))
    assert [p.message for p in result.problems if p.severity != INFO] == []
    prior = report.finance.prior
    assert prior.income_total == (Decimal("31066335.81") * Decimal("0.9")).quantize(Decimal("0.01"))
    assert prior.expenditure_total == (Decimal("29085952.04") * Decimal("0.9")).quantize(Decimal("0.01"))
    assert prior.carryover_end == (Decimal("37532276.73") * Decimal("0.9")).quantize(Decimal("0.01"))
    assert report.finance.units[0].carryover_end == sample.finance.units[0].carryover_end  # this year untouched
    assert report.provenance["finance.prior.income_total"] == "imported"


def test_wan_rounding_tails_are_hints_naming_the_precision(tmp_path):
    _, result = _import(save(Variant(unit="万元"), tmp_path / "wan.xlsx"))
    tails = [p.message for p in result.problems if "取整尾差" in p.message]
    assert tails and all("金额单位为万元、保留两位小数" in m for m in tails)
    assert all(p.severity == INFO for p in result.problems if "取整尾差" in p.message)
