"""Export a report's targets as 绩效目标表 (xlsx) in the layout ``model.importers.targets`` reads.

A township sends its projects' targets to the county, or keeps them for next
year: one sheet per project (项目名称, 主管部门/实施单位, 项目资金 with 年初预算数
and 全年预算数(A), 年度总体目标, then 一级/二级/三级指标, 年度指标值, 分值) and,
when the report has department goals, a 整体绩效目标表 sheet (部门名称,
年度总体绩效目标, 一级/二级/三级指标, 指标值).  Columns the report does not use
are left out: 指标性质 (a typed comparator), 计量单位 and 指标类型 (定量/定性)
appear only when some row has one.  Amounts are in 万元 when every amount is
a whole 100 元 (万元 with two decimals), else in 元, so reading the file back
gives the same figures to the cent; a unit in its own column is taken off
the 指标值 it ends, as the reader appends it again.  Text is written as text,
never as a formula.
"""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from model import templates
from model.report import Project, Report
from model.targets import parse_quantity

from .files import write_file
from .xlsx.cells import set_text
from .xlsx.layout import sheet_name

_SIDE = Side(style="thin")
_BORDER = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
_WRAP = Alignment(wrap_text=True, vertical="center")
_HUNDRED = Decimal(100)
NATURE_TEXT = {"quantitative": "定量", "qualitative": "定性"}
FUND_ROWS = (("funds_total", "年度资金总额"), ("funds_current", "其中：当年财政拨款"),
             ("funds_carryover", "上年结转资金"), ("funds_other", "其他资金"))


def _put(ws, r: int, c: int, value, bold: bool = False) -> None:
    cell = ws.cell(row=r, column=c)
    if isinstance(value, Decimal):
        cell.value = value
        cell.number_format = "#,##0.00" if value != value.to_integral_value() else "0"
    elif value is not None:
        set_text(cell, str(value))
    cell.border, cell.alignment = _BORDER, _WRAP
    if bold:
        cell.font = Font(bold=True)


def _span(ws, r: int, c1: int, c2: int, value, bold: bool = False, r2: int | None = None) -> None:
    """A value over columns c1..c2 (and rows r..r2), every cell of the range bordered (STACK-NOTES)."""
    r2 = r if r2 is None else r2
    for rr in range(r, r2 + 1):
        for cc in range(c1, c2 + 1):
            _put(ws, rr, cc, value if (rr, cc) == (r, c1) else None, bold)
    if (r2, c2) != (r, c1):
        ws.merge_cells(start_row=r, start_column=c1, end_row=r2, end_column=c2)


def _money_unit(projects: list[Project]) -> str:
    amounts = [getattr(getattr(p, row), attr) for p in projects for row in ("funds_current", "funds_carryover", "funds_other")
               for attr in ("initial_budget", "annual_budget")]
    return "wan" if all(a is None or a % _HUNDRED == 0 for a in amounts) else "yuan"


def _amount(value: Decimal | None, unit: str):
    if value is None:
        return None
    return value / 10000 if unit == "wan" else value


def _target(text: str, unit: str) -> str:
    """The 指标值 without the unit its own column states (the reader appends it again to a bare number)."""
    q = parse_quantity(text)
    if unit and q is not None and text.endswith(unit) and parse_quantity(text[:-len(unit)]) is not None \
            and not parse_quantity(text[:-len(unit)]).unit:
        return text[:-len(unit)]
    return text


def _grid_columns(rows) -> list[tuple[str, str]]:
    """(attr, header) of the indicator grid: the fixed ones and those some row uses."""
    cols = [("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标")]
    if any(r.comparator for r in rows):
        cols.append(("comparator", "指标性质"))
    cols.append(("target", "年度指标值"))
    if any(r.unit for r in rows):
        cols.append(("unit", "计量单位"))
    if any(r.nature != "auto" for r in rows):
        cols.append(("nature", "指标类型"))
    return cols


