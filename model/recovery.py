"""Recovery files (autosave after a crash): the file format, who still owns one, and what can be restored.

Each running window autosaves to ONE file, ``recovery/<id>.recovery.json``, written atomically::

    {"format": "jxzp-recovery", "version": 1,
     "meta": {"original": …, "department": …, "template_id": …, "fiscal_year": …,
              "saved_at": "2026-11-24T10:00:00", "pid": 1234, "started": 1764000000.0},
     "report": {"format": "jxzp-report", "schema_version": N, "report": {…}}}

so a power cut can never leave a report without its description (older versions wrote
``<id>.jxzp.json`` and ``<id>.meta.json`` one after the other; those are still read).

Whose is it: the window holds an OS lock on ``<id>.lock`` (``flock`` / ``msvcrt.locking``) for as long
as it runs; the lock dies with the process, so a free lock means a crashed window.  Without a lock
file (older versions) the pid is checked together with the process start time, so a pid reused by
another program does not hide the file; a pid that is not a number counts as not running.

Nothing here deletes or hides a file the clerk has not chosen: every recovery file of a window that
is no longer running is listed by ``scan``, the unreadable ones with the reason (``Entry.error``).
Pure Python, no Qt.
"""
from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import processes, storage, templates
from .report import Report

FORMAT = "jxzp-recovery"
VERSION = 1
SUFFIX = ".recovery.json"
OLD_DATA = ".jxzp.json"  # layout of older versions: data file …
OLD_META = ".meta.json"  # … and its description, written separately
LOCK = ".lock"
DAMAGED = "damaged"  # sub-folder the unreadable files are moved to, never deleted
MAX_BYTES = 64 * 1024 * 1024  # a real report is well under 5 MB


@dataclass(eq=False)  # compared by identity: the same file, not equal contents
class Entry:
    """One recovery file (or, from an older version, one data + meta pair) left by a window."""

    id: str
    files: list[Path]
    original: str = ""  # the clerk's own file the edits belong to ("" = never saved)
    department: str = ""
    template_id: str = ""
    template_title: str = ""
    fiscal_year: int | None = None
    saved_at: str = ""  # ISO time, local
    # the fingerprint of the clerk's file as the crashed window knew it: a save made elsewhere
    # between the crash and the restore is then noticed at the next save (None: unknown)
    fingerprint: "storage.Fingerprint | None" = None
    old_layout: bool = False
    report: Report | None = None
    error: str = ""  # non-empty: cannot be restored, and why (for the clerk)

    @property
    def readable(self) -> bool:
        return self.report is not None and not self.error

    @property
    def name(self) -> str:
        return self.original or self.department or "未命名报告"

    @property
    def label(self) -> str:
        """For messages: “甲单位（D:/报告/甲.jxzp.json，2026-03-02 10:00:00 自动保存）”."""
        where = "，".join(x for x in (self.original, f"{self.saved_text} 自动保存") if x)
        return f"{self.department or '未命名报告'}（{where}）"

    @property
    def saved_text(self) -> str:
        try:
            return datetime.fromisoformat(self.saved_at).strftime("%Y-%m-%d %H:%M:%S")
        except (TypeError, ValueError):
            return self.saved_at or "时间不详"

    @property
    def template_text(self) -> str:
        return self.template_title or self.template_id or "—"


# ---------------------------------------------------------------- the file

def meta_for(report: Report, original: str, fingerprint: "storage.Fingerprint | None" = None) -> dict:
    meta = {
        "original": original, "department": report.basic.department,
        "template_id": report.template_id, "fiscal_year": report.fiscal_year,
        "saved_at": datetime.now().isoformat(timespec="seconds"),
        "pid": os.getpid(), "started": processes.start_time(os.getpid()),
    }
    if fingerprint is not None:
        meta["fingerprint"] = fingerprint.to_json()
    return meta


def dumps(report: Report, meta: dict) -> bytes:
    doc = {"format": FORMAT, "version": VERSION, "meta": meta,
           "report": {"format": storage.FORMAT, "schema_version": storage.SCHEMA_VERSION,
                      "report": storage.to_data(report)}}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


class RecoveryError(Exception):
    """A recovery file that cannot be restored; str() is the reason for the clerk."""


