"""Preview and apply: what importing a workbook would change (old → new, with the cell each new value
comes from), the problems found, and writing it into the report.

``preview(path, report)`` never touches the report.  Each ``Change`` carries
its ``source`` (“收入决算表（Sheet3）C8，万元”; for the 功能分类 rows the table
and row range); ``ImportResult.precision`` holds, per report path, half a
unit of the last digit its source printed, in 元, where that is coarser than
a cent (a 万元 table: 50 元 per cell).  ``apply`` writes the values, marks the
paths as "imported" and replaces their ``Report.source_precision`` entries.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ... import edits
from ...report import Report, ThreePublic, UnitFinance
from ..common import INFO, WARNING, Change, ImportProblem, ImportResult, preview_lines
from .cross_checks import cross_checks
from .figures import Fig, FinalAccounts
from .mapping import figures
from .read import read_tables
from .text import (
    DETAIL, EXPENDITURE, FISCAL, FUND, GENERAL, INCOME, INFO_TABLE, OVERVIEW, STATE_CAPITAL, TABLE_NAMES,
    THREE_PUBLIC, FinalAccountsError, norm,
)

DEFAULT_UNIT_NAME = "本级"
ROWS = "finance.functional_rows"
_ROW_ATTRS = ("code", "name", "total", "basic", "project")

_MISSING_HINT = {
    OVERVIEW: "年初/年末结转和结余未导入。",
    INCOME: "上级补助、事业、经营、附属单位上缴和其他收入取自总表（如有）。",
    EXPENDITURE: "支出（基本支出、项目支出）和支出功能分类未导入。",
    FISCAL: "财政拨款分项取自总表（如有），财政拨款支出未导入。",
    GENERAL: "未核对一般公共预算财政拨款支出。",
    DETAIL: "人员经费与公用经费按机关运行经费拆分（如有）。",
    THREE_PUBLIC: "三公经费未导入。",
    FUND: "未核对政府性基金预算财政拨款。",
    STATE_CAPITAL: "未核对国有资本经营预算财政拨款。",
    INFO_TABLE: "政府采购、机关运行经费和车辆数未导入。",
}


def source_text(figs: list[Fig], rows: bool = False) -> str:
    """Where a value was read: 收入决算表（Sheet3）C8，万元; several cells of one unit share it; rows: the range."""
    if not figs:
        return ""
    if rows:
        first, last = min(f.r for f in figs), max(f.r for f in figs)
        t = figs[0].table
        return f"{TABLE_NAMES[t.kind]}（{t.sheet.name}）第 {first + 1}–{last + 1} 行，{t.unit}"
    units = {f.table.unit for f in figs if not f.count}
    if len(units) <= 1:
        cells = "、".join(dict.fromkeys(f.table.source(f.r, f.c) for f in figs))
        return f"{cells}，{units.pop()}" if units else cells
    return "；".join(dict.fromkeys(f.source for f in figs))


def _half_units(figs: list[Fig]) -> Decimal | None:
    """How exact a value made of ``figs`` is: the sum of its source cells' half units (人员经费 = 基本支出 −
    机关运行经费 carries the tails of both), when coarser than a cent."""
    cells = {(id(f.table), f.r, f.c): f for f in figs}  # a cell named twice counts once
    return sum((f.half_unit for f in cells.values()), Decimal(0)) or None


def _precision(fa: FinalAccounts, path: str, figs: list[Fig]) -> dict[str, Decimal]:
    if path != ROWS:
        half = _half_units(figs)
        return {} if half is None else {path: half}
    out = {}
    for i, row in enumerate(fa.functional_figs):
        for attr, fig in row.items():
            half = _half_units([fig])
            if half is not None and fig.value is not None:
                out[f"{ROWS}[{i}].{attr}"] = half
    return out


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
    for key, label, new, figs in values:
        if key.startswith("unit."):
            path_ = f"finance.units[0].{key[5:]}"
            label = f"{unit_name}：{label}" if unit_name else label
        else:
            path_ = key
        result.precision.update(_precision(fa, path_, figs))
        old = _current(report, path_)
        if path_ == ROWS:
            label = f"{label}：{len(new)} 行"
        if old == new:
            result.unchanged.append(path_)
        else:
            result.changes.append(Change(path_, label, old, new, source_text(figs, rows=path_ == ROWS)))
    if fa.department:
        if not report.basic.department.strip():
            result.changes.insert(0, Change("basic.department", "部门（单位）名称", report.basic.department,
                                            fa.department, next(t.name for t in fa.tables.values() if t.department)))
        elif norm(report.basic.department) != norm(fa.department):
            problems.append(ImportProblem(WARNING, "", "", f"决算表的部门名称“{fa.department}”与报告的"
                                          f"“{report.basic.department}”不同，请确认没有选错文件。"))
    if fa.year and report.fiscal_year and fa.year != report.fiscal_year:
        problems.append(ImportProblem(WARNING, "", "", f"决算表是 {fa.year} 年度的，报告是 {report.fiscal_year} 年度，"
                                      "请确认没有选错文件。"))
    for kind, name in TABLE_NAMES.items():
        if kind not in fa.tables:
            problems.append(ImportProblem(INFO, "", "", f"工作簿中没有找到“{name}”，{_MISSING_HINT[kind]}"))
    result.problems = problems + notes + cross_checks(fa)
    return result


def _current(report: Report, path: str) -> Any:
    if path.startswith("finance.units[0]") and not report.finance.units:
        return None
    value = edits.get_at(report, path)
    if isinstance(value, list):
        return edits.clone(value)
    return value


def apply(report: Report, result: ImportResult) -> None:
    """Write the previewed changes, mark every imported path as "imported" and record how exact each is.

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
        edits.set_at(report, ch.path, edits.clone(ch.new) if isinstance(ch.new, list) else ch.new)
    paths = imported_paths(result, report)
    if any(ch.path == ROWS for ch in result.changes):  # the rows are new: nothing said about the old ones holds
        for marks in (report.provenance, report.source_precision):
            for key in [k for k in marks if k.startswith(f"{ROWS}[")]:
                del marks[key]
    for path in paths:
        report.provenance[path] = "imported"
        report.source_precision.pop(path, None)
    report.source_precision.update(result.precision)


def imported_paths(result: ImportResult, report: Report) -> list[str]:
    """Every field path the import sets or confirms (functional rows cell by cell, as the UI colours them)."""
    out = []
    for path, rows in [(ch.path, ch.new) for ch in result.changes] + [(p, None) for p in result.unchanged]:
        if path == ROWS:
            n = len(rows) if rows is not None else len(report.finance.functional_rows)
            out += [f"{ROWS}[{i}].{attr}" for i in range(n) for attr in _ROW_ATTRS]
        else:
            out.append(path)
    return out


def has_updates(report: Report, result: ImportResult) -> bool:
    """Whether apply() would change anything: values, provenance marks or precision entries."""
    paths = imported_paths(result, report)
    return bool(result.changes or result.create_unit) or any(
        report.provenance.get(p) != "imported" or report.source_precision.get(p) != result.precision.get(p)
        for p in paths)


def preview_text(result: ImportResult, unit: str = "yuan") -> str:
    """The preview as the command line prints it: tables found, old → new per field with its source, problems."""
    notes = (f"报告中还没有单位，将新建单位“{result.create_unit}”。",) if result.create_unit else ()
    return "\n".join(preview_lines(result, "决算表", unit, "报告中的数据与决算表一致，没有需要更新的项目。", notes))
