"""The narrative report in 公文 style: title, 主送, headings, body, tables, 落款."""
from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.platypus import Spacer

from .. import narrative as narrative_mod
from .builder import Builder
from .page import GW_MARGINS, PAGE_H, PAGE_W

# the 公文 text block: tables span its width and break across its pages
TEXT_WIDTH = PAGE_W - GW_MARGINS["left"] - GW_MARGINS["right"]
TEXT_HEIGHT = PAGE_H - GW_MARGINS["top"] - GW_MARGINS["bottom"]


def table_flowables(bld: Builder, table) -> list:
    """A narrative table: its title (黑体, centred) and 单位 line kept with a bordered table whose header
    row repeats on every page; cells in 宋体 (five-point 10.5 pt, smaller only when many columns need it)."""
    st = bld.st
    grid = narrative_mod.table_grid(table)
    out: list = []  # no spacer in front: it would break the keep-with-next chain of the announcing sentence
    if table.title:
        out.append(bld.para(table.title, st.variant(st.grid_title, "nt_title", fontSize=14, leading=22,
                                                    alignment=TA_CENTER, keepWithNext=1, spaceBefore=6,
                                                    spaceAfter=2), "hei"))
    if table.unit:
        out.append(bld.para(table.unit, st.variant(st.grid_sub, "nt_unit", alignment=TA_RIGHT, keepWithNext=1,
                                                   spaceAfter=2), "song"))
    out += [bld.grid_table(grid, TEXT_WIDTH, TEXT_HEIGHT), Spacer(1, 10)]
    return out


def narrative(bld: Builder) -> list:
    blocks = narrative_mod.report_blocks(bld.report, bld.tpl)
    if not blocks:
        return []
    st = bld.st
    line1, line2 = narrative_mod.report_title(bld.report, bld.tpl)
    out: list = []
    for line in (line1, line2):
        if line:
            out.append(bld.para(line, st.doc_title, "title"))
    out.append(Spacer(1, 28))
    if bld.report.basic.addressee.strip():
        out.append(bld.para(bld.report.basic.addressee.strip().rstrip("：:") + "：", st.addressee, "fang"))
    for i, b in enumerate(blocks):
        ahead = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.is_table:
            out += table_flowables(bld, b.table)
        elif b.level and not b.run_in:
            role = st.role_of_heading(b.level)
            out.append(bld.para(b.text, st.heading(b.level), role))
        elif b.run_in:
            role = st.role_of_heading(b.level)
            font = {"hei": st.hei, "kai": st.kai}.get(role, st.fang)
            markup = f'<font name="{font}">{bld.m(b.lead, role)}</font>{bld.m(b.rest, "fang")}'
            out.append(bld.paragraph(markup, st.body))
        else:
            # the sentence that announces a table (“如下表所示：”) stays on the table's page
            style = st.variant(st.body, "body_keep", keepWithNext=1) if ahead is not None and ahead.is_table else st.body
            out.append(bld.para(b.text, style, "fang"))
    # 落款: unit and date, right-aligned
    date = bld.report.basic.report_date.strip() or "年\u3000\u3000月\u3000\u3000日"
    out += [Spacer(1, 28), bld.para(narrative_mod.signatory(bld.report), st.signature, "fang"),
            bld.para(date, st.signature, "fang")]
    return out
