"""tests/windows/: the app under the Windows Python (Wine), issue #13.  See winenv.py.

Every test here is marked ``windows`` and ``slow`` (not in the quick ``-m "not slow"`` loop).  Where Wine or
the downloads are missing the whole folder is skipped, and one line at the end of the run says why.
"""
from __future__ import annotations

import time

import pytest

from tests.windows import winenv

_SKIPPED: list[str] = []
_TIMES: dict[str, float] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "windows: runs the app under the Windows Python in Wine (tests/windows)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/windows/" in item.nodeid:
            item.add_marker(pytest.mark.windows)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def win(tmp_path_factory):
    """The Windows Python under Wine, prepared (or taken from the cache) once per session."""
    if _SKIPPED:
        pytest.skip(_SKIPPED[0])
    t0 = time.monotonic()
    try:
        w = winenv.prepare(tmp_path_factory.mktemp("winpy"))
    except (winenv.Unavailable, OSError) as e:
        _SKIPPED.append(f"Windows 测试（tests/windows）跳过：{e}")
        pytest.skip(_SKIPPED[0])
    _TIMES["prepare"] = time.monotonic() - t0
    yield w
    w.stop()


def pytest_terminal_summary(terminalreporter):
    if _SKIPPED:
        terminalreporter.write_line(_SKIPPED[0])
    elif "prepare" in _TIMES:
        terminalreporter.write_line(f"Windows 测试：Wine + Windows 版 Python 准备用时 {_TIMES['prepare']:.1f} s"
                                    f"（缓存在 {winenv.cache_dir()}）")
