"""Numbers in the text: do the figures the clerk wrote agree with the data?

Reads each narrative section for labelled figures — "基本支出543,923.64元",
"收入合计1,252.66万元，其中…", "…，占比1.87%", "比上年减少16,869.00元，下降44.57%",
"预算执行率61.92%" — and compares each with the figure the data gives, allowing
for the rounding of what is written (1,252.66万元 may be anything that rounds to
it).  A mismatch is a 警告 on ``narrative.<section id>``.

False alarms cost the clerk's trust, so a figure is read only when its label
maps to one known figure without doubt:

- the label stands on its own ("财政拨款基本支出", "在职人员经费", "上年公用经费"
  and "2021年收入合计" in a 2022 report are other figures and are skipped);
- the number follows the label directly (allowing 为/是/：/支出/决算数 …);
  "基本支出预算为…" or "基本支出结转和结余…" are not the 基本支出;
- a sentence about a budget ("收入预算6400.32万元，其中：…") or about 财政拨款
  only ("财政拨款支出…，其中，人员经费…") is not checked against the 决算 totals;
  "收入合计…，其中基本支出…" (income by purpose) is not checked as spending;
- a total matches the 汇总 or any one unit (the text may describe 局机关 only);
  收入合计 matches 本年收入 or, as the 湖南 form prints it, 收入 + 上年结转;
- a figure the data does not have is not checked;
- tables (``narrative_tables``: pipe rows such as “| 合计 | 1,252.66 |”) are not prose:
  their cells are not read as claims.

A text that announces a table (“如下表所示”, “见下表”) with no table after it
gets a 警告 too (``TABLE_CODE``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from .metrics import METRICS, compute_all
from .money import format_amount, format_percent
from .narrative_tables import missing_tables, without_tables
from .report import Report, UnitFinance, summary_once

HUNDRED = Decimal(100)
CODE = "narrative_mismatch"
ACTION = "核对后改正文字说明中的数字（也可用“生成草稿”按数据重新生成本节）；如果是数据填错了，请先改正数据。"
TABLE_CODE = "narrative_table_missing"
TABLE_ACTION = ("在这句话之后插入表格（“文字说明”中的“插入表格”，可从 Excel/WPS 复制后直接粘贴，"
                "或用“从数据插入表格”），或改写这句话。")

# ---------------------------------------------------------------- labels

# key → written forms.  Keys name a UnitFinance property, a ThreePublic kind
# (tp.<kind>, "tp" for the total), or a Finance attribute (finance.<name>).
AMOUNT_LABELS = {
    "income_total": ("本年收入合计", "收入合计"),
    "expenditure_total": ("本年支出合计", "支出合计"),
    "fiscal_appropriation": ("财政拨款收入",),
    "general_budget": ("一般公共预算财政拨款收入",),
    "fund_budget": ("政府性基金预算财政拨款收入",),
    "state_capital_budget": ("国有资本经营预算财政拨款收入",),
    "special_account_nontax": ("纳入专户管理的非税收入",),
    "higher_subsidy": ("上级补助收入",),
    "service_income": ("事业收入",),
    "business_income": ("经营收入",),
    "affiliate_remittance": ("附属单位上缴收入",),
    "other_income": ("其他收入",),
    "basic_expenditure": ("基本支出",),
    "project_expenditure": ("项目支出",),
    "remit_higher": ("上缴上级支出",),
    "business_expenditure": ("经营支出",),
    "affiliate_subsidy": ("对附属单位补助支出",),
    "personnel": ("人员经费",),
    "operating": ("日常公用经费", "公用经费"),
    "carryover_begin": ("年初结转和结余", "年初结转结余"),
    "carryover_end": ("年末结转和结余", "年末结转结余"),
    "tp": ("“三公”经费", "“三公经费”", "三公经费"),
    "tp.overseas_travel": ("因公出国（境）费", "因公出国(境)费", "因公出国境费"),
    "tp.vehicle_purchase": ("公务用车购置费",),
    "tp.vehicle_operation": ("公务用车运行维护费",),
    "tp.reception": ("公务接待费",),
    "finance.agency_operating": ("机关运行经费",),
    "finance.procurement_total": ("政府采购支出总额",),
}
INCOME_PARTS = ("fiscal_appropriation", "general_budget", "fund_budget", "state_capital_budget",
                "special_account_nontax", "higher_subsidy", "service_income", "business_income",
                "affiliate_remittance", "other_income")
SPEND_PARTS = ("basic_expenditure", "project_expenditure", "remit_higher", "business_expenditure",
               "affiliate_subsidy", "personnel", "operating")
TOTALS = ("income_total", "expenditure_total")
# the whole a part's share is taken of (candidates; "占基本支出的…" names it explicitly)
SHARE_OF = {**{k: ("income_total",) for k in INCOME_PARTS},
            **{k: ("expenditure_total",) for k in SPEND_PARTS[:5]},
            "personnel": ("basic_expenditure", "expenditure_total"),
            "operating": ("basic_expenditure", "expenditure_total")}
SHARE_NAMED = {"基本支出的": "basic_expenditure", "支出合计的": "expenditure_total", "本年支出合计的": "expenditure_total",
               "收入合计的": "income_total", "本年收入合计的": "income_total"}
PRIOR = {"income_total": "income_total", "expenditure_total": "expenditure_total", "personnel": "personnel",
         "operating": "operating", "carryover_end": "carryover_end", "finance.agency_operating": "agency_operating"}

# rate label → metric id: the metric names, written with or without quotes
RATE_LABELS = {m.name.replace("“", "").replace("”", ""): mid for mid, m in METRICS.items()}

UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
UNIT_NAME = {"元": "yuan", "万元": "wan", "亿元": "yuan"}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = r"亿元|万元|元"
_SEP = r"[，,]?\s*"


def _label_pattern(label: str) -> str:
    """Quotes are optional wherever they are written (“三公”经费 = 三公经费)."""
    core = re.escape(label)
    return core.replace("三公经费", "[“\"]?三公[”\"]?经费[”\"]?")


def _plain(label: str) -> str:
    return label.replace("“", "").replace("”", "")


_LABELS = sorted(
    {_plain(form): (_plain(form), key, "amount") for key, forms in AMOUNT_LABELS.items() for form in forms}.values(),
    key=lambda t: -len(t[0]))
_LABELS = sorted(_LABELS + [(name, mid, "rate") for name, mid in RATE_LABELS.items()], key=lambda t: -len(t[0]))
# the lookahead on the first characters makes the scan ~10× faster (it runs on every keystroke in a section)
_FIRST = re.escape("".join(sorted({form[0] for form, _, _ in _LABELS} | {"“", '"'})))
_LABEL_RE = re.compile(f"(?=[{_FIRST}])(?:"
                       + "|".join(f"(?P<l{i}>{_label_pattern(form)})" for i, (form, _, _) in enumerate(_LABELS)) + ")")

_AMOUNT_TAIL = re.compile(
    r"\s*(?:决算数|决算|实际支出|支出|总额|合计|共计|共)?\s*(?:为|是|达到|达|：|:)?\s*"
    rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT})")
_RATE_TAIL = re.compile(rf"\s*(?:为|是|达到|达|：|:)?\s*(?P<sign>[-−])?\s*(?P<num>{_NUM})\s*[%％]")
_SHARE = re.compile(rf"{_SEP}占(?P<of>比|{'|'.join(SHARE_NAMED)})?\s*(?P<num>{_NUM})\s*[%％]")
_COMPLETION = re.compile(
    rf"{_SEP}(?:完成|为)全年预算(?:数)?(?:\s*(?:{_NUM})\s*(?:{_UNIT}))?的\s*(?P<num>{_NUM})\s*[%％]")
_CHANGE = re.compile(
    rf"{_SEP}(?:比|较)(?:上年度?|上一年度?|去年|(?P<year>\d{{4}})年度?)(?:同期)?\s*(?P<verb>增加|减少|增长|下降)\s*"
    rf"(?P<amt>{_NUM})\s*(?P<unit>{_UNIT}){_SEP}(?P<trend>增长|下降)\s*(?P<pct>{_NUM})\s*[%％]")
_OTHER_YEAR = re.compile(r"(?:上年度?|去年|上一年度?|同期|(?P<year>\d{4})年度?)$")
_SENTENCE_END = "。！？!?\n"
# characters that may stand right before a label (else the label is part of a longer name)
_BEFORE_OK = set("年度中其为是的及和与计了共门局办位：:，,、；;。.（）()【】《》“”\"' \t\n\r\u3000") | set("0123456789")
_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


@dataclass(frozen=True)
class Claim:
    """One figure as written: ``kind`` amount / share / completion / change / rate."""
    kind: str
    key: str
    quote: str  # the words as written, for the message
    value: Decimal  # 元 for amounts, % for rates
    tolerance: Decimal
    unit: str = ""  # 元 / 万元 / 亿元 of the written amount (how the data is shown back)
    of: str = ""  # share: the whole named in the text ("占基本支出的…"), else the usual one
    extra: Optional[Decimal] = None  # change: the written rate (signed); ``value`` is the signed amount
    extra_tolerance: Optional[Decimal] = None


def _decimal(text: str) -> tuple[Decimal, int]:
    text = text.replace(",", "")
    places = len(text.split(".")[1]) if "." in text else 0
    return Decimal(text), places


def _half_unit(places: int) -> Decimal:
    return Decimal(5) / (Decimal(10) ** (places + 1))


def _amount(num: str, unit: str) -> tuple[Decimal, Decimal]:
    value, places = _decimal(num)
    return value * UNIT_FACTOR[unit], _half_unit(places) * UNIT_FACTOR[unit]


def _percent(num: str, sign: str = "") -> tuple[Decimal, Decimal]:
    value, places = _decimal(num)
    return (-value if sign else value), _half_unit(places)


def _context(text: str, start: int, fiscal_year: int) -> Optional[int]:
    """Where the label's sentence begins, or None when the label is part of a longer name or another year."""
    if start > 0 and text[start - 1] not in _BEFORE_OK and "\u4e00" <= text[start - 1] <= "\u9fff":
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
    return max(text.rfind(c, 0, pos) for c in _SENTENCE_END) + 1


