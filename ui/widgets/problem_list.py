"""The 复核 panel: the model's problems, refreshed live; double-click goes to the field.

A 500-project report can have thousands of problems; a keystroke changes a few.  The
document keeps a problem that did not change as the same object (model.live), so the
list compares by identity and removes/inserts only the rows that changed (the selection
and the scroll position stay)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from model.templates import SECTIONS

COLOURS = {"错误": "#c62828", "警告": "#b26a00", "提示": "#1565c0"}
BRUSHES = {severity: QBrush(QColor(colour)) for severity, colour in COLOURS.items()}
REBUILD = 300  # more changed rows than this: clearing and adding them all at once is quicker


def diff(old: list, new: list) -> tuple[int, list[int], list[int]] | None:
    """How to turn ``old`` into ``new`` keeping the objects both hold (by identity):
    ``(start, removed, inserted)`` — rows ``start + r`` of ``old`` to remove (ascending) and
    rows ``start + n`` of ``new`` to insert (ascending, after the removals).  None: nothing changed."""
    n_old, n_new = len(old), len(new)
    start = 0
    limit = min(n_old, n_new)
    while start < limit and old[start] is new[start]:
        start += 1
    if start == n_old == n_new:
        return None
    end_old, end_new = n_old, n_new
    while end_old > start and end_new > start and old[end_old - 1] is new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    mid_old, mid_new = old[start:end_old], new[start:end_new]
    where = {id(p): j for j, p in enumerate(mid_new)}
    kept_old, kept_new, last = set(), set(), -1
    for i, p in enumerate(mid_old):  # kept: common objects in the same order (greedy)
        j = where.get(id(p))
        if j is not None and j > last:
            kept_old.add(i)
            kept_new.add(j)
            last = j
    removed = [i for i in range(len(mid_old)) if i not in kept_old]
    inserted = [j for j in range(len(mid_new)) if j not in kept_new]
    return start, removed, inserted


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
        self.setUniformRowHeights(True)  # no per-row size queries: thousands of rows stay cheap
        self.itemDoubleClicked.connect(self._open)
        self._shown: list = []
        doc.scored.connect(self.refresh)
        self.refresh()

    def refresh(self):
        new = list(self.doc.problems)
        change = diff(self._shown, new)
        if change is None:
            return  # most keystrokes change no problem: keep the list (and the selection)
        start, removed, inserted = change
        if len(removed) + len(inserted) > REBUILD:  # e.g. projects renumbered: rewrite the rows in place
            count = self.topLevelItemCount()
            for i in range(start, min(count, len(new))):
                _fill(self.topLevelItem(i), new[i])
            if len(new) > count:
                self.addTopLevelItems([_fill(QTreeWidgetItem(), p) for p in new[count:]])
            for i in range(count - 1, len(new) - 1, -1):
                self.takeTopLevelItem(i)
        else:
            for r in reversed(removed):
                self.takeTopLevelItem(start + r)
            for j in inserted:
                self.insertTopLevelItem(start + j, _fill(QTreeWidgetItem(), new[start + j]))
        self._shown = new

    def _open(self, item, _column):
        step, location = item.data(0, 256)
        self.go_to.emit(step, location)


def _fill(item: QTreeWidgetItem, p) -> QTreeWidgetItem:
    for col, text in enumerate((p.severity, p.message, p.action, SECTIONS.get(p.step, p.step))):
        item.setText(col, text)
    item.setForeground(0, BRUSHES[p.severity])
    item.setToolTip(1, p.message)
    item.setToolTip(2, p.action)
    item.setData(0, 256, (p.step, p.location))
    return item
