"""Every command on every sample under the Windows Python with the Chinese code page (cp936), its output
to a console, to a file and to a pipe, and the same text as on Linux (issue #13).

Before the fix ``main.py score FILE > out.txt`` died with UnicodeEncodeError (GBK has no “−”, ☑ …):
``test_score_to_a_file_is_utf8`` is that case.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.windows.winenv import ROOT, win_path

SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.jxzp.json"))
COMMANDS = [["score"], ["score", "--json"], ["check"], ["check", "--json"]]


def linux(*args, cwd=ROOT, data_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", JXZP_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                          cwd=cwd, env=env, timeout=300)


def text(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n", "\n")


@pytest.fixture(scope="module")
def batch_results(win, tmp_path_factory):
    """All commands × samples, to a file and to a pipe, in one Windows process (Windows handles)."""
    tmp = tmp_path_factory.mktemp("cli")
    jobs, keys = [], []
    for sample in SAMPLES:
        for cmd in COMMANDS:
            for mode in ("file", "pipe"):
                key = f"{sample.name.split('.')[0]}-{'-'.join(c.strip('-') for c in cmd)}-{mode}"
                jobs.append({"args": [*cmd, win_path(sample)], "mode": mode,
                             "out": win_path(tmp / f"{key}.out"), "err": win_path(tmp / f"{key}.err")})
                keys.append((sample, tuple(cmd), mode, key))
    for extra in (["templates"], ["--version"], ["score"], ["frobnicate"]):
        for mode in ("file", "pipe"):
            key = f"{extra[0].strip('-')}-{mode}"
            jobs.append({"args": extra, "mode": mode, "out": win_path(tmp / f"{key}.out"),
                         "err": win_path(tmp / f"{key}.err")})
            keys.append((None, tuple(extra), mode, key))
    (tmp / "jobs.json").write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    env = win.env(JXZP_DATA_DIR=win_path(tmp / "data"))
    rcs = win.probe("batch", win_path(tmp / "jobs.json"), env=env)
    out = {}
    for (sample, cmd, mode, key), rc in zip(keys, rcs):
        out[(sample.name if sample else None, cmd, mode)] = (rc["rc"], (tmp / f"{key}.out").read_bytes(),
                                                           (tmp / f"{key}.err").read_bytes())
    return out


@pytest.mark.parametrize("mode", ["file", "pipe"])
@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: "-".join(x.strip("-") for x in c))
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_same_output_as_linux(batch_results, sample, cmd, mode, tmp_path):
    rc, out, err = batch_results[(sample.name, tuple(cmd), mode)]
    ref = linux(*cmd, sample, data_dir=tmp_path / "data")
    assert b"Traceback" not in err, err.decode("utf-8", "replace")
    assert rc == ref.returncode, err.decode("utf-8", "replace")
    assert text(err) == text(ref.stderr)
    got, want = text(out), text(ref.stdout)
    if "--json" in cmd:
        assert json.loads(got) == json.loads(want)
    else:
        assert got == want


def test_score_to_a_file_is_utf8(batch_results):
    """``main.py score FILE > out.txt`` with cp936: UTF-8 without BOM, characters GBK lacks included."""
    rc, out, err = batch_results[("shilong_2020.jxzp.json", ("score",), "file")]
    assert rc == 0, err
    assert not out.startswith(b"\xef\xbb\xbf")
    body = out.decode("utf-8")
    assert "总分" in body and "\r\n" in body  # Windows line ends, as Notepad expects
    with pytest.raises(UnicodeEncodeError):
        body.encode("gbk")  # the very characters the old cp936 output died on


@pytest.mark.parametrize("mode", ["file", "pipe"])
def test_other_commands(batch_results, mode, tmp_path):
    from model.version import __version__

    rc, out, _ = batch_results[(None, ("--version",), mode)]
    assert rc == 0 and text(out).strip() == f"绩效自评填报助手 {__version__}"
    rc, out, _ = batch_results[(None, ("templates",), mode)]
    assert rc == 0 and text(out) == text(linux("templates", data_dir=tmp_path).stdout)
    for bad in (("score",), ("frobnicate",)):
        rc, out, err = batch_results[(None, bad, mode)]
        assert rc == 2 and "错误" in text(err) and b"Traceback" not in err


@pytest.mark.skipif(shutil.which("script") is None, reason="没有 script（util-linux）：跳过控制台测试")
@pytest.mark.parametrize("cmd", [["score"], ["check"]], ids=lambda c: c[0])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_console(win, sample, cmd, tmp_path):
    """A real Windows console (Wine's, on a pseudo-terminal): Python writes to it with the wide API."""
    env = win.env(JXZP_DATA_DIR=win_path(tmp_path / "data"))
    line = " ".join(map(shlex_quote, [win.loader, str(win.exe), str(ROOT / "main.py"), *cmd, str(sample)]))
    done = subprocess.run(["script", "-qec", line, "/dev/null"], capture_output=True, env=env, cwd=ROOT,
                          stdin=subprocess.DEVNULL, timeout=300)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", done.stdout.decode("utf-8", "replace"))
    shown = shown.replace("\r", "")
    ref = text(linux(*cmd, sample, data_dir=tmp_path / "ref").stdout)
    assert "Traceback" not in shown and "UnicodeEncodeError" not in shown, shown[-2000:]
    last = [line for line in ref.splitlines() if line.strip()][-1].strip()
    flat = re.sub(r"\s+", "", shown)
    assert re.sub(r"\s+", "", last) in flat, (last, shown[-1500:])
    assert re.sub(r"\s+", "", ref.splitlines()[0]) in flat


def shlex_quote(s: str) -> str:
    import shlex

    return shlex.quote(s)
