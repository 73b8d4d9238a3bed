"""汇总 exports (issue 18 item 4): the two 汇总 forms as xlsx and PDF, and a draft 汇总分析报告 (docx).

``export_summary(summary, folder, kinds, county)`` writes 汇总表.xlsx, 汇总表.pdf and 汇总分析报告.docx
(each on its own: one failure never stops the others, as ``export.export_report``).  The forms are
grids (``forms``) put on sheets by ``export.xlsx`` and on landscape A4 pages by ``export.pdf``'s
table builder, so they look like the report's own forms; the PDF pages are numbered 第 X 页 共 Y 页.
No Qt here.
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Iterable

from model.summary import Summary

from .. import ExportOutcome
from ..forms import fit_numbers
from ..gcpause import collector_paused
from .forms import summary_grids

KINDS = ("xlsx", "pdf", "docx")
NAMES = {"xlsx": "绩效自评汇总表.xlsx", "pdf": "绩效自评汇总表.pdf", "docx": "绩效自评汇总分析报告.docx"}


def grids(summary: Summary, county: str = "") -> list:
    return [fit_numbers(g) for g in summary_grids(summary, county)]


@collector_paused()
def build_xlsx(summary: Summary, county: str = "") -> bytes:
    from openpyxl import Workbook

    from ..xlsx import save_workbook, write_grid
    from ..xlsx.cells import _Looks

    wb = Workbook()
    wb.remove(wb.active)
    looks = _Looks()
    for g in grids(summary, county):
        write_grid(wb.create_sheet(g.title[:31]), g, looks)
    if not wb.worksheets:
        wb.create_sheet("说明").cell(row=1, column=1, value="没有可汇总的报告。")
    wb.properties.creator = "绩效自评填报助手"
    wb.properties.title = "绩效自评汇总表"
    buf = io.BytesIO()
    save_workbook(wb, buf)
    return buf.getvalue()


@collector_paused()
def build_pdf(summary: Summary, county: str = "") -> bytes:
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, NextPageTemplate, PageBreak, PageTemplate

    from ..fonts import Rendered, get_fonts
    from ..pdf.builder import Builder
    from ..pdf.keep import KeepWithFirst
    from ..pdf.linebreak import install_line_breaking
    from ..pdf.page import TABLE_MARGINS, _canvas_class, _frame, _mark_footer
    from ..rlfast import install

    install_line_breaking()
    install()
    rl_config.useA85 = 0
    fs = get_fonts()
    b = Builder(None, None, None, fs)  # only its tables are used: they read no report
    land = landscape(A4)
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=land, title="绩效自评汇总表", author=county or "绩效自评填报助手",
                          creator="绩效自评填报助手", lang="zh-CN", initialFontName=b.st.song,
                          keepTogetherClass=KeepWithFirst)
    doc.addPageTemplates([PageTemplate("landscape", [_frame(land, TABLE_MARGINS, "tl")], pagesize=land,
                                       onPage=_mark_footer(9 * mm, font=b.st.song))])
    width = land[0] - TABLE_MARGINS["left"] - TABLE_MARGINS["right"]
    height = land[1] - TABLE_MARGINS["top"] - TABLE_MARGINS["bottom"]
    story: list = []
    for n, g in enumerate(grids(summary, county)):
        if n:
            story += [NextPageTemplate("landscape"), PageBreak()]
        story += b.grid_flowables(g, width, max_height=height)
    if not story:
        story.append(b.para("没有可汇总的报告。", b.st.grid_title, "hei"))
    doc.build(story, canvasmaker=_canvas_class(b.st.song, cover=False))
    return Rendered(buf.getvalue(), b.missing)


def build_docx(summary: Summary, county: str = "") -> bytes:
    from .analysis import analysis_docx

    return analysis_docx(summary, county)


def export_summary(summary: Summary, folder: str | os.PathLike, kinds: Iterable[str] = KINDS,
                   county: str = "") -> list[ExportOutcome]:
    from ..files import ExportError, write_file

    builders = {"xlsx": build_xlsx, "pdf": build_pdf, "docx": build_docx}
    outcomes = []
    for kind in kinds:
        path = Path(folder) / NAMES[kind]
        try:
            data = builders[kind](summary, county)
            write_file(path, data)
        except ExportError as e:
            outcomes.append(ExportOutcome(kind, path, str(e)))
        except Exception as e:  # a bug in one builder must not cost the clerk the other files
            outcomes.append(ExportOutcome(kind, path, f"生成“{path.name}”时出错：{e!r}。其他文件不受影响；"
                                                      "请把此消息反馈给软件维护人员。"))
        else:
            outcomes.append(ExportOutcome(kind, path, warning=getattr(data, "warning", "") or ""))
    return outcomes
