"""Autosave to a recovery file in the user's data folder, never over the user's own file.

Each running window writes ``recovery/<id>.jxzp.json`` plus ``<id>.meta.json``
(the original path, the time, the process id).  A clean exit removes both; a
crash or power cut leaves them, and the next start offers to restore.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from model import storage
from model.paths import user_data_dir

INTERVAL_MS = 60_000


def recovery_dir() -> Path:
    return user_data_dir() / "recovery"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return os.name != "nt"  # on Windows os.kill(pid, 0) is not a probe; treat as gone
    return True


def pending() -> list[dict]:
    """Recovery files left by windows that are no longer running, newest first."""
    folder = recovery_dir()
    found = []
    for meta_path in folder.glob("*.meta.json") if folder.is_dir() else ():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        data = meta_path.with_name(meta_path.name.replace(".meta.json", ".jxzp.json"))
        if data.exists() and not _alive(int(meta.get("pid", 0))):
            found.append({**meta, "file": str(data), "meta": str(meta_path)})
    return sorted(found, key=lambda m: m.get("saved_at", ""), reverse=True)


def discard_entry(entry: dict) -> None:
    for key in ("file", "meta"):
        try:
            os.unlink(entry[key])
        except OSError:
            pass


class Autosave(QObject):
    def __init__(self, get_doc, interval_ms: int = INTERVAL_MS, parent=None):
        super().__init__(parent)
        self.get_doc = get_doc
        self.id = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.save_now)
        self.timer.start(interval_ms)
        self.last_error = ""

    @property
    def data_path(self) -> Path:
        return recovery_dir() / f"{self.id}.jxzp.json"

    @property
    def meta_path(self) -> Path:
        return recovery_dir() / f"{self.id}.meta.json"

    def save_now(self) -> bool:
        doc = self.get_doc()
        if doc is None or not doc.modified:
            return False
        try:
            recovery_dir().mkdir(parents=True, exist_ok=True)
            storage.atomic_write(self.data_path, storage.dumps(doc.report).encode("utf-8"), backup=False)
            meta = {"original": str(doc.path or ""), "department": doc.report.basic.department,
                    "saved_at": datetime.now().isoformat(timespec="seconds"), "pid": os.getpid()}
            storage.atomic_write(self.meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"), backup=False)
        except (storage.StorageError, OSError) as e:
            self.last_error = str(e)
            return False
        self.last_error = ""
        return True

    def discard(self) -> None:
        discard_entry({"file": str(self.data_path), "meta": str(self.meta_path)})
