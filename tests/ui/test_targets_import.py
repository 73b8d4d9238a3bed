"""项目支出 → 从绩效目标表导入 through the real window: preview, one undo step, redo; 导出绩效目标表."""
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QPushButton, QTableWidget

from model import storage
from model.report import Report
from ui.app import build
from ui.models.table import CARRIED_BG
from ui.steps import targets_dialog
from ui.steps.projects import ProjectsPage

XLS = Path(__file__).resolve().parent.parent / "importers" / "targets_data" / "split.xls"


def _projects_page(qtbot, tmp_path):
    path = tmp_path / "空白.jxzp.json"
    storage.save(Report(template_id="mof-project-2020", fiscal_year=2022), path)
    window = build(str(path), recover=False)
    qtbot.addWidget(window)
    window.show()
    row = next(i for i, p in enumerate(window.pages) if isinstance(p, ProjectsPage))
    window.steps.setCurrentRow(row)
    return window, window.pages[row]


def test_import_through_the_projects_step_undo_redo(qtbot, tmp_path, monkeypatch):
    window, page = _projects_page(qtbot, tmp_path)
    shown = []

    def accept(dialog):
        shown.append(dialog)
        return QDialog.Accepted

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(XLS), ""))
    monkeypatch.setattr(targets_dialog.TargetsPreviewDialog, "exec", accept)
    qtbot.mouseClick(page.findChild(QPushButton, "import_targets"), Qt.LeftButton)
    table = shown[0].findChild(QTableWidget, "targets_changes")
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "2021-2022年度雨露计划项目：产出指标／数量指标／资助学生数量" in labels
    assert shown[0].findChild(QLabel, "targets_proposed") is None  # the table has its 分值
    doc = window.doc
    assert page.list.count() == 4 and len(doc.report.projects) == 4
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText() == "从绩效目标表导入"
    page.list.setCurrentRow(2)
    model = page.editor.rows_model
    target = next(i for i, c in enumerate(model.columns) if c.attr == "target")
    assert model.data(model.index(0, target)) == "1734人"
    assert model.data(model.index(0, target), Qt.BackgroundRole) == CARRIED_BG  # tinted as imported
    assert doc.result.projects[2].execution.unanswered  # only the 执行数 and actuals are left to type

    doc.undo_stack.undo()
    assert doc.report.projects == [] and page.list.count() == 0 and doc.report.provenance == {}
    doc.undo_stack.redo()
    assert len(doc.report.projects) == 4 and page.list.count() == 4
    assert doc.report.provenance["projects[2].indicators[0].target"] == "imported"


def test_export_button_writes_what_the_import_reads(qtbot, tmp_path, monkeypatch):
    window, page = _projects_page(qtbot, tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(XLS), ""))
    monkeypatch.setattr(targets_dialog.TargetsPreviewDialog, "exec", lambda d: QDialog.Accepted)
    page.import_targets()
    out = tmp_path / "目标.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(page.findChild(QPushButton, "export_targets"), Qt.LeftButton)
    assert out.exists()
    from model.importers import targets

    plan = targets.preview(out, window.doc.report, window.doc.template)
    assert plan.values == [] and plan.result.changes == []
