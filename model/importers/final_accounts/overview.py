"""The two-sided totals tables: 收入支出决算总表 (公开01表) and 财政拨款收入支出决算总表 (公开04表).

Both print 收入 ‖ 支出 side by side (or, some provinces, one above the other
in one column).  Each side is a 项目 column, perhaps a 行次 column, and its
amount columns; an amount column is this year's 决算 (“决算数”, “金额”, 合计 /
一般公共预算财政拨款 … in 公开04表), a 上年 figure (“上年决算数”, a 上年 group)
or a budget (预算数) by its header words (``figures.column_role``).  上年
columns are read into ``prior_*``; a row with money whose label is not a
known 收入/支出 line is a 警告, never dropped silently.
"""
from __future__ import annotations

from ...money import format_amount
from ..common import WARNING
from .figures import BUDGET, CURRENT, PRIOR, Fig, FinalAccounts, column_role, layout_error
from .tables import Table
from .text import label_of


def blocks(table: Table, what: str = "") -> list[dict]:
    """Split a 收入 ‖ 支出 table into its sides at the 项目 columns; amount columns by role.

    A side without a column of this year's figures stops the import (``what`` names the column looked for)."""
    ncols = table.ncols()
    label_cols = [c for c in range(ncols) if "项目" in table.header_parts(c)
                  and (c == 0 or "项目" not in table.header_parts(c - 1))]
    if not label_cols:
        label_cols = [0]
    out = []
    for i, lc in enumerate(label_cols):
        end = label_cols[i + 1] if i + 1 < len(label_cols) else ncols
        heads = " ".join(table.header(c) for c in range(lc, end))
        side = "income" if "收入" in heads and "支出" not in table.header(lc) else (
            "expense" if "支出" in heads else ("income" if i == 0 else "expense"))
        block = {"side": side, "label": lc, CURRENT: [], PRIOR: [], BUDGET: []}
        table.use(lc)
        for c in range(lc + 1, end):
            parts = table.header_parts(c)
            if "行次" in parts:
                table.use(c)
            elif parts and "项目" not in parts:
                block[column_role(parts)].append(c)
        # 决算数 / 金额 before other current columns (a 合计 column in 公开04表 comes first anyway)
        block[CURRENT].sort(key=lambda c: 0 if "决算" in table.header(c) or "金额" in table.header(c) else 1)
        out.append(block)
    if len(out) == 2 and out[0]["side"] == out[1]["side"]:
        out[0]["side"], out[1]["side"] = "income", "expense"
    for b in out:
        if not b[CURRENT]:
            side = "收入" if b["side"] == "income" else "支出"
            raise layout_error(table, f"“{side}”部分的金额列{what}", c=b["label"])
    return out


_OVERVIEW_INCOME = {
    "一般公共预算财政拨款收入": "general_budget", "一般公共预算财政拨款": "general_budget",
    "公共财政预算财政拨款收入": "general_budget",
    "政府性基金预算财政拨款收入": "fund_budget", "政府性基金预算财政拨款": "fund_budget",
    "国有资本经营预算财政拨款收入": "state_capital_budget", "国有资本经营预算财政拨款": "state_capital_budget",
    "财政拨款收入": "fiscal_total",
    "上级补助收入": "higher_subsidy", "事业收入": "service_income", "经营收入": "business_income",
    "附属单位上缴收入": "affiliate_remittance", "其他收入": "other_income",
    "本年收入合计": "income_total", "收入合计": "income_total",
    "使用非财政拨款结余": "nonfiscal_used", "使用非财政拨款结余(含专用结余)": "nonfiscal_used",
    "用事业基金弥补收支差额": "nonfiscal_used",
    "年初结转和结余": "carryover_begin", "上年结转和结余": "carryover_begin",
    "总计": "grand_total", "收入总计": "grand_total",
}
_OVERVIEW_EXPENSE = {
    "本年支出合计": "expenditure_total", "支出合计": "expenditure_total",
    "结余分配": "surplus_distribution",
    "年末结转和结余": "carryover_end",
    "总计": "grand_total", "支出总计": "grand_total",
    "基本支出": "basic", "项目支出": "project", "上缴上级支出": "remit_higher",
    "经营支出": "business_expenditure", "对附属单位补助支出": "affiliate_subsidy",
}


