"""Sums the 决算 tables themselves must satisfy (总表 balance, 合计 = its parts, the same figure in two tables).

Every printed figure is rounded to its last digit, so a sum may differ from its
printed total by up to half a unit per cell: the tolerance of a check is the
sum of ``Fig.half_unit`` over every cell it adds up or compares (5 parts and a
total in a 万元 table with 2 decimals: 6 × 50 元).  Within it and not zero: a
提示 that names the precision (“金额单位为万元、保留两位小数 … 属于取整尾差”).
Beyond it: a 警告 saying where and what to do.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from ...money import format_amount
from ..common import INFO, WARNING, ImportProblem
from .figures import Fig, FinalAccounts, agency_operating, total

_PLACES = {0: "取整到元", 1: "保留一位小数", 2: "保留两位小数", 3: "保留三位小数", 4: "保留四位小数"}


def _yuan(value: Optional[Decimal]) -> str:
    return format_amount(value, blank="0.00")


def precision_text(figs: list[Fig]) -> str:
    """How the coarsest of ``figs`` is printed: 金额单位为万元、保留两位小数."""
    coarsest = max(figs, key=lambda f: f.half_unit)
    places = coarsest.table.places(coarsest.r, coarsest.c)
    kept = _PLACES.get(places, f"保留 {places} 位小数")
    if places == 0 and coarsest.table.unit == "万元":
        kept = "取整到万元"
    return f"金额单位为{coarsest.table.unit}、{kept}"


class _Checker:
    def __init__(self):
        self.problems: list[ImportProblem] = []

    def __call__(self, figs: list[Fig], expected: Optional[Decimal], actual: Optional[Decimal], message: str):
        """``figs``: every cell the comparison adds up or compares, the first one named in the message."""
        figs = [f for f in figs if f is not None]
        if (expected is None and actual is None) or not figs:
            return
        diff = abs((expected or Decimal(0)) - (actual or Decimal(0)))
        if not diff:
            return
        limit = sum((f.half_unit for f in figs), Decimal(0))
        f = figs[0]
        if diff <= limit:
            self.problems.append(ImportProblem(
                INFO, f.table.sheet.name, f.table.cell(f.r, f.c),
                f"{message}（相差 {_yuan(diff)} 元）：决算表{precision_text(figs)}，这 {len(figs)} 个数的取整尾差"
                f"合计最多 {_yuan(limit)} 元，相差在此范围内，属于取整尾差，不必修改。"))
        else:
            self.problems.append(ImportProblem(
                WARNING, f.table.sheet.name, f.table.cell(f.r, f.c),
                f"{message}（相差 {_yuan(diff)} 元）。请核对决算表，如确有错误请向财政部门确认后在报告中修改。"))


def _total_of(check, figs: dict[str, Fig], total_key: str, keys: tuple, name: str, parts: str,
              overview: dict[str, Fig], overview_key: str):
    """A table's total against the sum of its parts, and against the same total in 总表."""
    whole = figs.get(total_key)
    if whole is None or whole.value is None:
        return
    present = [figs[k] for k in keys if k in figs]
    s = total(*(p.value for p in present))
    if present:
        check([whole, *present], whole.value, s,
              f"{whole.place}的{name} {_yuan(whole.value)} 元不等于{parts} {_yuan(s)} 元")
    if overview_key in overview:
        o = overview[overview_key]
        check([o, whole], o.value, whole.value, f"{o.place}的{name} {_yuan(o.value)} 元与{whole.place}的 "
              f"{_yuan(whole.value)} 元不一致")


def cross_checks(fa: FinalAccounts) -> list[ImportProblem]:
    """Each failure is a 警告 saying where; a rounding tail is a 提示 (module doc)."""
    check = _Checker()
    oi, oe = fa.overview_income, fa.overview_expense
    _total_of(check, oi, "income_total", ("general_budget", "fund_budget", "state_capital_budget", "higher_subsidy",
                                          "service_income", "business_income", "affiliate_remittance", "other_income"),
              "本年收入合计", "各项收入之和", {}, "")
    _total_of(check, fa.income, "income_total", ("fiscal_total", "higher_subsidy", "service_income", "business_income",
                                                 "affiliate_remittance", "other_income"),
              "本年收入合计", "财政拨款收入与其他各项收入之和", oi, "income_total")
    _overview_balance(check, fa)
    _total_of(check, fa.expenditure, "total", ("basic", "project", "remit_higher", "business_expenditure",
                                               "affiliate_subsidy"),
              "本年支出合计", "基本支出、项目支出等各项之和", oe, "expenditure_total")
    _fiscal(check, fa)
    _three_public_and_info(check, fa)
    return check.problems


