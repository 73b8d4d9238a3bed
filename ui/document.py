"""The open report: model object, file, undo stack, and the live score and checks.

Every edit goes through ``set``/``insert``/``remove``/``move`` (undoable
commands).  After each, ``changed`` fires and the score and problems are
recomputed at once — scoring is pure and fast, so there is no button and no
delay.  Widgets listen to ``changed`` and refresh what they show.
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from model import checks, edits, scoring, storage, templates
from model.report import Report

from . import commands

_PROJECT = re.compile(r"projects\[(\d+)\]\.")


class Document(QObject):
    changed = Signal(str)  # path of the edit ("" = everything, e.g. after open)
    structure_changed = Signal(str)  # a list changed (rows added/removed/moved)
    scored = Signal()
    file_changed = Signal()  # path or modified flag

    def __init__(self, report: Report, path: str | None = None, parent=None):
        super().__init__(parent)
        self.report = report
        self.path = Path(path) if path else None
        self.template = templates.get(report.template_id)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.result = None
        self.problems: list = []
        self.rescore()

    def _clean_changed(self, _clean: bool):
        self.file_changed.emit()

    # ------------------------------------------------------------ reading
    def get(self, path: str):
        return edits.get_at(self.report, path)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def unit(self) -> str:
        return self.report.display_unit

    # ------------------------------------------------------------ editing
    def set(self, path: str, value, text: str = "修改"):
        if self.get(path) == value:
            return
        self.undo_stack.push(commands.SetValue(self, path, value, text))

    def insert(self, list_path: str, index: int, item, text: str = "添加"):
        self.undo_stack.push(commands.InsertItem(self, list_path, index, item, text))

    def remove(self, list_path: str, index: int, text: str = "删除"):
        self.undo_stack.push(commands.RemoveItem(self, list_path, index, text))

    def set_many(self, values: list[tuple[str, object]], marks: list[str], source: str, text: str = "导入"):
        """Write many fields as one undo step; ``marks`` get ``source`` (imported / carried) as provenance."""
        self.undo_stack.push(commands.SetMany(self, values, marks, source, text))

    def move(self, list_path: str, src: int, dst: int, text: str = "移动"):
        self.undo_stack.push(commands.MoveItem(self, list_path, src, dst, text))

    def macro(self, text: str):
        """``with doc.macro("粘贴"):`` groups edits into one undo step."""
        doc = self

        class _Macro:
            def __enter__(self):
                doc.undo_stack.beginMacro(text)

            def __exit__(self, *exc):
                doc.undo_stack.endMacro()

        return _Macro()

    def touched(self, path: str, structure: bool = False):
        """Called by commands after they change the report."""
        m = _PROJECT.match(path)
        if m and not structure and self.result is not None and int(m.group(1)) < len(self.result.projects):
            self.rescore(only_project=int(m.group(1)))  # one project edited: the rest cannot change
        else:
            self.rescore()
        if structure:
            self.structure_changed.emit(path)
        self.changed.emit(path)

    def rescore(self, only_project: int | None = None):
        if only_project is None:
            self.result = scoring.score(self.report, self.template)
            self._project_problems = [checks.project_checks(self.report, self.template, self.result, i)
                                      for i in range(len(self.result.projects))]
        else:
            self.result = scoring.with_project(self.result, self.report, self.template, only_project)
            self._project_problems[only_project] = checks.project_checks(
                self.report, self.template, self.result, only_project)
        problems = checks.general_checks(self.report, self.template, self.result)
        for items in self._project_problems:
            problems += items
        self.problems = checks.ordered(problems)
        self.scored.emit()

    # ------------------------------------------------------------ files
    def save(self, path: str | Path | None = None):
        target = Path(path) if path else self.path
        storage.save(self.report, target)  # raises StorageError with the message for the clerk
        self.path = target
        self.undo_stack.setClean()
        self.file_changed.emit()

    @property
    def title(self) -> str:
        name = self.path.name if self.path else f"未命名 - {self.report.basic.department or '新报告'}"
        return f"{name}{' *' if self.modified else ''}"
