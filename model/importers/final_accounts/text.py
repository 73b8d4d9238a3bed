"""Text of 决算 cells for matching, and the table kinds their titles name.

Matching tolerates what published tables do to labels: full-width and
half-width forms, blanks and line breaks inside labels (“社会保障和⏎就业支出”),
quotes or none around 三公, numbering like “八、” or “（一）”.  A title is
recognised by its ending (“…收入支出决算总表”), so a year, a “部门” or unit name
before it and a 公开NN表 number or 单位 after it do not matter.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal
from typing import Any, Optional

from ..common import ImporterError

class FinalAccountsError(ImporterError):
    """The workbook cannot be imported; the message names the place and what to do."""


# ---------------------------------------------------------------- text

_DROP = re.compile("[\\s“”\"'‘’「」『』]+")  # blanks, line breaks and quotes (one pass: str.translate is slow on CJK)


def norm(value: Any) -> str:
    """Text for matching: full-width → half-width, no blanks or line breaks, no quotes."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return code_text(value)
    return _norm_text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _norm_text(text: str) -> str:
    # cached: the same labels are matched over and over while tables are found and read
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def shown(value: Any) -> str:
    """A cell's value for a message: long text cut (a message is read, not scrolled)."""
    text = str(value)
    return text if len(text) <= 30 else f"{text[:24]}…"


def code_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value, "f")


_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、](?!\d)|其中:?|[:、.])")


def label_of(value: Any) -> str:
    """A row label without its numbering: “（一）行政单位” → 行政单位, “八、其他收入” → 其他收入."""
    text = norm(value)
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


# Blank markers seen in published tables.
BLANKS = {"", "-", "--", "/", "\\", "无", "本表无数据", "#N/A", "空"}
DASHES = re.compile(r"^[-—–－―─_]+$")

# ---------------------------------------------------------------- titles

OVERVIEW, INCOME, EXPENDITURE, FISCAL, GENERAL, DETAIL, THREE_PUBLIC, FUND, STATE_CAPITAL, INFO_TABLE = (
    "overview", "income", "expenditure", "fiscal_overview", "general", "general_detail",
    "three_public", "fund", "state_capital", "info")

TABLE_NAMES = {
    OVERVIEW: "收入支出决算总表",
    INCOME: "收入决算表",
    EXPENDITURE: "支出决算表",
    FISCAL: "财政拨款收入支出决算总表",
    GENERAL: "一般公共预算财政拨款支出决算表",
    DETAIL: "一般公共预算财政拨款支出决算明细表",
    THREE_PUBLIC: "财政拨款“三公”经费支出决算表",
    FUND: "政府性基金预算财政拨款收入支出决算表",
    STATE_CAPITAL: "国有资本经营预算财政拨款支出决算表",
    INFO_TABLE: "部门决算公开相关信息统计表",
}

# Normalised title endings → kind; the longest ending that fits wins, so
# “财政拨款收入支出决算总表” is never taken for “收入支出决算总表”.
_TITLE_VARIANTS = sorted([
    ("收入支出决算总表", OVERVIEW), ("收支决算总表", OVERVIEW),
    ("收入决算表", INCOME),
    ("支出决算表", EXPENDITURE),
    ("财政拨款收入支出决算总表", FISCAL), ("财政拨款收支决算总表", FISCAL),
    ("一般公共预算财政拨款支出决算表", GENERAL),
    ("一般公共预算财政拨款支出决算明细表", DETAIL),
    ("一般公共预算财政拨款基本支出决算明细表", DETAIL),
    ("一般公共预算财政拨款基本支出决算表", DETAIL),
    ("三公经费支出决算表", THREE_PUBLIC), ("三公经费支出决算明细表", THREE_PUBLIC),
    ("政府性基金预算财政拨款收入支出决算表", FUND), ("政府性基金预算财政拨款支出决算表", FUND),
    ("国有资本经营预算财政拨款支出决算表", STATE_CAPITAL),
    ("国有资本经营预算财政拨款收入支出决算表", STATE_CAPITAL),
    ("相关信息统计表", INFO_TABLE),
], key=lambda v: -len(v[0]))

_NUMBER_LABEL = re.compile(r"^(?:公开)?\d{1,2}表$|^附?表[\d一二三四五六七八九十]+$")
# what titles carry after the table name: its number, the unit, the year ("…决算总表（公开01表）（单位：万元）")
_TRAILING = re.compile(r"[(\[]?(?:公开\d{1,2}表|附?表\d{1,2}|(?:金额)?单位:?(?:万元|元)|\d{4}年度?)[)\]]?$")


def title_kind(text: str) -> Optional[str]:
    """The table kind a title row names, or None."""
    if not text or text.startswith(("注", "说明", "本表", "备注")):
        return None
    while True:
        stripped = _TRAILING.sub("", text).rstrip(",;:")
        if stripped == text:
            break
        text = stripped
    for ending, kind in _TITLE_VARIANTS:
        if text.endswith(ending) and len(text) <= len(ending) + 40:
            return kind
    return None




CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")  # 科目编码: 类 (3 digits), 款 (5), 项 (7)
