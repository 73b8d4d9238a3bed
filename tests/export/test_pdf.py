"""PDF export: text, fonts, page size, line breaking, missing glyphs, tables (pdftotext/pdffonts/pdfinfo)."""
from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from export import fonts as fonts_mod
from export import narrative
from export.grid import Cell, Grid
from model import scoring, storage, templates

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdfinfo"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext/pdffonts/pdfinfo) not installed")

# sample → (strings the PDF must contain, plausible page range)
EXPECT = {
    "xingxian_2022": (["83.73", "2022年脱贫劳动力稳岗补助", "项目支出绩效自评表", "99.00", "兴县乡村振兴局",
                       "2022年度项目支出绩效自评报告", "评价组组长（签字）"], (6, 20)),
    "shilong_2020": (["86.00", "履职效能", "得分情况表", "评价指标体系及得分", "一、部门基本概况",
                      "（一）部门概况", "平顶山市石龙区乡村振兴局", "附件1", "一级指标得分率"], (25, 90)),
    "xiangxi_2021": (["部门整体支出绩效自评表", "一、基本情况", "湘西自治州乡村振兴局", "1,482.43",
                      "十、绩效自评结果拟应用和公开情况", "评价小组"], (12, 60)),
    "yongxing_2020": (["永兴县扶贫开发办公室", "六、部门整体支出绩效情况"], (8, 60)),
}
CLOSERS = "，。；：？！）”》、"


def load(name):
    report = storage.load(SAMPLES / f"{name}.jxzp.json")
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each sample's PDF, built once: name → (path, bytes)."""
    from export.pdf import build_pdf

    out = tmp_path_factory.mktemp("pdf")
    cache = {}

    def get(name):
        if name not in cache:
            data = build_pdf(*load(name))
            path = out / f"{name}.pdf"
            path.write_bytes(data)
            cache[name] = (path, data)
        return cache[name]

    return get


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def text_of(path: Path, layout: bool = False) -> str:
    return run("pdftotext", *(["-layout"] if layout else []), str(path), "-")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_sizes(path: Path) -> list[tuple[float, float]]:
    out = run("pdfinfo", "-f", "1", "-l", "9999", str(path))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)", out)]


SAMPLE_NAMES = [n for n in EXPECT if (SAMPLES / f"{n}.jxzp.json").exists()]


# ---------------------------------------------------------------- whole samples

@needs_poppler
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_text_has_headings_and_key_figures(built, name):
    path, data = built(name)
    assert data[:5] == b"%PDF-"
    text = squeeze(text_of(path))
    for needle in EXPECT[name][0]:
        assert squeeze(needle) in text, needle
    assert data.missing_chars == ()


@needs_poppler
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_font_embedded_and_subset(built, name):
    path, _ = built(name)
    rows = run("pdffonts", str(path)).splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        cols = row.split()
        emb, sub, uni = cols[-5], cols[-4], cols[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert "STSong" not in row and "Helvetica" not in row and "Times" not in row, row
        assert "TrueType" in row, row


@needs_poppler
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a4_pages_plausible_count_and_footer(built, name):
    path, _ = built(name)
    sizes = page_sizes(path)
    low, high = EXPECT[name][1]
    assert low <= len(sizes) <= high, len(sizes)
    for w, h in sizes:
        assert sorted((round(w), round(h))) == [595, 842], (w, h)  # A4, portrait or landscape
    assert sizes[0][0] < sizes[0][1]  # the cover is portrait
    text = squeeze(text_of(path))
    total = len(sizes) - 1  # the cover is not numbered
    assert f"第1页共{total}页" in text
    assert f"第{total}页共{total}页" in text


@needs_poppler
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_line_starts_with_a_closing_mark(built, name):
    path, _ = built(name)
    for layout in (False, True):
        for line in text_of(path, layout).splitlines():
            s = line.strip()
            assert not (s and s[0] in "，。"), line
            # in reading order (no -layout) no line starts with any closer either
            if not layout:
                assert not (s and s[0] in CLOSERS), line


@needs_poppler
def test_score_chart_only_with_department_score(built):
    assert "一级指标得分率" in squeeze(text_of(built("shilong_2020")[0]))
    assert "一级指标得分率" not in squeeze(text_of(built("xingxian_2022")[0]))


@needs_poppler
def test_narrative_in_template_order_with_titles(built):
    path, _ = built("shilong_2020")
    text = squeeze(text_of(path))
    report, tpl, _ = load("shilong_2020")
    positions = [text.find(squeeze(s.title)) for s in tpl.narrative_sections]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)


# ---------------------------------------------------------------- characters no font has

