"""Import the 部门决算公开 tables (公开01–10表) from the finance system's workbook.

Reading happens in three steps, each testable alone:

1. ``workbook.read_workbook``: .xlsx/.xls → plain grids (merged cells resolved).
2. ``read_tables``: find each table **by its title text** anywhere in the
   workbook (never by sheet order, sheet name or table number: provinces
   number and order them differently, and some stack every table on one
   sheet, which is then split at the title rows), read its 金额单位 (元/万元)
   from the header text, and pull out the figures → ``FinalAccounts`` (元).
3. ``preview(path, report)`` compares them with the report → ``ImportResult``
   (changes old → new, problems), without touching the report;
   ``apply(report, result)`` writes the changes and marks each path in
   ``report.provenance`` as "imported".

Mapping into the report (all into ``finance.units[0]``, created as “本级” when
the report has none; with several units the first gets the figures and a
提示 says so):

* 一般公共预算/政府性基金/国有资本经营预算财政拨款收入: the split in
  财政拨款收入支出决算总表 (else 收入支出决算总表's income rows, else all of
  收入决算表's 财政拨款收入 as 一般公共预算 with a 提示).
* 上级补助/事业/经营/附属单位上缴/其他收入: 收入决算表's 合计 row (else the
  总表's income rows).
* 项目支出, 上缴上级支出, 经营支出, 对附属单位补助支出 and every coded row
  (类/款/项 with 合计/基本/项目) of ``finance.functional_rows``: 支出决算表.
* 基本支出 = 支出决算表's 基本支出, split into 人员经费 and 公用经费 by this rule:
  (a) when 一般公共预算财政拨款基本支出决算(明细)表 gives 基本支出 figures for
  人员经费合计 and 公用经费合计 that add up to 基本支出, use them;
  (b) otherwise, when 相关信息统计表 gives 机关运行经费, 公用经费 = 机关运行经费
  and 人员经费 = 基本支出 − 机关运行经费.  机关运行经费 is by definition the
  公用经费 part of a 行政/参公 unit's 财政拨款基本支出, and the 明细表 that many
  provinces publish (seed 002's 公开06表) mixes 项目支出 into 人员经费/公用经费
  by economic class, so its totals (10,035,725.08 + 17,231,165.20 = all
  27,266,890.28 of 一般公共预算 spending) are not the basic split.  This is how
  resources/samples/xingxian_2022.jxzp.json was built from seed 002;
  (c) otherwise all of 基本支出 goes to 人员经费 and a 警告 asks for the split.
* 年初/年末结转和结余: 收入支出决算总表.
* 三公经费 决算 by kind → ``units[0].three_public``; 预算 →
  ``finance.three_public_budget`` (小计/合计 columns are not imported: computed).
* 政府采购 货物/工程/服务, 机关运行经费 (行政单位 + 参公), 车辆数 (合计, else the
  sum of the kinds): 相关信息统计表.

Blank cells, “——”, “本表无数据” mean nothing to report and are imported as
empty (None), never as a typed 0.  A figure that cannot be read, a file that
is not a workbook, a workbook without any 决算 table or a table whose amount
column cannot be found raise ``FinalAccountsError`` naming the table, sheet,
row and column, and nothing changes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from .. import edits
from ..money import format_amount
from ..report import FunctionalRow, Report, ThreePublic, UnitFinance
from .common import INFO, WARNING, Change, ImportProblem, ImportResult
from .final_tables import (
    DETAIL, EXPENDITURE, FISCAL, FUND, GENERAL, INCOME, INFO_TABLE, OVERVIEW, STATE_CAPITAL, TABLE_NAMES,
    BLANKS, CODE, DASHES, THREE_PUBLIC, FinalAccountsError, Table, find_tables, label_of, norm, title_kind,
)
from .workbook import WorkbookError, read_workbook

__all__ = ["FinalAccountsError", "FinalAccounts", "read_tables", "preview", "apply", "preview_text", "TABLE_NAMES",
           "norm", "label_of", "title_kind", "find_tables"]

DEFAULT_UNIT_NAME = "本级"


# ---------------------------------------------------------------- figures

@dataclass
class Fig:
    """One figure with where it was read (for messages)."""
    value: Optional[Decimal]
    table: Table
    r: int
    c: int

    @property
    def place(self) -> str:
        return self.table.place(self.r, self.c)


@dataclass
class FinalAccounts:
    """What the tables say, in 元, keyed by kind; ``None`` where a table did not state it."""
    tables: dict[str, Table] = field(default_factory=dict)
    department: str = ""
    year: Optional[int] = None
    overview_income: dict[str, Fig] = field(default_factory=dict)
    overview_expense: dict[str, Fig] = field(default_factory=dict)
    income: dict[str, Fig] = field(default_factory=dict)  # 收入决算表 合计 row
    expenditure: dict[str, Fig] = field(default_factory=dict)  # 支出决算表 合计 row
    functional_rows: list[FunctionalRow] = field(default_factory=list)
    fiscal_income: dict[str, Fig] = field(default_factory=dict)
    fiscal_expense: dict[str, dict[str, Fig]] = field(default_factory=dict)  # row → column → figure
    general: dict[str, Fig] = field(default_factory=dict)  # 一般公共预算财政拨款支出决算表 合计 row
    detail: dict[str, Fig] = field(default_factory=dict)  # 人员/公用经费合计 (amount and basic)
    detail_basic_only: bool = False  # the 明细表 is a 基本支出 table
    three_public: dict[str, Fig] = field(default_factory=dict)
    three_public_budget: dict[str, Fig] = field(default_factory=dict)
    three_public_totals: dict[str, list[Fig]] = field(default_factory=dict)  # side → 合计/小计 figures
    fund: dict[str, Fig] = field(default_factory=dict)
    state_capital: dict[str, Fig] = field(default_factory=dict)
    procurement: dict[str, Fig] = field(default_factory=dict)
    agency_operating: list[Fig] = field(default_factory=list)  # 行政单位 / 参公 rows
    agency_operating_total: Optional[Fig] = None  # a single 机关运行经费 row
    vehicles_total: Optional[tuple[int | None, Table, int, int]] = None
    vehicle_kinds: list[tuple[int | None, Table, int, int]] = field(default_factory=list)
    notes: list[ImportProblem] = field(default_factory=list)

    def note(self, severity: str, table: Optional[Table], r: Optional[int], c: Optional[int], message: str):
        sheet = table.sheet.name if table else ""
        cell = table.cell(r, c) if table is not None and r is not None and c is not None else ""
        self.notes.append(ImportProblem(severity, sheet, cell, message))


class TableLayoutError(FinalAccountsError):
    """A table whose header is not as the finance system prints it (a column cannot be found)."""


def _layout_error(table: Table, what: str, r: Optional[int] = None, c: int = 0) -> TableLayoutError:
    """The table's header (row r, column c: where the missing column was looked for) is not as expected."""
    r = table.header_start if r is None else r
    return TableLayoutError(
        f"{table.place(r, c)}起的表头中找不到{what}，表格格式与财政决算系统的标准格式不同。"
        "请确认表头（项目、栏次、金额各列）没有被删除或改名，或从财政系统重新导出原样表格后再导入。",
        table.sheet.name, table.cell(r, c))


