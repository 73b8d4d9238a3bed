"""The cover page (title, unit, 预算编码, 评价方式 …) and the 评价小组 page."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from .. import narrative as narrative_mod
from .builder import Builder
from .page import GW_MARGINS, PAGE_W

COVER_TITLE_CHARS = 60  # two title lines of 26 pt fit about this many characters
COVER_VALUE_CHARS = 90  # three lines of a cover value
COVER_NAME_CHARS = 24  # a team member's name cell


def _fit(text: str, limit: int) -> str:
    """Shorten text for a fixed-size page, marking the cut with an ellipsis."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"



def cover(bld: Builder) -> list:
    st, b = bld.st, bld.report.basic
    line1, line2 = narrative_mod.report_title(bld.report, bld.tpl)
    out: list = [Spacer(1, 30 * mm)]
    for line in (line1, line2):
        if line:
            out.append(bld.para(_fit(line, COVER_TITLE_CHARS), st.cover_title, "title"))
    out.append(Spacer(1, 40 * mm))
    rows = [("部门（单位）名称（公章）", b.department), ("预算编码", b.budget_code),
            ("评价方式", b.evaluation_mode), ("评价机构", b.evaluator), ("报告时间", b.report_date)]
    if b.document_number.strip():
        rows.append(("文号", b.document_number))
    # the cover is one fixed page: a value too long for it is shortened there (it is printed in full inside)
    data = [[bld.para(f"{label}：", st.cover_label, "hei"), bld.para(_fit(value, COVER_VALUE_CHARS), st.cover_value, "song")]
            for label, value in rows]
    width = PAGE_W - GW_MARGINS["left"] - GW_MARGINS["right"]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    label_w = max(stringWidth(f"{label}：", st.hei, st.cover_label.fontSize) for label, _v in rows) + 16
    label_w = min(label_w, width * 0.6)
    t = Table(data, colWidths=[label_w, width - label_w])
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st.song),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 9), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (1, 0), (1, -1), 6),
    ]))
    out.append(t)
    if bld.report.team:
        out += [PageBreak(), Spacer(1, 10 * mm), bld.para("评价小组", st.cover_team_title, "hei")]
        by_role: dict[str, list[str]] = {}
        for member in bld.report.team:
            if member.name.strip():
                by_role.setdefault(member.role or "成员", []).append(member.name.strip())
        labels = {"组长": "组\u3000\u3000长", "成员": "成\u3000\u3000员"}
        per_row = 5
        width = PAGE_W - GW_MARGINS["left"] - GW_MARGINS["right"]
        label_w = 15 * 5 + 6
        rows = []
        for role in ("组长", "副组长", "成员", *[r for r in by_role if r not in ("组长", "副组长", "成员")]):
            names = by_role.get(role)
            for i in range(0, len(names or ()), per_row):
                label = bld.para(labels.get(role, role) + "：", st.cover_team, "hei") if i == 0 else ""
                chunk = names[i:i + per_row]
                rows.append([label] + [bld.para(_fit(n, COVER_NAME_CHARS), st.cover_team, "fang") for n in chunk]
                            + [""] * (per_row - len(chunk)))
        if rows:
            # one name per cell: a name is never split over two lines
            t = Table(rows, colWidths=[label_w] + [(width - label_w) / per_row] * per_row)
            t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.song), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
            out.append(t)
    return out
