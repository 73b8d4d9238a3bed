"""Hostile disks: full, read-only, a target locked by another program, Chinese paths with spaces.
A clear Chinese message, the clerk's data intact, the app still running.  Failures are
simulated (root ignores file permissions here) at the exact system call that fails in real life."""
import errno
import os
from pathlib import Path

import pytest

from export import export_report
from model import storage, templates
from ui.app import build

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources/samples/xingxian_2022.jxzp.json"

FAILURES = {
    "disk full": OSError(errno.ENOSPC, "No space left on device"),
    "read-only": OSError(errno.EROFS, "Read-only file system"),
    "locked": PermissionError(errno.EACCES, "Permission denied"),
}


def _failing_replace(error):
    def replace(src, dst):
        raise error
    return replace


@pytest.mark.parametrize("kind", FAILURES)
def test_save_failure_keeps_the_old_file_and_the_window(qtbot, answers, tmp_path, monkeypatch, kind):
    folder = tmp_path / "我的 文档" / "2022 年 报告"
    folder.mkdir(parents=True)
    target = folder / "兴县 乡村振兴局.jxzp.json"
    target.write_bytes(SAMPLE.read_bytes())
    window = build(str(target), recover=False)
    qtbot.addWidget(window)
    window.doc.set("basic.contact_person", "李四")
    monkeypatch.setattr(os, "replace", _failing_replace(FAILURES[kind]))
    assert window.save() is False
    title, message = answers.asked[-1]
    assert title == "保存失败" and "原文件未改动" in message
    assert target.read_bytes() == SAMPLE.read_bytes()  # the clerk's file is intact
    assert window.doc.modified and window.doc.report.basic.contact_person == "李四"  # the edit is still there
    assert [p.name for p in folder.iterdir() if p.suffix == ".tmp"] == []  # no half-written leftovers
    monkeypatch.undo()
    assert window.save() and storage.load(target).basic.contact_person == "李四"  # and it saves once the disk is back


@pytest.mark.parametrize("kind", FAILURES)
def test_export_failure_names_the_file_and_writes_the_others(tmp_path, monkeypatch, kind):
    report = storage.load(SAMPLE)
    tpl = templates.get(report.template_id)
    folder = tmp_path / "导出 文件夹"
    folder.mkdir()
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(".xlsx"):  # e.g. the workbook is open in Excel/WPS
            raise FAILURES[kind]
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    outcomes = {o.kind: o for o in export_report(report, tpl, folder)}
    assert not outcomes["xlsx"].ok and outcomes["xlsx"].path.name in outcomes["xlsx"].error
    assert outcomes["pdf"].ok and outcomes["docx"].ok
    assert sorted(p.suffix for p in folder.iterdir()) == [".docx", ".pdf"]  # nothing half-written


def test_chinese_path_with_spaces_round_trips(tmp_path):
    path = tmp_path / "财政 局" / "绩效 自评（2022）" / "报告 文件.jxzp.json"
    path.parent.mkdir(parents=True)
    report = storage.load(SAMPLE)
    storage.save(report, path)
    assert storage.load(path) == report


@pytest.mark.parametrize("content", [b"", SAMPLE.read_bytes()[:1000], b'{"format": "jxzp-report", "schema_version": 9}',
                                     SAMPLE.read_bytes().replace(b'"template_id": "mof-project-2020"', b'"template_id": "nope"')])
def test_opening_a_bad_file_keeps_the_open_report_and_the_window(qtbot, answers, tmp_path, content):
    window = build(str(SAMPLE), recover=False)
    qtbot.addWidget(window)
    window.doc.set("basic.contact_person", "王五")
    bad = tmp_path / "坏 文件.jxzp.json"
    bad.write_bytes(content)
    assert window.open_path(bad) is False
    title, message = answers.asked[-1]
    assert title == "无法打开" and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert window.doc.report.basic.contact_person == "王五" and window.doc.modified  # nothing lost
    assert bad.read_bytes() == content