def _read_json(path: Path) -> object:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RecoveryError(f"文件过大（{size // (1024 * 1024)} MB），不是正常的自动保存文件。")
        raw = path.read_bytes()
    except OSError as e:
        raise RecoveryError(f"无法读取（{e.strerror or e}），请检查用户数据文件夹的权限。") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RecoveryError("文件已损坏（不是 UTF-8 文本）。") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise RecoveryError(f"文件已损坏或不完整（第 {e.lineno} 行第 {e.colno} 列无法解析）。") from None
    except RecursionError:
        raise RecoveryError("文件已损坏（嵌套层数过多）。") from None


def _report_from(doc: object, name: str) -> Report:
    try:
        return storage.loads(json.dumps(doc, ensure_ascii=False), name)
    except storage.StorageError as e:
        raise RecoveryError(str(e)) from None
    except RecursionError:
        raise RecoveryError("报告内容嵌套层数过多，文件已损坏。") from None


def _apply_meta(entry: Entry, meta: object) -> None:
    """Take what is usable from the description; a field of the wrong type is left blank."""
    if not isinstance(meta, dict):
        raise RecoveryError("文件中的说明信息（原文件、保存时间）已损坏。")
    for key in ("original", "department", "template_id", "saved_at"):
        if isinstance(meta.get(key), str):
            setattr(entry, key, meta[key])
    year = meta.get("fiscal_year")
    if isinstance(year, int) and not isinstance(year, bool):
        entry.fiscal_year = year
    entry.fingerprint = storage.Fingerprint.from_json(meta.get("fingerprint"))


def _read_new(entry: Entry, path: Path) -> dict:
    doc = _read_json(path)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RecoveryError("不是本软件的自动保存文件，或文件已损坏。")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise RecoveryError("由更新版本的软件保存，或文件已损坏；请用新版本软件打开。")
    meta = doc.get("meta")
    _apply_meta(entry, meta)
    entry.report = _report_from(doc.get("report"), path.name)
    return meta


def _read_old(entry: Entry, data: Path | None, meta_path: Path | None) -> dict:
    meta: dict = {}
    if meta_path is not None:
        raw = _read_json(meta_path)
        _apply_meta(entry, raw)
        meta = raw
    if data is None:
        raise RecoveryError("只有说明文件（.meta.json），报告内容已不在。")
    if not entry.saved_at:  # killed between the two writes: no description, the data file's time
        try:
            entry.saved_at = datetime.fromtimestamp(data.stat().st_mtime).isoformat(timespec="seconds")
        except OSError:
            pass
    entry.report = _report_from(_read_json(data), data.name)
    return meta


def check(report: Report) -> str:
    """Why ``report`` cannot be opened in the window ("" = it can): template, scoring (amounts out of
    range were refused when it was read, by ``storage.loads``)."""
    try:
        tpl = templates.get(report.template_id)
    except templates.TemplateError as e:
        return (f"{e}要恢复这份报告，请把该模板文件放回“{templates.user_templates_dir()}”后重新启动本软件；"
                "或把此文件移走。")
    from . import checks, scoring

    try:
        result = scoring.score(report, tpl)
        for i in range(len(result.projects)):
            checks.project_checks(report, tpl, result, i)
        checks.general_checks(report, tpl, result)
    except (ArithmeticError, ValueError, TypeError, LookupError) as e:
        return f"报告中的数据无法计分（{type(e).__name__}），文件可能已损坏。"
    return ""


def _entry_files(folder: Path) -> dict[str, dict[str, Path]]:
    groups: dict[str, dict[str, Path]] = {}
    for path in folder.iterdir():
        for kind, suffix in (("new", SUFFIX), ("data", OLD_DATA), ("meta", OLD_META), ("lock", LOCK)):
            if path.name.endswith(suffix) and len(path.name) > len(suffix) and not path.name.startswith("."):
                groups.setdefault(path.name[: -len(suffix)], {})[kind] = path
                break
    return groups


