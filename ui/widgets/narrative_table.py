"""Tables in the 文字说明 text: a grid dialog to insert or edit one, and the text editor that holds them.

A table lives in the section text as pipe rows (``model.narrative_tables``).
``TableDialog`` edits it as a grid — 表题, 单位, add/remove rows and columns,
cells typed or pasted from Excel/WPS — and gives back the pipe block.
``NarrativeEditor`` is the section's text field: pasting cells copied from
Excel/WPS (tab-separated) inserts them as a table block, “插入表格/编辑表格”
write the dialog's block at the cursor or over the table under it, and table
lines are shaded so the clerk sees where a table is.  Every such change is one
undo step of the report, like any edit.
"""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from model import narrative_tables as nt

from .dialogs import ok_cancel
from .fields import TextArea

HEADER_BG = QColor("#e8eef5")
UNIT_PREFIX = re.compile(r"^[（(]?\s*(?:金额|计量)?单位\s*[：:]\s*")


def unit_of(line: str) -> str:
    """“单位：万元” → “万元”."""
    return UNIT_PREFIX.sub("", line.strip()).rstrip("）)").strip()


def _qt_position(text: str, index: int) -> int:
    """A Python string index as a Qt text position (UTF-16 units: 𠀀 and emoji count 2)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _py_index(text: str, position: int) -> int:
    """A Qt text position as a Python string index."""
    units = 0
    for i, ch in enumerate(text):
        if units >= position:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


class TableDialog(QDialog):
    """The grid editor: the first row is the header (表头); OK gives ``block()``, the table as pipe text."""

    def __init__(self, rows=None, title: str = "", unit: str = "", parent=None, editing: bool = False):
        super().__init__(parent)
        self.setWindowTitle("编辑表格" if editing else "插入表格")
        self.resize(720, 420)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit(title)
        self.title_edit.setPlaceholderText("可不填，如：表1 2021年度专项资金收支情况")
        self.unit_edit = QLineEdit(unit_of(unit) if unit else "")
        self.unit_edit.setPlaceholderText("可不填，如：万元")
        form.addRow("表题：", self.title_edit)
        form.addRow("金额单位：", self.unit_edit)
        lay.addLayout(form)
        hint = QLabel("第一行是表头。可直接从 Excel/WPS 复制一块单元格后在表格中按 Ctrl+V 粘贴。")
        hint.setStyleSheet("color:#555")
        hint.setWordWrap(True)
        lay.addWidget(hint)

        rows = [list(r) for r in (rows or [["", "", ""], ["", "", ""], ["", "", ""]])]
        width = max((len(r) for r in rows), default=1)
        self.grid = QTableWidget(len(rows), width)
        self.grid.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                  | QAbstractItemView.AnyKeyPressed)
        self.grid.setTabKeyNavigation(True)
        self.grid.setWordWrap(True)
        self.grid.horizontalHeader().setDefaultSectionSize(130)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.installEventFilter(self)
        for r, row in enumerate(rows):
            for c in range(width):
                self.grid.setItem(r, c, QTableWidgetItem(row[c] if c < len(row) else ""))
        self._relabel()
        lay.addWidget(self.grid, 1)

        buttons = QHBoxLayout()
        for text, slot in (("插入行", self.add_row), ("删除行", self.remove_row),
                           ("插入列", self.add_column), ("删除列", self.remove_column)):
            b = QPushButton(text)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            buttons.addWidget(b)
            setattr(self, {"插入行": "add_row_button", "删除行": "remove_row_button",
                           "插入列": "add_column_button", "删除列": "remove_column_button"}[text], b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        box = ok_cancel(self)
        self.ok_button = box.button(QDialogButtonBox.Ok)
        self.ok_button.setAutoDefault(False)
        lay.addWidget(box)
        self.grid.setCurrentCell(0, 0)
        self.grid.setFocus()

    # ------------------------------------------------------------ rows and columns

    def _relabel(self):
        self.grid.setVerticalHeaderLabels(["表头"] + [str(i) for i in range(1, self.grid.rowCount())])
        bold = QFont(self.grid.font())
        bold.setBold(True)
        for r in range(self.grid.rowCount()):
            for c in range(self.grid.columnCount()):
                item = self.grid.item(r, c)
                if item is None:
                    item = QTableWidgetItem("")
                    self.grid.setItem(r, c, item)
                item.setFont(bold if r == 0 else self.grid.font())
                item.setBackground(HEADER_BG if r == 0 else QColor(Qt.white))

    def add_row(self):
        """A row below the current one (at the end when none is current)."""
        r = self.grid.currentRow()
        at = r + 1 if r >= 0 else self.grid.rowCount()
        self.grid.insertRow(at)
        self._relabel()
        self.grid.setCurrentCell(at, max(self.grid.currentColumn(), 0))

    def remove_row(self):
        r = self.grid.currentRow()
        if r < 0 or self.grid.rowCount() <= 1:
            return
        self.grid.removeRow(r)
        self._relabel()

    def add_column(self):
        """A column right of the current one."""
        c = self.grid.currentColumn()
        at = c + 1 if c >= 0 else self.grid.columnCount()
        self.grid.insertColumn(at)
        self._relabel()
        self.grid.setCurrentCell(max(self.grid.currentRow(), 0), at)

    def remove_column(self):
        c = self.grid.currentColumn()
        if c < 0 or self.grid.columnCount() <= 1:
            return
        self.grid.removeColumn(c)
        self._relabel()

    def paste(self, text: str):
        """Cells copied from Excel/WPS, from the current cell on; the grid grows to hold them."""
        block = nt.from_tsv(text)
        if not block:
            return
        r0, c0 = max(self.grid.currentRow(), 0), max(self.grid.currentColumn(), 0)
        self.grid.setRowCount(max(self.grid.rowCount(), r0 + len(block)))
        self.grid.setColumnCount(max(self.grid.columnCount(), c0 + len(block[0])))
        for dr, row in enumerate(block):
            for dc, value in enumerate(row):
                self.grid.setItem(r0 + dr, c0 + dc, QTableWidgetItem(value))
        self._relabel()

    def eventFilter(self, obj, event):
        if obj is self.grid and event.type() == event.Type.KeyPress and event.matches(QKeySequence.Paste) \
                and self.grid.state() != QAbstractItemView.EditingState:
            self.paste(QApplication.clipboard().text())
            return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------ the result

    def rows(self) -> list[list[str]]:
        """The cells, without empty rows and without empty columns at the right."""
        out = []
        for r in range(self.grid.rowCount()):
            row = [(self.grid.item(r, c).text() if self.grid.item(r, c) else "").strip()
                   for c in range(self.grid.columnCount())]
            if any(row) or r == 0:
                out.append(row)
        width = max((max((i + 1 for i, cell in enumerate(row) if cell), default=0) for row in out), default=0)
        return [row[:width] for row in out] if width else []

    def block(self) -> str:
        """The table as pipe text (with its 表题 and 单位 lines); "" when every cell is empty."""
        rows = self.rows()
        if not rows or not any(cell for row in rows for cell in row):
            return ""
        unit = self.unit_edit.text().strip()
        if unit and not nt.is_unit(unit):
            unit = f"单位：{unit}"
        return nt.to_text(rows, self.title_edit.text().strip(), unit)


class _TableShading(QSyntaxHighlighter):
    """Table lines on a light background, their pipes grey: the clerk sees where a table is."""

    def __init__(self, document):
        super().__init__(document)
        self.row = QTextCharFormat()
        self.row.setBackground(QColor("#eef3f8"))
        self.pipe = QTextCharFormat(self.row)
        self.pipe.setForeground(QColor("#8899aa"))
        self.title = QTextCharFormat()
        self.title.setForeground(QColor("#234"))
        self.title.setFontWeight(QFont.Bold)

    def highlightBlock(self, text: str):
        if nt.has_pipe(text) and len(nt.split_row(text)) >= 2:
            self.setFormat(0, len(text), self.row)
            for i, ch in enumerate(text):
                if ch in nt.PIPES:
                    self.setFormat(i, 1, self.pipe)
        elif nt.is_title(text):
            self.setFormat(0, len(text), self.title)


class NarrativeEditor(TextArea):
    """A section's text: tables pasted from Excel/WPS become table blocks; insert/edit tables at the cursor."""

    def __init__(self, doc, path: str, height: int = 160, parent=None):
        super().__init__(doc, path, height=height, parent=parent)
        self._shading = _TableShading(self.document())

    # ------------------------------------------------------------ where the cursor is

    def table_under_cursor(self) -> nt.NarrativeTable | None:
        return nt.table_at(self.toPlainText(), self.textCursor().blockNumber())

    def table_count(self) -> int:
        return len(nt.find_tables(self.toPlainText()))

    # ------------------------------------------------------------ writing a block

    def put_table(self, block: str, replace: nt.NarrativeTable | None = None, label: str = "插入表格") -> None:
        """Write ``block`` over the lines of ``replace``, or on lines of its own at the cursor: one undo step.

        At the cursor, text before and after it on its line stays on lines of its own, and a blank
        line keeps the new table apart from a table right above or below (else the two would be one).
        Inside another table the new one goes after it.
        """
        if not block:
            return
        text = self.toPlainText()
        lines = text.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        cursor = QTextCursor(self.document())
        if replace is not None:
            start, end = offsets[replace.first], offsets[replace.last] + len(lines[replace.last])
            insert = block
        else:
            own = self.textCursor()
            start, end = _py_index(text, own.selectionStart()), _py_index(text, own.selectionEnd())
            inside = self.table_under_cursor()
            if inside is not None:
                start = end = offsets[inside.last] + len(lines[inside.last])
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end
            before, after = text[line_start:start], text[end:line_end]
            above = before if before.strip() else (text[:max(line_start - 1, 0)].rsplit("\n", 1)[-1] if line_start else "")
            below = after if after.strip() else (text[line_end + 1:].split("\n", 1)[0] if line_end < len(text) else "")
            head = ("\n" if before.strip() else "") + ("\n" if nt.has_pipe(above) else "")
            tail = ("\n" if after.strip() else "") + ("\n" if nt.has_pipe(below) else "")
            insert = head + block + tail
        cursor.setPosition(_qt_position(text, start))
        cursor.setPosition(_qt_position(text, end), QTextCursor.KeepAnchor)
        with self.doc.macro(label):
            cursor.insertText(insert)
        cursor.setPosition(_qt_position(self.toPlainText(), start + len(insert.rstrip("\n"))))
        self.setTextCursor(cursor)

    def edit_table(self, parent=None) -> bool:
        """Open the grid editor on the table under the cursor, or on a new one; True when the text changed."""
        table = self.table_under_cursor()
        if table is not None:
            dialog = TableDialog([list(r) for r in table.rows], table.title, table.unit, parent or self, editing=True)
        else:
            dialog = TableDialog(parent=parent or self)
        if dialog.exec() != QDialog.Accepted:
            return False
        block = dialog.block()
        if not block:
            return False
        self.put_table(block, table, "编辑表格" if table is not None else "插入表格")
        return True

    # ------------------------------------------------------------ paste

    @staticmethod
    def cells_in(source) -> list[list[str]] | None:
        """Rows when the clipboard holds a block of spreadsheet cells (Excel/WPS/LibreOffice), else None."""
        if source is None or not source.hasText():
            return None
        text = source.text()
        from_sheet = source.hasHtml() and "<table" in source.html().lower() and "\t" in text
        if not (from_sheet or nt.looks_like_cells(text)):
            return None
        rows = nt.from_tsv(text)
        return rows if rows and len(rows[0]) >= 2 else None

    def insertFromMimeData(self, source):
        rows = self.cells_in(source)
        if rows is None:
            super().insertFromMimeData(source)
            return
        self.put_table(nt.to_text(rows), label="粘贴表格")

    def contextMenuEvent(self, event):
        menu = self.createStandardContextMenu(event.pos())
        menu.addSeparator()
        table = self.table_under_cursor()
        menu.addAction("编辑表格…" if table is not None else "插入表格…", self.edit_table)
        if table is not None:
            menu.addAction("删除表格", lambda: self.remove_table(table))
        menu.exec(event.globalPos())

    def remove_table(self, table: nt.NarrativeTable) -> None:
        doc = self.document()
        cursor = QTextCursor(doc)
        first, last = doc.findBlockByNumber(table.first), doc.findBlockByNumber(table.last)
        cursor.setPosition(first.position())
        if last.next().isValid():
            cursor.setPosition(last.next().position(), QTextCursor.KeepAnchor)
        else:
            cursor.setPosition(max(first.position() - 1, 0))
            cursor.setPosition(last.position() + max(last.length() - 1, 0), QTextCursor.KeepAnchor)
        with self.doc.macro("删除表格"):
            cursor.removeSelectedText()
