"""Two hands on one file (issue 12, data loss 1): nothing one of them saved is silently undone.

A window remembers the fingerprint of the file it read; before saving over it, it
compares, so a save by another window, another PC or a command (import-final,
roll-forward --force) is noticed instead of overwritten.  A lock file beside the
report tells a second window who has it open.  Model level here (Fingerprint,
diff, merge, the lock, Document.save); the window's dialogs in tests/ui/test_file_conflicts.py.
"""
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from model import field_labels, filelock, merge, storage, templates
from model.report import IndicatorAnswer, Report

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources/samples/xingxian_2022.jxzp.json"
WORKBOOK = ROOT / "tests/importers/data/tables.xlsx"


def cli(*args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT)


# ---------------------------------------------------------------- Fingerprint

def test_fingerprint_sees_content_not_times(report_file):
    fp = storage.Fingerprint.of(report_file)
    assert fp.size == report_file.stat().st_size and len(fp.sha256) == 64
    assert storage.changed_on_disk(fp, report_file) is None
    os.utime(report_file, (time.time() + 100, time.time() + 100))  # touched (a copy tool, a share): same content
    assert storage.changed_on_disk(fp, report_file) is None
    data = report_file.read_bytes()
    report_file.write_bytes(data.replace("兴县".encode(), "兴州".encode(), 1))  # same size, other content
    assert report_file.stat().st_size == fp.size
    current = storage.changed_on_disk(fp, report_file)
    assert current is not None and current.sha256 != fp.sha256


def test_fingerprint_of_missing_and_new_files(tmp_path):
    path = tmp_path / "新.jxzp.json"
    assert storage.Fingerprint.of(path) is None
    assert storage.changed_on_disk(None, path) is None  # nothing there: nothing to overwrite
    written = storage.save(Report(template_id="hunan-dept", fiscal_year=2024), path)
    assert written == storage.Fingerprint.of(path)  # save returns the fingerprint of exactly what it wrote
    assert storage.changed_on_disk(None, path) == written  # a file appeared where we knew none
    path.unlink()
    assert storage.changed_on_disk(written, path) is None  # deleted: saving recreates it, nothing is lost
    assert storage.Fingerprint.from_json(written.to_json()) == written
    assert storage.Fingerprint.from_json({"size": "x"}) is None


def test_load_with_fingerprint_takes_it_before_reading(report_file, monkeypatch):
    """If the file changes while being read, the fingerprint is of the older version: the next save asks."""
    real_load = storage.load

    def load_while_someone_saves(path):
        report = real_load(path)
        other = real_load(SAMPLE)
        other.basic.contact_person = "别人"
        storage.save(other, path)
        return report

    monkeypatch.setattr(storage, "load", load_while_someone_saves)
    _, fp, _ = storage.load_with_fingerprint(report_file)
    assert storage.changed_on_disk(fp, report_file) is not None


# ---------------------------------------------------------------- diff and labels

def test_diff_lists_each_changed_field_with_a_chinese_name():
    ours = storage.load(SAMPLE)
    theirs = storage.load(SAMPLE)
    assert storage.diff(ours, theirs) == []
    theirs.basic.contact_person = "张三"
    theirs.projects[1].indicators[0].actual = "3套"
    theirs.finance.initial_budget = Decimal("1234.5")
    theirs.narrative["summary"] = "新写的一段"
    theirs.projects.append(storage.load(SAMPLE).projects[0])
    rows = storage.diff(ours, theirs)
    paths = [p for p, _, _ in rows]
    assert paths == ["basic.contact_person", "finance.initial_budget", "projects[1].indicators[0].actual",
                     "projects[4]", "narrative.summary"]
    assert rows[0] == ("basic.contact_person", ours.basic.contact_person, "张三")
    assert rows[1][2] == "1234.5"  # values as saved: amounts as strings, never floats
    assert rows[3][1] is None and rows[3][2]["name"] == ours.projects[0].name  # one row for a whole new project
    tpl = templates.get(ours.template_id)
    names = [field_labels.label(p, ours, tpl) for p in paths]
    assert names[0] == "基本信息 › 联系人"
    assert names[1] == "收支情况 › 年初预算数"
    assert names[2] == (f"项目支出 › 项目“{ours.projects[1].name}” › 绩效指标 › "
                        f"指标“{ours.projects[1].indicators[0].name}” › 实际完成值(B)")
    assert names[3] == "项目支出 › 第 5 个项目"
    assert field_labels.show(None) == "（空）" and field_labels.show(True) == "是"
    assert field_labels.show(rows[3][2]) == f"（一项：{ours.projects[0].name}）"


