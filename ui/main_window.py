"""Main window: menus, the always-visible step list, the pages, score and 复核 panels."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from model import filelock, merge, storage, templates
from model.paths import samples_dir
from model.progress import step_states
from model.report import Report
from model.templates import SECTIONS

from . import autosave
from . import file_conflict
from .document import Document
from .prefs import flag, set_flag, settings
from .steps import page_class
from .widgets.dialogs import ok_cancel
from .widgets.problem_list import ProblemList
from .unit_name import UnitNameFollower
from .widgets.score_panel import ScorePanel

FILE_FILTER = f"绩效自评报告 (*{storage.SUFFIX});;所有文件 (*)"
STATUS = {"ok": ("✓", "#2e7d32", "已完成"), "todo": ("○", "#b26a00", "未完成"), "error": ("✗", "#c62828", "有错误")}
# the side panels: title, settings key of “shown”, where, shortcut to show/hide
PANELS = (("评分", "layout/score_panel", Qt.RightDockWidgetArea, "F7"),
          ("复核", "layout/review_panel", Qt.BottomDockWidgetArea, "F8"))
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")


def not_a_report_hint(path) -> str:
    """What to say when the clerk opens a spreadsheet as a report: it is read through 从决算表导入."""
    name = Path(path).name
    return (f"“{name}”是 Excel/WPS 工作簿，不是本软件的报告文件（*{storage.SUFFIX}）。\n"
            "要把决算表中的收支数据读进报告：先打开或新建报告，再到“收支情况”步骤点“从决算表导入…”选择这个工作簿。")


class Panel(QDockWidget):
    """A dock that says when the clerk closes it with its ×, so the choice is remembered."""
    closed = Signal()

    def closeEvent(self, event):
        super().closeEvent(event)
        self.closed.emit()


class NewReportDialog(QDialog):
    """新建: choose the template and the 评价年度."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        form = QFormLayout(self)
        self.template = QComboBox()
        for tpl in templates.available().values():
            kind = "部门整体" if tpl.kind == "dept" else "项目支出"
            self.template.addItem(f"{tpl.title}（{kind}）", tpl.id)
        last = settings().value("last_template", "hunan-dept")
        self.template.setCurrentIndex(max(self.template.findData(last), 0))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year - 1)
        self.department = QLineEdit()
        self.department.setPlaceholderText("部门（单位）全称")
        form.addRow("模板", self.template)
        form.addRow("评价年度", self.year)
        form.addRow("部门（单位）名称", self.department)
        form.addRow(ok_cancel(self))

    def report(self) -> Report:
        settings().setValue("last_template", self.template.currentData())
        report = Report(template_id=self.template.currentData(), fiscal_year=self.year.value())
        report.basic.department = self.department.text().strip()
        return report


