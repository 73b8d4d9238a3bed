"""Checks across the units of a 汇总 (issue 18 item 3), each a ``Finding`` that says what to do.

- the same project in two reports (by name, spaces and full-width forms not counting), and the
  same report received twice (same 校验码);
- units on the county's list with no report, and reports from units not on it;
- the units' 全年预算数 added up against the county's figure;
- outliers: 自评分 ≥ 95 with 执行率 < 60 %; every indicator at full marks while 未完成原因 are written;
- per unit, the total with scores set by hand against the total by rule.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from ..money import format_amount, format_decimal
from ..problems import INFO, WARNING
from .entry import Entry
from .units import unit_key

HIGH_SCORE = Decimal(95)
LOW_RATE = Decimal(60)


@dataclass(frozen=True)
class Finding:
    severity: str  # 警告 / 提示
    code: str
    message: str
    action: str
    files: tuple = ()  # Source.name of the reports concerned


def _wan(value: Decimal) -> str:
    return f"{format_amount(value, 'wan')}万元"


def findings(entries: list[Entry], units: Optional[list[str]] = None,
             county_budget: Optional[Decimal] = None) -> list[Finding]:
    opened = [e for e in entries if not e.error]
    out: list[Finding] = []
    out += _duplicates(opened)
    if units is not None:
        out += _unit_list(opened, units)
    if county_budget is not None:
        out += _budget(opened, county_budget)
    out += _outliers(opened)
    out += _overrides(opened)
    return out


def _by_checksum(entries: list[Entry]) -> dict:
    """校验码 → the entries with it (more than one: the same report received again)."""
    by_code = defaultdict(list)
    for e in entries:
        by_code[e.checksum].append(e)
    return by_code


def first_copies(entries: list[Entry]) -> list[Entry]:
    """Each report once, however many copies were received (a copy would count twice)."""
    by_code = _by_checksum(entries)
    return [e for e in entries if by_code[e.checksum][0] is e]


def _duplicates(entries: list[Entry]) -> list[Finding]:
    out = []
    by_code = _by_checksum(entries)
    for code, same in by_code.items():
        if len(same) > 1:
            names = tuple(e.source.name for e in same)
            out.append(Finding(WARNING, "same_report", f"{same[0].unit}的同一份报告（校验码 {code}）收到了 {len(same)} 份：{'、'.join(names)}。",
                               "只保留其中一份，其余移出汇总文件夹，以免重复计数。", names))
    by_project = defaultdict(list)
    for e in first_copies(entries):  # the copies of one report are said above
        for row in e.rows:
            if not row.is_dept:
                by_project[unit_key(row.project)].append((e, row))
    for found in by_project.values():
        if len({id(e) for e, _ in found}) > 1:
            where = "、".join(f"{e.unit}（{e.source.name}）" for e, _ in found)
            out.append(Finding(WARNING, "same_project", f"项目“{found[0][1].project}”出现在 {len(found)} 份报告中：{where}。",
                               "核对是否同一项目重复自评：同一项目只应由实施单位填报一次；不同项目请改用能区分的名称。",
                               tuple(e.source.name for e, _ in found)))
    return out


def _unit_list(entries: list[Entry], units: list[str]) -> list[Finding]:
    listed = {unit_key(u): u for u in units}
    reported = {unit_key(e.unit) for e in entries}
    out = []
    missing = [name for key, name in listed.items() if key not in reported]
    if missing:
        out.append(Finding(WARNING, "unit_missing", f"单位名单中有 {len(missing)} 个单位没有报告：{'、'.join(missing)}。",
                           "催报这些单位；已收到的请把报告文件放进汇总文件夹，或确认单位名称与名单一致。"))
    for e in entries:
        if unit_key(e.unit) not in listed:
            out.append(Finding(INFO, "unit_unlisted", f"“{e.unit}”不在单位名单中（{e.source.name}）。",
                               "核对报告中的单位名称是否与名单一致（全称、简称），或把该单位加入名单。", (e.source.name,)))
    return out


def unit_budget(entry: Entry) -> Optional[Decimal]:
    """A unit's 全年预算数: its department part's, else the sum of its projects'."""
    dept = [r.budget for r in entry.rows if r.is_dept and r.budget is not None]
    if dept:
        return dept[0]
    parts = [r.budget for r in entry.rows if r.budget is not None]
    return sum(parts, Decimal(0)) if parts else None


def _budget(entries: list[Entry], county: Decimal) -> list[Finding]:
    budgets = [b for b in (unit_budget(e) for e in first_copies(entries)) if b is not None]
    total = sum(budgets, Decimal(0))
    if total == county:
        return [Finding(INFO, "budget_total", f"各单位全年预算数合计 {_wan(total)}，与全县数一致。", "无需处理。")]
    diff = total - county
    return [Finding(WARNING, "budget_total",
                    f"各单位全年预算数合计 {_wan(total)}（{len(budgets)} 份报告），全县数为 {_wan(county)}，"
                    f"相差 {_wan(diff)}。", "核对是否有单位未报送或重复报送，以及各单位填写的全年预算数（调整后）。")]


def _outliers(entries: list[Entry]) -> list[Finding]:
    out = []
    for e in entries:
        for r in e.rows:
            if r.self_score is not None and r.self_score >= HIGH_SCORE and r.rate is not None and r.rate < LOW_RATE:
                out.append(Finding(WARNING, "high_score_low_rate",
                                   f"{e.unit}“{r.project}”自评分 {format_decimal(r.self_score)}，执行率只有 {format_decimal(r.rate)}%。",
                                   "审核时重点核对：资金执行不到六成，绩效目标是否真的全部完成。", (e.source.name,)))
            if r.full_marks_with_deviations:
                out.append(Finding(WARNING, "full_marks_with_deviations",
                                   f"{e.unit}“{r.project}”每项指标都是满分，却写了未完成原因分析。",
                                   "审核时核对：若有未完成的指标，应按完成程度扣分；若都已完成，未完成原因应为空。",
                                   (e.source.name,)))
    return out


def _overrides(entries: list[Entry]) -> list[Finding]:
    out = []
    for e in first_copies(entries):
        done = [r for r in e.rows if r.self_score is not None]
        hand = sum(r.overrides for r in done)
        if not hand:
            continue
        total = sum((r.self_score for r in done), Decimal(0))
        rule = sum((r.rule_score for r in done), Decimal(0))
        if total == rule:
            continue
        parts = "、".join(f"{r.project} {format_decimal(r.self_score)}（按规则 {format_decimal(r.rule_score)}）"
                         for r in done if r.self_score != r.rule_score)
        out.append(Finding(INFO, "overrides", f"{e.unit}有 {hand} 项人工评分，自评分与按规则得分不同：{parts}。",
                           "审核时逐项看人工评分的理由（报告的“评分说明”附表）。", (e.source.name,)))
    return out
