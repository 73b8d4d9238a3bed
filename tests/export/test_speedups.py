"""The exports' speed-ups change nothing in the files.

Each builder is run twice on the same report: as it runs, and with every
speed-up taken back out (reportlab's and openpyxl's and python-docx's own
slow paths, through monkeypatch); the files must be the same byte for byte
(PDFs with reportlab's ``invariant`` mode, which leaves out dates and random
ids; xlsx/docx compared part by part, less the creation time).  The helpers
are also checked one by one against what they replace.
"""
from __future__ import annotations

import gc
import io
import random
import re
import zipfile

import pytest

from export import fonts as fonts_mod
from export.grid import Cell, Grid
from model import scoring, storage, templates
from model.paths import samples_dir


def load(name):
    report = storage.load(samples_dir() / f"{name}.jxzp.json")
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


def parts(data: bytes) -> dict[str, bytes]:
    """An Office file's parts, the creation/modification times blanked."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        out = {name: z.read(name) for name in z.namelist()}
    if "docProps/core.xml" in out:
        out["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", b"<x><",
                                          out["docProps/core.xml"])
    return out


def tall_grid() -> Grid:
    """A table with a span taller than half a page and a row taller than a page (the re-built table path)."""
    g = Grid("tall", "测试表", [10, 12, 40, 20], subtitle="单位名称：测试单位\u3000\u3000金额单位：万元",
             header_rows=1, notes=["注：测试脚注。"])
    g.add(*(Cell(t, style="header") for t in ("一级", "二级", "内容", "得分")))
    g.add(Cell("跨行标签", rowspan=8, style="header"), Cell("合并", rowspan=2, style="label"),
          Cell("短文本"), Cell("1.00", style="score"))
    g.add(Cell("第二行\n\u3000\u3000缩进的第二段"), Cell("2.00", style="score"))
    for i in range(6):
        g.add(Cell(f"行{i}", style="label"), Cell("很长的说明文字，用来撑高这一行。" * 25), Cell("3.00", style="score"))
    g.add(Cell("一行比一页还高", colspan=2, style="label"), Cell("超长单元格。" * 900, colspan=2))
    g.add(Cell("签字栏\n\n\u3000\u3000\u3000\u3000\u3000\u3000签字：\n\u3000\u3000\u3000\u3000\u3000\u3000年\u3000月\u3000日",
               colspan=4, style="sign"))
    return g


# ---------------------------------------------------------------- whole files

def test_pdf_same_bytes_without_speedups(monkeypatch):
    from reportlab import rl_config
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table
    from reportlab.platypus.paragraph import cjkU

    from export import pdf, rlfast
    from export.forms import grids_for

    report, tpl, result = load("xingxian_2022")
    grids = grids_for(report, tpl, result) + [tall_grid()]
    monkeypatch.setattr(rl_config, "invariant", 1)
    fast = pdf.build_pdf(report, tpl, result, grids=grids)

    for (module, name), original in rlfast.ORIGINALS.items():
        monkeypatch.setattr(module, name, original)
    monkeypatch.setattr(pdf.linebreak, "_glyphs", lambda text, f: [cjkU(t, f, "utf8") for t in text])
    monkeypatch.setattr(pdf.Para, "wrap", Paragraph.wrap)
    monkeypatch.setattr(pdf.FormTable, "_calcSpanRanges", Table._calcSpanRanges)
    monkeypatch.setattr(pdf.FormTable, "_calc", Table._calc)
    monkeypatch.setattr(pdf.Builder, "paragraph", lambda self, markup, style: pdf.Para(markup, style))
    monkeypatch.setattr(pdf.styles.Styles, "variant", lambda self, parent, name, **changes:
                        ParagraphStyle(name, parent=parent, **changes))
    monkeypatch.setattr(fonts_mod.LoadedFont, "plain", property(lambda self: frozenset()))
    slow = pdf.build_pdf(report, tpl, result, grids=grids)
    assert bytes(fast) == bytes(slow)
    assert fast.missing_chars == slow.missing_chars


def test_xlsx_same_parts_without_speedups(monkeypatch):
    from export import xlsx

    report, tpl, result = load("shilong_2020")
    fast = parts(xlsx.build_xlsx(report, tpl, result))

    def apply(self, ws_cell, cell, number_format=None):  # openpyxl's own way, cell by cell
        if number_format is not None:
            ws_cell.number_format = number_format
        ws_cell.border = xlsx.BORDER
        ws_cell.font = xlsx.Font(name=xlsx.TITLE_FONT if cell.style == "title" else xlsx.BODY_FONT,
                                 size=xlsx.TITLE_SIZE if cell.style == "title" else xlsx.BODY_SIZE,
                                 bold=cell.style == "header", charset=xlsx.GB2312)
        ws_cell.alignment = xlsx._alignment_for.__wrapped__(cell.style, cell.align)

    monkeypatch.setattr(xlsx._Looks, "apply", apply)
    monkeypatch.setattr(xlsx, "_merge", lambda ws, r1, c1, r2, c2: ws.merge_cells(
        start_row=r1, start_column=c1, end_row=r2, end_column=c2))
    slow = parts(xlsx.build_xlsx(report, tpl, result))
    assert fast.keys() == slow.keys()
    for name in fast:
        assert fast[name] == slow[name], name


def test_docx_same_parts_without_speedups(monkeypatch):
    from export import docx as docx_mod

    report, tpl, result = load("shilong_2020")
    fast = parts(docx_mod.build_docx(report, tpl, result))

    def paragraph(self, text="", style=None, container=None):
        return (container if container is not None else self.doc).add_paragraph(text, style=style)

    def set_style(self, p, style):
        p.style = self.doc.styles[style]

    monkeypatch.setattr(docx_mod.DocxBuilder, "paragraph", paragraph)
    monkeypatch.setattr(docx_mod.DocxBuilder, "set_style", set_style)
    slow = parts(docx_mod.build_docx(report, tpl, result))
    assert fast == slow


# ---------------------------------------------------------------- the helpers

def test_remembered_fp_str_formats_like_reportlab():
    from reportlab.lib.rl_accel import _py_fp_str

    from export.rlfast import remembering_fp_str

    fp = remembering_fp_str(_py_fp_str)
    rng = random.Random(4)
    values = [0, 1, 1.0, -1, True, 0.5, -0.0, 1e-8, 1e-7, 123456.789, 0.1 + 0.2, 595.2755905511812, 72.4816077094841]
    values += [rng.uniform(-1000, 1000) for _ in range(300)] + [rng.randint(-10 ** 6, 10 ** 6) for _ in range(50)]
    for _ in range(2):  # the second time from the cache
        for v in values:
            assert fp(v) == _py_fp_str(v)
        for a, b in zip(values, values[1:]):
            assert fp(a, b) == _py_fp_str(a, b)
    assert fp([1, 2.5]) == _py_fp_str([1, 2.5])  # a list (dash pattern) is not hashable: formatted directly
    assert fp(1.0) == fp(1) == "1"


def test_char_widths_are_string_widths():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from export.rlfast import char_widths

    fs = fonts_mod.get_fonts()
    text = "项目名称：年度资金总额（万元）1,234.56 ≥95% ☑"
    for role in ("song", "hei"):
        name = fs.font_name(role)
        for size in (7.5, 10.5, 16):
            for _ in range(2):
                assert char_widths(text, name, size) == [stringWidth(ch, name, size) for ch in text]


def test_para_breaks_lines_once_per_width():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from export.pdf import Para, install_line_breaking

    install_line_breaking()
    fs = fonts_mod.get_fonts()
    style = ParagraphStyle("t", fontName=fs.font_name("song"), fontSize=10, leading=13, wordWrap="CJK")
    markup = fs.markup("本单位全年支出“三公”经费，较上年下降。其中：公务接待费、会议费。" * 4, "song")
    para = Para(markup, style)

    def lines(p):
        return [(round(extra, 9), words) for extra, words in p.blPara.lines]

    for width in (120.0, 300.0, 120.0, 120.0 + 1e-13, 300.0):
        size = para.wrap(width, 1000)
        fresh = Paragraph(markup, style)
        assert size == fresh.wrap(width, 1000)
        assert lines(para) == lines(fresh) and para.height == fresh.height and para.width == width
    assert len(para._wrapped) == 2  # two widths, each broken into lines once


def test_paragraphs_from_the_parse_cache_are_fresh_copies():
    from reportlab.platypus import Paragraph

    from export.pdf import Builder

    b = Builder(None, None, None, fonts_mod.get_fonts())
    style = b.st.cell("text", "", 10.5)
    markup = b.m("合格 <b> & ☑", "song")
    first, second = b.paragraph(markup, style), b.paragraph(markup, style)
    reference = Paragraph(markup, style)
    assert first is not second and first.frags[0] is not second.frags[0]
    for p in (first, second):
        assert p.text == reference.text and p.style is reference.style
        assert [f.__dict__ for f in p.frags] == [f.__dict__ for f in reference.frags]


def test_markup_fast_path_matches_the_character_walk(monkeypatch):
    fs = fonts_mod.get_fonts()
    texts = ["", "合格", "a<b>&c", "年\u3000\u3000月", "两行\n文字", "回车\r\n换行", "控制\x07字符", "☑☐①≥"]
    fast = {t: fs.markup(t, role) for t in texts for role in ("song", "hei")}
    monkeypatch.setattr(fonts_mod.LoadedFont, "plain", property(lambda self: frozenset()))
    assert fast == {t: fs.markup(t, role) for t in texts for role in ("song", "hei")}


def test_span_cells_keep_list_behaviour():
    from export.pdf import _Cells

    cells = _Cells([(0, 1), (1, 1), (0, 1)])
    assert cells == [(0, 1), (1, 1), (0, 1)] and list(cells) == [(0, 1), (1, 1), (0, 1)]
    assert (1, 1) in cells and (2, 2) not in cells


# ---------------------------------------------------------------- the garbage collector

def test_collector_paused_during_a_build_and_resumed_after():
    from export.gcpause import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested (or a second thread's build)
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    with pytest.raises(ValueError):
        with collector_paused():
            raise ValueError
    assert gc.isenabled()

    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before: stays off
    finally:
        gc.enable()


def test_build_cycles_are_collected_right_after():
    from export.xlsx import build_xlsx

    report, tpl, result = load("xingxian_2022")
    gc.collect()  # the garbage of earlier tests
    build_xlsx(report, tpl, result)
    assert gc.isenabled()
    assert gc.collect() < 1000  # an openpyxl workbook is one big cycle: already freed when the build returned


def test_joined_borders_print_the_same_lines(monkeypatch):
    """FormTable strokes each border segment once; the lines on every page are those reportlab draws."""
    from reportlab.platypus import Table

    from export import pdf
    from export.forms import grids_for

    report, tpl, result = load("xingxian_2022")
    grids = grids_for(report, tpl, result) + [tall_grid()]
    make_canvas = pdf._canvas_class

    def strokes(draw_lines) -> tuple[list, int]:
        pages: list[list] = [[]]
        calls = [0]

        def recording(font):
            base = make_canvas(font)

            class Recording(base):
                def showPage(self):
                    pages.append([])
                    super().showPage()

                def line(self, x1, y1, x2, y2):
                    calls[0] += 1
                    pen = (round(self._lineWidth, 3), str(self._strokeColorObj))
                    if abs(y1 - y2) < 1e-6:
                        pages[-1].append((pen, "h", round(y1, 3), x1, x2))
                    else:
                        pages[-1].append((pen, "v", round(x1, 3), y1, y2))
                    super().line(x1, y1, x2, y2)

            return Recording

        monkeypatch.setattr(pdf, "_canvas_class", recording)
        monkeypatch.setattr(pdf.FormTable, "_drawLines", draw_lines)
        pdf.build_pdf(report, tpl, result, grids=grids)
        out = []
        for segments in pages:
            lines: dict = {}
            for pen, kind, at, a, b in segments:
                lines.setdefault((pen, kind, at), []).append((a, b))
            out.append({key: [(round(a, 3), round(b, 3)) for a, b in pdf._joined(spans)] for key, spans in lines.items()})
        return out, calls[0]

    joined, fewer = strokes(pdf.FormTable._drawLines)
    reference, more = strokes(Table._drawLines)
    assert len(joined) == len(reference) > 10
    for page, (ours, theirs) in enumerate(zip(joined, reference)):
        assert ours == theirs, f"page {page}"
    assert fewer < more * 0.6  # with about half the strokes


def test_joined_intervals():
    from export.pdf import _joined

    assert _joined([(3, 4), (0, 1), (1, 2), (5, 4)]) == [(0, 2), (3, 5)]
    assert _joined([(3, 4), (4.5, 5)]) == [(3, 4), (4.5, 5)]  # a gap stays a gap
    assert _joined([(2, 0), (0.5, 1)]) == [(0, 2)]
    assert _joined([]) == []
