"""Pause Python's cyclic garbage collector while an export file is built.

Building a file allocates a few hundred thousand small objects that all live
until the file is written (openpyxl cells and styles, reportlab flowables and
page contents).  Every 700 allocations CPython's collector walks the young
ones, and every so often all of them, looking for reference cycles: about a
quarter of the PDF's time and a tenth of the workbook's for a 50-project
report, more in the app, whose heap is bigger.  Reference counting goes on
freeing everything that is not in a cycle; the objects left in cycles (an
openpyxl workbook is one big cycle) are collected right after the build, in
one pass over the young generation.

Used as ``@collector_paused()`` on each ``build_<kind>``; nested or
concurrent builds keep the collector paused until the last one ends, and it
is never turned on if it was off before.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # builds running now
_resume = False  # whether the collector was on when the first of them started


@contextmanager
def collector_paused():
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            resume = _depth == 0 and _resume
            if resume:
                gc.enable()
        if resume:
            # Nothing was collected during the build, so its objects are all still in the youngest
            # generation: one pass over them frees its cycles now rather than at some later sweep.
            gc.collect(0)
