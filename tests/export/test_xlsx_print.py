"""The workbook as printed on A4: nothing cut or missing on any page.

Fast checks read the sheet XML (print titles on every sheet; no row break inside a merged range; a block
continued on the next page starts with its column header again).  The print check has LibreOffice print
every workbook (every sample, a project of 60 indicator rows, a department of 40 units, a blank report)
to PDF in one call, reads each page's text with ``pdftotext -layout`` and checks, from the grids (never
from texts written here per sample): LibreOffice made no page break of its own (the pages are the
planned ones); the title on every page, marked 草稿（未评完） iff the report is incomplete; on every page
holding rows of a table, that table's column header; on every page holding rows of a merged label
(一级/二级 indicators, 项目资金, 绩效指标 …), the label; no page ending with a heading; each 签章 block on
one page.  Skips where LibreOffice or poppler is missing.
"""
from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from export import xlsx
from export.forms import grids_for
from model import scoring, storage, templates
from model.report import ProjectIndicator, Report

FOLDER = Path(__file__).resolve().parents[2] / "resources" / "samples"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
SPACE = re.compile(r"\s+")


# ---------------------------------------------------------------- the reports

def long_project() -> Report:
    """One project with 60 indicator rows (three 一级, several 二级, texts of every length), one unanswered."""
    report = storage.load(FOLDER / "xingxian_2022.jxzp.json")
    project = report.projects[1]
    rows = []
    for k in range(60):
        level1, level2 = [("output", "数量指标"), ("output", "质量指标"), ("output", "时效指标"), ("output", "成本指标"),
                          ("outcome", "社会效益指标"), ("outcome", "经济效益指标"), ("satisfaction", "服务对象满意度指标")][k * 7 // 60]
        name = f"第{k + 1}项指标" + "（含村级配套设施建设、运行维护及档案资料整理）" * (k % 4 == 1)
        rows.append(ProjectIndicator(level1, level2, name, target=f"{k + 10}套", actual=f"{k + 10}套",
                                     weight=Decimal("1.5"),
                                     deviation_reason="受疫情影响，部分设备到货推迟，已督促供货单位按期交付。" * (k % 9 == 4)))
    rows[37].actual = ""  # no fact: the report is not complete
    project.indicators = rows
    report.projects = [project]
    return report


def many_units() -> Report:
    """The 湘西 department with 40 units: every 收支 table runs over pages."""
    report = storage.load(FOLDER / "xiangxi_2021.jxzp.json")
    units = report.finance.units
    report.finance.units = []
    for k in range(40):
        unit = copy.deepcopy(units[k % len(units)])
        unit.name = f"第{k + 1}个二级机构（乡镇乡村振兴工作站）"
        report.finance.units.append(unit)
    return report


def reports() -> dict[str, Report]:
    out = {p.name.split(".")[0]: storage.load(p) for p in sorted(FOLDER.glob("*.jxzp.json"))}
    out["long_project"] = long_project()
    out["many_units"] = many_units()
    out["blank_hunan"] = Report(template_id="hunan-dept", fiscal_year=2023)
    return out


def scored(report: Report):
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


@pytest.fixture(scope="module")
def workbooks(books):
    """name → the workbook read back with openpyxl."""
    return {name: load_workbook(io.BytesIO(data)) for name, (*_, data) in books.items()}


@pytest.fixture(scope="module")
def books():
    """name → (report, tpl, result, grids, xlsx bytes)."""
    out = {}
    for name, report in reports().items():
        report, tpl, result = scored(report)
        out[name] = (report, tpl, result, grids_for(report, tpl, result), xlsx.build_xlsx(report, tpl, result))
    assert not out["long_project"][2].complete and not out["blank_hunan"][2].complete
    assert out["many_units"][2].complete
    return out


# ---------------------------------------------------------------- what the grids say must be on a page

def norm(text: str) -> str:
    return SPACE.sub("", text)


def needle(text: str, width: float) -> str:
    """The start of ``text`` that is surely printed on one line of a column ``width`` characters wide."""
    line = norm(text.split("\n")[0])
    out = ""
    for ch in line:
        if xlsx.print_width(out + ch) > max(4.0, width * 0.85):
            break
        out += ch
    return out


def block_of(grid, placed, row: int):
    """The column header (rows) of the block holding ``row``: a block runs from below its header to the
    next heading, header or row across the whole table, or to the end of a label of the header running
    down beside it (绩效指标)."""
    head = grid.column_head_of(row)
    if head is None or head.start < grid.header_rows:
        return None
    starts = [s for s in sorted(set(grid.sections) | {h.start for h in grid.column_heads}) if s >= head.stop]
    end = starts[0] if starts else len(grid.rows)
    across = [r for r in range(head.stop, end) if len(placed[r]) == 1 and placed[r][0][1].colspan == len(grid.columns)]
    end = across[0] if across else end
    beside = max((r + c.rowspan for r in head for _, c in placed[r]), default=0)
    return head if row < (min(end, beside) if beside > head.stop else end) else None


def header_needles(grid, placed, rows) -> list[str]:
    out = []
    for r in rows:
        for col, cell in placed[r]:
            if cell.text.strip():
                out.append(needle(cell.text, sum(grid.columns[col:col + cell.colspan])))
    return out


def sign_needles(grid) -> list[str]:
    """The heading of each 签章 cell with text (评价组组长（签字）, 部门（单位）意见 …)."""
    return [norm(c.text.split("：")[0]) for row in grid.rows for c in row if c.style == "sign" and c.text.strip()]


# ---------------------------------------------------------------- fast: the sheet XML

def sheet_xml(data: bytes):
    z = zipfile.ZipFile(io.BytesIO(data))
    names = sorted((n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)),
                   key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1)))
    return z, [ET.fromstring(z.read(n)) for n in names]


