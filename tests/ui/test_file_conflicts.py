"""Windows that share a file (issue 12, data loss 1): the second save asks, the second opener is warned.

Before: two windows on one file, A saves 联系人, B saves 电话 — A's 联系人 gone, both
reported success; `import-final` into an open file was undone by the window's next
save.  Now the window's save compares the file with the version it read and asks
(文件已被修改: 重新载入 / 比较差异 / 合并后保存 / 另存为 / 仍然覆盖), and a lock file
warns a second window (报告已被打开: 只读打开 / 仍然打开 / 取消).
"""
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox

from model import filelock, storage
from model.report import Report
from ui import file_conflict
from ui.document import Document
from ui.main_window import MainWindow

from tests.ui.conftest import type_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources/samples/xingxian_2022.jxzp.json"


@pytest.fixture
def choices(monkeypatch):
    """The clerk's answers to 文件已被修改 and 报告已被打开 (tests set them); each question is recorded."""

    class Choices:
        file_changed = file_conflict.CANCEL
        locked = file_conflict.OPEN
        asked_changed: list = []
        asked_locked: list = []

    def ask_file_changed(parent, doc, theirs, error="", current=None):
        dialog = file_conflict.FileChangedDialog(parent, doc, theirs, error, current)
        dialog.show_differences() if theirs is not None else None
        rows = [tuple(dialog.table.item(r, c).text() for c in range(4)) for r in range(dialog.table.rowCount())]
        Choices.asked_changed.append({"rows": rows, "merge": dialog.buttons[file_conflict.MERGE].isEnabled(),
                                      "summary": dialog.summary.text(), "message": dialog.message.text()})
        dialog.deleteLater()
        return Choices.file_changed

    def ask_locked(parent, path, owner):
        Choices.asked_locked.append(file_conflict.locked_text(path, owner))
        return Choices.locked

    monkeypatch.setattr(file_conflict, "ask_file_changed", ask_file_changed)
    monkeypatch.setattr(file_conflict, "ask_locked", ask_locked)
    return Choices


def window_on(qtbot, path) -> MainWindow:
    window = MainWindow(Document.open(path))
    qtbot.addWidget(window)
    return window


