"""部门整体绩效指标: the template's 一级/二级/三级 tree with each rule's inputs, and beside it an outline
of every indicator with its state (answered / 人工调整 / a problem) to jump to it — the page is some
6,000 px tall with 41 indicators."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QFrame, QGridLayout, QGroupBox, QLabel, QScrollArea, QSplitter, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from model.money import format_decimal, format_percent

from ..widgets.fields import CheckField, ChecklistField, ChoiceField, NumberField, OverrideField, TextField, computed
from .base import StepPage


class IndicatorRow(QFrame):
    """One 三级 indicator: name and weight, its inputs, its score, an override."""
    clicked = Signal(str)

    def __init__(self, doc, ind, parent=None):
        super().__init__(parent)
        self.doc, self.ind, self.key = doc, ind, f"dept.{ind.id}"
        self.setFrameShape(QFrame.StyledPanel)
        base = f"answers.{ind.id}"
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        title = QLabel(f"<b>{ind.name}</b>（{format_decimal(ind.weight).rstrip('0').rstrip('.')} 分）")
        title.setWordWrap(True)
        title.setToolTip(ind.rule_text)
        grid.addWidget(title, 0, 0, 1, 2)
        self.score = QLabel()
        grid.addWidget(self.score, 0, 2)
        self.metric_field = None
        row = 1
        needs = ind.rule.needs
        if ind.metric:
            self.metric_field = computed(tooltip="由收支数据自动计算")
            grid.addWidget(QLabel("自动计算"), row, 0)
            grid.addWidget(self.metric_field, row, 1, 1, 2)
            row += 1
        if needs == "value":
            unit = ind.unit or ("项" if ind.kind == "per_item" else "")
            label = "数值" + (f"（{unit}）" if unit else "") + ("，无法自动计算时填写" if ind.metric else "")
            self.value = NumberField(doc, f"{base}.value")
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(self.value, row, 1, 1, 2)
        elif needs == "items":
            grid.addWidget(QLabel("逐项是否满足"), row, 0)
            grid.addWidget(ChecklistField(doc, f"{base}.items", ind.params["items"]), row, 1, 1, 2)
        else:
            options = ind.params.get("levels") or ind.params.get("bands")
            grid.addWidget(QLabel("情形/档次"), row, 0)
            grid.addWidget(ChoiceField(doc, f"{base}.choice", [("（未选）", None)] + [(o["label"], i) for i, o in enumerate(options)]),
                           row, 1, 1, 2)
            if ind.kind == "qualitative":
                row += 1
                grid.addWidget(QLabel("档内评分（空 = 该档最高分）"), row, 0)
                grid.addWidget(NumberField(doc, f"{base}.judged_score"), row, 1, 1, 2)
        if ind.not_applicable:  # the template lets a department without this (楼堂馆所, 专项资金) say so
            row += 1
            scored = "得满分" if ind.not_applicable == "full" else "不计分，总分按其余指标折算到 100 分"
            grid.addWidget(CheckField(doc, f"{base}.not_applicable", f"不适用（本部门没有此项，{scored}）"), row, 1, 1, 2)
        row += 1
        grid.addWidget(QLabel("人工评分"), row, 0)
        grid.addWidget(OverrideField(doc, f"{base}.override"), row, 1, 1, 2)
        row += 1
        grid.addWidget(QLabel("评价说明"), row, 0)
        grid.addWidget(TextField(doc, f"{base}.note", "依据、佐证材料或扣分说明"), row, 1, 1, 2)
        self.setObjectName(base)
        doc.scored.connect(self.refresh)
        self.refresh()

    def mousePressEvent(self, event):
        self.clicked.emit(self.key)
        super().mousePressEvent(event)

    def focusInEvent(self, event):
        self.clicked.emit(self.key)
        super().focusInEvent(event)

    def refresh(self):
        s = self.doc.result.by_key(self.key)
        rule = "—" if s.rule_score is None else format_decimal(s.rule_score)
        colour = "#a40" if s.overridden else "#064"
        extra = f"（规则 {rule}）" if s.overridden else ""
        self.score.setText(f"<span style='color:{colour}'><b>得分 {format_decimal(s.score)}</b>{extra}</span>")
        self.score.setToolTip(s.explanation)
        if self.metric_field is not None:
            mv = self.doc.result.metrics[self.ind.metric]
            self.metric_field.setText(format_percent(mv.value, "无法计算"))
            self.metric_field.setToolTip(mv.detail)
            if hasattr(self, "value"):
                self.value.setEnabled(mv.value is None)


STATES = {  # state of an indicator in the outline: mark, colour, tooltip
    "problem": ("⚠", "#b42318", "复核发现问题，点选查看"),
    "override": ("✎", "#a40", "人工调整了得分"),
    "answered": ("✓", "#1a7f37", "已填写，已计分"),
    "todo": ("○", "#b26a00", "尚未填写"),
}


def indicator_state(doc, iid: str, flagged: set[str]) -> str:
    """What the outline says of one indicator: a problem outweighs an override, which outweighs answered."""
    s = doc.result.by_key(f"dept.{iid}")
    if iid in flagged:
        return "problem"
    if s is not None and s.overridden:
        return "override"
    return "todo" if s is None or s.unanswered else "answered"


def flagged_indicators(problems) -> set[str]:
    """Ids of the indicators an 错误 or 警告 points at (``answers.<id>`` or a field under it); a 提示 — every
    override gets one, saying what was adjusted — is no problem to mark."""
    return {p.location.split(".")[1] for p in problems
            if p.severity in ("错误", "警告") and p.location.startswith("answers.") and "." in p.location}


class Outline(QTreeWidget):
    """一级 › 二级 › 三级 with each indicator's state; a click jumps to the indicator."""
    jump = Signal(str)  # answers.<id>

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setObjectName("indicator_outline")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.names: dict[str, str] = {}
        self.states: dict[str, str] = {}
        for l1 in doc.template.tree:
            top = QTreeWidgetItem([l1.name])
            self.addTopLevelItem(top)
            for l2 in l1.children:
                mid = QTreeWidgetItem(top, [l2.name])
                for ind in l2.indicators:
                    leaf = QTreeWidgetItem(mid, [ind.name])
                    leaf.setData(0, Qt.UserRole, f"answers.{ind.id}")
                    self.items[ind.id] = leaf
                    self.names[ind.id] = ind.name
        self.expandAll()
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)
        doc.scored.connect(self.refresh)
        self.refresh()

    def _clicked(self, item, _col=0):
        location = item.data(0, Qt.UserRole)
        if location:
            self.jump.emit(location)

    def refresh(self):
        flagged = flagged_indicators(self.doc.problems)
        for iid, item in self.items.items():
            state = indicator_state(self.doc, iid, flagged)
            if self.states.get(iid) == state:
                continue  # the usual keystroke changes one indicator, if any
            self.states[iid] = state
            mark, colour, tip = STATES[state]
            item.setText(0, f"{mark} {self.names[iid]}")
            item.setForeground(0, QBrush(QColor(colour)))
            item.setToolTip(0, f"{self.names[iid]}：{tip}")  # the whole name, when the outline cuts it short


