"""The 汇总 window (pytest-qt, offscreen): open the county, sort, filter, review, refresh on change."""
from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from model import storage
from model.report import ReviewScore
from ui.summary.table import COLUMNS
from ui.summary.window import SummaryWindow


@pytest.fixture
def window(qtbot, county, tmp_path):
    folder = tmp_path / "汇总"
    shutil.copytree(county, folder)
    w = SummaryWindow()
    qtbot.addWidget(w)
    w.add_paths([folder])
    qtbot.waitUntil(lambda: w.model.rowCount() > 0, timeout=30000)
    w.folder = folder
    return w


def cell(w, row, column):
    return w.proxy.index(row, COLUMNS.index(column)).data()


def test_opens_every_report_and_sorts_and_filters(window):
    w = window
    assert w.model.rowCount() == 12 * 4 + 18 and len(w.summary.entries) == 30
    assert "报告 30 份" in w.counts.text() and "优 36" in w.counts.text()
    assert any("未报局" not in w.findings.item(i).text() and "高庄乡" in w.findings.item(i).text()
               for i in range(w.findings.count()))
    w.table.sortByColumn(COLUMNS.index("自评分"), Qt.DescendingOrder)
    assert cell(w, 0, "自评分") == "100.00"
    w.table.sortByColumn(COLUMNS.index("执行率"), Qt.AscendingOrder)
    assert cell(w, 0, "执行率") == "17.26%"
    w.filter_text.setText("高庄乡")
    assert w.proxy.rowCount() == 4
    w.filter_text.setText("")
    w.filter_state.setCurrentIndex(w.filter_state.findData("已审核"))
    assert w.proxy.rowCount() == 4 and {cell(w, r, "单位") for r in range(4)} == {"城关镇"}
    w.filter_state.setCurrentIndex(w.filter_state.findData("未评完"))
    assert w.proxy.rowCount() == 1 and cell(w, 0, "自评分") == "未评完"


def test_refreshes_when_a_report_changes_on_disk(window, qtbot):
    w = window
    path = w.folder / "04_南关镇.jxzp.json"
    report = storage.load(path)
    report.review.status = "退回"
    storage.save(report, path)
    qtbot.waitUntil(lambda: any(e.unit == "南关镇" and e.rows[0].state == "退回" for e in w.summary.entries),
                    timeout=10000)
    storage.save(storage.load(w.folder / "05_北关镇.jxzp.json"), w.folder / "99_新来镇.jxzp.json")
    qtbot.waitUntil(lambda: len(w.summary.entries) == 31, timeout=10000)


def test_review_dialog_saves_scores_apart(window, qtbot, monkeypatch, answers):
    from ui.summary import review_dialog

    w = window
    w.filter_text.setText("南关镇2022年脱贫")
    w.table.selectRow(0)
    opened = []

    def exec_(dialog):
        opened.append(dialog)
        m = dialog.model
        row = next(i for i, (_, s) in enumerate(m.items) if s.key == "project.0.row.0")
        m.setData(m.index(row, 4), "0.5")
        dialog.status.setCurrentIndex(dialog.status.findData("已审核"))
        dialog.opinion.setPlainText("同意，扣减一项")
        dialog.save()  # no reason yet: refused with a message, nothing written
        assert "需要写明理由" in answers.asked[-1][1]
        assert storage.load(w.folder / "04_南关镇.jxzp.json").review.status == ""
        m.setData(m.index(row, 5), "佐证材料不全")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(review_dialog.ReviewDialog, "exec", exec_)
    w.review_selected()
    assert opened
    saved = storage.load(w.folder / "04_南关镇.jxzp.json")
    assert saved.review.status == "已审核" and saved.review.opinion == "同意，扣减一项"
    assert saved.review.scores == {"project.0.row.0": ReviewScore(Decimal("0.50"), "佐证材料不全")}
    assert saved.projects[0].indicators[0].override.score == Decimal("1")  # self-score untouched
    row = next(r for e, r in w.summary.rows if e.unit == "南关镇" and r.part == 0)
    assert (row.self_score, row.review_score, row.state) == (Decimal("83.73"), Decimal("83.23"), "已审核")


def test_double_click_opens_the_report_in_the_wizard(window):
    w = window
    w.filter_text.setText("县财政局")
    w.open_selected(w.proxy.index(0, 0))
    assert w.wizards and w.wizards[-1].doc.report.basic.department == "县财政局"
    w.wizards[-1].close()


def test_menu_action(qtbot):
    from ui.app import build

    main = build(None, recover=False)
    qtbot.addWidget(main)
    action = next(a for a in main.findChildren(type(main.menuBar().actions()[0])) if a.text() == "新建汇总…")
    action.trigger()
    assert main.summary_windows[-1].isVisible()
    main.summary_windows[-1].close()
