"""QUndoCommand per kind of edit, each a thin wrapper around model.edits."""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from model import edits


class SetValue(QUndoCommand):
    """Set one field.  Consecutive typing in the same field merges into one undo step."""
    ID = 1

    def __init__(self, doc, path: str, value, text: str = "修改"):
        super().__init__(text)
        self.doc, self.path, self.new = doc, path, value
        self.old = edits.get_at(doc.report, path)
        # a typed figure is as exact as typed: the source's rounding no longer applies
        self.old_precision = doc.report.source_precision.get(path)

    def redo(self):
        edits.set_at(self.doc.report, self.path, self.new)
        self.doc.report.source_precision.pop(self.path, None)
        self.doc.touched(self.path)

    def undo(self):
        edits.set_at(self.doc.report, self.path, self.old)
        if self.old_precision is not None:
            self.doc.report.source_precision[self.path] = self.old_precision
        self.doc.touched(self.path)

    def id(self):
        return self.ID

    def mergeWith(self, other):
        if other.path != self.path or isinstance(self.new, (list, dict)):
            return False
        self.new = other.new
        return True


class InsertItem(QUndoCommand):
    def __init__(self, doc, list_path: str, index: int, item, text: str = "添加"):
        super().__init__(text)
        self.doc, self.path, self.index, self.item = doc, list_path, index, item

    def redo(self):
        edits.insert_at(self.doc.report, self.path, self.index, self.item)
        self.doc.touched(self.path, structure=True)

    def undo(self):
        edits.remove_at(self.doc.report, self.path, self.index)
        self.doc.touched(self.path, structure=True)


class RemoveItem(QUndoCommand):
    def __init__(self, doc, list_path: str, index: int, text: str = "删除"):
        super().__init__(text)
        self.doc, self.path, self.index, self.item = doc, list_path, index, None

    def redo(self):
        self.item = edits.remove_at(self.doc.report, self.path, self.index)
        self.doc.touched(self.path, structure=True)

    def undo(self):
        edits.insert_at(self.doc.report, self.path, self.index, self.item)
        self.doc.touched(self.path, structure=True)


class MoveItem(QUndoCommand):
    def __init__(self, doc, list_path: str, src: int, dst: int, text: str = "移动"):
        super().__init__(text)
        self.doc, self.path, self.src, self.dst = doc, list_path, src, dst

    def redo(self):
        edits.move_at(self.doc.report, self.path, self.src, self.dst)
        self.doc.touched(self.path, structure=True)

    def undo(self):
        edits.move_at(self.doc.report, self.path, self.dst, self.src)
        self.doc.touched(self.path, structure=True)


class SetMany(QUndoCommand):
    """Many fields at once, with where each value came from (导入 / 上年结转): one undo step."""

    def __init__(self, doc, values: list[tuple[str, object]], marks: list[str], source: str, text: str = "导入",
                 precision: dict | None = None):
        super().__init__(text)
        self.doc, self.values, self.marks, self.source = doc, values, marks, source
        self.old_values: list = []
        self.old_marks = dict(doc.report.provenance)
        self.old_precision = dict(doc.report.source_precision)
        self.precision = dict(precision or {})  # path → 元 of the source's last digit (Report.source_precision)

    def redo(self):
        self.old_values = []
        for path, value in self.values:  # in order: a new unit list comes before its fields
            self.old_values.append((path, edits.get_at(self.doc.report, path)))
            edits.set_at(self.doc.report, path, edits.clone(value))
        for path in self.marks:
            self.doc.report.provenance[path] = self.source
        written = {path for path, _value in self.values} | set(self.marks)
        for path in [p for p in self.doc.report.source_precision  # a list replaced drops its items' entries
                     if p in written or any(p.startswith(f"{w}[") for w in written)]:
            del self.doc.report.source_precision[path]
        self.doc.report.source_precision.update(self.precision)
        self.doc.touched("", structure=True)

    def undo(self):
        for path, value in reversed(self.old_values):
            edits.set_at(self.doc.report, path, value)
        self.doc.report.provenance.clear()
        self.doc.report.provenance.update(self.old_marks)
        self.doc.report.source_precision.clear()
        self.doc.report.source_precision.update(self.old_precision)
        self.doc.touched("", structure=True)
