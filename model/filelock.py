"""The lock file beside an open report: who has it open, on which PC, since when.

A window that opens ``报告.jxzp.json`` writes ``.报告.jxzp.json.lock`` in the same
folder (hidden: a leading dot on Linux, the hidden attribute on Windows), a small
UTF-8 JSON object::

    {"format": "jxzp-lock", "用户名": "张三", "计算机名": "PC-01", "进程号": 4312,
     "打开时间": "2026-11-24T09:12:05", "标识": "…", "进程启动": "…"}

and removes it when it closes the report.  Another window (of this or another
program, on this or another PC of a shared folder) that opens the report reads
it and warns.  A lock is *stale* — taken over without a word — when it was
left by a process that is gone (same PC: the process id no longer runs, or now
belongs to a later process), or, from another PC, when it has not been renewed
for ``STALE_AFTER`` (a window renews its lock while it stays open).  A folder
where no lock can be written (a read-only share) never blocks opening: the
report simply opens without a lock.

Pure Python, no Qt.
"""
from __future__ import annotations

import atexit
import dataclasses
import getpass
import json
import os
import socket
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from . import processes

FORMAT = "jxzp-lock"
STALE_AFTER = timedelta(hours=12)
RENEW_EVERY = timedelta(minutes=30)


def lock_path(report_path: str | os.PathLike) -> Path:
    """``dir/报告.jxzp.json`` → ``dir/.报告.jxzp.json.lock``."""
    p = Path(report_path)
    return p.with_name(f".{p.name}.lock")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some services): whatever the environment says
        return os.environ.get("USERNAME") or os.environ.get("USER") or "未知用户"


def _host() -> str:
    return socket.gethostname() or os.environ.get("COMPUTERNAME") or "未知计算机"


# ---------------------------------------------------------------- processes

def process_start(pid: int) -> str:
    """The start time of the running process ``pid`` as the lock file keeps it ("" when unknown)."""
    started = processes.start_time(pid)
    return "" if started is None else f"{started:.2f}"


def process_alive(pid: int, start: str = "") -> bool:
    """Is ``pid`` running and, when ``start`` was recorded, still the same process?"""
    if not processes.running(pid):
        return False
    now = process_start(pid)
    return not (start and now and start != now)  # a different start: the number was reused


# ---------------------------------------------------------------- the lock file

@dataclasses.dataclass(frozen=True)
class LockInfo:
    user: str
    host: str
    pid: int
    opened_at: str  # ISO time, local clock of the PC that wrote it
    token: str = ""
    process_start: str = ""
    renewed: float = 0.0  # the lock file's modification time (renewed while the window stays open)

    def to_json(self) -> dict:
        return {"format": FORMAT, "用户名": self.user, "计算机名": self.host, "进程号": self.pid,
                "打开时间": self.opened_at, "标识": self.token, "进程启动": self.process_start}

    @classmethod
    def from_json(cls, data, renewed: float = 0.0) -> "LockInfo | None":
        if not isinstance(data, dict):
            return None
        try:
            pid = int(data.get("进程号", 0))
        except (TypeError, ValueError):
            pid = 0
        return cls(str(data.get("用户名") or "未知用户"), str(data.get("计算机名") or "未知计算机"), pid,
                   str(data.get("打开时间") or ""), str(data.get("标识") or ""), str(data.get("进程启动") or ""),
                   renewed)

    @property
    def opened(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.opened_at)
        except ValueError:
            return None

    def when(self, now: datetime | None = None) -> str:
        """09:12 today, else 11月23日 09:12 (else 2025年11月23日 09:12)."""
        opened, now = self.opened, now or datetime.now()
        if opened is None:
            return "不明时间"
        if opened.date() == now.date():
            return opened.strftime("%H:%M")
        if opened.year == now.year:
            return f"{opened.month}月{opened.day}日 {opened:%H:%M}"
        return f"{opened.year}年{opened.month}月{opened.day}日 {opened:%H:%M}"

    def same_host(self) -> bool:
        return self.host.casefold() == _host().casefold()

    def is_stale(self, now: float | None = None) -> bool:
        """Left behind: a process gone from this PC, or not renewed for STALE_AFTER on another PC."""
        if self.same_host():
            if self.pid == os.getpid():
                return self.token not in _HELD  # another window of this very program: open iff still held
            return not process_alive(self.pid, self.process_start)
        now = time.time() if now is None else now
        last = self.renewed
        opened = self.opened
        if opened is not None:
            last = max(last, opened.timestamp())
        return now - last > STALE_AFTER.total_seconds()


