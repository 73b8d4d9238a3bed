"""Named figures of a report: Chinese labels, and values by key.

A key names one figure that a form prints and that we can compute, e.g.
``summary.expenditure_total``, ``unit.0.basic_expenditure``,
``metric.budget_execution_rate``, ``score.total``, ``project.1.total``.
``Report.published`` maps such keys to the figure as printed in the source;
checks compare it with ``value(key)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from .metrics import METRICS
from .report import ASSET_KINDS, EXPENDITURE_KINDS, INCOME_SOURCES, Report, UnitFinance

UNIT_FIELDS = {
    "carryover_begin": "上年结转",
    "general_budget": "一般公共预算财政拨款",
    "fund_budget": "政府性基金预算财政拨款",
    "state_capital_budget": "国有资本经营预算财政拨款",
    "special_account_nontax": "纳入专户管理的非税收入拨款",
    "higher_subsidy": "上级补助收入",
    "service_income": "事业收入",
    "business_income": "经营收入",
    "affiliate_remittance": "附属单位上缴收入",
    "other_income": "其他收入",
    "fiscal_appropriation": "财政拨款收入",
    "income_total": "本年收入合计",
    "income_with_carryover": "收入合计（含上年结转）",
    "personnel": "人员经费",
    "operating": "公用经费",
    "basic_entered": "基本支出（报表数）",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "remit_higher": "上缴上级支出",
    "business_expenditure": "经营支出",
    "affiliate_subsidy": "对附属单位补助支出",
    "expenditure_total": "支出合计",
    "balance": "当年结转结余",
    "carryover_end": "年末结转和结余",
    "assets_in_use": "在用固定资产",
    "assets_leased": "出租固定资产",
    "assets_idle": "闲置固定资产",
    "assets_other": "其他固定资产",
    "assets_total": "固定资产合计",
    "three_public_total": "三公经费合计",
}


# the stored fields a computed unit figure adds up (for the rounding tails of imported parts)
_THREE_PUBLIC = tuple(f"three_public.{k}" for k in ("overseas_travel", "vehicle_purchase", "vehicle_operation",
                                                    "reception"))
_PARTS = {
    "fiscal_appropriation": ("general_budget", "fund_budget", "state_capital_budget"),
    "income_total": INCOME_SOURCES,
    "income_with_carryover": ("carryover_begin",) + INCOME_SOURCES,
    "basic_parts": ("personnel", "operating"),
    "expenditure_total": EXPENDITURE_KINDS,
    "balance": ("carryover_begin",) + INCOME_SOURCES + EXPENDITURE_KINDS,
    "assets_total": ASSET_KINDS,
    "three_public_total": _THREE_PUBLIC,
}


def unit_paths(report: Report, unit: str, name: str) -> list[str]:
    """The stored fields a unit figure is computed from; ``unit`` is "summary" or a unit index."""
    if name == "basic_expenditure":
        units = report.finance.units if unit == "summary" else [report.finance.units[int(unit)]]
        parts = ("basic_entered",) if all(u.basic_entered is not None for u in units) else ("personnel", "operating")
    else:
        parts = _PARTS.get(name, (name,))
    indexes = range(len(report.finance.units)) if unit == "summary" else (int(unit),)
    return [f"finance.units[{i}].{p}" for i in indexes for p in parts]


def source_paths(report: Report, key: str) -> list[str]:
    """The stored fields a money figure key (``summary.…``, ``unit.N.…``) is computed from; [] for others."""
    parts = key.split(".")
    if parts[0] == "summary" and len(parts) == 2:
        return unit_paths(report, "summary", parts[1])
    if parts[0] == "unit" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(report.finance.units):
        return unit_paths(report, parts[1], parts[2])
    if parts[0] == "finance" and len(parts) == 2 and parts[1] == "annual_budget":
        return ["finance.annual_budget_entered"] if report.finance.annual_budget_entered is not None else [
            "finance.initial_budget", "finance.budget_adjustment"]
    return []


@dataclass(frozen=True)
class Figure:
    label: str
    value: Optional[Decimal]
    kind: str  # money / percent / score


def _unit_figure(unit: UnitFinance, name: str, label_prefix: str) -> Optional[Figure]:
    if name not in UNIT_FIELDS:
        return None
    value = unit.three_public.total if name == "three_public_total" else getattr(unit, name)
    return Figure(f"{label_prefix}{UNIT_FIELDS[name]}", value, "money")


def figure(report: Report, key: str, result=None) -> Optional[Figure]:
    """The figure a key names, computed from the report (and score result); None if unknown."""
    parts = key.split(".")
    head = parts[0]
    if head == "summary" and len(parts) == 2:
        return _unit_figure(report.finance.summary, parts[1], "汇总 ")
    if head == "unit" and len(parts) == 3 and parts[1].isdigit():
        i = int(parts[1])
        if i < len(report.finance.units):
            unit = report.finance.units[i]
            return _unit_figure(unit, parts[2], f"{unit.name or f'第{i + 1}个单位'} ")
        return None
    if head == "finance" and len(parts) == 2 and parts[1] == "annual_budget":
        return Figure("全年预算数", report.finance.annual_budget, "money")
    if head == "metric" and len(parts) == 2 and parts[1] in METRICS:
        metric = METRICS[parts[1]]
        return Figure(metric.name, metric.compute(report).value, "percent")
    if result is None:
        return None
    if key == "score.total" and result.dept:
        totals = result.dept.totals  # an unfinished report has no total to compare
        return Figure("综合得分", totals.total if totals.complete else None, "score")
    if head == "project" and len(parts) >= 3 and parts[1].isdigit():
        i = int(parts[1])
        if i >= len(result.projects):
            return None
        ps = result.projects[i]
        if parts[2] == "total" and len(parts) == 3:
            return Figure(f"项目“{ps.name}”总分", ps.totals.total if ps.totals.complete else None, "score")
        if parts[2] == "execution_rate" and len(parts) == 3:
            return Figure(f"项目“{ps.name}”执行率", ps.execution.value, "percent")
        if parts[2] == "group" and len(parts) == 4:  # a 一级 subtotal as printed: project.0.group.产出指标
            group = next((g for g in ps.groups if g.name == parts[3]), None)
            if group is not None:
                return Figure(f"项目“{ps.name}”{group.name}得分", group.score if group.complete else None, "score")
    return None
