"""Recovery files that try to lose work or stop the start (issue 12: data loss 2 and 3, cannot start 5).

Each case builds the real start-up window (``ui.app.build``) over hostile files in a temporary
JXZP_DATA_DIR; the recovery list answers itself (``choose``).  Promises: the app starts, every
recovery file of a window no longer running is listed (unreadable ones with the reason), nothing
is deleted or moved that the clerk did not choose, and a kill at any moment of an autosave leaves
a file that is offered.
"""
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from model import processes, recovery, storage
from ui import autosave
from ui.app import build
from ui.recovery_dialog import LATER, MOVE

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources/samples"
DEAD_PID = 999_999_999  # no such process


@pytest.fixture
def folder(data_dir):
    path = data_dir / "recovery"
    path.mkdir(parents=True)
    return path


def _report_doc(sample="shilong_2020", department=None, **changes) -> dict:
    doc = json.loads((SAMPLES / f"{sample}.jxzp.json").read_text(encoding="utf-8"))
    if department is not None:
        doc["report"]["basic"]["department"] = department
    doc["report"].update(changes)
    return doc


def _write_new(folder: Path, name: str, report_doc: dict, **meta) -> Path:
    info = {"original": "", "department": report_doc["report"]["basic"]["department"],
            "saved_at": "2026-03-01T10:00:00", "pid": DEAD_PID, "started": 1.0, **meta}
    path = folder / f"{name}{recovery.SUFFIX}"
    path.write_text(json.dumps({"format": recovery.FORMAT, "version": 1, "meta": info, "report": report_doc},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _write_old(folder: Path, name: str, report_doc: dict | None, meta: dict | str | None) -> list[Path]:
    """The layout of older versions: <id>.jxzp.json, then <id>.meta.json."""
    files = []
    if report_doc is not None:
        files.append(folder / f"{name}.jxzp.json")
        files[-1].write_text(json.dumps(report_doc, ensure_ascii=False), encoding="utf-8")
    if meta is not None:
        files.append(folder / f"{name}.meta.json")
        files[-1].write_text(meta if isinstance(meta, str) else json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return files


def _start(qtbot):
    window = build(None, recover=True)  # must not raise, whatever is in the recovery folder
    qtbot.addWidget(window)
    for other in getattr(window, "recovered_windows", []):
        qtbot.addWidget(other)
    return window


def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- data loss 2

def test_unreadable_newer_beside_a_good_older_both_listed_the_good_one_restored(qtbot, folder, choose):
    good = _write_new(folder, "older", _report_doc(department="较早的好文件"), saved_at="2026-03-01T09:00:00")
    bad = folder / f"newer{recovery.SUFFIX}"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])  # a newer one, torn
    os.utime(bad, (time.time() + 60, time.time() + 60))
    window = _start(qtbot)
    [shown] = choose.shown
    assert len(shown) == 2
    unreadable = next(e for e in shown if not e.readable)
    assert unreadable.files == [bad] and "损坏" in unreadable.error
    assert window.doc.report.basic.department == "较早的好文件"
    assert bad.exists()  # not chosen: not deleted
    assert [e.files for e in autosave.pending()] == [[bad]]  # still listed next time


def test_unreadable_is_moved_aside_only_when_chosen(qtbot, folder, choose):
    bad = folder / f"torn{recovery.SUFFIX}"
    bad.write_text('{"format": "jxzp-recovery", "version": 1, "meta": {', encoding="utf-8")
    content = bad.read_bytes()
    choose.policy = staticmethod(lambda entries: (LATER, []))
    _start(qtbot)
    assert bad.read_bytes() == content
    choose.policy = staticmethod(lambda entries: (MOVE, [e for e in entries if not e.readable]))
    _start(qtbot)
    assert not bad.exists() and (folder / recovery.DAMAGED / bad.name).read_bytes() == content  # kept, not deleted
    assert autosave.pending() == []  # and no longer offered


# ---------------------------------------------------------------- data loss 3

def test_one_autosave_is_one_atomic_write_with_its_meta_inside(qtbot, data_dir, monkeypatch):
    """Issue 12, data loss 3: a kill between the data file and its meta can no longer happen — there is one file."""
    window = build(str(SAMPLES / "xingxian_2022.jxzp.json"), recover=False)
    qtbot.addWidget(window)
    window.doc.set("basic.department", "自动保存的名称")
    real_write = storage.atomic_write
    writes = []

    class Killed(BaseException):
        pass

    def write_then_die(path, data, backup=True):
        if writes:
            raise Killed  # power cut before any second write
        writes.append(Path(path))
        real_write(path, data, backup)

    monkeypatch.setattr(storage, "atomic_write", write_then_die)
    assert window.autosave.save_now() is True
    assert writes == [window.autosave.data_path]
    doc = json.loads(writes[0].read_text(encoding="utf-8"))
    assert doc["format"] == "jxzp-recovery" and doc["meta"]["original"].endswith("xingxian_2022.jxzp.json")
    assert doc["meta"]["department"] == "自动保存的名称" and doc["meta"]["pid"] == os.getpid()
    window.autosave._lock.release(remove=False)  # as if this process had died
    [entry] = autosave.pending()
    assert entry.readable and entry.report.basic.department == "自动保存的名称"


CHILD = r"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
sys.path.insert(0, sys.argv[1])
from bench.generate import large_report
from ui.autosave import Autosave
from ui.document import Document
doc = Document(large_report(20, 10))
saver = Autosave(lambda: doc, interval_ms=10**9)
doc.set("basic.department", "版本0"); saver.save_now()
print("ready", flush=True)
n = 1
while True:
    doc.set("basic.department", f"版本{n % 2}")
    saver.save_now()
    n += 1
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_at_random_moments_of_autosave_always_leaves_one_offered_file(data_dir):
    kills, rng = 20, random.Random(20261130)
    env = dict(os.environ, JXZP_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    for _ in range(kills):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT)], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        watchdog = threading.Timer(120, child.kill)
        watchdog.start()
        try:
            assert child.stdout.readline().strip() == "ready", child.stderr.read()
            assert autosave.pending() == []  # running: its lock says so
            time.sleep(rng.uniform(0.0, 0.3))  # somewhere inside one of the autosaves
        finally:
            watchdog.cancel()
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=20)
            child.stdout.close()
            child.stderr.close()
        [entry] = autosave.pending()
        assert entry.readable, entry.error
        assert entry.department in ("版本0", "版本1") and entry.report.basic.department == entry.department
        autosave.discard_entry(entry)
    assert list((data_dir / "recovery").glob("*.json")) == []


