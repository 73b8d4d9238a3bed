"""Dialogs for a report that someone else has open or has written.

* 文件已被修改 — before a save, the file on disk is not the version this window
  read: 重新载入 / 比较差异 / 合并后保存 (when the two sides changed different
  fields) / 另存为 / 仍然覆盖 / 取消.
* 报告已被打开 — at open, a live lock file says another window or PC has it:
  只读打开 / 仍然打开 / 取消.

The window calls ``ask_file_changed`` / ``ask_locked`` / ``confirm_reload``;
tests replace those functions to answer.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from model import field_labels, merge, storage
from model.filelock import LockInfo

RELOAD, MERGE, SAVE_AS, OVERWRITE, CANCEL = "reload", "merge", "save_as", "overwrite", "cancel"
READ_ONLY, OPEN = "read_only", "open"

OURS, THEIRS, BOTH = "本窗口", "对方", "双方都改了"


def differences(doc, theirs, ours_data=None, theirs_data=None) -> list[tuple[str, str, str, str]]:
    """(field name, ours, theirs, who changed it) for every field where our report and the disk's differ;
    who is "" when the version we read is unknown.  ``*_data``: their ``storage.to_data``, if at hand."""
    ours_data = storage.to_data(doc.report) if ours_data is None else ours_data
    theirs_data = storage.to_data(theirs) if theirs_data is None else theirs_data
    rows = storage.diff(ours_data, theirs_data)
    ours_changed = theirs_changed = None
    if doc.base is not None:
        ours_changed = {p for p, _, _ in storage.diff(doc.base, ours_data)}
        theirs_changed = {p for p, _, _ in storage.diff(doc.base, theirs_data)}
    out = []
    for path, ours, their in rows:
        named_by = theirs if ours is None and isinstance(their, dict) else doc.report  # an item only the disk has
        name = field_labels.label(path, named_by, doc.template)
        who = ""
        if ours_changed is not None:
            mine, other = merge.touches(path, ours_changed), merge.touches(path, theirs_changed)
            who = BOTH if mine and other else OURS if mine else THEIRS if other else ""
        out.append((name, field_labels.show(ours), field_labels.show(their), who))
    return out


def _mtime(fp: storage.Fingerprint | None) -> str:
    if fp is None or not fp.mtime_ns:
        return ""
    t = datetime.fromtimestamp(fp.mtime_ns / 1e9)
    return f"（磁盘上的版本保存于 {t:%m月%d日 %H:%M}）" if t.date() != datetime.now().date() else f"（磁盘上的版本保存于 {t:%H:%M}）"


class FileChangedDialog(QDialog):
    """文件已被修改: what to do instead of silently overwriting someone else's save."""

    def __init__(self, parent, doc, theirs, error: str = "", current: storage.Fingerprint | None = None):
        super().__init__(parent)
        self.doc, self.theirs = doc, theirs
        self._data = (storage.to_data(doc.report), storage.to_data(theirs)) if theirs is not None else (None, None)
        self.choice = CANCEL
        self.setWindowTitle("文件已被修改")
        name = doc.path.name if doc.path else ""
        lay = QVBoxLayout(self)
        text = (f"“{name}”在您打开之后已被修改{_mtime(current)}，可能是另一个窗口、另一台电脑或导入决算命令保存的。"
                "直接保存会覆盖对方的修改。\n\n"
                "重新载入：放弃本窗口未保存的修改，改为磁盘上的版本；\n"
                "比较差异：列出两边不同的栏目，看清再决定；\n"
                "合并后保存：两边改的不是同一栏目时，把对方的修改并入本窗口再保存，两边的修改都保留；\n"
                "另存为：把本窗口的内容存为另一个文件，两份都保留；\n"
                "仍然覆盖：用本窗口的内容覆盖磁盘上的版本（对方的修改只留在 .bak 备份文件中）。")
        if error:
            text += f"\n\n磁盘上的文件现在无法读取，不能重新载入或比较：{error}"
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["栏目", "本窗口", "磁盘上的文件", "谁改的"])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.setVisible(False)
        self.summary = QLabel()
        self.summary.setVisible(False)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label in ((RELOAD, "重新载入"), ("diff", "比较差异"), (MERGE, "合并后保存"), (SAVE_AS, "另存为…"),
                           (OVERWRITE, "仍然覆盖"), (CANCEL, "取消")):
            button = QPushButton(label)
            button.setAutoDefault(False)
            self.buttons[key] = button
            buttons.addWidget(button)
            if key == "diff":
                button.clicked.connect(self.show_differences)
            else:
                button.clicked.connect(lambda _=False, k=key: self._choose(k))
        if theirs is None:
            self.buttons[RELOAD].setEnabled(False)
            self.buttons["diff"].setEnabled(False)
        self.clashes = self._merge_clashes()
        self.buttons[MERGE].setEnabled(self.clashes == [])
        if self.clashes:
            names = "、".join(field_labels.label(p, doc.report, doc.template) for p in self.clashes[:3])
            self.buttons[MERGE].setToolTip(f"两边改了同一部分（{names}{'等' if len(self.clashes) > 3 else ''}），"
                                           "不能自动合并：请比较差异后选择。")
        elif self.clashes is None:
            self.buttons[MERGE].setToolTip("不知道本窗口打开时的版本（例如从自动恢复的文件恢复），不能自动合并。")
        self.buttons[CANCEL].setDefault(True)
        lay.addLayout(buttons)
        self.resize(640, 260)

    def _merge_clashes(self) -> list[str] | None:
        """Parts both sides changed ([] = can merge); None when it cannot be known."""
        if self.theirs is None or self.doc.base is None:
            return None
        return merge.plan(self.doc.base, self.doc.report, self.theirs, *self._data)[1]

    def _choose(self, key: str):
        self.choice = key
        self.accept() if key != CANCEL else self.reject()

    def show_differences(self):
        rows = differences(self.doc, self.theirs, *self._data)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        mine = sum(1 for *_, who in rows if who in (OURS, BOTH))
        other = sum(1 for *_, who in rows if who in (THEIRS, BOTH))
        if not rows:
            text = "两边内容相同（对方保存的与本窗口一致），可以放心覆盖。"
        elif self.doc.base is None:
            text = f"共 {len(rows)} 处不同。"
        else:
            text = f"共 {len(rows)} 处不同：本窗口改了 {mine} 处，对方改了 {other} 处。"
            if other and self.clashes == []:
                text += "两边改的不是同一栏目：选“合并后保存”，两边的修改都保留。"
            elif other:
                text += ("选“仍然覆盖”会丢掉对方的修改；要两边都保留，请先“另存为”，"
                         "再重新打开原文件把本窗口的修改补上。")
        self.summary.setText(text)
        self.summary.setVisible(True)
        self.table.setVisible(True)
        self.buttons["diff"].setEnabled(False)
        self.resize(max(self.width(), 900), max(self.height(), 520))


