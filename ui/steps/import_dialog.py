"""从决算表导入: preview every change (old → new) and the cross-checks, apply on confirmation.

Reading the workbook is the slow part: the 收支情况 step does it in a worker thread
(``ui.worker``) against a copy of the report, then ``apply_preview`` shows the preview and
applies it on the GUI thread.  ``import_final_accounts`` does both at once (tests, scripts)."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
)

from model import edits
from model.importers import final_accounts as fa
from model.importers.common import describe, problem_line
from model.report import UnitFinance

from ..widgets.dialogs import ok_cancel


class PreviewDialog(QDialog):
    """An import's preview: every change old → new with its 来源 (the sheet, cell and unit it was read from,
    so the clerk can look it up), ``notice`` (a widget, or None), then what the checks found; 导入 applies.
    Child names start with ``name``: ``<name>_changes``, ``<name>_problems``."""

    def __init__(self, result, unit: str, title: str, intro: str, name: str, parent=None, notice=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(960, 640)
        lay = QVBoxLayout(self)
        heading = QLabel(f"{intro}下列 {len(result.changes)} 项将被更新（可用 Ctrl+Z 一次撤销）：")
        heading.setWordWrap(True)
        lay.addWidget(heading)
        table = QTableWidget(len(result.changes), 4)
        table.setObjectName(f"{name}_changes")
        table.setHorizontalHeaderLabels(["项目", "原值", "新值", "来源"])
        table.setEditTriggers(QTableWidget.NoEditTriggers)
        for r, ch in enumerate(result.changes):
            for c, text in enumerate((ch.label, describe(ch.old, unit), describe(ch.new, unit), ch.source)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a long 年度总体目标 or 来源 shows whole on hover
                table.setItem(r, c, item)
        # values and sources as wide as they are, up to a third of the dialog each; the names take the rest
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        for col in (1, 2, 3):
            header.resizeSection(col, min(header.sectionSize(col), self.width() // 3))
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        lay.addWidget(table, 1)
        if notice is not None:
            lay.addWidget(notice)
        if result.problems:
            lay.addWidget(QLabel("核对发现："))
            notes = QTextEdit()
            notes.setObjectName(f"{name}_problems")
            notes.setReadOnly(True)
            notes.setPlainText("\n".join(problem_line(p) for p in result.problems))
            notes.setMaximumHeight(160)
            lay.addWidget(notes)
        lay.addWidget(ok_cancel(self, "导入"))


class ImportPreviewDialog(PreviewDialog):
    def __init__(self, result, unit: str, parent=None):
        super().__init__(result, unit, f"从决算表导入：{result.source}", f"找到 {len(result.found)} 张决算表。",
                         "import", parent)


def import_final_accounts(doc, path: str, parent=None, confirm=None) -> bool:
    """Preview ``path`` against the open report; on confirmation apply it as one undo step.

    ``confirm(dialog) -> bool`` shows the preview (``dialog.exec`` by default).
    Unreadable files raise FinalAccountsError with the sheet/row/cell message; nothing changes.
    """
    return apply_preview(doc, fa.preview(path, doc.report), parent, confirm, path)


def apply_preview(doc, result, parent=None, confirm=None, path: str = "") -> bool:
    """Show ``result`` (``fa.preview`` of the workbook, perhaps made from a copy of the report while the
    clerk went on typing) and apply it on confirmation.  The old values are read again from the report
    as it is now; if the report got its first unit meanwhile, the preview is made again from ``path``."""
    if result.create_unit and doc.report.finance.units and path:
        result = fa.preview(path, doc.report)
    result = _as_now(doc.report, result)
    if not fa.has_updates(doc.report, result):
        return False
    dialog = ImportPreviewDialog(result, doc.unit, parent)
    accepted = (confirm or (lambda d: d.exec() == QDialog.Accepted))(dialog)
    if not accepted:
        return False
    marks = fa.imported_paths(result, doc.report)
    values = [("finance.units", [UnitFinance(name=result.create_unit)])] if result.create_unit else []
    values += [(ch.path, ch.new) for ch in result.changes]
    doc.set_many(values, marks, "imported", "从决算表导入", precision=result.precision)
    return True


def _as_now(report, result):
    """``result`` with each change's old value as the report holds it now."""
    changes, unchanged = [], list(result.unchanged)
    for ch in result.changes:
        try:
            old = edits.get_at(report, ch.path)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            old = ch.old  # a field of a unit still to be created
        if old == ch.new:
            unchanged.append(ch.path)
        else:
            changes.append(replace(ch, old=old))
    return replace(result, changes=changes, unchanged=unchanged)
