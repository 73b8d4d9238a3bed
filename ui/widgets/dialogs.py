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
