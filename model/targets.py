"""Reading 年度指标值 / 实际完成值 as written on the forms.

Clerks write targets as text: ``≥95%``, ``1.47万人``, ``2套``, ``提高``,
``2022年底``.  A value is quantitative when it is one number with an optional
comparator, 万 multiplier and a short unit; dates and words are qualitative.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Optional

_OPS = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<", "=": "=", "≮": ">=", "≯": "<=",
        "=>": ">=", "=<": "<=", "==": "="}
# comparators as targets and clerks write them in words (NFKC has made ＞＝ into >=)
_OP_WORDS = {"不低于": ">=", "不少于": ">=", "不小于": ">=", "大于等于": ">=", "大于或等于": ">=", "至少": ">=",
             "不高于": "<=", "不超过": "<=", "不大于": "<=", "不多于": "<=", "小于等于": "<=", "小于或等于": "<=",
             "最多": "<=", "等于": "=", "大于": ">", "超过": ">", "小于": "<", "低于": "<"}
_OP_TOKENS = sorted(list(_OPS) + list(_OP_WORDS), key=len, reverse=True)
_OP_RE = "|".join(re.escape(t) for t in _OP_TOKENS)
_QUANT = re.compile(rf"^({_OP_RE})?([+-]?\d+(?:\.\d+)?)(万)?([^\d]{{0,4}})$")
SYMBOL = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
_DATE_WORDS = ("年", "月", "日", "底", "前", "季")


@dataclass(frozen=True)
class Quantity:
    op: str  # ">=", "<=", … or "" when not written
    value: Decimal
    unit: str  # as written after the number, without 万


@lru_cache(maxsize=1 << 14)
def normalise(text: str) -> str:
    # NFKC leaves the minus sign (U+2212) that Word and WPS put in "−20%"
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).replace("−", "-")


@lru_cache(maxsize=1 << 14)  # the same targets are read by scoring and 复核, row after row, report after report
def parse_quantity(text: str) -> Optional[Quantity]:
    raw = normalise(text).replace(",", "")
    m = _QUANT.match(raw)
    if not m:
        return None
    op, number, wan, unit = m.groups()
    if any(w in unit for w in _DATE_WORDS):
        return None
    value = Decimal(number) * (10000 if wan else 1)
    return Quantity(operator(op or "") or "", value, unit)


def operator(text: str) -> Optional[str]:
    """A comparator as typed — ≥ >= ＞＝ => 不低于 不少于 … ≤ <= 不高于 不超过 … = — as ">=", "<=", "=", ">", "<";
    "" for an empty text, None when it is not a comparator."""
    raw = normalise(text)
    if not raw:
        return ""
    return _OPS.get(raw) or _OP_WORDS.get(raw)


def strip_comparator(text: str) -> str:
    raw = normalise(text)
    for op in _OP_TOKENS:
        if raw.startswith(op):
            return raw[len(op):]
    return raw


def same_text(a: str, b: str) -> bool:
    """Target and actual say the same thing (ignoring spaces, width and a leading comparator)."""
    return bool(strip_comparator(a)) and strip_comparator(a) == strip_comparator(b)
