"""Crash recovery in the window: killed after an autosave, the next start lists every recovery file;
the clerk restores, keeps or deletes exactly what they choose; a failing autosave shows."""
import errno
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from model import recovery, storage
from ui import autosave
from ui.app import build
from ui.recovery_dialog import DELETE, LATER, RESTORE, RecoveryDialog

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources/samples"
CHILD = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QLineEdit
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtCore import QCoreApplication
app = QApplication([])
from ui.app import build
window = build(sys.argv[1], recover=False)
window.show()
field = window.findChild(QLineEdit, "basic.department")
field.setFocus(); field.selectAll()
event = QInputMethodEvent(); event.setCommitString(sys.argv[2])
QCoreApplication.sendEvent(field, event)          # the clerk types…
window.steps.setCurrentRow(1)                      # …and moves on: autosave on step change
print("autosaved", window.autosave.data_path, flush=True)
while True:
    app.processEvents(); time.sleep(0.05)
"""


def _crashed_window(data_dir, tmp_path, sample_name, typed):
    """A window process that autosaved ``typed`` as the department, then lost power."""
    sample = tmp_path / f"{sample_name} 报告.jxzp.json"
    sample.write_bytes((SAMPLES / f"{sample_name}.jxzp.json").read_bytes())
    env = dict(os.environ, JXZP_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(sample), typed], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    watchdog = threading.Timer(120, child.kill)  # a hung child must fail the test, not hang CI
    watchdog.start()
    try:
        line = child.stdout.readline()
        assert line.startswith("autosaved"), child.stderr.read()
        written = Path(line.split(" ", 1)[1].strip())
        assert written.exists()
        assert written not in [f for e in autosave.pending() for f in e.files]  # still running: not offered
    finally:
        watchdog.cancel()
        child.send_signal(signal.SIGKILL)  # power cut
        child.wait(timeout=20)
    return sample


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_after_autosave_then_restart_offers_restore(qtbot, data_dir, choose, tmp_path):
    sample = _crashed_window(data_dir, tmp_path, "xingxian_2022", "断电前改的名称")
    assert sample.read_bytes() == (SAMPLES / "xingxian_2022.jxzp.json").read_bytes()  # user's file untouched
    [entry] = autosave.pending()
    assert entry.readable and entry.original == str(sample) and entry.department == "断电前改的名称"

    window = build(None, recover=True)
    qtbot.addWidget(window)
    assert len(choose.shown) == 1
    assert window.doc.report.basic.department == "断电前改的名称"
    assert window.doc.path == sample and window.doc.modified  # still to be saved into the user's file
    assert autosave.pending() == []  # carried on by this window's own (live) recovery file


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_two_crashed_windows_both_offered_and_both_come_back(qtbot, data_dir, choose, tmp_path):
    """Issue 12, data loss 2: every recovery file is offered, each restored in its own window."""
    first = _crashed_window(data_dir, tmp_path, "xingxian_2022", "窗口一的修改")
    second = _crashed_window(data_dir, tmp_path, "shilong_2020", "窗口二的修改")
    assert len(autosave.pending()) == 2

    window = build(None, recover=True)
    qtbot.addWidget(window)
    [shown] = choose.shown
    assert {e.original for e in shown} == {str(first), str(second)}
    docs = [window.doc] + [w.doc for w in window.recovered_windows]
    for w in window.recovered_windows:
        qtbot.addWidget(w)
    assert sorted(d.report.basic.department for d in docs) == ["窗口一的修改", "窗口二的修改"]
    assert {d.path for d in docs} == {first, second} and all(d.modified for d in docs)


def _leave(folder: Path, name: str, sample: str, department: str, saved_at: str, **meta) -> Path:
    """A recovery file (current layout) left by a window that died."""
    report = storage.load(SAMPLES / f"{sample}.jxzp.json")
    report.basic.department = department
    info = {"original": "", "department": department, "template_id": report.template_id, "saved_at": saved_at,
            "pid": 999_999_999, "started": 1.0, **meta}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}{recovery.SUFFIX}"
    path.write_bytes(recovery.dumps(report, info))
    return path


def test_restoring_one_keeps_the_other(qtbot, data_dir, choose):
    """Issue 12, data loss 2: answering 恢复 for one file no longer deletes another window's work."""
    folder = data_dir / "recovery"
    newer = _leave(folder, "a", "shilong_2020", "甲单位", "2026-03-02T10:00:00")
    older = _leave(folder, "b", "xingxian_2022", "乙单位", "2026-03-01T10:00:00")
    choose.policy = staticmethod(lambda entries: (RESTORE, [e for e in entries if e.department == "乙单位"]))
    window = build(None, recover=True)
    qtbot.addWidget(window)
    assert [e.department for e in choose.shown[0]] == ["甲单位", "乙单位"]  # newest first, both listed
    assert window.doc.report.basic.department == "乙单位" and window.doc.modified
    assert newer.exists() and not older.exists()
    assert [e.department for e in autosave.pending()] == ["甲单位"]  # still offered at the next start