def scan(folder: Path) -> list[Entry]:
    """Every recovery file in ``folder`` whose window is no longer running, newest first.

    Never raises for a bad file: an unreadable one is an Entry with ``error`` set.  A lock file
    left alone (window killed before its first autosave) is removed: it holds nothing of the clerk's.
    """
    if not folder.is_dir():
        return []
    found = []
    for rid, files in sorted(_entry_files(folder).items()):
        lock = files.pop("lock", None)
        if not files:
            if lock is not None and lock_held(lock) is False:
                _unlink(lock)
            continue
        held = lock_held(lock) if lock is not None else None
        if held:
            continue  # its window is running: not ours to offer
        entry = Entry(id=rid, files=sorted(files.values()), old_layout="new" not in files)
        meta: dict = {}
        try:
            if "new" in files:
                meta = _read_new(entry, files["new"])
            else:
                meta = _read_old(entry, files.get("data"), files.get("meta"))
        except RecoveryError as e:
            entry.error = str(e)
            entry.report = None
        except Exception as e:  # noqa: BLE001 - start-up must never stop on a recovery file
            entry.error = f"读取时出错（{type(e).__name__}），文件可能已损坏。"
            entry.report = None
        if held is None and isinstance(meta, dict) and pid_alive(meta.get("pid"), meta.get("started"), entry.saved_at):
            continue  # no lock to ask (older version, or a folder without locks): pid + start time
        if entry.report is not None and not entry.error:
            try:
                entry.error = check(entry.report)
            except Exception as e:  # noqa: BLE001
                entry.error = f"检查时出错（{type(e).__name__}），文件可能已损坏。"
        if not entry.saved_at:  # the file says nothing: its own time
            try:
                entry.saved_at = datetime.fromtimestamp(entry.files[0].stat().st_mtime).isoformat(timespec="seconds")
            except OSError:
                pass
        if entry.report is not None:
            if not entry.department:
                entry.department = entry.report.basic.department
            entry.template_id = entry.report.template_id
            entry.fiscal_year = entry.report.fiscal_year
        if entry.readable:
            entry.template_title = templates.get(entry.template_id).title
        found.append(entry)
    return sorted(found, key=lambda e: e.saved_at, reverse=True)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def discard(entry: Entry) -> None:
    """Delete the entry's files: only ever called for what the clerk chose (or restored and re-saved)."""
    for path in entry.files:
        _unlink(path)
    lock = entry.files[0].parent / f"{entry.id}{LOCK}" if entry.files else None
    if lock is not None and lock_held(lock) is False:
        _unlink(lock)


def move_aside(entry: Entry) -> list[Path]:
    """Move the entry's files to ``recovery/damaged/`` (raises OSError); returns where they went."""
    if not entry.files:
        return []
    folder = entry.files[0].parent / DAMAGED
    folder.mkdir(exist_ok=True)
    moved = []
    for path in entry.files:
        target = folder / path.name
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{path.name.split('.', 1)[0]}-{n}.{path.name.split('.', 1)[1]}"
        os.replace(path, target)
        moved.append(target)
    lock = entry.files[0].parent / f"{entry.id}{LOCK}"
    if lock_held(lock) is False:
        _unlink(lock)
    return moved


# ---------------------------------------------------------------- who owns a file

def _lock_fd(fd: int) -> None:
    """Non-blocking exclusive lock; OSError if another process (or file handle) holds it."""
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_fd(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


_BUSY = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


class OwnerLock:
    """The lock a running window holds on ``<id>.lock``; released by the OS if the process dies."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.fd: int | None = None

    def acquire(self) -> bool:
        if self.fd is not None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            return False
        try:
            _lock_fd(fd)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self, remove: bool = True) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            _unlock_fd(fd)
        except OSError:
            pass
        os.close(fd)
        if remove:
            _unlink(self.path)


def lock_held(path: Path) -> bool | None:
    """True: a running window holds ``path``; False: nobody does; None: no lock file, or it cannot be probed."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            _lock_fd(fd)
        except OSError as e:
            return True if e.errno in _BUSY else None
        try:
            _unlock_fd(fd)
        except OSError:
            pass
        return False
    finally:
        os.close(fd)


def _pid(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
        return value
    return None  # "abc", 1.5, true, negative, huge: not a process we can find


def pid_alive(pid_value, started=None, saved_at: str = "") -> bool:
    """Is the window that wrote a file still running?  ``started``: its start time, if recorded."""
    pid = _pid(pid_value)
    if pid is None or not processes.running(pid):
        return False
    now_started = processes.start_time(pid)
    if now_started is None:
        return True  # cannot tell a reused pid here: keep the file for later rather than offer a live window's
    if isinstance(started, (int, float)) and not isinstance(started, bool):
        return processes.same_start(started, now_started)
    try:
        written = datetime.fromisoformat(saved_at).timestamp()
    except (TypeError, ValueError):
        return False
    return now_started <= written + 1  # a process that started after the file was written did not write it

