"""A draft 汇总分析报告 (docx), in the 公文 style of the report's own Word file (``export.docx_format``).

Written from the 汇总 only — counts, shares, averages, the 审核 progress, the low scorers with the
indicators that lost them points and why, and what the cross-unit checks found — for the county's
clerk to edit into the report it files.  The title says 草稿.  A report received twice is counted
once, as in the 汇总表.
"""
from __future__ import annotations

import io
from decimal import Decimal

from model.money import format_amount, format_decimal, round2
from model.summary import GRADES, STATES, Summary, grade_counts

from ..forms.common import HUNDRED
from .forms import fiscal_year

LOW = Decimal(80)  # below 良: listed with its reasons
MAX_LISTED = 30


def _short(text: str, limit: int = 60) -> str:
    """A reason as the list quotes it: the report holds the whole text."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _share(n: int, whole: int) -> str:
    return f"{format_decimal(round2(Decimal(n) / whole * HUNDRED))}%" if whole else "—"


def _average(values) -> str:
    values = [v for v in values if v is not None]
    return format_decimal(round2(sum(values, Decimal(0)) / len(values))) if values else "—"


def _grade_sentence(what: str, rows) -> str:
    counts = grade_counts(rows)
    n = len(rows)
    parts = [f"{g} {counts[g]} 个（占 {_share(counts[g], n)}）" for g in GRADES]
    tail = f"，另有 {counts['未评完']} 个尚未评完" if counts["未评完"] else ""
    return f"{what}共 {n} 个，自评等次为：{'，'.join(parts)}{tail}；平均自评分 {_average([r.self_score for r in rows])} 分。"


def sections(summary: Summary, county: str = "") -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of the report: the text, apart from how Word lays it out."""
    copies = summary.copies
    entries = [e for e in summary.entries if not e.error and id(e) not in copies]
    projects = [(e, r) for e in entries for r in e.rows if not r.is_dept]
    depts = [(e, r) for e in entries for r in e.rows if r.is_dept]
    out: list[tuple[str, list[str]]] = []

    basic = [f"本次汇总共收到 {len(summary.entries)} 份自评报告，来自 {len({e.unit for e in entries})} 个单位"
             + (f"，其中 {len(copies)} 份为重复报送（校验码相同），只计一次" if copies else "")
             + (f"，{len(summary.failed)} 份无法读取" if summary.failed else "") + "。"]
    if summary.units is not None:
        missing = [f for f in summary.findings if f.code == "unit_missing"]
        basic.append(missing[0].message if missing else f"单位名单中的 {len(summary.units)} 个单位均已报送。")
    out.append(("一、基本情况", basic))

    results = []
    if projects:
        rows = [r for _, r in projects]
        budget = sum((r.budget for r in rows if r.budget is not None), Decimal(0))
        spent = sum((r.executed for r in rows if r.executed is not None), Decimal(0))
        rate = f"{format_decimal(round2(spent / budget * HUNDRED))}%" if budget else "—"
        results.append(_grade_sentence("项目支出绩效自评项目", rows)
                       + f"项目全年预算数合计 {format_amount(budget, 'wan')} 万元，执行数 {format_amount(spent, 'wan')} 万元，"
                         f"总体执行率 {rate}。")
    if depts:
        results.append(_grade_sentence("部门整体支出绩效自评单位", [r for _, r in depts]))
    states = {s: sum(r.state == s for _, r in projects + depts) for s in STATES}
    results.append("审核进度：" + "，".join(f"{s} {n} 个" for s, n in states.items()) + "。")
    out.append(("二、自评结果", results))

    low = sorted(((e, r) for e, r in projects + depts if r.self_score is not None and r.self_score < LOW),
                 key=lambda x: x[1].self_score)
    if not low:  # no score below 良: the lowest few are still worth a look
        low = sorted(((e, r) for e, r in projects + depts if r.self_score is not None), key=lambda x: x[1].self_score)[:5]
    lines = []
    for e, r in low[:MAX_LISTED]:
        reasons = "；".join(f"{x.name}扣 {format_decimal(x.lost)} 分" + (f"（{_short(x.reason)}）" if x.reason else "")
                           for x in r.losses)
        lines.append(f"{e.unit}“{r.project}”自评分 {format_decimal(r.self_score)} 分（{r.grade}）"
                     + (f"，执行率 {format_decimal(r.rate)}%" if r.rate is not None else "")
                     + (f"。主要失分：{reasons}" if reasons else "") + "。")
    heading = "三、得分较低的项目和单位" if any(r.self_score < LOW for _, r in low) else "三、得分最低的项目和单位"
    out.append((heading, lines or ["没有已评完的项目或单位。"]))

    found = [f"{f.message}{f.action}" for f in summary.findings if f.severity == "警告"]
    out.append(("四、汇总审核发现的问题", found or ["汇总审核没有发现需要处理的问题。"]))
    return out


def analysis_docx(summary: Summary, county: str = "") -> bytes:
    from docx import Document

    from ..docx_format import BODY_STYLE, setup_document
    from ..fonts import docx_face

    doc = Document()
    setup_document(doc, {role: docx_face(role) for role in ("song", "hei", "fang", "kai", "title")})
    year = fiscal_year(summary)
    title = f"{county}{year}年度绩效自评汇总分析报告" if year else f"{county}绩效自评汇总分析报告"
    doc.core_properties.title = title
    doc.core_properties.author = county or "绩效自评填报助手"
    p = doc.add_paragraph(style="Title")
    p.add_run(title).add_break()
    p.add_run("（草稿）")
    doc.add_paragraph(style=BODY_STYLE)
    for heading, paragraphs in sections(summary, county):
        doc.add_paragraph(heading, style="Heading 1")
        for text in paragraphs:
            doc.add_paragraph(text, style=BODY_STYLE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
