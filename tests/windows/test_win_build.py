"""The Windows one-folder app built from build.spec under Wine (issue #13, item 2).

PyInstaller (its win_amd64 wheel) run by the Windows Python builds ``dist/jxzp/jxzp.exe`` (window) and
``jxzp-cli.exe`` (console); then the CLI runs under Wine with code page 936: ``--version``, ``score``
(output to a file and to a pipe, same text as Linux) and ``export`` of every sample (same pages and text
as the Linux exports).  The folder's size is printed at the end of the run.  About 45 s to build on 2 cores.
"""
from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

from tests.windows import winenv
from tests.windows.test_win_files import SAMPLES, docx_text, pdf_pages, run_batch, xlsx_cells
from tests.windows.winenv import ROOT, win_path
from tests.windows.test_win_cli import linux, text

SIZE_GUARD_MB = 110  # measured 75.8 MB; only catches a big library sneaking back in


@pytest.fixture(scope="module")
def app(win, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("winbuild")
    t0 = time.monotonic()
    done = win.run("-m", "PyInstaller", win_path(ROOT / "build.spec"), "--noconfirm", "--log-level", "WARN",
                   "--distpath", win_path(base / "dist"), "--workpath", win_path(base / "work"), cwd=base, timeout=1800)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-6000:]
    app = base / "dist" / "jxzp"
    winenv.TIMES["build"] = time.monotonic() - t0
    winenv.TIMES["size"] = sum(p.stat().st_size for p in app.rglob("*") if p.is_file())
    return app


def subsystem(exe: Path) -> int:
    """The PE header's subsystem: 2 a window program, 3 a console program."""
    data = exe.read_bytes()[:4096]
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    return struct.unpack_from("<H", data, pe + 24 + 68)[0]


def test_both_executables(app):
    assert subsystem(app / "jxzp.exe") == 2
    assert subsystem(app / "jxzp-cli.exe") == 3
    for resource in ("templates/hunan-dept.yaml", "samples/xingxian_2022.jxzp.json", "fonts/wqy-microhei.ttc"):
        assert (app / "_internal" / "resources" / resource).is_file(), resource
    assert not list(app.rglob("opengl32sw.dll"))
    size = sum(p.stat().st_size for p in app.rglob("*") if p.is_file())
    assert size < SIZE_GUARD_MB * 1e6, f"{size / 1e6:.1f} MB"


def test_cli_exe_version_and_score(win, app, tmp_path):
    from model.version import __version__

    cli = win_path(app / "jxzp-cli.exe")
    sample = ROOT / "resources" / "samples" / "shilong_2020.jxzp.json"
    jobs = [{"exe": cli, "args": ["--version"]}]
    jobs += [{"exe": cli, "args": ["score", win_path(sample)], "mode": mode} for mode in ("file", "pipe")]
    jobs += [{"exe": cli, "args": ["score", "--json", win_path(sample)], "mode": "file"}]
    version, to_file, to_pipe, as_json = run_batch(win, tmp_path, jobs)
    assert version["rc"] == 0 and version["out"].strip() == f"绩效自评填报助手 {__version__}", version
    want = text(linux("score", sample, data_dir=tmp_path / "ref").stdout)
    assert to_file["rc"] == 0 and to_file["out"] == want, to_file["err"]
    assert to_pipe["rc"] == 0 and to_pipe["out"] == want, to_pipe["err"]
    import json

    assert json.loads(as_json["out"]) == json.loads(text(linux("score", "--json", sample, data_dir=tmp_path / "r").stdout))


def test_cli_exe_exports_match_linux(win, app, linux_exports, tmp_path):
    cli = win_path(app / "jxzp-cli.exe")
    jobs = [{"exe": cli, "args": ["export", win_path(s), "-o", win_path(tmp_path / s.name.split(".")[0])]} for s in SAMPLES]
    for sample, result in zip(SAMPLES, run_batch(win, tmp_path, jobs)):
        assert result["rc"] == 0 and "Traceback" not in result["err"], (sample.name, result)
        name = sample.name.split(".")[0]
        for suffix in (".pdf", ".xlsx", ".docx"):
            (got,), (want,) = (list((b / name).glob(f"*{suffix}")) for b in (tmp_path, linux_exports))
            assert got.name == want.name
            if suffix == ".pdf":
                pages, ref = pdf_pages(got), pdf_pages(want)
                assert len(pages) == len(ref), name
                assert pages == ref, name
            elif suffix == ".xlsx":
                assert xlsx_cells(got) == xlsx_cells(want), name
            else:
                assert docx_text(got) == docx_text(want), name