def _overview_balance(check, fa: FinalAccounts) -> None:
    oi, oe = fa.overview_income, fa.overview_expense
    if "grand_total" in oi and "grand_total" in oe:
        a, b = oi["grand_total"], oe["grand_total"]
        check([a, b], a.value, b.value, f"{a.place}的收入总计 {_yuan(a.value)} 元不等于{b.place}的支出总计 {_yuan(b.value)} 元")
    for figs, keys, text in (
            (oi, ("income_total", "nonfiscal_used", "carryover_begin"), "本年收入合计、使用非财政拨款结余与年初结转和结余之和"),
            (oe, ("expenditure_total", "surplus_distribution", "carryover_end"), "本年支出合计、结余分配与年末结转和结余之和")):
        if "grand_total" in figs and any(k in figs for k in keys):
            whole, present = figs["grand_total"], [figs[k] for k in keys if k in figs]
            s = total(*(p.value for p in present))
            check([whole, *present], whole.value, s, f"{whole.place}的总计 {_yuan(whole.value)} 元不等于{text} {_yuan(s)} 元")
    if "carryover_end" in oe and ("carryover_begin" in oi or "income_total" in oi):
        plus = [oi[k] for k in ("carryover_begin", "income_total", "nonfiscal_used") if k in oi]
        minus = [oe[k] for k in ("expenditure_total", "surplus_distribution") if k in oe]
        expected = sum((f.value or 0 for f in plus), Decimal(0)) - sum((f.value or 0 for f in minus), Decimal(0))
        end = oe["carryover_end"]
        check([end, *plus, *minus], end.value, expected, f"{end.place}的年末结转和结余 {_yuan(end.value)} 元不等于"
              f"年初结转和结余 + 本年收入合计 − 本年支出合计 = {_yuan(expected)} 元")


def _fiscal(check, fa: FinalAccounts) -> None:
    fi, inc = fa.fiscal_income, fa.income
    split = [fi[k] for k in ("general", "fund", "state") if k in fi]
    if "fiscal_total" in inc and split:
        s = total(*(f.value for f in split))
        f = inc["fiscal_total"]
        check([f, *split], f.value, s, f"{f.place}的财政拨款收入 {_yuan(f.value)} 元不等于"
              f"财政拨款收入支出决算总表中三项财政拨款之和 {_yuan(s)} 元")
    spent_by = fa.fiscal_expense.get("expense_total", {})
    spent, gen = spent_by.get("general"), fa.general.get("total")
    if spent is not None and gen is not None:
        check([spent, gen], spent.value, gen.value, f"{spent.place}的一般公共预算财政拨款支出 {_yuan(spent.value)} 元"
              f"不等于{gen.place}一般公共预算财政拨款支出决算表的合计 {_yuan(gen.value)} 元")
    if gen is not None and gen.value is not None and "basic" in fa.general:
        parts = [fa.general[k] for k in ("basic", "project") if k in fa.general]
        s = total(*(p.value for p in parts))
        check([gen, *parts], gen.value, s, f"{gen.place}的合计 {_yuan(gen.value)} 元不等于基本支出与项目支出之和 {_yuan(s)} 元")
    for figs, key, other, text in ((fa.fund, "income", fi.get("fund"), "政府性基金预算财政拨款收入"),
                                   (fa.fund, "expense", spent_by.get("fund"), "政府性基金预算财政拨款支出"),
                                   (fa.state_capital, "expense", spent_by.get("state"), "国有资本经营预算财政拨款支出")):
        mine = figs.get(key)
        if mine is not None and other is not None:
            check([mine, other], mine.value, other.value, f"{mine.place}的{text} {_yuan(mine.value)} 元"
                  f"与{other.place}的 {_yuan(other.value)} 元不一致")
    if "grand_total" in fi and "grand_total" in fa.fiscal_expense:
        a = fi["grand_total"]
        b = fa.fiscal_expense["grand_total"].get("total") or fa.fiscal_expense["grand_total"].get("general")
        if b is not None:
            check([a, b], a.value, b.value, f"{a.place}的收入总计 {_yuan(a.value)} 元不等于{b.place}的总计 {_yuan(b.value)} 元")


def _three_public_and_info(check, fa: FinalAccounts) -> None:
    for side, kinds, name in (("final", fa.three_public, "决算数"), ("budget", fa.three_public_budget, "预算数"),
                              ("prior", fa.three_public_prior, "上年决算数")):
        totals = [f for f in fa.three_public_totals.get(side, []) if f.value is not None]
        if totals:
            grand = max(totals, key=lambda f: f.value)
            s = total(*(f.value for f in kinds.values()))
            check([grand, *kinds.values()], grand.value, s, f"{grand.place}的三公经费{name}合计 {_yuan(grand.value)} 元"
                  f"不等于各分项之和 {_yuan(s)} 元")
    whole = fa.agency_operating_total
    if fa.agency_operating and whole is not None and whole.value is not None:
        s = agency_operating(fa)
        check([whole, *fa.agency_operating], whole.value, s, f"{whole.place}的机关运行经费 {_yuan(whole.value)} 元"
              f"不等于行政单位与参公单位之和 {_yuan(s)} 元")
    pr = fa.procurement
    if pr.get("total") and pr["total"].value is not None:
        parts = [pr[k] for k in ("goods", "works", "services") if k in pr]
        s = total(*(p.value for p in parts))
        check([pr["total"], *parts], pr["total"].value, s, f"{pr['total'].place}的政府采购合计 "
              f"{_yuan(pr['total'].value)} 元不等于货物、工程、服务之和 {_yuan(s)} 元")
