"""Amounts as clerks type them, and the one rounding rule.

Money is Decimal in 元 everywhere.  Text like ``1,482.43``, ``1482.43万``,
full-width ``１２３.４５`` or pasted ``1 482.43`` parses; anything else raises
MoneyError with a Chinese message that says what to type instead.

One range rule for every number the program keeps (``check_amount`` /
``check_number``, used when a file is read, when a clerk types and when a
决算 cell is imported): the absolute value is at most ``MAX_ABS`` = 10¹⁵
(a thousand trillion 元, far above any county budget), amounts carry at most 2
decimals (分) and other numbers (rates, counts, km, scores) at most 6.  So a
number has at most 21 significant digits and every sum, rate and rounding stays
exact inside Decimal's 28 — ``1E+30`` or 27 typed digits get a message, never
``decimal.InvalidOperation``.  Zero is never shown or stored as ``-0``.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WAN = Decimal(10000)
UNIT_LABELS = {"yuan": "元", "wan": "万元"}
MAX_ABS = Decimal(10) ** 15  # largest absolute value of any amount (元) or number
AMOUNT_PLACES = 2  # 分
NUMBER_PLACES = 6  # rates, counts, km, scores
MAX_TEXT = 64  # characters of a number's text; longer cannot be in range anyway
LIMIT_TEXT = "10¹⁵（1,000,000,000,000,000）"


class MoneyError(ValueError):
    """A typed amount that cannot be read; the message is for the clerk."""


class LimitError(MoneyError):
    """A number that reads fine but breaks the range rule (too big, too many decimals or digits)."""


def round2(value: Decimal) -> Decimal:
    """Half-up to 2 decimals: scores, rates and displayed money all use this (never −0.00)."""
    return unsigned_zero(value.quantize(CENT, rounding=ROUND_HALF_UP))


def unsigned_zero(value: Decimal) -> Decimal:
    """−0 (or −0.00) → 0: a clerk never sees or saves a signed zero."""
    return value.copy_abs() if value.is_zero() else value


def decimal_places(value: Decimal) -> int:
    """Decimals that matter (1.500 → 1); read from the digits, so no context rounding can hide any."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    zeros = 0
    for d in reversed(digits):
        if d or zeros >= -exponent:
            break
        zeros += 1
    return -exponent - zeros


def limit_problem(value: Decimal, places: int = NUMBER_PLACES, typed: bool = True) -> str:
    """Why ``value`` breaks the range rule (see module doc), or "" when it is fine.

    ``typed``: the clerk just typed it (the message then says to check for an extra digit).
    """
    if not value.is_finite():
        return "不是有限的数字"
    if value.copy_abs() > MAX_ABS:
        return f"超出范围：绝对值不能超过 {LIMIT_TEXT}" + ("，请检查是否多输了数字" if typed else "")
    if decimal_places(value) > places:
        if places == AMOUNT_PLACES:
            return "超过了分（0.01元）的精度，请最多保留到分"
        return f"小数位数过多，请最多保留 {places} 位小数"
    return ""


def check_amount(value: Decimal, what: str = "金额") -> Decimal:
    """``value`` (元) if within ±10¹⁵ with at most 2 decimals, else MoneyError; −0 becomes 0."""
    problem = limit_problem(value, AMOUNT_PLACES)
    if problem:
        raise LimitError(f"{what}“{value}”{problem}")
    return unsigned_zero(value)


def check_number(value: Decimal, what: str = "数值") -> Decimal:
    """``value`` if within ±10¹⁵ with at most 6 decimals, else MoneyError; −0 becomes 0."""
    problem = limit_problem(value, NUMBER_PLACES)
    if problem:
        raise LimitError(f"{what}“{value}”{problem}")
    return unsigned_zero(value)


def _normalise(text: str) -> str:
    # NFKC turns full-width digits, ． and ， into ASCII; then drop grouping and blanks.
    text = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"[\s,，']", "", text)


# grouping commas where Excel and WPS put them: every three digits of the integer part
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:万元|万|元)?$")


def _misgrouped(text: str) -> MoneyError | None:
    """“1,2,3” or “12,34”: commas that are no thousands separators (the number would be a guess)."""
    compact = re.sub(r"[\s']", "", unicodedata.normalize("NFKC", str(text)))
    if "," not in compact or _GROUPED.match(compact) or not re.match(r"^[+-]?[\d,]", compact):
        return None
    return MoneyError(f"“{_short(text)}”中的逗号不是千分位（千分位应每三位一个，如 1,234,567.89），"
                      "请检查后重新输入；几个数要分别填入不同的格")


_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)$")


