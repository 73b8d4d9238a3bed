"""The 决算 import preview dialog: each change shows where it was read (来源), and applying it records how
exact each imported figure is (Report.source_precision), undone with the import."""
from decimal import Decimal

from PySide6.QtWidgets import QTableWidget, QTextEdit

from model.report import Report
from ui.document import Document
from ui.steps.import_dialog import import_final_accounts

DATA = "tests/importers/data"


def _import(qtbot, workbook):
    doc = Document(Report(template_id="mof-project-2020", fiscal_year=2022))
    shown = []
    assert import_final_accounts(doc, f"{DATA}/{workbook}", confirm=lambda d: shown.append(d) or True)
    qtbot.addWidget(shown[0])
    return doc, shown[0]


def test_the_preview_shows_the_source_of_each_change(qtbot):
    _, dialog = _import(qtbot, "tables.xlsx")
    table = dialog.findChild(QTableWidget, "import_changes")
    assert table.horizontalHeaderItem(3).text() == "来源"
    rows = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    assert rows["本级：其他收入"].startswith("收入决算表（") and rows["本级：其他收入"].endswith("，元")
    functional = next(v for k, v in rows.items() if k.startswith("支出功能分类科目"))
    assert functional.startswith("支出决算表（") and "行" in functional


def test_a_wan_workbook_records_its_precision_and_undo_restores_it(qtbot):
    doc, dialog = _import(qtbot, "wan.xlsx")
    precision = doc.report.source_precision
    assert precision["finance.units[0].general_budget"] == Decimal(50)
    assert precision["finance.functional_rows[0].total"] == Decimal(50)
    notes = dialog.findChild(QTextEdit)
    assert "取整尾差" in notes.toPlainText() and "[警告]" not in notes.toPlainText()
    doc.undo_stack.undo()
    assert doc.report.source_precision == {}