def save_as_goes_to(monkeypatch, path: Path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


# ---------------------------------------------------------------- two windows, one file

def test_second_save_asks_and_reload_loses_nothing_silently(qtbot, answers, choices, report_file):
    a, b = window_on(qtbot, report_file), window_on(qtbot, report_file)
    a.doc.set("basic.contact_person", "联系人A")
    assert a.save()
    b.doc.set("basic.contact_phone", "0358-1234567")
    assert b.save() is False  # asked, not overwritten
    assert storage.load(report_file).basic.contact_person == "联系人A"
    (question,) = choices.asked_changed
    assert "已被修改" in question["message"] and "另一个窗口" in question["message"]
    assert ("基本信息 › 联系人", "（空）", "联系人A", "对方") in question["rows"]
    assert ("基本信息 › 联系电话", "0358-1234567", "（空）", "本窗口") in question["rows"]
    assert b.doc.modified and b.doc.report.basic.contact_phone == "0358-1234567"  # 取消: B keeps its edit

    choices.file_changed = file_conflict.RELOAD
    answers.reply = QMessageBox.No  # “放弃修改并重新载入？” — no: nothing changes
    assert b.save() is False
    assert answers.asked[-1][0] == "放弃修改并重新载入"
    assert b.doc.report.basic.contact_phone == "0358-1234567"
    answers.reply = QMessageBox.Yes
    assert b.save() is False
    assert b.doc.report.basic.contact_person == "联系人A" and not b.doc.modified  # the disk's version, as confirmed
    b.doc.set("basic.contact_phone", "0358-1234567")
    assert b.save()  # B knows the file again: no question
    saved = storage.load(report_file)
    assert (saved.basic.contact_person, saved.basic.contact_phone) == ("联系人A", "0358-1234567")
    assert len(choices.asked_changed) == 3


def test_merge_keeps_both_windows_edits(qtbot, answers, choices, report_file):
    a, b = window_on(qtbot, report_file), window_on(qtbot, report_file)
    a.doc.set("basic.contact_person", "联系人A")
    assert a.save()
    b.doc.set("basic.contact_phone", "0358-1234567")
    choices.file_changed = file_conflict.MERGE
    assert b.save()
    assert choices.asked_changed[0]["merge"] and "合并后保存" in choices.asked_changed[0]["summary"]
    saved = storage.load(report_file)
    assert (saved.basic.contact_person, saved.basic.contact_phone) == ("联系人A", "0358-1234567")
    assert b.doc.report.basic.contact_person == "联系人A" and not b.doc.modified
    b.doc.undo_stack.undo()  # the merge is one undo step
    assert b.doc.report.basic.contact_person == ""
    a.doc.set("basic.address", "兴县")
    choices.file_changed = file_conflict.CANCEL
    assert a.save() is False  # A, behind B's save now, is asked in turn


def test_window_started_with_the_file_knows_its_version(qtbot, answers, choices, report_file):
    """main.py 报告.jxzp.json (double-click): the same checks and the same merge as 文件 → 打开."""
    from ui.app import build

    a = build(str(report_file), recover=False)
    qtbot.addWidget(a)
    b = window_on(qtbot, report_file)
    b.doc.set("basic.contact_person", "联系人B")
    assert b.save()
    a.doc.set("basic.contact_phone", "0358-1234567")
    choices.file_changed = file_conflict.MERGE
    assert a.save() and choices.asked_changed[0]["merge"]
    saved = storage.load(report_file)
    assert (saved.basic.contact_person, saved.basic.contact_phone) == ("联系人B", "0358-1234567")


def test_same_field_on_both_sides_cannot_merge_overwrite_keeps_theirs_in_bak(qtbot, answers, choices, report_file):
    a, b = window_on(qtbot, report_file), window_on(qtbot, report_file)
    a.doc.set("basic.contact_phone", "1111")
    assert a.save()
    b.doc.set("basic.contact_phone", "2222")
    choices.file_changed = file_conflict.MERGE  # not offered: the window falls through to no save
    assert b.save() is False and not choices.asked_changed[0]["merge"]
    assert ("基本信息 › 联系电话", "2222", "1111", "双方都改了") in choices.asked_changed[0]["rows"]
    choices.file_changed = file_conflict.OVERWRITE  # the clerk's explicit choice
    assert b.save()
    assert storage.load(report_file).basic.contact_phone == "2222"
    assert storage.load(report_file.with_name(report_file.name + ".bak")).basic.contact_phone == "1111"


def test_save_as_from_the_question_keeps_both_files(qtbot, answers, choices, report_file, tmp_path, monkeypatch):
    a, b = window_on(qtbot, report_file), window_on(qtbot, report_file)
    a.doc.set("basic.contact_person", "联系人A")
    assert a.save()
    b.doc.set("basic.contact_phone", "2222")
    choices.file_changed = file_conflict.SAVE_AS
    copy = tmp_path / "我的副本.jxzp.json"
    save_as_goes_to(monkeypatch, copy)
    assert b.save()
    assert storage.load(report_file).basic.contact_person == "联系人A"
    assert storage.load(copy).basic.contact_phone == "2222" and b.doc.path == copy


def test_ctrl_s_and_close_go_through_the_same_question(qtbot, answers, choices, report_file):
    a, b = window_on(qtbot, report_file), window_on(qtbot, report_file)
    a.doc.set("basic.contact_person", "联系人A")
    assert a.save()
    field = b.findChild(QLineEdit, "basic.contact_phone")
    type_text(field, "0358")
    field.editingFinished.emit()
    assert b.doc.report.basic.contact_phone == "0358"
    answers.reply = QMessageBox.Save  # 关闭: “要保存吗？” → 保存 → asked → 取消: the window stays open
    assert b.close() is False
    assert choices.asked_changed and storage.load(report_file).basic.contact_person == "联系人A"


def test_import_final_into_an_open_file_is_not_undone(qtbot, answers, choices, tmp_path):
    path = tmp_path / "兴县2022.jxzp.json"
    storage.save(Report(template_id="mof-project-2020", fiscal_year=2022, display_unit="yuan"), path)
    window = window_on(qtbot, path)
    window.doc.set("basic.contact_person", "李四")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "import-final", str(path),
                          str(ROOT / "tests/importers/data/tables.xlsx")],
                         capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    imported = storage.load(path).finance.units[0].general_budget
    assert window.save() is False  # before: saved silently, the import undone
    assert storage.load(path).finance.units[0].general_budget == imported
    assert any(r[0].startswith("收支情况") and r[3] == "对方" for r in choices.asked_changed[0]["rows"])
    choices.file_changed = file_conflict.MERGE
    assert window.save()
    saved = storage.load(path)
    assert saved.basic.contact_person == "李四" and saved.finance.units[0].general_budget == imported


