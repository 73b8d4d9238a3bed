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
