"""python main.py export: paths or Chinese errors; exit 0 all written, 1 any failed, 2 bad arguments/report."""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "xingxian_2022.jxzp.json"
XLSX = "兴县乡村振兴局_2022_项目支出绩效自评.xlsx"


def run(*args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", JXZP_DATA_DIR=tempfile.mkdtemp(prefix="jxzp-test-"))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "export", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT)


def test_xlsx_to_a_folder(tmp_path):
    out = run(SAMPLE, "--xlsx", "-o", tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"已导出 Excel 工作簿：{tmp_path / XLSX}"
    assert [p.name for p in tmp_path.iterdir()] == [XLSX]
    assert load_workbook(tmp_path / XLSX).sheetnames[0] == "项目1-2022年脱贫劳动力稳岗补助"


def test_default_folder_is_the_reports_folder(tmp_path):
    report = tmp_path / "兴县.jxzp.json"
    shutil.copy(SAMPLE, report)
    out = run(report, "--xlsx")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / XLSX).exists()


def test_output_folder_is_created(tmp_path):
    out = run(SAMPLE, "--xlsx", "-o", tmp_path / "新建" / "导出")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "新建" / "导出" / XLSX).exists()


def test_a_failed_file_exits_1_with_its_reason(tmp_path):
    (tmp_path / XLSX).mkdir()  # something in the way that cannot be replaced
    out = run(SAMPLE, "--xlsx", "-o", tmp_path)
    assert out.returncode == 1
    assert "导出 Excel 工作簿 失败" in out.stderr and "是一个文件夹" in out.stderr


def test_all_kinds_by_default(tmp_path):
    out = run(SAMPLE, "-o", tmp_path)
    lines = out.stdout.splitlines() + out.stderr.splitlines()
    assert len(lines) == 3  # one line per kind: written or why not
    assert out.returncode == (0 if not out.stderr.strip() else 1)
    assert (tmp_path / XLSX).exists()


def test_unreadable_report_exits_2(tmp_path):
    out = run(tmp_path / "missing.jxzp.json")
    assert out.returncode == 2 and "找不到文件" in out.stderr
    bad = tmp_path / "bad.jxzp.json"
    bad.write_text("{", encoding="utf-8")
    out = run(bad)
    assert out.returncode == 2 and "已损坏" in out.stderr
    assert list(tmp_path.iterdir()) == [bad]


def test_bad_arguments_exit_2(tmp_path):
    out = run(SAMPLE, "--pptx")
    assert out.returncode == 2 and "命令参数有误" in out.stderr
    out = run()
    assert out.returncode == 2
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    out = run(SAMPLE, "-o", not_a_folder)
    assert out.returncode == 2 and "不是文件夹" in out.stderr
