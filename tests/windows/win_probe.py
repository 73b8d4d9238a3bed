"""Run on the Windows side (python.exe under Wine, or on a Windows PC) by tests/windows/.

    python.exe win_probe.py batch JOBS.json     run main.py commands with Windows file/pipe handles
    python.exe win_probe.py storage DIR         save/autosave on Windows semantics, one result per case
    python.exe win_probe.py fonts               the fonts export/fonts.py picks here

Prints one JSON line last.  Nothing here catches an exception of the app: a traceback is a failure.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
SAMPLE = ROOT / "resources" / "samples" / "shilong_2020.jxzp.json"


def batch(jobs_file: str) -> list[dict]:
    """Each job: {"args": [...], "mode": "file"|"pipe", "out": path, "err": path, "exe": optional program}.

    ``file``: standard output and error are files opened here (what ``cmd.exe`` does for ``> out.txt``);
    ``pipe``: anonymous pipes read here (``main.py score X | findstr …``).  PYTHONIOENCODING is unset:
    the program must cope with the ANSI code page (cp936) on its own.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    results = []
    for job in json.loads(Path(jobs_file).read_text(encoding="utf-8")):
        cmd = [job["exe"], *job["args"]] if job.get("exe") else [sys.executable, str(MAIN), *job["args"]]
        t0 = time.monotonic()
        if job["mode"] == "file":
            with open(job["out"], "wb") as out, open(job["err"], "wb") as err:
                rc = subprocess.run(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env,
                                    cwd=job.get("cwd")).returncode
        else:
            done = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL, env=env, cwd=job.get("cwd"))
            rc = done.returncode
            Path(job["out"]).write_bytes(done.stdout)
            Path(job["err"]).write_bytes(done.stderr)
        results.append({"rc": rc, "seconds": round(time.monotonic() - t0, 2)})
    return results


# ------------------------------------------------------------------ storage on Windows semantics

def _case(name: str, func, folder: Path) -> dict:
    """Run one case: ok, or the StorageError message; anything else is reported with its traceback."""
    from model import storage

    try:
        detail = func(folder) or {}
        return {"case": name, "outcome": "ok", **detail}
    except storage.StorageError as e:
        return {"case": name, "outcome": "error", "message": str(e)}
    except Exception:  # noqa: BLE001 - the test fails on this and shows it
        return {"case": name, "outcome": "traceback", "message": traceback.format_exc()}


def _report():
    from model import storage

    return storage.load(SAMPLE)


def _open_exclusive(path: Path):
    """A handle like Excel's on an open workbook: no sharing at all (CreateFileW, share mode 0)."""
    import ctypes
    from ctypes import wintypes

    k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    k32.CreateFileW.restype = wintypes.HANDLE
    k32.CreateFileW.argtypes = (wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID, wintypes.DWORD,
                                wintypes.DWORD, wintypes.HANDLE)
    handle = k32.CreateFileW(str(path), 0x80000000 | 0x40000000, 0, None, 3, 0x80, None)  # GENERIC_READ|WRITE, OPEN_EXISTING
    if handle in (None, wintypes.HANDLE(-1).value):
        raise OSError(ctypes.get_last_error(), "CreateFileW")
    return lambda: k32.CloseHandle(handle)


