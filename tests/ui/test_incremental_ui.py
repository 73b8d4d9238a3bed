"""The window rescores and redraws only what an edit changed, and shows what a fresh window would."""
from __future__ import annotations

from decimal import Decimal

import pytest

from bench.generate import large_report
from model import scoring
from model.report import Project
from ui.document import Document
from ui.main_window import MainWindow
from ui.widgets.problem_list import ProblemList
from ui.widgets.score_panel import ScorePanel


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = scoring.score_project
    monkeypatch.setattr(scoring, "score_project", lambda i, p, t: calls.append(i) or real(i, p, t))
    return calls


@pytest.mark.parametrize("path,value", [("basic.contact_person", "张三"),
                                        ("finance.units[0].other_income", Decimal("1234.56")),
                                        ("answers.special_fund_detail_rate.value", Decimal("88")),
                                        ("narrative.overview", "概述。")])
def test_an_edit_outside_projects_scores_no_project(qtbot, counted, path, value):
    doc = Document(large_report(30, 5))
    assert len(counted) == 30
    counted.clear()
    doc.set(path, value)
    assert counted == []
    doc.undo_stack.undo()
    assert counted == []
    doc.set("projects[4].indicators[0].actual", "95人")
    assert counted == [4]


def tree_texts(tree) -> list:
    out = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        out.append(([item.text(c) for c in range(tree.columnCount())],
                    [[item.child(k).text(c) for c in range(tree.columnCount())] for k in range(item.childCount())]))
    return out


def problem_rows(plist) -> list:
    return [([plist.topLevelItem(i).text(c) for c in range(4)], plist.topLevelItem(i).data(0, 256))
            for i in range(plist.topLevelItemCount())]


def test_panels_after_edits_and_moves_show_what_a_fresh_window_shows(qtbot):
    window = MainWindow(Document(large_report(12, 5)))
    qtbot.addWidget(window)
    doc = window.doc
    doc.set("projects[3].indicators[1].weight", Decimal(30))
    doc.set("basic.contact_person", "李四")
    doc.insert("projects", 0, Project(name="插在最前"))
    doc.move("projects", 5, 2)
    doc.remove("projects", 7)
    doc.set("projects[2].name", "")  # an unnamed project is named by its position in the problems
    doc.set("display_unit", "yuan")
    doc.undo_stack.undo()
    doc.move("projects", 0, 10)
    doc.set("projects[9].indicators[0].override", None)

    fresh = Document(doc.report)
    assert doc.result == fresh.result and doc.problems == fresh.problems
    panel, plist = ScorePanel(fresh), ProblemList(fresh)
    qtbot.addWidget(panel)
    qtbot.addWidget(plist)
    assert tree_texts(window.score_panel.tree) == tree_texts(panel.tree)
    assert problem_rows(window.problem_list) == problem_rows(plist)


def test_a_keystroke_keeps_the_problem_rows_and_the_selection(qtbot):
    window = MainWindow(Document(large_report(20, 5)))
    qtbot.addWidget(window)
    plist = window.problem_list
    items = [plist.topLevelItem(i) for i in range(plist.topLevelItemCount())]
    plist.setCurrentItem(items[-1])
    window.doc.set("basic.contact_person", "王五")
    window.doc.set("projects[15].indicators[2].weight", Decimal(1))  # changes that project's problems only
    after = [plist.topLevelItem(i) for i in range(plist.topLevelItemCount())]
    kept = [item for item in after if item in items]
    assert len(kept) >= len(items) - 2  # only the rows of the changed problems were replaced
    assert plist.currentItem() is items[-1]


def test_clicking_a_project_row_shows_its_rule(qtbot):
    window = MainWindow(Document(large_report(5, 4)))
    qtbot.addWidget(window)
    tree = window.score_panel.tree
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(0) == "项目：生成项目3")
    tree.itemClicked.emit(top.child(2), 0)
    assert window.score_panel.key == "project.2.row.1"
    assert "指标2" in window.score_panel.detail.text()
