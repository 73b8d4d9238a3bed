"""template-export / template-import on the command line: files a clerk hands on, checked and saved."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent


def run(data_dir, *args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", JXZP_DATA_DIR=str(data_dir))  # never the repo
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT)


def _weights(raw: dict) -> list:
    return [(l1["name"], l1["weight"], [(l2["name"], l2["weight"], [(i["name"], i["weight"], i["rule"]["kind"])
                                                                     for i in l2["children"]])
                                        for l2 in l1["children"]]) for l1 in raw["indicators"]]


def test_export_yaml_is_the_template_file(tmp_path):
    out = run(tmp_path, "template-export", "hunan-dept", tmp_path / "湖南.yaml")
    assert out.returncode == 0, out.stderr
    assert "已导出模板" in out.stdout
    bundled = yaml.safe_load((ROOT / "resources/templates/hunan-dept.yaml").read_text(encoding="utf-8"))
    assert yaml.safe_load((tmp_path / "湖南.yaml").read_text(encoding="utf-8")) == bundled


def test_yaml_round_trip_needs_a_new_id(tmp_path):
    run(tmp_path, "template-export", "hunan-dept", tmp_path / "h.yaml")
    same = run(tmp_path, "template-import", tmp_path / "h.yaml")
    assert same.returncode == 2
    assert "已被模板" in same.stderr and "--id" in same.stderr and "未保存模板" in same.stderr
    out = run(tmp_path, "template-import", tmp_path / "h.yaml", "--id", "hunan-dept-某县")
    assert out.returncode == 0, out.stderr
    saved = tmp_path / "templates" / "hunan-dept-某县.yaml"
    assert saved.is_file() and "hunan-dept-某县" in out.stdout
    assert "hunan-dept-某县" in run(tmp_path, "templates").stdout


def test_excel_round_trip_keeps_weights_and_rules(tmp_path):
    assert run(tmp_path, "template-export", "hunan-dept", tmp_path / "h.xlsx").returncode == 0
    out = run(tmp_path, "template-import", tmp_path / "h.xlsx", "--base", "hunan-dept", "--id", "hunan-xl")
    assert out.returncode == 0, out.stderr
    back = yaml.safe_load((tmp_path / "templates" / "hunan-xl.yaml").read_text(encoding="utf-8"))
    bundled = yaml.safe_load((ROOT / "resources/templates/hunan-dept.yaml").read_text(encoding="utf-8"))
    assert _weights(back) == _weights(bundled)
    assert back["narrative_sections"] == bundled["narrative_sections"]  # the base's steps and forms


def test_excel_import_lists_unrecognised_criteria(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "评分标准"])
    ws.append(["投入", 40, "预算配置", 40, "在职人员控制率", 40, "在职人员控制率≤100%的得满分，每超过1个百分点扣0.5分，扣完为止。"])
    ws.append(["效果", 60, "履职效益", 60, "工作质量", 60, "由评价组根据现场核查情况综合评定。"])
    wb.save(tmp_path / "县指标表.xlsx")
    out = run(tmp_path, "template-import", tmp_path / "县指标表.xlsx", "--id", "某县-2024")
    assert out.returncode == 0, out.stderr
    assert "以下 1 项评分标准未能识别或需核对" in out.stdout
    assert "效果/履职效益/工作质量" in out.stdout and "由评价组根据现场核查情况综合评定" in out.stdout
    saved = yaml.safe_load((tmp_path / "templates" / "某县-2024.yaml").read_text(encoding="utf-8"))
    assert saved["indicators"][1]["children"][0]["children"][0]["rule"]["kind"] == "qualitative"
    assert saved["indicators"][0]["children"][0]["children"][0]["rule"]["kind"] == "deduction"


def test_broken_table_is_refused_naming_the_indicator(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "评分标准"])
    ws.append(["投入", 100, "预算配置", 100, "在职人员控制率", 90, "在职人员控制率≤100%的得满分，每超过1个百分点扣0.5分，扣完为止。"])
    wb.save(tmp_path / "错表.xlsx")
    out = run(tmp_path, "template-import", tmp_path / "错表.xlsx", "--id", "错表")
    assert out.returncode == 2
    assert "预算配置" in out.stderr and "未保存模板" in out.stderr
    assert not (tmp_path / "templates" / "错表.yaml").exists()


@pytest.mark.parametrize("args, says", [
    (("template-export", "no-such", "x.yaml"), "找不到模板“no-such”"),
    (("template-export", "hunan-dept", "x.docx"), "请用 .yaml"),
    (("template-export", "mof-project-2020", "x.xlsx"), "请导出为模板文件（.yaml）"),
    (("template-import", "missing.xlsx"), "找不到文件"),
    (("template-import", "x.txt"), "不能导入"),
])
def test_bad_arguments_say_what_to_do(tmp_path, args, says):
    if args[-1] == "x.txt":
        (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    args = (*args[:-1], tmp_path / args[-1])
    out = run(tmp_path, *args)
    assert out.returncode == 2 and says in out.stderr, out.stderr


def test_excel_needs_a_dept_base(tmp_path):
    run(tmp_path, "template-export", "hunan-dept", tmp_path / "h.xlsx")
    out = run(tmp_path, "template-import", tmp_path / "h.xlsx", "--base", "mof-project-2020")
    assert out.returncode == 2 and "部门整体模板" in out.stderr