def _find_col(table: Table, cols: list[int], aliases: tuple[str, ...], taken: set[int],
              exclude: tuple[str, ...] = ()) -> Optional[int]:
    for alias in aliases:
        for c in cols:
            if c in taken:
                continue
            head = table.header(c)
            if alias in head and not any(x in head for x in exclude):
                return c
    return None


# -- two-sided tables (总表, 财政拨款总表)

def _blocks(table: Table) -> list[dict]:
    """Split a 收入 ‖ 支出 table into its sides at the 项目 columns."""
    ncols = table.ncols()
    label_cols = [c for c in range(ncols) if "项目" in table.header_parts(c)]
    if not label_cols:
        label_cols = [0]
    blocks = []
    for i, lc in enumerate(label_cols):
        end = label_cols[i + 1] if i + 1 < len(label_cols) else ncols
        heads = " ".join(table.header(c) for c in range(lc, end))
        side = "income" if "收入" in heads and "支出" not in table.header(lc) else (
            "expense" if "支出" in heads else ("income" if i == 0 else "expense"))
        amounts = [c for c in range(lc + 1, end)
                   if table.header(c) and "行次" not in table.header_parts(c) and "项目" not in table.header_parts(c)]
        # with several amount columns (预算数 | 决算数) the 决算 one is the figure
        amounts.sort(key=lambda c: 0 if "决算" in table.header(c) or "金额" in table.header(c) else 1)
        blocks.append({"side": side, "label": lc, "amounts": amounts})
    if len(blocks) == 2 and blocks[0]["side"] == blocks[1]["side"]:
        blocks[0]["side"], blocks[1]["side"] = "income", "expense"
    return blocks


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


def _read_overview(table: Table, fa: FinalAccounts) -> None:
    blocks = _blocks(table)
    for b in blocks:
        if not b["amounts"]:
            side = "收入" if b["side"] == "income" else "支出"
            raise _layout_error(table, f"“{side}”部分的金额列（“决算数”或“金额”）", c=b["label"])
    single = len(blocks) == 1  # 收入 above 支出 in one column: each label says its side
    for r in table.data_rows():
        for b in blocks:
            lab = label_of(table.raw(r, b["label"]))
            if not lab:
                continue
            side = b["side"]
            if single:
                if lab in ("总计", "收入总计", "支出总计"):
                    side = "income" if "grand_total" not in fa.overview_income and lab != "支出总计" else "expense"
                else:
                    side = "income" if lab in _OVERVIEW_INCOME or lab.endswith("收入") else "expense"
            mapping = _OVERVIEW_INCOME if side == "income" else _OVERVIEW_EXPENSE
            key = mapping.get(lab)
            c = b["amounts"][0]
            value = table.num(r, c)
            target = fa.overview_income if side == "income" else fa.overview_expense
            if key is None:
                if side == "income" and value and not lab.endswith("支出"):
                    fa.note(WARNING, table, r, c, f"{table.place(r, c)}的收入项目“{lab}”无法识别，"
                            f"其金额 {format_amount(value)} 元没有导入，请手工核对。")
                continue
            if key not in target:
                target[key] = Fig(value, table, r, c)