def test_old_two_file_layout_still_read_and_restored(qtbot, folder, choose):
    old = _write_old(folder, "20250101-aaaa", _report_doc(department="旧版本留下的"),
                     {"original": "/home/会计/报告.jxzp.json", "department": "旧版本留下的",
                      "saved_at": "2026-02-01T08:00:00", "pid": DEAD_PID})
    window = _start(qtbot)
    [[entry]] = choose.shown
    assert entry.old_layout and entry.readable and entry.original == "/home/会计/报告.jxzp.json"
    assert window.doc.report.basic.department == "旧版本留下的"
    assert str(window.doc.path) == "/home/会计/报告.jxzp.json" and window.doc.modified
    assert not any(p.exists() for p in old)  # carried on in this window's own recovery file
    assert window.autosave.data_path.exists()


def test_old_layout_killed_between_its_two_writes_is_offered(qtbot, folder, choose):
    """An older version killed after the data file, before its .meta.json: offered with the file's time."""
    _write_old(folder, "20250101-bbbb", _report_doc(department="只有数据文件"), None)
    window = _start(qtbot)
    [[entry]] = choose.shown
    assert entry.readable and entry.saved_at and window.doc.report.basic.department == "只有数据文件"


def test_old_layout_meta_without_data_is_listed_not_hidden(qtbot, folder, choose):
    [meta] = _write_old(folder, "20250101-cccc", None, {"saved_at": "2026-02-01T08:00:00", "pid": DEAD_PID})
    choose.policy = staticmethod(lambda entries: (LATER, []))
    _start(qtbot)
    [[entry]] = choose.shown
    assert not entry.readable and "只有说明文件" in entry.error and meta.exists()


def test_reused_pid_does_not_hide_the_offer(qtbot, folder, choose):
    """Issue 12, data loss 3: the pid in the file now belongs to another (live) process — this very one."""
    _write_old(folder, "old-reused", _report_doc(department="旧格式 pid 被占用"),
               {"saved_at": "2020-01-01T00:00:00", "pid": os.getpid()})  # this process started long after
    _write_new(folder, "new-reused", _report_doc(department="新格式 pid 被占用"),
               pid=os.getpid(), started=1.0, saved_at="2020-01-02T00:00:00")  # started at another time
    choose.policy = staticmethod(lambda entries: (LATER, []))
    _start(qtbot)
    [shown] = choose.shown
    assert sorted(e.department for e in shown) == ["新格式 pid 被占用", "旧格式 pid 被占用"]
    assert all(e.readable for e in shown)


def test_a_live_window_is_not_offered_even_with_a_dead_pid(qtbot, data_dir, choose):
    window = build(str(SAMPLES / "xingxian_2022.jxzp.json"), recover=False)
    qtbot.addWidget(window)
    window.doc.set("basic.contact_person", "张三")
    assert window.autosave.save_now()
    doc = json.loads(window.autosave.data_path.read_text(encoding="utf-8"))
    doc["meta"]["pid"] = DEAD_PID  # the lock, not the pid, decides
    window.autosave.data_path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert autosave.pending() == []
    assert recovery.pid_alive(os.getpid(), processes.start_time(os.getpid()))
    if processes.start_time(os.getpid()) is not None:
        assert not recovery.pid_alive(os.getpid(), 1.0)


# ---------------------------------------------------------------- cannot start 5