class MainWindow(QMainWindow):
    def __init__(self, doc: Document):
        super().__init__()
        self.doc: Document | None = None
        self.autosave = autosave.Autosave(lambda: self.doc, parent=self)
        self.resize(1280, 760)
        self._menus()
        if not self.set_document(doc):  # 取消 at “报告已被打开”: an empty report of the same kind instead
            self.set_document(Document(Report(template_id=doc.report.template_id, fiscal_year=doc.report.fiscal_year)))

    # ------------------------------------------------------------ building
    def _menus(self):
        bar = self.menuBar()
        file = bar.addMenu("文件(&F)")
        self._action(file, "新建…", self.new_report, QKeySequence.New)
        self._action(file, "新建下一年度…", self.next_year)
        self._action(file, "新建汇总…", self.new_summary)
        self._action(file, "打开…", self.open_dialog, QKeySequence.Open)
        samples = file.addMenu("打开示例")
        for path in sorted(samples_dir().glob(f"*{storage.SUFFIX}")):
            self._action(samples, path.name.removesuffix(storage.SUFFIX), lambda _=False, p=path: self.open_sample(p))
        self.recent_menu = file.addMenu("最近打开")
        file.addSeparator()
        self._action(file, "保存", self.save, QKeySequence.Save)
        self._action(file, "另存为…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        file.addSeparator()
        self._action(file, "打印预览…", self.print_preview)
        self._action(file, "打印…", lambda: self.print_preview(print_now=True), QKeySequence.Print)
        file.addSeparator()
        self._action(file, "模板…", self.template_manager)
        file.addSeparator()
        self._action(file, "退出", self.close, QKeySequence("Ctrl+Q"))
        self.edit_menu = bar.addMenu("编辑(&E)")
        self.undo_action = self._action(self.edit_menu, "撤销", lambda: self.doc.undo_stack.undo(), QKeySequence.Undo)
        self.redo_action = self._action(self.edit_menu, "重做", lambda: self.doc.undo_stack.redo(), QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.view_menu = bar.addMenu("视图(&V)")
        self.panel_actions = {}
        for title, key, _area, shortcut in PANELS:
            action = self._action(self.view_menu, f"{title}面板", lambda on, k=key: self._show_panel(k, on),
                                  QKeySequence(shortcut))
            action.setCheckable(True)
            action.setChecked(flag(key, True))
            self.panel_actions[key] = action
        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "关于", self.about)
        self._recent_refresh()

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def set_document(self, doc: Document) -> bool:
        """Show ``doc``: one step per section of its template (and 导出); pages are built on first visit.
        False (and nothing changes) when the clerk chose not to open a report someone else has open."""
        old = self.doc
        if not self._claim_file(doc, old):
            doc.deleteLater()
            return False
        self.doc = doc
        for dock in self.findChildren(QDockWidget):
            self.removeDockWidget(dock)
            dock.deleteLater()
        self.step_ids = [s for s in SECTIONS if s in doc.template.sections or s == "export"]
        self._pages: dict[int, QWidget] = {}
        self.steps = QListWidget()
        self.steps.setObjectName("steps")
        self.steps.setFixedWidth(170)
        self.stack = QStackedWidget()
        for step_id in self.step_ids:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # pages reflow to the width
            self.stack.addWidget(scroll)
            self.steps.addItem(QListWidgetItem(SECTIONS[step_id]))
        self.steps.currentRowChanged.connect(self.go_step)
        prev, nxt = QPushButton("上一步"), QPushButton("下一步")
        prev.clicked.connect(lambda: self.steps.setCurrentRow(max(self.steps.currentRow() - 1, 0)))
        nxt.clicked.connect(lambda: self.steps.setCurrentRow(min(self.steps.currentRow() + 1, len(self.step_ids) - 1)))
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(prev)
        nav.addWidget(nxt)
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(self.stack, 1)
        rlay.addLayout(nav)
        central = QWidget()
        clay = QHBoxLayout(central)
        clay.setContentsMargins(4, 4, 4, 4)
        clay.addWidget(self.steps)
        clay.addWidget(right, 1)
        self.setCentralWidget(central)

        self.score_panel = ScorePanel(doc)
        self.problem_list = ProblemList(doc)
        self.problem_list.go_to.connect(self.go_to)
        self.docks = {key: self._dock(title, widget, area, key)
                      for (title, key, area, _s), widget in zip(PANELS, (self.score_panel, self.problem_list))}
        # 复核 gets a fifth of the height at 768 px, not the quarter a dock takes by default
        self.resizeDocks([self.docks["layout/review_panel"]], [max(120, self.height() // 5)], Qt.Vertical)
        self.unit_name = UnitNameFollower(doc)

        doc.scored.connect(self._statuses)
        doc.file_changed.connect(self._title)
        self.undo_action.setEnabled(True)
        self.steps.setCurrentRow(0)
        self._statuses()
        self._title()
        if old is not None:
            old.release_lock()  # (a reload of the same file has taken it over)
            old.deleteLater()
        if doc.lock is not None and doc.lock.error:
            self.statusBar().showMessage(f"未能在该文件夹中建立锁定文件（{doc.lock.error}），"
                                         "别人同时打开此报告时不会得到提示；保存前仍会检查文件是否被别人改过。", 15000)
        return True

    def page(self, row: int) -> QWidget:
        """The page of step ``row``, built now if this is its first visit."""
        if row not in self._pages:
            page = page_class(self.step_ids[row])(self.doc)
            if hasattr(page, "selected"):
                page.selected.connect(self.score_panel.select)
            self.stack.widget(row).setWidget(page)
            self._pages[row] = page
        return self._pages[row]

    @property
    def pages(self) -> list[QWidget]:
        """Every step's page, building those not visited yet (screenshots, tests, glyph checks)."""
        return [self.page(row) for row in range(len(self.step_ids))]

    def _dock(self, title, widget, area, key) -> QDockWidget:
        """A side panel the clerk can close (its × or 视图 menu, F7/F8) and get back; remembered."""
        dock = Panel(title, self)
        dock.setObjectName(f"dock_{title}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable | QDockWidget.DockWidgetClosable)
        self.addDockWidget(area, dock)
        if area == Qt.RightDockWidgetArea:
            widget.setMinimumWidth(260)
        else:
            widget.setMinimumHeight(90)
        dock.setVisible(flag(key, True))
        dock.closed.connect(lambda k=key: self._show_panel(k, False))  # its × and the menu item are one switch
        return dock

    def _show_panel(self, key: str, shown: bool):
        set_flag(key, shown)
        self.docks[key].setVisible(shown)
        action = self.panel_actions[key]
        if action.isChecked() != shown:
            action.setChecked(shown)

    def template_manager(self):
        """模板管理 (ui.templates): window-modal, so the open report's score under an edited template shows."""
        from .templates.manager import TemplateManager

        self.templates_dialog = TemplateManager(self.doc.report, self)
        self.templates_dialog.open()

    def print_preview(self, print_now: bool = False):
        """打印预览 / 打印: the PDF that 导出 makes, page by page (ui.print_preview)."""
        from .print_preview import preview

        return preview(self.doc, self, print_now)

    # ------------------------------------------------------------ state shown
    def _title(self):
        self.setWindowTitle(f"{self.doc.title} — 绩效自评填报助手")

    def _statuses(self):
        """Mark each step complete / incomplete / has errors (model.progress)."""
        doc = self.doc
        states = step_states(doc.report, doc.template, doc.result, doc.problems, self.step_ids)
        for row, step_id in enumerate(self.step_ids):
            state = states[step_id]
            mark, colour, text = STATUS[state]
            item = self.steps.item(row)
            item.setText(f"{mark} {SECTIONS[step_id]}")
            item.setForeground(QBrush(QColor(colour)))
            item.setToolTip(text)
            item.setData(Qt.UserRole, state)

    # ------------------------------------------------------------ navigation
    def go_step(self, row: int):
        if 0 <= row < len(self.step_ids):
            new = row not in self._pages
            self.page(row)
            self.stack.setCurrentIndex(row)
            if new:  # lay the new page out now, or its first frame is squeezed into the viewport
                self._pages[row].layout().activate()
                QApplication.sendEvent(self.stack.widget(row), QEvent(QEvent.LayoutRequest))
            if self.steps.currentRow() != row:
                self.steps.setCurrentRow(row)
            self.autosave.save_now()  # on every step change

    def go_to(self, step: str, location: str):
        """Open the step of a problem and focus its field."""
        if step in self.step_ids:
            row = self.step_ids.index(step)
            self.go_step(row)
            self.page(row).focus_location(location)

    # ------------------------------------------------------------ files
    def _claim_file(self, doc: Document, old: Document | None) -> bool:
        """Lock ``doc``'s file; if another window or PC has it open, ask: 只读打开 / 仍然打开 / 取消."""
        if doc.path is None or doc.read_only or doc.lock_held:
            return True
        if old is not None and doc.is_own_file(old.path):  # reloading the same file keeps the clerk's choice
            if doc.take_lock_from(old):
                return True
            if old.read_only or old.want_lock:
                doc.read_only = old.read_only
                doc.claim_lock()
                return True
        other = doc.claim_lock()
        if other is None:
            return True
        choice = file_conflict.ask_locked(self, doc.path, other)
        if choice == file_conflict.READ_ONLY:
            doc.read_only, doc.want_lock = True, False
        return choice in (file_conflict.READ_ONLY, file_conflict.OPEN)

    def _confirm_discard(self) -> bool:
        if not self.doc.modified:
            return True
        answer = QMessageBox.question(self, "尚未保存", f"“{self.doc.title.rstrip(' *')}”有未保存的修改，要保存吗？",
                                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new_report(self):
        if not self._confirm_discard():
            return
        dialog = NewReportDialog(self)
        if dialog.exec() == QDialog.Accepted:
            self.autosave.discard()
            self.set_document(Document(dialog.report()))

    def new_summary(self):
        """文件 → 新建汇总: a window of its own for many units' reports (ui.summary)."""
        from .summary.window import SummaryWindow

        window = SummaryWindow()
        self.summary_windows = [*getattr(self, "summary_windows", []), window]  # kept alive while shown
        window.show()
        return window

    def next_year(self):
        """Roll the open report forward: 上年数 from this year's actuals, marked as carried."""
        from model.importers.previous_year import roll_forward

        answer = QMessageBox.question(
            self, "新建下一年度",
            f"根据本报告新建 {self.doc.report.fiscal_year + 1} 年度报告：上年数取本年决算数，单位、人员、项目和指标沿用。\n\n"
            "是否保留各项目的年度指标值（目标）？选“否”则清空，待重新填写。",
            QMessageBox.Yes | QMessageBox.No | QMessageBox.Cancel, QMessageBox.Yes)
        if answer == QMessageBox.Cancel or not self._confirm_discard():
            return
        self.autosave.discard()
        self.set_document(Document(roll_forward(self.doc.report, keep_targets=answer == QMessageBox.Yes)))

    def open_dialog(self):
        if not self._confirm_discard():
            return
        folder = settings().value("last_folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, "打开报告", folder, FILE_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path) -> bool:
        if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
            QMessageBox.warning(self, "这是工作簿，不是报告", not_a_report_hint(path))
            return False
        try:
            doc = Document.open(path)  # remembers the file's fingerprint: a later save checks nobody else wrote it
        except (storage.StorageError, templates.TemplateError) as e:
            QMessageBox.warning(self, "无法打开", str(e))
            return False
        if not self.set_document(doc):
            return False
        self.autosave.discard()
        self._remember(path)
        return True

    def reload(self) -> bool:
        """Show the file as it is on disk now (our unsaved edits are dropped; the caller has asked)."""
        path = self.doc.path
        try:
            doc = Document.open(path)
        except (storage.StorageError, templates.TemplateError) as e:
            QMessageBox.warning(self, "无法重新载入", f"{e}\n本窗口的内容未改动，可用“另存为”保存。")
            return False
        if not self.set_document(doc):
            return False
        self.autosave.discard()
        self.statusBar().showMessage(f"已重新载入 {path}", 5000)
        return True

    def open_sample(self, path: Path):
        """A sample opens as an untitled copy, so saving never overwrites the bundled file."""
        if not self._confirm_discard():
            return
        doc = Document(storage.load(path))
        self.autosave.discard()
        self.set_document(doc)

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        if self.doc.read_only:
            return file_conflict.ask_save_as_read_only(self, self.doc) and self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        folder = settings().value("last_folder", str(Path.home()))
        stem = f"{self.doc.report.basic.department or '绩效自评报告'}_{self.doc.report.fiscal_year}"
        path, _ = QFileDialog.getSaveFileName(self, "另存为", str(Path(folder) / f"{stem}{storage.SUFFIX}"), FILE_FILTER)
        if not path:
            return False
        if not path.endswith(storage.SUFFIX):
            path += storage.SUFFIX
        if self.doc.is_own_file(path):
            if self.doc.read_only:
                QMessageBox.warning(self, "只读打开的报告", "此报告是以只读方式打开的，不能保存到它本身。请另取一个文件名。")
                return False
        else:
            other = filelock.FileLock(path).owner()  # another window has that file open
            if other is not None and not file_conflict.ask_overwrite_locked(self, Path(path), other):
                return False
        return self._save_to(Path(path))

    def _save_to(self, path: Path, overwrite: bool = False) -> bool:
        try:
            self.doc.save(path, overwrite=overwrite)
        except storage.FileChangedError as e:  # someone else saved the file since we read it
            return self._file_changed(path, e)
        except storage.StorageError as e:
            QMessageBox.warning(self, "保存失败", str(e))
            return False
        self.autosave.discard()
        self._remember(path)
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

    def _file_changed(self, path: Path, error: storage.FileChangedError) -> bool:
        """文件已被修改: 重新载入 / 比较差异 / 另存为 / 仍然覆盖 / 取消 — never a silent overwrite."""
        try:
            (theirs, theirs_fp, theirs_raw), unreadable = storage.load_with_fingerprint(path), ""
        except storage.StorageError as e:
            (theirs, theirs_fp, theirs_raw), unreadable = (None, None, None), str(e)
        choice = file_conflict.ask_file_changed(self, self.doc, theirs, unreadable, error.current)
        if choice == file_conflict.RELOAD:
            if file_conflict.confirm_reload(self, self.doc):
                self.reload()
            return False
        if choice == file_conflict.MERGE and theirs is not None and self.doc.base is not None:
            values, clashes = merge.plan(self.doc.base, self.doc.report, theirs)
            if not clashes:  # their fields into ours (one undo step); the disk's version becomes the one we read
                if values:
                    self.doc.set_many(values, [], "", text="合并别人保存的修改")
                self.doc.fingerprint, self.doc.base = theirs_fp, theirs_raw
                return self._save_to(path)  # checked once more: a third save meanwhile asks again
        if choice == file_conflict.SAVE_AS:
            return self.save_as()
        if choice == file_conflict.OVERWRITE:
            return self._save_to(path, overwrite=True)
        self.statusBar().showMessage("未保存：文件已被别人修改。", 8000)
        return False

    def _remember(self, path):
        s = settings()
        recent = [str(path)] + [p for p in (s.value("recent") or []) if p != str(path)]
        s.setValue("recent", recent[:8])
        s.setValue("last_folder", str(Path(path).parent))
        self._recent_refresh()

    def _recent_refresh(self):
        self.recent_menu.clear()
        recent = settings().value("recent") or []
        for path in recent if isinstance(recent, list) else [recent]:
            self._action(self.recent_menu, path, lambda _=False, p=path: self._confirm_discard() and self.open_path(p))
        self.recent_menu.setEnabled(bool(recent))

    def about(self):
        from model.version import __version__

        QMessageBox.about(self, "关于", f"绩效自评填报助手 {__version__}\n部门整体支出与项目支出绩效自评填报、计分、复核与导出。")

    def closeEvent(self, event):
        if self._confirm_discard():
            self.autosave.discard()
            self.doc.release_lock()
            event.accept()
        else:
            event.ignore()