class DeptIndicatorsPage(StepPage):
    step_id = "dept_indicators"
    selected = Signal(str)

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        self.rows: dict[str, IndicatorRow] = {}
        content = QWidget()
        lay = QVBoxLayout(content)
        lay.setContentsMargins(0, 0, 6, 0)
        for l1 in doc.template.tree:
            head = QLabel(f"<h3>{l1.name}（{format_decimal(l1.weight).rstrip('0').rstrip('.')} 分）</h3>")
            lay.addWidget(head)
            for l2 in l1.children:
                box = QGroupBox(f"{l2.name}（{format_decimal(l2.weight).rstrip('0').rstrip('.')} 分）")
                blay = QVBoxLayout(box)
                for ind in l2.indicators:
                    row = IndicatorRow(doc, ind)
                    row.clicked.connect(self.selected)
                    blay.addWidget(row)
                    self.rows[f"answers.{ind.id}"] = row
                lay.addWidget(box)
        lay.addStretch(1)
        # the indicators scroll on their own beside the outline, which stays in view
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        self.outline = Outline(doc)
        self.outline.jump.connect(self.focus_location)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.outline)
        split.addWidget(self.scroll)
        split.setStretchFactor(1, 1)
        split.setSizes([self.fontMetrics().horizontalAdvance("一二三四五六七八九十一二三四") + 40, 10_000])
        self.layout_.addWidget(split, 1)

    def focus_location(self, location: str) -> bool:
        row = self.rows.get(location.split(".override")[0]) or self.rows.get(location)
        if row is None:
            return False
        # the indicator's top at the top of the view, not just somewhere inside it
        self.scroll.verticalScrollBar().setValue(row.mapTo(self.scroll.widget(), QPoint(0, 0)).y() - 8)
        target = row.findChild(QWidget, f"{location}.override") if "override" in location else None
        edit = next((w for w in row.findChildren(QWidget) if w.focusPolicy() and w.isEnabled() and w.objectName()), None)
        (target or edit or row).setFocus()
        self.selected.emit(row.key)
        return True
