"""Rounding tails of imported figures: how far a sum may be off without anyone having erred.

A 决算 workbook kept in 万元 prints every figure rounded to its last digit
(0.01 万元 = 100 元), so a printed total differs from the sum of its printed
parts by up to half a unit per cell.  ``Report.source_precision`` records, per
imported field, half a unit of the last digit its source printed (in 元);
the tolerance of a comparison is the sum over the figures it adds up.  Within
it a difference is a 提示 that names the source's precision, never an error.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Optional

from . import edits
from .money import format_amount
from .report import Report

WAN = Decimal(10000)


def _rounded(report: Report, paths: Iterable[str]) -> list[str]:
    """The paths holding an imported figure with a tail (a blank cell is exact: nothing)."""
    return [p for p in paths if p in report.source_precision and edits.get_at(report, p) is not None]


def tolerance(report: Report, paths: Iterable[str]) -> Decimal:
    """Half a unit of the last printed digit, summed over the imported figures at ``paths``."""
    return sum((report.source_precision[p] for p in _rounded(report, paths)), Decimal(0))


def _step(half: Decimal) -> str:
    """The printed precision as a clerk names it: 0.01 万元（100 元）."""
    unit = half * 2
    yuan = f"{unit:,.0f}" if unit == unit.to_integral_value() else format_amount(unit)
    if unit >= 100:
        return f"{format(unit / WAN, 'f').rstrip('0').rstrip('.')} 万元（{yuan} 元）"
    return f"{yuan} 元"


def explain(report: Report, diff: Decimal, paths: Iterable[str]) -> Optional[str]:
    """Why ``diff`` is only a rounding tail (a sentence for the 提示), or None when it is more than that."""
    paths = _rounded(report, paths)
    limit = tolerance(report, paths)
    if not paths or diff > limit:
        return None
    steps = "、".join(_step(h) for h in sorted({report.source_precision[p] for p in paths}))
    return (f"导入的决算表金额精确到 {steps}，这 {len(paths)} 个数的取整尾差合计最多 "
            f"{format_amount(limit)} 元，相差在此范围内，属于尾差。")