def test_diff_of_indicator_answers_names_the_indicator():
    ours = storage.load(ROOT / "resources/samples/shilong_2020.jxzp.json")
    theirs = storage.load(ROOT / "resources/samples/shilong_2020.jxzp.json")
    first = next(iter(ours.answers))
    theirs.answers[first].note = "补充佐证"
    theirs.answers["brand_new"] = IndicatorAnswer(value=Decimal(5))  # an answer only one side has: its filled fields
    ours.answers["empty_on_our_side"] = IndicatorAnswer()  # an answer created empty is no difference
    rows = storage.diff(ours, theirs)
    assert [(p, t) for p, _, t in rows] == [(f"answers.{first}.note", "补充佐证"), ("answers.brand_new.value", "5")]
    tpl = templates.get(ours.template_id)
    assert field_labels.label(rows[0][0], ours, tpl) == f"部门整体绩效指标 › 指标“{tpl.indicator(first).name}” › 评价说明"
    assert field_labels.label("no_such.path", ours, tpl) == "no_such.path"


# ---------------------------------------------------------------- merge

def test_merge_keeps_both_sides_when_they_changed_different_fields():
    base = storage.load(SAMPLE)
    ours, theirs = storage.load(SAMPLE), storage.load(SAMPLE)
    theirs.basic.contact_person = "联系人A"
    theirs.projects.append(storage.load(SAMPLE).projects[0])  # they added a project
    ours.basic.contact_phone = "0358-1234567"
    merged = merge.merged(storage.to_data(base), ours, theirs)
    assert merged.basic.contact_person == "联系人A" and merged.basic.contact_phone == "0358-1234567"
    assert len(merged.projects) == len(base.projects) + 1
    assert storage.loads(storage.dumps(merged)) == merged  # a valid report

    ours.projects[0].name = "我也改了项目"  # now both touched the project list: the clerk decides
    values, clashes = merge.plan(storage.to_data(base), ours, theirs)
    assert clashes == ["projects"] and merge.merged(storage.to_data(base), ours, theirs) is None


def test_merge_refuses_the_same_field_changed_on_both_sides():
    base = storage.load(SAMPLE)
    ours, theirs = storage.load(SAMPLE), storage.load(SAMPLE)
    ours.basic.contact_phone, theirs.basic.contact_phone = "1", "2"
    assert merge.plan(storage.to_data(base), ours, theirs)[1] == ["basic.contact_phone"]


# ---------------------------------------------------------------- the data-loss cases, Document level

def _document(path):
    from ui.document import Document

    return Document.open(path)


def test_two_documents_on_one_file_the_second_save_is_refused_not_silent(qtbot, report_file):
    """A saves 联系人, then B saves 电话: before, B's save reported success and A's 联系人 was gone."""
    a, b = _document(report_file), _document(report_file)
    a.set("basic.contact_person", "联系人A")
    a.save()
    b.set("basic.contact_phone", "0358-1234567")
    try:
        b.save()
    except storage.StorageError:
        pass
    assert storage.load(report_file).basic.contact_person == "联系人A"  # A's save is not undone
    with pytest.raises(storage.FileChangedError) as raised:
        b.save()
    assert "已被修改" in str(raised.value) and "另存为" in str(raised.value)
    assert b.modified  # B's edit is still in B
    b.save(overwrite=True)  # only the clerk's explicit 仍然覆盖 writes over it…
    assert storage.load(report_file).basic.contact_phone == "0358-1234567"
    assert storage.load(report_file.with_name(report_file.name + ".bak")).basic.contact_person == "联系人A"  # …kept in .bak
    b.set("basic.contact_phone", "0358-7654321")
    b.save()  # after its own save B knows the file again: no question
    a.set("basic.address", "兴县")
    with pytest.raises(storage.FileChangedError):
        a.save()  # and now A is the one asked


def test_import_final_into_an_open_file_is_not_undone_by_the_next_save(qtbot, tmp_path):
    path = tmp_path / "兴县2022.jxzp.json"
    storage.save(Report(template_id="mof-project-2020", fiscal_year=2022, display_unit="yuan"), path)
    doc = _document(path)
    doc.set("basic.contact_person", "李四")
    out = cli("import-final", path, WORKBOOK)
    assert out.returncode == 0, out.stderr
    imported = storage.load(path).finance.units[0].general_budget
    assert imported is not None
    try:
        doc.save()
    except storage.StorageError:
        pass
    assert storage.load(path).finance.units[0].general_budget == imported  # the import survives
    with pytest.raises(storage.FileChangedError):
        doc.save()
    merged = merge.merged(doc.base, doc.report, storage.load(path))  # what 合并后保存 writes
    assert merged.basic.contact_person == "李四" and merged.finance.units[0].general_budget == imported