def _read_fiscal(table: Table, fa: FinalAccounts) -> None:
    blocks = _blocks(table)
    for b in blocks:
        if not b["amounts"]:
            side = "收入" if b["side"] == "income" else "支出"
            raise _layout_error(table, f"“{side}”部分的金额列", c=b["label"])
    expense = next((b for b in blocks if b["side"] == "expense"), None)
    col_kind = {}
    if expense:
        for c in expense["amounts"]:
            head = table.header(c)
            kind = ("general" if "一般公共预算" in head else "fund" if "政府性基金" in head
                    else "state" if "国有资本" in head else "total" if "合计" in head or "金额" in head else None)
            if kind and kind not in col_kind.values():
                col_kind[c] = kind
        if "general" not in col_kind.values():
            raise _layout_error(table, "支出部分的“一般公共预算财政拨款”列", c=expense["label"])
    after_begin = False
    funds = {"一般公共预算财政拨款": "general", "政府性基金预算财政拨款": "fund", "国有资本经营预算财政拨款": "state"}
    for r in table.data_rows():
        for b in blocks:
            lab = label_of(table.raw(r, b["label"]))
            if not lab:
                continue
            if b["side"] == "income":
                c = b["amounts"][0]
                base = lab[:-2] if lab.endswith("收入") and lab[:-2] in funds else lab
                if base in funds:
                    key = ("begin_" if after_begin else "") + funds[base]
                elif lab.startswith("年初") and "结转" in lab:
                    key, after_begin = "carryover_begin", True
                elif lab in ("本年收入合计", "收入合计"):
                    key = "income_total"
                elif lab in ("收入总计", "总计"):
                    key = "grand_total"
                else:
                    continue
                if key not in fa.fiscal_income:
                    fa.fiscal_income[key] = Fig(table.num(r, c), table, r, c)
            else:
                if lab in ("本年支出合计", "支出合计"):
                    key = "expense_total"
                elif lab.startswith("年末") and "结转" in lab:
                    key = "carryover_end"
                elif lab in ("总计", "支出总计"):
                    key = "grand_total"
                else:
                    for c in col_kind:  # still read functional rows so a bad number is reported
                        table.num(r, c)
                    continue
                if key not in fa.fiscal_expense:
                    fa.fiscal_expense[key] = {kind: Fig(table.num(r, c), table, r, c) for c, kind in col_kind.items()}


# -- coded tables (收入决算表, 支出决算表, 一般公共预算支出表, 基金, 国资)

def _code_cols(table: Table) -> tuple[Optional[list[int]], int]:
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


def _read_coded(table: Table, spec: dict[str, tuple[str, ...]], required: tuple[str, ...],
                want_rows: bool = False) -> tuple[dict[str, Fig], list[tuple[str, str, dict[str, Fig]]]]:
    code_cols, name_col = _code_cols(table)
    amount_cols = [c for c in range(table.ncols()) if c not in code_cols and c != name_col]
    one_cell = name_col in code_cols
    cols: dict[str, int] = {}
    taken: set[int] = set()
    for key, aliases in spec.items():
        c = _find_col(table, amount_cols, aliases, taken)
        if c is not None:
            cols[key] = c
            taken.add(c)
    for key in required:
        if key not in cols:
            raise _layout_error(table, f"“{spec[key][0]}”列")
    total: dict[str, Fig] = {}
    rows: list[tuple[str, str, dict[str, Fig]]] = []
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
        if not is_total and not CODE.match(code):
            continue
        figs = {key: Fig(table.num(r, c), table, r, c) for key, c in cols.items()}
        if is_total:
            if not total:
                total = figs
        elif want_rows:
            rows.append((code, name, figs))
    return total, rows


def _read_detail(table: Table, fa: FinalAccounts) -> None:
    """人员经费合计 / 公用经费合计 with their 基本支出 figures (blocks side by side)."""
    fa.detail_basic_only = "基本支出" in norm(table.title)
    ncols = table.ncols()
    amount_cols = [c for c in range(ncols) if any(k in table.header(c) for k in ("金额", "决算数", "基本支出", "合计"))
                   and not any(k in table.header(c) for k in ("编码", "名称", "科目"))]
    for r in table.data_rows():
        for c in amount_cols:  # every amount is read, so an unreadable one is reported
            table.num(r, c)
        for c, v in table.own_cells(r):
            lab = label_of(v)
            key = {"人员经费合计": "personnel", "人员经费": "personnel", "公用经费合计": "operating",
                   "公用经费": "operating"}.get(lab)
            if key is None or key in fa.detail:
                continue
            amount = basic = None
            for cc in range(c + 1, ncols):
                if table.sheet.is_copy(r, cc):
                    continue
                value = table.raw(r, cc)
                if isinstance(value, str) and label_of(value) in ("人员经费合计", "公用经费合计", "人员经费", "公用经费"):
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


_TP_KINDS = ("overseas_travel", "vehicle_purchase", "vehicle_operation", "reception")


def _tp_kind(text: str) -> Optional[str]:
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


def _read_three_public(table: Table, fa: FinalAccounts) -> None:
    ncols = table.ncols()
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
                continue
            value = table.raw(r, c)
            if isinstance(value, str) and label_of(value) == row_label and row_label:
                continue
            head = "".join(parts)
            side = "final" if "决算" in head or "预算" not in head else "budget"
            kind = _tp_kind(parts[-1]) or (_tp_kind(row_label) if not _tp_kind(head) else None)
            fig = Fig(table.num(r, c), table, r, c)
            any_value = any_value or fig.value is not None
            target = fa.three_public_budget if side == "budget" else fa.three_public
            if kind:
                if kind not in target:
                    target[kind] = fig
                    seen = True
            elif fig.value is not None:
                fa.three_public_totals.setdefault(side, []).append(fig)
        if seen and not any_value and row_label == "":
            break
    if not seen:
        raise _layout_error(table, "三公经费的分项列（因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费）")


_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_PROCUREMENT_ROWS = {"合计": "total", "货物": "goods", "工程": "works", "服务": "services",
                     "政府采购支出总额": "total", "政府采购货物支出": "goods", "政府采购工程支出": "works",
                     "政府采购服务支出": "services"}
