"""Autosave to a recovery file in the user's data folder, never over the user's own file.

Each running window writes ONE file, ``recovery/<id>.recovery.json`` (the report with its
description inside, written atomically; format in ``model.recovery``) and holds an OS lock on
``<id>.lock`` while it runs.  A clean exit removes both; a crash or power cut leaves them, and
the next start lists them (``ui.app.offer_recovery``).

When the file cannot be written (data folder read-only, disk full) the window says so: a red
note in the status bar with what to do, and “（未自动保存）” before the window title, until an
autosave succeeds again (or the clerk saves the report, or there is nothing unsaved).
"""
from __future__ import annotations

import errno
import time
import uuid
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from model import recovery, storage
from model.paths import user_data_dir

INTERVAL_MS = 60_000
TITLE_MARK = "（未自动保存）"


def recovery_dir() -> Path:
    return user_data_dir() / "recovery"


def pending() -> list[recovery.Entry]:
    """Recovery files left by windows that are no longer running, newest first (unreadable ones included)."""
    return recovery.scan(recovery_dir())


def discard_entry(entry: recovery.Entry) -> None:
    recovery.discard(entry)


def _reason(error: Exception) -> str:
    """A short Chinese reason for a failed autosave (the OSError behind a StorageError, if any)."""
    cause = error if isinstance(error, OSError) else error.__context__
    code = getattr(cause, "errno", None)
    if code == errno.ENOSPC:
        return "磁盘已满"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"用户数据文件夹不可写（{recovery_dir()}）"
    if code in (errno.ENOTDIR, errno.EEXIST, errno.ENOENT):
        return f"无法在“{recovery_dir()}”建立恢复文件"
    detail = getattr(cause, "strerror", None) or str(error)
    return f"无法写入恢复文件（{detail}）"


class Autosave(QObject):
    failed = Signal(str)  # the message shown to the clerk; "" once autosave works again

    def __init__(self, get_doc, interval_ms: int = INTERVAL_MS, parent=None):
        super().__init__(parent)
        self.get_doc = get_doc
        self.id = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.save_now)
        self.timer.start(interval_ms)
        self.last_error = ""  # the full error of the last failed autosave
        self.message = ""  # what the status bar says while autosave fails
        self.adopted: list[recovery.Entry] = []  # restored from these: deleted once our own file is written
        self._lock = recovery.OwnerLock(recovery_dir() / f"{self.id}{recovery.LOCK}")
        self._adopted_locks: list[recovery.OwnerLock] = []
        self._label: QLabel | None = None
        self._window = parent if isinstance(parent, QMainWindow) else None
        if self._window is not None:
            self._window.windowTitleChanged.connect(self._mark_title)

    @property
    def data_path(self) -> Path:
        return recovery_dir() / f"{self.id}{recovery.SUFFIX}"

    def adopt(self, entry: recovery.Entry) -> None:
        """This window now carries ``entry``'s edits: keep it for others' start-up until our own file is written."""
        self.adopted.append(entry)
        lock = recovery.OwnerLock(recovery_dir() / f"{entry.id}{recovery.LOCK}")
        if lock.acquire():
            self._adopted_locks.append(lock)

    def save_now(self) -> bool:
        doc = self.get_doc()
        if doc is None or not doc.modified:
            self._set_failed("")  # nothing unsaved: nothing to warn about
            return False
        try:
            recovery_dir().mkdir(parents=True, exist_ok=True)
            self._lock.acquire()  # a folder without locks still gets the file (pid + start time decide then)
            meta = recovery.meta_for(doc.report, str(doc.path or ""), getattr(doc, "fingerprint", None))
            data = recovery.dumps(doc.report, meta)
            storage.atomic_write(self.data_path, data, backup=False)
        except (storage.StorageError, OSError) as e:
            self.last_error = str(e)
            self._set_failed(f"自动保存失败：{_reason(e)}。请尽快保存（Ctrl+S），或另存到其他位置（如 U 盘）。")
            return False
        self.last_error = ""
        self._set_failed("")
        self._drop_adopted()
        return True

    def discard(self) -> None:
        """The clerk saved or closed: the recovery file is no longer needed."""
        try:
            self.data_path.unlink()
        except OSError:
            pass
        self._lock.release()
        self._drop_adopted()
        self._set_failed("")

    def _drop_adopted(self) -> None:
        for lock in self._adopted_locks:
            lock.release(remove=False)
        self._adopted_locks = []
        for entry in self.adopted:
            recovery.discard(entry)
        self.adopted = []

    # ------------------------------------------------------------ shown in the window
    def _set_failed(self, message: str) -> None:
        if message == self.message:
            return
        self.message = message
        window = self._window
        if window is not None:
            if message and self._label is None:
                self._label = QLabel()
                self._label.setObjectName("autosave_status")
                self._label.setStyleSheet("color: #c62828;")
                self._label.setWordWrap(False)
                window.statusBar().addPermanentWidget(self._label)
            if self._label is not None:
                self._label.setText(message)
                self._label.setToolTip(self.last_error)
                self._label.setVisible(bool(message))
            self._mark_title(window.windowTitle())
        self.failed.emit(message)

    def _mark_title(self, title: str) -> None:
        marked = title.startswith(TITLE_MARK)
        if self.message and not marked:
            self._window.setWindowTitle(TITLE_MARK + title)
        elif not self.message and marked:
            self._window.setWindowTitle(title.removeprefix(TITLE_MARK))
