"""The 复核 panel: the model's problems, refreshed live; double-click goes to the field."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from model.templates import SECTIONS

COLOURS = {"错误": "#c62828", "警告": "#b26a00", "提示": "#1565c0"}


class ProblemList(QTreeWidget):
    go_to = Signal(str, str)  # step id, location

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setHeaderLabels(["级别", "问题", "怎么办", "位置"])
        self.setColumnWidth(0, 56)
        self.setColumnWidth(1, 520)
        self.setColumnWidth(2, 360)
        self.setRootIsDecorated(False)
        self.itemDoubleClicked.connect(self._open)
        doc.scored.connect(self.refresh)
        self.refresh()

    def refresh(self):
        if self.doc.problems == getattr(self, "_shown", None):
            return  # most keystrokes change no problem: keep the list (and the selection)
        self._shown = list(self.doc.problems)
        self.clear()
        for p in self.doc.problems:
            item = QTreeWidgetItem([p.severity, p.message, p.action, SECTIONS.get(p.step, p.step)])
            item.setForeground(0, QBrush(QColor(COLOURS[p.severity])))
            item.setToolTip(1, p.message)
            item.setToolTip(2, p.action)
            item.setData(0, 256, (p.step, p.location))
            self.addTopLevelItem(item)

    def _open(self, item, _column):
        step, location = item.data(0, 256)
        self.go_to.emit(step, location)