_AGENCY_PARTS = ("行政单位", "参照公务员法管理事业单位", "参照公务员法管理的事业单位", "参公单位")


def _read_info(table: Table, fa: FinalAccounts) -> None:
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
            fa.vehicles_total = (table.count(r, c), table, r, c)
        elif lab.endswith("用车") and "设备" not in lab:
            fa.vehicle_kinds.append((table.count(r, c), table, r, c))
    if amount_col is None:
        raise _layout_error(table, "金额列（“采购金额”或“统计数”）")


def agency_operating(fa: FinalAccounts) -> Optional[Decimal]:
    """机关运行经费: 行政单位 + 参公 when printed by kind, else the single figure."""
    if fa.agency_operating:
        return _sum(*(f.value for f in fa.agency_operating))
    return fa.agency_operating_total.value if fa.agency_operating_total else None


# -- all tables

_INCOME_COLS = {
    "income_total": ("本年收入合计", "收入合计", "合计"),
    "fiscal_total": ("财政拨款收入", "财政拨款"),
    "higher_subsidy": ("上级补助收入",), "service_income": ("事业收入",),
    "business_income": ("经营收入",), "affiliate_remittance": ("附属单位上缴收入",),
    "other_income": ("其他收入",),
}
_EXPENDITURE_COLS = {
    "total": ("本年支出合计", "支出合计", "合计"), "basic": ("基本支出",), "project": ("项目支出",),
    "remit_higher": ("上缴上级支出",), "business_expenditure": ("经营支出",),
    "affiliate_subsidy": ("对附属单位补助支出",),
}
_GENERAL_COLS = {"total": ("小计", "合计", "本年支出"), "basic": ("基本支出",), "project": ("项目支出",)}
_FUND_COLS = {"carryover_begin": ("年初结转和结余", "年初"), "income": ("本年收入",),
              "expense": ("本年支出小计", "本年支出合计", "小计", "合计"), "basic": ("基本支出",),
              "project": ("项目支出",), "carryover_end": ("年末结转和结余", "年末")}
_STATE_COLS = {"expense": ("合计", "小计", "本年支出"), "basic": ("基本支出",), "project": ("项目支出",)}


def read_tables(path: str | Path) -> FinalAccounts:
    """Read every 决算 table in the workbook at ``path`` (see module doc)."""
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

    readers = {
        OVERVIEW: lambda t: _read_overview(t, fa),
        FISCAL: lambda t: _read_fiscal(t, fa),
        DETAIL: lambda t: _read_detail(t, fa),
        THREE_PUBLIC: lambda t: _read_three_public(t, fa),
        INFO_TABLE: lambda t: _read_info(t, fa),
    }
    for kind, table in fa.tables.items():
        if kind in readers:
            readers[kind](table)
        elif kind == INCOME:
            fa.income, _ = _read_coded(table, _INCOME_COLS, ("income_total",))
        elif kind == EXPENDITURE:
            fa.expenditure, rows = _read_coded(table, _EXPENDITURE_COLS, ("total", "basic", "project"), want_rows=True)
            fa.functional_rows = [
                FunctionalRow(code=code, name=name, total=figs["total"].value,
                              basic=figs["basic"].value, project=figs["project"].value)
                for code, name, figs in rows]
        elif kind == GENERAL:
            fa.general, _ = _read_coded(table, _GENERAL_COLS, ("total",))
        elif kind == FUND:
            fa.fund, _ = _soft(table, fa, _FUND_COLS)
        elif kind == STATE_CAPITAL:
            fa.state_capital, _ = _soft(table, fa, _STATE_COLS)
    return fa


def _soft(table: Table, fa: FinalAccounts, spec) -> tuple[dict[str, Fig], list]:
    """Tables read only for cross-checks: an odd layout is a 提示, not an error."""
    try:
        return _read_coded(table, spec, tuple(list(spec)[:1]))
    except TableLayoutError:  # (an unreadable number is still an error)
        fa.note(INFO, table, table.start, 0, f"{table.name}的格式无法识别，未用于核对。")
        return {}, []


# ---------------------------------------------------------------- mapping

def _v(figs: dict[str, Fig], key: str) -> Optional[Decimal]:
    fig = figs.get(key)
    return fig.value if fig else None


def _sum(*values: Optional[Decimal]) -> Optional[Decimal]:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _tolerance(tables: list[Table], terms: int) -> Decimal:
    """元 tables must agree to the cent; 万元 tables may differ by their rounding tails."""
    if any(t.unit == "万元" for t in tables):
        return Decimal(50) * (terms + 1)
    return Decimal(0)


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