def test_file_gone_or_unreadable(qtbot, answers, choices, report_file):
    window = window_on(qtbot, report_file)
    window.doc.set("basic.contact_person", "李四")
    report_file.unlink()  # moved away: saving puts it back, nothing to lose
    assert window.save() and storage.load(report_file).basic.contact_person == "李四"
    report_file.write_bytes(b"{half written")  # someone else's program left it broken
    window.doc.set("basic.contact_person", "王五")
    assert window.save() is False
    assert "无法读取" in choices.asked_changed[0]["message"]


def test_real_dialog_buttons(qtbot, report_file):
    doc = Document.open(report_file)
    theirs = storage.load(report_file)
    theirs.basic.contact_person = "联系人A"
    dialog = file_conflict.FileChangedDialog(None, doc, theirs)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "文件已被修改"
    assert [b.text() for b in dialog.buttons.values()] == ["重新载入", "比较差异", "合并后保存", "另存为…", "仍然覆盖", "取消"]
    assert not dialog.table.isVisible()
    dialog.buttons["diff"].click()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "基本信息 › 联系人"
    assert dialog.result() == 0  # comparing does not close it
    dialog.buttons[file_conflict.OVERWRITE].click()
    assert dialog.choice == file_conflict.OVERWRITE


# ---------------------------------------------------------------- the lock file

def test_open_writes_a_lock_and_close_removes_it(qtbot, answers, choices, report_file, tmp_path):
    window = window_on(qtbot, report_file)
    lock = filelock.lock_path(report_file)
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert data["进程号"] == os.getpid() and data["用户名"] and data["计算机名"] and data["打开时间"]
    other = tmp_path / "另一份.jxzp.json"
    other.write_bytes(SAMPLE.read_bytes())
    assert window.open_path(other)
    assert not lock.exists() and filelock.lock_path(other).exists()  # opening another file lets go of the first
    window.doc.set("basic.contact_person", "x")
    assert window.save()
    choices.file_changed = file_conflict.RELOAD
    token = json.loads(filelock.lock_path(other).read_text(encoding="utf-8"))["标识"]
    assert window.reload()
    assert json.loads(filelock.lock_path(other).read_text(encoding="utf-8"))["标识"] == token  # kept over a reload
    answers.reply = QMessageBox.Discard
    window.close()
    assert not filelock.lock_path(other).exists()
    assert not choices.asked_locked


