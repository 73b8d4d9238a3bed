"""Finding 绩效目标表 in a workbook's grids and reading them as written (no template yet).

A table is found by its indicator grid's header row — a row naming 一级 (or
二级), 三级 and 指标值 columns (``columns.GRID_ROLES``) — never by sheet,
position or title, so one table per sheet, several stacked in a sheet and a
sheet holding other things all read the same way.  The rows above a header,
back to the previous table, are its head: field labels (项目名称, 主管部门,
实施单位, 资金 rows, 年度总体目标; 部门名称, 职责 for the department's
整体绩效目标表), each value the text or number right of its label (a merged
label spreading over its row names the cells to its right as well).  A header
that has a 项目名称 column makes it one long table of many projects: each row
says its project (a blank or merged cell repeats the one above) and may carry
主管部门, 资金 and 年度总体目标 columns.

Grid rows run from below the header (and a second header row, when the
header is split over two) to the 总分/合计 row, a 注 or 项目名称 row, the next
header or the sheet's end.  A blank or merged 一级/二级 cell repeats the one
above; 一级 cells may carry their 分值 in brackets (“产出指标（50分）”).  The
comparator is read from its own column (≥, >=, 不低于 …; 定量/定性 there mean the
indicator's nature) or left in the value as written; a unit in its own column
is appended to a bare number (1.47 + 万人 → 1.47万人, as the one-column form
writes it) and kept as the row's 计量单位.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from ...money import MoneyError, parse_number
from ...targets import SYMBOL, operator, parse_quantity
from ..common import WARNING, ImportProblem
from ..final_accounts.text import code_text, norm
from ..workbook import Sheet, column_letter
from .columns import (
    AUTHORITY, COMPARATOR, DEPARTMENT, DUTIES, FUNDS_CARRYOVER, FUNDS_CURRENT, FUNDS_OTHER, FUNDS_TOTAL,
    GOAL, IMPLEMENTER, LEVEL1, LEVEL2, NAME, NATURE, PROJECT, TARGET, UNIT, WEIGHT, bare,
    money_unit, points_in, role_of, text_of,
)

FUND_ROLES = (FUNDS_TOTAL, FUNDS_CURRENT, FUNDS_CARRYOVER, FUNDS_OTHER)
TEXT_FIELDS = (PROJECT, AUTHORITY, IMPLEMENTER, GOAL, DEPARTMENT, DUTIES)
NATURES = {"定量": "quantitative", "定性": "qualitative"}
# the first words of rows that end a grid: its total, the notes, the sign-off lines, the next table's head
_STOPS = ("总分", "合计", "总计", "注", "说明", "填报", "项目用款单位", "自我评定", "主管部门审核", "审核", "项目名称",
          "部门名称")
# amount columns of the 资金 block: 年初预算数 / 全年预算数(A); 执行数 is an actual, not a target
_AMOUNT_COLUMNS = (("年初预算", ("initial",)), ("全年预算", ("annual",)), ("执行数", ()),
                   ("预算数", ("initial", "annual")), ("申报数", ("initial", "annual")), ("金额", ("initial", "annual")))


@dataclass
class TargetRow:
    """One indicator row as the table writes it."""
    level1: str  # as written, without its bracketed 分值
    level1_points: Optional[str]  # “产出指标（50分）” → "50"
    level2: str
    name: str
    target: str
    comparator: str = ""  # ≥ ≤ = from a comparator column, else ""
    unit: str = ""
    weight: Optional[Decimal] = None
    nature: str = "auto"
    cell: str = ""  # the 三级指标 cell: “Sheet1 C12”


@dataclass
class TargetTable:
    """One project's (or the department's) targets as found in the workbook."""
    kind: str  # "project" / "dept"
    sheet: str
    row: int  # 0-based row of the grid header
    fields: dict[str, str] = field(default_factory=dict)  # role → text (项目名称, 主管部门, …)
    funds: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # fund role → initial/annual → amount
    money: Optional[str] = None  # "wan" / "yuan" when the table says
    rows: list[TargetRow] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)  # the grid's columns (WEIGHT, UNIT, COMPARATOR …)
    cells: dict[str, str] = field(default_factory=dict)  # field role → where it was read
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.fields.get(PROJECT) or self.fields.get(DEPARTMENT, "")


def where(sheet: Sheet, r: int, c: int) -> str:
    return f"{column_letter(c)}{r + 1}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return code_text(value)
    return str(value).strip()


def _roles(sheet: Sheet, r: int) -> dict[int, str]:
    row = sheet.rows[r] if r < sheet.nrows else []
    return {c: role for c, v in enumerate(row) if (role := role_of(v))}


def _is_header(roles: dict[int, str]) -> bool:
    found = set(roles.values())
    return NAME in found and TARGET in found and bool({LEVEL1, LEVEL2} & found)


def _number(value: Any) -> Optional[Decimal]:
    if isinstance(value, Decimal):
        return value
    text = norm(value).rstrip("分")
    if not text:
        return None
    try:
        return parse_number(text, places=None)
    except (MoneyError, InvalidOperation):
        return None


def _first_text(sheet: Sheet, r: int) -> str:
    return next((text_of(v) for v in sheet.rows[r] if v is not None), "") if r < sheet.nrows else ""


# ---------------------------------------------------------------- the head: fields above the grid

def _amount_columns(sheet: Sheet, rows: range) -> dict[int, tuple[str, ...]]:
    """Column → which amounts it holds, from a 资金 header row (年初预算数 / 全年预算数(A) / 全年执行数(B))."""
    for r in rows:
        cols = {}
        for c, v in enumerate(sheet.rows[r]):
            text = norm(v) if isinstance(v, str) else ""
            hit = next((kinds for word, kinds in _AMOUNT_COLUMNS if word in text and len(text) <= 12), None)
            if hit is not None:
                cols[c] = hit
        if any(cols.values()):
            return cols
    return {}


def _read_head(sheet: Sheet, rows: range, table: TargetTable) -> None:
    amounts = _amount_columns(sheet, rows)
    pending_goal = None  # column of a 年度总体目标/预期目标 label whose text is on a later row
    texts = []
    for r in rows:
        current = None
        for c, v in enumerate(sheet.rows[r]):
            if v is None:
                continue
            role = role_of(v)
            if role is not None:
                current = role
                texts.append(_text(v))
                if role == GOAL and GOAL not in table.fields:
                    pending_goal = c
                continue
            if current in FUND_ROLES:
                _fund_value(sheet, r, c, v, current, amounts, table)
            elif current in TEXT_FIELDS and current not in table.fields and isinstance(v, str):
                table.fields[current], table.cells[current] = _text(v), where(sheet, r, c)
            elif (current is None and pending_goal is not None and c >= pending_goal and GOAL not in table.fields
                  and isinstance(v, str)):
                table.fields[GOAL], table.cells[GOAL] = _text(v), where(sheet, r, c)
    table.money = money_unit(texts)


def _fund_value(sheet: Sheet, r: int, c: int, v: Any, role: str, amounts: dict[int, tuple[str, ...]], table: TargetTable) -> None:
    number = _number(v)
    if number is None or sheet.is_copy(r, c) or (amounts and c not in amounts):
        return
    slot = table.funds.setdefault(role, {})
    for kind in amounts.get(c, ()) if amounts else ("initial", "annual"):
        if kind not in slot:
            slot[kind] = number
    table.cells.setdefault(role, where(sheet, r, c))


# ---------------------------------------------------------------- the grid

@dataclass
class _Grid:
    cols: dict[str, int]  # role → column (the first column naming it)
    first: int  # first data row
    row_fields: dict[str, int] = field(default_factory=dict)  # long table: project field role → column


def _grid(sheet: Sheet, header: int) -> _Grid:
    roles = _roles(sheet, header)
    below = _roles(sheet, header + 1)
    first = header + 1
    if _is_label_row(sheet, header + 1):
        # a second header row (年度指标值 split into 指标性质 | 指标值 | 度量单位): its words name the columns
        # below them, over the merged group heading above
        roles = {**roles, **below}
        first = header + 2
    cols: dict[str, int] = {}
    for c, role in sorted(roles.items()):
        cols.setdefault(role, c)
    extra = {role: c for role, c in cols.items() if role in TEXT_FIELDS + FUND_ROLES and role != PROJECT}
    return _Grid(cols, first, extra)


def _is_label_row(sheet: Sheet, r: int) -> bool:
    """Every cell of the row's own (not merged down from above) names a column."""
    row = sheet.rows[r] if r < sheet.nrows else []
    cells = [v for c, v in enumerate(row) if v is not None and not sheet.is_copy(r, c)]
    return bool(cells) and all(role_of(v) for v in cells)