def _plain(raw: str) -> Decimal | None:
    """Normalised text → Decimal when it is a plain number (no exponent, no unit), else None."""
    m = _NUMBER.match(raw)
    return Decimal(m.group(1) + m.group(2)) if m else None


def _short(text: str) -> str:
    text = str(text).strip()
    return text if len(text) <= 24 else f"{text[:20]}…（共 {len(text)} 个字符）"


def _too_long(text: str, raw: str) -> MoneyError | None:
    """A number too long to be within range (checked before any parsing), or None when short enough."""
    if len(raw) <= MAX_TEXT:
        return None
    if re.fullmatch(r"[+-]?[\d.]+", raw):
        return LimitError(f"“{_short(text)}”位数太多：数字的绝对值不能超过 {LIMIT_TEXT}，请检查后重新输入")
    return MoneyError(f"“{_short(text)}”不是数字，请只输入数字，例如 1234.56")


def parse_number(text: str, places: int | None = NUMBER_PLACES) -> Decimal:
    """Parse a plain number (no unit) typed or pasted by a clerk; within ±10¹⁵, at most ``places`` decimals
    (None: any, for a caller that rounds, such as the 决算 importer).  LimitError when out of range."""
    raw = _normalise(str(text))
    too_long = _too_long(text, raw) or _misgrouped(text)
    if too_long:
        raise too_long
    value = _plain(raw)
    if value is None:
        raise MoneyError(f"“{text}”不是数字，请只输入数字，例如 1234.56")
    problem = limit_problem(value, NUMBER_PLACES if places is None else places)
    if problem and (places is not None or value.copy_abs() > MAX_ABS):
        raise LimitError(f"“{text}”{problem}")
    return unsigned_zero(value)


def parse_amount(text: str, unit: str = "yuan") -> Decimal | None:
    """Parse an amount into 元.  ``unit`` is what a bare number means (yuan/wan).

    A trailing 元 or 万/万元 overrides ``unit``.  Empty text means "not filled"
    and returns None.
    """
    raw = _normalise(str(text))
    if raw in ("", "-", "—", "－"):
        return None
    factor = WAN if unit == "wan" else Decimal(1)
    bare = not raw.endswith(("万", "元"))
    if raw.endswith("万元") or raw.endswith("万"):
        raw, factor = raw.rstrip("元").rstrip("万"), WAN
    elif raw.endswith("元"):
        raw, factor = raw[:-1], Decimal(1)
    too_long = _too_long(text, raw) or _misgrouped(text)
    if too_long:
        raise too_long
    number = _plain(raw)
    if number is None:
        raise MoneyError(
            f"“{text}”不是金额，请输入数字，可带千分位逗号或“万”，例如 1,482.43 或 1482.43万"
        )
    if number.copy_abs() > MAX_ABS / factor:  # checked before multiplying: no rounding, no overflow
        in_wan = "，即 100,000,000,000 万元" if factor == WAN else ""
        raise LimitError(f"“{text}”超出范围：金额的绝对值不能超过 10¹⁵ 元（1,000,000,000,000,000 元{in_wan}），"
                         "请检查是否多输了数字")
    if bare and factor == WAN and decimal_places(number) > AMOUNT_PLACES:
        # shown as 12.35 万元 what was typed as 12.345: the report could not show what it keeps
        raise MoneyError(f"“{text}”有 {decimal_places(number)} 位小数，万元金额最多两位小数（0.01 万元 = 100 元）。"
                         "要精确到元，请在数字后加“元”（如 123450元），或把报告的金额单位改为元")
    if decimal_places(number) > AMOUNT_PLACES + (4 if factor == WAN else 0):  # before multiplying: stays exact
        raise LimitError(f"“{text}”{limit_problem(CENT / 10, AMOUNT_PLACES)}")
    value = number * factor  # at most 16 + 6 digits: exact
    problem = limit_problem(value, AMOUNT_PLACES)
    if problem:
        raise LimitError(f"“{text}”{problem}")
    return unsigned_zero(value)


WAN_DOUBT = Decimal(1_000_000)  # 万元: 100 亿元 and more is no county figure — more likely typed in 元


def unit_doubt(text: str, unit: str) -> str | None:
    """The other unit when a bare number typed into a ``unit`` report looks meant in it, else None:
    in 万元, 1,000,000 or more (100 亿元: a 元 figure such as 40,529,800.00); in 元, 3 or 4 decimals
    (a 万元 figure such as 4052.9800).  The clerk is asked which one was meant."""
    raw = _normalise(str(text))
    number = _plain(raw) if not raw.endswith(("万", "元")) else None
    if number is None:
        return None
    if unit == "wan" and number.copy_abs() >= WAN_DOUBT:
        return "yuan"
    if unit == "yuan" and decimal_places(number) in (3, 4):
        return "wan"
    return None


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

