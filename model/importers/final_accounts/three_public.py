"""财政拨款“三公”经费支出决算表 (公开07表): 决算, 预算 and (where printed) 上年 by kind.

Printed across (预算数 ‖ 决算数 groups over 合计 | 因公出国（境）费 | 公务用车购置及
运行维护费 (小计 | 购置费 | 运行维护费) | 公务接待费) or down (one row per kind,
预算数 | 决算数 columns).  A column's group is its role (``figures.column_role``:
预算数, 上年, else 决算), its kind the lowest header word naming one, else the
row's label.  合计/小计 figures are kept only for the cross-check.
"""
from __future__ import annotations

from typing import Optional

from .figures import BUDGET, PRIOR, Fig, FinalAccounts, column_role, layout_error
from .tables import Table
from .text import BLANKS, DASHES, label_of, norm

KINDS = ("overseas_travel", "vehicle_purchase", "vehicle_operation", "reception")
SIDES = {"final": "决算数", "budget": "预算数", "prior": "上年决算数"}


def tp_kind(text: str) -> Optional[str]:
    if not text:
        return None
    if "出国" in text:
        return "overseas_travel"
    if "接待" in text:
        return "reception"
    if "购置" in text and "运行" not in text:
        return "vehicle_purchase"
    if "运行" in text and "购置" not in text:
        return "vehicle_operation"
    return None


def read_three_public(table: Table, fa: FinalAccounts) -> None:
    ncols = table.ncols()
    targets = {"final": fa.three_public, "budget": fa.three_public_budget, "prior": fa.three_public_prior}
    seen = False
    for r in table.data_rows():
        cells = table.own_cells(r)
        if not cells:
            continue
        if norm(cells[0][1]).startswith(("注", "说明")):
            break
        row_label = next((label_of(v) for _, v in cells if isinstance(v, str) and label_of(v)
                          and not DASHES.match(norm(v)) and norm(v) not in BLANKS), "")
        any_value = False
        for c in range(ncols):
            parts = table.header_parts(c)
            if not parts or "项目" in parts or "行次" in parts:
                if parts:
                    table.use(c)
                continue
            value = table.raw(r, c)
            if isinstance(value, str) and label_of(value) == row_label and row_label:
                continue
            head = "".join(parts)
            role = column_role(parts)
            side = "budget" if role == BUDGET else "prior" if role == PRIOR else "final"
            kind = tp_kind(parts[-1]) or (tp_kind(row_label) if not tp_kind(head) else None)
            fig = Fig(table.num(r, c), table, r, c)
            table.use(c)
            any_value = any_value or fig.value is not None
            if kind:
                if kind not in targets[side]:
                    targets[side][kind] = fig
                    seen = True
            elif fig.value is not None:
                fa.three_public_totals.setdefault(side, []).append(fig)
        if seen and not any_value and row_label == "":
            break
    if not seen:
        raise layout_error(table, "三公经费的分项列（因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费）")
