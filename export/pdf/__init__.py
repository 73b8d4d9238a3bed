"""Print-ready PDF of a report (reportlab platypus, A4).

``build_pdf(report, tpl, result) -> bytes``: cover page, the official tables
(``export.forms.grids_for``) with a bar chart of 得分率 per 一级 indicator, the
narrative report in 公文 style, project tables as 附件, and signature blocks.
Every page but the cover carries “第 X 页 共 Y 页”, and every page the report's
校验码 (``model.checksum``: the paper and the file it came with show the same code).  Tables break pages as
printed forms do (``tables.FormTable``: column headers and merged labels again
on the next page, no heading at a page foot, 签章 rows together), headings and
titles go with the first part of what follows (``keep.KeepWithFirst``).  A
report not fully scored prints as a draft: 草稿（未评完） on every page (a header
line and a watermark, ``page.draw_draft``) and in the title.

Fonts come from ``export.fonts`` (TrueType only, embedded and subset).  A
character no font can draw is printed as “〓” and listed in the returned
bytes' ``missing_chars`` (``export.fonts.Rendered``; ``.warning`` is the
message for the clerk).
"""
from __future__ import annotations

import io
from typing import Iterable, Optional

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from model.checksum import checksum

from .. import narrative as narrative_mod
from .. import rlfast
from ..fonts import Rendered, get_fonts
from ..gcpause import collector_paused
from ..grid import Grid
from . import chart, cover, narrative
from .builder import Builder
from .keep import KeepWithFirst
from .linebreak import install_line_breaking
from .page import (
    DRAFT_MARK,
    GW_MARGINS,
    TABLE_MARGINS,
    _canvas_class,
    _frame,
    _mark_footer,
    draft_watermark,
)
from .para import Para  # noqa: F401  (tests reach it here)
from .sizing import _Cells  # noqa: F401
from .tables import FormTable, _joined  # noqa: F401

APP_NAME = "绩效自评填报助手"


def _font_file(fs, role: str) -> tuple:
    font = fs.roles[role]
    return font.path, font.subfont


def _has_sign_blocks(grids: Iterable[Grid]) -> bool:
    return any(cell.style == "sign" for g in grids for row in g.rows for cell in row)


def _is_project(g: Grid) -> bool:
    return g.key.startswith("project_self_eval")


class _Story(list):
    """The flowables, the parts after the cover made as the document reaches them.

    A 500-project report's tables would otherwise all exist before the first page is drawn
    (most of a 600 MB peak); made one part at a time (a grid's title, table and notes, the
    narrative, the sign-off), only the part being placed is in memory.  reportlab reads the
    list through ``len`` before each flowable, and looks ahead only inside a part (a
    heading's keepWithNext chain ends at its table), so a part is added when the list is empty.
    The parts are made in the same order as before: the file is the same byte for byte.
    ``progress(done, total)`` is called as each part is started (it may raise to stop the build).
    """

    def __init__(self, first: list, parts: list, progress=None):
        super().__init__(first)
        self._parts = parts  # callables, each giving a list of flowables
        self._next = 0
        self._progress = progress

    def __len__(self):
        while not list.__len__(self) and self._next < len(self._parts):
            if self._progress is not None:
                self._progress(self._next, len(self._parts))
            part = self._parts[self._next]
            self._parts[self._next] = None  # made: let it go
            self._next += 1
            self.extend(part())
        return list.__len__(self)


