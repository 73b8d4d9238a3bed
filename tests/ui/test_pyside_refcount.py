"""Guard for the pinned PySide6: 6.12.0 decrefs the slot/emit result on every Python emit(),
so after some thousands of edits True/None reach refcount 0 and the app aborts
("Fatal Python error: bool_dealloc").  6.11.3 does not; this test fails if an upgrade
brings the bug back."""
import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(str)


def test_emit_from_python_keeps_refcounts():
    emitter = _Emitter()
    emitter.fired.connect(lambda _path: None)
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        emitter.fired.emit("x")
    assert abs(sys.getrefcount(None) - before_none) < 50
    assert abs(sys.getrefcount(True) - before_true) < 50
