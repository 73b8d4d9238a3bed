"""The official tables as an Excel workbook: one sheet per grid (see ``export.forms``).

Looks like the printed forms: 黑体 title merged across the table, 宋体 body,
thin borders on every cell of every merged range (each cell is styled — Excel
and LibreOffice lose the right/bottom edges otherwise), wrapped text with row
heights estimated from the text (LibreOffice does not auto-fit), A4 with
fit-to-width, the title lines and header rows printed on every page, a
第 X 页 共 Y 页 footer with the report's 校验码 at its right, and page breaks planned so that no merged label is cut
or missing on a page (``paging``).  While scored indicators are unanswered,
every sheet's title (and the workbook's) says 草稿（未评完）.

Money, scores and rates are written as numbers with number formats; a score
set by hand keeps its number and shows a ``*`` through the format.  Every
other string is written as text (``t="inlineStr"``), never as a formula, so a
name like ``=1+1`` or ``@SUM(A1)`` stays what the clerk typed.

Modules: ``cells`` (values and looks), ``layout`` (row heights, sheet names),
``paging`` (where pages end), ``sheet`` (one grid on one sheet).
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList

from model.checksum import checksum
from model.report import Report
from model.scoring import ScoreResult
from model.templates import Template

from ..forms import grids_for
from ..gcpause import collector_paused
from .cells import (  # noqa: F401  (the names tests and callers use)
    BODY_FONT,
    BODY_SIZE,
    BORDER,
    GB2312,
    NOTE_SIZE,
    TITLE_FONT,
    TITLE_SIZE,
    _alignment_for,
    _font_for,
    _Looks,
    _merge,
    clean_text,
    numeric_value,
    set_text,
)
from .layout import MIN_ROW_PT, _row_heights, lines_needed, print_width, row_height, sheet_name  # noqa: F401
from .paging import A4_PT, MARGINS, Page, _page_capacity, _scale, plan_pages  # noqa: F401
from .fastwrite import save_workbook
from .sheet import DRAFT_MARK, SheetLayout, _page_setup, sheet_layout, write_grid  # noqa: F401


def build_workbook(report: Report, tpl: Template, result: ScoreResult, grids=None, progress=None) -> Workbook:
    """``grids``: the official tables (by default ``grids_for``); ``progress(done, total)`` before each sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    # The default (Normal) font is what column widths are measured in: 宋体, as in Chinese Excel/WPS,
    # not Calibri (which LibreOffice on Linux replaces by a wider face).
    wb._fonts = IndexedList([Font(name=BODY_FONT, size=11, charset=GB2312, family=3)])
    taken: set[str] = set()
    if grids is None:
        grids = grids_for(report, tpl, result)
    draft = not result.complete
    looks = _Looks()  # style ids belong to the workbook: shared by its sheets, never by two workbooks
    code = f"校验码 {checksum(report)}"
    for n, grid in enumerate(grids):
        if progress is not None:
            progress(n, len(grids))
        ws = wb.create_sheet(sheet_name(grid, report, taken))
        write_grid(ws, grid, looks, draft)
        ws.oddFooter.right.text = code  # the printed page names the file it came from (model.checksum)
        ws.oddFooter.right.size = 8
    if not grids:  # a workbook needs a sheet; say why it is empty
        ws = wb.create_sheet("说明")
        set_text(ws.cell(row=1, column=1), "本模板没有需要导出的表格。")
    wb.properties.creator = "绩效自评填报助手"
    title = f"{report.basic.department} {report.fiscal_year}年度 {tpl.form_title or tpl.title}"
    wb.properties.title = clean_text(title + (DRAFT_MARK if draft else ""))
    return wb


@collector_paused()
def build_xlsx(report: Report, tpl: Template, result: ScoreResult, grids=None, progress=None) -> bytes:
    """The workbook of the template's official tables, as .xlsx bytes.  ``grids``: the tables
    (by default ``export.forms.grids_for``); ``progress(done, total)``: called as the sheets are
    made (about half the time) and written (an exception it raises stops the build)."""
    buf = io.BytesIO()
    half = None
    if progress is not None:
        def half(i, n):
            progress(i, 2 * n)
    wb = build_workbook(report, tpl, result, grids, half)
    save_workbook(wb, buf, progress)
    if progress is not None:
        progress(1, 1)
    return buf.getvalue()