@needs_poppler
def test_missing_glyph_is_reported_not_blank(tmp_path):
    from export.pdf import build_pdf

    report, tpl, result = load("xiangxi_2021")
    report = copy.deepcopy(report)
    rare = "\U0002A6D6"  # CJK Ext B: not in WenQuanYi
    private = "\ue000"  # private use
    nowhere = "\U0010FFFD"  # supplementary private use B: in no font
    report.narrative["conclusion"] = f"本单位得分{rare}分，见附件{private}与{nowhere}。"
    bundled_only = fonts_mod.FontSet(search_dirs=[])
    fonts_mod.use_fonts(bundled_only)
    try:
        assert fonts_mod.missing_glyphs(f"中文{rare}{private}", "fang") == {rare, private}
        data = build_pdf(report, tpl, result)
    finally:
        fonts_mod.use_fonts(None)
    assert {rare, private, nowhere} <= set(data.missing_chars)
    assert "U+2A6D6" in data.warning and "〓" in data.warning
    path = tmp_path / "rare.pdf"
    path.write_bytes(data)
    text = squeeze(text_of(path))
    assert "本单位得分〓分，见附件〓与〓。" in text  # a visible mark where the character could not be drawn

    # with this machine's fonts the plane-16 character is still reported
    data = build_pdf(report, tpl, result)
    assert nowhere in data.missing_chars


def test_per_character_fallback_uses_another_font():
    fs = fonts_mod.get_fonts()
    song = fs.roles["song"]
    others = [f for f in fs._fallbacks() if f is not song]
    candidates = sorted({cp for f in others for cp in f.cmap
                         if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF} - song.cmap)
    if not candidates:
        pytest.skip("the 宋体 role font has every CJK character the other fonts have")
    ch = chr(candidates[0])
    assert fs.missing_glyphs(f"中{ch}", "song") == {ch}
    missing = set()
    markup = fs.markup(f"中{ch}文", "song", missing)
    assert missing == set()
    provider = fs.provider(ch, "song")
    assert f'<font name="{provider.name}">{ch}</font>' in markup


def test_markup_escapes_user_text_and_keeps_wide_spaces():
    fs = fonts_mod.get_fonts()
    out = fs.markup("a<b>&c\n年\u3000\u3000月", "song")
    assert "&lt;b&gt;&amp;c<br/>" in out
    assert "\u3000" not in out and "\u00a0" in out  # full-width spaces survive reportlab's whitespace collapsing


def test_fonts_are_truetype_and_bundled_fallback_exists():
    fs = fonts_mod.get_fonts()
    for role in fonts_mod.ROLES:
        path = str(fs.roles[role].path).lower()
        assert path.endswith((".ttf", ".ttc")), path
    bundled = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
    assert bundled.is_file()
    assert (ROOT / "resources" / "fonts" / "README.md").is_file()
    only = fonts_mod.FontSet(search_dirs=[])
    assert {f.path for f in only.roles.values()} == {bundled}


# ---------------------------------------------------------------- tables

def _long_grid(landscape=False) -> Grid:
    g = Grid("test_long", "测试表", [10, 12, 40, 20], subtitle="单位名称：测试单位\u3000\u3000金额单位：万元",
             header_rows=1, landscape=landscape, notes=["注：测试脚注。"])
    g.add(Cell("一级", style="header"), Cell("二级", style="header"), Cell("内容", style="header"),
          Cell("得分", style="header"))
    g.add(Cell("跨行标签", rowspan=12, style="header"), Cell("合并", rowspan=2, style="label"),
          Cell("短文本"), Cell("1.00", style="score"))
    g.add(Cell("第二行"), Cell("2.00", style="score"))
    for i in range(10):
        g.add(Cell(f"行{i}", style="label"), Cell(("很长的说明文字，用来撑高这一行。" * 25) + f"第{i}行结束"),
              Cell("3.00", style="score"))
    g.add(Cell("一行比一页还高", colspan=2, style="label"),
          Cell("超长单元格。" * 900 + "超长单元格到此结束", colspan=2))
    g.add(Cell("合计", colspan=3, style="header"), Cell("99.99", style="score"))
    return g


@needs_poppler
def test_tall_spans_and_rows_break_across_pages_without_losing_text(tmp_path):
    from export.pdf import build_pdf

    report, tpl, result = load("xingxian_2022")
    data = build_pdf(report, tpl, result, grids=[_long_grid(), _long_grid(landscape=True)])
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    text = squeeze(text_of(path))
    for i in range(10):
        assert f"第{i}行结束" in text
    assert text.count("超长单元格到此结束") == 2
    assert text.count("99.99") == 2 and "注：测试脚注。" in text
    sizes = page_sizes(path)
    assert any(w > h for w, h in sizes) and any(w < h for w, h in sizes)
    # the header row repeats on the pages a table continues on
    assert text.count("一级二级内容得分") > 4