def _skip_amount(key: str, prefix: str, heads: list[tuple[int, str]]) -> bool:
    """Scope rules: budget sentences, 财政拨款-only sentences, income-by-purpose lists."""
    if "预算" in prefix:
        return True
    if "财政拨款" in prefix and key in SPEND_PARTS + TOTALS:
        return True
    if key in SPEND_PARTS:
        last_in = max(prefix.rfind("收入"), max((p for p, k in heads if k == "income_total"), default=-1))
        last_out = max(prefix.rfind("支出"), max((p for p, k in heads if k == "expenditure_total"), default=-1))
        return last_in > last_out
    return False


@lru_cache(maxsize=512)
def parse(text: str, fiscal_year: int = 0) -> tuple[Claim, ...]:
    """The labelled figures of one text (cached: the check runs on every keystroke); tables are skipped."""
    text = without_tables(text)
    raw, text = text, text.translate(_DIGITS)  # same length: quotes come from ``raw``
    found = list(_LABEL_RE.finditer(text))
    masked = list(text)
    for m in found:
        masked[m.start():m.end()] = "■" * (m.end() - m.start())
    claims: list[Claim] = []
    heads: list[tuple[int, str]] = []  # (position in text, key) of totals already read in this text
    for m in found:
        form, key, kind = _LABELS[int(m.lastgroup[1:])]
        begin = _context(text, m.start(), fiscal_year)
        local_heads = [(p - begin, k) for p, k in heads if begin is not None and p >= begin]
        if key in TOTALS:
            heads.append((m.start(), key))  # "收入合计…，其中基本支出…" is about income, whatever is read
        if begin is None:
            continue
        prefix = "".join(masked[begin:m.start()])  # earlier labels and their figures masked out
        label = raw[m.start():m.end()]
        if kind == "rate":
            t = _RATE_TAIL.match(text, m.end())
            if t:
                value, tol = _percent(t.group("num"), t.group("sign") or "")
                claims.append(Claim("rate", key, raw[m.start():t.end()], value, tol))
                masked[m.end():t.end()] = "■" * (t.end() - m.end())
            continue
        t = _AMOUNT_TAIL.match(text, m.end())
        if t is None:
            continue
        if _skip_amount(key, prefix, local_heads):
            continue
        unit = t.group("unit")
        value, tol = _amount(t.group("num"), unit)
        claims.append(Claim("amount", key, raw[m.start():t.end()], value, tol, unit))
        pos = t.end()
        for _ in range(3):  # share, completion and change, in any order
            s = _SHARE.match(text, pos)
            if s:
                value, tol = _percent(s.group("num"))
                claims.append(Claim("share", key, f"{label}…{raw[s.start():s.end()].lstrip('，, ')}", value, tol,
                                    of=SHARE_NAMED.get(s.group("of") or "", "")))
                pos = s.end()
                continue
            c = _COMPLETION.match(text, pos)
            if c:
                value, tol = _percent(c.group("num"))
                claims.append(Claim("completion", key, f"{label}…{raw[c.start():c.end()].lstrip('，, ')}", value, tol))
                pos = c.end()
                continue
            ch = _CHANGE.match(text, pos)
            if ch:
                if ch.group("year") is None or int(ch.group("year")) == fiscal_year - 1:
                    sign = 1 if ch.group("verb") in ("增加", "增长") else -1
                    amount, tol = _amount(ch.group("amt"), ch.group("unit"))
                    rate, rate_tol = _percent(ch.group("pct"), "" if ch.group("trend") == "增长" else "-")
                    claims.append(Claim("change", key, f"{label}…{raw[ch.start():ch.end()].lstrip('，, ')}", sign * amount, tol,
                                        ch.group("unit"), extra=rate, extra_tolerance=rate_tol))
                pos = ch.end()
                continue
            break
        masked[m.end():pos] = "■" * (pos - m.end())
    return tuple(claims)


