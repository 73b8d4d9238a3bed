"""The clerk's hands in tables (issue 16, items 1–3): refused input stays visible, comparators as typed,
paste like Excel/WPS, and the 元-in-万元 question — typed and pasted at 1366×768 as a clerk would."""
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from model import storage
from tests.ui.conftest import press_enter, type_text
from tests.ui.test_wizard import step
from ui.document import Document
from ui.main_window import MainWindow
from ui.models.table import REFUSED_BG
from ui.steps.finance import FinancePage
from ui.steps.projects import ProjectsPage
from ui.widgets import fields, table

D = Decimal


def window_of(qtbot, name: str) -> MainWindow:
    window = MainWindow(Document(storage.load(f"resources/samples/{name}.jxzp.json")))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def functional(window):
    page = step(window, FinancePage)
    view, model = page.findChild(table.DataTable, "finance.functional_rows"), page.functional_model
    return view, model


def col(model, attr):
    return next(i for i, c in enumerate(model.columns) if c.attr == attr)


def test_a_refused_cell_stays_red_with_its_reason_until_corrected_or_cancelled(qtbot):
    window = window_of(qtbot, "xingxian_2022")
    view, model = functional(window)
    before = window.doc.report.finance.functional_rows[0].total
    index = model.index(0, col(model, "total"))
    view.setCurrentIndex(index)
    type_text(view, "四千万", replace=False)
    press_enter(view)
    assert window.doc.report.finance.functional_rows[0].total == before  # nothing written
    assert index.data() == "四千万" and index.data(Qt.BackgroundRole) == REFUSED_BG
    assert "不是金额" in index.data(Qt.ToolTipRole)
    assert "不是金额" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key_Escape)  # cancelled: the report's value is shown again
    assert index.data() != "四千万" and index.data(Qt.BackgroundRole) != REFUSED_BG
    view.setCurrentIndex(index)
    type_text(view, "abc", replace=False)
    press_enter(view)
    view.setCurrentIndex(index)
    type_text(view, "12,345.67", replace=False)  # corrected
    press_enter(view)
    assert window.doc.report.finance.functional_rows[0].total == D("12345.67")
    assert index.data(Qt.BackgroundRole) != REFUSED_BG


@pytest.mark.parametrize("typed, stored", [(">=", "≥"), ("<=", "≤"), ("＞＝", "≥"), ("不低于", "≥"), ("不超过", "≤"),
                                           ("=", "=")])
def test_comparators_as_a_keyboard_and_a_form_write_them(qtbot, typed, stored):
    window = window_of(qtbot, "xingxian_2022")
    page = step(window, ProjectsPage)
    page.list.setCurrentRow(0)
    view, model = page.editor.rows_view, page.editor.rows_model
    model.setData(model.index(0, col(model, "comparator")), typed)
    assert window.doc.report.projects[0].indicators[0].comparator == stored


def test_misplaced_commas_and_too_many_decimals_are_refused_with_the_reason(qtbot):
    window = window_of(qtbot, "xiangxi_2021")  # a 万元 report
    assert window.doc.unit == "wan"
    page = step(window, FinancePage)
    model = page.units_model
    for text, reason in (("1,2,3", "千分位"), ("12,34", "千分位"), ("12.345", "最多两位小数")):
        index = model.index(1, 0)
        assert not model.setData(index, text)
        assert index.data() == text and reason in index.data(Qt.ToolTipRole)


def test_a_figure_in_yuan_typed_into_a_wan_report_is_asked_about_once(qtbot, monkeypatch):
    window = window_of(qtbot, "xiangxi_2021")
    asked = []
    monkeypatch.setattr(fields, "ask_unit", lambda parent, text, unit, doubt: asked.append((text, doubt)) or "yuan")
    page = step(window, FinancePage)
    field = page.findChild(fields.AmountField, "finance.agency_operating")
    type_text(field, "40,529,800.00")
    field.clearFocus()
    field.editingFinished.emit()
    assert asked == [("40,529,800.00", "yuan")]
    assert window.doc.report.finance.agency_operating == D("40529800.00")  # as 元, not 4,052.98 亿
    field.editingFinished.emit()
    assert len(asked) == 1  # once


def test_the_unit_question_in_a_table_cell(qtbot, monkeypatch):
    window = window_of(qtbot, "xiangxi_2021")
    page = step(window, FinancePage)
    model = page.units_model
    model.ask_unit = lambda text, unit, doubt: "yuan"
    assert model.setData(model.index(1, 0), "40,529,800.00")
    assert window.doc.report.finance.units[0].general_budget == D("40529800.00")
    model.ask_unit = lambda text, unit, doubt: None  # cancelled: nothing changes
    assert not model.setData(model.index(1, 0), "50,000,000")
    assert window.doc.report.finance.units[0].general_budget == D("40529800.00")


