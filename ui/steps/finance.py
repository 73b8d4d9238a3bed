"""收支情况: per-unit income and expenditure with the computed 汇总, budgets,
三公经费, other finance facts, prior-year figures, functional classification,
and the derived rates with their formulas."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from model.money import format_amount, format_percent
from model.field_labels import PRIOR as PRIOR_LABELS, PRIOR_AMOUNTS
from model.metrics import METRICS
from model.report import FunctionalRow, UnitFinance

from ..models.table import Column, ObjectTableModel, UnitsModel
from ..worker import Job, ProgressPanel, restore, snapshot
from ..widgets.fields import AmountField, NumberField, computed
from ..widgets.table import DataTable
from .base import StepPage

THREE_PUBLIC = [("overseas_travel", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费")]


class FinancePage(StepPage):
    step_id = "finance"

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        d = doc
        self.units_model = UnitsModel(d, self)
        self.units_view = DataTable(self.units_model, d)
        self.units_view.setObjectName("finance.units")
        self.units_view.setMinimumHeight(420)
        # sized once, not ResizeToContents: that re-measures every cell on every keystroke
        self.units_view.horizontalHeader().setDefaultSectionSize(160)
        self.units_view.verticalHeader().setDefaultSectionSize(24)
        box = QGroupBox("各单位收支（局机关及各二级机构；汇总列自动计算）")
        lay = QVBoxLayout(box)
        buttons = QHBoxLayout()
        for text, slot in (("从决算表导入…", self.import_workbook), ("添加单位", self.add_unit),
                           ("重命名单位", self.rename_unit), ("删除单位", self.remove_unit)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.import_progress = ProgressPanel()  # reading a 决算 workbook runs in a worker (ui.worker)
        self.import_progress.setObjectName("import_progress")
        self.import_job = None
        lay.addWidget(self.import_progress)
        lay.addWidget(self.units_view)
        self.layout_.addWidget(box)

        self.annual = computed()
        self.group("预算", [
            ("年初预算数", AmountField(d, "finance.initial_budget")),
            ("预算调整数（追加 − 追减）", AmountField(d, "finance.budget_adjustment")),
            ("全年预算数（资料直接给出时填写）", AmountField(d, "finance.annual_budget_entered")),
            ("全年预算数（计算用）", self.annual),
            ("公用经费预算数", AmountField(d, "finance.operating_budget")),
        ])
        self._three_public_box()
        self.group("其他财务数据", [
            ("政府采购预算数", AmountField(d, "finance.procurement_budget")),
            ("政府采购：货物", AmountField(d, "finance.procurement_goods")),
            ("政府采购：工程", AmountField(d, "finance.procurement_works")),
            ("政府采购：服务", AmountField(d, "finance.procurement_services")),
            ("机关运行经费", AmountField(d, "finance.agency_operating")),
            ("在职人员经费", AmountField(d, "finance.in_service_personnel")),
            ("离退休人员经费", AmountField(d, "finance.retiree_personnel")),
            ("厉行节约支出", AmountField(d, "finance.frugality")),
            ("重点项目支出", AmountField(d, "finance.key_project_expenditure")),
            ("财政拨款支出", AmountField(d, "finance.fiscal_expenditure")),
            ("一般公共预算财政拨款支出", AmountField(d, "finance.general_expenditure")),
            ("公务用车保有量（辆）", NumberField(d, "finance.vehicles", integer=True)),
        ])
        self.group("上年数（上年决算）", [
            (PRIOR_LABELS[name], AmountField(d, f"finance.prior.{name}")) for name in PRIOR_AMOUNTS
        ] + [("上年实有人数", NumberField(d, "finance.prior.actual_staff", integer=True))])
        self._functional_box()
        self._metrics_box()
        self.layout_.addStretch(1)
        d.changed.connect(lambda _p: self.refresh())
        self.refresh()

    # ------------------------------------------------------------ sections
    def _three_public_box(self):
        box = QGroupBox("“三公”经费（决算数为各单位之和，自动计算）")
        grid = QGridLayout(box)
        for col, head in enumerate(("", "本年预算数", "本年决算数", "上年决算数", "上年预算数")):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, col)
        self.tp_final = {}
        for row, (attr, label) in enumerate(THREE_PUBLIC, 1):
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(AmountField(self.doc, f"finance.three_public_budget.{attr}"), row, 1)
            self.tp_final[attr] = computed()
            grid.addWidget(self.tp_final[attr], row, 2)
            grid.addWidget(AmountField(self.doc, f"finance.prior.three_public.{attr}"), row, 3)
            grid.addWidget(AmountField(self.doc, f"finance.prior.three_public_budget.{attr}"), row, 4)
        self.layout_.addWidget(box)

    def _functional_box(self):
        columns = [Column("code", "科目编码"), Column("name", "科目名称"),
                   Column("total", "合计", "amount"), Column("basic", "基本支出", "amount"),
                   Column("project", "项目支出", "amount"),
                   Column("level", "级次", "computed", computed=lambda d, r: d.report.finance.functional_rows[r].level)]
        self.functional_model = ObjectTableModel(self.doc, "finance.functional_rows", columns, FunctionalRow, self)
        view = DataTable(self.functional_model, self.doc)
        view.setObjectName("finance.functional_rows")
        view.setMinimumHeight(220)
        box = QGroupBox("支出功能分类（类 3 位 / 款 5 位 / 项 7 位编码；可从 Excel 粘贴）")
        lay = QVBoxLayout(box)
        lay.addLayout(view.row_buttons("科目"))
        lay.addWidget(view)
        self.layout_.addWidget(box)

    def _metrics_box(self):
        box = QGroupBox("由以上数据自动计算的比率")
        lay = QVBoxLayout(box)
        self.metrics_table = QTableWidget(len(METRICS), 3)
        self.metrics_table.setHorizontalHeaderLabels(["比率", "计算过程", "结果"])
        self.metrics_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.metrics_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.metrics_table.setMinimumHeight(300)
        lay.addWidget(self.metrics_table)
        self.layout_.addWidget(box)

    # ------------------------------------------------------------ behaviour
    def refresh(self):
        unit = self.doc.unit
        finance = self.doc.report.finance
        self.annual.setText(format_amount(finance.annual_budget, unit))
        summary = finance.summary
        for attr, field in self.tp_final.items():
            field.setText(format_amount(getattr(summary.three_public, attr), unit))
        values = self.doc.result.metrics
        for row, (mid, metric) in enumerate(METRICS.items()):
            mv = values[mid]
            for col, text in enumerate((metric.name, mv.detail, format_percent(mv.value))):
                item = self.metrics_table.item(row, col)
                if item is None:
                    item = QTableWidgetItem(text)
                    item.setToolTip(metric.formula)
                    self.metrics_table.setItem(row, col, item)
                elif item.text() != text:
                    item.setText(text)

    def import_workbook(self, path: str = ""):
        """部门决算 workbook (公开01–10表, .xlsx/.xls) → preview → apply as one undo step.

        The workbook is read in a worker thread (a big one takes seconds) against a copy of the
        report; the window stays usable, 取消 drops the reading.  Returns the Job (None when no file)."""
        from PySide6.QtWidgets import QFileDialog

        from model.importers import final_accounts as fa

        if self.import_job is not None:
            return self.import_job
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "选择部门决算表", "", "Excel 工作簿 (*.xlsx *.xls);;所有文件 (*)")
        if not path:
            return None
        frozen = snapshot(self.doc.report)

        def work(progress, cancel):
            return fa.preview(path, restore(frozen))

        self.import_job = job = Job(work, "import-final")
        job.done.connect(lambda result: self._imported(path, result))
        job.failed.connect(self._import_failed)
        job.cancelled.connect(self._import_ended)
        self.import_progress.attach(job, f"正在读取决算表“{Path(path).name}”…", busy=True)
        self.destroyed.connect(job.cancel)
        return job.start()

    def _import_ended(self):
        self.import_job = None

    def _imported(self, path: str, result):
        from model.importers.final_accounts import FinalAccountsError

        from .import_dialog import apply_preview

        cancelled = self.import_job is not None and self.import_job.cancel_event.is_set()
        self._import_ended()
        if cancelled:
            return
        try:
            if not apply_preview(self.doc, result, self, path=path):
                QMessageBox.information(self, "无需导入", "报告中的数据与决算表一致，或已取消导入。")
        except FinalAccountsError as e:
            QMessageBox.warning(self, "无法导入", str(e))

    def _import_failed(self, error):
        from model.importers.final_accounts import FinalAccountsError

        cancelled = self.import_job is not None and self.import_job.cancel_event.is_set()
        self._import_ended()
        if cancelled:
            return
        if isinstance(error, FinalAccountsError):
            QMessageBox.warning(self, "无法导入", str(error))
        else:
            QMessageBox.warning(self, "无法导入", f"读取决算表时出错：{error!r}。报告未作任何修改；"
                                                "请把此消息反馈给软件维护人员。")

    def add_unit(self):
        name, ok = QInputDialog.getText(self, "添加单位", "单位名称（如：局机关、某二级机构）：")
        if ok and name.strip():
            units = self.doc.report.finance.units
            self.doc.insert("finance.units", len(units), UnitFinance(name=name.strip()), "添加单位")

    def _current_unit(self) -> int | None:
        col = self.units_view.currentIndex().column()
        units = self.doc.report.finance.units
        if 0 <= col < len(units):
            return col
        QMessageBox.information(self, "请先选择单位", "请先在表格中点选要操作的单位所在的列。")
        return None

    def rename_unit(self):
        col = self._current_unit()
        if col is None:
            return
        unit = self.doc.report.finance.units[col]
        name, ok = QInputDialog.getText(self, "重命名单位", "单位名称：", text=unit.name)
        if ok and name.strip():
            self.doc.set(f"finance.units[{col}].name", name.strip(), "重命名单位")

    def remove_unit(self):
        col = self._current_unit()
        if col is None:
            return
        name = self.doc.report.finance.units[col].name
        answer = QMessageBox.question(self, "删除单位", f"确定删除“{name}”及其全部收支数据吗？（可用 Ctrl+Z 撤销）")
        if answer == QMessageBox.Yes:
            self.doc.remove("finance.units", col, "删除单位")

    def focus_location(self, location: str) -> bool:
        if location.startswith("finance.units"):
            self.units_view.setFocus()
            return True
        if location.startswith("finance.functional_rows"):
            return super().focus_location("finance.functional_rows")
        return super().focus_location(location)