def test_every_sheet_has_print_titles_and_no_break_inside_a_merged_range(books):
    for name, (report, tpl, result, grids, data) in books.items():
        z, sheets = sheet_xml(data)
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        titles = {int(d.get("localSheetId")): d.text for d in workbook.iter(f"{{{NS['m']}}}definedName")
                  if d.get("name") == "_xlnm.Print_Titles"}
        assert len(sheets) == len(grids) and sorted(titles) == list(range(len(sheets))), name
        for i, (grid, root) in enumerate(zip(grids, sheets)):
            # the title lines (and the grid's header rows) repeat on every page
            top = 2 + (grid.subtitle.count("\n") + 1 if grid.subtitle else 0)
            assert titles[i].endswith(f"$1:${top + grid.header_rows - 1}"), (name, grid.key, titles[i])
            merged = [range_boundaries(m.get("ref")) for m in root.iter(f"{{{NS['m']}}}mergeCell")]
            breaks = [int(b.get("id")) for b in root.iter(f"{{{NS['m']}}}brk")]
            assert len(breaks) == len(xlsx.sheet_layout(grid, not result.complete).pages) - 1, (name, grid.key)
            for b in breaks:  # a break after sheet row b
                inside = [(c1, r1, c2, r2) for c1, r1, c2, r2 in merged if r1 <= b < r2]
                assert not inside, (name, grid.key, b, inside)


def covering(placed, r: int) -> dict[int, tuple[int, object]]:
    """id → (column, cell) of the cells covering grid row ``r``."""
    return {id(c): (col, c) for rr, row in enumerate(placed) for col, c in row if rr <= r < rr + c.rowspan}


def test_labels_split_by_a_break_are_written_again_and_continued_blocks_get_their_header(books, workbooks):
    split = repeated = 0
    for name, (report, tpl, result, grids, data) in books.items():
        wb = workbooks[name]
        for grid, ws in zip(grids, wb.worksheets):
            lay = xlsx.sheet_layout(grid, not result.complete)
            top = 2 + len(lay.subtitle)
            sequence = lay.sequence()
            n = len(grid.rows)
            for p in range(1, len(lay.pages)):
                before, page = lay.pages[p - 1], lay.pages[p]
                first = top + sequence.index((page.repeat.start if page.repeat else page.rows.start, p))
                for i, r in enumerate(page.repeat):  # the column header again, as it is above the block
                    repeated += 1
                    for col, cell in lay.placed[r]:
                        if cell.text and xlsx.numeric_value(cell) is None:
                            assert ws.cell(first + i, col + 1).value == cell.text, (name, grid.key, p, cell.text)
                if before.rows.stop - 1 >= n or page.rows.start >= n:
                    continue
                going_on = covering(lay.placed, before.rows.stop - 1).keys() & covering(lay.placed, page.rows.start)
                for key in going_on:  # a label split by the break: written again in its first row on this page
                    col, cell = covering(lay.placed, page.rows.start)[key]
                    rows = [top + i for i, (r, q) in enumerate(sequence) if q == p and key in covering(lay.placed, r)]
                    if cell.text and xlsx.numeric_value(cell) is None:
                        assert ws.cell(rows[0], col + 1).value == cell.text, (name, grid.key, p, cell.text)
                        split += 1
    assert split >= 3 and repeated >= 3  # the long project splits its labels, the 40 units' tables go on


def test_draft_title_iff_incomplete(books, workbooks):
    for name, (report, tpl, result, grids, data) in books.items():
        wb = workbooks[name]
        for ws, grid in zip(wb.worksheets, grids):
            expected = grid.title + ("" if result.complete else xlsx.DRAFT_MARK)
            assert ws["A1"].value == expected, (name, ws.title)
        assert wb.properties.title.endswith(xlsx.DRAFT_MARK) == (not result.complete), name