@collector_paused()
def build_pdf(report, tpl, result, grids: Optional[list[Grid]] = None, progress=None) -> bytes:
    """The report as a print-ready A4 PDF.

    Returns ``Rendered`` bytes: ``.missing_chars`` lists characters no font
    could draw (printed as 〓), ``.warning`` the message for the clerk.
    ``grids``: the official tables; by default ``export.forms.grids_for``.
    ``progress(done, total)``: called before each form (a grid, the narrative…); an exception
    it raises (``export.Cancelled``) stops the build.
    """
    install_line_breaking()
    rlfast.install()
    rl_config.useA85 = 0  # compressed streams as binary, not ASCII85 text: 10 % smaller, one pass less
    fs = get_fonts()
    if grids is None:
        from ..forms import grids_for

        grids = grids_for(report, tpl, result)
    b = Builder(report, tpl, result, fs)
    st = b.st

    buf = io.BytesIO()
    line1, line2 = narrative_mod.report_title(report, tpl)
    # an unfinished report prints as a draft: marked on every page and in its title
    draft = "" if result is None or getattr(result, "complete", True) else \
        f"{DRAFT_MARK}\u3000{result.unanswered} 项指标尚未评分"
    mark = dict(draft=draft, font=st.song, watermark=draft_watermark(*_font_file(fs, "hei")) if draft else None,
                code=checksum(report))
    doc = BaseDocTemplate(
        buf, pagesize=A4, title=f"{DRAFT_MARK} {line1}{line2}" if draft else f"{line1}{line2}",
        author=report.basic.department or APP_NAME,
        subject=tpl.title, creator=APP_NAME, producer=APP_NAME, lang="zh-CN",
        initialFontName=st.song, initialFontSize=10.5, initialLeading=14,
        leftMargin=GW_MARGINS["left"], rightMargin=GW_MARGINS["right"],
        topMargin=GW_MARGINS["top"], bottomMargin=GW_MARGINS["bottom"],
        keepTogetherClass=KeepWithFirst,
    )
    land = landscape(A4)
    doc.addPageTemplates([
        PageTemplate("cover", [_frame(A4, GW_MARGINS, "cover")], pagesize=A4, onPage=_mark_footer(None, **mark)),
        PageTemplate("gongwen", [_frame(A4, GW_MARGINS, "gw")], pagesize=A4, onPage=_mark_footer(20 * mm, **mark)),
        PageTemplate("portrait", [_frame(A4, TABLE_MARGINS, "tp")], pagesize=A4, onPage=_mark_footer(9 * mm, **mark)),
        PageTemplate("landscape", [_frame(land, TABLE_MARGINS, "tl")], pagesize=land,
                     onPage=_mark_footer(9 * mm, **mark)),
    ])
    width_p = A4[0] - TABLE_MARGINS["left"] - TABLE_MARGINS["right"]
    width_l = land[0] - TABLE_MARGINS["left"] - TABLE_MARGINS["right"]
    height_p = A4[1] - TABLE_MARGINS["top"] - TABLE_MARGINS["bottom"]
    height_l = land[1] - TABLE_MARGINS["top"] - TABLE_MARGINS["bottom"]

    first: list = cover.cover(b)
    parts: list = []  # each: () -> the flowables of one part, made when the document gets there

    def page(template: str) -> list:
        return [NextPageTemplate(template), PageBreak()]

    is_dept = tpl.kind == "dept"
    main = [g for g in grids if not (is_dept and (_is_project(g) or g.key == "base_data"))]
    annex = [g for g in grids if g not in main]
    chart_flows = chart.score_chart(b, width_p)
    chart_after = next((g for key in ("score_summary", "indicator_scores", "dept_self_eval")
                        for g in main if g.key == key), None)

    def grid_part(g: Grid, label: str = ""):
        def make() -> list:
            out = page("landscape" if g.landscape else "portrait")
            if g.landscape:
                out.extend(b.grid_flowables(g, width_l, label, height_l))
            else:
                out.extend(b.grid_flowables(g, width_p, label, height_p))
            if g is chart_after and chart_flows:
                out.append(CondPageBreak(220))
                out.extend(chart_flows)
            return out

        return make

    for g in main:
        parts.append(grid_part(g))
    if chart_flows and chart_after is None:
        parts.append(lambda: page("portrait") + chart_flows)

    def narrative_part() -> list:
        body = narrative.narrative(b)
        return page("gongwen") + body if body else []

    parts.append(narrative_part)

    for n, g in enumerate(annex, 1):
        parts.append(grid_part(g, f"附件{n}"))

    if not _has_sign_blocks(grids):
        parts.append(lambda: page("portrait") + b.sign_off(width_p, height_p))

    story = _Story(first, parts, progress)
    del grids, main, annex
    doc.build(story, canvasmaker=_canvas_class(st.song))
    if progress is not None:
        progress(len(parts), len(parts))
    return Rendered(buf.getvalue(), b.missing)