def _cell(sheet: Sheet, r: int, grid: _Grid, role: str) -> Any:
    c = grid.cols.get(role)
    return None if c is None else sheet.value(r, c)


def _is_stop(sheet: Sheet, r: int) -> bool:
    first = _first_text(sheet, r)
    return first.startswith(_STOPS) or _is_header(_roles(sheet, r))


def _grid_rows(sheet: Sheet, grid: _Grid, problems: list[ImportProblem]):
    """(row index, TargetRow) for every indicator row of the grid, levels carried down."""
    level1 = level2 = ""
    points = None
    r = grid.first
    while r < sheet.nrows and not _is_stop(sheet, r):
        name, target = _text(_cell(sheet, r, grid, NAME)), _text(_cell(sheet, r, grid, TARGET))
        raw1, raw2 = _cell(sheet, r, grid, LEVEL1), _cell(sheet, r, grid, LEVEL2)
        if raw1 is not None and bare(raw1) != level1:
            level1, points, level2 = bare(raw1), points_in(raw1), ""
        if raw2 is not None:
            level2 = bare(raw2)
        if name or target:
            yield r, _row(sheet, r, grid, level1, points, level2, name, target, problems)
        r += 1


def _row(sheet: Sheet, r: int, grid: _Grid, level1: str, points, level2: str, name: str, target: str,
         problems: list[ImportProblem]) -> TargetRow:
    row = TargetRow(level1, points, level2, name, target,
                    cell=f"{sheet.name} {where(sheet, r, grid.cols.get(NAME, 0))}")
    for role in (COMPARATOR, NATURE):
        text = _text(_cell(sheet, r, grid, role))
        op = operator(text) if text else ""
        if op:
            row.comparator = SYMBOL[op]
        elif text in NATURES:
            row.nature = NATURES[text]
        elif text:
            problems.append(ImportProblem(WARNING, sheet.name, where(sheet, r, grid.cols[role]),
                                          f"“{name}”的指标性质“{text}”读不懂（应为 ≥、≤、=、定量或定性），未导入该栏，"
                                          "请在项目支出中填写比较符。"))
    row.unit = _text(_cell(sheet, r, grid, UNIT))
    q = parse_quantity(target)
    if row.unit and q is not None and not q.unit and not target.endswith(row.unit):
        row.target = f"{target}{row.unit}"
    weight = _cell(sheet, r, grid, WEIGHT)
    if weight is not None:
        row.weight = _number(weight)
        if row.weight is None:
            problems.append(ImportProblem(WARNING, sheet.name, where(sheet, r, grid.cols[WEIGHT]),
                                          f"“{name}”的分值“{_text(weight)}”不是数字，按没有分值处理（将给出建议分值）。"))
    return row