def test_run_shows_every_restored_window(qtbot, data_dir, choose, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from ui import app

    folder = data_dir / "recovery"
    _leave(folder, "a", "shilong_2020", "甲单位", "2026-03-02T10:00:00")
    _leave(folder, "b", "xingxian_2022", "乙单位", "2026-03-01T10:00:00")
    shown = []
    monkeypatch.setattr(QApplication, "exec", lambda self: shown.extend(
        w for w in QApplication.topLevelWidgets() if w.isVisible() and hasattr(w, "doc")) or 0)
    assert app.run() == 0
    for w in shown:
        qtbot.addWidget(w)
    assert sorted(w.doc.report.basic.department for w in shown) == ["乙单位", "甲单位"]
    assert autosave.pending() == []  # both carried on by the two live windows


def test_cancel_at_report_already_open_keeps_the_recovery_file(qtbot, data_dir, choose, answers, monkeypatch, tmp_path):
    """Restoring into a report another window has open, the clerk picks 取消: nothing is lost."""
    from ui import file_conflict

    original = tmp_path / "石龙区.jxzp.json"
    original.write_bytes((SAMPLES / "shilong_2020.jxzp.json").read_bytes())
    other = build(str(original), recover=False)  # the other window that has it open
    qtbot.addWidget(other)
    asked = []
    monkeypatch.setattr(file_conflict, "ask_locked", lambda *a: asked.append(a) or file_conflict.CANCEL)
    left = _leave(data_dir / "recovery", "a", "shilong_2020", "甲单位", "2026-03-02T10:00:00", original=str(original))
    answers.asked.clear()
    window = build(None, recover=True)
    qtbot.addWidget(window)
    for w in getattr(window, "recovered_windows", []):
        qtbot.addWidget(w)
    assert asked and window.doc.report.basic.department != "甲单位"
    assert getattr(window, "recovered_windows", []) == []
    assert left.exists() and [e.department for e in autosave.pending()] == ["甲单位"]  # offered again next time
    assert any(title == "无法恢复" and "甲单位" in text for title, text in answers.asked)


def test_later_keeps_everything_for_the_next_start(qtbot, data_dir, choose):
    folder = data_dir / "recovery"
    files = [_leave(folder, "a", "shilong_2020", "甲单位", "2026-03-02T10:00:00"),
             _leave(folder, "b", "xingxian_2022", "乙单位", "2026-03-01T10:00:00")]
    choose.policy = staticmethod(lambda entries: (LATER, []))
    window = build(None, recover=True)
    qtbot.addWidget(window)
    assert not window.doc.modified and all(f.exists() for f in files)
    assert len(autosave.pending()) == 2


def test_delete_only_the_checked_after_confirmation(qtbot, data_dir, choose, answers):
    folder = data_dir / "recovery"
    keep = _leave(folder, "a", "shilong_2020", "甲单位", "2026-03-02T10:00:00")
    drop = _leave(folder, "b", "xingxian_2022", "乙单位", "2026-03-01T10:00:00")
    rounds = iter([(DELETE, "乙单位"), (DELETE, "乙单位"), (LATER, None)])

    def policy(entries):
        action, who = next(rounds)
        return action, [e for e in entries if e.department == who]

    choose.policy = staticmethod(policy)
    answers.reply = QMessageBox.No  # first time the clerk thinks again: nothing deleted
    answers.asked.clear()
    window = build(None, recover=True)
    qtbot.addWidget(window)
    assert keep.exists() and drop.exists()
    assert answers.asked[0][0] == "删除自动保存的修改" and "乙单位" in answers.asked[0][1]

    rounds = iter([(DELETE, "乙单位"), (LATER, None)])
    answers.reply = QMessageBox.Yes
    choose.shown.clear()
    window = build(None, recover=True)
    qtbot.addWidget(window)
    assert keep.exists() and not drop.exists()
    assert [[e.department for e in shown] for shown in choose.shown] == [["甲单位", "乙单位"], ["甲单位"]]


def test_dialog_lists_every_file_with_checkboxes_and_reasons(qtbot, data_dir):
    folder = data_dir / "recovery"
    _leave(folder, "a", "shilong_2020", "甲单位", "2026-03-02T10:00:00", original="/home/会计/甲.jxzp.json")
    (folder / f"b{recovery.SUFFIX}").write_text('{"format": "jxzp-recovery", "ver', encoding="utf-8")
    entries = autosave.pending()
    dialog = RecoveryDialog(entries, str(folder))
    qtbot.addWidget(dialog)
    tree = dialog.tree
    assert tree.topLevelItemCount() == 2
    texts = [[tree.topLevelItem(i).text(c) for c in range(5)] for i in range(2)]
    good = next(t for t in texts if t[0].startswith("甲单位"))
    bad = next(t for t in texts if t is not good)
    assert good[4] == "/home/会计/甲.jxzp.json" and good[2] == "2026-03-02 10:00:00" and "河南" in good[3]
    assert good[1] == "可以恢复" and bad[1] == "无法读取" and bad[0] == f"b{recovery.SUFFIX}"
    assert bad[2] != "时间不详"  # the file's own time when it cannot say
    bad_item = tree.topLevelItem(texts.index(bad))
    assert bad_item.toolTip(1).startswith("无法读取：") and "损坏" in bad_item.toolTip(1)
    tree.setCurrentItem(bad_item)
    assert "损坏" in dialog.detail.text() and str(folder / f"b{recovery.SUFFIX}") in dialog.detail.text()
    states = {tree.topLevelItem(i).text(0): tree.topLevelItem(i).checkState(0) for i in range(2)}
    assert states[good[0]] == Qt.Checked and states[bad[0]] == Qt.Unchecked
    assert dialog.restore_button.isEnabled() and not dialog.move_button.isEnabled()
    dialog.set_checked([e for e in entries if not e.readable])
    assert not dialog.restore_button.isEnabled() and dialog.move_button.isEnabled() and dialog.delete_button.isEnabled()
    dialog.set_checked([])
    assert not dialog.delete_button.isEnabled()
    dialog.set_checked(entries)
    dialog.restore_button.click()
    assert dialog.action == RESTORE and [e.department for e in dialog.chosen()] == ["甲单位"]  # the unreadable is not "restored"
    dialog.reject()  # Esc: 暂不处理
    assert dialog.action == LATER and dialog.chosen() == []


def test_clean_exit_leaves_no_recovery_file(qtbot, data_dir, answers):
    window = build(str(SAMPLES / "xingxian_2022.jxzp.json"), recover=False)
    qtbot.addWidget(window)
    window.doc.set("basic.contact_person", "张三")
    assert window.autosave.save_now() and window.autosave.data_path.exists()
    assert [p.name for p in (data_dir / "recovery").iterdir()] != []
    answers.reply = QMessageBox.Discard
    window.close()
    assert not window.autosave.data_path.exists() and autosave.pending() == []
    assert list((data_dir / "recovery").iterdir()) == []  # the lock file goes too


def _status(window) -> str:
    label = window.statusBar().findChild(QLabel, "autosave_status")
    return label.text() if label is not None and not label.isHidden() else ""


FAILURES = {
    "read-only": ("os.replace", OSError(errno.EROFS, "Read-only file system"), "不可写"),
    "no permission": ("tempfile.mkstemp", PermissionError(errno.EACCES, "Permission denied"), "不可写"),
    "disk full": ("os.fsync", OSError(errno.ENOSPC, "No space left on device"), "磁盘已满"),
}


@pytest.mark.parametrize("kind", [*FAILURES, "folder is a file"])
def test_autosave_failure_shows_in_status_bar_and_title(qtbot, data_dir, kind):
    """Issue 12, data loss 3: a recovery file that cannot be written is no longer silent."""
    window = build(str(SAMPLES / "xingxian_2022.jxzp.json"), recover=False)
    qtbot.addWidget(window)
    window.doc.set("basic.contact_person", "张三")
    with pytest.MonkeyPatch.context() as failing:  # its own: undoing it leaves conftest's patches alone
        if kind == "folder is a file":  # real, not simulated: the data folder cannot hold the recovery folder
            data_dir.mkdir(parents=True, exist_ok=True)
            (data_dir / "recovery").write_text("not a folder", encoding="utf-8")
            expected = "无法在"
        else:
            target, error, expected = FAILURES[kind]
            module, name = target.split(".")

            def fail(*args, **kwargs):
                raise error
            failing.setattr({"os": os, "tempfile": tempfile}[module], name, fail)
        assert window.autosave.save_now() is False
        status = _status(window)
        assert status.startswith("自动保存失败：") and expected in status and "请尽快保存（Ctrl+S）" in status
        assert window.windowTitle().startswith("（未自动保存）")
        window.setWindowTitle("兴县.jxzp.json * — 绩效自评填报助手")  # the window re-titles itself (save, edit…)
        assert window.windowTitle() == "（未自动保存）兴县.jxzp.json * — 绩效自评填报助手"  # the mark stays
    if kind == "folder is a file":
        (data_dir / "recovery").unlink()
    assert window.autosave.save_now() is True  # the disk is back
    assert _status(window) == "" and not window.windowTitle().startswith("（未自动保存）")
    assert autosave.pending() == []  # ours, and we are running
    assert window.autosave.data_path.exists() and window.autosave.data_path.is_relative_to(data_dir)
