"""The live score panel: total, grade, subtotals, and the selected indicator's rule."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from model.money import format_decimal, format_percent
from model.scoring import GroupScore, incomplete_text


def _set_texts(item: QTreeWidgetItem, texts: list[str]):
    for col, text in enumerate(texts):
        if item.text(col) != text:
            item.setText(col, text)


class ScorePanel(QWidget):
    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc, self.key = doc, ""
        lay = QVBoxLayout(self)
        self.total = QLabel()
        self.total.setObjectName("score_total")
        lay.addWidget(self.total)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["指标", "分值", "得分", "得分率"])
        for col, width in enumerate((130, 48, 48, 60)):
            self.tree.setColumnWidth(col, width)
        self.tree.itemClicked.connect(lambda item, _c: item.data(0, 256) and self.select(item.data(0, 256)))
        lay.addWidget(self.tree, 1)
        self.detail = QLabel("点选一个指标，这里显示它的指标解释、评分规则、数据来源和计分过程。")
        self.detail.setWordWrap(True)
        self.detail.setObjectName("score_detail")
        self.detail.setMinimumHeight(120)
        lay.addWidget(self.detail)
        doc.scored.connect(self.refresh)
        self.refresh()

    def refresh(self):
        result = self.doc.result
        totals = result.dept.totals if result.dept else None
        if totals and not totals.complete:
            self.total.setText(f"<span style='font-size:14pt'><b>{totals.shown}</b></span><br>补齐后才有总分和等次")
        elif totals:
            rule = "" if totals.total == totals.rule_total else f"<br>按规则：{format_decimal(totals.rule_total)}（{totals.rule_grade}）"
            self.total.setText(f"<span style='font-size:20pt'><b>{totals.shown}</b> 分　<b>{totals.grade}</b></span>{rule}")
        else:
            unanswered = sum(p.totals.unanswered for p in result.projects)
            rest = f"，{incomplete_text(unanswered)}" if unanswered else ""
            self.total.setText(f"<b>{len(result.projects)} 个项目</b>{rest}")
        groups = result.dept.groups if result.dept else []
        rows = [(g.name, [g.name, format_decimal(g.weight), _score_text(g), format_percent(g.rate)], [])
                for g in groups]
        for p in result.projects:
            children = [(s.key, [s.name, format_decimal(s.weight), _score_text(s), ""]) for s in (p.execution, *p.rows)]
            total = format_decimal(p.totals.total) if p.totals.complete else "未评完"
            rows.append((f"project.{p.index}", [f"项目：{p.name}", "100.00", total, p.totals.grade], children))
        shape = [(key, [c[0] for c in children]) for key, _texts, children in rows]
        if shape != getattr(self, "_shape", None):  # structure changed: rebuild once
            self._shape = shape
            self.tree.clear()
            for key, texts, children in rows:
                item = QTreeWidgetItem(texts)
                for child_key, child_texts in children:
                    child = QTreeWidgetItem(child_texts)
                    child.setData(0, 256, child_key)
                    item.addChild(child)
                self.tree.addTopLevelItem(item)
        else:  # same indicators: only texts change (the usual keystroke)
            for top, (_key, texts, children) in enumerate(rows):
                item = self.tree.topLevelItem(top)
                _set_texts(item, texts)
                for c, (_ck, child_texts) in enumerate(children):
                    _set_texts(item.child(c), child_texts)
        if self.key:
            self.select(self.key)

    def select(self, key: str):
        """Show the rule and the score explanation of one indicator."""
        self.key = key
        s = self.doc.result.by_key(key)
        if s is None:
            return
        parts = [f"<b>{s.name}</b>（分值 {format_decimal(s.weight)}，得分 {format_decimal(s.score)}）"]
        ind = self.doc.template.indicator(key.removeprefix("dept.")) if key.startswith("dept.") else None
        if ind:
            for label, text in (("指标解释", ind.explanation), ("评分规则", ind.rule_text), ("数据来源", ind.data_source)):
                if text:
                    parts.append(f"<b>{label}：</b>{text}")
        parts.append(f"<b>计分：</b>{s.explanation}")
        if s.override:
            parts.append(f"<b style='color:#a40'>人工调整理由：</b>{s.override.reason or '（未填写）'}")
        self.detail.setText("<br>".join(parts))


def _score_text(s) -> str:
    """A score or subtotal as the panel lists it: “—” while not scored, “*” when set by hand."""
    if isinstance(s, GroupScore):
        return format_decimal(s.score) if s.complete else "—"
    return "—" if s.unanswered else format_decimal(s.score) + ("*" if s.overridden else "")
