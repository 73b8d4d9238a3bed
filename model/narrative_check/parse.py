"""Reading a text: every labelled figure it states, with the rounding of what is written."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from ..narrative_tables import without_tables
from . import phrasings as ph
from .labels import GRADES, SPEND_PARTS, TOTALS, Names, labels, share_whole

DEPT, UNKNOWN = -2, -1
FISCAL_SPENDING = ("finance.fiscal_expenditure", "finance.general_expenditure")  # Claim.subject besides a project's index and None (no part named)


@dataclass(frozen=True)
class Claim:
    """One figure as written: ``kind`` amount / share / completion / change / rate / score / grade."""
    kind: str
    key: str
    quote: str  # the words as written, for the message
    value: Optional[Decimal]  # 元 for amounts, % for rates, points for scores; change: the signed amount if written
    tolerance: Decimal
    unit: str = ""  # 元 / 万元 / 亿元 of the written amount (how the data is shown back)
    of: str = ""  # share: the whole named in the text ("占基本支出的…"), else the usual one
    extra: Optional[Decimal] = None  # change: the written rate (signed) if written
    extra_tolerance: Optional[Decimal] = None
    subject: Optional[int] = None  # scored part: a project's index, DEPT, UNKNOWN (a project not in the data), None
    word: str = ""  # grade: 优/良/中/差


_OTHER_YEAR = re.compile(r"(?:上年度?|去年|上一年度?|同期|(?P<year>\d{4})年度?)$")
_SENTENCE_END = "。！？!?"
# a line break ends a sentence only after these, or after a heading ("三、支出决算情况说明"); text pasted
# from a PDF breaks lines (and pages: "主要\n\n原因是") in the middle of sentences
_HARD_BREAK_AFTER = set("。！？!?：:；;")
_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
_CLAUSE_END = "，,；;：:。！？!?\n"
# characters that may stand right before a label (else the label is part of a longer name)
_BEFORE_OK = set("年度中其为是的及和与计了共门局办位：:，,、；;。.（）()【】《》“”\"' \t\n\r\u3000") | set("0123456789")
# a project's figures follow its name: "该项目全年预算数…", "…补助的支出全年预算金额…"
_BEFORE_PROJECT = _BEFORE_OK | set("目出")
_FINANCE_MASK, _SCORED_MASK = "■", "□"
_QUOTED = re.compile(r"“(?P<q>[^”\n]{2,40})”\s*(?=项目)|“(?P<q2>[^”\n]{1,38}项目)”")
_DEPT_MARK = re.compile(r"整体")


def _decimal(text: str) -> tuple[Decimal, int]:
    text = text.replace(",", "")
    places = len(text.split(".")[1]) if "." in text else 0
    return Decimal(text), places


def _half_unit(places: int) -> Decimal:
    return Decimal(5) / (Decimal(10) ** (places + 1))


def _amount(num: str, unit: str) -> tuple[Decimal, Decimal]:
    value, places = _decimal(num)
    return value * ph.UNIT_FACTOR[unit], _half_unit(places) * ph.UNIT_FACTOR[unit]


def _number(num: str, negative: bool = False) -> tuple[Decimal, Decimal]:
    value, places = _decimal(num)
    return (-value if negative else value), _half_unit(places)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _context(text: str, start: int, fiscal_year: int, before_ok) -> Optional[int]:
    """Where the label's sentence begins, or None when the label is part of a longer name or another year."""
    if before_ok is not None and start > 0 and text[start - 1] not in before_ok and _is_cjk(text[start - 1]):
        return None
    m = _OTHER_YEAR.search(text[max(0, start - 8):start])
    if m and (m.group("year") is None or int(m.group("year")) != fiscal_year):
        return None
    begin = _sentence_start(text, start)
    for _ in range(12):  # "…，其中：\n基本支出…；\n项目支出…" and "…。其中，人员经费…" continue the sentence before
        if begin == 0:
            break
        before = text[:begin - 1].rstrip(" \t\r\n\u3000。！？!?")
        if not (text[begin:start].lstrip().startswith("其中") or before.endswith(("：", ":", "其中", "；", ";"))):
            break
        begin = _sentence_start(text, len(before))
    return begin


