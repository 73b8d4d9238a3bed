"""Shared test setup: headless Qt, the repo on sys.path, sample loading."""
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"


@pytest.fixture
def sample():
    """Load a bundled sample by name, e.g. sample("xingxian_2022")."""
    from model import storage

    return lambda name: storage.load(SAMPLES / f"{name}.jxzp.json")


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    """Modal questions answer themselves (a test sets answers.reply); each asked title is recorded."""
    from PySide6.QtWidgets import QMessageBox

    class Answers:
        reply = QMessageBox.Discard
        asked: list = []

    def question(parent, title, text, *args, **kwargs):
        Answers.asked.append((title, text))
        return Answers.reply

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: Answers.asked.append((title, text)))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: Answers.asked.append((title, text)))

    from ui import file_conflict  # the window's own dialogs about a shared file (tests/ui/test_file_conflicts.py)

    Answers.locked = file_conflict.OPEN  # 报告已被打开 (another window has it): open it all the same
    Answers.file_changed = file_conflict.CANCEL  # 文件已被修改 since it was read: do not save

    def ask_locked(parent, path, owner):
        Answers.asked.append(("报告已被打开", file_conflict.locked_text(path, owner)))
        return Answers.locked

    def ask_file_changed(parent, doc, theirs, error="", current=None):
        Answers.asked.append(("文件已被修改", str(doc.path)))
        return Answers.file_changed

    monkeypatch.setattr(file_conflict, "ask_locked", ask_locked)
    monkeypatch.setattr(file_conflict, "ask_file_changed", ask_file_changed)
    return Answers


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Settings, recovery files and user templates go to a temp folder, never the real profile."""
    folder = tmp_path / "userdata"
    monkeypatch.setenv("JXZP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def report_file(tmp_path) -> Path:
    """A copy of the 兴县 sample in a folder with a Chinese name and spaces, as on a shared drive."""
    path = tmp_path / "共享 文件夹" / "兴县 2022.jxzp.json"
    path.parent.mkdir()
    path.write_bytes((SAMPLES / "xingxian_2022.jxzp.json").read_bytes())
    return path


@pytest.fixture
def choose(monkeypatch):
    """The recovery list answers itself: ``choose.policy(entries) -> (action, chosen)``; each list shown is
    recorded, and the real list is built for every case, too."""
    from ui import recovery_dialog

    class Choose:
        shown: list = []
        policy = staticmethod(lambda entries: (recovery_dialog.RESTORE, [e for e in entries if e.readable]))

    def ask(parent, entries, folder=""):
        Choose.shown.append(list(entries))
        recovery_dialog.RecoveryDialog(entries, folder, parent).deleteLater()
        return Choose.policy(entries)

    monkeypatch.setattr(recovery_dialog, "ask", ask)
    return Choose

