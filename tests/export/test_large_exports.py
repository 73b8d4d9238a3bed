"""The speed-ups and memory savings for big reports change nothing in the files.

Each is taken out again (a switch, or the plain reportlab / python-docx path through
monkeypatch) and the file compared: the PDF byte for byte (reportlab's ``invariant`` mode),
the Word file part by part.  A report with repeated and unique cells, split tables, a long
narrative and a draft mark is used, plus every sample.
"""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from bench.generate import large_report
from model import scoring, storage, templates
from model.paths import samples_dir


def case(name):
    if name == "unfinished":  # every qualitative row unanswered: a 评分说明 table hundreds of rows long
        report = large_report(40, 10)
        for p, project in enumerate(report.projects):
            for j, row in enumerate(project.indicators):
                row.name = f"第{p}项目指标{j}"
                if not row.target.startswith(("≥", "≤")):
                    row.target += f"（{p}-{j}）"
        tpl = templates.get(report.template_id)
        return report, tpl, scoring.score(report, tpl)
    if name == "generated":
        report = large_report(12, 14)
        report.projects[3].indicators[2].target = "很长的年度指标值，" * 30  # a cell taller than others
        report.projects[5].indicators[0].actual = ""  # unanswered: the report is a draft
        report.projects[7].name = ""
    else:
        report = storage.load(samples_dir() / f"{name}.jxzp.json")
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


CASES = ["generated", "unfinished", "xingxian_2022", "shilong_2020", "xiangxi_2021"]


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        out = {name: z.read(name) for name in z.namelist()}
    out["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", b"<x><", out["docProps/core.xml"])
    return out


@pytest.mark.parametrize("name", CASES)
def test_pdf_same_bytes_without_the_table_and_drawing_shortcuts(monkeypatch, name):
    from reportlab import rl_config

    from export import pdf
    from export.pdf import speedups, tables

    report, tpl, result = case(name)
    monkeypatch.setattr(rl_config, "invariant", 1)
    fast = pdf.build_pdf(report, tpl, result)
    monkeypatch.setattr(speedups, "FAST_STYLES", False)
    monkeypatch.setattr(speedups, "FAST_DRAW", False)
    monkeypatch.setattr(speedups, "FAST_CALC", False)
    monkeypatch.setattr(tables.FormTable, "_listCellGeom", tables.Table._listCellGeom)
    plain = pdf.build_pdf(report, tpl, result)
    assert bytes(fast) == bytes(plain)


def test_pdf_same_bytes_when_the_story_is_made_at_once(monkeypatch):
    """The parts made as the document reaches them (``_Story``) against all made first."""
    from reportlab import rl_config

    from export import pdf

    report, tpl, result = case("generated")
    monkeypatch.setattr(rl_config, "invariant", 1)
    lazy = pdf.build_pdf(report, tpl, result)

    class Eager(list):
        def __init__(self, first, parts, progress=None):
            super().__init__(first)
            for part in parts:
                self.extend(part())

    monkeypatch.setattr(pdf, "_Story", Eager)
    assert bytes(pdf.build_pdf(report, tpl, result)) == bytes(lazy)


def hostile():
    """Text the writers must spell as openpyxl/lxml do, or leave to them."""
    report, tpl, _ = case("generated")
    report.basic.department = " 前后有空格 & <单位> \"引号\" 'x' =1+1 @SUM 𠀀喆 😀 tab\there "
    report.projects[0].name = "换行\n第二行\r回车"
    report.projects[1].indicators[0].target = "-5"
    report.projects[2].name = "\x01控制字符"
    report.projects[3].indicators[1].name = "x='y' & \"z\""
    return report, tpl, scoring.score(report, tpl)


@pytest.mark.parametrize("name", CASES + ["hostile"])
def test_docx_same_parts_when_no_form_is_set_aside(monkeypatch, name):
    from export import docx

    report, tpl, result = hostile() if name == "hostile" else case(name)
    fast = docx.build_docx(report, tpl, result)
    monkeypatch.setattr(docx._SetAside, "FAST_TABLES", False)
    tables_parsed = docx.build_docx(report, tpl, result)
    assert parts(fast) == parts(tables_parsed)
    monkeypatch.setattr(docx._SetAside, "take", lambda self: None)
    monkeypatch.setattr(docx._SetAside, "save", lambda self, buf: self.doc.save(buf)
                        if self.mark is None else (self.mark.getparent().remove(self.mark), self.doc.save(buf)))
    plain = docx.build_docx(report, tpl, result)
    assert parts(fast) == parts(plain)


def test_docx_sets_finished_forms_aside(monkeypatch):
    """The document tree never holds more than one 附件 form."""
    from export import docx

    report, tpl, result = case("generated")
    sizes = []
    real = docx._SetAside.take

    def take(self):
        sizes.append(sum(1 for _ in self.body.iter()))
        real(self)

    monkeypatch.setattr(docx._SetAside, "take", take)
    docx.build_docx(report, tpl, result)
    assert len(sizes) == 13 and max(sizes[1:]) < 1.5 * min(sizes[1:])


