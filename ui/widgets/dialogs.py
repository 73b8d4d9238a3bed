"""Pieces every dialog of the app shares."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox


def ok_cancel(dialog: QDialog, ok_text: str = "确定") -> QDialogButtonBox:
    """确定/取消 buttons (labelled in Chinese whatever Qt's translation) wired to ``dialog``'s accept/reject."""
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.button(QDialogButtonBox.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def ask_unit(parent, text: str, unit: str, doubt: str) -> str | None:
    """“40,529,800.00” typed in a 万元 report (or “4052.9800” in a 元 one): which unit was meant?
    Returns the unit to read it in, or None when the clerk cancels."""
    from PySide6.QtWidgets import QMessageBox

    from model.money import UNIT_LABELS, format_amount, parse_amount

    def reading(u: str) -> str:
        try:
            value = parse_amount(f"{text}{'万' if u == 'wan' else '元'}")
        except ValueError as e:
            return f"（无法按{UNIT_LABELS[u]}理解：{e}）"
        return f"{format_amount(value, 'wan')} 万元（{format_amount(value)} 元）"

    box = QMessageBox(QMessageBox.Question, "确认金额单位",
                      f"本报告的金额单位是{UNIT_LABELS[unit]}，“{text}”看起来是按{UNIT_LABELS[doubt]}填写的。\n\n"
                      f"按{UNIT_LABELS[doubt]}理解：{reading(doubt)}\n按{UNIT_LABELS[unit]}理解：{reading(unit)}", parent=parent)
    as_doubt = box.addButton(f"按{UNIT_LABELS[doubt]}理解", QMessageBox.AcceptRole)
    as_unit = box.addButton(f"按{UNIT_LABELS[unit]}理解", QMessageBox.AcceptRole)
    box.addButton("取消", QMessageBox.RejectRole)
    box.setDefaultButton(as_doubt)
    box.exec()
    return {as_doubt: doubt, as_unit: unit}.get(box.clickedButton())
