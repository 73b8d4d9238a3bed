"""The 汇总 window: add reports (files, a folder, a zip), see every unit and project in one table.

Reports are opened, scored and checked off the GUI thread (``ui.worker.Job``) with a progress bar;
the table sorts on any column and filters by text and 状态; the findings across units are listed
under it.  Double-clicking a row opens that report in a wizard window; 审核… enters a reviewer's
scores into it (``review_dialog``).  Files (and the folders they were found in) are watched: a
report saved by its unit or by a reviewer is opened again and its rows replaced, a new report put
in a watched folder is added.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from export import Cancelled
from model import storage
from model.money import MoneyError, format_amount, parse_amount
from model.summary import STATES, Summary, gather, grade_counts, open_entries, open_entry
from model.summary.units import UnitListError, read_units

from ..worker import Job, ProgressPanel
from .table import SummaryFilter, SummaryTableModel

REOPEN_AFTER_MS = 400  # a save touches a file several times (temp, .bak, replace): wait for the last


class SummaryWindow(QMainWindow):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建汇总 — 绩效自评填报助手")
        self.resize(1280, 720)
        self.summary = Summary([])
        self.paths: list[Path] = []  # what the clerk added (files, folders, zips)
        self.job: Job | None = None
        self.wizards: list = []  # report windows opened from here
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self._pending: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=REOPEN_AFTER_MS)
        self._timer.timeout.connect(self._reopen)
        self._build()

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        bar = QHBoxLayout()
        for text, slot in (("添加报告文件…", self.add_files), ("添加文件夹…", self.add_folder),
                           ("添加压缩包…", self.add_zip), ("单位名单…", self.choose_units),
                           ("全县预算数…", self.enter_county_budget), ("审核…", self.review_selected),
                           ("导出汇总…", self.export)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        filters = QHBoxLayout()
        self.filter_text = QLineEdit(self, placeholderText="筛选：单位、项目、等次、校验码…")
        self.filter_state = QComboBox(self)
        self.filter_state.addItem("全部状态", "")
        for state in STATES:
            self.filter_state.addItem(state, state)
        self.filter_text.textChanged.connect(self._filter)
        self.filter_state.currentIndexChanged.connect(self._filter)
        filters.addWidget(self.filter_text, 1)
        filters.addWidget(self.filter_state)
        layout.addLayout(filters)
        self.model = SummaryTableModel(self)
        self.proxy = SummaryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.proxy.sort(-1)  # the reports' own order until the clerk sorts on a column
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(self.open_selected)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for col, width in ((0, 110), (2, 110), (3, 100), (4, 70), (5, 60), (6, 60), (7, 40), (8, 40), (9, 40),
                           (10, 60), (11, 100), (12, 150)):
            self.table.setColumnWidth(col, width)
        self.findings = QListWidget(self)
        self.findings.setWordWrap(True)
        split = QSplitter(Qt.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.findings)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.counts = QLabel(self)
        layout.addWidget(self.counts)
        self.progress = ProgressPanel(self)
        layout.addWidget(self.progress)
        self.setCentralWidget(central)
        self.statusBar().showMessage("添加各单位报送的报告文件、文件夹或压缩包（.zip）开始汇总。")

    # ------------------------------------------------------------ adding reports
    def add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "添加报告文件", "", f"报告文件 (*{storage.SUFFIX});;压缩包 (*.zip)")
        self.add_paths(files)

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "添加文件夹（其中及下级文件夹的全部报告）")
        if folder:
            self.add_paths([folder])

    def add_zip(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "添加压缩包", "", "压缩包 (*.zip)")
        self.add_paths(files)

    def add_paths(self, paths) -> None:
        new = [Path(p) for p in paths if Path(p) not in self.paths]
        if new:
            self.paths += new
            self.reload()

    def reload(self) -> None:
        """Gather and open every report of ``self.paths`` off the GUI thread."""
        if self.job is not None:
            self.job.cancel()
        paths = list(self.paths)

        def work(progress, cancel):
            sources, problems = gather(paths)
            known = {e.source: e for e in self.summary.entries}
            todo = [s for s in sources if s not in known]
            progress(0.0, f"正在打开 {len(todo)} 份报告")
            def step(i, n):
                if cancel.is_set():  # more reports were added: this round gives way to the next
                    raise Cancelled()
                progress(i / n, f"已打开 {i} / {n} 份报告")

            # one process: forking worker processes from a GUI program is not safe on every system
            opened = open_entries(todo, workers=1, progress=step)
            fresh = dict(zip(todo, opened))
            return [fresh.get(s) or known[s] for s in sources], problems

        job = Job(work, "summary")
        job.done.connect(self._loaded)
        job.failed.connect(lambda e: QMessageBox.warning(self, "汇总失败", f"打开报告时出错：{e}"))
        self.progress.attach(job, "正在打开报告")
        self.job = job.start()

    def _loaded(self, result) -> None:
        entries, problems = result
        self.job = None
        self.summary.entries = entries
        self.summary.problems = problems
        self.summary.refresh_findings()
        self._show()
        self._watch()

    # ------------------------------------------------------------ showing
    def _show(self) -> None:
        self.model.set_summary(self.summary)
        self.findings.clear()
        for line in self.summary.problems:
            self.findings.addItem(QListWidgetItem(f"[错误] {line}"))
        for e in self.summary.failed:
            self.findings.addItem(QListWidgetItem(f"[无法读取] {e.source.name}：{e.error}"))
        for f in self.summary.findings:
            item = QListWidgetItem(f"[{f.severity}] {f.message}　处理：{f.action}")
            item.setToolTip("\n".join(f.files))
            self.findings.addItem(item)
        rows = self.summary.counted_rows  # a report received twice counts once, as in the 汇总表
        projects = grade_counts(r for r in rows if not r.is_dept)
        depts = grade_counts(r for r in rows if r.is_dept)
        self.counts.setText(f"报告 {len(self.summary.entries)} 份　项目 {sum(not r.is_dept for r in rows)} 个（{_counts(projects)}）"
                            f"　部门整体 {sum(r.is_dept for r in rows)} 个（{_counts(depts)}）")
        self.statusBar().showMessage(f"已汇总 {len(self.summary.entries)} 份报告。双击一行打开该报告，选中后点“审核…”填写审核得分。")

    def _filter(self) -> None:
        self.proxy.set_filter(self.filter_text.text(), self.filter_state.currentData())

    # ------------------------------------------------------------ county data
    def choose_units(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择单位名单", "", "单位名单 (*.txt *.xlsx);;所有文件 (*)")
        if not path:
            return
        try:
            self.summary.units = read_units(path)
        except UnitListError as e:
            QMessageBox.warning(self, "单位名单无法读取", str(e))
            return
        self.summary.refresh_findings()
        self._show()

    def enter_county_budget(self) -> None:
        current = format_amount(self.summary.county_budget, "wan") + "万" if self.summary.county_budget else ""
        text, ok = QInputDialog.getText(self, "全县预算数", "全县（汇总单位）全年预算数，与各单位合计核对（如 12345.67万）：",
                                        text=current)
        if not ok:
            return
        try:
            self.summary.county_budget = parse_amount(text, "yuan") if text.strip() else None
        except MoneyError as e:
            QMessageBox.warning(self, "全县预算数无法识别", str(e))
            return
        self.summary.refresh_findings()
        self._show()

    # ------------------------------------------------------------ one report
    def selected(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def open_selected(self, index=None) -> None:
        picked = self.model.row_at(self.proxy.mapToSource(index).row()) if index is not None else self.selected()
        if picked is None:
            return
        entry, _row = picked
        from ..document import Document
        from ..main_window import MainWindow

        try:
            if entry.source.writable:
                doc = Document.open(entry.source.path)
            else:  # a zip member: an untitled copy (saving asks where)
                from model.summary.sources import read

                doc = Document(storage.loads(read(entry.source).decode("utf-8-sig"), entry.source.name))
        except storage.StorageError as e:
            QMessageBox.warning(self, "无法打开报告", str(e))
            return
        window = MainWindow(doc)
        self.wizards.append(window)
        window.show()

    def review_selected(self) -> None:
        picked = self.selected()
        if picked is None:
            QMessageBox.information(self, "审核", "请先在表中选中要审核的报告的一行。")
            return
        entry, _row = picked
        if not entry.source.writable:
            QMessageBox.information(self, "审核", f"“{entry.source.name}”在压缩包中，审核结果无法写入。"
                                               "请先把压缩包解压到文件夹，再添加该文件夹进行审核。")
            return
        from .review_dialog import ReviewDialog

        try:
            dialog = ReviewDialog(entry.source.path, self)
        except storage.StorageError as e:
            QMessageBox.warning(self, "无法打开报告", str(e))
            return
        if dialog.exec():
            self.summary.replace(open_entry(entry.source))
            self._show()

    # ------------------------------------------------------------ files changing on disk
    def _watch(self) -> None:
        wanted = {str(e.source.path) for e in self.summary.entries}
        wanted |= {str(p) for p in self.paths if p.is_dir()}
        wanted |= {str(p) for d in self.paths if d.is_dir() for p in d.rglob("*") if p.is_dir()}
        have = set(self.watcher.files()) | set(self.watcher.directories())
        if wanted - have:
            self.watcher.addPaths(sorted(wanted - have))

    def _changed(self, path: str) -> None:
        self._pending.add(path)
        self._timer.start()

    def _reopen(self) -> None:
        """Open again the reports whose files changed; a folder that changed is gathered again."""
        pending, self._pending = self._pending, set()
        if any(Path(p).is_dir() for p in pending):
            self.summary.entries = [e for e in self.summary.entries if str(e.source.path) not in pending]
            self.reload()
            return
        for entry in list(self.summary.entries):
            if str(entry.source.path) in pending:
                self.summary.replace(open_entry(entry.source))
        self._show()
        self._watch()  # a file replaced by a save is a new file to the watcher

    # ------------------------------------------------------------ export
    def export(self) -> None:
        if not self.summary.entries:
            QMessageBox.information(self, "导出汇总", "还没有报告：请先添加报告文件、文件夹或压缩包。")
            return
        folder = QFileDialog.getExistingDirectory(self, "导出汇总表和汇总分析报告到")
        if not folder:
            return
        county, ok = QInputDialog.getText(self, "填报单位", "填报单位（汇总单位）名称，印在汇总表上：")
        if not ok:
            return
        from export.summary import export_summary

        outcomes = export_summary(self.summary, folder, county=county.strip())
        lines = [f"已导出：{o.path.name}" if o.ok else f"失败：{o.path.name}：{o.error}" for o in outcomes]
        QMessageBox.information(self, "导出汇总", "\n".join(lines))

    def closeEvent(self, event):
        if self.job is not None:
            self.job.cancel()
        super().closeEvent(event)


def _counts(counts) -> str:
    return "　".join(f"{k} {v}" for k, v in counts.items() if v or k != "未评完")