def _sentence_start(text: str, pos: int) -> int:
    begin = max(text.rfind(c, 0, pos) for c in _SENTENCE_END) + 1
    j = text.rfind("\n", begin, pos)
    while j >= begin:  # the last line break since then that really ends something
        before = text[:j].rstrip(" \t\r\n\u3000")
        line = before[before.rfind("\n") + 1:]
        if not before or before[-1] in _HARD_BREAK_AFTER or _HEADING.match(line) or not (
                _is_cjk(before[-1]) or before[-1].isalnum()):
            return j + 1
        j = text.rfind("\n", begin, len(before))
    return begin


def _clause(text: str, pos: int) -> str:
    return text[max(text.rfind(c, 0, pos) for c in _CLAUSE_END) + 1:pos]


def _skip_amount(key: str, prefix: str, heads: list[tuple[int, str]]) -> bool:
    """Scope rules: budget sentences, 财政拨款-only sentences, income-by-purpose lists."""
    if "预算" in prefix:
        return True
    fiscal = "财政拨款" in prefix or any(k in FISCAL_SPENDING for _, k in heads)
    if fiscal and (key in SPEND_PARTS + TOTALS or key.startswith("func.")):
        return True  # 财政拨款 pays a part of each: its 基本支出, its 农林水支出(类)… are not in the data
    if key in SPEND_PARTS:
        last_in = max(prefix.rfind("收入"), max((p for p, k in heads if k == "income_total"), default=-1))
        last_out = max(prefix.rfind("支出"), max((p for p, k in heads if k == "expenditure_total"), default=-1))
        return last_in > last_out
    return False


@lru_cache(maxsize=8)
def _project_pattern(projects: tuple) -> Optional[re.Pattern]:
    """The projects' names as the text may write them (spaces anywhere: "兴县乡村振兴局 2022 年脱贫…")."""
    named = sorted(((i, "".join(n.split())) for i, n in enumerate(projects) if "".join(n.split())),
                   key=lambda t: -len(t[1]))
    if not named:
        return None
    spaced = r"\s*"
    return re.compile("|".join(f"(?P<p{i}>{spaced.join(map(re.escape, name))})" for i, name in named))


def _markers(text: str, projects: tuple) -> tuple[list[int], list[int], set[int]]:
    """(positions, subjects) where the text turns to a project (its index, or UNKNOWN for a quoted
    project the data does not have) or to the department as a whole (DEPT); and where names end."""
    found = [(m.start(), DEPT) for m in _DEPT_MARK.finditer(text)]
    pattern = _project_pattern(projects)
    names = list(pattern.finditer(text)) if pattern is not None else []
    found += [(m.start(), int(m.lastgroup[1:])) for m in names]
    plain_names = ["".join(n.split()) for n in projects]
    for m in _QUOTED.finditer(text):  # “省级数字乡村示范创建项目” for 2022年省级数字乡村示范创建项目
        quoted = "".join((m.group("q") or m.group("q2")).split())
        which = [i for i, n in enumerate(plain_names) if n and (n in quoted or quoted in n)]
        found.append((m.start(), which[0] if len(which) == 1 else UNKNOWN))
    found.sort()
    return [p for p, _ in found], [s for _, s in found], {m.end() for m in names}


