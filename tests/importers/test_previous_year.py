"""新建下一年度 (roll forward): 上年数 from last year's actuals, nothing stale, nothing lost, nothing doubled.

Carry-forward bugs are what users of peer tools report most, so besides the
seed-based tests a report with *every* field filled is rolled forward and every
value of the result is accounted for: kept, carried (and marked), or cleared.
"""
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import types
import typing
from decimal import Decimal
from pathlib import Path

import pytest

from model import checks, edits, metrics, scoring, storage, templates
from model.importers.previous_year import PreviousYearError, carry_prior, prior_from, roll_forward
from model.report import PriorYear, Report, ThreePublic, UnitFinance

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.jxzp.json"))
XINGXIAN = ROOT / "resources" / "samples" / "xingxian_2022.jxzp.json"


def leaves(obj, path=""):
    """(path, value) of every filled leaf, in the path syntax of model.edits."""
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from leaves(getattr(obj, f.name), f"{path}.{f.name}" if path else f.name)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from leaves(v, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from leaves(v, f"{path}.{k}")
    elif obj not in (None, ""):
        yield path, obj


def filled(tp, counter=iter(range(1, 10 ** 6))):
    """An instance of ``tp`` with every field filled with a distinct value (lists get two items)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
        origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: filled(hints[f.name], counter) for f in dataclasses.fields(tp)})
    if origin is list:
        (item,) = typing.get_args(tp)
        return [filled(item, counter) for _ in range(2)]
    if origin is dict:
        _, item = typing.get_args(tp)
        return {f"id{next(counter)}": filled(item, counter)}
    n = next(counter)
    if tp is Decimal:
        return Decimal(n) + Decimal("0.25")
    if tp is bool:
        return True
    if tp is int:
        return n
    if tp is str:
        return f"文字{n}"
    raise TypeError(tp)


def full_report() -> Report:
    report = filled(Report)
    report.template_id, report.fiscal_year, report.display_unit = "hunan-dept", 2022, "wan"
    report.provenance = {"finance.units[0].general_budget": "imported"}
    return report


@pytest.fixture
def xingxian():
    return storage.load(XINGXIAN)


# ---------------------------------------------------------------- seed 002 rolled into 2023

def test_prior_year_figures_are_the_2022_actuals(xingxian):
    new = roll_forward(xingxian, keep_targets=True)
    s, p = xingxian.finance.summary, new.finance.prior
    assert new.fiscal_year == 2023
    assert p.income_total == s.income_total == Decimal("31066335.81")
    assert p.expenditure_total == s.expenditure_total == Decimal("29085952.04")
    assert p.personnel == s.personnel == Decimal("2078125.08")
    assert p.operating == s.operating == Decimal("774368.47")
    assert p.carryover_end == s.carryover_end == Decimal("37532276.73")
    assert p.three_public == s.three_public and p.three_public.vehicle_operation == Decimal("20980.00")
    assert p.three_public_budget == xingxian.finance.three_public_budget
    assert p.agency_operating == xingxian.finance.agency_operating == Decimal("774368.47")
    assert (p.in_service_personnel, p.retiree_personnel, p.frugality, p.actual_staff) == (None, None, None, None)
    # the categories texts compare with 上年
    assert p.fiscal_income == p.general_budget == s.fiscal_appropriation == Decimal("27274348.52")
    assert (p.basic_expenditure, p.project_expenditure) == (s.basic_expenditure, s.project_expenditure)
    # 年初结转和结余 = 上年年末结转和结余, unit by unit
    assert [u.carryover_begin for u in new.finance.units] == [Decimal("37532276.73")]
    assert [u.name for u in new.finance.units] == ["兴县乡村振兴局"]


def test_carried_paths_are_marked_and_only_those(xingxian):
    new = roll_forward(xingxian, keep_targets=False)
    assert new.provenance == {path: "carried" for path in (
        "finance.prior.income_total", "finance.prior.expenditure_total", "finance.prior.personnel",
        "finance.prior.operating", "finance.prior.three_public.vehicle_operation",
        "finance.prior.three_public_budget.vehicle_operation", "finance.prior.carryover_end",
        "finance.prior.agency_operating", "finance.prior.fiscal_income", "finance.prior.general_budget",
        "finance.prior.basic_expenditure", "finance.prior.project_expenditure", "finance.prior.fiscal_expenditure",
        "finance.prior.general_expenditure",
        "finance.units[0].carryover_begin", "finance.vehicles")}
    for path in new.provenance:
        assert edits.get_at(new, path) is not None, path


@pytest.mark.parametrize("keep", [True, False])
def test_targets_kept_or_cleared_and_actuals_cleared(xingxian, keep):
    new = roll_forward(xingxian, keep_targets=keep)
    assert [p.name for p in new.projects] == [p.name for p in xingxian.projects]
    for old, p in zip(xingxian.projects, new.projects):
        assert (p.authority, p.implementer, p.fund_source) == (old.authority, old.implementer, old.fund_source)
        assert p.goal_expected == (old.goal_expected if keep else "")
        assert p.goal_actual == "" and p.authority_review == "" and p.execution_override is None
        for funds in (p.funds_current, p.funds_carryover, p.funds_other):
            assert (funds.initial_budget, funds.annual_budget, funds.executed) == (None, None, None)
        assert len(p.indicators) == len(old.indicators)
        for o, row in zip(old.indicators, p.indicators):
            assert (row.level1, row.level2, row.name, row.comparator, row.unit, row.weight, row.nature) == \
                   (o.level1, o.level2, o.name, o.comparator, o.unit, o.weight, o.nature)
            assert row.target == (o.target if keep else "")
            assert (row.actual, row.deviation_reason, row.override, row.band, row.judged_score) == ("", "", None, None, None)
    assert xingxian.projects[0].indicators[5].target == "≥98%"
    assert new.projects[0].indicators[5].target == ("≥98%" if keep else "")


def test_basic_info_kept_and_year_facts_cleared(xingxian):
    xingxian.basic.document_number = "兴乡振发〔2023〕1号"
    xingxian.basic.actual_staff = 12
    new = roll_forward(xingxian, keep_targets=True)
    b, old = new.basic, xingxian.basic
    for name in ("department", "level", "unit_type", "functions", "internal_units", "subordinate_units", "addressee",
                 "evaluation_mode", "evaluator", "actual_staff"):
        assert getattr(b, name) == getattr(old, name), name
    assert (b.report_date, b.document_number, b.notice, b.overall_operation) == ("", "", "", "")
    assert new.finance.prior.actual_staff == 12 and new.provenance["basic.actual_staff"] == "carried"
    assert new.narrative == {} and new.published == {} and new.answers == {}
    assert new.finance.functional_rows == [] and new.finance.annual_budget is None
    assert new.finance.summary.expenditure_total is None and new.finance.summary.income_total is None


def test_the_source_report_is_not_changed(xingxian):
    before = storage.dumps(xingxian)
    new = roll_forward(xingxian, keep_targets=True)
    new.basic.functions.append("新职能")
    new.projects[0].indicators[0].name = "改名"
    new.team.append(None)
    assert storage.dumps(xingxian) == before


def test_scoring_and_checks_work_on_the_new_year(xingxian):
    for keep in (True, False):
        new = roll_forward(xingxian, keep)
        tpl = templates.get(new.template_id)
        result = scoring.score(new, tpl)
        assert len(result.projects) == 4
        problems = checks.check(new, tpl, result)
        assert not any(p.code in ("published_mismatch", "narrative_mismatch", "unbalanced") for p in problems)


def test_year_on_year_metrics_use_the_carried_figures(xingxian):
    xingxian.basic.actual_staff = 10
    new = roll_forward(xingxian, keep_targets=True)
    unit = new.finance.units[0]
    unit.personnel, unit.operating = Decimal("2000000"), Decimal("800000")
    unit.carryover_end = Decimal("30000000")
    unit.three_public.vehicle_operation = Decimal("15000")
    new.finance.agency_operating = Decimal("800000")
    new.basic.actual_staff = 8
    values = metrics.compute_all(new)
    expect = {
        "carryover_change_rate": (Decimal("30000000") - Decimal("37532276.73")) / Decimal("37532276.73") * 100,
        "three_public_change_rate": (Decimal("15000") - Decimal("20980")) / Decimal("20980") * 100,
        "agency_operating_change_rate": (Decimal("800000") - Decimal("774368.47")) / Decimal("774368.47") * 100,
        "per_capita_operating_change_rate":
            (Decimal("800000") / 8 - Decimal("774368.47") / 10) / (Decimal("774368.47") / 10) * 100,
    }
    for mid, value in expect.items():
        assert values[mid].value == value, mid


# ---------------------------------------------------------------- every field accounted for

KEPT = {  # path patterns (after removing [i]) that roll forward keeps
    "template_id", "fiscal_year", "display_unit",
    *(f"basic.{f.name}" for f in dataclasses.fields(Report().basic)
      if f.name not in ("annual_work", "overall_operation", "goal_actual", "report_date", "document_number", "notice")),
    "team.name", "team.role", "team.title", "team.unit", "dept_opinion.signer", "finance_opinion.signer",
    "finance.units.name", "finance.vehicles",
    "dept_goals.category", "dept_goals.dimension", "dept_goals.name", "dept_goals.target",
    "projects.name", "projects.authority", "projects.implementer", "projects.fund_source", "projects.goal_expected",
    "projects.indicators.level1", "projects.indicators.level2", "projects.indicators.name",
    "projects.indicators.comparator", "projects.indicators.target", "projects.indicators.unit",
    "projects.indicators.weight", "projects.indicators.nature",
}
TARGETS = {"basic.performance_goal", "dept_goals.target", "projects.goal_expected", "projects.indicators.target"}


def pattern(path: str) -> str:
    return re.sub(r"\[\d+\]", "", path)


@pytest.mark.parametrize("keep", [True, False])
def test_every_field_is_kept_carried_or_cleared(keep):
    old = full_report()
    new = roll_forward(old, keep_targets=keep)
    carried = {p for p, v in new.provenance.items() if v == "carried"}
    kept = KEPT - (set() if keep else TARGETS)
    for path, value in leaves(new):
        if path.startswith("provenance."):
            continue
        if path.startswith("finance.prior.") or path.endswith(".carryover_begin"):
            assert path in carried, path
        else:
            assert pattern(path) in kept, f"{path} = {value!r} was carried into the new year"
            if pattern(path) not in ("fiscal_year",):
                assert edits.get_at(old, path) == value, path
    # nothing of the old 上年数 survives: every 上年数 is the old year's actual
    assert new.finance.prior == prior_from(old)
    assert new.finance.prior != old.finance.prior
    # and every 上年数 was filled: none forgotten
    prior_paths = {p for p, _ in leaves(new.finance.prior, "finance.prior")}
    expected = {f"finance.prior.{f.name}" for f in dataclasses.fields(PriorYear)
                if f.name not in ("three_public", "three_public_budget")}
    expected |= {f"finance.prior.{k}.{t.name}" for k in ("three_public", "three_public_budget")
                 for t in dataclasses.fields(ThreePublic)}
    assert prior_paths == expected
    # the kept lists keep their length; units keep their order and names
    assert [u.name for u in new.finance.units] == [u.name for u in old.finance.units]
    assert [len(p.indicators) for p in new.projects] == [len(p.indicators) for p in old.projects]
    assert [u.carryover_begin for u in new.finance.units] == [u.carryover_end for u in old.finance.units]


def test_prior_reads_the_summary_of_all_units():
    old = full_report()
    p = prior_from(old)
    s = old.finance.summary
    assert p.income_total == sum(u.income_total for u in old.finance.units)
    assert (p.expenditure_total, p.personnel, p.operating, p.carryover_end) == \
           (s.expenditure_total, s.personnel, s.operating, s.carryover_end)
    assert p.three_public.total == sum(u.three_public.total for u in old.finance.units)
    for name in ("in_service_personnel", "retiree_personnel", "frugality", "agency_operating"):
        assert getattr(p, name) == getattr(old.finance, name)
    assert p.three_public_budget == old.finance.three_public_budget and p.actual_staff == old.basic.actual_staff


# ---------------------------------------------------------------- twice, and into an existing report

def test_rolling_twice_takes_each_years_own_figures(xingxian):
    y2023 = roll_forward(xingxian, keep_targets=True)
    assert roll_forward(y2023, True).finance.prior == PriorYear()  # 2023 has no actuals yet: nothing stale
    unit = y2023.finance.units[0]
    unit.general_budget, unit.personnel, unit.project_expenditure = Decimal("1000"), Decimal("300"), Decimal("500")
    unit.carryover_end = Decimal("37532476.73")
    y2024 = roll_forward(y2023, True)
    assert y2024.fiscal_year == 2024
    assert (y2024.finance.prior.income_total, y2024.finance.prior.expenditure_total) == (Decimal("1000"), Decimal("800"))
    assert y2024.finance.prior.three_public == ThreePublic() and y2024.finance.prior.agency_operating is None
    assert [u.carryover_begin for u in y2024.finance.units] == [Decimal("37532476.73")]
    assert len(y2024.finance.units) == 1 and len(y2024.projects) == 4
    assert "finance.prior.agency_operating" not in y2024.provenance


def test_carry_prior_into_an_existing_report_matches_units_by_name():
    old = full_report()
    old.finance.units[0].name, old.finance.units[1].name = "局机关", "二级机构"
    new = Report(template_id="hunan-dept", fiscal_year=2023)
    new.finance.units = [UnitFinance(name="二级机构"), UnitFinance(name="新设中心"), UnitFinance(name=" 局机关 ")]
    new.finance.units[1].carryover_begin = Decimal("5")  # typed: a new unit has no 上年 figure to carry
    new.provenance["finance.units[1].carryover_begin"] = "carried"
    paths = carry_prior(new, old)
    assert [u.carryover_begin for u in new.finance.units] == [old.finance.units[1].carryover_end, None,
                                                                old.finance.units[0].carryover_end]
    assert "finance.units[1].carryover_begin" not in new.provenance
    assert {"finance.units[0].carryover_begin", "finance.units[2].carryover_begin"} <= set(paths)
    once = storage.dumps(new)
    carry_prior(new, old)  # again: the same, nothing doubled
    assert storage.dumps(new) == once


def test_carry_prior_creates_the_units_of_an_empty_report():
    old = full_report()
    new = Report(template_id="hunan-dept", fiscal_year=2023)
    carry_prior(new, old)
    assert [u.name for u in new.finance.units] == [u.name for u in old.finance.units]
    assert all(u.carryover_begin == o.carryover_end for u, o in zip(new.finance.units, old.finance.units))


def test_carry_prior_refuses_a_report_of_the_wrong_year():
    with pytest.raises(PreviousYearError, match="应选择 2023 年度的报告"):
        carry_prior(Report(fiscal_year=2024), full_report())


# ---------------------------------------------------------------- every sample

@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
@pytest.mark.parametrize("keep", [True, False])
def test_every_sample_rolls_forward(path, keep, tmp_path):
    old = storage.load(path)
    new = roll_forward(old, keep)
    assert new.fiscal_year == old.fiscal_year + 1 and new.template_id == old.template_id
    s = old.finance.summary
    assert new.finance.prior.income_total == s.income_total
    assert new.finance.prior.expenditure_total == s.expenditure_total
    assert new.finance.prior.carryover_end == s.carryover_end
    assert new.finance.prior.three_public.total == s.three_public.total
    assert [u.carryover_begin for u in new.finance.units] == [u.carryover_end for u in old.finance.units]
    for path_, source in new.provenance.items():
        assert source == "carried" and edits.get_at(new, path_) is not None
    tpl = templates.get(new.template_id)
    result = scoring.score(new, tpl)
    if result.dept:  # no answer, override or judged score of last year survives
        assert all(s.override is None for s in result.dept.indicators)
    assert not any(s.overridden for p in result.projects for s in (p.execution, *p.rows))
    checks.check(new, tpl, result)
    file = tmp_path / "next.jxzp.json"
    storage.save(new, file)
    assert storage.dumps(storage.load(file)) == storage.dumps(new)


# ---------------------------------------------------------------- command line

def run(*args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", JXZP_DATA_DIR=tempfile.mkdtemp(prefix="jxzp-test-"))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT)


def test_cli_writes_the_next_year_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "兴县2023.jxzp.json"
    done = run("roll-forward", XINGXIAN, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "2023" in done.stdout and "已清空" in done.stdout
    new = storage.load(out)
    assert new.fiscal_year == 2023 and new.finance.prior.income_total == Decimal("31066335.81")
    assert new.projects[0].indicators[5].target == ""  # targets cleared unless --keep-targets
    written = out.read_bytes()
    again = run("roll-forward", XINGXIAN, "-o", out, "--keep-targets")
    assert again.returncode == 2
    assert again.stderr.startswith("错误：") and "已存在" in again.stderr and "--force" in again.stderr
    assert out.read_bytes() == written
    forced = run("roll-forward", XINGXIAN, "-o", out, "--keep-targets", "--force")
    assert forced.returncode == 0, forced.stderr
    assert storage.load(out).projects[0].indicators[5].target == "≥98%"
    assert (tmp_path / "兴县2023.jxzp.json.bak").read_bytes() == written


def test_cli_errors_exit_2_in_chinese(tmp_path):
    source = tmp_path / "2022.jxzp.json"
    source.write_bytes(XINGXIAN.read_bytes())
    same = run("roll-forward", source, "-o", source, "--force")
    assert same.returncode == 2 and "本年度报告" in same.stderr
    assert source.read_bytes() == XINGXIAN.read_bytes()
    missing = run("roll-forward", tmp_path / "无此文件.jxzp.json", "-o", tmp_path / "x.jxzp.json")
    assert missing.returncode == 2 and missing.stderr.startswith("错误：") and "Traceback" not in missing.stderr
    nowhere = run("roll-forward", source, "-o", tmp_path / "无此文件夹" / "x.jxzp.json")
    assert nowhere.returncode == 2 and nowhere.stderr.startswith("错误：") and "Traceback" not in nowhere.stderr
    no_output = run("roll-forward", source)
    assert no_output.returncode == 2 and "错误" in no_output.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022.jxzp.json"]
