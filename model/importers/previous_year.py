"""新建下一年度: year N+1 from year N, with the 上年数 taken from year N's actuals.

``roll_forward(report, keep_targets)`` builds a new report; the source is never
changed.  What is kept, carried and cleared (and why):

- **kept** — what describes the department rather than the year: 基本信息
  (name, codes, level, type, contact, 编制 and 实有人数, 职能职责, 内设机构,
  二级单位, 主送单位, 评价方式), the evaluation team and the signers, the unit
  list (by name), the project list and each project's indicator rows (names,
  一级/二级, comparator, unit, 分值, 定性/定量).  Targets (年度指标值, 预期目标,
  部门绩效目标, 定量目标) are kept or cleared as the clerk chooses: a project
  that runs again usually keeps them, a new notice may change them.
- **carried** (``Report.provenance[path] = "carried"``) — every 上年数 from
  year N's actuals (``prior_from``), each unit's 年初结转和结余 = its year-N
  年末结转和结余, and the counts the clerk must confirm for the new year
  (编制, 实有人数, 离退休人数, 车辆数).
- **cleared** — everything that is a fact or a judgement of year N: all amounts
  (收支, 预算, 三公, 资产, 功能科目, project funds), actual values, scores,
  overrides, deviation reasons, 主管部门审核结论, the department indicator
  answers (their values, ticks, chosen levels and notes are year N's evidence:
  carrying them would score year N+1 on last year's facts without anyone
  noticing), 年度主要工作/总体运行情况/目标完成情况, the narrative, the
  opinions' text and dates, 报告日期, 文号, the notice, and the figures
  published in year N's source.

``carry_prior(report, previous)`` fills only the carried figures into an
existing report (e.g. one started from a template), for "从上年报告导入上年数".
"""
from __future__ import annotations

import copy
from dataclasses import fields
from typing import Optional

from ..report import (
    BasicInfo, DeptGoal, Finance, FundsRow, PriorYear, Project, ProjectIndicator, Report, SignOff,
    ThreePublic, UnitFinance,
)


class PreviousYearError(ValueError):
    """The two reports do not fit together; str() is the message for the clerk."""


# Year-specific text of 基本信息, cleared on roll-forward (everything else in BasicInfo is kept).
BASIC_CLEARED = ("annual_work", "overall_operation", "goal_actual", "report_date", "document_number", "notice")
# Counts kept as a starting point and marked as carried: the clerk confirms them for the new year.
BASIC_COUNTS = ("authorized_total", "authorized_admin", "authorized_institution", "authorized_logistics",
                "actual_staff", "retirees")
# PriorYear field ← (where the year-N actual is read from)
PRIOR_FROM_SUMMARY = {"income_total": "income_total", "expenditure_total": "expenditure_total",
                      "personnel": "personnel", "operating": "operating", "carryover_end": "carryover_end",
                      "fiscal_income": "fiscal_appropriation", "general_budget": "general_budget",
                      "basic_expenditure": "basic_expenditure", "project_expenditure": "project_expenditure"}
PRIOR_FROM_FINANCE = ("in_service_personnel", "retiree_personnel", "frugality", "agency_operating",
                      "fiscal_expenditure", "general_expenditure")
THREE_PUBLIC_KINDS = tuple(f.name for f in fields(ThreePublic))


def prior_from(previous: Report) -> PriorYear:
    """上年数 of year N+1 = year N's actuals (决算), and year N's 三公预算."""
    f = previous.finance
    s = f.summary
    prior = PriorYear()
    for name, source in PRIOR_FROM_SUMMARY.items():
        setattr(prior, name, getattr(s, source))
    for name in PRIOR_FROM_FINANCE:
        setattr(prior, name, getattr(f, name))
    prior.three_public = ThreePublic(**{k: getattr(s.three_public, k) for k in THREE_PUBLIC_KINDS})
    prior.three_public_budget = ThreePublic(**{k: getattr(f.three_public_budget, k) for k in THREE_PUBLIC_KINDS})
    prior.actual_staff = previous.basic.actual_staff
    return prior


def _prior_paths(prior: PriorYear) -> list[str]:
    """Paths of the filled figures of ``prior`` (what gets marked as carried)."""
    paths = []
    for f in fields(PriorYear):
        value = getattr(prior, f.name)
        if isinstance(value, ThreePublic):
            paths += [f"finance.prior.{f.name}.{k}" for k in THREE_PUBLIC_KINDS if getattr(value, k) is not None]
        elif value is not None:
            paths.append(f"finance.prior.{f.name}")
    return paths


