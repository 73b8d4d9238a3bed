"""得分情况表 (seed 004)."""
from __future__ import annotations

from decimal import Decimal

from model.report import Report
from model.scoring import ScoreResult
from model.templates import FORMS, Template

from ..grid import Grid
from .common import (
    FULL_SPACE,
    HUNDRED,
    _h,
    _l,
    _percent,
    _score,
    _subtitle,
    _total_cell,
)


def score_summary(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    g = Grid("score_summary", FORMS["score_summary"], [34, 14, 14, 14],
             subtitle=_subtitle(report, money=False), header_rows=1)
    g.add(_h("指标"), _h("目标分值"), _h("得分"), _h("得分率"))
    if result.dept:
        for l1 in result.dept.groups:
            g.add(_h(l1.name, align="left"), _score(l1.weight), _score(l1), _percent(l1.rate))
            for l2 in l1.children:
                g.add(_l(FULL_SPACE + l2.name), _score(l2.weight), _score(l2), _percent(l2.rate))
        totals = result.dept.totals
        weight = sum((x.weight for x in result.dept.groups), Decimal(0))
        if totals.complete:
            rate = totals.total / weight * HUNDRED if weight else None
            g.add(_h("合计"), _score(weight), _score(totals.total), _percent(rate))
        else:
            g.add(_h("合计"), _score(weight), _total_cell(totals, 2))
        g.add(_h("评价等次"), _h(totals.grade, 3))
    return g
