"""Tables of 功能分类科目 rows: 收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表, 政府性基金 and
国有资本经营预算 tables.

The 科目编码 is one column, three columns (类 | 款 | 项) or shares the cell
with the name (“213 农林水支出”); the amount columns are found by their
header words among this year's columns (``figures.find_col``).  A missing
required column stops the import (it would be misread otherwise); a row with
money that is neither 合计 nor a 科目 is a 警告 naming the cell.
"""
from __future__ import annotations

import re

from ...money import format_amount
from ..common import INFO, WARNING
from .figures import Fig, FinalAccounts, TableLayoutError, find_col, layout_error
from .tables import Table
from .text import CODE, norm

INCOME_COLS = {
    "income_total": ("本年收入合计", "收入合计", "合计"),
    "fiscal_total": ("财政拨款收入", "财政拨款"),
    "higher_subsidy": ("上级补助收入",), "service_income": ("事业收入",),
    "business_income": ("经营收入",), "affiliate_remittance": ("附属单位上缴收入",),
    "other_income": ("其他收入",),
}
EXPENDITURE_COLS = {
    "total": ("本年支出合计", "支出合计", "合计"), "basic": ("基本支出",), "project": ("项目支出",),
    "remit_higher": ("上缴上级支出",), "business_expenditure": ("经营支出",),
    "affiliate_subsidy": ("对附属单位补助支出",),
}
GENERAL_COLS = {"total": ("小计", "合计", "本年支出"), "basic": ("基本支出",), "project": ("项目支出",)}
FUND_COLS = {"carryover_begin": ("年初结转和结余", "年初"), "income": ("本年收入",),
             "expense": ("本年支出小计", "本年支出合计", "小计", "合计"), "basic": ("基本支出",),
             "project": ("项目支出",), "carryover_end": ("年末结转和结余", "年末")}
STATE_COLS = {"expense": ("合计", "小计", "本年支出"), "basic": ("基本支出",), "project": ("项目支出",)}

Rows = list[tuple[str, str, dict[str, Fig]]]


def _code_cols(table: Table) -> tuple[list[int], int]:
    ncols = table.ncols()
    split = [next((c for c in range(ncols) if part in table.header_parts(c)), None) for part in ("类", "款", "项")]
    if all(c is not None for c in split):
        name = next((c for c in range(ncols) if any("名称" in p for p in table.header_parts(c))), max(split) + 1)
        return split, name
    code = next((c for c in range(ncols) if any("编码" in p or "代码" in p for p in table.header_parts(c))), 0)
    name = next((c for c in range(ncols) if c != code and any("名称" in p for p in table.header_parts(c))), None)
    if name is None:  # the next column when 项目 spans both, else code and name share one cell
        following = table.header_parts(code + 1)
        name = code + 1 if not following or following == table.header_parts(code) else code
    return [code], name


def read_coded(table: Table, fa: FinalAccounts, spec: dict[str, tuple[str, ...]], required: tuple[str, ...],
               want_rows: bool = False) -> tuple[dict[str, Fig], Rows]:
    code_cols, name_col = _code_cols(table)
    table.use(*code_cols, name_col)
    amount_cols = [c for c in range(table.ncols()) if c not in code_cols and c != name_col]
    one_cell = name_col in code_cols
    cols: dict[str, int] = {}
    for key, aliases in spec.items():
        c = find_col(table, amount_cols, aliases, set(cols.values()))
        if c is not None:
            cols[key] = c
    for key in required:
        if key not in cols:
            raise layout_error(table, f"“{spec[key][0]}”列")
    table.use(*cols.values())
    total: dict[str, Fig] = {}
    rows: Rows = []
    for r in table.data_rows():
        if len(code_cols) == 3:
            code = "".join(norm(table.raw(r, c)).zfill(n) if norm(table.raw(r, c)) else ""
                           for c, n in zip(code_cols, (3, 2, 2)))
        else:
            code = norm(table.raw(r, code_cols[0]))
        raw_name = table.raw(r, name_col)
        name = "" if one_cell or raw_name is None or table.sheet.is_copy(r, name_col) else re.sub(r"\s+", "", str(raw_name))
        m = re.match(r"^(\d{3}(?:\d{2}){0,2})(\D.*)$", code)
        if m:  # code and name in one cell
            code, name = m.group(1), name or m.group(2)
        is_total = code in ("合计", "总计") or (not code and norm(raw_name) in ("合计", "总计"))
        figs = {key: Fig(table.num(r, c), table, r, c) for key, c in cols.items()}
        if not is_total and not CODE.match(code):
            _unplaced_row(table, fa, r, code or norm(raw_name), figs)
            continue
        if is_total:
            if not total:
                total = figs
        elif want_rows:
            rows.append((code, name, figs))
    return total, rows


def _unplaced_row(table: Table, fa: FinalAccounts, r: int, label: str, figs: dict[str, Fig]) -> None:
    """A labelled row with money that is neither 合计 nor a 科目: said, never dropped silently."""
    money = next((f for f in figs.values() if f.value), None)
    if money is None or not label or label.startswith(("注", "说明")):
        return
    fa.note(WARNING, table, r, money.c, f"{table.place(r, money.c)}的“{label}”行不是 合计 也不是功能分类科目，"
            f"其金额 {format_amount(money.value)} 元没有导入。请确认报告不需要这一行，需要时请在“收支情况”中手工填写。")


def read_soft(table: Table, fa: FinalAccounts, spec) -> dict[str, Fig]:
    """Tables read only for cross-checks: an odd layout is a 提示, not an error."""
    try:
        return read_coded(table, fa, spec, tuple(list(spec)[:1]))[0]
    except TableLayoutError:  # (an unreadable number is still an error)
        fa.note(INFO, table, table.start, 0, f"{table.name}的格式无法识别，未用于核对。")
        return {}