def read_overview(table: Table, fa: FinalAccounts) -> None:
    sides = blocks(table, "（“决算数”或“金额”）")
    for b in sides:
        table.use(b[CURRENT][0], *b[PRIOR][:1])
    single = len(sides) == 1  # 收入 above 支出 in one column: each label says its side
    for r in table.data_rows():
        for b in sides:
            lab = label_of(table.raw(r, b["label"]))
            if not lab:
                continue
            side = b["side"]
            if single:
                if lab in ("总计", "收入总计", "支出总计"):
                    side = "income" if "grand_total" not in fa.overview_income and lab != "支出总计" else "expense"
                else:
                    side = "income" if lab in _OVERVIEW_INCOME or lab.endswith("收入") else "expense"
            key = (_OVERVIEW_INCOME if side == "income" else _OVERVIEW_EXPENSE).get(lab)
            c = b[CURRENT][0]
            value = table.num(r, c)
            if key is None:
                if value and not lab.endswith("支出"):
                    what = "收入" if side == "income" else "支出"
                    fa.note(WARNING, table, r, c, f"{table.place(r, c)}的{what}项目“{lab}”无法识别，"
                            f"其金额 {format_amount(value)} 元没有导入。请确认报告不需要这个数，"
                            "需要时请在“收支情况”中手工填写。")
                continue
            target = fa.overview_income if side == "income" else fa.overview_expense
            target.setdefault(key, Fig(value, table, r, c))
            if b[PRIOR]:
                pc = b[PRIOR][0]
                prior = fa.prior_income if side == "income" else fa.prior_expense
                prior.setdefault(key, Fig(table.num(r, pc), table, r, pc))


_FUNDS = {"一般公共预算财政拨款": "general", "政府性基金预算财政拨款": "fund", "国有资本经营预算财政拨款": "state"}


def _expense_kind(head: str):
    return ("general" if "一般公共预算" in head else "fund" if "政府性基金" in head
            else "state" if "国有资本" in head else "total" if "合计" in head or "金额" in head or "决算" in head
            else None)


def read_fiscal(table: Table, fa: FinalAccounts) -> None:
    sides = blocks(table)
    expense = next((b for b in sides if b["side"] == "expense"), None)
    kinds: dict[str, dict[int, str]] = {CURRENT: {}, PRIOR: {}}
    if expense:
        for role in (CURRENT, PRIOR):
            for c in expense[role]:
                kind = _expense_kind(table.header(c))
                if kind and kind not in kinds[role].values():
                    kinds[role][c] = kind
                    table.use(c)
        if "general" not in kinds[CURRENT].values():
            raise layout_error(table, "支出部分的“一般公共预算财政拨款”列", c=expense["label"])
    after_begin = False
    for r in table.data_rows():
        for b in sides:
            lab = label_of(table.raw(r, b["label"]))
            if not lab:
                continue
            if b["side"] == "income":
                base = lab[:-2] if lab.endswith("收入") and lab[:-2] in _FUNDS else lab
                if base in _FUNDS:
                    key = ("begin_" if after_begin else "") + _FUNDS[base]
                elif lab.startswith("年初") and "结转" in lab:
                    key, after_begin = "carryover_begin", True
                elif lab in ("本年收入合计", "收入合计"):
                    key = "income_total"
                elif lab in ("收入总计", "总计"):
                    key = "grand_total"
                else:
                    continue
                for role, target in ((CURRENT, fa.fiscal_income), (PRIOR, fa.prior_fiscal_income)):
                    if b[role]:
                        c = b[role][0]
                        table.use(c)
                        target.setdefault(key, Fig(table.num(r, c), table, r, c))
            else:
                if lab in ("本年支出合计", "支出合计"):
                    key = "expense_total"
                elif lab.startswith("年末") and "结转" in lab:
                    key = "carryover_end"
                elif lab in ("总计", "支出总计"):
                    key = "grand_total"
                else:
                    for c in kinds[CURRENT]:  # still read functional rows so a bad number is reported
                        table.num(r, c)
                    continue
                for role, target in ((CURRENT, fa.fiscal_expense), (PRIOR, fa.prior_fiscal_expense)):
                    if key not in target and kinds[role]:
                        target[key] = {kind: Fig(table.num(r, c), table, r, c) for c, kind in kinds[role].items()}
