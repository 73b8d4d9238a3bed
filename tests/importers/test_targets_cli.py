"""python main.py import-targets REPORT WORKBOOK [--dry-run] and export-targets REPORT OUT.xlsx."""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from model import storage
from model.report import Report

ROOT = Path(__file__).resolve().parent.parent.parent
XLS = Path(__file__).resolve().parent / "targets_data" / "split.xls"


def run(*args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", JXZP_DATA_DIR=tempfile.mkdtemp(prefix="jxzp-test-"))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT)


@pytest.fixture
def empty(tmp_path) -> Path:
    path = tmp_path / "兴县 项目.jxzp.json"
    storage.save(Report(template_id="mof-project-2020", fiscal_year=2022), path)
    return path


def test_dry_run_previews_and_writes_nothing(empty):
    before = empty.read_bytes()
    done = run("import-targets", empty, XLS, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "找到 4 张绩效目标表" in done.stdout and "新增项目" in done.stdout
    assert "资助学生数量" in done.stdout and "〔来源：附件3 D" in done.stdout
    assert "仅预览" in done.stdout and empty.read_bytes() == before


def test_import_saves_then_export_gives_the_same_targets(empty, tmp_path):
    done = run("import-targets", empty, XLS)
    assert done.returncode == 0, done.stderr
    report = storage.load(empty)
    assert len(report.projects) == 4 and report.provenance["projects[0].indicators[0].target"] == "imported"
    out = tmp_path / "目标.xlsx"
    done = run("export-targets", empty, out)
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again.jxzp.json"
    storage.save(Report(template_id="mof-project-2020", fiscal_year=2022), again)
    assert run("import-targets", again, out).returncode == 0
    assert storage.load(again).projects == report.projects
    assert "没有需要写入" in run("import-targets", again, out).stdout


def test_a_wrong_file_is_explained_and_nothing_written(empty, tmp_path):
    before = empty.read_bytes()
    done = run("import-targets", empty, tmp_path / "没有这个文件.xlsx")
    assert done.returncode == 2 and "找不到文件" in done.stderr and "报告文件未改动" in done.stderr
    assert empty.read_bytes() == before
