"""Cells, labels and notes shared by the official forms."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from model.money import UNIT_LABELS, format_amount, format_decimal, format_percent
from model.report import Report
from model.rules import pts
from model.scoring import GroupScore, IndicatorScore, Totals

from ..grid import Cell, text_width

HUNDRED = Decimal(100)
CHECKED, UNCHECKED = "☑", "☐"
FULL_SPACE = "\u3000"


def _h(text: str, colspan: int = 1, rowspan: int = 1, align: str = "") -> Cell:
    return Cell(text, colspan, rowspan, "header", align)


def _l(text: str, colspan: int = 1, rowspan: int = 1, align: str = "") -> Cell:
    return Cell(text, colspan, rowspan, "label", align)


def _t(text: str, colspan: int = 1, rowspan: int = 1, align: str = "") -> Cell:
    return Cell(text or "", colspan, rowspan, "text", align)


def _money(value: Optional[Decimal], unit: str, colspan: int = 1) -> Cell:
    return Cell(format_amount(value, unit), colspan, 1, "money")


def _score(s: IndicatorScore | GroupScore | Decimal | None, colspan: int = 1) -> Cell:
    """A score as the form prints it; blank while the indicator (or one below a subtotal) is unanswered."""
    if s is None or (isinstance(s, IndicatorScore) and s.unanswered) or (isinstance(s, GroupScore) and not s.complete):
        return Cell("", colspan, 1, "score")
    if isinstance(s, (IndicatorScore, GroupScore)):
        return Cell(format_decimal(s.score), colspan, 1, "score")
    return Cell(format_decimal(s), colspan, 1, "score")


def _total_cell(totals: Totals, colspan: int = 1) -> Cell:
    """A total: the score, or 未评完：N 项指标尚未评分 (text, never a number a sheet could sum)."""
    if totals.complete:
        return Cell(totals.shown, colspan, 1, "score")
    return Cell(totals.shown, colspan, 1, "text", "center")


def _points(value: Decimal, colspan: int = 1) -> Cell:
    """分值 as the forms print it: 10, 1.5."""
    return Cell(pts(value), colspan, 1, "number")


def _percent(value: Optional[Decimal], colspan: int = 1, blank: str = "—") -> Cell:
    return Cell(format_percent(value, blank), colspan, 1, "percent")


def _weighted(name: str, weight: Decimal, width: float) -> str:
    """“名称（5分）”, the weight on its own line when both do not fit the column."""
    w = f"（{pts(weight)}分）"
    return f"{name}{w}" if text_width(name + w) <= width - 2 else f"{name}\n{w}"


def _section(text: str, ncols: int) -> Cell:
    return Cell(text, ncols, 1, "header", "left")


def _split(total: int, parts: int) -> list[int]:
    """Spread ``total`` columns over ``parts`` cells as evenly as possible (wider ones first)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _unit_label(report: Report) -> str:
    return UNIT_LABELS.get(report.display_unit, "元")


def _unit(report: Report) -> str:
    return report.display_unit if report.display_unit in UNIT_LABELS else "yuan"


def _department(report: Report) -> str:
    return report.basic.department.strip() or "（未填写单位名称）"


def _subtitle(report: Report, money: bool = True, seal: bool = False) -> str:
    name = "部门（单位）名称（公章）" if seal else "单位名称"
    parts = [f"{name}：{_department(report)}", f"评价年度：{report.fiscal_year}年度"]
    if money:
        parts.append(f"金额单位：{_unit_label(report)}")
    return (FULL_SPACE * 2).join(parts)


def _runs(values: list, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int]]:
    """(first index, length) of each run of equal consecutive values in values[start:end]."""
    end = len(values) if end is None else end
    out, i = [], start
    while i < end:
        j = i
        while j + 1 < end and values[j + 1] == values[i]:
            j += 1
        out.append((i, j - i + 1))
        i = j + 1
    return out


def _sign_text(head: str, body: str, signer_label: str, signer: str, date: str, width: float) -> str:
    """A signature block: heading and opinion, room to sign, then the signer line and 年 月 日 towards the right."""
    lines = [f"{head}：{body.strip()}", ""] if body.strip() else [f"{head}：", "", "", ""]
    tail = [f"{signer_label}：{signer.strip()}" if signer_label else "",
            date.strip() or f"年{FULL_SPACE * 3}月{FULL_SPACE * 3}日"]
    for line in tail:
        if line:
            pad = max(0, int((width * 0.8 - text_width(line)) // 2))  # full-width spaces count 2
            lines += [FULL_SPACE * pad + line, ""]
    return "\n".join(lines[:-1])


def _rule_notes(rule_text: str) -> list[str]:
    """A template's 注 text split into its numbered points (1. 2. 3.)."""
    import re

    text = " ".join(rule_text.split())
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"\s*(?=(?<![\d.])\d\.(?!\d))", text) if p.strip()]
    return ["注：" + parts[0]] + parts[1:] if parts else []