class _Reader:
    """One pass over a text: claims in order, each label's figures masked once read."""

    def __init__(self, text: str, fiscal_year: int, names: Names):
        self.raw, self.text = text, text.translate(ph.DIGITS)  # same length: quotes come from ``raw``
        self.year = fiscal_year
        self.table, pattern = labels(names)
        self.found = list(pattern.finditer(self.text))
        self.masked = list(self.text)
        for m in self.found:
            # a 决算 category's mark keeps a project's funds out of its sentence; a rate's does not
            kind = self.table[int(m.lastgroup[1:])][2]
            self.mask(m.start(), m.end(), _FINANCE_MASK if kind == "amount" else _SCORED_MASK)
        self.marks = _markers(self.text, names.projects) if names.projects or "整体" in self.text else ([], [], set())
        self.claims: list[Claim] = []
        self.heads: list[tuple[int, str]] = []  # (position in text, key) of totals already read

    def mask(self, start: int, end: int, char: str = _FINANCE_MASK):
        self.masked[start:end] = char * (end - start)

    def subject(self, pos: int) -> Optional[int]:
        i = bisect_right(self.marks[0], pos)
        return self.marks[1][i - 1] if i else None

    def read(self) -> tuple[Claim, ...]:
        for m in self.found:
            form, key, kind = self.table[int(m.lastgroup[1:])]
            if kind == "amount":
                self.amount(m, key)
            elif kind == "rate":
                self.rate(m, key)
            else:
                self.scored(m, key, kind, form)
        return tuple(self.claims)

    # ------------------------------------------------------------ 决算 figures

    def amount(self, m: re.Match, key: str):
        text, raw = self.text, self.raw
        begin = _context(text, m.start(), self.year, _BEFORE_OK)
        local_heads = [(p - begin, k) for p, k in self.heads if begin is not None and p >= begin]
        if key in TOTALS or key in FISCAL_SPENDING:
            # "收入合计…，其中基本支出…" is about income, "财政拨款支出…，主要用于：…" about 财政拨款, whatever is read
            self.heads.append((m.start(), key))
        if begin is None:
            return
        prefix = "".join(self.masked[begin:m.start()])  # earlier labels and their figures masked out
        label = raw[m.start():m.end()]
        t = ph.AMOUNT_TAIL.match(text, m.end())
        if t is None:  # "财政拨款收入较上年增加…" / "与2021年相比，财政拨款支出减少…"
            compared = ph.COMPARED_BEFORE.search(prefix)
            c = ph.CHANGE.match(text, m.end()) or (ph.CHANGE_INLINE.match(text, m.end()) if compared else None)
            if c and not _skip_amount(key, prefix, local_heads):
                if not (compared and ph.other_year(compared, self.year)):
                    self.change(key, label, c, "")
                self.mask(m.end(), c.end())
            return
        if _skip_amount(key, prefix, local_heads):
            return
        unit = t.group("unit")
        value, tol = _amount(t.group("num"), unit)
        self.claims.append(Claim("amount", key, raw[m.start():t.end()], value, tol, unit))
        pos = t.end()
        for _ in range(4):  # share, completion and change, in any order
            pos, more = self.after_amount(key, label, pos)
            if not more:
                break
        self.mask(m.end(), pos)

    def after_amount(self, key: str, label: str, pos: int) -> tuple[int, bool]:
        text = self.text
        s = ph.SHARE.match(text, pos)
        if s:
            of = share_whole(s.group("of")) if s.group("of") else ""
            if of is not None:  # a whole the check does not know is not guessed
                value, tol = _number(s.group("num"))
                self.claims.append(Claim("share", key, self.quote(label, s), value, tol, of=of))
            return s.end(), True
        c = ph.COMPLETION.match(text, pos)
        if c:
            value, tol = _number(c.group("num"))
            self.claims.append(Claim("completion", key, self.quote(label, c), value, tol))
            return c.end(), True
        ch = ph.CHANGE.match(text, pos)
        if ch:
            self.change(key, label, ch, "…")
            return ch.end(), True
        same = ph.SAME.match(text, pos)
        if same:
            if not ph.other_year(same, self.year):
                self.claims.append(Claim("change", key, self.quote(label, same), Decimal(0), Decimal(0), "元",
                                         extra=Decimal(0), extra_tolerance=Decimal(0)))
            return same.end(), True
        return pos, False

    def quote(self, label: str, m: re.Match, joint: str = "…") -> str:
        return f"{label}{joint}{self.raw[m.start():m.end()].lstrip('，, ')}"

    def change(self, key: str, label: str, c: re.Match, joint: str):
        if "year" in c.re.groupindex and ph.other_year(c, self.year):
            return
        amount = tol = unit = None
        if c.group("amt"):
            unit = c.group("unit")
            amount, tol = _amount(c.group("amt"), unit)
            amount = amount if ph.up(c.group("verb")) else -amount
        trend = c.group("trend") or (c.group("trend2") if "trend2" in c.re.groupindex else None)
        pct = c.group("pct") or (c.group("pct2") if "pct2" in c.re.groupindex else None)
        rate = rate_tol = None
        if pct:
            rate, rate_tol = _number(pct, not ph.up(trend))
        self.claims.append(Claim("change", key, self.quote(label, c, joint), amount, tol or Decimal(0), unit or "元",
                                 extra=rate, extra_tolerance=rate_tol))

    def rate(self, m: re.Match, key: str):
        subject = self.subject(m.start())
        if key == "budget_execution_rate" and subject is not None and subject != DEPT:
            self.scored(m, "p.rate", "project", "")  # "“…”项目…预算执行率95.3%" is the project's
            return
        if _context(self.text, m.start(), self.year, _BEFORE_OK) is None:
            return
        t = ph.RATE_TAIL.match(self.text, m.end())
        if t:
            value, tol = _number(t.group("num"), bool(t.group("sign")))
            self.claims.append(Claim("rate", key, self.raw[m.start():t.end()], value, tol, subject=subject))
            self.mask(m.end(), t.end())

    # ------------------------------------------------------------ a scored part: funds, scores, grades

    def scored(self, m: re.Match, key: str, kind: str, form: str):
        text, start = self.text, m.start()
        if form == "得分" and (start == 0 or text[start - 1] not in "”\""):
            return  # "得分" alone is a total only right after a quoted name: “…”得分83.73分
        before_ok = {"project": _BEFORE_PROJECT, "group": _BEFORE_PROJECT}.get(kind)  # totals: any word before
        if start in self.marks[2]:
            before_ok = None  # right after a project's name: "…巩固提升工程全年预算执行率得 9 分"
        begin = _context(text, start, self.year, before_ok)
        if begin is None or "个项目" in _clause(text, start):  # "5个项目自评等级为“良”" is a count, no one project's
            return
        subject = self.subject(start)
        claim, end = None, None
        if kind in ("project", "group") or key == "score":
            tail = ph.GROUP_SCORE_TAIL if kind != "score" else ph.SCORE_TAIL
            t = tail.match(text, m.end())
            if t:
                value, tol = _number(t.group("num"))
                group = "group:预算执行率" if kind == "project" else key  # "…执行率得 1.73 分"
                claim, end = Claim("score", group, self.raw[start:t.end()], value, tol, subject=subject), t.end()
        if claim is None and kind == "project":
            claim, end = self.funds(m, key, subject, begin)
        if claim is None and kind == "grade":
            t = ph.GRADE_TAIL.match(text, m.end())
            if t and (t.group("close") or t.end() >= len(text) or not _is_cjk(text[t.end()])):
                claim, end = Claim("grade", "grade", self.raw[start:t.end()], Decimal(0), Decimal(0), subject=subject,
                                   word=GRADES[t.group("grade")]), t.end()
        if claim is not None:
            self.claims.append(claim)
            self.mask(m.end(), end, _SCORED_MASK)

    def funds(self, m: re.Match, key: str, subject, begin: int):
        """全年预算数 / 执行数 / 执行率 of a project (not in a sentence about a 决算 category)."""
        if _FINANCE_MASK in "".join(self.masked[begin:m.start()]):
            return None, None
        if key == "p.rate":
            t = ph.RATE_TAIL.match(self.text, m.end())
            if t:
                value, tol = _number(t.group("num"), bool(t.group("sign")))
                return Claim("rate", key, self.raw[m.start():t.end()], value, tol, subject=subject), t.end()
            return None, None
        t = ph.AMOUNT_TAIL.match(self.text, m.end())
        if t:
            value, tol = _amount(t.group("num"), t.group("unit"))
            return Claim("amount", key, self.raw[m.start():t.end()], value, tol, t.group("unit"), subject=subject), t.end()
        return None, None


@lru_cache(maxsize=512)
def parse(text: str, fiscal_year: int = 0, names: Names = Names()) -> tuple[Claim, ...]:
    """The labelled figures of one text (cached: the check runs on every keystroke); tables are skipped.
    ``names``: the report's own functional classes, 一级 indicators and projects the text may name."""
    return _Reader(without_tables(text), fiscal_year, names).read()