def test_progress_is_per_form_and_can_stop_a_build(tmp_path):
    from export import Cancelled, builder

    report, tpl, result = case("generated")
    for kind in ("xlsx", "pdf", "docx"):
        calls = []
        builder(kind)(report, tpl, result, progress=lambda i, n: calls.append((i, n)))
        assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] and len(calls) >= 12, kind

        def stop(i, n):
            if i == 3:
                raise Cancelled()

        with pytest.raises(Cancelled):
            builder(kind)(report, tpl, result, progress=stop)


def test_xlsx_same_parts_with_progress(tmp_path):
    from export import builder

    report, tpl, result = case("generated")
    plain = builder("xlsx")(report, tpl, result)
    with_progress = builder("xlsx")(report, tpl, result, progress=lambda i, n: None)
    a, b = parts(plain), parts(with_progress)
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] for k in a if k != "docProps/core.xml")


@pytest.mark.parametrize("name", CASES + ["hostile"])
def test_xlsx_same_parts_when_openpyxl_writes_the_cells(monkeypatch, name):
    from export import builder
    from export.xlsx import fastwrite

    report, tpl, result = hostile() if name == "hostile" else case(name)
    fast = builder("xlsx")(report, tpl, result)
    monkeypatch.setattr(fastwrite, "FAST_ROWS", False)
    plain = builder("xlsx")(report, tpl, result)
    a, b = parts(fast), parts(plain)
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] for k in a), [k for k in a if a[k] != b[k]]


def long_grid():
    """A form 400 rows long: labels spanning 5 and 7 rows, a column header per block, notes, a 签章 row."""
    from export.grid import Cell, Grid

    g = Grid("long_spans", "很长的表", [10, 12, 40, 10], subtitle="单位：测试", header_rows=1, notes=["注：测试。"])
    g.add(*(Cell(t, style="header") for t in ("一级", "二级", "内容", "得分")))
    row = 1
    for block in range(40):
        g.mark_column_head(g.add(Cell(f"第{block}块", style="header"), Cell("二级", style="header"),
                                 Cell("内容", style="header"), Cell("分", style="header")))
        span = 5 if block % 2 else 7
        for i in range(span + 2):
            cells = []
            if i == 0:
                cells.append(Cell(f"标签{block}", rowspan=span + 2, style="label"))
            if i % span == 0:
                cells.append(Cell(f"二级{block}-{i}", rowspan=min(span, span + 2 - i), style="label"))
            cells += [Cell(f"第{block}块第{i}行" + "文字" * (i % 4) * 5), Cell(f"{i}.00", style="score")]
            g.add(*cells)
        row += span + 3
    g.add(Cell("签字栏\n\n\u3000\u3000\u3000\u3000\u3000\u3000签字：", colspan=4, style="sign"))
    return g


def test_pdf_same_bytes_for_a_long_table_with_spans(monkeypatch):
    from reportlab import rl_config

    from export import pdf
    from export.pdf import speedups, tables

    report, tpl, result = case("xingxian_2022")
    monkeypatch.setattr(rl_config, "invariant", 1)
    grids = [long_grid()]
    assert len(grids[0].rows) > 3 * tables.WINDOW_ROWS
    fast = pdf.build_pdf(report, tpl, result, grids=grids)
    monkeypatch.setattr(speedups, "FAST_STYLES", False)
    monkeypatch.setattr(speedups, "FAST_DRAW", False)
    monkeypatch.setattr(speedups, "FAST_CALC", False)
    monkeypatch.setattr(tables.FormTable, "_listCellGeom", tables.Table._listCellGeom)
    assert bytes(fast) == bytes(pdf.build_pdf(report, tpl, result, grids=[long_grid()]))


def test_a_window_that_would_fit_is_made_whole_first(monkeypatch):
    """The rows after a window are never lost: a window short enough to fit is made the whole table."""
    from reportlab import rl_config

    from export import pdf
    from export.pdf import tables

    report, tpl, result = case("xingxian_2022")
    monkeypatch.setattr(rl_config, "invariant", 1)
    plain = pdf.build_pdf(report, tpl, result, grids=[long_grid()])
    real = tables._clean_row
    monkeypatch.setattr(tables, "_clean_row", lambda regions, at, n: real(regions, 3, n))  # tiny windows
    made = []
    real_unwindow = tables.FormTable._unwindow
    monkeypatch.setattr(tables.FormTable, "_unwindow", lambda self: made.append(1) or real_unwindow(self))
    assert bytes(pdf.build_pdf(report, tpl, result, grids=[long_grid()])) == bytes(plain)
    assert made
