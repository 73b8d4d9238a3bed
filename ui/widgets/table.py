"""A table view that copies and pastes blocks of cells as Excel/WPS do (tab-separated)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView, QMessageBox, QPushButton,
                               QTableView)


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

    def keyPressEvent(self, event):
        if event.matches(QKeySequence.Copy):
            self.copy()
        elif event.matches(QKeySequence.Paste):
            self.paste(QApplication.clipboard().text())
        elif event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and self.state() != QAbstractItemView.EditingState:
            self.clear_selected()
        else:
            super().keyPressEvent(event)

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
        """Paste a tab/newline block starting at the current cell, as one undo step."""
        start = self.currentIndex()
        if not start.isValid() or not text:
            return
        block = [line.split("\t") for line in text.rstrip("\r\n").replace("\r\n", "\n").split("\n")]
        model = self.model()
        with self.doc.macro("粘贴"):
            for dr, cells in enumerate(block):
                for dc, value in enumerate(cells):
                    index = model.index(start.row() + dr, start.column() + dc)
                    if index.isValid() and model.flags(index) & Qt.ItemIsEditable:
                        model.setData(index, value.strip(), Qt.EditRole)

    def clear_selected(self):
        model = self.model()
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
