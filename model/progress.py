"""How far each step of the wizard is: done (✓), to do (○) or with errors (✗).

A step is done only when what it asks for is there *and* 复核 finds nothing
to fix in it.  A step the clerk has not touched is "todo" even though it has
no problem to report: a blank new report must not look finished.
"""
from __future__ import annotations

from .report import Report
from .scoring import ScoreResult
from .templates import Template

DONE, TODO, ERROR = "ok", "todo", "error"


def _basic(report: Report, tpl: Template, result: ScoreResult) -> bool:
    b = report.basic  # the department form asks for a 联系人; the project form only for the unit
    return bool(b.department.strip() and report.fiscal_year and (tpl.kind == "project" or b.contact_person.strip()))


def _finance(report: Report, tpl: Template, result: ScoreResult) -> bool:
    return any(u.income_total is not None or u.expenditure_total is not None for u in report.finance.units)


def _projects(report: Report, tpl: Template, result: ScoreResult) -> bool:
    return bool(report.projects) and all(p.name.strip() and p.indicators for p in report.projects) and all(
        p.totals.complete for p in result.projects)


def _dept_indicators(report: Report, tpl: Template, result: ScoreResult) -> bool:
    return result.dept is not None and result.dept.totals.complete


def _narrative(report: Report, tpl: Template, result: ScoreResult) -> bool:
    ids = [s.id for s in tpl.narrative_sections] or list(report.narrative)
    return bool(ids) and all(report.narrative.get(i, "").strip() for i in ids)


def _team(report: Report, tpl: Template, result: ScoreResult) -> bool:
    return any(m.name.strip() for m in report.team)


def _scored(report: Report, tpl: Template, result: ScoreResult) -> bool:
    """评分与复核 and 导出 are done once every scored indicator is answered."""
    return result.complete


FILLED = {
    "basic_info": _basic, "finance": _finance, "projects": _projects, "dept_indicators": _dept_indicators,
    "narrative": _narrative, "team_opinion": _team, "review": _scored, "export": _scored,
}


def step_states(report: Report, tpl: Template, result: ScoreResult, problems, steps) -> dict[str, str]:
    """State of each of ``steps``: ERROR when 复核 has an 错误 there, TODO when something is missing
    (a 警告 there, or what the step asks for is not filled in), else DONE."""
    out = {}
    for step in steps:
        mine = [p.severity for p in problems if p.step == step]
        if "错误" in mine:
            out[step] = ERROR
            continue
        filled = FILLED[step](report, tpl, result) if step in FILLED else True
        out[step] = DONE if filled and "警告" not in mine else TODO
    return out