def figures(fa: FinalAccounts) -> tuple[list[tuple[str, str, Any]], list[ImportProblem]]:
    """(unit field or finance path, label, value) for every field the tables supply, plus notes."""
    out: list[tuple[str, str, Any]] = []
    notes: list[ImportProblem] = []

    def note(severity, fig: Optional[Fig], message):
        notes.append(ImportProblem(severity, fig.table.sheet.name if fig else "",
                                   fig.table.cell(fig.r, fig.c) if fig else "", message))

    unit = lambda key, value: out.append((f"unit.{key}", UNIT_FIELD_LABELS[key], value))  # noqa: E731
    t = fa.tables
    # income by source
    split = None
    if FISCAL in t and any(k in fa.fiscal_income for k in ("general", "fund", "state")):
        split = {k: _v(fa.fiscal_income, s) for k, s in
                 (("general_budget", "general"), ("fund_budget", "fund"), ("state_capital_budget", "state"))}
    elif OVERVIEW in t and any(k in fa.overview_income for k in ("general_budget", "fund_budget", "state_capital_budget")):
        split = {k: _v(fa.overview_income, k) for k in ("general_budget", "fund_budget", "state_capital_budget")}
    elif INCOME in t and "fiscal_total" in fa.income:
        split = {"general_budget": _v(fa.income, "fiscal_total"), "fund_budget": None, "state_capital_budget": None}
        note(INFO, fa.income["fiscal_total"], "没有找到财政拨款的分项（一般公共预算/政府性基金/国有资本经营），"
             "收入决算表中的财政拨款收入全部按一般公共预算财政拨款导入，请核对。")
    if split:
        for key, value in split.items():
            unit(key, value)
    for key in ("higher_subsidy", "service_income", "business_income", "affiliate_remittance", "other_income"):
        if INCOME in t and key in fa.income:
            unit(key, _v(fa.income, key))
        elif OVERVIEW in t and (INCOME not in t):
            unit(key, _v(fa.overview_income, key))
    # expenditure
    basic = None
    if EXPENDITURE in t:
        basic = fa.expenditure["basic"]
        unit("project_expenditure", _v(fa.expenditure, "project"))
        for key in ("remit_higher", "business_expenditure", "affiliate_subsidy"):
            if key in fa.expenditure:
                unit(key, _v(fa.expenditure, key))
    elif OVERVIEW in t and "basic" in fa.overview_expense:
        basic = fa.overview_expense["basic"]
        for key, src in (("project_expenditure", "project"), ("remit_higher", "remit_higher"),
                         ("business_expenditure", "business_expenditure"), ("affiliate_subsidy", "affiliate_subsidy")):
            if src in fa.overview_expense:
                unit(key, _v(fa.overview_expense, src))
    if basic is not None:
        personnel, operating = _split_basic(fa, basic, note)
        unit("personnel", personnel)
        unit("operating", operating)
    if OVERVIEW in t:
        if "carryover_begin" in fa.overview_income:
            unit("carryover_begin", _v(fa.overview_income, "carryover_begin"))
        if "carryover_end" in fa.overview_expense:
            unit("carryover_end", _v(fa.overview_expense, "carryover_end"))
    if EXPENDITURE in t:
        out.append(("finance.functional_rows", "支出功能分类科目（支出决算表）", fa.functional_rows))
    # 三公
    if THREE_PUBLIC in t:
        for kind in _TP_KINDS:
            out.append((f"unit.three_public.{kind}", f"三公经费决算：{TP_LABELS[kind]}", _v(fa.three_public, kind)))
        if fa.three_public_budget:
            for kind in _TP_KINDS:
                out.append((f"finance.three_public_budget.{kind}", f"三公经费预算：{TP_LABELS[kind]}",
                            _v(fa.three_public_budget, kind)))
    # 相关信息统计表
    if INFO_TABLE in t:
        if fa.procurement:  # a kind without its row is not bought: empty
            for key, label in (("goods", "政府采购：货物"), ("works", "政府采购：工程"), ("services", "政府采购：服务")):
                out.append((f"finance.procurement_{key}", label, _v(fa.procurement, key)))
        if fa.agency_operating or fa.agency_operating_total:
            out.append(("finance.agency_operating", "机关运行经费", agency_operating(fa)))
        vehicles = _vehicles(fa, note)
        if vehicles is not False:
            out.append(("finance.vehicles", "车辆数（辆）", vehicles))
    return out, notes


def _split_basic(fa: FinalAccounts, basic: Fig, note) -> tuple[Optional[Decimal], Optional[Decimal]]:
    """基本支出 → (人员经费, 公用经费); the rule is in the module doc."""
    total = basic.value
    if total is None:
        return None, None
    p_basic, o_basic = fa.detail.get("personnel_basic"), fa.detail.get("operating_basic")
    if p_basic is not None and o_basic is not None and p_basic.value is not None:
        parts = _sum(p_basic.value, o_basic.value)
        if parts == total:
            return p_basic.value, o_basic.value
        note(INFO, p_basic, f"{p_basic.table.name}中人员经费与公用经费的基本支出之和 {format_amount(parts)} 元"
             f"与支出决算表的基本支出 {format_amount(total)} 元不同（其余基本支出来自其他资金），未用于拆分。")
    agency = agency_operating(fa)
    if agency is not None:
        fig = (fa.agency_operating or [fa.agency_operating_total])[0]
        if agency > total:
            note(WARNING, fig, f"机关运行经费 {format_amount(agency)} 元大于基本支出 {format_amount(total)} 元，"
                 "无法据此拆分人员经费和公用经费：基本支出全部计入人员经费，请手工拆分。")
            return total, None
        note(INFO, fig, f"基本支出 {format_amount(total)} 元按机关运行经费拆分：公用经费 = 机关运行经费 "
             f"{format_amount(agency)} 元，人员经费 = 基本支出 − 机关运行经费 = {format_amount(total - agency)} 元。"
             "如单位另有公用经费数据，请在收支情况中修改。")
        return total - agency, agency
    note(WARNING, basic, f"决算表没有给出基本支出中人员经费和公用经费的拆分，基本支出 {format_amount(total)} 元"
         "已全部计入人员经费。请在收支情况中按单位账务把公用经费拆分出来。")
    return total, None


