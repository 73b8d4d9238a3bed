"""A table view that copies and pastes blocks of cells as Excel/WPS do (tab-separated).

Pasting follows ``model.paste.plan`` (header line and its unit, label column, rows added), as one
undo step, and says what it did in the status line; refused cells stay red with their reason."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView, QMainWindow, QMessageBox,
                               QPushButton, QTableView, QToolTip)

from model.paste import plan

from .dialogs import ask_unit


class DataTable(QTableView):
    def __init__(self, model, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                             | QAbstractItemView.AnyKeyPressed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setWordWrap(True)
        self.setTabKeyNavigation(True)
        if hasattr(model, "message"):
            model.message.connect(self.say)
            model.ask_unit = lambda text, unit, doubt: ask_unit(self, text, unit, doubt)
        self.last_message = ""

    def say(self, text: str):
        """A line for the clerk: the window's status bar (and a tooltip at the cell when there is none)."""
        self.last_message = text
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)
        elif self.isVisible():
            QToolTip.showText(self.viewport().mapToGlobal(self.visualRect(self.currentIndex()).bottomLeft()), text, self)

    def keyPressEvent(self, event):
        editing = self.state() == QAbstractItemView.EditingState
        if event.matches(QKeySequence.Copy):
            self.copy()
        elif event.matches(QKeySequence.Paste):
            self.paste(QApplication.clipboard().text())
        elif event.key() == Qt.Key_Escape and not editing and hasattr(self.model(), "cancel_refused"):
            if self.model().cancel_refused(self.selectedIndexes() or [self.currentIndex()]):
                self.say("已放弃未写入的内容，恢复为原值。")
            else:
                super().keyPressEvent(event)
        elif event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and not editing:
            self.clear_selected()
        else:
            super().keyPressEvent(event)

    def inputMethodEvent(self, event):
        """Chinese typed into a cell that is not being edited opens it, as a key does: Qt forwards only key
        presses to the editor it opens, so the first character of a pinyin commit was lost."""
        index = self.currentIndex()
        if self.state() != QAbstractItemView.EditingState and event.commitString() and index.isValid() \
                and self.model().flags(index) & Qt.ItemIsEditable \
                and self.edit(index, QAbstractItemView.AllEditTriggers, event):
            editor = self.focusWidget()  # the editor just opened took focus (even in an inactive window)
            if editor is not None and editor is not self:
                if hasattr(editor, "selectAll"):
                    editor.selectAll()  # replaces the cell, as typing a key does
                QApplication.sendEvent(editor, event)
                return
        super().inputMethodEvent(event)

    def copy(self):
        indexes = self.selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        model = self.model()
        lines = ["\t".join(str(model.index(r, c).data() or "") for c in cols) for r in rows]
        QApplication.clipboard().setText("\n".join(lines))

    def paste(self, text: str):
        """Paste a block at the current cell (see ``model.paste.plan``) as one undo step, and say how it went."""
        start = self.currentIndex()
        model = self.model()
        if not start.isValid() or not text:
            return
        kinds = [getattr(c, "kind", "text") for c in getattr(model, "columns", ())] or ["amount"] * model.columnCount()
        labels = None if hasattr(model, "columns") else [model.headerData(r, Qt.Vertical) for r in range(model.rowCount())]
        todo = plan(text, kinds, start.row(), start.column(), model.rowCount(),
                    can_add_rows=hasattr(model, "insert_row"), row_labels=labels)
        refused = skipped = 0
        with self.doc.macro("粘贴"):
            for _ in range(todo.new_rows):
                model.insert_row()
            for row, col, value in todo.cells:
                index = model.index(row, col)
                if not (index.isValid() and model.flags(index) & Qt.ItemIsEditable):
                    skipped += 1 if value else 0
                elif not model.setData(index, value, Qt.EditRole) and (row, col) in model.refused_cells():
                    refused += 1
        more = [f"{refused} 格内容无法识别，已标红（鼠标停在格上可看原因）" if refused else "",
                f"{skipped} 格落在自动计算或只读的格上，未写入" if skipped else ""]
        self.say(todo.summary.rstrip("。") + "".join(f"；{m}" for m in more if m) + "。")

    def clear_selected(self):
        model = self.model()
        if hasattr(model, "cancel_refused") and model.cancel_refused(self.selectedIndexes()):
            self.say("已放弃未写入的内容，恢复为原值。")
            return
        editable = [i for i in self.selectedIndexes() if model.flags(i) & Qt.ItemIsEditable]
        if editable:
            with self.doc.macro("清除"):
                for index in editable:
                    model.setData(index, "", Qt.EditRole)

    # -- row editing shared by every list table (functional rows, team, project indicators)
    def add_row(self, column: int = 0):
        row = self.model().insert_row()
        self.setCurrentIndex(self.model().index(row, column))

    def remove_selected(self, noun: str):
        rows = sorted({i.row() for i in self.selectedIndexes()})
        if rows and QMessageBox.question(self, f"删除{noun}",
                                         f"确定删除选中的 {len(rows)} 行{noun}吗？（可用 Ctrl+Z 撤销）") == QMessageBox.Yes:
            self.model().remove_rows(rows)

    def move_current(self, delta: int):
        current = self.currentIndex()
        if current.isValid():
            row = self.model().move_row(current.row(), delta)
            self.setCurrentIndex(self.model().index(row, current.column()))

    def row_buttons(self, noun: str, add_column: int = 0) -> QHBoxLayout:
        """添加 / 删除选中 / 上移 / 下移, wired to this table."""
        bar = QHBoxLayout()
        for text, slot in ((f"添加{noun}", lambda: self.add_row(add_column)), (f"删除选中{noun}", lambda: self.remove_selected(noun)),
                           ("上移", lambda: self.move_current(-1)), ("下移", lambda: self.move_current(1))):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        return bar
