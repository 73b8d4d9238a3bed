"""部门决算公开相关信息统计表 (公开10表): 政府采购, 机关运行经费, 车辆数.

Labelled rows in numbered sections (一、政府采购情况 …), each section perhaps with
its own header row (项目 | 行次 | 采购金额 / 统计数); without one, the amount is
the last column holding something.  车辆数 are counts, never scaled by 万元.
"""
from __future__ import annotations

import re
from typing import Optional

from .figures import Fig, FinalAccounts, layout_error
from .tables import Table
from .text import label_of, norm

_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_PROCUREMENT_ROWS = {"合计": "total", "货物": "goods", "工程": "works", "服务": "services",
                     "政府采购支出总额": "total", "政府采购货物支出": "goods", "政府采购工程支出": "works",
                     "政府采购服务支出": "services"}
_AGENCY_PARTS = ("行政单位", "参照公务员法管理事业单位", "参照公务员法管理的事业单位", "参公单位")


def read_info(table: Table, fa: FinalAccounts) -> None:
    """政府采购, 机关运行经费, 车辆数: labelled rows in numbered sections, each with its own header row."""
    section = ""
    amount_col: Optional[int] = None
    row_number_cols: set[int] = set()
    for r in range(table.header_start, table.end):
        cells = table.own_cells(r)
        if not cells:
            continue
        texts = {c: norm(v) for c, v in cells}
        if "项目" in texts.values():  # a section's header row: 项目 | 行次 | 采购金额 / 统计数
            cols = [c for c, t in texts.items() if t != "项目" and t != "行次"
                    and any(k in t for k in ("金额", "统计数", "决算数", "数量"))]
            amount_col = cols[-1] if cols else amount_col
            row_number_cols |= {c for c, t in texts.items() if t == "行次"}
            continue
        first = texts[cells[0][0]]
        if first.startswith(("注", "说明")):
            break
        lab = label_of(cells[0][1])
        numbered_section = bool(_SECTION.match(first))
        if numbered_section:
            section = lab
        if amount_col is None:  # no header row: the last column holding something
            values = [c for c, _ in cells[1:] if c not in row_number_cols]
            if not values:
                continue
            amount_col = max(values)
        c = amount_col
        table.use(cells[0][0], c, *row_number_cols)
        if "政府采购" in section or (not section and lab in _PROCUREMENT_ROWS):
            key = _PROCUREMENT_ROWS.get(lab)
            if key and key not in fa.procurement:
                fa.procurement[key] = Fig(table.num(r, c), table, r, c)
        elif lab in _AGENCY_PARTS and ("机关运行经费" in section or not section):
            fa.agency_operating.append(Fig(table.num(r, c), table, r, c))
        elif "机关运行经费" in lab and fa.agency_operating_total is None:
            fig = Fig(table.num(r, c), table, r, c)
            if not numbered_section or fig.value is not None:
                fa.agency_operating_total = fig
        if "车辆" in lab and "设备" not in lab:
            fa.vehicles_total = Fig(table.count(r, c), table, r, c, count=True)
        elif lab.endswith("用车") and "设备" not in lab:
            fa.vehicle_kinds.append(Fig(table.count(r, c), table, r, c, count=True))
    if amount_col is None:
        raise layout_error(table, "金额列（“采购金额”或“统计数”）")
