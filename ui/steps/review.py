"""评分与复核: totals, the 得分率 chart per 一级, and a summary of the problems."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from model.checks import readiness
from model.money import format_decimal

from ..widgets.chart import RateChart
from .base import StepPage


class ReviewPage(StepPage):
    step_id = "review"

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.chart = RateChart()
        self.layout_.addWidget(self.chart)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.layout_.addWidget(self.problems)
        self.layout_.addStretch(1)
        doc.scored.connect(self.refresh)
        self.refresh()

    def refresh(self):
        result = self.doc.result
        lines = []
        if result.dept:
            lines.append(f"<h3>部门整体绩效：{_totals_text(result.dept.totals)}</h3>")
            self.chart.set_bars([(g.name, g.rate) for g in result.dept.groups])
        else:
            self.chart.set_bars([(p.name[:12], p.totals.total if p.totals.complete else None) for p in result.projects])
        for p in result.projects:
            lines.append(f"项目“{p.name}”：{_totals_text(p.totals)}")
        self.summary.setText("<br>".join(lines) or "尚无评分。")
        counts = {s: sum(p.severity == s for p in self.doc.problems) for s in ("错误", "警告", "提示")}
        text = "，".join(f"{s} {n} 个" for s, n in counts.items())
        ready, line = readiness(self.doc.problems, result)
        colour = "#1a7f37" if ready else "#b42318"
        self.problems.setText(f"<b style='color:{colour}'>{line}</b><br>"
                              f"复核结果：{text}。问题清单见窗口下方“复核”面板，双击可定位到对应栏目。")


def _totals_text(t) -> str:
    """“86.00 分　良（按规则 83.50 分，良）”, or 未评完 with no grade."""
    if not t.complete:
        return t.shown
    rule = "" if t.total == t.rule_total else f"（按规则 {format_decimal(t.rule_total)} 分，{t.rule_grade}）"
    return f"{t.shown} 分　{t.grade}{rule}"
