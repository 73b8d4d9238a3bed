"""导出: Excel workbook, print-ready PDF and the narrative as Word, then open them."""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QApplication, QCheckBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton)

from .base import StepPage

def warm_up() -> threading.Thread:
    """Load the export code and find this machine's fonts (about half a second) in the background,
    while the clerk looks at this step, so the first 导出 does not pay for it."""

    def load():
        from export import docx, fonts, pdf, xlsx  # noqa: F401

        fonts.get_fonts()

    thread = threading.Thread(target=load, name="export-warm-up")
    thread.start()
    return thread


KINDS = (("xlsx", "Excel 工作簿（官方表格）"), ("pdf", "PDF（可直接打印、签字盖章）"), ("docx", "Word 文字报告（可继续编辑）"))


class ExportPage(StepPage):
    step_id = "export"

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        self.boxes = {}
        for kind, label in KINDS:
            box = QCheckBox(label)
            box.setChecked(True)
            self.boxes[kind] = box
            self.layout_.addWidget(box)
        row = QHBoxLayout()
        self.folder = QLineEdit(str(doc.path.parent if doc.path else Path.home()))
        self.folder.setObjectName("export_folder")
        choose = QPushButton("选择文件夹…")
        choose.clicked.connect(self.choose)
        row.addWidget(QLabel("保存到"))
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        self.layout_.addLayout(row)
        go = QPushButton("导出")
        go.setObjectName("export_button")
        go.clicked.connect(self.run)
        self.layout_.addWidget(go)
        self.results = QListWidget()
        self.results.setMinimumHeight(140)
        self.layout_.addWidget(self.results)
        actions = QHBoxLayout()
        self.open_file, self.open_folder = QPushButton("打开文件"), QPushButton("打开所在文件夹")
        self.open_file.clicked.connect(lambda: self._open(False))
        self.open_folder.clicked.connect(lambda: self._open(True))
        for button in (self.open_file, self.open_folder):
            button.setEnabled(False)
            actions.addWidget(button)
        actions.addStretch(1)
        self.layout_.addLayout(actions)
        self.layout_.addStretch(1)
        self.results.currentItemChanged.connect(self._selection)
        self.warming = warm_up()

    def choose(self):
        folder = QFileDialog.getExistingDirectory(self, "选择导出文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def run(self):
        from export import export_report

        kinds = tuple(k for k, box in self.boxes.items() if box.isChecked())
        self.results.clear()
        QApplication.setOverrideCursor(Qt.WaitCursor)  # a 50-project report takes a second or two
        try:
            outcomes = export_report(self.doc.report, self.doc.template, Path(self.folder.text()), kinds)
        finally:
            QApplication.restoreOverrideCursor()
        for o in outcomes:
            text = f"已导出：{o.path}" if not o.error else f"失败：{o.error}"
            if o.warning:
                text += f"\n  注意：{o.warning}"
            item = QListWidgetItem(text)
            item.setData(256, str(o.path) if not o.error else "")
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        return outcomes

    def _selection(self, item, _prev=None):
        ok = bool(item and item.data(256))
        self.open_file.setEnabled(ok)
        self.open_folder.setEnabled(ok)

    def _open(self, folder: bool):
        item = self.results.currentItem()
        if item and item.data(256):
            path = Path(item.data(256))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent if folder else path)))
