"""Drive the real window as a clerk would: type, click, undo, save."""
import dataclasses
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QLineEdit, QWidget

from model import storage
from model.money import WAN
from model.report import PriorYear, ThreePublic
from tests.ui.conftest import press_enter, type_text
from ui.app import build
from ui.document import Document
from ui.main_window import MainWindow, NewReportDialog
from ui.models.table import UNIT_ROWS
from ui.steps.dept_indicators import DeptIndicatorsPage
from ui.steps.finance import FinancePage
from ui.steps.projects import ProjectsPage
from ui.widgets.fields import ChecklistField, ChoiceField, NumberField, OverrideField


def wan(value: Decimal) -> str:
    return f"{(value / WAN).normalize():f}"


def step(window, cls):
    row = next(i for i, p in enumerate(window.pages) if isinstance(p, cls))
    window.steps.setCurrentRow(row)
    return window.pages[row]


def finance_paths(obj, prefix):
    """Every amount field of the dept-level finance block, as report paths."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, (ThreePublic, PriorYear)):
            yield from finance_paths(value, f"{prefix}.{f.name}")
        elif f.name not in ("units", "functional_rows"):
            yield f"{prefix}.{f.name}", value


def test_new_henan_report_with_seed_004_facts_scores_86_liang(qtbot, sample, monkeypatch):
    seed = sample("shilong_2020")
    dialog = NewReportDialog()
    qtbot.addWidget(dialog)
    dialog.template.setCurrentIndex(dialog.template.findData("henan-dept-2020"))
    dialog.year.setValue(2020)
    type_text(dialog.department, seed.basic.department)
    window = MainWindow(Document(dialog.report()))
    qtbot.addWidget(window)
    window.show()
    assert window.doc.report.basic.department == "平顶山市石龙区乡村振兴局"

    # 收支情况: add the unit, then type each amount into the per-unit table (in 万元)
    finance = step(window, FinancePage)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (seed.finance.units[0].name, True))
    finance.add_unit()
    view = finance.units_view
    source = seed.finance.units[0]
    for row, (attr, _label, editable) in enumerate(UNIT_ROWS):
        value = getattr(source, attr) if "." not in attr else getattr(source.three_public, attr.split(".")[1])
        if editable and value is not None:
            view.setCurrentIndex(view.model().index(row, 0))
            type_text(view, wan(value), replace=False)
            press_enter(view)
    assert window.doc.report.finance.units[0] == source
    for path, value in finance_paths(seed.finance, "finance"):
        field = window.findChild(QWidget, path)
        assert field is not None, f"no field for {path}"  # every finance fact is editable
        if value is not None:
            type_text(field, wan(value) if isinstance(value, Decimal) else str(value))
    assert window.doc.report.finance == seed.finance

    # 部门整体绩效指标: each answer through its widget
    step(window, DeptIndicatorsPage)
    for iid, answer in seed.answers.items():
        base = f"answers.{iid}"
        if answer.value is not None:
            type_text(window.findChild(NumberField, f"{base}.value"), f"{answer.value.normalize():f}")
        if answer.items:
            boxes = window.findChild(ChecklistField, f"{base}.items").boxes
            for box, wanted in zip(boxes, answer.items):
                box.ensurePolished()
                window.stack.currentWidget().ensureWidgetVisible(box)
                if wanted:
                    qtbot.mouseClick(box, Qt.LeftButton)
        if answer.choice is not None:
            combo = window.findChild(ChoiceField, f"{base}.choice")
            combo.setCurrentIndex(combo.findData(answer.choice))
        if answer.note:
            type_text(window.findChild(QLineEdit, f"{base}.note"), answer.note)
        if answer.override is not None:
            editor = window.findChild(OverrideField, f"{base}.override.override")
            type_text(editor.score, f"{answer.override.score.normalize():f}")
            type_text(editor.reason, answer.override.reason)
    for iid, answer in seed.answers.items():
        got = window.doc.report.answers.get(iid)
        assert got is not None, (iid, answer)
        assert got == answer, iid
    total = window.score_panel.total.text()
    assert "86.00" in total and "良" in total and "83.50" in total
    levels = [window.score_panel.tree.topLevelItem(i).text(2) for i in range(5)]
    assert levels == ["26.00", "30.50", "10.00", "15.00", "4.50"]
    flagged = {p.location for p in window.doc.problems if p.code.startswith("override_") and p.severity == "警告"}
    assert flagged == {"answers.lead_unit_completion_rate", "answers.procurement_execution_rate",
                       "answers.cost_saving_rate", "answers.key_reforms"}


def test_edit_project_actual_rescores_undo_and_save_roundtrip(qtbot, tmp_path):
    window = build("resources/samples/xingxian_2022.jxzp.json", recover=False)
    qtbot.addWidget(window)
    window.show()
    page = step(window, ProjectsPage)
    page.list.setCurrentRow(0)
    view, model = page.editor.rows_view, page.editor.rows_model
    actual_col = next(i for i, c in enumerate(model.columns) if c.attr == "actual")
    before = window.doc.result.projects[0].totals.total
    problems_before = len(window.doc.problems)
    view.setCurrentIndex(model.index(5, actual_col))  # 脱贫户和监测户满意度 100% → 90%
    type_text(view, "90%", replace=False)
    press_enter(view)
    assert window.doc.report.projects[0].indicators[5].actual == "90%"
    assert window.doc.result.projects[0].totals.total == Decimal("82.91")  # 90/98 × 10 = 9.18
    assert "82.91" in page.editor.total_label.text()
    new = [p for p in window.doc.problems if p.location == "project.0.total"]
    assert "82.91" in new[0].message  # live 复核: the printed total no longer matches, and the missed
    missed = [p for p in window.doc.problems if p.location == "projects[0].indicators[5].deviation_reason"]
    assert missed[0].code == "deviation_reason_missing"  # target needs its 未完成原因分析
    assert len(window.doc.problems) == problems_before + 2
    assert window.doc.modified and window.windowTitle().startswith("xingxian_2022.jxzp.json *")

    window.doc.undo_stack.undo()
    assert window.doc.result.projects[0].totals.total == before
    assert len(window.doc.problems) == problems_before
    assert window.problem_list.topLevelItemCount() == problems_before
    window.doc.undo_stack.redo()

    target = tmp_path / "兴县 2022.jxzp.json"
    assert window._save_to(target)
    assert not window.doc.modified
    reopened = build(str(target), recover=False)
    qtbot.addWidget(reopened)
    assert storage.dumps(reopened.doc.report) == target.read_text(encoding="utf-8")
    assert reopened.doc.report == window.doc.report


def test_amount_field_accepts_clerk_formats_and_refuses_garbage(qtbot):
    window = build("resources/samples/shilong_2020.jxzp.json", recover=False)
    qtbot.addWidget(window)
    field = step(window, FinancePage).findChild(QLineEdit, "finance.operating_budget")
    type_text(field, "1,482.43")
    press_enter(field)
    assert window.doc.report.finance.operating_budget == Decimal("14824300")  # 万元 report
    assert field.text() == "1,482.43"
    type_text(field, "１２３.４５万")
    press_enter(field)
    assert window.doc.report.finance.operating_budget == Decimal("1234500")
    assert field.text() == "123.45"  # shown back in the report's unit
    type_text(field, "12元34")  # "12元" parses on the way, the final text does not
    assert field.error and "金额" in field.error and field.text() == "12元34"
    assert window.doc.report.finance.operating_budget == Decimal("1234500")  # nothing written


def test_paste_block_from_excel_is_one_undo_step(qtbot):
    window = build("resources/samples/xingxian_2022.jxzp.json", recover=False)
    qtbot.addWidget(window)
    page = step(window, FinancePage)
    view = page.functional_model, page.findChild(QWidget, "finance.functional_rows")
    model, table = view
    n = model.rowCount()
    model.insert_row()
    model.insert_row()
    table.setCurrentIndex(model.index(n, 0))
    table.paste("214\t交通运输支出\t1,000.00\n21401\t公路水路运输\t1000")
    rows = window.doc.report.finance.functional_rows
    assert (rows[n].code, rows[n].name, rows[n].total) == ("214", "交通运输支出", Decimal("1000.00"))
    assert rows[n + 1].total == Decimal("1000")
    window.doc.undo_stack.undo()
    assert rows[n].code == "" and rows[n + 1].total is None


def test_problem_double_click_opens_step_and_field(qtbot):
    window = build("resources/samples/shilong_2020.jxzp.json", recover=False)
    qtbot.addWidget(window)
    window.show()
    problems = window.problem_list
    item = next(problems.topLevelItem(i) for i in range(problems.topLevelItemCount())
                if problems.topLevelItem(i).data(0, 256)[1] == "answers.key_reforms")
    problems.itemDoubleClicked.emit(item, 0)
    assert window.pages[window.steps.currentRow()].step_id == "dept_indicators"
    assert "重要改革事项" in window.score_panel.detail.text()


def test_steps_show_their_state(qtbot):
    window = build("resources/samples/xingxian_2022.jxzp.json", recover=False)
    qtbot.addWidget(window)
    states = {p.step_id: window.steps.item(i).data(Qt.UserRole) for i, p in enumerate(window.pages)}
    assert states["projects"] == "error" and states["basic_info"] == "ok"
    assert [p.step_id for p in window.pages] == ["basic_info", "finance", "projects", "narrative",
                                                 "team_opinion", "review", "export"]
    assert isinstance(window.findChild(QLabel, "score_total"), QLabel)
    assert isinstance(window.findChild(QComboBox), QComboBox)


def test_export_step_writes_all_three_files_and_offers_to_open_them(qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from ui.steps.export import ExportPage

    window = build("resources/samples/xingxian_2022.jxzp.json", recover=False)
    qtbot.addWidget(window)
    from PySide6.QtWidgets import QApplication

    from export import fonts

    page = step(window, ExportPage)
    page.warming.join(timeout=60)  # fonts found in the background when the step opens
    assert not page.warming.is_alive() and fonts._CURRENT is not None
    type_text(page.folder, str(tmp_path))
    qtbot.mouseClick(page.findChild(QWidget, "export_button"), Qt.LeftButton)
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)  # built in a worker thread (ui.worker)
    assert QApplication.overrideCursor() is None  # no wait cursor: the window stays usable
    written = sorted(p.suffix for p in tmp_path.iterdir() if p.is_file())
    assert written == [".docx", ".pdf", ".xlsx"]
    assert page.results.count() == 3 and page.open_file.isEnabled()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    qtbot.mouseClick(page.open_folder, Qt.LeftButton)
    assert opened == [str(tmp_path)]


def test_project_list_add_duplicate_move_delete_and_undo(qtbot, answers):
    from PySide6.QtWidgets import QMessageBox

    window = build("resources/samples/xingxian_2022.jxzp.json", recover=False)
    qtbot.addWidget(window)
    page = step(window, ProjectsPage)
    names = lambda: [p.name for p in window.doc.report.projects]  # noqa: E731
    page.list.setCurrentRow(1)
    page.duplicate()
    assert names()[2] == names()[1] + "（副本）" and page.list.count() == 5
    page.move(-1)
    assert names()[1].endswith("（副本）")
    answers.reply = QMessageBox.Yes
    page.delete()
    assert len(names()) == 4 and not any(n.endswith("（副本）") for n in names())
    page.add()
    assert names()[-1] == "新项目5" and len(window.doc.result.projects) == 5
    for _ in range(4):
        window.doc.undo_stack.undo()
    assert names() == [p.name for p in storage.load("resources/samples/xingxian_2022.jxzp.json").projects]
    assert page.list.count() == 4


def test_import_final_accounts_from_the_finance_step_is_one_undo_step(qtbot, sample):
    from model.report import Report
    from ui.steps.import_dialog import import_final_accounts

    window = MainWindow(Document(Report(template_id="mof-project-2020", fiscal_year=2022)))
    qtbot.addWidget(window)
    step(window, FinancePage)
    shown = []
    workbook = "tests/importers/data/tables.xlsx"
    assert import_final_accounts(window.doc, workbook, window, confirm=lambda d: shown.append(d) or True)
    table = shown[0].findChild(QWidget, "import_changes")
    assert table.rowCount() > 10 and table.item(0, 2).text()  # old → new shown before anything changes
    expected = sample("xingxian_2022").finance
    got = window.doc.report.finance
    assert got.units[0].general_budget == expected.units[0].general_budget == Decimal("27274348.52")
    assert got.functional_rows == expected.functional_rows
    assert window.doc.report.provenance["finance.units[0].general_budget"] == "imported"
    assert window.findChild(FinancePage).units_model.data(window.findChild(FinancePage).units_model.index(1, 0),
                                                         Qt.BackgroundRole) is not None  # tinted as imported
    window.doc.undo_stack.undo()
    assert window.doc.report.finance.units == [] and window.doc.report.provenance == {}


def test_next_year_carries_actuals_into_prior_year(qtbot, answers):
    from PySide6.QtWidgets import QMessageBox

    window = build("resources/samples/xingxian_2022.jxzp.json", recover=False)
    qtbot.addWidget(window)
    income = window.doc.report.finance.summary.income_total
    answers.reply = QMessageBox.Yes
    window.next_year()
    report = window.doc.report
    assert report.fiscal_year == 2023 and window.doc.path is None
    assert report.finance.prior.income_total == income
    assert report.provenance["finance.prior.income_total"] == "carried"
    field = step(window, FinancePage).findChild(QLineEdit, "finance.prior.income_total")  # the new report's page
    assert field.styleSheet() and field.toolTip() == "上年结转而来"


def test_pages_are_built_on_first_visit(qtbot):
    window = build("resources/samples/xingxian_2022.jxzp.json", recover=False)
    qtbot.addWidget(window)
    assert list(window._pages) == [0]  # the window opens with only the first step built
    assert window.steps.item(2).data(Qt.UserRole) == "error"  # unvisited steps still show their state
    window.resize(1366, 768)
    window.show()
    window.steps.setCurrentRow(1)  # 收支情况: a page taller than the screen (项目支出 now fits on one)
    assert sorted(window._pages) == [0, 1] and window.stack.currentWidget().widget() is window._pages[1]
    page = window._pages[1]  # laid out at once, not squeezed into the viewport for its first frame
    assert page.height() >= page.minimumSizeHint().height() > window.stack.currentWidget().viewport().height()
    window.steps.setCurrentRow(0)
    window.steps.setCurrentRow(1)
    assert sorted(window._pages) == [0, 1]  # built once


def test_typing_over_an_imported_figure_drops_its_source_precision_and_undo_restores_it(qtbot, sample):
    doc = Document(sample("xingxian_2022"))
    path = "finance.units[0].other_income"
    doc.set_many([(path, Decimal("3791900.00"))], [path], "imported", precision={path: Decimal(50)})
    assert doc.report.source_precision[path] == Decimal(50)
    doc.set(path, Decimal("3791987.29"))  # the clerk types the exact figure: as exact as typed
    assert path not in doc.report.source_precision
    doc.undo_stack.undo()
    assert doc.report.source_precision[path] == Decimal(50)
    doc.undo_stack.undo()
    assert path not in doc.report.source_precision and doc.report.finance.units[0].other_income == Decimal("3791987.29")


def test_export_and_review_steps_say_whether_the_report_can_be_signed(qtbot):
    from ui.steps.export import ExportPage
    from ui.steps.review import ReviewPage

    window = build("resources/samples/xiangxi_2021.jxzp.json", recover=False)
    qtbot.addWidget(window)
    export = step(window, ExportPage)
    assert "可以打印签章" in export.readiness.text()
    window.doc.set("basic.department", "")  # an 错误 appears: the line changes at once
    assert "尚不能打印签章：还有 1 个错误" in export.readiness.text()
    assert "尚不能打印签章" in step(window, ReviewPage).problems.text()