def _match_units(units: list[UnitFinance], previous: list[UnitFinance]) -> list[Optional[UnitFinance]]:
    """For each unit, last year's unit of the same name (each used once), else None."""
    unused = list(previous)
    out = []
    for unit in units:
        key = unit.name.strip()
        found = next((p for p in unused if p.name.strip() == key), None)
        if found is not None:
            unused.remove(found)
        out.append(found)
    return out


def _clear_prior_provenance(report: Report) -> None:
    for path in [p for p in report.provenance if p.startswith("finance.prior.")
                 or (p.startswith("finance.units[") and p.endswith("].carryover_begin"))]:
        del report.provenance[path]


def carry_prior(report: Report, previous: Report) -> list[str]:
    """Fill ``report``'s 上年数 and units' 年初结转和结余 from ``previous`` (year N); returns the carried paths.

    Units are matched by name; when ``report`` has no units yet, last year's
    units are added (names only).  Every 上年数 is replaced, so running it twice
    never doubles anything, and a figure year N does not have becomes empty
    rather than keeping an older value.
    """
    if report.fiscal_year and previous.fiscal_year and previous.fiscal_year != report.fiscal_year - 1:
        raise PreviousYearError(
            f"所选上年报告是 {previous.fiscal_year} 年度的，本报告是 {report.fiscal_year} 年度，"
            f"应选择 {report.fiscal_year - 1} 年度的报告。")
    f = report.finance
    if not f.units:
        f.units = [UnitFinance(name=u.name) for u in previous.finance.units]
    f.prior = prior_from(previous)
    _clear_prior_provenance(report)
    carried = _prior_paths(f.prior)
    for i, (unit, last) in enumerate(zip(f.units, _match_units(f.units, previous.finance.units))):
        unit.carryover_begin = last.carryover_end if last is not None else None
        if unit.carryover_begin is not None:
            carried.append(f"finance.units[{i}].carryover_begin")
    for path in carried:
        report.provenance[path] = "carried"
    return carried


# ---------------------------------------------------------------- roll forward

def _basic(b: BasicInfo, keep_targets: bool) -> BasicInfo:
    out = copy.deepcopy(b)
    for name in BASIC_CLEARED:
        setattr(out, name, "")
    if not keep_targets:
        out.performance_goal = ""
    return out


def _indicator(row: ProjectIndicator, keep_targets: bool) -> ProjectIndicator:
    return ProjectIndicator(level1=row.level1, level2=row.level2, name=row.name, comparator=row.comparator,
                            target=row.target if keep_targets else "", unit=row.unit, weight=row.weight,
                            nature=row.nature)


def _project(p: Project, keep_targets: bool) -> Project:
    return Project(name=p.name, authority=p.authority, implementer=p.implementer, fund_source=p.fund_source,
                   funds_current=FundsRow(), funds_carryover=FundsRow(), funds_other=FundsRow(),
                   goal_expected=p.goal_expected if keep_targets else "",
                   indicators=[_indicator(r, keep_targets) for r in p.indicators])


def roll_forward(report: Report, keep_targets: bool) -> Report:
    """Year N+1 from year N (``report`` is not changed); see the module text for what is kept."""
    new = Report(
        template_id=report.template_id,
        fiscal_year=report.fiscal_year + 1 if report.fiscal_year else 0,
        display_unit=report.display_unit,
        basic=_basic(report.basic, keep_targets),
        team=copy.deepcopy(report.team),
        dept_opinion=SignOff(signer=report.dept_opinion.signer),
        finance_opinion=SignOff(signer=report.finance_opinion.signer),
        finance=Finance(units=[UnitFinance(name=u.name) for u in report.finance.units],
                        vehicles=report.finance.vehicles),
        dept_goals=[DeptGoal(category=g.category, dimension=g.dimension, name=g.name,
                             target=g.target if keep_targets else "") for g in report.dept_goals],
        projects=[_project(p, keep_targets) for p in report.projects],
    )
    carry_prior(new, report)
    counts = [f"basic.{k}" for k in BASIC_COUNTS if getattr(new.basic, k) is not None]
    if new.finance.vehicles is not None:
        counts.append("finance.vehicles")
    for path in counts:
        new.provenance[path] = "carried"
    return new
