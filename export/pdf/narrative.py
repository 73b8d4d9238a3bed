"""The narrative report in 公文 style: title, 主送, headings, body, 落款."""
from __future__ import annotations

from reportlab.platypus import Spacer

from .. import narrative as narrative_mod
from .builder import Builder


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
    for b in blocks:
        if b.level and not b.run_in:
            role = st.role_of_heading(b.level)
            out.append(bld.para(b.text, st.heading(b.level), role))
        elif b.run_in:
            role = st.role_of_heading(b.level)
            font = {"hei": st.hei, "kai": st.kai}.get(role, st.fang)
            markup = f'<font name="{font}">{bld.m(b.lead, role)}</font>{bld.m(b.rest, "fang")}'
            out.append(bld.paragraph(markup, st.body))
        else:
            out.append(bld.para(b.text, st.body, "fang"))
    # 落款: unit and date, right-aligned
    date = bld.report.basic.report_date.strip() or "年\u3000\u3000月\u3000\u3000日"
    out += [Spacer(1, 28), bld.para(narrative_mod.signatory(bld.report), st.signature, "fang"),
            bld.para(date, st.signature, "fang")]
    return out