def _vehicles(fa: FinalAccounts, note):
    """车辆数: the 合计 row, else the sum of the kinds; False when the table has no 车辆 rows."""
    kinds = [v for v, *_ in fa.vehicle_kinds if v is not None]
    kind_sum = sum(kinds) if kinds else None
    if fa.vehicles_total is not None:
        value, table, r, c = fa.vehicles_total
        if value is not None:
            if kind_sum is not None and kind_sum != value:
                notes_fig = Fig(None, table, r, c)
                note(WARNING, notes_fig, f"{table.place(r, c)}的车辆数合计 {value} 辆与各类用车之和 {kind_sum} 辆不一致，"
                     "已按合计导入，请核对。")
            return value
        return kind_sum
    if fa.vehicle_kinds:
        return kind_sum
    return False


def _yuan(value: Optional[Decimal]) -> str:
    return format_amount(value, blank="0.00")


def cross_checks(fa: FinalAccounts) -> list[ImportProblem]:
    """Sums the tables themselves must satisfy; each failure is a 警告 saying where."""
    problems: list[ImportProblem] = []

    def check(figs: list[Fig], expected: Optional[Decimal], actual: Optional[Decimal], message: str, terms: int = 2):
        if expected is None and actual is None:
            return
        expected, actual = expected or Decimal(0), actual or Decimal(0)
        tables = [f.table for f in figs]
        if abs(expected - actual) > _tolerance(tables, terms):
            f = figs[0]
            problems.append(ImportProblem(WARNING, f.table.sheet.name, f.table.cell(f.r, f.c),
                                          f"{message}（相差 {_yuan(abs(expected - actual))} 元）。请核对决算表，"
                                          "如确有错误请向财政部门确认后在报告中修改。"))

    oi, oe = fa.overview_income, fa.overview_expense
    sources = ("general_budget", "fund_budget", "state_capital_budget", "higher_subsidy", "service_income",
               "business_income", "affiliate_remittance", "other_income")
    if oi.get("income_total") and oi["income_total"].value is not None:
        parts = [oi[k] for k in sources if k in oi]
        total = oi["income_total"]
        if parts:
            s = _sum(*(p.value for p in parts))
            check([total], total.value, s, f"{total.place}的本年收入合计 {_yuan(total.value)} 元"
                  f"不等于各项收入之和 {_yuan(s)} 元", len(parts))
    def total_of_parts(figs: dict, total_key: str, keys: tuple, overview: dict, overview_key: str, name: str,
                       parts: str):
        """A table's total against the sum of its parts, and against the same total in 总表."""
        if not (figs.get(total_key) and figs[total_key].value is not None):
            return
        keys = [k for k in keys if k in figs]
        s = _sum(*(figs[k].value for k in keys))
        total = figs[total_key]
        check([total], total.value, s, f"{total.place}的{name} {_yuan(total.value)} 元不等于{parts} {_yuan(s)} 元",
              len(keys))
        if overview_key in overview:
            o = overview[overview_key]
            check([o, total], o.value, total.value, f"{o.place}的{name} {_yuan(o.value)} 元与"
                  f"{total.place}的 {_yuan(total.value)} 元不一致")

    inc = fa.income
    total_of_parts(inc, "income_total", ("fiscal_total", "higher_subsidy", "service_income", "business_income",
                                         "affiliate_remittance", "other_income"),
                   oi, "income_total", "本年收入合计", "财政拨款收入与其他各项收入之和")
    # 总表 balance
    if "grand_total" in oi and "grand_total" in oe:
        a, b = oi["grand_total"], oe["grand_total"]
        check([a, b], a.value, b.value, f"{a.place}的收入总计 {_yuan(a.value)} 元不等于"
              f"{b.place}的支出总计 {_yuan(b.value)} 元")
    for figs, total_key, keys, text in (
            (oi, "grand_total", ("income_total", "nonfiscal_used", "carryover_begin"),
             "本年收入合计、使用非财政拨款结余与年初结转和结余之和"),
            (oe, "grand_total", ("expenditure_total", "surplus_distribution", "carryover_end"),
             "本年支出合计、结余分配与年末结转和结余之和")):
        if total_key in figs and any(k in figs for k in keys):
            total = figs[total_key]
            s = _sum(*(figs[k].value for k in keys if k in figs))
            check([total], total.value, s, f"{total.place}的总计 {_yuan(total.value)} 元不等于{text} "
                  f"{_yuan(s)} 元", len(keys))
    if "carryover_end" in oe and ("carryover_begin" in oi or "income_total" in oi):
        begin, income = _v(oi, "carryover_begin"), _v(oi, "income_total")
        used, spent, dist = _v(oi, "nonfiscal_used"), _v(oe, "expenditure_total"), _v(oe, "surplus_distribution")
        expected = (begin or 0) + (income or 0) + (used or 0) - (spent or 0) - (dist or 0)
        end = oe["carryover_end"]
        check([end], end.value, Decimal(expected), f"{end.place}的年末结转和结余 {_yuan(end.value)} 元不等于"
              f"年初结转和结余 + 本年收入合计 − 本年支出合计 = {_yuan(Decimal(expected))} 元", 5)
    # 支出决算表
    total_of_parts(fa.expenditure, "total", ("basic", "project", "remit_higher", "business_expenditure", "affiliate_subsidy"),
                   oe, "expenditure_total", "本年支出合计", "基本支出、项目支出等各项之和")
    # 财政拨款 split vs 收入决算表
    fi = fa.fiscal_income
    if "fiscal_total" in inc and any(k in fi for k in ("general", "fund", "state")):
        s = _sum(*(fi[k].value for k in ("general", "fund", "state") if k in fi))
        f = inc["fiscal_total"]
        check([f, fi.get("general") or f], f.value, s, f"{f.place}的财政拨款收入 {_yuan(f.value)} 元不等于"
              f"财政拨款收入支出决算总表中三项财政拨款之和 {_yuan(s)} 元", 3)
    # 一般公共预算 spending: 财政拨款总表 vs 一般公共预算财政拨款支出决算表
    spent = fa.fiscal_expense.get("expense_total", {}).get("general")
    gen = fa.general.get("total")
    if spent is not None and gen is not None:
        check([spent, gen], spent.value, gen.value, f"{spent.place}的一般公共预算财政拨款支出 "
              f"{_yuan(spent.value)} 元不等于{gen.place}一般公共预算财政拨款支出决算表的合计 "
              f"{_yuan(gen.value)} 元")
    if gen is not None and gen.value is not None and "basic" in fa.general:
        s = _sum(_v(fa.general, "basic"), _v(fa.general, "project"))
        check([gen], gen.value, s, f"{gen.place}的合计 {_yuan(gen.value)} 元不等于基本支出与项目支出之和 "
              f"{_yuan(s)} 元")
    # 政府性基金 / 国有资本经营 tables against the 财政拨款总表
    spent_by = fa.fiscal_expense.get("expense_total", {})
    for figs, key, other, text in ((fa.fund, "income", fi.get("fund"), "政府性基金预算财政拨款收入"),
                                   (fa.fund, "expense", spent_by.get("fund"), "政府性基金预算财政拨款支出"),
                                   (fa.state_capital, "expense", spent_by.get("state"), "国有资本经营预算财政拨款支出")):
        mine = figs.get(key)
        if mine is not None and other is not None:
            check([mine, other], mine.value, other.value, f"{mine.place}的{text} {_yuan(mine.value)} 元"
                  f"与{other.place}的 {_yuan(other.value)} 元不一致")
    # 财政拨款总表 balance
    if "grand_total" in fi and "grand_total" in fa.fiscal_expense:
        a = fi["grand_total"]
        b = fa.fiscal_expense["grand_total"].get("total") or fa.fiscal_expense["grand_total"].get("general")
        if b is not None:
            check([a, b], a.value, b.value, f"{a.place}的收入总计 {_yuan(a.value)} 元不等于"
                  f"{b.place}的总计 {_yuan(b.value)} 元")
    # 三公: 合计/小计 when printed
    for side, kinds, name in (("final", fa.three_public, "决算数"), ("budget", fa.three_public_budget, "预算数")):
        totals = fa.three_public_totals.get(side, [])
        if totals:
            grand = max(totals, key=lambda f: f.value)
            s = _sum(*(f.value for f in kinds.values()))
            check([grand], grand.value, s, f"{grand.place}的三公经费{name}合计 {_yuan(grand.value)} 元"
                  f"不等于各分项之和 {_yuan(s)} 元", 4)
    # 机关运行经费: total row and rows by kind, when both are printed
    if fa.agency_operating and fa.agency_operating_total and fa.agency_operating_total.value is not None:
        t = fa.agency_operating_total
        s = agency_operating(fa)
        check([t], t.value, s, f"{t.place}的机关运行经费 {_yuan(t.value)} 元不等于行政单位与参公单位之和 "
              f"{_yuan(s)} 元", len(fa.agency_operating))
    # 政府采购
    pr = fa.procurement
    if pr.get("total") and pr["total"].value is not None:
        s = _sum(*(pr[k].value for k in ("goods", "works", "services") if k in pr))
        check([pr["total"]], pr["total"].value, s, f"{pr['total'].place}的政府采购合计 "
              f"{_yuan(pr['total'].value)} 元不等于货物、工程、服务之和 {_yuan(s)} 元", 3)
    return problems


