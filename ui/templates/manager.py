"""文件 → 模板…: every template (bundled and the clerk's own) with province, year and source; the chosen
one's indicator tree; 复制并编辑 (ui.templates.editor), 导入 (YAML or a bureau's Excel table), 导出 (YAML,
or the Excel table to hand to townships).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from model import templates
from model.paths import templates_dir
from model.report import Report
from model.template_io import excel, yaml_io
from model.templates import TemplateError

from . import tree as tree_mod
from .editor import TemplateEditor

LIST_COLUMNS = ("模板名称", "编号", "省份", "年度", "来源", "依据文件")
EXCEL_FILTER, YAML_FILTER = "Excel 指标体系表 (*.xlsx)", "模板文件 (*.yaml)"


class TemplateManager(QDialog):
    def __init__(self, report: Report | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("模板管理")
        self.report = report
        self.editor: TemplateEditor | None = None
        self.resize(1240, 690)
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Vertical)
        self.list = QTableWidget(0, len(LIST_COLUMNS))
        self.list.setHorizontalHeaderLabels(LIST_COLUMNS)
        self.list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.list.verticalHeader().hide()
        header = self.list.horizontalHeader()
        for col, width in enumerate((300, 170, 80, 50, 80)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(len(LIST_COLUMNS) - 1, QHeaderView.Stretch)
        self.list.itemSelectionChanged.connect(self._show_selected)
        split.addWidget(self.list)
        self.tree = tree_mod.make_tree()
        split.addWidget(self.tree)
        split.setSizes([170, 470])
        layout.addWidget(split, 1)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        buttons = QHBoxLayout()
        for text, slot in (("复制并编辑…", self.copy_selected), ("编辑…", self.edit_selected),
                           ("导入…", self.import_dialog), ("导出…", self.export_dialog)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            setattr(self, f"{slot.__name__}_button", button)
        buttons.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()

    # ------------------------------------------------------------ list
    def refresh(self, select: str = ""):
        """List every template; keep (or move to) ``select`` (a template id), else the report's own."""
        self.templates = sorted(templates.available().values(), key=lambda t: (self._own(t), t.kind, t.id))
        self.list.setRowCount(len(self.templates))
        for r, tpl in enumerate(self.templates):
            values = (tpl.title, tpl.id, tpl.province, "" if tpl.year is None else str(tpl.year),
                      "我的模板" if self._own(tpl) else "随软件提供", tpl.notice)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.list.setItem(r, c, item)
        wanted = select or (self.report.template_id if self.report else "")
        row = next((r for r, t in enumerate(self.templates) if t.id == wanted), 0)
        self.list.selectRow(row)
        warnings = templates.load_warnings()
        self.notes.setText("；".join(warnings))

    @staticmethod
    def _own(tpl) -> bool:
        return Path(tpl.path).resolve().parent != templates_dir().resolve()

    def selected(self):
        rows = self.list.selectionModel().selectedRows()
        return self.templates[rows[0].row()] if rows else None

    def _show_selected(self):
        tpl = self.selected()
        if tpl is None:
            return
        self.edit_selected_button.setEnabled(self._own(tpl))
        if tpl.kind != "dept":
            self.tree.clear()
            self.notes.setText("项目支出模板：指标由每个项目自己填写，这里没有指标体系。")
            return
        tree_mod.fill(self.tree, yaml_io.raw_data(tpl))
        self.notes.setText(tpl.notes)

    # ------------------------------------------------------------ actions
    def copy_selected(self):
        tpl = self.selected()
        if tpl is None:
            return
        raw = yaml_io.raw_data(tpl)
        raw["id"] = self._free_id(f"{tpl.id}-副本")
        raw["title"] = f"{tpl.title}（副本）"
        self._open_editor(raw)

    def edit_selected(self):
        tpl = self.selected()
        if tpl is not None and self._own(tpl):
            self._open_editor(yaml_io.raw_data(tpl), replacing=tpl.path)

    def _free_id(self, tid: str) -> str:
        used = {t.id for t in self.templates}
        n, candidate = 2, tid
        while candidate in used:
            candidate, n = f"{tid}{n}", n + 1
        return candidate

    def _open_editor(self, raw: dict, replacing: str = "", notes=()):
        self.editor = TemplateEditor(raw, self.report, replacing, notes, self)
        self.editor.saved.connect(lambda path: self.refresh(self.editor.raw.get("id", "")))
        self.editor.open()

    def import_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self, "导入模板", "", "模板或指标体系表 (*.yaml *.yml *.xlsx *.xls)")
        if path:
            self.import_file(path)

    def import_file(self, path: str):
        """A YAML template (checked as on load) or a bureau's Excel table (on the selected template's
        steps and forms); either opens in the editor to be checked and saved under a new id."""
        base = self.selected() or templates.get(self.report.template_id)
        try:
            if path.lower().endswith((".yaml", ".yml")):
                raw, notes = yaml_io.load_file(path), []
            else:
                result = excel.import_table(path, yaml_io.raw_data(base), tid=self._free_id(f"{base.id}-导入"))
                raw, notes = result.raw, result.notes
        except TemplateError as e:
            QMessageBox.warning(self, "无法导入", str(e))
            return
        raw["id"] = self._free_id(str(raw.get("id", "")))
        self._open_editor(raw, notes=notes)

    def export_dialog(self):
        tpl = self.selected()
        if tpl is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "导出模板", f"{tpl.title}.xlsx",
                                                   f"{EXCEL_FILTER};;{YAML_FILTER}")
        if path:
            self.export_file(tpl, path)

    def export_file(self, tpl, path: str):
        try:
            if path.lower().endswith((".yaml", ".yml")):
                yaml_io.write_atomic(Path(path), yaml_io.dump(yaml_io.raw_data(tpl)))
            elif tpl.kind != "dept":
                raise TemplateError("项目支出模板没有指标体系表，请导出为模板文件（.yaml）。")
            else:
                excel.export_table(yaml_io.raw_data(tpl), path)
        except (TemplateError, OSError) as e:
            message = str(e) if isinstance(e, TemplateError) else \
                f"无法写入“{path}”：{e.strerror or e}。文件可能正被 Excel/WPS 打开，请关闭后重试或另选位置。"
            QMessageBox.warning(self, "无法导出", message)
            return
        QMessageBox.information(self, "已导出", f"已导出到“{path}”。")