def test_grid_spans_become_table_spans():
    from export.fonts import get_fonts
    from export.pdf import Builder

    g = Grid("t", "t", [10, 10, 10])
    g.add(Cell("A", rowspan=2), Cell("B", colspan=2))
    g.add(Cell("C"), Cell("D"))
    b = Builder(None, None, None, get_fonts())
    t = b.grid_table(g, 300, 700)
    spans = [c for c in t._spanCmds if c[0] == "SPAN"]
    assert ("SPAN", (0, 0), (0, 1)) in spans and ("SPAN", (1, 0), (2, 0)) in spans


# ---------------------------------------------------------------- line breaking

def _lines(para) -> list[str]:
    bl = para.blPara
    if bl.kind == 0:
        return ["".join(words) for _sp, words in bl.lines]
    return ["".join(getattr(w, "text", "") for w in line.words) for line in bl.lines]


@pytest.mark.parametrize("width", range(60, 260, 7))
def test_paragraph_lines_never_start_with_closers(width):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from export.pdf import install_line_breaking

    install_line_breaking()
    fs = fonts_mod.get_fonts()
    style = ParagraphStyle("t", fontName=fs.font_name("song"), fontSize=10, leading=13, wordWrap="CJK")
    text = "本单位（含二级机构）全年支出“三公”经费，较上年下降。其中：公务接待费、会议费；《办法》规定！是否？" * 3
    hei = fs.font_name("hei")
    for prefix, markup in (("", fs.markup(text, "song")),  # one font: reportlab's single-fragment path
                           ("一、", f'<font name="{hei}">一、</font>' + fs.markup(text, "song"))):  # mixed fonts
        p = Paragraph(markup, style)
        p.wrap(width, 10000)
        lines = [line for line in _lines(p) if line]
        assert "".join(lines) == prefix + text
        for line in lines[1:]:
            assert line[0] not in CLOSERS, (width, line)
        for line in lines[:-1]:
            assert line[-1] not in "（“《", (width, line)


# ---------------------------------------------------------------- narrative blocks

def test_narrative_heading_levels():
    blocks = narrative.parse("一、基本情况\n\n（一）部门概况\n正文第一段。\n1. 部门职能\n（1）内设机构\n"
                             "1、强力推进有效衔接。组织衔接到位。\n2、开展防止返贫动态监测管理和常态化帮扶。\n"
                             "3.收支预算：2020年度收入预算6400.32万元\n1.5万元用于培训。")
    got = [(b.level, b.lead or b.text) for b in blocks]
    assert got == [
        (1, "一、基本情况"), (2, "（一）部门概况"), (0, "正文第一段。"), (3, "1. 部门职能"), (4, "（1）内设机构"),
        (3, "1、强力推进有效衔接。"), (0, "2、开展防止返贫动态监测管理和常态化帮扶。"), (3, "3.收支预算："),
        (0, "1.5万元用于培训。"),
    ]
    assert blocks[5].rest == "组织衔接到位。" and blocks[5].run_in


def test_section_title_added_once():
    assert [b.text for b in narrative.section_blocks("一、基本情况", "正文。")] == ["一、基本情况", "正文。"]
    assert [b.text for b in narrative.section_blocks("一、基本情况", "一、基本情况\n正文。")] == ["一、基本情况", "正文。"]
    assert [b.text for b in narrative.section_blocks("一、基本情况", "基本情况\n正文。")] == ["一、基本情况", "正文。"]


def test_report_title_from_template():
    report, tpl, _ = load("xiangxi_2021")
    assert narrative.report_title(report, tpl) == ("湘西自治州乡村振兴局", "2021年度部门整体支出绩效自评报告")


# ---------------------------------------------------------------- font discovery

def _fake_fonts(folder: Path, names) -> None:
    src = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
    for name in names:
        try:
            (folder / name).symlink_to(src)
        except OSError:
            shutil.copy(src, folder / name)


def test_windows_font_files_fill_their_roles(tmp_path):
    sub = tmp_path / "user"
    sub.mkdir()
    _fake_fonts(tmp_path, ["SimSun.ttc", "SIMHEI.TTF", "simkai.ttf"])
    _fake_fonts(sub, ["simfang.ttf"])  # per-user fonts folder
    fs = fonts_mod.FontSet(search_dirs=[tmp_path, sub])
    names = {role: f.path.name for role, f in fs.roles.items()}
    assert names == {"song": "SimSun.ttc", "hei": "SIMHEI.TTF", "fang": "simfang.ttf", "kai": "simkai.ttf",
                     "title": "SIMHEI.TTF"}
    assert fs.docx_faces == {"song": "宋体", "hei": "黑体", "fang": "仿宋", "kai": "楷体", "title": "黑体"}
    _fake_fonts(tmp_path, ["仿宋_GB2312.ttf", "FZXBSJW.TTF"])
    fs = fonts_mod.FontSet(search_dirs=[tmp_path, sub])
    assert fs.roles["fang"].path.name == "仿宋_GB2312.ttf" and fs.docx_faces["fang"] == "仿宋_GB2312"
    assert fs.docx_faces["title"] == "方正小标宋简体"


