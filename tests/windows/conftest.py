"""tests/windows/: the app under the Windows Python (Wine), issue #13.  See winenv.py.

Every test here that runs under Wine is marked ``windows`` and ``slow`` (not in the quick ``-m "not slow"`` loop).  Where Wine or
the downloads are missing the whole folder is skipped, and one line at the end of the run says why.
"""
from __future__ import annotations

import time

import pytest

from tests.windows import winenv

_SKIPPED: list[str] = []
_TIMES = winenv.TIMES  # shared through winenv: conftest may be imported twice under two names


def pytest_configure(config):
    config.addinivalue_line("markers", "windows: runs the app under the Windows Python in Wine (tests/windows)")


def pytest_collection_modifyitems(config, items):
    for item in items:  # the ones under Wine (the font-folder tests run on Linux as they are)
        if "tests/windows/" in item.nodeid and "win" in getattr(item, "fixturenames", ()):
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


@pytest.fixture(scope="session")
def linux_exports(tmp_path_factory):
    """Every sample exported on Linux with the fonts Windows has under Wine: the bundled one only (no 宋体)."""
    from export import export_report, fonts
    from model.cli import load_report

    tmp = tmp_path_factory.mktemp("linux-exports")
    before = fonts._CURRENT
    fonts.use_fonts(fonts.FontSet(search_dirs=[]))
    try:
        for sample in sorted((winenv.ROOT / "resources" / "samples").glob("*.jxzp.json")):
            report, tpl = load_report(str(sample))
            (tmp / sample.name.split(".")[0]).mkdir()
            outcomes = export_report(report, tpl, tmp / sample.name.split(".")[0], ["xlsx", "pdf", "docx"])
            assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    finally:
        fonts.use_fonts(before)
    return tmp


def pytest_terminal_summary(terminalreporter):
    if _SKIPPED:
        terminalreporter.write_line(_SKIPPED[0])
    elif "prepare" in _TIMES:
        terminalreporter.write_line(f"Windows 测试：Wine + Windows 版 Python 准备用时 {_TIMES['prepare']:.1f} s"
                                    f"（缓存在 {winenv.cache_dir()}）")
    if "build" in _TIMES:
        terminalreporter.write_line(f"Windows 打包（Wine 下 PyInstaller）用时 {_TIMES['build']:.0f} s，"
                                    f"dist/jxzp 共 {_TIMES['size'] / 1e6:.1f} MB")
