"""文字说明: one text per narrative section of the template, with 生成草稿 from the data and tables.

Each section has “插入表格” (“编辑表格” while the cursor is in a table: a grid
editor, ``ui.widgets.narrative_table``), “从数据插入表格” (收入/支出 by
category, 三公经费 预算 vs 决算, 得分情况 … from ``model.narrative.data_tables``)
and “生成草稿”.  Cells pasted from Excel/WPS into the text become a table.
"""
from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QMenu, QMessageBox, QPushButton, QToolButton, QVBoxLayout

from model import narrative

from ..widgets.narrative_table import NarrativeEditor
from .base import StepPage


class NarrativePage(StepPage):
    step_id = "narrative"

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        self.editors: dict[str, NarrativeEditor] = {}
        self.table_buttons: dict[str, QPushButton] = {}
        self.data_buttons: dict[str, QToolButton] = {}
        for section in doc.template.narrative_sections:
            box = QGroupBox(section.title)
            lay = QVBoxLayout(box)
            top = QHBoxLayout()
            hint = QLabel(section.hint)
            hint.setWordWrap(True)
            hint.setStyleSheet("color:#555")
            top.addWidget(hint, 1)
            editor = NarrativeEditor(doc, f"narrative.{section.id}", height=160)

            table = QPushButton("插入表格")
            table.setToolTip("在光标处插入表格（光标在表格中时编辑该表格）；也可从 Excel/WPS 复制单元格后直接粘贴到文字中")
            table.clicked.connect(lambda _=False, sid=section.id: self.edit_table(sid))
            top.addWidget(table)
            self.table_buttons[section.id] = table
            editor.cursorPositionChanged.connect(lambda sid=section.id: self._table_button_text(sid))

            data = QToolButton()
            data.setText("从数据插入表格")
            data.setToolTip("按已填数据生成表格（收入、支出、“三公”经费、得分情况…），插入到光标处")
            data.setPopupMode(QToolButton.InstantPopup)
            menu = QMenu(data)
            menu.aboutToShow.connect(lambda sid=section.id, m=menu: self._fill_data_menu(sid, m))
            data.setMenu(menu)
            top.addWidget(data)
            self.data_buttons[section.id] = data

            button = QPushButton("生成草稿")
            kind = narrative.draft_kind(section.id)
            button.setEnabled(kind is not None)
            button.setToolTip("根据已填数据生成本节草稿" if kind else "本节需要根据实际情况撰写")
            button.clicked.connect(lambda _=False, sid=section.id: self.generate(sid))
            top.addWidget(button)
            lay.addLayout(top)
            lay.addWidget(editor)
            self.editors[section.id] = editor
            self.layout_.addWidget(box)
        self.layout_.addStretch(1)

    # ------------------------------------------------------------ tables

    def _table_button_text(self, section_id: str):
        inside = self.editors[section_id].table_under_cursor() is not None
        self.table_buttons[section_id].setText("编辑表格" if inside else "插入表格")

    def edit_table(self, section_id: str) -> bool:
        """Insert a table at the cursor of the section's text, or edit the table under it (grid dialog)."""
        editor = self.editors[section_id]
        changed = editor.edit_table(self)
        editor.setFocus()
        return changed

    def data_tables(self, section_id: str) -> list[tuple[str, str]]:
        """(label, table text) the data gives now, numbered after the section's tables."""
        number = self.editors[section_id].table_count() + 1
        return narrative.data_tables(self.doc.report, self.doc.template, self.doc.result, number)

    def _fill_data_menu(self, section_id: str, menu: QMenu):
        menu.clear()
        tables = self.data_tables(section_id)
        if not tables:
            action = menu.addAction("已填数据还不足以生成表格")
            action.setEnabled(False)
            return
        for label, text in tables:
            menu.addAction(label, lambda t=text, sid=section_id: self.insert_data_table(sid, t))

    def insert_data_table(self, section_id: str, text: str):
        editor = self.editors[section_id]
        editor.put_table(text, label="插入表格")
        editor.setFocus()

    # ------------------------------------------------------------ drafts

    def generate(self, section_id: str):
        text = narrative.draft(self.doc.report, self.doc.template, self.doc.result, section_id)
        if not text:
            QMessageBox.information(self, "无法生成草稿", "已填写的数据还不足以生成本节草稿，请先填写收支、评分等数据。")
            return
        current = (self.doc.report.narrative.get(section_id) or "").strip()
        if current and current != text:
            choice = QMessageBox.question(
                self, "已有文字", "本节已有文字。用草稿替换现有文字吗？\n选“否”则把草稿追加在现有文字之后。",
                QMessageBox.Yes | QMessageBox.No | QMessageBox.Cancel, QMessageBox.No)
            if choice == QMessageBox.Cancel:
                return
            if choice == QMessageBox.No:
                text = f"{current}\n{text}"
        self.doc.set(f"narrative.{section_id}", text, "生成草稿")
