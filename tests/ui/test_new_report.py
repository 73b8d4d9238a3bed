"""Issue 16, item 5: a new report starts right — typing in 收支情况 is stored in a unit named after the
department (and renamed with it), 汇总 appears with a second unit; 导出 starts in the report's folder
and creates a missing one; a workbook opened as a report points to 从决算表导入."""
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from model.report import UnitFinance
from ui.document import Document
from ui.main_window import MainWindow, NewReportDialog
from ui.steps.export import ExportPage, default_folder
from ui.steps.finance import FinancePage

from tests.ui.conftest import press_enter, type_text

TOWN = "某县某某镇人民政府"


def new_window(qtbot, department=TOWN):
    dialog = NewReportDialog()
    qtbot.addWidget(dialog)
    dialog.template.setCurrentIndex(dialog.template.findData("hunan-dept"))
    type_text(dialog.department, department)
    window = MainWindow(Document(dialog.report()))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def go(window, cls):
    row = next(i for i, p in enumerate(window.pages) if isinstance(p, cls))
    window.steps.setCurrentRow(row)
    return window.pages[row]


def type_cell(view, row, col, text):
    view.setCurrentIndex(view.model().index(row, col))
    type_text(view, text, replace=False)
    press_enter(view)


def test_typing_in_a_new_reports_finance_table_is_stored_in_a_unit_named_after_the_department(qtbot):
    window = new_window(qtbot)
    doc = window.doc
    page = go(window, FinancePage)
    model, view = page.units_model, page.units_view
    assert doc.report.finance.units == []
    assert model.columnCount() == 1 and model.headerData(0, Qt.Horizontal) == TOWN  # no read-only 汇总 alone
    assert model.flags(model.index(1, 0)) & Qt.ItemIsEditable
    type_cell(view, 1, 0, "1482.43")  # 一般公共预算财政拨款, in 万元
    assert [u.name for u in doc.report.finance.units] == [TOWN]
    assert doc.report.finance.units[0].general_budget == Decimal("14824300")
    assert model.columnCount() == 1 and model.data(model.index(1, 0)) == "1,482.43"
    type_cell(view, 2, 0, "10")  # the next amount goes to the same unit
    assert len(doc.report.finance.units) == 1 and doc.report.finance.units[0].fund_budget == Decimal("100000")
    doc.undo_stack.undo()
    doc.undo_stack.undo()  # the first amount and the unit it made are one step
    assert doc.report.finance.units == [] and model.columnCount() == 1


def test_the_unit_follows_the_department_until_renamed_by_hand(qtbot):
    window = new_window(qtbot, "某某镇")
    doc = window.doc
    page = go(window, FinancePage)
    type_cell(page.units_view, 1, 0, "100")
    field = window.findChild(QLineEdit, "basic.department")
    type_text(field, TOWN)  # one keystroke at a time: the unit follows each
    assert doc.report.finance.units[0].name == TOWN
    assert page.units_model.headerData(0, Qt.Horizontal) == TOWN
    doc.undo_stack.undo()  # the typed name (one merged step) goes, and the unit's name with it
    assert doc.report.basic.department == "某某镇" and doc.report.finance.units[0].name == "某某镇"
    doc.undo_stack.redo()
    assert doc.report.finance.units[0].name == TOWN
    doc.set("finance.units[0].name", "镇机关")  # renamed by hand: no longer follows
    type_text(field, "某县某镇")
    assert doc.report.finance.units[0].name == "镇机关"


def test_the_summary_column_appears_with_a_second_unit(qtbot):
    window = new_window(qtbot)
    doc = window.doc
    model = go(window, FinancePage).units_model
    doc.insert("finance.units", 0, UnitFinance(name="镇机关", general_budget=Decimal("100")))
    assert model.columnCount() == 1 and not model.is_summary(0)
    doc.insert("finance.units", 1, UnitFinance(name="镇财政所", general_budget=Decimal("50")))
    assert model.columnCount() == 3 and model.headerData(2, Qt.Horizontal) == "汇总（自动）"
    assert not (model.flags(model.index(1, 2)) & Qt.ItemIsEditable)
    assert model.data(model.index(1, 2)) == "0.02"  # 150 元 in 万元


def test_export_goes_to_the_reports_folder_and_creates_a_missing_one(qtbot, report_file, tmp_path):
    window = MainWindow(Document.open(report_file))
    qtbot.addWidget(window)
    page = go(window, ExportPage)
    assert Path(page.folder.text()) == report_file.parent == default_folder(window.doc)
    target = tmp_path / "新建 文件夹" / "2022 年"
    page.folder.setText(str(target))
    for kind, box in page.boxes.items():
        box.setChecked(kind == "xlsx")
    job = page.run()
    assert job is not None and target.is_dir()  # made at once, as the export command does
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass
    assert [o.ok for o in page.outcomes] == [True] and page.outcomes[0].path.parent == target
    page.folder.setText(str(report_file))  # a file, not a folder: said once, with what to do
    assert page.run() is None
    assert page.results.count() == 1 and "不是文件夹" in page.results.item(0).text()


def test_an_untitled_report_exports_to_documents_or_home(qtbot):
    window = new_window(qtbot)
    folder = default_folder(window.doc)
    assert folder.is_dir() and (folder == Path.home() or folder.parent == Path.home() or "Documents" in folder.parts
                                or "文档" in folder.parts)


def test_opening_a_workbook_as_a_report_points_to_the_import(qtbot, answers):
    window = new_window(qtbot)
    assert not window.open_path("tests/importers/data/tables.xlsx")
    title, text = answers.asked[-1]
    assert "工作簿" in title and "收支情况" in text and "从决算表导入" in text
    assert window.doc.report.basic.department == TOWN  # the open report is untouched
    QApplication.processEvents()
