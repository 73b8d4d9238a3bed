"""Printed pages a bureau accepts (issue 11): every sample's PDF, a long project form and a department
with many units, read back page by page with ``pdftotext -layout``.

- no page ends with a heading: a section row of a form, a table's title or subtitle, an 附件 label,
  a narrative heading — nor does a table part end with a section row or column header;
- every page holding rows of a table block shows the block's column header;
- every page holding rows of a merged 一级/二级 label shows that label;
- the 签章 rows of a form (and of the 评价人员及审核意见 page) are on one page;
- every page carries 草稿（未评完） if and only if the report is not fully scored.

What is checked comes from the Grid objects (sections, column heads, header rows, spans, sign cells).
Which grid rows a page holds is recorded while the PDF is drawn (each table part reports the cells it
draws); everything asserted about a page is read back from its text.
"""
from __future__ import annotations

import copy
import re
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal

import pytest

from export import narrative as narrative_mod
from export.grid import positions
from model import scoring, storage, templates
from model.paths import samples_dir
from model.report import Project, ProjectIndicator, Report, TeamMember

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")

DRAFT = "草稿（未评完）"
FOOTER = re.compile(r"^第\d+页共\d+页$")
SAMPLES = sorted(p.name.split(".")[0] for p in samples_dir().glob("*.jxzp.json"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


# ---------------------------------------------------------------- the reports

def sample(name: str) -> Report:
    return storage.load(samples_dir() / f"{name}.jxzp.json")


def long_project() -> Report:
    """xingxian with a first project of 60 indicator rows over every 一级/二级: the form runs over pages."""
    report = sample("xingxian_2022")
    kinds = [("output", "数量指标"), ("output", "质量指标"), ("output", "时效指标"), ("output", "成本指标"),
             ("outcome", "经济效益指标"), ("outcome", "社会效益指标"), ("satisfaction", "服务对象满意度指标")]
    rows = 60
    project = report.projects[0]
    project.indicators = [
        ProjectIndicator(level1=kinds[r * len(kinds) // rows][0], level2=kinds[r * len(kinds) // rows][1],
                         name=f"第{r + 1}项三级指标，名称长到要换行", target="≥100人", actual="105人",
                         weight=Decimal("1.5"), deviation_reason="" if r % 3 else "天气影响施工，已调整计划按期完成")
        for r in range(rows)]
    return report


def many_units() -> Report:
    """yongxing with 14 二级机构 (each 收支 block runs over a page) and 9 people to sign."""
    report = sample("yongxing_2020")
    base = report.finance.units[0]
    report.finance.units = []
    for i in range(14):
        unit = copy.deepcopy(base)
        unit.name = f"第{i + 1}个二级机构"
        report.finance.units.append(unit)
    report.team = [TeamMember(name=f"评价人{i + 1}", role="组长" if i == 0 else "成员", title="科员", unit="财政局")
                   for i in range(9)]
    return report


def blank_dept() -> Report:
    return Report(template_id=sample("yongxing_2020").template_id)


def blank_project() -> Report:
    return Report(template_id=sample("xingxian_2022").template_id, projects=[Project(name="待评项目")])


CASES = {**{name: (lambda n=name: sample(n)) for name in SAMPLES},
         "long_project": long_project, "many_units": many_units, "blank_dept": blank_dept,
         "blank_project": blank_project}


# ---------------------------------------------------------------- building and reading back

class Printed:
    """A case's PDF: its grids, the text of each page, and the grid rows each page holds."""

    def __init__(self, name: str, folder):
        from export.forms import grids_for
        from export.pdf import Builder, FormTable, build_pdf
        from export.fonts import get_fonts

        self.report = CASES[name]()
        self.tpl = templates.get(self.report.template_id)
        self.result = scoring.score(self.report, self.tpl)
        self.grids = grids_for(self.report, self.tpl, self.result)
        self.sign_off = Builder(self.report, self.tpl, self.result, get_fonts()).sign_off_grids()
        where = {}  # id(cell) → (grid index, row)
        for gi, g in enumerate(self.grids):
            for r, row in enumerate(positions(g)):
                for _c, cell in row:
                    where[id(cell)] = (gi, r)
        self.rows = defaultdict(set)  # page → {(grid index, row)} of the one-row cells drawn on it
        self.feet = []  # (page, grid index, grid rows starting in a table part's last row)
        original = FormTable.draw

        def draw(table):
            page = table.canv._doctemplate.page
            form = getattr(table, "_form", None)
            if form:
                last = set()
                for reg in form[0]:
                    at = where.get(id(reg.cell))
                    if at is None:
                        continue
                    if reg.cell.rowspan == 1:
                        self.rows[page].add(at)
                    if reg.r == table._nrows - 1:
                        last.add(at)
                for gi in {gi for gi, _r in last}:
                    self.feet.append((page, gi, {r for g, r in last if g == gi}))
            return original(table)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(FormTable, "draw", draw)
            data = build_pdf(self.report, self.tpl, self.result, grids=self.grids)
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        # one call for the whole file: its pages are separated by form feeds, as -f N -l N gives them one by one
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
        pages = out.split("\f")
        if pages and not pages[-1].strip():
            pages.pop()
        self.pages = {n: text for n, text in enumerate(pages, 1)}
        self.flat = {n: squeeze(text) for n, text in self.pages.items()}

    def lines(self, page: int) -> list[str]:
        """The page's text lines, less the page number and the draft line."""
        out = []
        for line in self.pages[page].splitlines():
            s = squeeze(line)
            if s and not FOOTER.match(s) and not s.startswith(DRAFT):
                out.append(s)
        return out

    def pages_with(self, gi: int, rows) -> list[int]:
        rows = set(rows)
        return sorted(p for p, held in self.rows.items() if any(g == gi and r in rows for g, r in held))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    made: dict[str, Printed] = {}

    def get(name: str) -> Printed:
        if name not in made:
            made[name] = Printed(name, folder)
        return made[name]

    return get


def heading_rows(g) -> set[int]:
    return set(g.sections) | {r for h in g.column_heads for r in h}


def blocks(g) -> list[tuple[range, list[int]]]:
    """(column header rows, data rows) of each block of ``g``; ``header_rows`` head the whole grid.
    Rows of one cell across the table (a 签章 block, a note) have no columns to head: they are left out."""
    placed = positions(g)
    ncols = len(g.columns)

    def columned(rows):
        return [r for r in rows if not (len(placed[r]) == 1 and placed[r][0][1].colspan >= ncols)]

    out = []
    if g.header_rows:
        out.append((range(g.header_rows), columned(range(g.header_rows, len(g.rows)))))
    starts = sorted(set(g.sections) | {h.start for h in g.column_heads})
    for h in g.column_heads:
        end = min((s for s in starts if s >= h.stop), default=len(g.rows))
        out.append((h, columned(range(h.stop, end))))
    return out


def key_text(g, col: int, cell) -> str:
    """What of a cell's text surely prints on one line of its column: the start of its first line, as many
    characters as the column holds at the least (a column of ``w`` character widths holds about w/2 CJK
    characters at the size the PDF picks for the page; a third of them are kept back for padding)."""
    first = squeeze(cell.text.split("\n")[0])
    words = first.split("（")[0] or first
    room = max(2, int(sum(g.columns[col:col + cell.colspan]) * 0.34))
    return words[:room]


# ---------------------------------------------------------------- the tests

ALL = list(CASES)


@pytest.mark.parametrize("name", ALL)
def test_no_page_ends_with_a_heading(printed, name):
    doc = printed(name)
    headings = set()
    for g in doc.grids:
        headings.add(squeeze(g.title))
        headings |= {squeeze(line) for line in (g.subtitle or "").split("\n") if line.strip()}
        for r in g.sections:
            headings |= {squeeze(c.text) for c in g.rows[r] if c.text.strip()}
    headings |= {squeeze(b.text) for b in narrative_mod.report_blocks(doc.report, doc.tpl) if b.level and not b.run_in}
    headings.discard("")
    total = len(doc.pages)
    for page in range(1, total):  # the last page ends the document
        lines = doc.lines(page)
        if not lines:
            continue
        last = lines[-1]
        bad = last in headings or re.fullmatch(r"附件\d+", last) or any(
            len(last) >= 4 and (h.startswith(last) or h.endswith(last)) for h in headings if len(h) > len(last))
        assert not bad, f"{name}: page {page} ends with the heading {last!r}"
    for page, gi, rows in doc.feet:
        g = doc.grids[gi]
        if max(rows) < len(g.rows) - 1:  # not the end of the table
            assert not rows <= heading_rows(g), f"{name}: page {page} ends {g.key} with its heading row(s) {sorted(rows)}"


@pytest.mark.parametrize("name", ALL)
def test_every_page_of_a_table_block_shows_its_column_header(printed, name):
    doc = printed(name)
    checked = 0
    for gi, g in enumerate(doc.grids):
        for head, data in blocks(g):
            if not data:
                continue
            placed = positions(g)
            texts = {key_text(g, col, c) for r in head for col, c in placed[r] if c.text.strip()} - {""}
            for page in doc.pages_with(gi, data):
                for t in texts:
                    assert t in doc.flat[page], f"{name}: page {page} holds rows of {g.key} without its header {t!r}"
                    checked += 1
    assert checked


@pytest.mark.parametrize("name", ALL)
def test_every_page_holding_rows_of_a_group_shows_its_label(printed, name):
    doc = printed(name)
    for gi, g in enumerate(doc.grids):
        for r, row in enumerate(positions(g)):
            for col, cell in row:
                key = key_text(g, col, cell)
                if cell.rowspan < 2 or cell.style not in ("header", "label") or not key:
                    continue
                below = range(r, min(r + cell.rowspan, len(g.rows)))
                for page in doc.pages_with(gi, below):
                    assert key in doc.flat[page], \
                        f"{name}: page {page} holds rows of {cell.text!r} ({g.key}) without the label"


@pytest.mark.parametrize("name", ALL)
def test_signature_blocks_on_one_page(printed, name):
    doc = printed(name)
    grids = list(doc.grids)
    if not any(c.style == "sign" for g in grids for row in g.rows for c in row):  # the 评价人员及审核意见 page
        grids += [g for g in doc.sign_off if g is not None]
    for g in grids:
        lines = [squeeze(line) for row in g.rows for c in row if c.style == "sign" for line in c.text.split("\n")]
        lines = [s for s in lines if s and not s.startswith("年")]  # 年 月 日 is in every block
        if not lines:
            continue
        pages = {line: {p for p, text in doc.flat.items() if line in text} for line in lines}
        assert all(pages.values()), f"{name}: signature text missing: {pages}"
        assert set.intersection(*pages.values()), f"{name}: the 签章 rows of {g.key} are split over pages {pages}"


def test_the_hunan_signature_rows_are_checked(printed):
    """The check above does see the three 签章 rows of the 湖南 自评表 (组长 … 财政部门归口业务科室意见)."""
    doc = printed("xiangxi_2021")
    g = next(g for g in doc.grids if g.key == "dept_self_eval")
    assert sum(1 for row in g.rows for c in row if c.style == "sign" and c.text.strip()) >= 3


@pytest.mark.parametrize("name", ALL)
def test_draft_mark_on_every_page_iff_unfinished(printed, name):
    doc = printed(name)
    marked = [p for p, text in doc.flat.items() if DRAFT in text]
    if doc.result.complete:
        assert marked == [], f"{name}: a fully scored report marked as draft on pages {marked}"
    else:
        assert marked == sorted(doc.pages), f"{name}: draft mark missing on pages {sorted(set(doc.pages) - set(marked))}"


def test_cases_cover_what_they_are_for(printed):
    """The generated cases run as long as they should and the blank ones are drafts."""
    assert not printed("blank_dept").result.complete and not printed("blank_project").result.complete
    assert all(printed(n).result.complete for n in SAMPLES)
    doc = printed("long_project")
    g = doc.grids[0]
    assert g.key.startswith("project_self_eval") and len(doc.pages_with(0, range(len(g.rows)))) >= 3
    doc = printed("many_units")
    gi = next(i for i, g in enumerate(doc.grids) if g.key == "dept_self_eval")
    assert len(doc.pages_with(gi, range(len(doc.grids[gi].rows)))) >= 3


def test_draft_title_in_metadata(tmp_path):
    from export.pdf import build_pdf

    for name, draft in (("blank_dept", True), ("xiangxi_2021", False)):
        report = CASES[name]()
        tpl = templates.get(report.template_id)
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(build_pdf(report, tpl, scoring.score(report, tpl)))
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
            title = next(line for line in info.splitlines() if line.startswith("Title:"))
            assert (DRAFT in title) == draft, title


# ---------------------------------------------------------------- every break position

def _keep_grid(filler: int):
    from export.grid import Cell, Grid

    g = Grid("keep_test", "分页测试表", [10, 30, 20, 20], header_rows=1)
    g.add(*(Cell(t, style="header") for t in ("序号", "内容", "数值", "备注")))
    for i in range(filler):
        g.add(Cell(f"{i + 1}", align="center"), Cell(f"填充行{i + 1}"), Cell("1.00", style="score"), Cell(""))
    g.add_section(Cell("二、分节标题", 4, 1, "header", "left"))
    g.mark_column_head(g.add(*(Cell(t, style="header") for t in ("甲栏", "乙栏", "丙栏", "丁栏"))))
    for i in range(3):
        g.add(Cell(f"分节{i + 1}"), Cell("分节内容"), Cell("2.00", style="score"), Cell(""))
    pad = "\u3000" * 12
    for head in ("组长（签字）", "部门意见", "财政意见"):
        g.add(Cell(f"{head}：\n\n\n{pad}负责人（签章）：\n{pad}年\u3000月\u3000日", 4, 1, "sign"))
    return g


def test_keep_rules_hold_wherever_the_page_breaks(tmp_path):
    """A section heading with its column header, then three 签章 rows, pushed down a row at a time
    through the foot of the first page: the heading never ends a page, the 签章 rows never part."""
    from export.pdf import build_pdf

    report = blank_project()
    tpl = templates.get(report.template_id)
    result = scoring.score(report, tpl)
    straddled = 0
    for filler in range(22, 52, 2):
        path = tmp_path / f"keep{filler}.pdf"
        path.write_bytes(build_pdf(report, tpl, result, grids=[_keep_grid(filler)]))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = [squeeze(p) for p in text.split("\f")]
        where = {s: [i for i, p in enumerate(pages) if s in p] for s in ("二、分节标题", "甲栏", "组长（签字）", "部门意见", "财政意见")}
        assert len(where["二、分节标题"]) == 1 and where["二、分节标题"] == where["甲栏"][:1], (filler, where)
        section_page = pages[where["二、分节标题"][0]]
        assert "分节1" in section_page, (filler, "the heading is not followed by a row on its page")
        assert where["组长（签字）"] == where["部门意见"] == where["财政意见"], (filler, where)
        tables = [i for i, p in enumerate(pages) if "填充行" in p or "分节" in p]
        straddled += len(tables) > 1
    assert straddled >= 5  # the breaks did fall inside the table
