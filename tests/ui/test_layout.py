"""Issue 16, item 4: the window at 1366×768 and at 150 % of 1920×1080 (1280×720 logical pixels — the
same layout a QT_SCALE_FACTOR=1.5 screen gets): what the clerk must see is in view, without
sideways scrolling; panels fold away and stay folded."""
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from model.report import Override

from ui.app import build
from ui.prefs import flag
from ui.steps.dept_indicators import DeptIndicatorsPage
from ui.steps.projects import LIST_SHOWN, ProjectsPage

SIZES = {"1366x768": (1366, 768), "1920x1080@150%": (1280, 720)}


def open_sample(qtbot, name, size):
    window = build(f"resources/samples/{name}.jxzp.json", recover=False)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def go(window, cls):
    row = next(i for i, p in enumerate(window.pages) if isinstance(p, cls))
    window.steps.setCurrentRow(row)
    QApplication.processEvents()
    return window.pages[row]


def right_edge(view, attr):
    col = next(i for i, c in enumerate(view.model().columns) if c.attr == attr)
    header = view.horizontalHeader()
    return header.sectionViewportPosition(col) + header.sectionSize(col)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_project_indicator_score_column_is_in_view_without_scrolling(qtbot, size):
    window = open_sample(qtbot, "xingxian_2022", size)
    page = go(window, ProjectsPage)
    if page.fold.isChecked():  # the list is folded by default on a screen this narrow; fold it if not
        page.fold.setChecked(False)
    QApplication.processEvents()
    view = page.editor.rows_view
    width = view.viewport().width()
    assert view.horizontalScrollBar().value() == 0
    for attr in ("name", "target", "actual", "unit", "weight", "score"):
        assert right_edge(view, attr) <= width, (attr, right_edge(view, attr), width)
    name = next(i for i, c in enumerate(view.model().columns) if c.attr == "name")
    assert view.columnWidth(name) >= page.editor.name_width  # 三级指标 takes the room to spare, never less
    assert view.viewport().height() >= 4 * view.rowHeight(0)  # the table is on screen, not below the fold
    # the window's own page does not scroll sideways or down: the indicator table is in the first screen
    scroll = window.stack.currentWidget()
    assert scroll.verticalScrollBar().maximum() == 0
    assert view.mapTo(window, view.rect().bottomRight()).y() <= window.height()
    # the 执行率 得分 box shows 1.73 whole (it showed “.73”)
    box = page.editor.exec_score
    assert box.text() == "1.73"
    assert box.fontMetrics().horizontalAdvance(box.text()) < box.contentsRect().width() - 4


def test_project_list_folds_and_the_choice_is_remembered(qtbot):
    window = open_sample(qtbot, "xingxian_2022", SIZES["1366x768"])
    page = go(window, ProjectsPage)
    page.fold.setChecked(True)
    assert page.left.isVisible() and flag(LIST_SHOWN, False) is True
    wide = page.editor.rows_view.viewport().width()
    page.fold.setChecked(False)
    QApplication.processEvents()
    assert not page.left.isVisible() and flag(LIST_SHOWN, True) is False
    assert page.editor.rows_view.viewport().width() > wide  # the table got the list's width
    again = open_sample(qtbot, "xingxian_2022", SIZES["1366x768"])
    assert not go(again, ProjectsPage).fold.isChecked()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_score_panel_shows_percentages_whole_and_never_scrolls_sideways(qtbot, size):
    window = open_sample(qtbot, "shilong_2020", size)
    tree = window.score_panel.tree
    metrics = tree.fontMetrics()
    assert not tree.horizontalScrollBar().isVisible()
    rates = [tree.topLevelItem(i).text(3) for i in range(tree.topLevelItemCount())]
    assert "100.00%" in rates
    for col, text in ((1, "100.00"), (2, "100.00*"), (3, "100.00%")):
        assert metrics.horizontalAdvance(text) + 6 <= tree.columnWidth(col), (col, tree.columnWidth(col))
    assert sum(tree.columnWidth(c) for c in range(4)) <= tree.viewport().width()


def test_panels_fold_from_the_view_menu_and_stay_folded(qtbot):
    window = open_sample(qtbot, "shilong_2020", SIZES["1366x768"])
    review = window.docks["layout/review_panel"]
    page = go(window, DeptIndicatorsPage)
    before = page.height()
    window.panel_actions["layout/review_panel"].trigger()  # 视图 → 复核面板 (F8)
    QApplication.processEvents()
    assert not review.isVisible() and page.height() > before  # the page got the panel's height
    review.show()
    review.close()  # its own ×: the same switch
    assert not window.panel_actions["layout/review_panel"].isChecked()
    window.panel_actions["layout/score_panel"].trigger()
    again = open_sample(qtbot, "shilong_2020", SIZES["1366x768"])
    assert not again.docks["layout/review_panel"].isVisible() and not again.docks["layout/score_panel"].isVisible()
    again.panel_actions["layout/score_panel"].trigger()
    assert again.docks["layout/score_panel"].isVisible() and flag("layout/score_panel", False)


def test_indicator_outline_jumps_and_shows_each_state(qtbot):
    window = open_sample(qtbot, "shilong_2020", SIZES["1366x768"])
    page = go(window, DeptIndicatorsPage)
    outline = page.outline
    assert len(outline.items) == len(page.rows) == 41
    # 牵头单位工作完成率 has a hand score the rules cannot give: a problem; key_reforms too
    assert outline.states["lead_unit_completion_rate"] == "problem"
    assert outline.items["lead_unit_completion_rate"].text(0).startswith("⚠")
    assert outline.states["goal_basis"] == "answered"
    # jump to the last indicator: it comes to the top of the view and the score panel shows it
    last = list(outline.items)[-1]
    scroll = page.scroll
    assert scroll.verticalScrollBar().value() == 0
    outline.itemClicked.emit(outline.items[last], 0)
    QApplication.processEvents()
    row = page.rows[f"answers.{last}"]
    top = row.mapTo(scroll.viewport(), row.rect().topLeft()).y()
    assert scroll.verticalScrollBar().value() > 0 and 0 <= top < scroll.viewport().height()
    assert window.score_panel.key == f"dept.{last}"
    # an override changes the state on doc.scored; undo brings it back
    window.doc.set("answers.goal_basis.override", Override(Decimal("2"), "佐证材料齐全，按原报告结论"))
    assert outline.states["goal_basis"] == "override"
    assert outline.items["goal_basis"].text(0) == "✎ 目标依据充分性"
    window.doc.undo_stack.undo()
    assert outline.states["goal_basis"] == "answered"
    assert outline.items["goal_basis"].foreground(0).color().name() == "#1a7f37"
    assert outline.items["goal_basis"].data(0, Qt.UserRole) == "answers.goal_basis"


def test_where_the_clerk_drags_the_project_splitter_is_remembered(qtbot):
    window = open_sample(qtbot, "xingxian_2022", SIZES["1366x768"])
    split = go(window, ProjectsPage).editor.split
    total = sum(split.sizes())
    split.moveSplitter(total * 3 // 4, 1)  # more room for the funds and goals on a small screen
    upper = split.sizes()[0]
    assert upper > total // 2
    again = open_sample(qtbot, "xingxian_2022", SIZES["1366x768"])
    assert abs(go(again, ProjectsPage).editor.split.sizes()[0] - upper) <= 2
