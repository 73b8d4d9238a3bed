"""一般公共预算财政拨款（基本）支出决算明细表 (公开06表): 人员经费合计 and 公用经费合计.

The table prints blocks of 科目编码 | 科目名称 | 金额 | 其中：基本支出 side by
side; only the two 合计 rows are used (for the basic split, ``mapping``), but
every amount is read so that an unreadable one is reported.
"""
from __future__ import annotations

from .figures import Fig, FinalAccounts
from .tables import Table
from .text import label_of, norm

_KEYS = {"人员经费合计": "personnel", "人员经费": "personnel", "公用经费合计": "operating", "公用经费": "operating"}


def read_detail(table: Table, fa: FinalAccounts) -> None:
    fa.detail_basic_only = "基本支出" in norm(table.title)
    ncols = table.ncols()
    amount_cols = [c for c in range(ncols) if any(k in table.header(c) for k in ("金额", "决算数", "基本支出", "合计"))
                   and not any(k in table.header(c) for k in ("编码", "名称", "科目"))]
    table.use(*range(ncols))  # every column has its role: code, name or amount of a block
    for r in table.data_rows():
        for c in amount_cols:  # every amount is read, so an unreadable one is reported
            table.num(r, c)
        for c, v in table.own_cells(r):
            key = _KEYS.get(label_of(v))
            if key is None or key in fa.detail:
                continue
            amount = basic = None
            for cc in range(c + 1, ncols):
                if table.sheet.is_copy(r, cc):
                    continue
                value = table.raw(r, cc)
                if isinstance(value, str) and label_of(value) in _KEYS:
                    break
                if value is None:
                    continue
                fig = Fig(table.num(r, cc), table, r, cc)
                if "基本支出" in table.header(cc):
                    basic = basic or fig
                elif amount is None:
                    amount = fig
            if amount is None and basic is None:
                continue
            fa.detail[key] = amount or Fig(None, table, r, c)
            if basic is not None:
                fa.detail[key + "_basic"] = basic
            elif fa.detail_basic_only and amount is not None:
                fa.detail[key + "_basic"] = amount
