"""从绩效目标表导入 / 导出绩效目标表, for the 项目支出 step.

The preview lists every project field and indicator row old → new with the cell it came from,
then the 警告 (rows that could not be placed, 分值 that do not add up) and, apart, the projects
whose 分值 are the template's proposal, for the clerk to confirm.  导入 writes it all as one undo
step (``Document.set_many``), every filled value marked "imported" (tinted as imported)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox

from model.importers import targets

from .import_dialog import PreviewDialog


class TargetsPreviewDialog(PreviewDialog):
    def __init__(self, plan: targets.TargetsPlan, unit: str, parent=None):
        proposed = None
        if plan.proposed:
            proposed = QLabel("以下项目的目标表没有分值，导入后按模板规则的建议分值计分，请逐项确认：\n" + "\n".join(
                f"· {name}：{'；'.join(rows)}" for name, rows in plan.proposed.items()))
            proposed.setObjectName("targets_proposed")
            proposed.setWordWrap(True)
            proposed.setStyleSheet("color:#8a5300")
        result = plan.result
        super().__init__(result, unit, f"从绩效目标表导入：{result.source}", "找到：" + "；".join(result.found) + "。\n",
                         "targets", parent, proposed)


def import_targets(doc, path: str, parent=None, confirm=None) -> bool:
    """Preview ``path`` against the open report; on confirmation apply it as one undo step.
    ``confirm(dialog) -> bool`` shows the preview (``dialog.exec`` by default).  Raises TargetsError."""
    plan = targets.preview(path, doc.report, doc.template)
    if not targets.has_updates(doc.report, plan):
        return False
    dialog = TargetsPreviewDialog(plan, doc.unit, parent)
    if not (confirm or (lambda d: d.exec() == QDialog.Accepted))(dialog):
        return False
    doc.set_many(plan.values, plan.marks, "imported", "从绩效目标表导入")
    return True


def ask_import(page) -> bool:
    """The 从绩效目标表导入 button: choose a workbook, preview, apply; errors said in a message box."""
    path, _ = QFileDialog.getOpenFileName(page, "选择绩效目标表", "", "Excel 工作簿 (*.xlsx *.xls);;所有文件 (*)")
    if not path:
        return False
    try:
        done = import_targets(page.doc, path, page)
    except targets.TargetsError as e:
        QMessageBox.warning(page, "无法导入", str(e))
        return False
    if not done:
        QMessageBox.information(page, "无需导入", "报告中的目标与绩效目标表一致，或已取消导入。")
    return done


def ask_export(page) -> bool:
    """The 导出绩效目标表 button: choose where, write the xlsx (the layout 从绩效目标表导入 reads)."""
    from export.files import ExportError
    from export.targets import export_targets

    doc = page.doc
    folder = Path(doc.path).parent if doc.path else Path.home()
    default = folder / f"{doc.report.basic.department or '本单位'}{doc.report.fiscal_year or ''}绩效目标表.xlsx"
    path, _ = QFileDialog.getSaveFileName(page, "导出绩效目标表", str(default), "Excel 工作簿 (*.xlsx)")
    if not path:
        return False
    try:
        export_targets(doc.report, doc.template, path)
    except ExportError as e:
        QMessageBox.warning(page, "无法导出", str(e))
        return False
    QMessageBox.information(page, "已导出", f"已导出绩效目标表：{path}")
    return True