# ---------------------------------------------------------------- the data side

def _unit_value(u: UnitFinance, key: str):
    """A figure of one unit (or the 汇总); a part left empty counts as 0 once its total is filled."""
    if key.startswith("tp"):
        if key == "tp":
            return u.three_public.total
        value = getattr(u.three_public, key[3:])
        return value if value is not None or u.three_public.total is None else Decimal(0)
    value = getattr(u, key)
    if value is None:
        whole = u.income_total if key in INCOME_PARTS else u.expenditure_total if key in SPEND_PARTS else None
        if whole is not None:
            return Decimal(0)
    return value


class _Data:
    def __init__(self, report: Report, result=None):
        self.r, self.f = report, report.finance
        self.units = [self.f.summary, *self.f.units] if len(self.f.units) > 1 else [self.f.summary]
        self._metrics = result.metrics if result is not None else None

    def metric(self, mid: str):
        if self._metrics is None:
            self._metrics = compute_all(self.r)
        return self._metrics[mid].value

    def candidates(self, key: str) -> list[Decimal]:
        """Values the written figure may match: 汇总 first, then each unit."""
        if key.startswith("finance."):
            name = key.split(".")[1]
            value = self.f.procurement_total if name == "procurement_total" else getattr(self.f, name)
            return [value] if value is not None else []
        out = []
        for u in self.units:
            for v in ((u.income_total, u.income_with_carryover) if key == "income_total" else (_unit_value(u, key),)):
                if v is not None:
                    out.append(v)
        return out

    def shares(self, key: str, of: str) -> list[tuple[Decimal, Decimal, Decimal]]:
        wholes = (of,) if of else SHARE_OF.get(key, ())
        out = []
        for u in self.units:
            part = _unit_value(u, key)
            for w in wholes:
                whole = getattr(u, w)
                if part is not None and whole:
                    out.append((part / whole * HUNDRED, part, whole))
        return out

    def current(self, key: str):
        """The 汇总 figure (what a mismatch is reported against)."""
        if key.startswith("finance."):
            return next(iter(self.candidates(key)), None)
        s = self.f.summary
        return s.income_total if key == "income_total" else _unit_value(s, key)

    def prior(self, key: str):
        if key == "tp":
            return self.f.prior.three_public.total
        if key.startswith("tp."):
            return getattr(self.f.prior.three_public, key[3:])
        return getattr(self.f.prior, PRIOR[key]) if key in PRIOR else None

    def budget(self, key: str):
        if key == "tp":
            return self.f.three_public_budget.total
        return getattr(self.f.three_public_budget, key[3:]) if key.startswith("tp.") else None


