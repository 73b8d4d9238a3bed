"""评分说明: what the official forms leave unsaid, as an appendix of our own.

The forms print scores only (as issued).  Here: every score set by hand, with the
rule's score and the reason; every scored indicator still unanswered, with what
it needs; the totals by rule where they differ; and, where indicators were
dropped as 不适用, which ones and how the total was rescaled to 100.
"""
from __future__ import annotations

from model.money import format_decimal
from model.report import Report
from model.scoring import IndicatorScore, ScoreResult, Totals
from model.templates import FORMS, Template

from ..grid import Cell, Grid
from .common import _h, _l, _points, _section, _subtitle, _t

COLS = [30.0, 8.0, 10.0, 10.0, 46.0]


def _where(s: IndicatorScore, report: Report) -> str:
    """“项目2：满意度” for a project's indicator, the indicator's name alone for the department's."""
    if s.key.startswith("project."):
        i = int(s.key.split(".")[1])
        if i < len(report.projects):
            return f"项目{i + 1}“{report.projects[i].name.strip() or '未命名'}”：{s.name}"
    return s.name


def _totals_by_rule(report: Report, result: ScoreResult) -> list[tuple[str, Totals]]:
    out = [("部门整体", result.dept.totals)] if result.dept else []
    out += [(f"项目{p.index + 1}“{p.name.strip() or '未命名'}”", p.totals) for p in result.projects]
    return [(name, t) for name, t in out if t.complete and t.total != t.rule_total]


def needed(result: ScoreResult) -> bool:
    """Whether a report has anything to explain (no appendix otherwise)."""
    return any(s.overridden or s.unanswered or s.dropped for s in result.all_scores())


def adjustments(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    n = len(COLS)
    g = Grid("adjustments", FORMS["adjustments"], list(COLS), subtitle=_subtitle(report, money=False))
    scores = result.all_scores()
    overridden = [s for s in scores if s.overridden]
    unanswered = [s for s in scores if s.unanswered]
    dropped = [s for s in scores if s.dropped]
    number = iter("一二三四")
    if overridden:
        g.add_section(_section(f"{next(number)}、人工调整的得分及理由", n))
        g.mark_column_head(g.add(_h("指标"), _h("分值"), _h("按规则得分"), _h("调整后得分"), _h("调整理由")))
        for s in overridden:
            g.add(_l(_where(s, report)), _points(s.weight), Cell(format_decimal(s.rule_score, "—"), 1, 1, "score"),
                  Cell(format_decimal(s.score), 1, 1, "score"), _t(s.override.reason.strip() or "（未填写理由）"))
        by_rule = _totals_by_rule(report, result)
        if by_rule:
            g.add_section(_section(f"{next(number)}、全部按评分规则计算的总分", n))
            g.mark_column_head(g.add(_h("评价对象"), _h("含人工调整", 2), _h("按评分规则", 2)))
            for name, t in by_rule:
                g.add(_l(name), Cell(f"{t.shown} 分（{t.grade}）", 2, 1, "text", "center"),
                      Cell(f"{format_decimal(t.rule_total)} 分（{t.rule_grade}）", 2, 1, "text", "center"))
    if dropped:
        totals = result.dept.totals  # only a department's indicators can be dropped
        g.add_section(_section(f"{next(number)}、不适用的指标及总分折算", n))
        g.mark_column_head(g.add(_h("指标"), _h("分值"), _h("说明", 3)))
        for s in dropped:
            g.add(_l(_where(s, report)), _points(s.weight), _t(s.explanation, 3))
        g.add(_l("总分折算"), _t(totals.rescale_text(), 4))
        if totals.rule_total != totals.total:
            g.add(_l("按评分规则总分折算"), _t(totals.rescale_text(rule=True), 4))
    if unanswered:
        g.add_section(_section(f"{next(number)}、尚未评分的指标（未评完，不计总分和等次）", n))
        g.mark_column_head(g.add(_h("指标"), _h("分值"), _h("所需数据", 3)))
        for s in unanswered:
            g.add(_l(_where(s, report)), _points(s.weight), _t(s.explanation.removeprefix("缺少评分所需数据："), 3))
    return g
