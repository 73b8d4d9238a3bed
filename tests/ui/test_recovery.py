"""Crash recovery: the app is killed (SIGKILL) after an autosave; the next start offers the edit back."""
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ui import autosave
from ui.app import build

ROOT = Path(__file__).resolve().parents[2]
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
event = QInputMethodEvent(); event.setCommitString("断电前改的名称")
QCoreApplication.sendEvent(field, event)          # the clerk types…
window.steps.setCurrentRow(1)                      # …and moves on: autosave on step change
print("autosaved", window.autosave.data_path, flush=True)
while True:
    app.processEvents(); time.sleep(0.05)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_after_autosave_then_restart_offers_restore(qtbot, data_dir, answers, tmp_path):
    sample = tmp_path / "兴县.jxzp.json"
    sample.write_bytes((ROOT / "resources/samples/xingxian_2022.jxzp.json").read_bytes())
    env = dict(os.environ, JXZP_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(sample)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    watchdog = threading.Timer(120, child.kill)  # a hung child must fail the test, not hang CI
    watchdog.start()
    try:
        line = child.stdout.readline()
        assert line.startswith("autosaved"), child.stderr.read()
    finally:
        watchdog.cancel()
        child.send_signal(signal.SIGKILL)  # power cut
        child.wait(timeout=20)
    assert sample.read_bytes() == (ROOT / "resources/samples/xingxian_2022.jxzp.json").read_bytes()  # user's file untouched
    assert len(autosave.pending()) == 1

    answers.reply = QMessageBox.Yes
    window = build(None, recover=True)
    qtbot.addWidget(window)
    assert any(title == "恢复未保存的修改" for title, _ in answers.asked)
    assert window.doc.report.basic.department == "断电前改的名称"
    assert window.doc.path == sample and window.doc.modified  # still to be saved into the user's file
    assert autosave.pending() == []


def test_clean_exit_leaves_no_recovery_file(qtbot, data_dir, answers):
    window = build(str(ROOT / "resources/samples/xingxian_2022.jxzp.json"), recover=False)
    qtbot.addWidget(window)
    window.doc.set("basic.contact_person", "张三")
    assert window.autosave.save_now() and window.autosave.data_path.exists()
    answers.reply = QMessageBox.Discard
    window.close()
    assert not window.autosave.data_path.exists() and autosave.pending() == []


def test_declining_the_offer_removes_the_recovery_file(qtbot, data_dir, answers):
    folder = data_dir / "recovery"
    folder.mkdir(parents=True)
    (folder / "x.jxzp.json").write_bytes((ROOT / "resources/samples/shilong_2020.jxzp.json").read_bytes())
    (folder / "x.meta.json").write_text('{"pid": 999999, "saved_at": "2026-01-01T00:00:00"}', encoding="utf-8")
    answers.reply = QMessageBox.No
    window = build(None, recover=True)
    qtbot.addWidget(window)
    assert autosave.pending() == [] and not window.doc.modified
