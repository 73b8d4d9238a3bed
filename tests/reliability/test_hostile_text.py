"""Hostile text in every text field: 10,000-character narratives, rare CJK (𠀀 喆 堃 镕), emoji,
control characters, text starting with = + - @, very long names.  The report saves and loads
unchanged, every export stays valid (openpyxl, pdftotext, python-docx reopen them), no cell
becomes a formula, and no character is printed blank without a warning."""
import dataclasses
import re
import shutil
import subprocess
import zipfile

import docx
import openpyxl
import pytest

from export import export_report
from model import checks, scoring, storage, templates

HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1:A9)", "𠀀喆堃镕", "😀🎉 表情",
           "控制\x00字\x07符\x1b[31m", "长" * 300, "\u202e反向\u202c", "<b>粗</b> & ; '", "\t制表\r\n换行"]


def fill(obj, rng_index=[0]):
    """Every str field (and list of str) of the dataclass tree gets the next hostile string."""
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, str) and f.name not in ("template_id", "display_unit", "nature", "comparator",
                                                         "level1", "level2", "fund_source", "role", "authority_review"):
                setattr(obj, f.name, HOSTILE[rng_index[0] % len(HOSTILE)] + value)
                rng_index[0] += 1
            elif isinstance(value, list) and value and isinstance(value[0], str):
                setattr(obj, f.name, [HOSTILE[(rng_index[0] + i) % len(HOSTILE)] + v for i, v in enumerate(value)])
                rng_index[0] += 1
            else:
                fill(value)
    elif isinstance(obj, list):
        for item in obj:
            fill(item)
    elif isinstance(obj, dict):
        for key in obj:
            if isinstance(obj[key], str):
                obj[key] = HOSTILE[rng_index[0] % len(HOSTILE)] + obj[key]
                rng_index[0] += 1
            else:
                fill(obj[key])


@pytest.mark.parametrize("name", ["xiangxi_2021", "xingxian_2022"])
def test_hostile_text_everywhere(sample, tmp_path, name):
    report = sample(name)
    fill(report)
    tpl = templates.get(report.template_id)
    for section in tpl.narrative_sections:
        report.narrative[section.id] = ("一、" + "长段落，含𠀀和😀。" * 1000)[:10000]
    path = tmp_path / "hostile 报告.jxzp.json"
    storage.save(report, path)
    assert storage.load(path) == report
    result = scoring.score(report, tpl)
    checks.check(report, tpl, result)

    (tmp_path / "导出 文件夹").mkdir()
    outcomes = {o.kind: o for o in export_report(report, tpl, tmp_path / "导出 文件夹", result=result)}
    assert all(o.ok for o in outcomes.values()), {k: o.error for k, o in outcomes.items()}
    xlsx = outcomes["xlsx"].path
    openpyxl.load_workbook(xlsx)
    with zipfile.ZipFile(xlsx) as z:
        for sheet in (n for n in z.namelist() if n.startswith("xl/worksheets/sheet")):
            assert "<f>" not in z.read(sheet).decode("utf-8"), sheet  # user text never became a formula
    document = docx.Document(outcomes["docx"].path)
    assert any("长段落" in p.text for p in document.paragraphs)
    assert outcomes["pdf"].warning and "𠀀" in outcomes["pdf"].warning or "😀" in outcomes["pdf"].warning
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(outcomes["pdf"].path), "-"], capture_output=True, text=True).stdout
        assert "长段落" in text and re.search(r"喆|堃|镕", text)
