"""Derived metrics: rates computed from the finance data, each with its formula.

Values are percentages (97.43 means 97.43 %), unrounded; display rounds.

Convention for division by zero (also shown to the clerk in 指标解释):
- 0 / 0 = 0 % for change and control rates (no change from zero, nothing spent
  of nothing budgeted), and 100 % for execution and utilisation rates (nothing
  planned and nothing left undone) — each metric states which;
- x / 0 with x ≠ 0 cannot be computed: the metric is empty with a reason, and
  the indicator then takes a typed value or a score set by hand with a reason;
- where 0 / 0 means the department has none of the thing (no project spending for
  重点支出安排率) the metric is empty and ``not_applicable``: an indicator whose
  template scores “不适用” full (or drops it) takes that, any other asks for a value.
A metric whose inputs are not filled is empty with the list of what is missing.

Some rates are computed on either of two bases (三公经费变动率 on 决算数 or on 预算数,
预算执行率 on 全年预算数 or 年初预算数): a template chooses with ``metric_base``, which
names another metric (``Metric.bases``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Optional

from .money import UNIT_LABELS, format_amount, format_percent
from .report import Report

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class MetricValue:
    value: Optional[Decimal]
    detail: str  # the formula with the numbers filled in, or why it is empty
    not_applicable: bool = False  # empty because the department has none of it (0 / 0 of that kind)


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    formula: str
    compute: Callable[[Report], MetricValue]
    base: str = ""  # what it is computed on (BASES), when a template may choose another base
    bases: tuple[tuple[str, str], ...] = ()  # (base, id of the metric computing this rate on it)

    def on(self, base: str) -> Optional[str]:
        """The id of this rate computed on ``base`` (None: no such base)."""
        if base == self.base:
            return self.id
        return dict(self.bases).get(base)


BASES = {"final": "决算数", "budget": "预算数", "annual": "全年预算数", "initial": "年初预算数"}
NOT_APPLICABLE = object()  # zero_zero of a ratio whose 0 / 0 means the department has none


class _Terms:
    """Named inputs of one formula, formatted in the report's display unit."""

    def __init__(self, report: Report):
        self.unit = report.display_unit
        self.missing: list[str] = []

    def need(self, label: str, value):
        if value is None:
            self.missing.append(label)
        return value

    def money(self, value: Decimal) -> str:
        return f"{format_amount(value, self.unit)}{UNIT_LABELS[self.unit]}"

    def empty(self) -> MetricValue:
        return MetricValue(None, "缺少：" + "、".join(self.missing))


def _ratio(num, den, shown_num: str, shown_den: str, zero_zero=Decimal(0)) -> MetricValue:
    if den == 0:
        if num == 0 and zero_zero is NOT_APPLICABLE:
            return MetricValue(None, f"{shown_num} / {shown_den}，分子分母均为 0，本部门没有该项，按不适用处理", True)
        if num == 0:
            return MetricValue(zero_zero, f"{shown_num} / {shown_den}，分子分母均为 0，按 {zero_zero}% 计")
        return MetricValue(None, f"{shown_num} / {shown_den}，分母为 0，无法计算")
    value = Decimal(num) / Decimal(den) * HUNDRED
    return MetricValue(value, f"{shown_num} / {shown_den} = {format_percent(value)}")


def _change(cur, prev, shown_cur: str, shown_prev: str) -> MetricValue:
    if prev == 0:
        if cur == 0:
            return MetricValue(Decimal(0), f"本年 {shown_cur}，上年 {shown_prev}，均为 0，变动率按 0% 计")
        return MetricValue(None, f"本年 {shown_cur}，上年为 0，变动率无法计算")
    value = (Decimal(cur) - Decimal(prev)) / Decimal(prev) * HUNDRED
    return MetricValue(value, f"({shown_cur} − {shown_prev}) / {shown_prev} = {format_percent(value)}")


def _money_ratio(num_label, num_fn, den_label, den_fn, zero_zero=Decimal(0)):
    def compute(r: Report) -> MetricValue:
        t = _Terms(r)
        num, den = t.need(num_label, num_fn(r)), t.need(den_label, den_fn(r))
        if t.missing:
            return t.empty()
        return _ratio(num, den, t.money(num), t.money(den), zero_zero)
    return compute