def _project_sheet(ws, report: Report, project: Project, form, unit: str) -> None:
    rows = project.indicators
    cols = _grid_columns(rows) + [("weight", "分值")]
    last = max(len(cols), 6)
    _span(ws, 1, 1, last, "项目支出绩效目标表", bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    _span(ws, 2, 1, last, f"（{report.fiscal_year}年度）" if report.fiscal_year else "")
    _put(ws, 3, 1, "项目名称", True)
    _span(ws, 3, 2, last, project.name)
    _put(ws, 4, 1, "主管部门", True)
    _span(ws, 4, 2, 3, project.authority)
    _put(ws, 4, 4, "实施单位", True)
    _span(ws, 4, 5, last, project.implementer)
    _span(ws, 5, 1, 1, f"项目资金（{'万元' if unit == 'wan' else '元'}）", True, r2=5 + len(FUND_ROWS))
    for c, text in ((2, ""), (3, "年初预算数"), (4, "全年预算数(A)")):
        _put(ws, 5, c, text, True)
    for i, (attr, label) in enumerate(FUND_ROWS, 6):
        funds = getattr(project, attr)
        _put(ws, i, 2, label)
        _put(ws, i, 3, _amount(funds.initial_budget, unit))
        _put(ws, i, 4, _amount(funds.annual_budget, unit))
    r = 6 + len(FUND_ROWS)
    _put(ws, r, 1, "年度总体目标", True)
    _span(ws, r, 2, last, project.goal_expected)
    r += 1
    for c, (_attr, header) in enumerate(cols, 1):
        _put(ws, r, c, header, True)
    names = {l1.id: l1.name for l1 in form.level1}
    for i, row in enumerate(rows, r + 1):
        for c, (attr, _header) in enumerate(cols, 1):
            value = getattr(row, attr)
            if attr == "level1":
                value = names.get(value, value)
            elif attr == "target":
                value = _target(value, row.unit)
            elif attr == "nature":
                value = NATURE_TEXT.get(value, "")
            _put(ws, i, c, value)
    _merge_runs(ws, r + 1, [names.get(x.level1, x.level1) for x in rows], 1)
    _merge_runs(ws, r + 1, [(x.level1, x.level2) for x in rows], 2)
    for c, width in zip(range(1, last + 1), (14, 18, 24, 16, 16, 10, 10, 10)):
        ws.column_dimensions[get_column_letter(c)].width = width


def _merge_runs(ws, first: int, keys: list, col: int) -> None:
    """Merge each run of equal 一级 (二级) cells down the column, as the printed form does."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                ws.merge_cells(start_row=first + start, start_column=col, end_row=first + i - 1, end_column=col)
            start = i


def _dept_sheet(ws, report: Report) -> None:
    goals = report.dept_goals
    _span(ws, 1, 1, 4, "部门整体绩效目标表", bold=True)
    _put(ws, 2, 1, "部门名称", True)
    _span(ws, 2, 2, 4, report.basic.department)
    _put(ws, 3, 1, "年度总体绩效目标", True)
    _span(ws, 3, 2, 4, report.basic.performance_goal)
    for c, header in enumerate(("一级指标", "二级指标", "三级指标", "指标值"), 1):
        _put(ws, 4, c, header, True)
    for r, g in enumerate(goals, 5):
        for c, value in enumerate((g.category, g.dimension, g.name, g.target), 1):
            _put(ws, r, c, value)
    for c, width in zip(range(1, 5), (14, 20, 36, 36)):
        ws.column_dimensions[get_column_letter(c)].width = width


def build_targets(report: Report, tpl) -> Workbook:
    form = templates.project_form(tpl)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    unit = _money_unit(report.projects)
    if form is not None:
        for i, project in enumerate(report.projects):
            base = f"项目{i + 1}-{project.name.strip()}" if project.name.strip() else f"项目{i + 1}"
            _project_sheet(wb.create_sheet(_unique(base, taken)), report, project, form, unit)
    if report.dept_goals or report.basic.performance_goal.strip():
        _dept_sheet(wb.create_sheet(_unique("整体绩效目标表", taken)), report)
    if not wb.worksheets:
        ws = wb.create_sheet("说明")
        set_text(ws.cell(row=1, column=1), "本报告还没有项目，也没有部门整体绩效目标，没有可导出的绩效目标。")
    return wb


def _unique(base: str, taken: set[str]) -> str:
    return sheet_name(SimpleNamespace(title=base, key=""), None, taken)


def export_targets(report: Report, tpl, path) -> None:
    """Write the targets workbook to ``path`` (ExportError with the reason when it cannot be written)."""
    import io

    buf = io.BytesIO()
    build_targets(report, tpl).save(buf)
    write_file(path, buf.getvalue())
