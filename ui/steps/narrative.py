"""文字说明: one text per narrative section of the template, with 生成草稿 from the data."""
from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout

from model import narrative

from ..widgets.fields import TextArea
from .base import StepPage


class NarrativePage(StepPage):
    step_id = "narrative"

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        self.editors = {}
        for section in doc.template.narrative_sections:
            box = QGroupBox(section.title)
            lay = QVBoxLayout(box)
            top = QHBoxLayout()
            hint = QLabel(section.hint)
            hint.setWordWrap(True)
            hint.setStyleSheet("color:#555")
            top.addWidget(hint, 1)
            button = QPushButton("生成草稿")
            kind = narrative.draft_kind(section.id)
            button.setEnabled(kind is not None)
            button.setToolTip("根据已填数据生成本节草稿" if kind else "本节需要根据实际情况撰写")
            button.clicked.connect(lambda _=False, sid=section.id: self.generate(sid))
            top.addWidget(button)
            lay.addLayout(top)
            editor = TextArea(doc, f"narrative.{section.id}", height=160)
            lay.addWidget(editor)
            self.editors[section.id] = editor
            self.layout_.addWidget(box)
        self.layout_.addStretch(1)

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
