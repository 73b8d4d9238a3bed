"""The Word file's pages after the report text: the score summary, the signature blocks, and each
official form (项目支出绩效自评表) as 附件 on a section of its own.

``FormPages`` is mixed into ``export.docx.DocxBuilder``: it writes through the builder's
``paragraph`` / ``set_style`` / ``run`` and ``export.docx_table.word_table``.
"""
from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from model.money import format_decimal, format_percent

from .docx_format import BODY_PT, DATE_BLANK, FULL_SPACE, TABLE_PT, TABLE_STYLE, no_row_splits
from .docx_table import table_width_mm, word_table
from .grid import Cell, Grid

# pages of the 附件 forms: narrower margins than 公文, as the PDF's table pages
FORM_MARGINS_MM = dict(top=18, bottom=20, left=16, right=16)


class FormPages:
    def score_summary(self) -> bool:
        """得分情况 table(s): 一级/二级 subtotals of the department score, and each project's total."""
        res = self.result
        if res is None or (res.dept is None and not res.projects):
            return False
        self.centred("绩效自评得分情况", "hei", BODY_PT, style="Normal")
        width = table_width_mm(self.doc.sections[-1])
        if res.dept is not None:
            g = Grid("score_summary", "", [36, 15, 15, 15], header_rows=1)
            g.add(*(Cell(t, style="header") for t in ("指标", "分值", "得分", "得分率")))
            for grp in res.dept.groups:
                g.add(Cell(grp.name), Cell(format_decimal(grp.weight), style="score"),
                      Cell(format_decimal(grp.score), style="score"), Cell(format_percent(grp.rate), style="percent"))
                for child in grp.children:
                    if hasattr(child, "children"):
                        g.add(Cell(FULL_SPACE + child.name), Cell(format_decimal(child.weight), style="score"),
                              Cell(format_decimal(child.score), style="score"),
                              Cell(format_percent(child.rate), style="percent"))
            totals = res.dept.totals
            if totals.complete:
                g.add(Cell("合计", style="header"), Cell("100.00", style="score"), Cell(totals.shown, style="score"),
                      Cell(format_percent(totals.rate), style="percent"))
            else:
                g.add(Cell("合计", style="header"), Cell("100.00", style="score"), Cell(totals.shown, 2, align="center"))
            g.add(Cell("评价等次", style="header"), Cell(totals.grade, 3, align="center"))
            word_table(self, g, width, size=TABLE_PT)
        if res.projects:
            if res.dept is not None:
                self.paragraph(style=TABLE_STYLE)
            g = Grid("project_scores", "", [8, 52, 14, 12], header_rows=1)
            g.add(*(Cell(t, style="header") for t in ("序号", "项目名称", "得分", "评价等次")))
            for p_score in res.projects:
                t = p_score.totals
                if t.complete:
                    g.add(Cell(str(p_score.index + 1), align="center"), Cell(p_score.name),
                          Cell(t.shown, style="score"), Cell(t.grade, align="center"))
                else:  # 未评完：N 项指标尚未评分, across 得分 and 评价等次 (no grade)
                    g.add(Cell(str(p_score.index + 1), align="center"), Cell(p_score.name),
                          Cell(t.shown, 2, align="center"))
            word_table(self, g, width, size=TABLE_PT)
        return True

    def sign_off(self) -> None:
        r = self.report
        self.paragraph(style=TABLE_STYLE)
        blocks = [  # signature lines left for the pen, as on the form and in the PDF
            ("评价组组长（签字）：", "", "", ""),
            ("部门（单位）意见：", r.dept_opinion.opinion, f"部门（单位）负责人（签章）：{r.dept_opinion.signer}",
             r.dept_opinion.date),
            ("财政部门归口业务科室意见：", r.finance_opinion.opinion,
             f"财政部门归口业务科室负责人（签章）：{r.finance_opinion.signer}", r.finance_opinion.date),
        ]
        t = self.doc.add_table(rows=len(blocks), cols=1)
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.columns[0].width = Mm(156)
        for (head, opinion, signer, date), t_row in zip(blocks, t.rows):
            cell = t_row.cells[0]
            cell.width = Mm(156)
            p = cell.paragraphs[0]
            self.set_style(p, TABLE_STYLE)
            self.run(p, head, "hei")
            if opinion.strip():
                self.run(p, opinion.strip())
            for _ in range(2 if opinion.strip() else 3):
                self.paragraph(style=TABLE_STYLE, container=cell)
            if signer:
                q = self.paragraph(signer.rstrip(), TABLE_STYLE, container=cell)
                q.paragraph_format.left_indent = Pt(TABLE_PT * 14)
            q = self.paragraph(date.strip() or DATE_BLANK, TABLE_STYLE, container=cell)
            q.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            q.paragraph_format.right_indent = Pt(TABLE_PT * 3)
        no_row_splits(t, keep_together=True)

    # ------------------------------------------------------------ 附件: the project forms

    def annex_grids(self) -> list[Grid]:
        """The 项目支出绩效自评表 grids (one per project), as the PDF and the xlsx print them."""
        grids = self._grids
        if grids is None:
            if not self.report.projects or "project_self_eval" not in (self.tpl.forms or ()):
                return []
            from .forms import grids_for

            grids = grids_for(self.report, self.tpl, self.result)
        return [g for g in grids if g.key.startswith("project_self_eval")]

    def form_section(self, landscape: bool):
        """A new section (new page) with the table pages' margins, landscape or portrait A4."""
        sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
        sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        m = FORM_MARGINS_MM
        sec.top_margin, sec.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
        sec.left_margin, sec.right_margin = Mm(m["left"]), Mm(m["right"])
        sec.header_distance, sec.footer_distance = Mm(8), Mm(8)
        return sec

    def grid_form(self, g: Grid, label: str = "") -> None:
        """One official form on its own page(s): 附件 label, title, subtitle lines, the table, notes."""
        sec = self.form_section(g.landscape)
        if label:
            p = self.paragraph(style="Normal")
            p.paragraph_format.keep_with_next = True
            self.run(p, label, "hei")
        if g.title:
            self.centred(g.title, "hei", 16, style="Normal")
        for line in (g.subtitle or "").split("\n"):
            if line.strip():
                p = self.paragraph(line.strip(), TABLE_STYLE)
                p.paragraph_format.keep_with_next = True
                if line.strip().startswith(("（", "(")):
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        word_table(self, g, table_width_mm(sec))
        for note in g.notes:
            if note.strip():
                p = self.paragraph(note.strip(), TABLE_STYLE)
                for r in p.runs:
                    r.font.size = Pt(9)

