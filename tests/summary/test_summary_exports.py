"""汇总 exports and the ``summary`` command over the 30-report county."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from export.summary import build_pdf, build_xlsx
from export.summary.analysis import analysis_docx, sections
from export.summary.forms import dept_table, project_table
from model.summary import open_summary
from tests.conftest import ROOT
from tests.summary.conftest import UNIT_LIST


@pytest.fixture(scope="module")
def summary(county):
    return open_summary([county], units=UNIT_LIST)


def texts(grid):
    return [[c.text for c in row] for row in grid.rows]


def test_project_form_rows_subtotals_and_grade_counts(summary):
    g = project_table(summary, "某县乡村振兴局")
    rows = texts(g)
    assert rows[0][:3] == ["序号", "单位", "项目名称"] and "校验码" in rows[0]
    assert "填报单位（盖章）：某县乡村振兴局" in g.subtitle and "金额单位：万元" in g.subtitle
    assert rows[1][:7] == ["1", "城关镇", "城关镇2022年脱贫劳动力稳岗补助", "883.56", "152.52", "17.26%", "83.73"]
    assert rows[1][7:10] == ["82.73", "良", "已审核"]
    assert rows[5][:6] == ["城关镇 小计（4 个项目）", "1,703.76", "965.67", "56.68%", "", ""][:len(rows[5][:6])]
    assert rows[-2][0] == "合计（48 个项目）"
    assert rows[-1] == ["等次", "优 36 个\u3000良 11 个\u3000中 0 个\u3000差 0 个\u3000未评完 1 个"]
    assert g.notes and "审核人" in g.notes[0] and "年" in g.notes[0]


def test_dept_form_counts_a_copy_once(summary):
    rows = texts(dept_table(summary))
    listed = [r for r in rows[1:-2]]
    assert len(listed) == 18 and listed[-1][1] == "重复局" and listed[-1][9] == "待审核（重复）"
    assert rows[-2][0] == "合计（17 个单位）"
    assert rows[-1] == ["等次", "优 11 个\u3000良 6 个\u3000中 0 个\u3000差 0 个"]


def test_xlsx_has_both_forms_with_numbers(summary):
    wb = load_workbook(io.BytesIO(build_xlsx(summary, "某县乡村振兴局")))
    assert wb.sheetnames == ["项目支出绩效自评结果汇总表", "部门整体支出绩效自评汇总表"]
    ws = wb["项目支出绩效自评结果汇总表"]
    assert ws["A1"].value == "项目支出绩效自评结果汇总表"
    values = [c.value for c in ws[4]]
    assert values[:3] == ["1", "城关镇", "城关镇2022年脱贫劳动力稳岗补助"] and 883.56 in values


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_pdf_pages_numbered_with_both_forms(summary, tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(build_pdf(summary))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert "项目支出绩效自评结果汇总表" in pages[0] and "部门整体支出绩效自评汇总表" in pages[-1]
    assert all(f"第{n}页共{len(pages)}页" in "".join(p.split()) for n, p in enumerate(pages, 1))
    assert "高庄乡2021-2022年度雨露计划项目" in text and "审核人" in text


def test_analysis_report(summary):
    parts = dict(sections(summary))
    basic = "".join(parts["一、基本情况"])
    assert "收到 30 份自评报告" in basic and "1 份为重复报送" in basic and "未报局" in basic
    results = "".join(parts["二、自评结果"])
    assert "项目支出绩效自评项目共 48 个" in results and "优 36 个（占 75.00%）" in results
    assert "部门整体支出绩效自评单位共 17 个" in results and "已审核 4 个" in results
    low = parts["三、得分最低的项目和单位"]
    assert low[0].startswith("城关镇“城关镇2022年脱贫劳动力稳岗补助”自评分 83.73 分（良），执行率 17.26%。主要失分：预算执行率扣 8.27 分")
    assert any("高庄乡" in line for line in parts["四、汇总审核发现的问题"])
    import docx

    doc = docx.Document(io.BytesIO(analysis_docx(summary, "某县")))
    assert doc.paragraphs[0].text.startswith("某县2022年度绩效自评汇总分析报告")


def test_summary_command(county, tmp_path):
    units = tmp_path / "单位名单.txt"
    units.write_text("\n".join(UNIT_LIST), encoding="utf-8")
    out = tmp_path / "汇总"
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "summary", str(county), "-o", str(out),
                          "--units", str(units), "--county-budget", "20000万", "--county", "某县"],
                         capture_output=True, text=True, cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8", "PATH": ""})
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["绩效自评汇总分析报告.docx", "绩效自评汇总表.pdf", "绩效自评汇总表.xlsx"]
    assert "城关镇\t已审核\t校验码 " in run.stdout and "[警告] 单位名单中有 1 个单位没有报告：未报局。" in run.stdout
    assert "全县数为 20,000.00万元" in run.stdout
    bad = subprocess.run([sys.executable, str(ROOT / "main.py"), "summary", str(tmp_path / "没有"), "-o", str(out)],
                         capture_output=True, text=True, env={"PYTHONIOENCODING": "utf-8", "PATH": ""})
    assert bad.returncode == 2 and "找不到" in bad.stderr and "没有找到可汇总的报告" in bad.stderr