def ask_file_changed(parent, doc, theirs, error: str = "", current=None) -> str:
    """RELOAD / MERGE / SAVE_AS / OVERWRITE / CANCEL."""
    dialog = FileChangedDialog(parent, doc, theirs, error, current)
    dialog.exec()
    return dialog.choice


def confirm_reload(parent, doc) -> bool:
    if not doc.modified:
        return True
    answer = QMessageBox.question(
        parent, "放弃修改并重新载入",
        "重新载入会放弃本窗口中尚未保存的修改，改为显示磁盘上的版本。\n\n要继续吗？"
        "（想保留这些修改，请选“否”，再用“另存为”存成另一个文件。）",
        QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    return answer == QMessageBox.Yes


def locked_text(path: Path, owner: LockInfo) -> str:
    where = "本机另一个窗口中" if owner.same_host() else f" {owner.host} "
    return (f"此报告已由 {owner.user} 在{where}于 {owner.when()} 打开（“{Path(path).name}”）。"
            "两处同时修改时，后保存的会覆盖先保存的（本软件保存时会提示）。\n\n"
            "只读打开：只查看；修改后须“另存为”其他文件。\n"
            "仍然打开：照常编辑，请先与对方商量好由谁修改。\n"
            "取消：不打开。")


def locked_box(parent, path: Path, owner: LockInfo) -> tuple[QMessageBox, dict]:
    box = QMessageBox(QMessageBox.Warning, "报告已被打开", locked_text(path, owner), parent=parent)
    buttons = {READ_ONLY: box.addButton("只读打开", QMessageBox.AcceptRole),
               OPEN: box.addButton("仍然打开", QMessageBox.DestructiveRole),
               CANCEL: box.addButton("取消", QMessageBox.RejectRole)}
    box.setDefaultButton(buttons[READ_ONLY])
    box.setEscapeButton(buttons[CANCEL])
    return box, buttons


def ask_locked(parent, path: Path, owner: LockInfo) -> str:
    """READ_ONLY / OPEN / CANCEL."""
    box, buttons = locked_box(parent, path, owner)
    box.exec()
    clicked = box.clickedButton()
    return next((key for key, button in buttons.items() if button is clicked), CANCEL)


def ask_save_as_read_only(parent, doc) -> bool:
    """A read-only report cannot be saved over: offer 另存为."""
    answer = QMessageBox.question(
        parent, "只读打开的报告",
        f"“{doc.path.name}”是以只读方式打开的（另一个窗口或另一台电脑正在编辑它），不能直接保存。\n\n"
        "要把本窗口的内容另存为其他文件吗？",
        QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Yes)
    return answer == QMessageBox.Yes


def ask_overwrite_locked(parent, path: Path, owner: LockInfo) -> bool:
    """Save as over a report that another window has open."""
    answer = QMessageBox.question(
        parent, "报告已被打开",
        f"“{Path(path).name}”正由 {owner.user} 在{'本机另一个窗口中' if owner.same_host() else f' {owner.host} '}"
        f"于 {owner.when()} 打开。覆盖它，对方保存时会被提示文件已被修改。\n\n仍然保存到这个文件吗？",
        QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    return answer == QMessageBox.Yes
