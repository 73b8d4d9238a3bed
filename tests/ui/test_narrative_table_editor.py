"""Tables in the 文字说明 step, driven as a clerk would: the grid dialog, pasting cells from Excel/WPS, undo."""
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from model import checks, narrative_check, narrative_tables, templates
from tests.ui.conftest import _target, press_enter, type_text
from ui.document import Document
from ui.main_window import MainWindow
from ui.steps.narrative import NarrativePage
from ui.widgets.narrative_table import TableDialog


@pytest.fixture(autouse=True)
def clipboard_emptied():
    """The clipboard owns the QMimeData a test puts there: empty it while Qt is alive (left there, deleting it
    when the application goes away at exit crashes the process)."""
    yield
    QApplication.clipboard().clear()


def without_seed_tables(report):
    """shilong as it was before seed 004's 9 tables were put in: the sentences that announce them
    (如下表所示 …) with no table after them, the scene of a clerk who still has to insert them."""
    for sid, text in report.narrative.items():
        lines = text.split("\n")
        for t in reversed(narrative_tables.find_tables(text)):
            caption = "下表" not in lines[t.first - 1]  # the seed's untitled caption line (…得分情况表)
            del lines[t.first - caption:t.last + 1]
        report.narrative[sid] = "\n".join(lines)
    return report


def open_narrative(qtbot, sample, name="shilong_2020", untabled=False):
    report = sample(name)
    window = MainWindow(Document(without_seed_tables(report) if untabled else report))
    qtbot.addWidget(window)
    window.show()
    row = window.step_ids.index("narrative")
    window.steps.setCurrentRow(row)
    page = window.page(row)
    assert isinstance(page, NarrativePage)
    return window, page


def cursor_to_end_of_line(editor, line: int):
    """The clerk clicks behind the last character of paragraph ``line`` (Down would move by wrapped lines)."""
    editor.setFocus()
    cursor = QTextCursor(editor.document().findBlockByNumber(line))
    cursor.movePosition(QTextCursor.EndOfBlock)
    editor.setTextCursor(cursor)


def table_warnings(doc, section):
    return [p for p in checks.check(doc.report, doc.template) if p.code == narrative_check.TABLE_CODE
            and p.location == f"narrative.{section}"]


def type_keys(widget, text: str):
    """Type into whatever has focus in ``widget`` key by key, Chinese as key events carrying the character
    (STACK-NOTES: keyClicks is for ASCII only); the first key opens a table cell's editor, as on a keyboard."""
    for ch in text:
        target = _target(widget)
        if ch.isascii():
            QTest.keyClick(target, ch)
        else:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QCoreApplication.sendEvent(target, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def type_cells(grid, rows):
    """Type each cell, Tab to the next (Tab at a row's end goes on to the next row)."""
    grid.setFocus()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            assert (grid.currentRow(), grid.currentColumn()) == (r, c)
            type_keys(grid, text)
            press_enter(grid)
            QTest.keyClick(grid, Qt.Key_Tab)


def run_dialog(qtbot, button, drive):
    """Click ``button``; ``drive(dialog)`` works the modal dialog it opens (and closes it)."""
    done = []

    def later():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TableDialog)
        drive(dialog)
        done.append(True)

    QTimer.singleShot(0, later)
    qtbot.mouseClick(button, Qt.LeftButton)
    assert done == [True]


