"""What importing 绩效目标表 would change in a report, and writing it as one step.

``preview(path, report, tpl)`` reads the workbook (``read``), places each
indicator row under the template's 一级/二级 (a row without 一级, or with an
二级 the template does not have under it, is a 警告 naming its cell and is left
out), sets 分值 (``weights``) and matches each table to a project of the
report by name (the same name after dropping blanks and full/half width; an
unmatched one is added).  Within a matched project a row is matched by 一级 and
三级指标 name, so what the clerk already typed for it (实际完成值, 档次, 得分,
原因) stays; rows of the project the table does not list are kept, with a 警告.
The department's 整体绩效目标表 replaces ``Report.dept_goals`` (keeping each
goal's 实际完成 by name) and fills the 预期 side of 年度总体目标
(``basic.performance_goal``).

The plan's ``values`` are written by ``apply`` (or the window's one undo step)
and every written value is marked "imported" (``marks``); ``result.changes``
lists, for the clerk, each project field and indicator row old → new with the
cell it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ... import edits, templates
from ...money import WAN, LimitError, check_amount, round2
from ...report import DeptGoal, Project, ProjectIndicator, Report
from ..common import INFO, WARNING, Change, ImporterError, ImportProblem, ImportResult, preview_lines
from ..final_accounts.text import norm
from ..workbook import WorkbookError, read_workbook
from . import weights
from .columns import (
    AUTHORITY, COMPARATOR, DEPARTMENT, FUNDS_CARRYOVER, FUNDS_CURRENT, FUNDS_OTHER, FUNDS_TOTAL, GOAL, IMPLEMENTER,
    NATURE, UNIT, WEIGHT,
)
from .read import TargetRow, TargetTable, read_tables

FUND_ATTRS = {FUNDS_CURRENT: "funds_current", FUNDS_CARRYOVER: "funds_carryover", FUNDS_OTHER: "funds_other"}
ROW_ATTRS = ("level1", "level2", "name", "target", "weight")  # always written; comparator/unit/nature when a column


class TargetsError(ImporterError):
    """The workbook holds no readable 绩效目标表; the message says what to do.  Nothing changed."""


@dataclass
class TargetsPlan:
    result: ImportResult
    values: list[tuple[str, Any]] = field(default_factory=list)  # path → value, in order (one undo step)
    marks: list[str] = field(default_factory=list)  # paths marked "imported"
    proposed: dict[str, list[str]] = field(default_factory=dict)  # project → rows whose 分值 are proposed


def _key(text: str) -> str:
    """A level name for matching: “产出”, “产出指标”, “产出类指标” are one."""
    return norm(text).removesuffix("指标").removesuffix("类")


def _place(row: TargetRow, form) -> tuple[Any, str, str]:
    """(template 一级, template 二级 name, "") or (None, "", why it cannot be placed)."""
    names = "、".join(l1.name for l1 in form.level1)
    if not row.level1:
        return None, "", f"指标“{row.name}”没有一级指标，未导入。请在目标表中填写一级指标（{names}）后再导入。"
    l1 = next((l1 for l1 in form.level1 if _key(l1.name) == _key(row.level1)), None)
    if l1 is None:
        return None, "", f"一级指标“{row.level1}”不是本模板的一级指标（{names}），指标“{row.name}”未导入。请改为其中之一。"
    level2 = next((n for n in l1.level2 if _key(n) == _key(row.level2)), None)
    if level2 is None:
        what = f"二级指标“{row.level2}”不在" if row.level2 else "没有二级指标，应填"
        return None, "", (f"指标“{row.name}”{what}“{l1.name}”之下的二级指标（{'、'.join(l1.level2)}），未导入。"
                          "请在目标表中改正后再导入，或导入后在项目支出中添加。")
    return l1, level2, ""


def _row_text(row: ProjectIndicator | None) -> str:
    if row is None:
        return "（无）"
    target = f"{row.comparator}{row.target}" if row.comparator else row.target
    unit = f"（{row.unit}）" if row.unit and not row.target.endswith(row.unit) else ""
    return f"{target or '（空）'}{unit}，分值 {weights._pts(row.weight)}"


class _Planner:
    def __init__(self, report: Report, tpl, source: str):
        self.report, self.form = report, templates.project_form(tpl)
        self.result = ImportResult(source=source)
        self.projects = edits.clone(report.projects)
        self.plan = TargetsPlan(self.result)
        self.marks: list[str] = []
        self.changes_projects = False

    def problem(self, severity: str, sheet: str, cell: str, message: str):
        self.result.problems.append(ImportProblem(severity, sheet, cell, message))

    # ------------------------------------------------------------ projects
    def project(self, table: TargetTable):
        name = table.name
        index = next((i for i, p in enumerate(self.projects) if norm(p.name) == norm(name)), None)
        label = f"项目“{name}”"
        if index is None:
            index = len(self.projects)
            dept = self.report.basic.department
            self.projects.append(Project(name=name, authority=dept, implementer=dept))
            self.result.changes.append(Change(f"projects[{index}]", label, "（无）", "新增项目", f"{table.sheet}"))
            self.marks.append(f"projects[{index}].name")
            self.result.found.append(f"{label}（{table.sheet}，第 {table.row + 1} 行起，{len(table.rows)} 个指标）：新增")
        else:
            self.result.found.append(f"{label}（{table.sheet}，第 {table.row + 1} 行起，{len(table.rows)} 个指标）："
                                     f"与报告中第 {index + 1} 个项目同名，更新")
        project = self.projects[index]
        p = f"projects[{index}]"
        for role, attr in ((AUTHORITY, "authority"), (IMPLEMENTER, "implementer"), (GOAL, "goal_expected")):
            if role in table.fields:
                self.set(project, f"{p}.{attr}", attr, table.fields[role], f"{name}：{_FIELD_LABELS[attr]}",
                         f"{table.sheet} {table.cells.get(role, '')}")
        self.funds(table, project, p)
        self.indicators(table, project, p)

    def set(self, obj, path: str, attr: str, new, label: str, source: str):
        old = getattr(obj, attr)
        self.marks.append(path)
        if old != new:
            setattr(obj, attr, new)
            self.result.changes.append(Change(path, label, old, new, source))
            self.changes_projects = True

    def funds(self, table: TargetTable, project: Project, p: str):
        if not table.funds:
            return
        factor = Decimal(1) if table.money == "yuan" else WAN
        if table.money is None:
            self.problem(INFO, table.sheet, "", f"项目“{table.name}”的资金未写金额单位，按万元导入（项目支出绩效目标表的资金通常以万元列示）。")
        parts = {role: amounts for role, amounts in table.funds.items() if role in FUND_ATTRS}
        total = table.funds.get(FUNDS_TOTAL)
        if not parts and total:
            parts = {FUNDS_CURRENT: total}
            self.problem(INFO, table.sheet, table.cells.get(FUNDS_TOTAL, ""),
                         f"项目“{table.name}”只列了年度资金总额，按“其中：当年财政拨款”导入；如含上年结转或其他资金，请在项目支出中调整。")
        elif total:
            for kind in ("initial", "annual"):
                summed = sum((a[kind] for a in parts.values() if kind in a), Decimal(0))
                if kind in total and summed != total[kind]:
                    self.problem(WARNING, table.sheet, table.cells.get(FUNDS_TOTAL, ""),
                                 f"项目“{table.name}”的年度资金总额 {total[kind]} 与各项资金之和 {summed} 不等"
                                 "（金额单位同原表）。请核对目标表中的资金。")
                    break
        for role, amounts in parts.items():
            row = getattr(project, FUND_ATTRS[role])
            for kind, attr, what in (("initial", "initial_budget", "年初预算数"), ("annual", "annual_budget", "全年预算数")):
                if kind not in amounts:
                    continue
                try:
                    value = check_amount(round2(amounts[kind] * factor))
                except LimitError as e:
                    self.problem(WARNING, table.sheet, table.cells.get(role, ""), f"{e}，未导入。")
                    continue
                self.set(row, f"{p}.{FUND_ATTRS[role]}.{attr}", attr, value,
                         f"{table.name}：{_FUND_LABELS[role]}{what}", f"{table.sheet} {table.cells.get(role, '')}")

    def indicators(self, table: TargetTable, project: Project, p: str):
        placed = []
        for row in table.rows:
            l1, level2, why = _place(row, self.form)
            sheet, cell = row.cell.split(" ", 1) if " " in row.cell else (table.sheet, row.cell)
            if why:
                self.problem(WARNING, sheet, cell, why)
            else:
                placed.append((l1, level2, row))
        weights_of = self.weights(table, placed)
        old_rows = list(project.indicators)
        unused = list(range(len(old_rows)))
        new_rows = []
        extra = [a for a in (COMPARATOR, UNIT, NATURE) if a in table.roles]
        attrs = ROW_ATTRS + tuple(a if a != COMPARATOR else "comparator" for a in extra)
        for (l1, level2, row), weight in zip(placed, weights_of):
            match = next((k for k in unused if old_rows[k].level1 == l1.id and norm(old_rows[k].name) == norm(row.name)),
                         None)
            old = old_rows[match] if match is not None else None
            if match is not None:
                unused.remove(match)
            new = edits.clone(old) if old is not None else ProjectIndicator()
            new.level1, new.level2, new.name, new.target, new.weight = l1.id, level2, row.name, row.target, weight
            if COMPARATOR in table.roles:
                new.comparator = row.comparator
            if UNIT in table.roles:
                new.unit = row.unit
            if NATURE in table.roles or COMPARATOR in table.roles:
                new.nature = row.nature
            j = len(new_rows)
            new_rows.append(new)
            self.marks += [f"{p}.indicators[{j}].{a}" for a in attrs]
            sheet_cell = row.cell
            if old != new or match != j:
                self.result.changes.append(Change(f"{p}.indicators[{j}]", f"{table.name}：{l1.name}／{level2}／{row.name}",
                                                  _row_text(old), _row_text(new), sheet_cell))
            else:
                self.result.unchanged.append(f"{p}.indicators[{j}]")
        for k in unused:
            new_rows.append(old_rows[k])
            self.problem(WARNING, table.sheet, "", f"项目“{table.name}”原有的指标“{old_rows[k].name}”不在目标表中，已保留。"
                                                   "如不再需要，请在项目支出中删除。")
        if new_rows != old_rows:
            project.indicators = new_rows
            self.changes_projects = True

    def weights(self, table: TargetTable, placed: list) -> list[Decimal]:
        """The 分值 of each placed row: the table's where a 一级's rows all have one, else the proposal."""
        out: list[Decimal] = [Decimal(0)] * len(placed)
        proposed = []
        for l1 in self.form.level1:
            idx = [i for i, (lv, _l2, _row) in enumerate(placed) if lv.id == l1.id]
            if not idx:
                continue
            given = [placed[i][2].weight for i in idx]
            if WEIGHT in table.roles and all(w is not None for w in given):
                for i, w in zip(idx, given):
                    out[i] = w
                warning = weights.check(table.name, l1.name, sum(given, Decimal(0)), l1.weight)
                if warning:
                    self.problem(WARNING, table.sheet, placed[idx[0]][2].cell.split()[-1], warning)
                continue
            for i, w in zip(idx, weights.propose(l1.weight, len(idx))):
                out[i] = w
                proposed.append(f"{l1.name}／{placed[i][2].name} {weights._pts(w)} 分")
        if proposed:
            self.plan.proposed[table.name] = proposed
            self.problem(INFO, table.sheet, "",
                         f"项目“{table.name}”的目标表没有（全部）分值，已按模板规则建议分值（各一级指标分值平均分到其下各指标，"
                         f"取 0.5 分的整数倍，余数给前几项）：{'；'.join(proposed)}。请在项目支出中逐项确认或修改。")
        return out

    # ------------------------------------------------------------ the department
    def dept(self, table: TargetTable):
        basic = self.report.basic
        self.result.found.append(f"部门整体绩效目标表“{table.name}”（{table.sheet}，第 {table.row + 1} 行起，{len(table.rows)} 个指标）")
        name = table.fields.get(DEPARTMENT, "")
        if name and not basic.department.strip():
            self._value("basic.department", basic.department, name, "部门（单位）名称", table, DEPARTMENT)
        elif name and norm(name) != norm(basic.department):
            self.problem(WARNING, table.sheet, table.cells.get(DEPARTMENT, ""),
                         f"整体绩效目标表的部门名称“{name}”与报告的“{basic.department}”不同，请确认没有选错文件。")
        if GOAL in table.fields:
            self._value("basic.performance_goal", basic.performance_goal, table.fields[GOAL], "部门整体绩效目标", table, GOAL)
        actual = {norm(g.name): g.actual for g in self.report.dept_goals}
        goals = [DeptGoal(category=_category(row.level1), dimension=row.level2, name=row.name,
                          target=f"{row.comparator}{row.target}", actual=actual.get(norm(row.name), ""))
                 for row in table.rows]
        if goals != self.report.dept_goals:
            self.plan.values.append(("dept_goals", goals))
            for i, (old, new) in enumerate(zip([*self.report.dept_goals, *[None] * len(goals)], goals)):
                if old != new:
                    self.result.changes.append(Change(f"dept_goals[{i}]", f"部门目标：{new.category}／{new.dimension}／{new.name}",
                                                      old.target if old else "（无）", new.target or "（空）", table.sheet))
        self.marks += [f"dept_goals[{i}].{a}" for i in range(len(goals)) for a in ("category", "dimension", "name", "target")]

    def _value(self, path: str, old, new, label: str, table: TargetTable, role: str):
        self.marks.append(path)
        if old != new:
            self.plan.values.append((path, new))
            self.result.changes.append(Change(path, label, old, new, f"{table.sheet} {table.cells.get(role, '')}"))


_FIELD_LABELS = {"authority": "主管部门", "implementer": "实施单位", "goal_expected": "年度总体目标（预期目标）"}
_FUND_LABELS = {FUNDS_CURRENT: "当年财政拨款", FUNDS_CARRYOVER: "上年结转资金", FUNDS_OTHER: "其他资金"}


def _category(level1: str) -> str:
    """The 一级 of a department target as the 部门整体支出绩效自评表 names it: 产出指标 → 产出目标."""
    return f"{level1.removesuffix('指标')}目标" if level1.endswith("指标") else level1


def plan_tables(tables: list[TargetTable], report: Report, tpl, source: str) -> TargetsPlan:
    """The plan for tables already read (``read_tables``)."""
    planner = _Planner(report, tpl, source)
    for table in tables:
        planner.result.problems += table.problems
        if table.kind == "dept":
            planner.dept(table)
        elif planner.form is None:
            planner.problem(WARNING, table.sheet, "", f"本报告的模板没有项目支出绩效自评表，项目“{table.name}”未导入。")
        elif not table.name:
            planner.problem(WARNING, table.sheet, f"第 {table.row + 1} 行",
                            "这张绩效目标表没有项目名称，未导入。请在表头“项目名称”一栏填写后再导入。")
        else:
            planner.project(table)
    plan = planner.plan
    if planner.changes_projects:
        plan.values.insert(0, ("projects", planner.projects))
    plan.marks = list(dict.fromkeys(planner.marks))
    return plan


def preview(path: str | Path, report: Report, tpl) -> TargetsPlan:
    """What importing the 绩效目标表 in ``path`` would change in ``report`` (not modified)."""
    path = Path(path)
    try:
        sheets = read_workbook(path)
    except WorkbookError as e:
        raise TargetsError(str(e)) from None
    tables = read_tables(sheets)
    if not tables:
        raise TargetsError(f"“{path.name}”中没有找到绩效目标表：表头应有“一级指标”“二级指标”“三级指标”“指标值”等栏目"
                           "（项目支出绩效目标表或部门整体绩效目标表）。请确认选择的文件，或按此格式整理后再导入。")
    return plan_tables(tables, report, tpl, path.name)


def has_updates(report: Report, plan: TargetsPlan) -> bool:
    return bool(plan.values) or any(report.provenance.get(m) != "imported" for m in plan.marks)


def apply(report: Report, plan: TargetsPlan) -> None:
    """Write the plan and mark every imported value (the window does the same as one undo step)."""
    for path, value in plan.values:
        edits.set_at(report, path, edits.clone(value))
    for path in plan.marks:
        report.provenance[path] = "imported"


def preview_text(plan: TargetsPlan, unit: str = "yuan") -> str:
    """The preview as the command line prints it: tables found, old → new with sources, problems."""
    return "\n".join(preview_lines(plan.result, "绩效目标表", unit, "报告中的目标与绩效目标表一致，没有需要更新的项目。"))