def _money(value: Decimal, unit: str) -> str:
    return f"{format_amount(value, UNIT_NAME[unit])} {unit if unit != '亿元' else '元'}"


def _close(value: Decimal, written: Decimal, tolerance: Decimal) -> bool:
    return (value - written).copy_abs() <= tolerance


def _judge(claim: Claim, data: _Data) -> Optional[str]:
    """What the data says, when it disagrees with the claim; None when it agrees or cannot be known."""
    if claim.kind == "amount":
        values, shown = data.candidates(claim.key), data.current(claim.key)
        if not values or shown is None or any(_close(v, claim.value, claim.tolerance) for v in values):
            return None
        return _money(shown, claim.unit)
    if claim.kind == "share":
        shares = data.shares(claim.key, claim.of)
        if not shares or any(_close(s, claim.value, claim.tolerance) for s, _, _ in shares):
            return None
        rate, part, whole = shares[0]
        unit = "万元" if data.r.display_unit == "wan" else "元"
        return f"{format_percent(rate)}（{_money(part, unit)} / {_money(whole, unit)}）"
    if claim.kind == "completion":
        cur, plan = data.current(claim.key), data.budget(claim.key)
        if cur is None or not plan:
            return None
        rate = cur / plan * HUNDRED
        return None if _close(rate, claim.value, claim.tolerance) else f"完成全年预算的 {format_percent(rate)}"
    if claim.kind == "change":
        cur, prev = data.current(claim.key), data.prior(claim.key)
        if cur is None or prev is None or prev == 0:
            return None
        diff = cur - prev
        rate = diff / abs(prev) * HUNDRED
        if _close(diff, claim.value, claim.tolerance) and _close(rate, claim.extra, claim.extra_tolerance):
            return None
        verb, trend = ("增加", "增长") if diff >= 0 else ("减少", "下降")
        return f"比上年{verb} {_money(abs(diff), claim.unit)}，{trend} {format_percent(abs(rate))}"
    if claim.kind == "rate":
        value = data.metric(claim.key)
        if value is None or _close(value, claim.value, claim.tolerance):
            return None
        return format_percent(value)
    return None


