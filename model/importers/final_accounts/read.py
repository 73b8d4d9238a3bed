"""Reading a 决算 workbook into ``FinalAccounts``: find the tables, run each one's reader, then say
what was left over.

After the readers, every table is swept for amounts nobody placed: a column
with money that no reader gave a role (a 备注 column with numbers, a 上年
column in a table where only this year's figures are read, a column whose
header words are unknown) is a 警告 naming its first cell — never dropped
silently.  Hidden rows and columns are read like the others (hiding is not
deleting, and the printed tables are the same figures); a 提示 says when a
hidden row or column held a figure that was imported.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ...report import FunctionalRow
from ..common import INFO, WARNING
from ..workbook import WorkbookError, column_letter, read_workbook
from .coded import EXPENDITURE_COLS, FUND_COLS, GENERAL_COLS, INCOME_COLS, STATE_COLS, read_coded, read_soft
from .detail import read_detail
from .figures import FinalAccounts
from .info import read_info
from .layout import find_tables
from .overview import read_fiscal, read_overview
from .tables import Table
from .text import (
    DETAIL, EXPENDITURE, FISCAL, FUND, GENERAL, INCOME, INFO_TABLE, OVERVIEW, STATE_CAPITAL, TABLE_NAMES,
    THREE_PUBLIC, FinalAccountsError, norm,
)
from .three_public import read_three_public

_AMOUNT_TEXT = re.compile(r"^\(?-?[\d,]*\.?\d+\)?$")


def read_tables(path: str | Path) -> FinalAccounts:
    """Read every 决算 table in the workbook at ``path`` (see the package doc)."""
    path = Path(path)
    try:
        sheets = read_workbook(path)
    except WorkbookError as e:
        raise FinalAccountsError(str(e)) from None
    fa = FinalAccounts()
    candidates: dict[str, list[Table]] = {}
    for table in find_tables(sheets):
        candidates.setdefault(table.kind, []).append(table)
    for kind, found in candidates.items():
        best = max(found, key=lambda t: t.size)  # the first of the fullest: a 目录 line has no body
        fa.tables[kind] = best
        for other in found:
            if other is not best and other.size:
                fa.note(INFO, other, other.start, 0, f"工作簿中有多张“{TABLE_NAMES[kind]}”，导入的是 {best.sheet.name} "
                        f"第 {best.start + 1} 行的一张，{other.sheet.name} 第 {other.start + 1} 行的一张未导入。")
    if not fa.tables:
        names = "、".join(f"“{s.name}”" for s in sheets) or "（没有工作表）"
        raise FinalAccountsError(
            f"“{path.name}”中没有找到部门决算公开表（收入支出决算总表、收入决算表、支出决算表……）。"
            f"已查看的工作表：{names}。请选择财政决算系统导出的部门决算公开表格文件。")
    units = {t.unit for t in fa.tables.values() if t.unit}
    for t in fa.tables.values():
        if not t.unit:
            t.unit = "万元" if units == {"万元"} else "元"
            fa.note(INFO, t, t.start, 0, f"{t.name}没有注明金额单位，按“{t.unit}”导入。")
    for t in fa.tables.values():
        fa.department = fa.department or t.department
        fa.year = fa.year or t.year
    for kind, table in fa.tables.items():
        _read(kind, table, fa)
        _sweep(table, fa)
    return fa


def _read(kind: str, table: Table, fa: FinalAccounts) -> None:
    if kind == OVERVIEW:
        read_overview(table, fa)
    elif kind == FISCAL:
        read_fiscal(table, fa)
    elif kind == DETAIL:
        read_detail(table, fa)
    elif kind == THREE_PUBLIC:
        read_three_public(table, fa)
    elif kind == INFO_TABLE:
        read_info(table, fa)
    elif kind == INCOME:
        fa.income, _ = read_coded(table, fa, INCOME_COLS, ("income_total",))
    elif kind == EXPENDITURE:
        fa.expenditure, rows = read_coded(table, fa, EXPENDITURE_COLS, ("total", "basic", "project"), want_rows=True)
        fa.functional_rows = [FunctionalRow(code=code, name=name, total=figs["total"].value,
                                            basic=figs["basic"].value, project=figs["project"].value)
                              for code, name, figs in rows]
        fa.functional_figs = [figs for _, _, figs in rows]
    elif kind == GENERAL:
        fa.general, _ = read_coded(table, fa, GENERAL_COLS, ("total",))
    elif kind == FUND:
        fa.fund = read_soft(table, fa, FUND_COLS)
    elif kind == STATE_CAPITAL:
        fa.state_capital = read_soft(table, fa, STATE_COLS)


def _is_amount(value) -> bool:
    if isinstance(value, Decimal):
        return value != 0
    text = norm(value)
    return bool(_AMOUNT_TEXT.match(text)) and any(ch in "123456789" for ch in text)


def _sweep(table: Table, fa: FinalAccounts) -> None:
    """Amounts in columns no reader placed → 警告; figures read from hidden rows/columns → 提示."""
    sheet = table.sheet
    end = min(table.end, sheet.nrows)
    for c in range(table.ncols()):
        if c in table.used:
            continue
        r = next((r for r in range(table.data_start, end) if not sheet.is_copy(r, c)
                  and _is_amount(sheet.value(r, c))), None)
        if r is None:
            continue
        head = "/".join(table.header_parts(c))
        head = f"表头“{head}”" if head else "没有表头"
        fa.note(WARNING, table, r, c, f"{table.name}（{sheet.name}）的 {column_letter(c)} 列（{head}）有金额，"
                f"导入时无法确定它是哪一项，这一列没有导入（从 {table.cell(r, c)} 起）。请确认报告不需要这些数；"
                "需要时请在“收支情况”中手工填写。")
    hidden = sorted({f"第 {r + 1} 行" for r in sheet.hidden_rows if table.data_start <= r < end
                     and any(c in table.used and _is_amount(v) for c, v in table.own_cells(r))}
                    | {f"{column_letter(c)} 列" for c in sheet.hidden_cols if c in table.used
                       and any(_is_amount(sheet.value(r, c)) for r in range(table.data_start, end))})
    if hidden:
        fa.note(INFO, table, table.start, 0, f"{table.name}（{sheet.name}）的{'、'.join(hidden)}是隐藏的，其中的金额照常导入"
                "（隐藏不等于删除）。如果这些数不属于决算表，请在 Excel 或 WPS 中删除后重新导入。")