# ---------------------------------------------------------------- preview / apply

def _unit_label(name: str, label: str) -> str:
    return f"{name}：{label}" if name else label


def preview(path: str | Path, report: Report) -> ImportResult:
    """What importing ``path`` would change in ``report`` (which is not modified)."""
    fa = read_tables(path)
    values, notes = figures(fa)
    result = ImportResult(source=Path(path).name)
    result.found = [f"{t.name} {TABLE_NAMES[k]}（{t.sheet.name}，第 {t.start + 1} 行，金额单位：{t.unit}）"
                    for k, t in sorted(fa.tables.items(), key=lambda kv: list(TABLE_NAMES).index(kv[0]))]
    problems = list(fa.notes)
    units = report.finance.units
    if units:
        unit_name = units[0].name or "第 1 个单位"
        if len(units) > 1:
            problems.append(ImportProblem(INFO, "", "", f"报告中有 {len(units)} 个单位，决算表的数据导入到第一个单位"
                                          f"“{unit_name}”。决算表是整个部门的汇总数，如需分到各单位，请在收支情况中调整。"))
    else:
        unit_name = DEFAULT_UNIT_NAME
        result.create_unit = DEFAULT_UNIT_NAME
    for key, label, new in values:
        if key.startswith("unit."):
            path_ = f"finance.units[0].{key[5:]}"
            label = _unit_label(unit_name, label)
        else:
            path_ = key
        old = _current(report, path_)
        if key == "finance.functional_rows":
            label = f"{label}：{len(new)} 行"
        if old == new:
            result.unchanged.append(path_)
        else:
            result.changes.append(Change(path_, label, old, new))
    # 部门名称 and 年度
    if fa.department:
        if not report.basic.department.strip():
            result.changes.insert(0, Change("basic.department", "部门（单位）名称", report.basic.department, fa.department))
        elif norm(report.basic.department) != norm(fa.department):
            problems.append(ImportProblem(WARNING, "", "", f"决算表的部门名称“{fa.department}”与报告的"
                                          f"“{report.basic.department}”不同，请确认没有选错文件。"))
    if fa.year and report.fiscal_year and fa.year != report.fiscal_year:
        problems.append(ImportProblem(WARNING, "", "", f"决算表是 {fa.year} 年度的，报告是 {report.fiscal_year} 年度，"
                                      "请确认没有选错文件。"))
    for kind, name in TABLE_NAMES.items():
        if kind not in fa.tables:
            problems.append(ImportProblem(INFO, "", "", f"工作簿中没有找到“{name}”，{_MISSING_HINT[kind]}"))
    problems += notes
    problems += cross_checks(fa)
    result.problems = problems
    return result


