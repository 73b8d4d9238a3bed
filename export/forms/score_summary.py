"""得分情况表 (seed 004)."""
from __future__ import annotations

from decimal import Decimal

from model.report import Report
from model.scoring import ScoreResult
from model.templates import FORMS, Template

from ..grid import Grid
from .common import _h, _l, _percent, _score, _score_notes, _subtitle

HUNDRED = Decimal(100)
CHECKED, UNCHECKED = "☑", "☐"
OVERRIDE_MARK = "*"
FULL_SPACE = "\u3000"



def score_summary(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    g = Grid("score_summary", FORMS["score_summary"], [34, 14, 14, 14],
             subtitle=_subtitle(report, money=False), header_rows=1)
    g.add(_h("指标"), _h("目标分值"), _h("得分"), _h("得分率"))
    if result.dept:
        for l1 in result.dept.groups:
            g.add(_h(l1.name, align="left"), _score(l1.weight), _score(l1.score), _percent(l1.rate))
            for l2 in l1.children:
                g.add(_l(FULL_SPACE + l2.name), _score(l2.weight), _score(l2.score), _percent(l2.rate))
        totals = result.dept.totals
        weight = sum((x.weight for x in result.dept.groups), Decimal(0))
        rate = totals.total / weight * HUNDRED if weight else None
        g.add(_h("合计"), _score(weight), _score(totals.total), _percent(rate))
        g.add(_h("评价等次"), _h(totals.grade, 3))
        g.notes = [n for n in _score_notes(result.dept.indicators) if n.startswith("以下指标")]
        if any(s.overridden for s in result.dept.indicators):
            g.notes.insert(0, "得分含人工调整得分，明细及理由见“评价指标体系及得分”。")
    return g