def test_insert_a_table_in_the_grid_dialog_then_edit_it_and_undo(qtbot, sample):
    window, page = open_narrative(qtbot, sample, untabled=True)
    doc, sid = window.doc, "analysis"
    original = doc.report.narrative[sid]
    assert "各指标得分情况如下表所示：" in original.split("\n")[1]
    warned = table_warnings(doc, sid)[0].message
    assert "等 7 处" in warned

    editor = page.editors[sid]
    cursor_to_end_of_line(editor, 1)
    assert page.table_buttons[sid].text() == "插入表格"

    def fill(dialog):
        assert dialog.windowTitle() == "插入表格"
        type_text(dialog.title_edit, "表1 履职效能类指标得分情况")
        type_text(dialog.unit_edit, "分")
        type_cells(dialog.grid, [["三级指标", "分值", "得分"], ["目标依据充分性", "2", "2"], ["总体工作完成率", "3", "3"]])
        dialog.grid.setCurrentCell(2, 0)
        qtbot.mouseClick(dialog.add_row_button, Qt.LeftButton)  # a row below 总体工作完成率
        assert dialog.grid.rowCount() == 4 and dialog.grid.currentRow() == 3
        for c, text in enumerate(["合计", "5", "5"]):
            dialog.grid.setCurrentCell(3, c)
            type_keys(dialog.grid, text)
            press_enter(dialog.grid)
        qtbot.mouseClick(dialog.add_column_button, Qt.LeftButton)  # one column too many …
        assert dialog.grid.columnCount() == 4
        qtbot.mouseClick(dialog.remove_column_button, Qt.LeftButton)  # … taken out again
        assert dialog.grid.columnCount() == 3
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    run_dialog(qtbot, page.table_buttons[sid], fill)
    lines = doc.report.narrative[sid].split("\n")
    assert lines[1] == original.split("\n")[1]  # the announcing sentence, untouched
    assert lines[2:8] == ["表1 履职效能类指标得分情况", "单位：分", "| 三级指标 | 分值 | 得分 |",
                          "| 目标依据充分性 | 2 | 2 |", "| 总体工作完成率 | 3 | 3 |", "| 合计 | 5 | 5 |"]
    assert lines[8:] == original.split("\n")[2:]
    (table,) = narrative_tables.find_tables(doc.report.narrative[sid])
    assert table.title == "表1 履职效能类指标得分情况" and table.rows[0] == ("三级指标", "分值", "得分")
    assert "等 6 处" in table_warnings(doc, sid)[0].message  # that announcement now has its table

    # the cursor in the table: the button edits it
    cursor_to_end_of_line(editor, 5)
    assert page.table_buttons[sid].text() == "编辑表格"

    def change(dialog):
        assert dialog.windowTitle() == "编辑表格"
        assert dialog.grid.rowCount() == 4 and dialog.title_edit.text() == "表1 履职效能类指标得分情况"
        assert dialog.unit_edit.text() == "分"
        dialog.grid.setCurrentCell(2, 2)
        type_keys(dialog.grid, "2.5")
        press_enter(dialog.grid)
        dialog.grid.setCurrentCell(3, 0)
        qtbot.mouseClick(dialog.remove_row_button, Qt.LeftButton)
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    run_dialog(qtbot, page.table_buttons[sid], change)
    text = doc.report.narrative[sid]
    (table,) = narrative_tables.find_tables(text)
    assert table.rows == (("三级指标", "分值", "得分"), ("目标依据充分性", "2", "2"), ("总体工作完成率", "3", "2.5"))
    assert text.count("履职效能类指标得分情况") == 1  # replaced, not added

    window.undo_action.trigger()  # the edit …
    assert "| 合计 | 5 | 5 |" in doc.report.narrative[sid]
    window.undo_action.trigger()  # … and the insert, one step each
    assert doc.report.narrative[sid] == original
    assert editor.toPlainText() == original
    window.redo_action.trigger()
    assert "| 合计 | 5 | 5 |" in doc.report.narrative[sid]


def test_cancel_writes_nothing(qtbot, sample):
    window, page = open_narrative(qtbot, sample)
    before = dict(window.doc.report.narrative)
    depth = window.doc.undo_stack.count()

    def cancel(dialog):
        type_cells(dialog.grid, [["甲", "乙"]])
        dialog.reject()

    run_dialog(qtbot, page.table_buttons["overview"], cancel)
    assert window.doc.report.narrative == before and window.doc.undo_stack.count() == depth


def excel_clipboard(text: str, html: bool = True):
    mime = QMimeData()
    mime.setText(text)
    if html:
        cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>"
                        for line in text.strip().split("\r\n"))
        mime.setHtml(f"<html><body><table>{cells}</table></body></html>")
    QApplication.clipboard().setMimeData(mime)


