"""Amounts as clerks type them, and the one rounding rule.

Money is Decimal in 元 everywhere.  Text like ``1,482.43``, ``1482.43万``,
full-width ``１２３.４５`` or pasted ``1 482.43`` parses; anything else raises
MoneyError with a Chinese message that says what to type instead.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WAN = Decimal(10000)
UNIT_LABELS = {"yuan": "元", "wan": "万元"}


class MoneyError(ValueError):
    """A typed amount that cannot be read; the message is for the clerk."""


def round2(value: Decimal) -> Decimal:
    """Half-up to 2 decimals: scores, rates and displayed money all use this."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _normalise(text: str) -> str:
    # NFKC turns full-width digits, ． and ， into ASCII; then drop grouping and blanks.
    text = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"[\s,，']", "", text)


_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)$")


def parse_number(text: str) -> Decimal:
    """Parse a plain number (no unit) typed or pasted by a clerk."""
    raw = _normalise(str(text))
    m = _NUMBER.match(raw)
    if not m:
        raise MoneyError(f"“{text}”不是数字，请只输入数字，例如 1234.56")
    return Decimal(m.group(1) + m.group(2))


def parse_amount(text: str, unit: str = "yuan") -> Decimal | None:
    """Parse an amount into 元.  ``unit`` is what a bare number means (yuan/wan).

    A trailing 元 or 万/万元 overrides ``unit``.  Empty text means "not filled"
    and returns None.
    """
    raw = _normalise(str(text))
    if raw in ("", "-", "—", "－"):
        return None
    factor = WAN if unit == "wan" else Decimal(1)
    if raw.endswith("万元") or raw.endswith("万"):
        raw, factor = raw.rstrip("元").rstrip("万"), WAN
    elif raw.endswith("元"):
        raw, factor = raw[:-1], Decimal(1)
    try:
        value = parse_number(raw) * factor
    except MoneyError:
        raise MoneyError(
            f"“{text}”不是金额，请输入数字，可带千分位逗号或“万”，例如 1,482.43 或 1482.43万"
        ) from None
    if value != value.quantize(CENT):
        raise MoneyError(f"“{text}”超过了分（0.01元）的精度，请最多保留到分")
    return value


def to_unit(amount: Decimal, unit: str) -> Decimal:
    """元 → the display unit, unrounded."""
    return amount / WAN if unit == "wan" else amount


def format_amount(amount: Decimal | None, unit: str = "yuan", blank: str = "") -> str:
    """Thousands separators and 2 dp in the chosen unit; None shows ``blank``."""
    if amount is None:
        return blank
    return f"{round2(to_unit(amount, unit)):,.2f}"


def format_decimal(value: Decimal | None, blank: str = "") -> str:
    """Scores and points: 2 dp, no grouping."""
    if value is None:
        return blank
    return f"{round2(value):.2f}"


def format_percent(value: Decimal | None, blank: str = "—") -> str:
    """A percentage value (already ×100) as ``61.89%``."""
    if value is None:
        return blank
    return f"{round2(value):.2f}%"

