"""Export file names and writing: Chinese messages, one failure never stops the others, nothing half-written."""
import errno
import os
import sys
import tempfile

import pytest

import export
from export.files import MAX_FILE_NAME, ExportError, default_name, name_size, safe_filename, write_file
from model import templates


def tmp_leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_default_names(sample):
    report = sample("xingxian_2022")
    tpl = templates.get(report.template_id)
    assert default_name(report, tpl, "xlsx") == "兴县乡村振兴局_2022_项目支出绩效自评.xlsx"
    assert default_name(report, tpl, "pdf") == "兴县乡村振兴局_2022_项目支出绩效自评.pdf"
    hunan = templates.get("hunan-dept")
    report.basic.department = "湘西自治州乡村振兴局"
    report.fiscal_year = 2021
    assert default_name(report, hunan, "xlsx") == "湘西自治州乡村振兴局_2021_部门整体支出绩效自评.xlsx"
    assert default_name(report, templates.get("henan-dept-2020"), "docx", "docx").endswith("_部门整体绩效评价.docx")


def test_illegal_characters_are_replaced(sample):
    report = sample("xingxian_2022")
    tpl = templates.get(report.template_id)
    report.basic.department = '兴县<乡村>:振兴"局/\\|?*\t. '
    name = default_name(report, tpl, "xlsx")
    assert not set(name) & set('<>:"/\\|?*\t')
    assert name == "兴县_乡村__振兴_局______._2022_项目支出绩效自评.xlsx"
    report.basic.department = ""
    assert default_name(report, tpl, "xlsx").startswith("未填写单位_2022_")
    assert safe_filename("CON") == "_CON" and safe_filename("  ...") == "未命名"
    assert name_size(safe_filename("长" * 500)) <= MAX_FILE_NAME  # 200 with the temp name's 14 (bytes; Windows: characters)


def test_write_file_replaces_atomically(tmp_path):
    target = tmp_path / "a.xlsx"
    write_file(target, b"old")
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]  # no temp file, no .bak


def test_locked_target_gives_the_excel_message_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "报告.xlsx"
    target.write_bytes(b"old")
    real = os.replace

    def locked(src, dst, *a, **k):
        if os.fspath(dst) == os.fspath(target):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError) as e:
        write_file(target, b"new")
    assert str(e.value) == "文件“报告.xlsx”正被其他程序（如 Excel/WPS）打开，请关闭后重新导出。"
    assert target.read_bytes() == b"old"
    assert tmp_leftovers(tmp_path) == []


def test_folder_not_writable(tmp_path, monkeypatch):
    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    monkeypatch.setattr(tempfile, "TemporaryFile", denied)
    with pytest.raises(ExportError) as e:
        write_file(tmp_path / "a.xlsx", b"x")
    assert "没有权限在文件夹" in str(e.value) and "换一个有写入权限的文件夹" in str(e.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_for_real(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError) as e:
            write_file(folder / "a.xlsx", b"x")
        assert "没有权限" in str(e.value)
    finally:
        folder.chmod(0o700)


def test_disk_full(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError) as e:
        write_file(tmp_path / "a.xlsx", b"x" * 1000)
    assert str(e.value).startswith("磁盘空间不足，无法写入“a.xlsx”")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_and_directory_target(tmp_path):
    with pytest.raises(ExportError, match="不存在"):
        write_file(tmp_path / "nope" / "a.xlsx", b"x")
    (tmp_path / "a.xlsx").mkdir()
    with pytest.raises(ExportError, match="是一个文件夹"):
        write_file(tmp_path / "a.xlsx", b"x")


# ---------------------------------------------------------------- export_report

def fake_builders(monkeypatch, broken=()):
    real = export.builder

    def builder(kind):
        if kind in broken:
            def boom(*a):
                raise RuntimeError("boom")
            return boom
        if kind == "xlsx":
            return real(kind)
        return lambda report, tpl, result: f"%{kind} bytes".encode()

    monkeypatch.setattr(export, "builder", builder)


def test_export_report_writes_every_kind(sample, tmp_path, monkeypatch):
    fake_builders(monkeypatch)
    report = sample("xingxian_2022")
    outcomes = export.export_report(report, templates.get(report.template_id), tmp_path)
    assert [(o.kind, o.ok) for o in outcomes] == [("xlsx", True), ("pdf", True), ("docx", True)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "兴县乡村振兴局_2022_项目支出绩效自评.docx", "兴县乡村振兴局_2022_项目支出绩效自评.pdf",
        "兴县乡村振兴局_2022_项目支出绩效自评.xlsx"]


def test_one_locked_file_does_not_stop_the_others(sample, tmp_path, monkeypatch):
    fake_builders(monkeypatch)
    report = sample("xingxian_2022")
    tpl = templates.get(report.template_id)
    xlsx = tmp_path / default_name(report, tpl, "xlsx")
    xlsx.write_bytes(b"open in Excel")
    real = os.replace

    def locked(src, dst, *a, **k):
        if os.fspath(dst) == os.fspath(xlsx):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", locked)
    outcomes = export.export_report(report, tpl, tmp_path)
    assert [o.ok for o in outcomes] == [False, True, True]
    assert "正被其他程序（如 Excel/WPS）打开" in outcomes[0].error and outcomes[0].path == xlsx
    assert xlsx.read_bytes() == b"open in Excel"
    assert (tmp_path / default_name(report, tpl, "pdf")).read_bytes() == b"%pdf bytes"
    assert tmp_leftovers(tmp_path) == []


def test_a_broken_builder_only_fails_its_own_kind(sample, tmp_path, monkeypatch):
    fake_builders(monkeypatch, broken=("pdf",))
    report = sample("xingxian_2022")
    outcomes = export.export_report(report, templates.get(report.template_id), tmp_path, ("pdf", "xlsx"))
    assert [(o.kind, o.ok) for o in outcomes] == [("pdf", False), ("xlsx", True)]
    assert "生成 PDF 文件 时出错" in outcomes[0].error
    assert not (tmp_path / outcomes[0].path.name).exists()


def test_missing_module_is_a_clear_error_for_that_kind_only(sample, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "export.docx", None)
    report = sample("xingxian_2022")
    outcomes = export.export_report(report, templates.get(report.template_id), tmp_path, ("docx", "xlsx"))
    assert outcomes[0].error == "本版本尚不能导出 Word 文档（缺少 export/docx.py 模块）。"
    assert outcomes[1].ok and outcomes[1].path.exists()


def test_scores_once(sample, tmp_path, monkeypatch):
    import model.scoring

    calls = []
    real = model.scoring.score
    monkeypatch.setattr(model.scoring, "score", lambda *a: calls.append(1) or real(*a))
    fake_builders(monkeypatch)
    report = sample("xingxian_2022")
    export.export_report(report, templates.get(report.template_id), tmp_path)
    assert len(calls) == 1