def test_a_block_longer_than_the_rows_below_adds_rows_in_one_undo_step(qtbot):
    window = window_of(qtbot, "xingxian_2022")
    view, model = functional(window)
    rows = len(window.doc.report.finance.functional_rows)
    view.setCurrentIndex(model.index(rows - 1, col(model, "code")))
    view.paste("2130599\t其他巩固脱贫攻坚成果\t1000\n2130601\t农村综合改革\t2000\n2130602\t示范村建设\t3000\n")
    got = window.doc.report.finance.functional_rows
    assert len(got) == rows + 2
    assert [(r.code, r.total) for r in got[-3:]] == [("2130599", D("1000")), ("2130601", D("2000")),
                                                      ("2130602", D("3000"))]
    assert "新增 2 行" in view.last_message
    window.doc.undo_stack.undo()
    assert len(window.doc.report.finance.functional_rows) == rows


def test_a_header_line_is_skipped_and_its_unit_applied(qtbot):
    window = window_of(qtbot, "xingxian_2022")  # kept in 元
    view, model = functional(window)
    view.setCurrentIndex(model.index(0, col(model, "total")))
    view.paste("合计（万元）\t基本支出（万元）\n2.5\t1.5\n")
    row = window.doc.report.finance.functional_rows[0]
    assert (row.total, row.basic) == (D("25000"), D("15000"))  # not shifted a row down, and in 万元
    assert "跳过表头" in view.last_message and "万元" in view.last_message


def test_a_label_and_amount_block_lands_on_its_rows(qtbot):
    window = window_of(qtbot, "xiangxi_2021")
    page = step(window, FinancePage)
    view, model = page.units_view, page.units_model
    view.setCurrentIndex(model.index(0, 0))
    view.paste("项目\t金额（万元）\n一般公共预算财政拨款\t1,252.66\n其他收入\t3.20\n")
    unit = window.doc.report.finance.units[0]
    assert (unit.general_budget, unit.other_income) == (D("12526600"), D("32000"))
    assert "按第一列的项目名称对应到行" in view.last_message


def test_a_pasted_cell_that_cannot_be_read_is_marked_and_counted(qtbot):
    window = window_of(qtbot, "xingxian_2022")
    view, model = functional(window)
    view.setCurrentIndex(model.index(0, col(model, "total")))
    view.paste("1000\n两千\n")
    assert model.index(1, col(model, "total")).data(Qt.BackgroundRole) == REFUSED_BG
    assert "1 格内容无法识别" in view.last_message


def test_an_indicator_the_department_does_not_have_is_marked_not_applicable(qtbot):
    from PySide6.QtWidgets import QCheckBox

    from model.report import Report
    from ui.steps.dept_indicators import DeptIndicatorsPage

    window = MainWindow(Document(Report(template_id="national-dept-2013", fiscal_year=2023)))
    qtbot.addWidget(window)
    page = step(window, DeptIndicatorsPage)
    box = page.findChild(QCheckBox, "answers.procurement_execution.not_applicable")
    assert "得满分" in box.text()
    before = window.doc.result.by_key("dept.procurement_execution")
    box.click()
    assert window.doc.report.answers["procurement_execution"].not_applicable
    after = window.doc.result.by_key("dept.procurement_execution")
    assert after.score == after.weight and before.rule_score is None
    window.doc.undo_stack.undo()
    assert not box.isChecked() and not window.doc.report.answers["procurement_execution"].not_applicable


def test_the_export_step_offers_the_reviewed_version_only_when_there_is_a_review(qtbot, tmp_path):
    from model.report import ReviewScore
    from ui.steps.export import ExportPage

    window = window_of(qtbot, "xingxian_2022")
    page = step(window, ExportPage)
    assert page.reviewed.isHidden()
    window.doc.set("review.status", "已审核")
    assert not page.reviewed.isHidden()
    window.doc.report.review.scores["project.0.row.0"] = ReviewScore(D("0.5"), "口径不一致")
    page.reviewed.setChecked(True)
    page.folder.setText(str(tmp_path))
    for box in ("pdf", "docx"):
        page.boxes[box].setChecked(False)
    job = page.run()
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)
    assert [p.name.endswith("_审核.xlsx") for p in tmp_path.glob("*.xlsx")] == [True]
    del job
