"""python main.py import-final REPORT WORKBOOK [--dry-run]: preview, exit codes, atomic save."""
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from model import storage
from model.report import Report

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ROOT = HERE.parent.parent
SAMPLE = ROOT / "resources" / "samples" / "xingxian_2022.jxzp.json"


def run(*args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["JXZP_DATA_DIR"] = tempfile.mkdtemp(prefix="jxzp-test-")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "import-final", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT)


@pytest.fixture
def new_report(tmp_path) -> Path:
    path = tmp_path / "兴县2022.jxzp.json"
    storage.save(Report(template_id="mof-project-2020", fiscal_year=2022, display_unit="yuan"), path)
    return path


def test_dry_run_prints_the_preview_and_writes_nothing(new_report):
    before = new_report.read_bytes()
    out = run(new_report, DATA / "tables.xlsx", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "找到 10 张决算表" in out.stdout
    assert "本级：一般公共预算财政拨款收入" in out.stdout and "（空） → 27,274,348.52" in out.stdout
    assert "支出功能分类科目" in out.stdout and "0 行 → 23 行" in out.stdout
    assert "未改动" in out.stdout
    assert new_report.read_bytes() == before
    assert not new_report.with_name(new_report.name + ".bak").exists()


def test_import_saves_with_backup_and_provenance(new_report):
    before = new_report.read_bytes()
    out = run(new_report, DATA / "stacked.xls")
    assert out.returncode == 0, out.stderr
    assert "已导入并保存" in out.stdout
    assert new_report.with_name(new_report.name + ".bak").read_bytes() == before
    report = storage.load(new_report)
    sample = storage.load(SAMPLE)
    assert report.finance.units[0].general_budget == Decimal("27274348.52")
    assert report.finance.functional_rows == sample.finance.functional_rows
    assert report.provenance["finance.units[0].general_budget"] == "imported"
    # importing again changes nothing and writes nothing
    saved = new_report.read_bytes()
    again = run(new_report, DATA / "stacked.xls")
    assert again.returncode == 0 and "未改动" in again.stdout
    assert new_report.read_bytes() == saved


def test_preview_uses_the_reports_display_unit(tmp_path):
    path = tmp_path / "r.jxzp.json"
    storage.save(Report(template_id="mof-project-2020", fiscal_year=2022, display_unit="wan"), path)
    out = run(path, DATA / "tables.xlsx", "--dry-run")
    assert "金额单位：万元" in out.stdout and "（空） → 2,727.43" in out.stdout


def test_cross_check_warnings_are_printed_and_the_import_still_happens(new_report):
    out = run(new_report, DATA / "broken_total.xlsx")
    assert out.returncode == 0
    assert "[警告]" in out.stdout and "本年收入合计 31,066,353.81 元不等于" in out.stdout
    assert storage.load(new_report).finance.units[0].other_income == Decimal("3791987.29")


@pytest.mark.parametrize("name, message", [
    ("not_a_workbook.xlsx", "不是 Excel 工作簿"),
    ("no_tables.xlsx", "没有找到部门决算公开表"),
    ("bad_number.xlsx", "不是数字"),
    ("no_amount_column.xlsx", "金额列"),
    ("missing.xlsx", "找不到文件"),
])
def test_unreadable_workbooks_exit_2_and_write_nothing(new_report, name, message):
    before = new_report.read_bytes()
    out = run(new_report, DATA / name)
    assert out.returncode == 2
    assert message in out.stderr and "报告文件未改动" in out.stderr
    assert out.stdout == ""
    assert new_report.read_bytes() == before
    assert not new_report.with_name(new_report.name + ".bak").exists()


def test_unreadable_report_exits_2(tmp_path):
    bad = tmp_path / "bad.jxzp.json"
    bad.write_text("{not json", encoding="utf-8")
    out = run(bad, DATA / "tables.xlsx")
    assert out.returncode == 2 and "已损坏" in out.stderr
    assert bad.read_text(encoding="utf-8") == "{not json"
    out = run(tmp_path / "none.jxzp.json", DATA / "tables.xlsx")
    assert out.returncode == 2 and "找不到文件" in out.stderr


def test_the_sample_reimports_without_changes(tmp_path):
    path = tmp_path / "xingxian.jxzp.json"
    shutil.copy(SAMPLE, path)
    out = run(path, DATA / "tables.xls", "--dry-run")
    assert out.returncode == 0
    assert "没有需要更新的项目" in out.stdout
    assert "[警告]" not in out.stdout


def test_missing_arguments_exit_2():
    out = run()
    assert out.returncode == 2 and "命令参数有误" in out.stderr