# ---------------------------------------------------------------- printed by LibreOffice

def _printable():
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice (soffice) or poppler (pdftotext) not installed")
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout \
        if shutil.which("fc-list") else ""
    if not fonts.strip():
        pytest.skip("no Chinese font for LibreOffice to print with")


@pytest.fixture(scope="module")
def printed(books, tmp_path_factory):
    """name → list of page texts, every workbook printed by one LibreOffice call."""
    _printable()
    folder = tmp_path_factory.mktemp("xlsx_print")
    files = []
    for name, (*_, data) in books.items():
        (folder / f"{name}.xlsx").write_bytes(data)
        files.append(str(folder / f"{name}.xlsx"))
    started = time.monotonic()
    profile = (folder / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *files], capture_output=True, timeout=240, check=True)
    out = {}
    for name in books:
        pdf = folder / f"{name}.pdf"
        assert pdf.exists(), f"LibreOffice printed no {pdf.name}"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        out[name] = text.split("\f")[:-1]  # a form feed ends every page
    print(f"LibreOffice + pdftotext: {time.monotonic() - started:.1f} s for {len(files)} workbooks")
    return out


def pages_of(books, printed, name):
    """(grid, layout, page, page text, page number) for every printed page, sheet by sheet."""
    report, tpl, result, grids, data = books[name]
    texts = printed[name]
    layouts = [xlsx.sheet_layout(g, not result.complete) for g in grids]
    planned = sum(len(lay.pages) for lay in layouts)
    assert len(texts) == planned, (
        f"{name}: LibreOffice printed {len(texts)} pages, the sheets plan {planned}: it broke a page by itself")
    k = 0
    for grid, lay in zip(grids, layouts):
        for page in lay.pages:
            yield grid, lay, page, texts[k], k + 1
            k += 1


def content_lines(text: str) -> list[str]:
    """The page's lines, whitespace removed, without blank lines and the 第 X 页 共 Y 页 footer."""
    lines = [norm(line) for line in text.split("\n")]
    return [line for line in lines if line and not re.fullmatch(r"第\d+页共\d+页", line)]


NAMES = [p.name.split(".")[0] for p in sorted(FOLDER.glob("*.jxzp.json"))] + ["long_project", "many_units",
                                                                            "blank_hunan"]


@pytest.mark.parametrize("name", NAMES)
def test_printed_pages(books, printed, name):
    report, tpl, result, grids, data = books[name]
    signs: dict[str, set[int]] = {}
    for grid, lay, page, text, number in pages_of(books, printed, name):
        where = f"{name} page {number} ({grid.key})"
        lines = content_lines(text)
        assert lines, where
        flat = "".join(lines)
        # the title on every page; marked as a draft iff the report is incomplete
        assert needle(grid.title, sum(grid.columns) / 1.5) in lines[0] + (lines[1] if len(lines) > 1 else ""), where
        assert (norm(xlsx.DRAFT_MARK) in flat) == (not result.complete), where

        rows = [r for r in page.rows if r < len(grid.rows)]
        wanted = set()
        if grid.header_rows and rows:
            wanted.update(header_needles(grid, lay.placed, range(grid.header_rows)))
        for r in rows:  # the column header of every block with rows on this page
            head = block_of(grid, lay.placed, r)
            if head is not None:
                wanted.update(header_needles(grid, lay.placed, head))
        for r, row in enumerate(lay.placed):  # every merged label with rows on this page
            for col, cell in row:
                if cell.rowspan > 1 and cell.text.strip() and any(r <= x < r + cell.rowspan for x in rows):
                    wanted.add(needle(cell.text, sum(grid.columns[col:col + cell.colspan])))
        for w in sorted(wanted):
            assert any(w in line for line in lines), f"{where}: “{w}” not printed on it"

        # no page ends with a heading (a section or the title)
        last = lines[-1]
        headings = [norm(grid.rows[s][0].text) for s in grid.sections if grid.rows[s]]
        assert last not in headings and not last.startswith(norm(grid.title)), f"{where} ends with {last}"
        for s in sign_needles(grid):
            if s in flat:
                signs.setdefault(f"{grid.key}:{s}", set()).add(number)

    # each 签章 block on one page
    for grid in grids:
        wanted = sign_needles(grid)
        if not wanted:
            continue
        pages = [signs.get(f"{grid.key}:{s}", set()) for s in wanted]
        assert all(pages), f"{name} {grid.key}: 签章 text not printed: {wanted}"
        assert len(set.union(*pages)) == 1, f"{name} {grid.key}: 签章 block on pages {pages}"