def test_second_window_is_warned_and_opens_read_only(qtbot, answers, choices, report_file, tmp_path, monkeypatch):
    first = window_on(qtbot, report_file)
    choices.locked = file_conflict.READ_ONLY
    second = window_on(qtbot, report_file)
    (text,) = choices.asked_locked
    assert text.startswith("此报告已由 ") and "本机另一个窗口中" in text and datetime.now().strftime("%H:%M") in text
    assert second.doc.read_only and "只读" in second.windowTitle()
    second.doc.set("basic.contact_person", "不该写进原文件")
    copy = tmp_path / "副本.jxzp.json"
    save_as_goes_to(monkeypatch, copy)
    answers.reply = QMessageBox.Yes  # “不能直接保存，要另存为吗？” → 是
    assert second.save()
    assert answers.asked[-1][0] == "只读打开的报告"
    assert storage.load(report_file).basic.contact_person != "不该写进原文件"  # the original untouched
    assert storage.load(copy).basic.contact_person == "不该写进原文件" and not second.doc.read_only
    assert filelock.lock_path(copy).exists() and filelock.lock_path(report_file).exists()  # each window its own


def test_second_window_cancel_keeps_what_it_had(qtbot, answers, choices, report_file):
    first = window_on(qtbot, report_file)
    second = MainWindow(Document(Report(template_id="hunan-dept", fiscal_year=2023)))
    qtbot.addWidget(second)
    choices.locked = file_conflict.CANCEL
    assert second.open_path(report_file) is False
    assert second.doc.path is None and second.doc.report.template_id == "hunan-dept"
    choices.locked = file_conflict.OPEN
    assert second.open_path(report_file)  # 仍然打开: edit beside the other window, without its own lock
    assert not second.doc.read_only and not second.doc.lock_held
    answers.reply = QMessageBox.Discard
    first.close()
    second.doc.set("basic.contact_person", "x")
    assert second.save() and second.doc.lock_held  # the lock is taken once the other window is gone


def test_another_pc_is_named(qtbot, answers, choices, report_file):
    info = {"format": filelock.FORMAT, "用户名": "张三", "计算机名": "PC-01", "进程号": 4312,
            "打开时间": datetime.now().replace(hour=9, minute=12).isoformat(timespec="seconds"), "标识": "t"}
    filelock.lock_path(report_file).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    choices.locked = file_conflict.CANCEL
    window = MainWindow(Document.open(report_file))  # started with the file (command line, double-click)
    qtbot.addWidget(window)
    assert choices.asked_locked[0].startswith("此报告已由 张三 在 PC-01 于 09:12 打开")
    assert window.doc.path is None  # 取消 at start-up: an empty report instead, the file not touched
    assert json.loads(filelock.lock_path(report_file).read_text(encoding="utf-8"))["标识"] == "t"


def test_stale_lock_is_taken_over_quietly(qtbot, answers, choices, report_file):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    info = {"format": filelock.FORMAT, "用户名": "我", "计算机名": filelock._host(), "进程号": int(gone.stdout),
            "打开时间": "2026-01-01T08:00:00", "标识": "crashed"}
    filelock.lock_path(report_file).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    window = window_on(qtbot, report_file)
    assert not choices.asked_locked and window.doc.lock_held
    assert json.loads(filelock.lock_path(report_file).read_text(encoding="utf-8"))["标识"] == window.doc.lock.token


def test_unwritable_folder_opens_and_says_so(qtbot, answers, choices, report_file, monkeypatch):
    import errno

    real_open = os.open

    def read_only_share(path, flags, *args):
        if str(path).endswith(".lock") and flags & os.O_CREAT:
            raise OSError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only_share)
    window = window_on(qtbot, report_file)
    assert window.doc.path == report_file and not window.doc.lock_held and not choices.asked_locked
    assert "锁定文件" in window.statusBar().currentMessage()
    window.doc.set("basic.contact_person", "李四")
    assert window.save() and storage.load(report_file).basic.contact_person == "李四"


def test_locked_box_has_the_three_choices(qtbot, report_file):
    owner = filelock.LockInfo("张三", "PC-01", 1, datetime.now().replace(hour=9, minute=12).isoformat())
    box, buttons = file_conflict.locked_box(None, report_file, owner)
    qtbot.addWidget(box)
    assert box.windowTitle() == "报告已被打开"
    assert [b.text() for b in buttons.values()] == ["只读打开", "仍然打开", "取消"]
    assert box.text().startswith("此报告已由 张三 在 PC-01 于 09:12 打开")