# ---------------------------------------------------------------- tables

def read_sheet(sheet: Sheet) -> list[TargetTable]:
    headers = [r for r in range(sheet.nrows) if _is_header(_roles(sheet, r))]
    tables: list[TargetTable] = []
    head_start = 0
    for header in headers:
        if header < head_start:  # the second row of a split header, read with the first
            continue
        grid = _grid(sheet, header)
        if PROJECT in grid.cols:
            tables += _long_table(sheet, header, grid, range(head_start, header))
        else:
            table = TargetTable("project", sheet.name, header, roles=set(grid.cols))
            _read_head(sheet, range(head_start, header), table)
            if DEPARTMENT in table.fields and PROJECT not in table.fields:
                table.kind = "dept"
            table.rows = [row for _, row in _grid_rows(sheet, grid, table.problems)]
            tables.append(table)
        head_start = _end_of(sheet, grid)
    return tables


def _end_of(sheet: Sheet, grid: _Grid) -> int:
    r = grid.first
    while r < sheet.nrows and not _is_stop(sheet, r):
        r += 1
    # the 总分 row and the notes under it belong to this table, not to the next one's head
    while r < sheet.nrows and not _first_text(sheet, r).startswith(("项目名称", "部门名称")) \
            and not _is_header(_roles(sheet, r)) and not _is_title(sheet, r):
        r += 1
    return r


def _is_title(sheet: Sheet, r: int) -> bool:
    return "目标" in _first_text(sheet, r) and _first_text(sheet, r).endswith(("表", "申报表"))


def _long_table(sheet: Sheet, header: int, grid: _Grid, head: range) -> list[TargetTable]:
    """One table listing many projects: a 项目名称 column, and perhaps 主管部门, 资金, 年度总体目标 columns."""
    shared = TargetTable("project", sheet.name, header)
    _read_head(sheet, head, shared)
    money = shared.money or money_unit([_text(v) for v in sheet.rows[header]])
    by_name: dict[str, TargetTable] = {}
    project = ""
    problems: list[ImportProblem] = []
    for r, row in _grid_rows(sheet, grid, problems):
        named = _text(sheet.value(r, grid.cols[PROJECT]))
        project = named or project
        if not project:
            problems.append(ImportProblem(WARNING, sheet.name, row.cell.split()[-1],
                                          f"指标“{row.name}”所在行没有项目名称，未导入。请在“项目名称”栏填写。"))
            continue
        table = by_name.get(project)
        if table is None:
            table = by_name[project] = TargetTable("project", sheet.name, header, dict(shared.fields),
                                                   money=money, roles=set(grid.cols))
            table.fields[PROJECT], table.cells[PROJECT] = project, where(sheet, r, grid.cols[PROJECT])
        for role, c in grid.row_fields.items():
            value = sheet.value(r, c)
            if value is None or sheet.is_copy(r, c) and role in table.fields:
                continue
            if role in FUND_ROLES:
                number = _number(value)
                if number is not None:
                    table.funds.setdefault(role, {"initial": number, "annual": number})
                    table.cells.setdefault(role, where(sheet, r, c))
            elif role not in table.fields:
                table.fields[role], table.cells[role] = _text(value), where(sheet, r, c)
        table.rows.append(row)
    tables = list(by_name.values())
    if tables:
        tables[0].problems = problems
    elif problems:
        shared.problems = problems
        return [shared]
    return tables


def read_tables(sheets: list[Sheet]) -> list[TargetTable]:
    """Every target table of the workbook, in sheet and row order."""
    return [t for sheet in sheets for t in read_sheet(sheet)]