def test_windows_font_folders(monkeypatch):
    monkeypatch.setattr(fonts_mod.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", r"C:\Windows")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\clerk\AppData\Local")
    dirs = [str(d).replace("/", "\\") for d in fonts_mod.font_dirs()]
    assert dirs[0].endswith(r"Windows\Fonts")
    assert dirs[1].endswith(r"AppData\Local\Microsoft\Windows\Fonts")


def test_unusable_fonts_are_skipped(tmp_path):
    (tmp_path / "simsun.ttc").write_bytes(b"not a font at all")
    fs = fonts_mod.FontSet(search_dirs=[tmp_path])
    assert fs.roles["song"].path.name == "wqy-microhei.ttc"  # the bundled fallback


def test_signatory_is_the_evaluator_for_third_party_evaluations():
    report, _tpl, _ = load("shilong_2020")
    assert report.basic.evaluation_mode == "第三方评价"
    assert narrative.signatory(report) == "北京亚太联华资产评估有限公司"
    report, _tpl, _ = load("xiangxi_2021")
    assert narrative.signatory(report) == "湘西自治州乡村振兴局"


def _block_grid() -> Grid:
    g = Grid("blocks", "分块表", [10, 10, 40, 10])
    g.add_section(Cell("一、第一块", 4, 1, "header", "left"))
    g.mark_column_head(g.add(Cell("一级", style="header"), Cell("二级", style="header"), Cell("内容", style="header"),
                             Cell("得分", style="header")))
    g.add(Cell("产出指标", rowspan=30, style="header"), Cell("数量指标", rowspan=10, style="label"),
          Cell("第1行"), Cell("1.00", style="score"))
    for i in range(2, 31):
        cells = [Cell(f"第{i}行"), Cell("1.00", style="score")]
        if i in (11, 21):
            cells.insert(0, Cell("质量指标" if i == 11 else "时效指标", rowspan=10, style="label"))
        g.add(*cells)
    g.add_section(Cell("二、第二块", 4, 1, "header", "left"))
    g.mark_column_head(g.add(Cell("甲", style="header"), Cell("乙", 3, style="header")))
    for i in range(5):
        g.add(Cell(f"乙{i}"), Cell("", 3))
    return g


def _row_texts(table) -> list[list[str]]:
    """Each row's cell texts (a cell's text in the row it starts in), as the split table holds them."""
    regions = table._form[0]
    rows = [[] for _ in range(table._nrows)]
    for reg in sorted(regions, key=lambda reg: (reg.r, reg.c)):
        part = reg.parts[0]
        flows = part if isinstance(part, list) else [part]
        rows[reg.r].append("".join(re.sub(r"<[^>]+>", "", getattr(f, "text", "")) for f in flows))
    return rows


def test_form_table_continues_with_its_column_header_and_labels():
    from export.fonts import get_fonts
    from export.pdf import Builder

    b = Builder(None, None, None, get_fonts())
    table = b.grid_table(_block_grid(), 500, 700)
    height = table.wrap(500, 700)[1]
    first, rest = table.split(500, height * 0.45)  # the break falls inside 质量指标
    top = _row_texts(first)
    assert top[0] == ["一、第一块"] and top[1] == ["一级", "二级", "内容", "得分"]
    cont = _row_texts(rest)
    # the continuation starts with the block's column header, then its cut labels again with （续）
    assert cont[0] == ["一级", "二级", "内容", "得分"]
    assert cont[1][:2] == ["产出指标（续）", "质量指标（续）"]
    n = int(_row_texts(first)[-1][0].strip("第行"))
    assert cont[1][2] == f"第{n + 1}行"  # and nothing lost or printed twice
    # a page never ends with a heading: cut where the second block starts, its heading moves on whole
    rows = first._nrows + rest._nrows
    for avail in range(120, int(height), 25):
        parts = table.split(500, avail)
        if len(parts) != 2:
            continue
        last = _row_texts(parts[0])[-1]
        assert last not in (["一、第一块"], ["二、第二块"], ["一级", "二级", "内容", "得分"], ["甲", "乙"]), (avail, last)
    assert rows > table._nrows  # the header row was printed again