def storage_cases(folder: str) -> list[dict]:
    from model import storage

    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    report = _report()
    results = []

    def intact(path: Path, before: bytes) -> dict:
        return {"intact": path.read_bytes() == before, "left": sorted(p.name for p in path.parent.iterdir())}

    def held_open_python(d: Path):
        """Another handle (Python's open(): shares read/write, not delete) holds the file during the save."""
        path = d / "占用中.jxzp.json"
        storage.save(report, path)
        before = path.read_bytes()
        with open(path, "rb"):
            try:
                storage.save(report, path)
            finally:
                results_extra["held_open_python"] = intact(path, before)
        return {"saved_while_open": True}

    def held_open_exclusive(d: Path):
        path = d / "Excel 打开着.jxzp.json"
        storage.save(report, path)
        before = path.read_bytes()
        close = _open_exclusive(path)
        try:
            storage.save(report, path)
        finally:
            close()
            results_extra["held_open_exclusive"] = intact(path, before)
        return {"saved_while_open": True}

    def released_during_retry(d: Path):
        """A handle that goes away within the retry (an antivirus scan): the save just succeeds."""
        path = d / "杀毒扫描.jxzp.json"
        storage.save(report, path)
        close = _open_exclusive(path)
        timer = threading.Timer(0.3, close)
        timer.start()
        t0 = time.monotonic()
        storage.save(report, path)
        timer.join()
        return {"seconds": round(time.monotonic() - t0, 2), "loads": storage.load(path) == report}

    def read_only(d: Path):
        import stat

        path = d / "只读.jxzp.json"
        storage.save(report, path)
        before = path.read_bytes()
        os.chmod(path, stat.S_IREAD)  # the “只读” attribute
        try:
            storage.save(report, path)
        finally:
            results_extra["read_only"] = intact(path, before)
            os.chmod(path, stat.S_IREAD | stat.S_IWRITE)
        return {"saved_over_read_only": True}

    def long_chinese_path(d: Path):
        sub = d / "绩效 自评 报告 文件夹"
        sub.mkdir(exist_ok=True)
        name = ("石龙区 乡村振兴局 2020 年度 部门整体支出 绩效自评 报告 " * 8)[:240].rstrip() + ".jxzp.json"
        path = sub / name
        full = len(str(path.absolute()))
        storage.save(report, path)
        storage.save(report, path)  # a second save: the .bak path is longer still
        return {"length": full, "loads": storage.load(path) == report,
                "bak": os.path.exists(str(path) + ".bak")}

    def bad_name(name: str):
        def case(d: Path):
            sub = d / f"名字-{abs(hash(name))}"
            sub.mkdir(exist_ok=True)
            try:
                storage.save(report, sub / name)
            finally:
                results_extra[f"bad_name:{name}"] = {"left": sorted(p.name for p in sub.iterdir())}
            return {"listing": sorted(p.name for p in sub.iterdir())}
        return case

    def autosave_into_user_data(d: Path):
        """What ui/autosave.py does every minute, without Qt: the recovery file in %LOCALAPPDATA%\\jxzp."""
        from model.paths import user_data_dir

        os.environ.pop("JXZP_DATA_DIR", None)
        folder = user_data_dir() / "recovery"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "probe.recovery.json"
        storage.atomic_write(target, storage.dumps(report).encode("utf-8"), backup=False)
        storage.atomic_write(target, storage.dumps(report).encode("utf-8"), backup=False)
        back = storage.loads(target.read_text(encoding="utf-8"))
        target.unlink()
        return {"folder": str(folder), "loads": back == report}

    results_extra: dict = {}
    cases = [("held_open_python", held_open_python), ("held_open_exclusive", held_open_exclusive),
             ("released_during_retry", released_during_retry), ("read_only", read_only),
             ("long_chinese_path", long_chinese_path)]
    cases += [(f"bad_name:{n}", bad_name(n)) for n in
              ("CON.jxzp.json", "con.jxzp.json", "NUL", "LPT1.jxzp.json", "报告:草稿.jxzp.json", "报告.jxzp.json.",
               "报告.jxzp.json ", "a?b.jxzp.json")]
    cases.append(("autosave_into_user_data", autosave_into_user_data))
    for name, func in cases:
        result = _case(name, func, base)
        result.update(results_extra.get(name, {}))
        results.append(result)
    return results


def fonts() -> dict:
    from export import fonts as f

    return {"dirs": [str(d) for d in f.font_dirs()], "roles": f.get_fonts().describe()}


def main() -> int:
    what = sys.argv[1]
    if what == "batch":
        result = batch(sys.argv[2])
    elif what == "storage":
        result = storage_cases(sys.argv[2])
    elif what == "fonts":
        result = fonts()
    else:
        raise SystemExit(f"unknown: {what}")
    sys.stdout.reconfigure(encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
