"""What the 决算 tables say: each figure with the cell it was read from, collected per table.

A ``Fig`` is a value (in 元, or a count) and its table, row and column: enough
for a message (“公开02表（Sheet5）第 9 行 C 列”), for the preview's 来源
(“收入决算表（Sheet5）C9，万元”) and for how exact it is (half a unit of its last
printed digit, ``Table.half_unit``).

Columns have a role by their header words (``column_role``): 上年 figures
(“上年决算数”, a 上年 group), budget figures (“预算数”, “年初预算”), or this
year's 决算 (everything else).  A reader looks for this year's columns by name
among the “current” ones only, so a 上年合计 is never taken for the 合计.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from ...report import FunctionalRow
from ..common import ImportProblem
from .tables import Table
from .text import FinalAccountsError

CURRENT, PRIOR, BUDGET = "current", "prior", "budget"
# a source printed to the cent is exact: finance systems keep cents, so no rounding tail is below one
HALF_CENT = Decimal("0.005")
_BUDGET_WORD = re.compile(r"预算数|^(?:年初|全年|调整后?)?预算(?:金额)?$")


def column_role(parts: list[str]) -> str:
    """上年 / 预算 / this year's 决算, from a column's header texts."""
    if any("上年" in p or "上期" in p for p in parts):
        return PRIOR
    if any(_BUDGET_WORD.search(p) for p in parts):
        return BUDGET
    return CURRENT


@dataclass
class Fig:
    """One figure with where it was read."""
    value: Optional[Decimal | int]
    table: Table
    r: int
    c: int
    count: bool = False  # a number of things (车辆数): no unit, never scaled

    @property
    def place(self) -> str:
        return self.table.place(self.r, self.c)

    @property
    def source(self) -> str:
        """收入决算表（Sheet3）C8，万元."""
        where = self.table.source(self.r, self.c)
        return where if self.count else f"{where}，{self.table.unit}"

    @property
    def half_unit(self) -> Decimal:
        """Half a unit of the last printed digit, in 元; 0 for a count or a source printed to the cent."""
        half = Decimal(0) if self.count else self.table.half_unit(self.r, self.c)
        return half if half > HALF_CENT else Decimal(0)


@dataclass
class FinalAccounts:
    """What the tables say, in 元, keyed by kind; ``None`` where a table did not state it."""
    tables: dict[str, Table] = field(default_factory=dict)
    department: str = ""
    year: Optional[int] = None
    overview_income: dict[str, Fig] = field(default_factory=dict)
    overview_expense: dict[str, Fig] = field(default_factory=dict)
    prior_income: dict[str, Fig] = field(default_factory=dict)  # 总表's 上年 column, same keys
    prior_expense: dict[str, Fig] = field(default_factory=dict)
    income: dict[str, Fig] = field(default_factory=dict)  # 收入决算表 合计 row
    expenditure: dict[str, Fig] = field(default_factory=dict)  # 支出决算表 合计 row
    functional_rows: list[FunctionalRow] = field(default_factory=list)
    functional_figs: list[dict[str, Fig]] = field(default_factory=list)  # per row: total/basic/project cells
    fiscal_income: dict[str, Fig] = field(default_factory=dict)
    fiscal_expense: dict[str, dict[str, Fig]] = field(default_factory=dict)  # row → column → figure
    prior_fiscal_income: dict[str, Fig] = field(default_factory=dict)
    prior_fiscal_expense: dict[str, dict[str, Fig]] = field(default_factory=dict)
    general: dict[str, Fig] = field(default_factory=dict)  # 一般公共预算财政拨款支出决算表 合计 row
    detail: dict[str, Fig] = field(default_factory=dict)  # 人员/公用经费合计 (amount and basic)
    detail_basic_only: bool = False  # the 明细表 is a 基本支出 table
    three_public: dict[str, Fig] = field(default_factory=dict)
    three_public_budget: dict[str, Fig] = field(default_factory=dict)
    three_public_prior: dict[str, Fig] = field(default_factory=dict)
    three_public_totals: dict[str, list[Fig]] = field(default_factory=dict)  # side → 合计/小计 figures
    fund: dict[str, Fig] = field(default_factory=dict)
    state_capital: dict[str, Fig] = field(default_factory=dict)
    procurement: dict[str, Fig] = field(default_factory=dict)
    agency_operating: list[Fig] = field(default_factory=list)  # 行政单位 / 参公 rows
    agency_operating_total: Optional[Fig] = None  # a single 机关运行经费 row
    vehicles_total: Optional[Fig] = None
    vehicle_kinds: list[Fig] = field(default_factory=list)
    notes: list[ImportProblem] = field(default_factory=list)

    def note(self, severity: str, table: Optional[Table], r: Optional[int], c: Optional[int], message: str):
        sheet = table.sheet.name if table else ""
        cell = table.cell(r, c) if table is not None and r is not None and c is not None else ""
        self.notes.append(ImportProblem(severity, sheet, cell, message))


class TableLayoutError(FinalAccountsError):
    """A table whose header is not as the finance system prints it (a column cannot be found)."""


def layout_error(table: Table, what: str, r: Optional[int] = None, c: int = 0) -> TableLayoutError:
    """The table's header (row r, column c: where the missing column was looked for) is not as expected."""
    r = table.header_start if r is None else r
    return TableLayoutError(
        f"{table.place(r, c)}起的表头中找不到{what}，表格格式与财政决算系统的标准格式不同。"
        "请确认表头（项目、栏次、金额各列）没有被删除或改名，或从财政系统重新导出原样表格后再导入。",
        table.sheet.name, table.cell(r, c))


def find_col(table: Table, cols: list[int], aliases: tuple[str, ...], taken: set[int],
             exclude: tuple[str, ...] = (), role: str = CURRENT) -> Optional[int]:
    """The first column of ``role`` whose header holds one of ``aliases`` (in the order of aliases)."""
    for alias in aliases:
        for c in cols:
            if c in taken or column_role(table.header_parts(c)) != role:
                continue
            head = table.header(c)
            if alias in head and not any(x in head for x in exclude):
                return c
    return None


def total(*values: Optional[Decimal]) -> Optional[Decimal]:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def value(figs: dict[str, Fig], key: str) -> Optional[Decimal]:
    fig = figs.get(key)
    return fig.value if fig else None


def agency_operating(fa: FinalAccounts) -> Optional[Decimal]:
    """机关运行经费: 行政单位 + 参公 when printed by kind, else the single figure."""
    if fa.agency_operating:
        return total(*(f.value for f in fa.agency_operating))
    return fa.agency_operating_total.value if fa.agency_operating_total else None
