"""导出: Excel workbook, print-ready PDF and the narrative as Word, then open them.

The files are built in a worker thread (``ui.worker``) from a copy of the report taken when
导出 is pressed: a progress bar and 取消 show meanwhile, and the clerk can go on editing
(the edits are not in these files).  取消 leaves no file: all are built before any is written.
"""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton)

from export.files import make_folder
from model.checks import readiness

from ..worker import Job, ProgressPanel, restore, snapshot
from .base import StepPage


def default_folder(doc) -> Path:
    """Where the files go unless the clerk chooses: beside the report, else 文档 (Documents), else home."""
    if doc.path is not None:
        return doc.path.parent
    documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


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
        self.readiness = QLabel()  # whether what is exported can be signed and sealed
        self.readiness.setObjectName("export_readiness")
        self.readiness.setWordWrap(True)
        self.layout_.addWidget(self.readiness)
        self.boxes = {}
        for kind, label in KINDS:
            box = QCheckBox(label)
            box.setChecked(True)
            self.boxes[kind] = box
            self.layout_.addWidget(box)
        # the county's version: its 审核分 printed as the scores, in files of their own (…_审核)
        self.reviewed = QCheckBox("按主管部门审核分导出（另存为“…_审核”文件，与自评版本并存）")
        self.reviewed.setObjectName("export_reviewed")
        self.layout_.addWidget(self.reviewed)
        doc.scored.connect(self._show_readiness)
        self._show_readiness()
        row = QHBoxLayout()
        self.folder = QLineEdit(str(default_folder(doc)))
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
        self.go = go
        printing = QPushButton("打印…")  # the same pages as the PDF, previewed, then to a printer
        printing.setObjectName("print_button")
        printing.clicked.connect(self.print_preview)
        buttons = QHBoxLayout()
        buttons.addWidget(go, 1)
        buttons.addWidget(printing)
        self.layout_.addLayout(buttons)
        self.progress = ProgressPanel()
        self.progress.setObjectName("export_progress")
        self.layout_.addWidget(self.progress)
        self.job: Job | None = None
        self.outcomes: list | None = None  # of the last export that ended (None: cancelled or failed)
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

    def _show_readiness(self):
        from model.summary.review import has_review

        reviewed = has_review(self.doc.report)
        self.reviewed.setVisible(reviewed)
        if not reviewed:
            self.reviewed.setChecked(False)
        ready, line = readiness(self.doc.problems, self.doc.result)
        self.readiness.setText(f"<b style='color:{'#1a7f37' if ready else '#b42318'}'>{line}</b>")

    def choose(self):
        folder = QFileDialog.getExistingDirectory(self, "选择导出文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def run(self) -> Job | None:
        """Start exporting the chosen kinds in a worker; the results list fills when it is done."""
        from export import export_report, export_reviewed

        if self.job is not None:
            return self.job
        kinds = tuple(k for k, box in self.boxes.items() if box.isChecked())
        folder = Path(self.folder.text())
        self.results.clear()
        self.outcomes = None
        self._selection(None)
        problem = make_folder(folder)  # said at once, not after building the files for a minute
        if problem:
            self.results.addItem(QListWidgetItem(f"失败：{problem}。请点“选择文件夹…”另选一个文件夹。"))
            return None
        frozen = snapshot(self.doc.report)  # the report as it is now; edits made meanwhile are not exported
        # its score and checks as they are now: a ScoreResult is immutable (an edit makes a new one), and
        # what it holds of the report (overrides, names) is replaced by an edit, never changed in place
        tpl, warming, result = self.doc.template, self.warming, self.doc.result
        reviewed = self.reviewed.isChecked()

        def work(progress, cancel):
            warming.join()  # the export code and fonts, loaded in the background since the step opened
            if reviewed:  # scored again with the reviewer's scores in place of the self-scores
                return export_reviewed(restore(frozen), tpl, folder, kinds, progress=progress, cancel=cancel)
            return export_report(restore(frozen), tpl, folder, kinds, result=result, progress=progress, cancel=cancel)

        self.job = job = Job(work, "export")
        job.done.connect(self._done)
        job.failed.connect(self._failed)
        job.cancelled.connect(self._cancelled)
        self.progress.attach(job, "正在准备导出…")
        self.go.setEnabled(False)
        self.destroyed.connect(job.cancel)  # the window closed or another report opened: stop, write nothing
        return job.start()

    def print_preview(self):
        from ..print_preview import preview

        return preview(self.doc, self.window())

    def _finished(self):
        self.job = None
        self.go.setEnabled(True)

    def _done(self, outcomes):
        self._finished()
        self.outcomes = outcomes
        for o in outcomes:
            text = f"已导出：{o.path}" if not o.error else f"失败：{o.error}"
            if o.warning:
                text += f"\n  注意：{o.warning}"
            item = QListWidgetItem(text)
            item.setData(256, str(o.path) if not o.error else "")
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _failed(self, error):
        self._finished()
        self.results.addItem(QListWidgetItem(f"导出失败：{error!r}。请把此消息反馈给软件维护人员。"))

    def _cancelled(self):
        self._finished()
        self.results.addItem(QListWidgetItem("已取消导出，没有写入任何文件。"))

    def _selection(self, item, _prev=None):
        ok = bool(item and item.data(256))
        self.open_file.setEnabled(ok)
        self.open_folder.setEnabled(ok)

    def _open(self, folder: bool):
        item = self.results.currentItem()
        if item and item.data(256):
            path = Path(item.data(256))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent if folder else path)))
