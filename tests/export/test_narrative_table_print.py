"""Tables in the narrative: table blocks and their grid (export.narrative), and how the PDF prints them."""
from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from export import narrative
from model import scoring, storage, templates

ROOT = Path(__file__).resolve().parents[2]
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")


def load(name):
    report = storage.load(ROOT / "resources" / "samples" / f"{name}.jxzp.json")
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


def test_table_blocks_between_paragraphs():
    text = "（一）收支情况\n收入构成见下表：\n表1 收入情况\n单位：万元\n| 项目 | 金额 |\n| 财政拨款 | 1,252.66 |\n| 合计 | — |\n下文。"
    blocks = narrative.parse(text)
    assert [(b.level, b.is_table) for b in blocks] == [(2, False), (0, False), (0, True), (0, False)]
    table = blocks[2].table
    assert (table.title, table.unit, table.header) == ("表1 收入情况", "单位：万元", ("项目", "金额"))
    g = narrative.table_grid(table)
    assert g.header_rows == 1 and g.title == "表1 收入情况" and g.subtitle == "单位：万元"
    assert [c.style for c in g.rows[0]] == ["header", "header"]
    assert [(c.style, c.align) for c in g.rows[1]] == [("text", ""), ("number", "")]  # amounts right-aligned
    assert g.rows[2][1].align == "center"  # “—” for none, centred
    assert g.columns[0] >= 10 and len(g.columns) == 2


def test_seed_001_table_is_one_block():
    report, tpl, _ = load("xiangxi_2021")
    blocks = narrative.report_blocks(report, tpl)
    tables = [b.table for b in blocks if b.is_table]
    assert len(tables) == 1 and len(tables[0].rows) == 8
    assert tables[0].rows[-1] == ("合   计", "213.96", "429.62", "643.59", "—")
    assert not any("｜" in b.text for b in blocks if not b.is_table)


def long_table(rows: int) -> str:
    lines = ["表1 各项目资金使用情况", "单位：万元", "| 序号 | 项目名称 | 预算数 | 执行数 | 执行率 |"]
    for i in range(1, rows + 1):
        lines.append(f"| {i} | 第{i}号巩固拓展脱贫攻坚成果衔接推进乡村振兴补助项目 | {i * 10:,}.50 | {i * 9:,}.25 | 90.00% |")
    lines.append(f"| 合计 | | {sum(i * 10 for i in range(1, rows + 1)):,}.00 | — | — |")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    from export.pdf import build_pdf

    report, tpl, result = load("xiangxi_2021")
    report = copy.deepcopy(report)
    sid = tpl.narrative_sections[1].id
    report.narrative[sid] = "各项目资金使用情况见下表：\n" + long_table(70) + "\n表后的正文。"
    path = tmp_path_factory.mktemp("pdf") / "narrative_table.pdf"
    path.write_bytes(build_pdf(report, tpl, result))
    return path


def pages(path) -> list[str]:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")


@needs_poppler
def test_a_long_table_repeats_its_header_on_every_page(long_pdf):
    text = pages(long_pdf)
    holding = [i for i, p in enumerate(text) if re.search(r"第\d+号巩固拓展", p)]
    assert len(holding) >= 2  # 70 rows do not fit one page
    for i in holding:
        assert "项目名称" in text[i] and "执行率" in text[i], f"page {i + 1} has rows but no header"
    first = text[holding[0]]
    assert "表1 各项目资金使用情况" in first and "单位：万元" in first
    assert first.index("各项目资金使用情况见下表") < first.index("表1 各项目资金使用情况")  # announced on the same page
    assert "第70号" in text[holding[-1]] and "表后的正文" in "".join(text[holding[-1]:holding[-1] + 2])
    assert not any(re.search(r"\|\s*第\d+号", p) for p in text)  # printed as a table, not as pipe text


@needs_poppler
def test_amounts_are_right_aligned(long_pdf):
    out = subprocess.run(["pdftotext", "-bbox", str(long_pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = "".join(page for page in out.split("<page ") if "号巩固拓展" in page)  # the table's pages only
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', out)
    budget = [float(x1) for _x0, x1, w in words if re.fullmatch(r"\d{1,3}(,\d{3})*\.50", w)]
    assert len(budget) >= 60
    assert max(budget) - min(budget) < 1.0  # one right edge for the whole column
    ids = [float(x0) for x0, _x1, w in words if re.fullmatch(r"第\d+号巩固拓展脱贫攻坚成", w) or w.startswith("第1号")]
    assert ids and max(ids) - min(ids) < 1.0  # text left-aligned


@needs_poppler
def test_seed_001_table_prints_as_a_table(tmp_path):
    from export.pdf import build_pdf

    report, tpl, result = load("xiangxi_2021")
    path = tmp_path / "xiangxi.pdf"
    path.write_bytes(build_pdf(report, tpl, result))
    text = "".join(pages(path))
    assert "州精准办工作经费｜9.3" not in text and "｜" not in text
    row = next(line for line in text.split("\n") if "州精准办工作经费" in line and "169.47" in line)
    assert re.search(r"州精准办工作经费\s+9\.3\s+169\.47\s+178\.77\s+—", row)