_MISSING_HINT = {
    OVERVIEW: "年初/年末结转和结余未导入。",
    INCOME: "上级补助、事业、经营、附属单位上缴和其他收入取自总表（如有）。",
    EXPENDITURE: "支出（基本支出、项目支出）和支出功能分类未导入。",
    FISCAL: "财政拨款分项取自总表（如有）。",
    GENERAL: "未核对一般公共预算财政拨款支出。",
    DETAIL: "人员经费与公用经费按机关运行经费拆分（如有）。",
    THREE_PUBLIC: "三公经费未导入。",
    FUND: "未核对政府性基金预算财政拨款。",
    STATE_CAPITAL: "未核对国有资本经营预算财政拨款。",
    INFO_TABLE: "政府采购、机关运行经费和车辆数未导入。",
}


def _current(report: Report, path: str) -> Any:
    if path.startswith("finance.units[0]") and not report.finance.units:
        return None
    value = edits.get_at(report, path)
    if isinstance(value, list):
        return edits.clone(value)
    return value


def apply(report: Report, result: ImportResult) -> None:
    """Write the previewed changes and mark every imported path as "imported".

    Raises FinalAccountsError, changing nothing, when the report was edited
    after the preview (old values no longer match): preview again.
    """
    if result.create_unit and report.finance.units:
        raise FinalAccountsError("报告在预览之后已添加了单位，请重新导入预览后再确认。")
    for ch in result.changes:
        if _current(report, ch.path) != ch.old:
            raise FinalAccountsError(f"“{ch.label}”在预览之后被修改过，请重新导入预览后再确认。")
    if result.create_unit:
        report.finance.units.append(UnitFinance(name=result.create_unit, three_public=ThreePublic()))
    for ch in result.changes:
        new = edits.clone(ch.new) if isinstance(ch.new, list) else ch.new
        edits.set_at(report, ch.path, new)
    if any(ch.path == "finance.functional_rows" for ch in result.changes):
        for key in [k for k in report.provenance if k.startswith("finance.functional_rows[")]:
            del report.provenance[key]
    for path in imported_paths(result, report):
        report.provenance[path] = "imported"


_ROW_ATTRS = ("code", "name", "total", "basic", "project")


def imported_paths(result: ImportResult, report: Report) -> list[str]:
    """Every field path the import sets or confirms (functional rows cell by cell, as the UI colours them)."""
    out = []
    for path, rows in [(ch.path, ch.new) for ch in result.changes] + [(p, None) for p in result.unchanged]:
        if path == "finance.functional_rows":
            n = len(rows) if rows is not None else len(report.finance.functional_rows)
            out += [f"finance.functional_rows[{i}].{attr}" for i in range(n) for attr in _ROW_ATTRS]
        else:
            out.append(path)
    return out


def has_updates(report: Report, result: ImportResult) -> bool:
    """Whether apply() would change anything, values or provenance marks."""
    return bool(result.changes or result.create_unit) or any(
        report.provenance.get(p) != "imported" for p in imported_paths(result, report))


def describe(value: Any, unit: str = "yuan") -> str:
    """A value as the preview shows it: amounts in the report's unit, lists by size."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return format_amount(value, unit)
    if isinstance(value, list):
        return f"{len(value)} 行"
    return str(value)


def preview_text(result: ImportResult, unit: str = "yuan") -> str:
    """The preview as the command line prints it: tables found, old → new per field, problems."""
    from ..money import UNIT_LABELS

    lines = [f"从“{result.source}”找到 {len(result.found)} 张决算表："]
    lines += [f"  {f}" for f in result.found]
    if result.create_unit:
        lines.append(f"报告中还没有单位，将新建单位“{result.create_unit}”。")
    if result.changes:
        lines.append(f"将更新 {len(result.changes)} 项（金额单位：{UNIT_LABELS.get(unit, unit)}）：")
        width = max(len(ch.label) for ch in result.changes)
        for ch in result.changes:
            lines.append(f"  {ch.label.ljust(width, '　')}  {describe(ch.old, unit)} → {describe(ch.new, unit)}")
    else:
        lines.append("报告中的数据与决算表一致，没有需要更新的项目。")
    if result.unchanged:
        lines.append(f"另有 {len(result.unchanged)} 项与报告中现有的值相同（含两边都为空），保持不变。")
    if result.problems:
        lines.append("核对发现：")
        for p in result.problems:
            where = f"（{p.sheet} {p.cell}）" if p.sheet and p.cell and p.sheet not in p.message else ""
            lines.append(f"  [{p.severity}] {p.message}{where}")
    return "\n".join(lines)
