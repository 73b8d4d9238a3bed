"""评价指标体系及得分 (seed 004 appendix)."""
from __future__ import annotations

from model.report import Report
from model.scoring import ScoreResult
from model.templates import FORMS, Template

from ..grid import Grid
from .common import _h, _l, _score, _subtitle, _t, _total_cell, _weighted


def indicator_scores(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    cols = [12.0, 14.0, 16.0, 44.0, 40.0, 8.0]
    g = Grid("indicator_scores", FORMS["indicator_scores"], cols,
             subtitle=_subtitle(report, money=False), header_rows=1, landscape=True)
    g.add(_h("一级指标"), _h("二级指标"), _h("三级指标"), _h("指标解释"), _h("评分规则"), _h("得分"))
    by_key = {s.key: s for s in result.dept.indicators} if result.dept else {}
    for l1 in tpl.tree:
        first1 = True
        n1 = sum(len(l2.indicators) for l2 in l1.children)
        for l2 in l1.children:
            first2 = True
            for ind in l2.indicators:
                s = by_key.get(f"dept.{ind.id}")
                cells = []
                if first1:
                    cells.append(_h(_weighted(l1.name, l1.weight, cols[0]), 1, n1))
                if first2:
                    cells.append(_l(_weighted(l2.name, l2.weight, cols[1]), 1, len(l2.indicators), "center"))
                cells += [_l(_weighted(ind.name, ind.weight, cols[2]), align="center"), _t(ind.explanation),
                          _t(ind.rule_text), _score(s)]
                g.add(*cells)
                first1 = first2 = False
    totals = result.dept.totals if result.dept else None
    g.add(_h("合计", 5), _total_cell(totals) if totals else _score(None))
    g.add(_h("评价等次", 5), _h(totals.grade if totals else ""))
    if tpl.notes:
        g.notes.append("说明：" + " ".join(tpl.notes.split()))
    return g
