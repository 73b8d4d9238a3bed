"""The open report: model object, file, undo stack, and the live score and checks.

Every edit goes through ``set``/``insert``/``remove``/``move`` (undoable
commands).  After each, ``changed`` fires and the score and problems are
recomputed at once — scoring is pure and fast, so there is no button and no
delay.  Widgets listen to ``changed`` and refresh what they show.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from model import edits, live, storage, templates
from model import filelock
from model.report import Report

from . import commands


BIG_REPORT_ROWS = 2000  # indicator rows of all projects: from here on the heap is settled after scoring


def _settle(report: Report) -> None:
    """Keep Python's cycle collector off a big report's objects.

    A 500-project report and its score are a few hundred thousand objects that live as long as the
    window shows them; each full pass of the collector walks all of them (about 60 ms), and one
    comes every so many allocations — an edit that happens to trigger it misses a frame, and
    inserting a project took 100 ms instead of 40.  Once the report is scored they are moved out of
    its way (``gc.freeze``); garbage left from before (a report closed in this window) is
    collected first (``gc.unfreeze`` + ``gc.collect``).  Objects dropped later are still freed by
    reference counting (a report is a tree of dataclasses, a ScoreResult holds no cycles)."""
    import gc

    if sum(len(p.indicators) for p in report.projects) < BIG_REPORT_ROWS:
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Document(QObject):
    changed = Signal(str)  # path of the edit ("" = everything, e.g. after open)
    structure_changed = Signal(str)  # a list changed (rows added/removed/moved)
    scored = Signal()
    file_changed = Signal()  # path or modified flag

    def __init__(self, report: Report, path: str | None = None, parent=None,
                 fingerprint: storage.Fingerprint | None = None, base: dict | bytes | None = None):
        super().__init__(parent)
        self.report = report
        self.path = Path(path) if path else None
        self._init_file(fingerprint, base)
        self.template = templates.get(report.template_id)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.result = None
        self.problems: list = []
        self._live: live.Live | None = None
        self.rescore()

    def _clean_changed(self, _clean: bool):
        self.file_changed.emit()

    # ------------------------------------------------------------ reading
    def get(self, path: str):
        return edits.get_at(self.report, path)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def unit(self) -> str:
        return self.report.display_unit

    # ------------------------------------------------------------ editing
    def set(self, path: str, value, text: str = "修改"):
        if self.get(path) == value:
            return
        self.undo_stack.push(commands.SetValue(self, path, value, text))

    def insert(self, list_path: str, index: int, item, text: str = "添加"):
        self.undo_stack.push(commands.InsertItem(self, list_path, index, item, text))

    def remove(self, list_path: str, index: int, text: str = "删除"):
        self.undo_stack.push(commands.RemoveItem(self, list_path, index, text))

    def set_many(self, values: list[tuple[str, object]], marks: list[str], source: str, text: str = "导入",
                 precision: dict | None = None):
        """Write many fields as one undo step; ``marks`` get ``source`` (imported / carried) as provenance,
        ``precision`` (path → 元) goes to Report.source_precision."""
        self.undo_stack.push(commands.SetMany(self, values, marks, source, text, precision))

    def move(self, list_path: str, src: int, dst: int, text: str = "移动"):
        self.undo_stack.push(commands.MoveItem(self, list_path, src, dst, text))

    def macro(self, text: str):
        """``with doc.macro("粘贴"):`` groups edits into one undo step."""
        doc = self

        class _Macro:
            def __enter__(self):
                doc.undo_stack.beginMacro(text)

            def __exit__(self, *exc):
                doc.undo_stack.endMacro()

        return _Macro()

    def touched(self, path: str, structure: bool = False):
        """Called by commands after they change the report: rescore what the edit can change
        (model.live: one project, or the department part, or the projects that moved)."""
        if self._live is None:
            self.rescore()
        else:
            self._live.edited(path)
            self._scored()
        if structure:
            self.structure_changed.emit(path)
        self.changed.emit(path)

    def rescore(self, only_project: int | None = None):
        """Score and check the whole report (after open); ``only_project``: that project only."""
        if self._live is None or only_project is None:
            self._live = live.Live(self.report, self.template)
            _settle(self.report)
        else:
            self._live.edited(f"projects[{only_project}].")
        self._scored()

    def _scored(self):
        self.result = self._live.result
        self.problems = self._live.problems
        self.scored.emit()

    # ------------------------------------------------------------ files
    @classmethod
    def open(cls, path: str | Path, parent=None) -> "Document":
        """Read ``path`` and remember its fingerprint (to notice other writers) and its content (to tell
        who changed what).  Raises StorageError / TemplateError with the message for the clerk."""
        report, fingerprint, raw = storage.load_with_fingerprint(path)
        return cls(report, path, parent, fingerprint=fingerprint, base=raw)

    def _init_file(self, fingerprint, base):
        """What this window knows of its file: the fingerprint of the version read or last saved, that
        version's content (``base``: its bytes, read only when needed; None when unknown, e.g. restored
        after a crash), the lock."""
        if fingerprint is None and self.path is not None:
            try:
                fingerprint = storage.Fingerprint.of(self.path)
            except storage.StorageError:
                fingerprint = None
        self.fingerprint = fingerprint
        self.base = base
        self.read_only = False  # opened 只读 (someone else has it open): saving asks for 另存为
        self.lock: filelock.FileLock | None = None
        self.want_lock = False  # opened anyway beside another window: take the lock once it is free
        self._lock_timer = QTimer(self)
        self._lock_timer.timeout.connect(self._renew_lock)
        self._lock_timer.start(int(filelock.RENEW_EVERY.total_seconds() * 1000))

    @property
    def base(self) -> dict | None:
        """``storage.to_data`` of the file as read or last saved (None when unknown): what 比较差异 and
        合并后保存 compare both sides with.  Kept as bytes until a conflict needs it."""
        if isinstance(self._base, bytes):
            self._base = storage.content_data(self._base)
        return self._base

    @base.setter
    def base(self, value: dict | bytes | None):
        self._base = value

    def is_own_file(self, path: str | Path | None) -> bool:
        if path is None or self.path is None:
            return False
        path = Path(path)
        if path == self.path:
            return True
        try:
            return path.resolve() == self.path.resolve() or (path.exists() and self.path.exists()
                                                             and path.samefile(self.path))
        except OSError:
            return False

    def disk_changed(self) -> storage.Fingerprint | None:
        """The file's fingerprint when someone else has written it since we read or saved it, else None."""
        if self.path is None:
            return None
        return storage.changed_on_disk(self.fingerprint, self.path)

    def save(self, path: str | Path | None = None, overwrite: bool = False):
        """Save to ``path`` (default: our file).  Over our own file, first check that nobody else wrote it
        since we read it: if so raise storage.FileChangedError (unless ``overwrite``, the clerk's choice).
        Other failures raise StorageError with the message for the clerk."""
        target = Path(path) if path else self.path
        own = self.is_own_file(target)
        if own and not overwrite:
            if self.read_only:
                raise storage.StorageError(f"“{target.name}”是以只读方式打开的（另一个窗口或另一台电脑正在编辑），"
                                           "不能直接保存。请用“另存为”保存到其他文件。")
            current = self.disk_changed()
            if current is not None:
                raise storage.FileChangedError(target, current)
        # raises StorageError with the message for the clerk
        self.fingerprint, self.base = storage.save_with_content(self.report, target)
        if not own:  # saved as another file: that one is now ours to lock; the old one is let go
            self.release_lock()
            self.read_only = False
        self.path = target
        if not own:
            self.claim_lock()
        else:
            self._renew_lock()
        self.undo_stack.setClean()
        self.file_changed.emit()

    # ------------------------------------------------------------ the lock file
    @property
    def lock_held(self) -> bool:
        return self.lock is not None and self.lock.held

    def lock_owner(self) -> filelock.LockInfo | None:
        """Another window (here or on another PC) that has our file open now, else None."""
        if self.path is None:
            return None
        return (self.lock or filelock.FileLock(self.path)).owner()

    def claim_lock(self) -> filelock.LockInfo | None:
        """Lock our file; returns the other window's lock when it is open elsewhere (then not locked).
        A folder where no lock can be written is no obstacle (``lock.error`` says why)."""
        if self.path is None or self.read_only:
            return None
        if self.lock is None or self.lock.report_path != self.path:
            self.lock = filelock.FileLock(self.path)
        other = self.lock.acquire()
        self.want_lock = other is not None
        return other

    def take_lock_from(self, other: "Document") -> bool:
        """A reload of the same file keeps the window's lock."""
        if other is not self and other.lock_held and self.is_own_file(other.path) and not self.lock_held:
            self.lock, other.lock = other.lock, None
            return True
        return False

    def release_lock(self):
        self.want_lock = False
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _renew_lock(self):
        if self.lock_held:
            self.lock.renew()
        elif self.want_lock and not self.read_only:
            self.claim_lock()

    @property
    def title(self) -> str:
        name = self.path.name if self.path else f"未命名 - {self.report.basic.department or '新报告'}"
        return f"{name}{'（只读）' if self.read_only else ''}{' *' if self.modified else ''}"