def mismatches(report: Report, result=None) -> list[tuple[str, Claim, str]]:
    """(section id, claim, what the data says) for every written figure that disagrees with the data."""
    out = []
    with summary_once(report.finance):
        data = _Data(report, result)
        for sid, text in report.narrative.items():
            if not text:
                continue
            for claim in parse(text, report.fiscal_year):
                shown = _judge(claim, data)
                if shown is not None:
                    out.append((sid, claim, shown))
    return out


def narrative_problems(report: Report, tpl=None, result=None) -> list:
    """Problems (警告, step "narrative") for checks.general_checks."""
    from .checks import WARNING, Problem

    titles = {s.id: s.title for s in getattr(tpl, "narrative_sections", ())} if tpl is not None else {}
    problems = []
    for sid, claim, shown in mismatches(report, result):
        where = f"文字说明（{titles[sid]}）" if sid in titles else "文字说明"
        problems.append(Problem(WARNING, CODE, "narrative", f"narrative.{sid}",
                                f"{where}中写“{claim.quote}”，数据为 {shown}。", ACTION))
    for sid, text in report.narrative.items():
        missing = missing_tables(text or "")
        if missing:
            where = f"文字说明（{titles[sid]}）" if sid in titles else "文字说明"
            more = f"等 {len(missing)} 处" if len(missing) > 1 else ""
            problems.append(Problem(WARNING, TABLE_CODE, "narrative", f"narrative.{sid}",
                                    f"{where}中写“{missing[0]}”{more}，但其后没有表格。", TABLE_ACTION))
    return problems
