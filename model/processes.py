"""Is a process still running, and is it still the one that wrote a file?

A recovery file and a report's lock file both name the process that wrote them.  A
process number alone is not enough (numbers are reused), so its start time is kept
too: Linux reads it from /proc, Windows from GetProcessTimes.  On Windows
``os.kill(pid, 0)`` is not a probe — it terminates the process — so the Win32 API is used.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

SAME_START = 2.0  # seconds: start times this close are the same process (rounding, clock ticks)


def _windows(pid: int) -> tuple[bool, float | None]:
    """(running, start time in seconds since the epoch) via the Win32 API."""
    import ctypes
    from ctypes import wintypes

    k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    k32.OpenProcess.restype = wintypes.HANDLE
    k32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    k32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    k32.GetProcessTimes.argtypes = (wintypes.HANDLE, *(ctypes.POINTER(wintypes.FILETIME),) * 4)
    k32.CloseHandle.argtypes = (wintypes.HANDLE,)
    handle = k32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5, None  # ERROR_ACCESS_DENIED: it exists, not ours to query
    try:
        code = wintypes.DWORD()
        if k32.GetExitCodeProcess(handle, ctypes.byref(code)) and code.value != 259:  # not STILL_ACTIVE
            return False, None
        times = [wintypes.FILETIME() for _ in range(4)]
        if k32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            created = (times[0].dwHighDateTime << 32) | times[0].dwLowDateTime
            return True, round(created / 1e7 - 11644473600, 2)
        return True, None
    finally:
        k32.CloseHandle(handle)


def start_time(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), or None if unknown / not running."""
    if sys.platform.startswith("linux"):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            ticks = int(stat.rsplit(")", 1)[1].split()[19])
            btime = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                         if line.startswith("btime "))
            return round(btime + ticks / os.sysconf("SC_CLK_TCK"), 2)
        except (OSError, ValueError, IndexError, StopIteration):
            return None
    if os.name == "nt":
        try:
            return _windows(pid)[1]
        except (OSError, AttributeError, ValueError):
            return None
    return None


def running(pid: int) -> bool:
    """Whether a process with number ``pid`` exists (whoever it belongs to)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        try:
            return _windows(pid)[0]
        except (OSError, AttributeError, ValueError):
            return True  # cannot tell: assume it runs (nothing is deleted or taken over on a guess)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


def same_start(recorded: float, now: float) -> bool:
    return abs(now - recorded) < SAME_START