def test_cells_pasted_from_excel_become_a_table_block(qtbot, sample):
    window, page = open_narrative(qtbot, sample, untabled=True)
    doc, sid = window.doc, "overview"
    original = doc.report.narrative[sid]
    line = next(i for i, t in enumerate(original.split("\n")) if t.endswith("如下表所示："))
    editor = page.editors[sid]
    cursor_to_end_of_line(editor, line)
    # what Excel/WPS put on the clipboard: tab-separated rows, CRLF, a cell with a line break quoted
    excel_clipboard('序号\t主要任务\t牵头单位\r\n1\t"剩余贫困人口\n全部脱贫"\t乡村振兴局\r\n2\t基础设施建设\t各街道办事处\r\n')
    QTest.keyClick(editor, Qt.Key_V, Qt.ControlModifier)
    lines = doc.report.narrative[sid].split("\n")
    assert lines[line + 1:line + 4] == ["| 序号 | 主要任务 | 牵头单位 |", "| 1 | 剩余贫困人口 全部脱贫 | 乡村振兴局 |",
                                        "| 2 | 基础设施建设 | 各街道办事处 |"]
    assert lines[line + 4] == original.split("\n")[line + 1]  # the text after it, on its own line as before
    assert not table_warnings(doc, sid)  # 如下表所示 now has its table
    assert editor.textCursor().blockNumber() == line + 3  # the cursor behind the table

    window.undo_action.trigger()  # one undo step
    assert doc.report.narrative[sid] == original

    # a plain line with a tab (typed text, not cells) is pasted as text
    excel_clipboard("第一段\t说明", html=False)
    cursor_to_end_of_line(editor, 0)
    QTest.keyClick(editor, Qt.Key_V, Qt.ControlModifier)
    assert doc.report.narrative[sid].split("\n")[0].endswith("第一段\t说明")
    assert not narrative_tables.find_tables(doc.report.narrative[sid])


def test_paste_into_the_dialog_grid_grows_it(qtbot, sample):
    window, page = open_narrative(qtbot, sample)

    def paste(dialog):
        excel_clipboard("项目\t金额\t占比\r\n财政拨款收入\t4,052.98\t99.89%\r\n其他收入\t4.32\t0.11%\r\n合计\t4,057.30\t100.00%\r\n")
        dialog.grid.setFocus()
        dialog.grid.setCurrentCell(0, 0)
        QTest.keyClick(dialog.grid, Qt.Key_V, Qt.ControlModifier)
        assert (dialog.grid.rowCount(), dialog.grid.columnCount()) == (4, 3)
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    run_dialog(qtbot, page.table_buttons["overview"], paste)
    texts = "\n".join(window.doc.report.narrative.values())
    assert "| 财政拨款收入 | 4,052.98 | 99.89% |" in texts


def test_tables_from_the_data_menu(qtbot, sample):
    window, page = open_narrative(qtbot, sample, untabled=True)
    doc, sid = window.doc, "conclusion"
    assert table_warnings(doc, sid)  # “具体得分情况见下表：” with no table
    editor = page.editors[sid]
    cursor_to_end_of_line(editor, 1)
    menu = page.data_buttons[sid].menu()
    menu.aboutToShow.emit()
    labels = [a.text() for a in menu.actions()]
    assert labels[:4] == ["收入情况（按来源）", "支出情况（按类别）", "得分情况（一级指标）", "履职效能指标得分"]
    next(a for a in menu.actions() if a.text() == "得分情况（一级指标）").trigger()
    text = doc.report.narrative[sid]
    (table,) = narrative_tables.find_tables(text)
    assert table.title == "表1 2020年度部门整体支出绩效自评得分情况"
    assert table.rows[-1] == ("合计", "100.00", "86.00", "86.00%")
    assert table.first == 2  # right under the sentence that announces it
    assert not table_warnings(doc, sid)
    window.undo_action.trigger()
    assert not narrative_tables.find_tables(doc.report.narrative[sid])


def test_blank_report_data_menu_says_why_it_is_empty(qtbot):
    from model.report import Report

    window = MainWindow(Document(Report(template_id="henan-dept-2020", fiscal_year=2024)))
    qtbot.addWidget(window)
    window.show()
    row = window.step_ids.index("narrative")
    window.steps.setCurrentRow(row)
    page = window.page(row)
    sid = templates.get("henan-dept-2020").narrative_sections[0].id
    menu = page.data_buttons[sid].menu()
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions()] == ["已填数据还不足以生成表格"]
    assert not menu.actions()[0].isEnabled()