def test_pid_abc_is_not_running_and_the_file_is_restored(qtbot, folder, choose):
    _write_old(folder, "abc-pid", _report_doc(department="pid 不是数字"),
               {"saved_at": "2026-02-01T08:00:00", "pid": "abc"})
    window = _start(qtbot)
    assert window.doc.report.basic.department == "pid 不是数字"


def _amount_1e30():
    doc = _report_doc(department="金额 1E+30")
    doc["report"]["finance"]["initial_budget"] = "1E+30"
    return doc


def _raw(folder: Path, name: str, content) -> list[Path]:
    path = folder / f"{name}{recovery.SUFFIX}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return [path]


OLD_META = {"saved_at": "2026-02-01T08:00:00", "pid": DEAD_PID}
BAD = {  # name → (write the files, a word the reason must contain)
    "template gone": (lambda f: [_write_new(f, "t", _report_doc(template_id="gone-2019"))], "gone-2019"),
    "template gone, old layout": (lambda f: _write_old(f, "t", _report_doc(template_id="gone-2019"), OLD_META), "模板"),
    "1E+30": (lambda f: [_write_new(f, "big", _amount_1e30())], "超出范围"),
    "1E+30, old layout": (lambda f: _write_old(f, "big", _amount_1e30(), OLD_META), "超出范围"),
    "NaN": (lambda f: [_write_new(f, "nan", _report_doc(
        finance={**_report_doc()["report"]["finance"], "initial_budget": "NaN"}))], "数字"),
    "meta not an object": (lambda f: _raw(f, "m", {"format": recovery.FORMAT, "version": 1, "meta": "x",
                                                   "report": _report_doc()}), "说明信息"),
    "meta damaged, old layout": (lambda f: _write_old(f, "m", _report_doc(), '{"pid": 12'), "损坏"),
    "meta a list, old layout": (lambda f: _write_old(f, "m", _report_doc(), "[1, 2]"), "说明信息"),
    "empty": (lambda f: _raw(f, "e", b""), "损坏"),
    "binary": (lambda f: _raw(f, "b", bytes(range(256)) * 4), "UTF-8"),
    "deeply nested": (lambda f: _raw(f, "d", "[" * 100_000 + "]" * 100_000), "损坏"),
    "newer version": (lambda f: _raw(f, "v", {"format": recovery.FORMAT, "version": 99, "meta": {}, "report": {}}),
                      "更新版本"),
    "report missing": (lambda f: _raw(f, "r", {"format": recovery.FORMAT, "version": 1, "meta": {"pid": DEAD_PID}}),
                       "报告"),
    "a report file, not a recovery file": (lambda f: _raw(f, "x", _report_doc()), "不是本软件的自动保存文件"),
}


@pytest.mark.parametrize("case", BAD)
def test_unreadable_recovery_file_never_blocks_start_up(qtbot, folder, choose, answers, case):
    """Issue 12, cannot start 5: listed as 无法读取 with the reason; the app starts; nothing is touched."""
    make, word = BAD[case]
    files = make(folder)
    assert files and all(p.exists() for p in files)
    before = _snapshot(folder)
    window = _start(qtbot)  # every start, not only the first
    window = _start(qtbot)
    assert len(choose.shown) == 2
    [entry] = choose.shown[0]
    assert not entry.readable and word in entry.error, entry.error
    assert not window.doc.modified and window.isEnabled()
    assert _snapshot(folder) == before  # never deleted or changed without the clerk choosing
    assert not any(title == "无法恢复" for title, _ in answers.asked)

    choose.policy = staticmethod(lambda entries: (MOVE, entries))
    _start(qtbot)
    assert autosave.pending() == []
    assert sorted(p.name for p in (folder / recovery.DAMAGED).iterdir()) == sorted(p.name for p in files)


# ---------------------------------------------------------------- a save elsewhere between crash and restore

def test_a_restored_window_notices_a_save_made_elsewhere_after_the_crash(qtbot, folder, choose, tmp_path):
    """The recovery file keeps the fingerprint the crashed window knew of the clerk's file: restored, the
    window's next save asks (FileChangedError) instead of overwriting what another PC saved meanwhile."""
    own = tmp_path / "报告.jxzp.json"
    report = storage.load(SAMPLES / "shilong_2020.jxzp.json")
    known = storage.save(report, own)
    meta = recovery.meta_for(report, str(own), known)
    assert meta["fingerprint"] == known.to_json()
    (folder / f"crashed{recovery.SUFFIX}").write_bytes(recovery.dumps(report, {**meta, "pid": DEAD_PID}))
    report.basic.contact_phone = "另一台电脑保存的电话"
    storage.save(report, own)  # after the crash, before the restore

    window = _start(qtbot)
    doc = window.doc
    assert doc.path == own and doc.fingerprint == known
    with pytest.raises(storage.FileChangedError):
        doc.save()
    assert storage.load(own).basic.contact_phone == "另一台电脑保存的电话"