_HELD: dict[str, "FileLock"] = {}  # token → lock held by this process (released at exit)


def read(path: str | os.PathLike) -> LockInfo | None:
    """The lock of the report at ``path`` as written, or None (no lock, or unreadable/damaged)."""
    lp = lock_path(path)
    try:
        raw = lp.read_bytes()
        renewed = lp.stat().st_mtime
    except OSError:
        return None
    if len(raw) > 64 * 1024:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return LockInfo.from_json(data, renewed)


def _hide(path: Path) -> None:
    if os.name == "nt":
        try:
            import ctypes

            ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN
        except Exception:
            pass


class FileLock:
    """This window's lock on one report file."""

    def __init__(self, report_path: str | os.PathLike):
        self.report_path = Path(report_path)
        self.path = lock_path(report_path)
        self.token = uuid.uuid4().hex
        self.held = False
        self.error = ""  # why no lock could be written (read-only folder…), for the status bar

    def info(self) -> LockInfo:
        pid = os.getpid()
        return LockInfo(_user(), _host(), pid, datetime.now().isoformat(timespec="seconds"), self.token,
                        process_start(pid))

    def owner(self) -> LockInfo | None:
        """Someone else who has the report open now (a live lock not ours), else None."""
        info = read(self.report_path)
        if info is None or info.token == self.token or info.is_stale():
            return None
        return info

    def acquire(self) -> LockInfo | None:
        """Take the lock unless another live window holds it; returns that window's lock (then not held).

        A stale or damaged lock is replaced; a folder where the lock cannot be
        written leaves ``held`` False with ``error`` set and returns None.
        """
        if self.held:
            return None
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                other = self.owner()
                if other is not None:
                    return other
                try:
                    self.path.unlink()  # stale or damaged: take over (then create it exclusively, so two
                except FileNotFoundError:  # windows taking over at once cannot both believe they hold it)
                    pass
                except OSError as e:
                    self.error = e.strerror or str(e)
                    return None
                continue
            except OSError as e:  # read-only share, no permission, name too long…: open without a lock
                self.error = e.strerror or str(e)
                return None
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(json.dumps(self.info().to_json(), ensure_ascii=False).encode("utf-8"))
            except OSError as e:
                self.error = e.strerror or str(e)
                try:
                    self.path.unlink()
                except OSError:
                    pass
                return None
            _hide(self.path)
            self.held, self.error = True, ""
            _HELD[self.token] = self
            return None
        return self.owner()

    def renew(self) -> None:
        """Touch the lock so other PCs do not think it stale; recreate it if someone removed it."""
        if not self.held:
            return
        info = read(self.report_path)
        if info is None or info.token != self.token:
            self.held = False
            _HELD.pop(self.token, None)
            self.acquire()
            return
        try:
            os.utime(self.path)
        except OSError:
            pass

    def release(self) -> None:
        """Remove the lock if it is still ours (never another window's)."""
        if not self.held:
            return
        self.held = False
        _HELD.pop(self.token, None)
        info = read(self.report_path)
        if info is not None and info.token == self.token:
            try:
                self.path.unlink()
            except OSError:
                pass


@atexit.register
def _release_all() -> None:
    for lock in list(_HELD.values()):
        lock.release()
