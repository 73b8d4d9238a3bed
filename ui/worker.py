"""Long work off the GUI thread: exports and reading a 决算 workbook run in a worker thread,
with a progress bar and a 取消 button, while the window stays usable.

``Job(work)`` runs ``work(progress, cancel)`` in a thread of its own: ``progress(fraction,
text)`` (fraction None: no measure, the bar just moves) may be called as often as the work
likes — the bar is updated at most every 50 ms; ``cancel`` is a ``threading.Event`` the work
looks at between steps (the exports raise ``export.Cancelled``).  When the work ends, one of
``done(result)``, ``failed(exception)`` or ``cancelled()`` is emitted on the GUI thread.
``ProgressPanel`` shows a running job (text, bar, 取消) inside a page: nothing modal, the
clerk can go on typing.

The work must not touch the open report: it gets a copy (``snapshot``), taken on the GUI
thread before it starts (``pickle``: about 25 ms for 500 projects × 20 indicators, the
copy itself is made in the worker).

While a job runs, Python's thread switch interval is lowered from 5 ms to 50 µs.  PySide lets
go of the interpreter lock around its calls into Qt, and a keystroke makes dozens of them
(the field, the score panel, the 复核 list, the step marks); each time, the worker takes the
lock and keeps it until the interval is over.  Measured with a 500-project export running
(bench/export_speed.py): an edit with its panels took about 52 ms at 1 ms, 22 ms at 200 µs,
16 ms at 50 µs (2 ms with no export), and the export was no slower — when the window is idle
nothing waits for the lock and the interval costs nothing.
"""
from __future__ import annotations

import pickle
import sys
import threading
import time
from typing import Callable, Optional

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

SWITCH_INTERVAL = 0.00005  # seconds, while a job runs (see the module docstring)
EMIT_EVERY = 0.05  # seconds between two progress updates sent to the GUI thread

_running: set["Job"] = set()  # jobs whose thread has not ended (kept alive until it has)
_saved_interval: Optional[float] = None
_lock = threading.Lock()


def snapshot(report) -> bytes:
    """A frozen copy of ``report`` for a worker (``restore`` it there): the clerk may go on editing."""
    return pickle.dumps(report, pickle.HIGHEST_PROTOCOL)


def restore(data: bytes):
    return pickle.loads(data)


def running() -> int:
    """How many jobs have not ended (tests, and the window before it closes)."""
    return len(_running)


class Job(QObject):
    progressed = Signal(object, str)  # fraction (0–1, or None) and what is being done
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, work: Callable, name: str = "worker", parent=None):
        super().__init__(parent)
        self.work, self.name = work, name
        self.cancel_event = threading.Event()
        self.thread: Optional[threading.Thread] = None
        self._last_emit = 0.0
        self.finished = False

    # ------------------------------------------------------------ GUI thread
    def start(self) -> "Job":
        global _saved_interval
        with _lock:
            if not _running:
                _saved_interval = sys.getswitchinterval()
                sys.setswitchinterval(SWITCH_INTERVAL)
            _running.add(self)
        for signal in (self.done, self.failed, self.cancelled):
            signal.connect(self._ended, Qt.QueuedConnection)
        self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self.thread.start()
        return self

    def cancel(self) -> None:
        self.cancel_event.set()

    def _ended(self, *_args) -> None:
        self.finished = True
        _release(self)

    # ------------------------------------------------------------ worker thread
    def _progress(self, fraction, text: str = "") -> None:
        now = time.monotonic()
        if fraction is not None and fraction < 1 and now - self._last_emit < EMIT_EVERY:
            return
        self._last_emit = now
        self.progressed.emit(fraction, text)

    def _run(self) -> None:
        from export import Cancelled

        try:
            result = self.work(self._progress, self.cancel_event)
        except Cancelled:
            self.cancelled.emit()
        except BaseException as e:  # noqa: BLE001  (reported to the clerk on the GUI thread)
            if self.cancel_event.is_set():
                self.cancelled.emit()
            else:
                self.failed.emit(e)
        else:
            if self.cancel_event.is_set() and result is None:
                self.cancelled.emit()
            else:
                self.done.emit(result)


def _release(job: Job) -> None:
    with _lock:
        _running.discard(job)
        if not _running and _saved_interval is not None:
            sys.setswitchinterval(_saved_interval)


class ProgressPanel(QWidget):
    """What a running job is doing: a line of text, a bar and 取消 (hidden while nothing runs)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setObjectName("cancel_button")
        lay.addWidget(self.label)
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.cancel_button)
        self.job: Optional[Job] = None
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    def attach(self, job: Job, text: str = "", busy: bool = False) -> None:
        self.job = job
        self.label.setText(text)
        if busy:
            self.bar.setRange(0, 0)  # no measure: the bar just moves
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("取消")
        job.progressed.connect(self._progressed)
        for signal in (job.done, job.failed, job.cancelled):
            signal.connect(self._ended)
        self.show()

    def cancel(self) -> None:
        if self.job is not None and not self.job.finished:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText("正在取消…")

    def _progressed(self, fraction, text: str) -> None:
        if text:
            self.label.setText(text)
        if fraction is not None and self.bar.maximum():
            self.bar.setValue(int(max(0.0, min(1.0, fraction)) * 1000))

    def _ended(self, *_args) -> None:
        self.job = None
        self.hide()