def _money_change(label, cur_fn, prev_fn):
    def compute(r: Report) -> MetricValue:
        t = _Terms(r)
        cur, prev = t.need(f"本年{label}", cur_fn(r)), t.need(f"上年{label}", prev_fn(r))
        if t.missing:
            return t.empty()
        return _change(cur, prev, t.money(cur), t.money(prev))
    return compute


def _staff_control(r: Report) -> MetricValue:
    t = _Terms(r)
    actual = t.need("实有在职人数", r.basic.actual_staff)
    authorized = t.need("编制数", r.basic.authorized_staff)
    if t.missing:
        return t.empty()
    return _ratio(actual, authorized, f"{actual}人", f"{authorized}人")


def _per_capita_operating_change(r: Report) -> MetricValue:
    t = _Terms(r)
    f = r.finance
    cur_op, cur_n = t.need("本年公用经费", f.summary.operating), t.need("本年实有人数", r.basic.actual_staff)
    prev_op, prev_n = t.need("上年公用经费", f.prior.operating), t.need("上年实有人数", f.prior.actual_staff)
    if t.missing:
        return t.empty()
    if not cur_n or not prev_n:
        return MetricValue(None, "人数为 0，人均公用经费无法计算")
    cur, prev = Decimal(cur_op) / cur_n, Decimal(prev_op) / prev_n
    return _change(cur, prev, f"{t.money(cur)}/人", f"{t.money(prev)}/人")


def _spent(r: Report):
    return r.finance.summary.expenditure_total


def _completion_base(r: Report):
    """上年结转 + 年初预算 + 本年追加 (= 年初结转和结余 + 全年预算数)."""
    begin, budget = r.finance.summary.carryover_begin, r.finance.annual_budget
    return None if begin is None or budget is None else begin + budget


def _completed(r: Report):
    """预算完成数 = 上年结转 + 年初预算 + 本年追加 − 年末结余."""
    base, end = _completion_base(r), r.finance.summary.carryover_end
    return None if base is None or end is None else base - end


def _saving(r: Report):
    budget, spent = r.finance.annual_budget, _spent(r)
    return None if budget is None or spent is None else budget - spent


