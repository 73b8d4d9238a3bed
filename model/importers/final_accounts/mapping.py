"""Figures → report fields: which table supplies which field, and the rules for derived ones.

Each entry of ``figures(fa)`` is (unit field or finance path, label, value,
the cells it came from).  The cells give the preview its 来源 and the report
its ``source_precision`` (the sum of their half units: 基本支出 − 机关运行经费
is as exact as both together).  The rules are in the package doc; 上年 figures
go to ``finance.prior`` only from tables that print a 上年 column.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from ...field_labels import PRIOR
from ...money import format_amount
from ..common import INFO, WARNING, ImportProblem
from .figures import Fig, FinalAccounts, agency_operating, total
from .text import EXPENDITURE, FISCAL, INCOME, INFO_TABLE, OVERVIEW, THREE_PUBLIC
from .three_public import KINDS

Entry = tuple[str, str, Any, list[Fig]]

UNIT_FIELD_LABELS = {
    "carryover_begin": "年初结转和结余", "general_budget": "一般公共预算财政拨款收入",
    "fund_budget": "政府性基金预算财政拨款收入", "state_capital_budget": "国有资本经营预算财政拨款收入",
    "higher_subsidy": "上级补助收入", "service_income": "事业收入", "business_income": "经营收入",
    "affiliate_remittance": "附属单位上缴收入", "other_income": "其他收入",
    "personnel": "基本支出：人员经费", "operating": "基本支出：公用经费", "project_expenditure": "项目支出",
    "remit_higher": "上缴上级支出", "business_expenditure": "经营支出", "affiliate_subsidy": "对附属单位补助支出",
    "carryover_end": "年末结转和结余",
}
TP_LABELS = {"overseas_travel": "因公出国（境）费", "vehicle_purchase": "公务用车购置费",
             "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
_OTHER_SOURCES = ("higher_subsidy", "service_income", "business_income", "affiliate_remittance", "other_income")
_FISCAL_SPLIT = (("general_budget", "general"), ("fund_budget", "fund"), ("state_capital_budget", "state"))


def _figs(*found: Optional[Fig]) -> list[Fig]:
    return [f for f in found if f is not None]


def figures(fa: FinalAccounts) -> tuple[list[Entry], list[ImportProblem]]:
    """Every field the tables supply, with its cells, plus notes on how derived ones were made."""
    out: list[Entry] = []
    notes: list[ImportProblem] = []

    def note(severity, fig: Optional[Fig], message):
        notes.append(ImportProblem(severity, fig.table.sheet.name if fig else "",
                                   fig.table.cell(fig.r, fig.c) if fig else "", message))

    def unit(key: str, found: list[Fig], amount=None):
        out.append((f"unit.{key}", UNIT_FIELD_LABELS[key],
                    amount if amount is not None or len(found) != 1 else found[0].value, found))

    def fig_entry(path: str, label: str, fig: Optional[Fig]):
        out.append((path, label, fig.value if fig else None, _figs(fig)))

    t = fa.tables
    _income(fa, unit, note)
    basic = None
    if EXPENDITURE in t:
        basic = fa.expenditure["basic"]
        unit("project_expenditure", _figs(fa.expenditure.get("project")))
        for key in ("remit_higher", "business_expenditure", "affiliate_subsidy"):
            if key in fa.expenditure:
                unit(key, [fa.expenditure[key]])
    elif OVERVIEW in t and "basic" in fa.overview_expense:
        basic = fa.overview_expense["basic"]
        for key, src in (("project_expenditure", "project"), ("remit_higher", "remit_higher"),
                         ("business_expenditure", "business_expenditure"), ("affiliate_subsidy", "affiliate_subsidy")):
            if src in fa.overview_expense:
                unit(key, [fa.overview_expense[src]])
    if basic is not None:
        (personnel, p_figs), (operating, o_figs) = _split_basic(fa, basic, note)
        unit("personnel", p_figs, personnel)
        unit("operating", o_figs, operating)
    if OVERVIEW in t:
        for key, figs in (("carryover_begin", fa.overview_income), ("carryover_end", fa.overview_expense)):
            if key in figs:
                unit(key, [figs[key]])
    if EXPENDITURE in t:
        out.append(("finance.functional_rows", "支出功能分类科目（支出决算表）", fa.functional_rows,
                    [f for figs in fa.functional_figs for f in figs.values()]))
    _fiscal_expenditure(fa, fig_entry)
    if THREE_PUBLIC in t:
        for kind in KINDS:
            fig_entry(f"unit.three_public.{kind}", f"三公经费决算：{TP_LABELS[kind]}", fa.three_public.get(kind))
        if fa.three_public_budget:
            for kind in KINDS:
                fig_entry(f"finance.three_public_budget.{kind}", f"三公经费预算：{TP_LABELS[kind]}",
                          fa.three_public_budget.get(kind))
    _prior(fa, fig_entry)
    if INFO_TABLE in t:
        if fa.procurement:  # a kind without its row is not bought: empty
            for key, label in (("goods", "政府采购：货物"), ("works", "政府采购：工程"), ("services", "政府采购：服务")):
                fig_entry(f"finance.procurement_{key}", label, fa.procurement.get(key))
        if fa.agency_operating or fa.agency_operating_total:
            out.append(("finance.agency_operating", "机关运行经费", agency_operating(fa),
                        fa.agency_operating or _figs(fa.agency_operating_total)))
        vehicles = _vehicles(fa, note)
        if vehicles is not False:
            out.append(("finance.vehicles", "车辆数（辆）", vehicles[0], vehicles[1]))
    return out, notes


def _income(fa: FinalAccounts, unit, note) -> None:
    """Income by source: the 财政拨款 split (公开04表, else 总表, else all 财政拨款 as 一般公共预算), the rest."""
    t = fa.tables
    if FISCAL in t and any(k in fa.fiscal_income for k in ("general", "fund", "state")):
        for key, src in _FISCAL_SPLIT:
            unit(key, _figs(fa.fiscal_income.get(src)))
    elif OVERVIEW in t and any(k in fa.overview_income for k, _ in _FISCAL_SPLIT):
        for key, _ in _FISCAL_SPLIT:
            unit(key, _figs(fa.overview_income.get(key)))
    elif INCOME in t and "fiscal_total" in fa.income:
        fiscal = fa.income["fiscal_total"]
        unit("general_budget", [fiscal])
        unit("fund_budget", [])
        unit("state_capital_budget", [])
        note(INFO, fiscal, "没有找到财政拨款的分项（一般公共预算/政府性基金/国有资本经营），"
             "收入决算表中的财政拨款收入全部按一般公共预算财政拨款导入，请核对。")
    for key in _OTHER_SOURCES:
        if INCOME in t and key in fa.income:
            unit(key, [fa.income[key]])
        elif OVERVIEW in t and INCOME not in t:
            unit(key, _figs(fa.overview_income.get(key)))


def _fiscal_expenditure(fa: FinalAccounts, fig_entry) -> None:
    """财政拨款支出 (公开04表 本年支出合计, 合计 column) and 一般公共预算财政拨款支出 (its column, else 公开05表)."""
    spent = fa.fiscal_expense.get("expense_total", {})
    if spent.get("total") is not None:
        fig_entry("finance.fiscal_expenditure", "财政拨款支出", spent["total"])
    general = spent.get("general") or fa.general.get("total")
    if general is not None:
        fig_entry("finance.general_expenditure", "一般公共预算财政拨款支出", general)


def _prior(fa: FinalAccounts, fig_entry) -> None:
    """上年 figures where a table prints a 上年 column."""
    def prior(key: str, fig: Optional[Fig]):
        if fig is not None:
            fig_entry(f"finance.prior.{key}", PRIOR[key], fig)
            done.add(key)

    done: set[str] = set()
    pi, pe = fa.prior_income, fa.prior_expense
    prior("income_total", pi.get("income_total"))
    prior("expenditure_total", pe.get("expenditure_total"))
    prior("carryover_end", pe.get("carryover_end"))
    prior("basic_expenditure", pe.get("basic"))
    prior("project_expenditure", pe.get("project"))
    prior("fiscal_income", fa.prior_fiscal_income.get("income_total"))
    if "general_budget" not in done:
        prior("general_budget", fa.prior_fiscal_income.get("general") or pi.get("general_budget"))
    spent = fa.prior_fiscal_expense.get("expense_total", {})
    prior("fiscal_expenditure", spent.get("total"))
    prior("general_expenditure", spent.get("general"))
    for kind in KINDS:
        if kind in fa.three_public_prior:
            fig_entry(f"finance.prior.three_public.{kind}", f"上年三公经费决算：{TP_LABELS[kind]}",
                      fa.three_public_prior[kind])


Split = tuple[Optional[Decimal], list[Fig]]


def _split_basic(fa: FinalAccounts, basic: Fig, note) -> tuple[Split, Split]:
    """基本支出 → (人员经费, 公用经费), each with the cells it comes from; the rule is in the package doc."""
    whole = basic.value
    if whole is None:
        return (None, [basic]), (None, [basic])
    p_basic, o_basic = fa.detail.get("personnel_basic"), fa.detail.get("operating_basic")
    if p_basic is not None and o_basic is not None and p_basic.value is not None:
        parts = total(p_basic.value, o_basic.value)
        if parts == whole:
            return (p_basic.value, [p_basic]), (o_basic.value, [o_basic])
        note(INFO, p_basic, f"{p_basic.table.name}中人员经费与公用经费的基本支出之和 {format_amount(parts)} 元"
             f"与支出决算表的基本支出 {format_amount(whole)} 元不同（其余基本支出来自其他资金），未用于拆分。")
    agency = agency_operating(fa)
    if agency is not None:
        agency_figs = fa.agency_operating or _figs(fa.agency_operating_total)
        if agency > whole:
            note(WARNING, agency_figs[0], f"机关运行经费 {format_amount(agency)} 元大于基本支出 {format_amount(whole)} 元，"
                 "无法据此拆分人员经费和公用经费：基本支出全部计入人员经费，请手工拆分。")
            return (whole, [basic]), (None, [])
        note(INFO, agency_figs[0], f"基本支出 {format_amount(whole)} 元按机关运行经费拆分：公用经费 = 机关运行经费 "
             f"{format_amount(agency)} 元，人员经费 = 基本支出 − 机关运行经费 = {format_amount(whole - agency)} 元。"
             "如单位另有公用经费数据，请在收支情况中修改。")
        return (whole - agency, [basic, *agency_figs]), (agency, agency_figs)
    note(WARNING, basic, f"决算表没有给出基本支出中人员经费和公用经费的拆分，基本支出 {format_amount(whole)} 元"
         "已全部计入人员经费。请在收支情况中按单位账务把公用经费拆分出来。")
    return (whole, [basic]), (None, [])


def _vehicles(fa: FinalAccounts, note):
    """车辆数 and its cells: the 合计 row, else the sum of the kinds; False when the table has no 车辆 rows."""
    kinds = [f for f in fa.vehicle_kinds if f.value is not None]
    kind_sum = sum(f.value for f in kinds) if kinds else None
    whole = fa.vehicles_total
    if whole is not None and whole.value is not None:
        if kind_sum is not None and kind_sum != whole.value:
            note(WARNING, whole, f"{whole.place}的车辆数合计 {whole.value} 辆与各类用车之和 {kind_sum} 辆不一致，"
                 "已按合计导入，请核对。")
        return whole.value, [whole]
    if whole is not None or fa.vehicle_kinds:
        return kind_sum, kinds
    return False
