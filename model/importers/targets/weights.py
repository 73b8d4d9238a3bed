"""分值 of imported indicator rows: the table's own, checked against the template, or a proposal.

Where the table gives every row of a 一级 its 分值, those are used and their
sum is compared with the template's weight of that 一级 (产出 50, 效益 30,
满意度 10 nationally) — a difference is a 警告, not a correction.  Where it
gives none (or not all), the template's rule proposes them: the 一级's weight
split evenly over its rows, each rounded down to 0.5, and the half points
left over go to the first rows (50 over 3 rows → 17, 16.5, 16.5).  A
proposal is applied and said: the preview lists each such project and row.
"""
from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

STEP = Decimal("0.5")


def propose(total: Decimal, n: int) -> list[Decimal]:
    """``total`` over ``n`` rows: even shares rounded down to 0.5, the remainder in 0.5s to the first rows."""
    if n <= 0:
        return []
    base = (total / n / STEP).to_integral_value(ROUND_FLOOR) * STEP
    extra = int((total - base * n) / STEP)
    shares = [base + STEP if i < extra else base for i in range(n)]
    shares[0] += total - sum(shares, Decimal(0))  # a total that is no multiple of 0.5 keeps its sum
    return shares


def check(project: str, level1: str, given: Decimal, template: Decimal) -> str | None:
    """The 警告 when a table's 分值 of one 一级 do not add up to the template's weight, else None."""
    if given == template:
        return None
    return (f"项目“{project}”的{level1}分值合计 {_pts(given)} 分，模板规定为 {_pts(template)} 分。"
            "请核对绩效目标表，或在项目支出中调整分值。")


def _pts(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