def test_roll_forward_written_over_an_open_file_is_noticed(qtbot, tmp_path, report_file):
    target = tmp_path / "2023.jxzp.json"
    storage.save(storage.load(SAMPLE), target)
    doc = _document(target)
    doc.set("basic.contact_person", "王五")
    out = cli("roll-forward", report_file, "-o", target, "--force")
    assert out.returncode == 0, out.stderr
    assert storage.load(target).fiscal_year == 2023
    try:
        doc.save()
    except storage.StorageError:
        pass
    assert storage.load(target).fiscal_year == 2023  # the new year's report is not replaced by the old one
    with pytest.raises(storage.FileChangedError):
        doc.save()


def test_saving_as_another_file_needs_no_question_and_moves_the_lock(qtbot, report_file, tmp_path):
    doc = _document(report_file)
    assert doc.claim_lock() is None and doc.lock_held
    other = tmp_path / "另一份.jxzp.json"
    doc.set("basic.contact_person", "赵六")
    doc.save(other)
    assert doc.path == other and storage.load(other).basic.contact_person == "赵六"
    assert not filelock.lock_path(report_file).exists() and filelock.lock_path(other).exists()
    doc.release_lock()
    assert not filelock.lock_path(other).exists()


# ---------------------------------------------------------------- the lock file

def _write_lock(report, **fields):
    info = {"format": filelock.FORMAT, "用户名": "张三", "计算机名": "PC-01", "进程号": 4312,
            "打开时间": datetime.now().isoformat(timespec="seconds"), "标识": "x"}
    info.update(fields)
    filelock.lock_path(report).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def test_lock_file_says_who_and_goes_away(report_file):
    lock = filelock.FileLock(report_file)
    assert lock.acquire() is None and lock.held
    lp = filelock.lock_path(report_file)
    assert lp.name == f".{report_file.name}.lock" and lp.parent == report_file.parent
    data = json.loads(lp.read_text(encoding="utf-8"))
    assert {"用户名", "计算机名", "进程号", "打开时间"} <= set(data) and data["进程号"] == os.getpid()
    second = filelock.FileLock(report_file)
    owner = second.acquire()
    assert owner is not None and not second.held and owner.pid == os.getpid()  # another window of this program
    assert second.owner() == owner and lock.owner() is None  # our own lock is nobody else's
    second.release()  # not held: must not remove the other's lock
    assert lp.exists()
    lock.release()
    assert not lp.exists()
    assert second.acquire() is None and second.held
    second.release()


def test_lock_from_another_pc_warns_until_it_is_old(report_file):
    _write_lock(report_file)
    owner = filelock.FileLock(report_file).owner()
    assert owner.user == "张三" and owner.host == "PC-01"
    assert owner.when() == datetime.fromisoformat(owner.opened_at).strftime("%H:%M")
    old = (datetime.now() - timedelta(hours=13)).isoformat(timespec="seconds")
    _write_lock(report_file, 打开时间=old)
    lp = filelock.lock_path(report_file)
    os.utime(lp, (time.time() - 13 * 3600,) * 2)
    lock = filelock.FileLock(report_file)
    assert lock.owner() is None and lock.acquire() is None and lock.held  # stale: taken over quietly
    assert json.loads(lp.read_text(encoding="utf-8"))["标识"] == lock.token
    lock.release()
    _write_lock(report_file, 打开时间=old)  # opened long ago but renewed recently (the window stayed open)
    assert filelock.FileLock(report_file).owner() is not None


def test_lock_of_a_process_gone_from_this_pc_is_taken_over(report_file):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    _write_lock(report_file, 计算机名=filelock._host(), 进程号=int(gone.stdout))
    lock = filelock.FileLock(report_file)
    assert lock.owner() is None and lock.acquire() is None and lock.held
    lock.release()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process start times from /proc")
def test_lock_of_a_reused_process_id_is_stale(report_file):
    """The pid in the lock now belongs to another process (reboot, long uptime): not the window that wrote it."""
    _write_lock(report_file, 计算机名=filelock._host(), 进程号=os.getppid(), 进程启动="earlier-boot:1")
    assert filelock.FileLock(report_file).owner() is None
    _write_lock(report_file, 计算机名=filelock._host(), 进程号=os.getppid(),
                进程启动=filelock.process_start(os.getppid()))
    assert filelock.FileLock(report_file).owner() is not None


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": "other"}', "乱码".encode("gbk")])
def test_damaged_lock_is_taken_over(report_file, content):
    filelock.lock_path(report_file).write_bytes(content)
    lock = filelock.FileLock(report_file)
    assert lock.acquire() is None and lock.held
    lock.release()


def test_unwritable_folder_opens_without_a_lock(report_file, monkeypatch):
    import errno

    real_open = os.open

    def read_only_share(path, flags, *args):
        if str(path).endswith(".lock") and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only_share)
    lock = filelock.FileLock(report_file)
    assert lock.acquire() is None and not lock.held and lock.error
    lock.renew()
    lock.release()  # nothing to do, no error
    doc = _document(report_file)  # the report opens all the same
    assert doc.claim_lock() is None and not doc.lock_held
