"""The official tables of a report as neutral grids (see ``export.grid``).

``grids_for(report, tpl, result)`` builds, in the order of ``tpl.forms``:

- ``dept_self_eval``    部门整体支出绩效自评表 (seed 001, 湖南)
- ``indicator_scores``  评价指标体系及得分 (seed 004 appendix)
- ``score_summary``     得分情况表 (seed 004)
- ``project_self_eval`` 项目支出绩效自评表, one grid per project (seed 002, 财预〔2020〕10号)
- ``base_data``         基础数据: every finance input and every derived metric
- ``adjustments``       评分说明: scores set by hand and unanswered indicators (appended when any)

Nothing here computes a score: figures come from the report (money, in the
unit each form states) and from the ScoreResult.  Cells carry display text;
money/score/percent/number styled cells hold exactly the text a writer may
turn back into a number (``1,482.43``, ``1.73``, ``17.26%``, ``10``), with a
trailing ``*`` on scores set by hand.
"""
from __future__ import annotations

from model.report import Report
from model.scoring import ScoreResult
from model.templates import Template

from ..grid import Grid, text_width
from .adjustments import adjustments, needed
from .base_data import base_data
from .dept_self_eval import dept_self_eval
from .indicator_scores import indicator_scores
from .project_self_eval import project_self_eval
from .score_summary import score_summary

NUMERIC = ("money", "score", "percent", "number")


def fit_numbers(grid: Grid) -> Grid:
    """Widen columns so that every number fits on one line (a number cannot wrap: Excel shows ####)."""
    from ..grid import positions

    for row in positions(grid):
        for col, cell in row:
            if cell.style not in NUMERIC or not cell.text:
                continue
            need = text_width(cell.text) + 3
            have = sum(grid.columns[col:col + cell.colspan])
            if need > have:
                grid.columns[col + cell.colspan - 1] += need - have
    return grid


def grids_for(report: Report, tpl: Template, result: ScoreResult) -> list[Grid]:
    """The official tables of ``tpl.forms``, in order; forms that do not apply give no grid."""
    out: list[Grid] = []
    for form in tpl.forms:
        if form == "dept_self_eval":
            out.append(dept_self_eval(report, tpl, result))
        elif form in ("indicator_scores", "score_summary"):
            if tpl.kind == "dept" and result.dept is not None:
                out.append((indicator_scores if form == "indicator_scores" else score_summary)(report, tpl, result))
        elif form == "project_self_eval":
            out += [project_self_eval(report, tpl, result, i)
                    for i in range(min(len(report.projects), len(result.projects)))]
        elif form == "base_data":
            out.append(base_data(report, tpl, result))
        elif form == "adjustments" and needed(result):
            out.append(adjustments(report, tpl, result))
    # 评分说明 is ours, not an official form: it comes last whenever there is a score to explain
    if "adjustments" not in tpl.forms and needed(result):
        out.append(adjustments(report, tpl, result))
    return [fit_numbers(g) for g in out]
