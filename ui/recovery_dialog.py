"""At start-up: every recovery file left by a window that is no longer running, one checkbox each.

恢复所选 opens each checked report (each in its own window); 暂不处理 keeps them all for the next
start; 删除所选 deletes only the checked ones, after a confirmation; 移到损坏文件夹 moves checked
unreadable ones to ``recovery/damaged/`` (kept, no longer offered).  The dialog only chooses:
``ui.app.offer_recovery`` does what was chosen.  Tests replace ``ask``.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from model.recovery import DAMAGED, Entry

RESTORE, DELETE, MOVE, LATER = "restore", "delete", "move", "later"
COLUMNS = ("报告（单位）", "状态", "保存时间", "模板", "原文件")
STATUS = 1


class RecoveryDialog(QDialog):
    def __init__(self, entries: list[Entry], folder: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("恢复未保存的修改")
        self.entries = list(entries)
        self.action = LATER
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"上次软件没有正常关闭（可能是断电或死机），留下了 {len(entries)} 份自动保存的修改。\n"
            "勾选要恢复的报告后点“恢复所选”，每份在自己的窗口中打开；恢复后请保存（Ctrl+S）。"
            "“暂不处理”把它们全部留到下次启动。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setObjectName("recovery_list")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        for entry in self.entries:
            self.tree.addTopLevelItem(self._item(entry))
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(column)
        header.setStretchLastSection(True)
        self.tree.itemChanged.connect(lambda *_: self._enable())
        self.tree.currentItemChanged.connect(self._show_detail)
        layout.addWidget(self.tree, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.detail)
        if any(not e.readable for e in self.entries):
            note = QLabel(f"标为“无法读取”的文件不能恢复。勾选后点“移到损坏文件夹”，文件会移到“{folder or '恢复文件夹'}"
                          f"/{DAMAGED}”保存起来（不会删除），以后启动不再列出。")
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QHBoxLayout()
        self.restore_button = self._button(buttons, "恢复所选", RESTORE)
        self.move_button = self._button(buttons, "移到损坏文件夹", MOVE)
        self.move_button.setVisible(any(not e.readable for e in self.entries))
        self.delete_button = self._button(buttons, "删除所选…", DELETE)
        buttons.addStretch(1)
        self.later_button = self._button(buttons, "暂不处理", LATER)
        layout.addLayout(buttons)
        self.restore_button.setDefault(True)
        self.resize(960, 380)
        self._enable()
        if self.entries:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def _item(self, entry: Entry) -> QTreeWidgetItem:
        who = entry.department or ("未命名报告" if entry.readable or not entry.files else entry.files[0].name)
        if entry.fiscal_year:
            who = f"{who}（{entry.fiscal_year} 年度）"
        item = QTreeWidgetItem([who, "可以恢复" if entry.readable else "无法读取", entry.saved_text,
                                entry.template_text, entry.original or ("（尚未保存过）" if entry.readable else "—")])
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(0, Qt.Checked if entry.readable else Qt.Unchecked)
        item.setToolTip(STATUS, self.status_text(entry))
        item.setToolTip(4, entry.original)
        item.setForeground(STATUS, QBrush(QColor("#2e7d32" if entry.readable else "#c62828")))
        return item

    @staticmethod
    def status_text(entry: Entry) -> str:
        return "可以恢复" if entry.readable else f"无法读取：{entry.error}"

    def _button(self, row: QHBoxLayout, text: str, action: str) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self._finish(action))
        row.addWidget(button)
        return button

    def checked(self) -> list[Entry]:
        return [e for i, e in enumerate(self.entries) if self.tree.topLevelItem(i).checkState(0) == Qt.Checked]

    def set_checked(self, entries: list[Entry]) -> None:
        for i, e in enumerate(self.entries):
            self.tree.topLevelItem(i).setCheckState(0, Qt.Checked if e in entries else Qt.Unchecked)

    def chosen(self) -> list[Entry]:
        """What the pressed button acts on: 恢复 the readable checked, 移走 the unreadable checked."""
        if self.action == RESTORE:
            return [e for e in self.checked() if e.readable]
        if self.action == MOVE:
            return [e for e in self.checked() if not e.readable]
        if self.action == DELETE:
            return self.checked()
        return []

    def _enable(self) -> None:
        checked = self.checked()
        self.restore_button.setEnabled(any(e.readable for e in checked))
        self.move_button.setEnabled(any(not e.readable for e in checked))
        self.delete_button.setEnabled(bool(checked))

    def _show_detail(self, item, _previous=None) -> None:
        if item is None:
            self.detail.clear()
            return
        entry = self.entries[self.tree.indexOfTopLevelItem(item)]
        where = "、".join(str(p) for p in entry.files)
        self.detail.setText(f"{self.status_text(entry)}\n自动保存文件：{where}")

    def _finish(self, action: str) -> None:
        self.action = action
        if action == LATER:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:  # Esc / window close = 暂不处理: nothing is touched
        self.action = LATER
        super().reject()


def ask(parent, entries: list[Entry], folder: str = "") -> tuple[str, list[Entry]]:
    """Show the list; returns (RESTORE / DELETE / MOVE / LATER, the entries that action is for)."""
    dialog = RecoveryDialog(entries, folder, parent)
    dialog.exec()
    return dialog.action, dialog.chosen()