METRICS: dict[str, Metric] = {m.id: m for m in (
    Metric("budget_execution_rate", "预算执行率", "预算执行率 = 支出决算数 / 全年预算数 × 100%",
           _money_ratio("支出合计", _spent, "全年预算数", lambda r: r.finance.annual_budget, HUNDRED),
           "annual", (("initial", "budget_execution_rate_initial"),)),
    Metric("budget_execution_rate_initial", "预算执行率（按年初预算）", "预算执行率 = 支出决算数 / 年初预算数 × 100%",
           _money_ratio("支出合计", _spent, "年初预算数", lambda r: r.finance.initial_budget, HUNDRED)),
    Metric("budget_completion_rate", "预算完成率",
           "预算完成率 = (上年结转 + 年初预算 + 本年追加预算 − 年末结余) / (上年结转 + 年初预算 + 本年追加预算) × 100%",
           _money_ratio("预算完成数", _completed, "上年结转与全年预算数之和", _completion_base, HUNDRED)),
    Metric("budget_control_rate", "预算控制率", "预算控制率 = 本年追加预算 / 年初预算 × 100%",
           _money_ratio("本年追加预算", lambda r: r.finance.budget_adjustment, "年初预算数",
                        lambda r: r.finance.initial_budget)),
    Metric("budget_adjustment_rate", "预算调整率", "预算调整率 = 预算调整数 / 全年预算数 × 100%",
           _money_ratio("预算调整数", lambda r: r.finance.budget_adjustment, "全年预算数", lambda r: r.finance.annual_budget)),
    Metric("carryover_rate", "结转结余率", "结转结余率 = 年末结转和结余 / 全年预算数 × 100%",
           _money_ratio("年末结转和结余", lambda r: r.finance.summary.carryover_end, "全年预算数", lambda r: r.finance.annual_budget)),
    Metric("carryover_change_rate", "结转结余变动率",
           "结转结余变动率 = (本年末结转结余 − 上年末结转结余) / 上年末结转结余 × 100%",
           _money_change("年末结转和结余", lambda r: r.finance.summary.carryover_end, lambda r: r.finance.prior.carryover_end)),
    Metric("staff_control_rate", "在职人员控制率", "在职人员控制率 = 实有在职人数 / 编制数 × 100%", _staff_control),
    Metric("three_public_change_rate", "“三公经费”变动率",
           "“三公经费”变动率 = (本年三公经费决算 − 上年三公经费决算) / 上年三公经费决算 × 100%",
           _money_change("三公经费", lambda r: r.finance.summary.three_public.total, lambda r: r.finance.prior.three_public.total),
           "final", (("budget", "three_public_budget_change_rate"),)),
    Metric("three_public_budget_change_rate", "“三公经费”预算变动率",
           "“三公经费”预算变动率 = (本年三公经费预算 − 上年三公经费预算) / 上年三公经费预算 × 100%",
           _money_change("三公经费预算", lambda r: r.finance.three_public_budget.total,
                         lambda r: r.finance.prior.three_public_budget.total)),
    Metric("three_public_control_rate", "“三公经费”控制率", "“三公经费”控制率 = 三公经费决算数 / 三公经费预算数 × 100%",
           _money_ratio("三公经费决算数", lambda r: r.finance.summary.three_public.total,
                        "三公经费预算数", lambda r: r.finance.three_public_budget.total)),
    Metric("operating_control_rate", "公用经费控制率", "公用经费控制率 = 公用经费决算数 / 公用经费预算数 × 100%",
           _money_ratio("公用经费决算数", lambda r: r.finance.summary.operating, "公用经费预算数", lambda r: r.finance.operating_budget)),
    Metric("per_capita_operating_change_rate", "人均公用经费变动率",
           "人均公用经费变动率 = (本年人均公用经费 − 上年人均公用经费) / 上年人均公用经费 × 100%；人均公用经费 = 公用经费 / 实有人数",
           _per_capita_operating_change),
    Metric("cost_saving_rate", "成本节约率", "成本节约率 = (全年预算数 − 支出决算数) / 全年预算数 × 100%",
           _money_ratio("成本节约额", _saving, "全年预算数", lambda r: r.finance.annual_budget)),
    Metric("procurement_execution_rate", "政府采购执行率", "政府采购执行率 = 实际政府采购金额 / 政府采购预算数 × 100%",
           _money_ratio("实际政府采购金额", lambda r: r.finance.procurement_total, "政府采购预算数",
                        lambda r: r.finance.procurement_budget, HUNDRED)),
    Metric("fixed_asset_utilization_rate", "固定资产利用率", "固定资产利用率 = 在用固定资产 / 固定资产总额 × 100%",
           _money_ratio("在用固定资产", lambda r: r.finance.summary.assets_in_use, "固定资产总额",
                        lambda r: r.finance.summary.assets_total, HUNDRED)),
    Metric("in_service_personnel_change_rate", "在职人员经费变动率",
           "在职人员经费变动率 = (本年在职人员经费 − 上年) / 上年 × 100%",
           _money_change("在职人员经费", lambda r: r.finance.in_service_personnel, lambda r: r.finance.prior.in_service_personnel)),
    Metric("retiree_personnel_change_rate", "离退休人员经费变动率",
           "离退休人员经费变动率 = (本年离退休人员经费 − 上年) / 上年 × 100%",
           _money_change("离退休人员经费", lambda r: r.finance.retiree_personnel, lambda r: r.finance.prior.retiree_personnel)),
    Metric("frugality_change_rate", "厉行节约支出变动率", "厉行节约支出变动率 = (本年厉行节约支出 − 上年) / 上年 × 100%",
           _money_change("厉行节约支出", lambda r: r.finance.frugality, lambda r: r.finance.prior.frugality)),
    Metric("agency_operating_change_rate", "机关运行经费变动率", "机关运行经费变动率 = (本年机关运行经费 − 上年) / 上年 × 100%",
           _money_change("机关运行经费", lambda r: r.finance.agency_operating, lambda r: r.finance.prior.agency_operating)),
    Metric("key_expenditure_rate", "重点支出安排率", "重点支出安排率 = 重点项目支出 / 项目支出总额 × 100%",
           _money_ratio("重点项目支出", lambda r: r.finance.key_project_expenditure,
                        "项目支出总额", lambda r: r.finance.summary.project_expenditure, NOT_APPLICABLE)),
)}


def compute_all(report: Report) -> dict[str, MetricValue]:
    return {mid: m.compute(report) for mid, m in METRICS.items()}
