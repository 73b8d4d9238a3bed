"""The data side: what the report says a written figure should be, and the message when it is not."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from ..metrics import compute_all
from ..money import format_amount, format_decimal, format_percent
from ..report import Report, UnitFinance
from .labels import GROUP_ALIASES, INCOME_PARTS, PRIOR, SHARE_OF, SPEND_PARTS, Names, group_core
from .parse import DEPT, Claim

HUNDRED = Decimal(100)
UNIT_NAME = {"元": "yuan", "万元": "wan", "亿元": "yuan"}
FUNDS = {"p.budget": "annual_budget", "p.initial": "initial_budget", "p.executed": "executed"}


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


def names_of(report: Report, result) -> Names:
    """The report's own names a text may use for its figures."""
    groups = [g.name for g in result.dept.groups] if result.dept is not None else []
    if result.projects:
        groups += [g.name for g in result.projects[0].groups]
    return Names(tuple(dict.fromkeys(r.name.strip() for r in report.finance.functional_rows if r.name.strip())),
                 tuple(dict.fromkeys(groups)), tuple(p.name for p in report.projects))


class Data:
    def __init__(self, report: Report, result):
        self.r, self.f, self.result = report, report.finance, result
        self.units = [self.f.summary, *self.f.units] if len(self.f.units) > 1 else [self.f.summary]
        self._metrics = result.metrics if result is not None and result.metrics else None

    # ------------------------------------------------------------ 决算 figures

    def metric(self, mid: str):
        if self._metrics is None:
            self._metrics = compute_all(self.r)
        return self._metrics[mid].value

    def _value(self, u: UnitFinance, key: str):
        """``key`` of unit ``u``; Finance-wide figures and functional rows are the same for every unit."""
        if key.startswith("finance."):
            name = key[8:]
            return self.f.procurement_total if name == "procurement_total" else getattr(self.f, name)
        if key.startswith("func."):
            rows = [r.total for r in self.f.functional_rows if r.name.strip() == key[5:] and r.total is not None]
            return rows[0] if len(rows) == 1 else None  # a name under several 款 is no one figure
        if key == "func:classes":
            classes = [r.total for r in self.f.functional_rows if r.level == "类" and r.total is not None]
            return sum(classes, Decimal(0)) if classes else None
        return _unit_value(u, key)

    def candidates(self, key: str) -> list[Decimal]:
        """Values the written figure may match: 汇总 first, then each unit."""
        if key.startswith(("finance.", "func.")):
            value = self._value(self.f.summary, key)
            return [value] if value is not None else []
        out = []
        for u in self.units:
            for v in ((u.income_total, u.income_with_carryover) if key == "income_total" else (_unit_value(u, key),)):
                if v is not None:
                    out.append(v)
        return out

    def _wholes(self, key: str, of: str) -> tuple[str, ...]:
        if of:
            return (of,)
        if key.startswith("func."):
            return ("func:classes", "expenditure_total")  # of the classes' sum (the table's 合计) or of 支出合计
        return SHARE_OF.get(key, ())

    def shares(self, key: str, of: str) -> list[tuple[Decimal, Decimal, Decimal]]:
        out = []
        for u in self.units:
            part = self._value(u, key)
            for w in self._wholes(key, of):
                whole = self._value(u, w)
                if part is not None and whole:
                    out.append((part / whole * HUNDRED, part, whole))
        return out

    def current(self, key: str):
        """The 汇总 figure (what a mismatch is reported against)."""
        s = self.f.summary
        return s.income_total if key == "income_total" else self._value(s, key)

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

    # ------------------------------------------------------------ a scored part

    def part(self, claim: Claim):
        """(score of the part, its Project or None) the claim is about, or None when it cannot be told."""
        projects, dept = self.result.projects, self.result.dept
        s = claim.subject
        if s is None:  # no part named: the department's report, or a project report's only project
            if dept is not None:
                return None if claim.key.startswith("p.") else (dept, None)
            return (projects[0], self.r.projects[0]) if len(projects) == 1 else None
        if s == DEPT:
            return (dept, None) if dept is not None else None
        return (projects[s], self.r.projects[s]) if 0 <= s < len(projects) else None

    def project_values(self, key: str, claim: Claim) -> list[Decimal]:
        found = self.part(claim)
        if found is None or found[1] is None:
            return []
        score, project = found
        if key == "p.rate":
            rates = [score.execution.value] + [s.value for s in score.funds_scores.values()]
            return [v for v in rates if v is not None]
        rows = (project.funds_total, project.funds_current)  # the text may give the 当年财政拨款 alone
        return [v for v in (getattr(r, FUNDS[key]) for r in rows) if v is not None]

    def score(self, claim: Claim) -> list[Decimal]:
        """The points the part has for the claim's total or 一级 (while it is complete)."""
        found = self.part(claim)
        if found is None:
            return []
        score = found[0]
        if claim.key == "score":
            t = score.totals
            return [t.total, t.rule_total] if t.complete else []
        core = group_core(claim.key[6:])
        groups = {group_core(g.name): g for g in score.groups}
        g = groups.get(core) or groups.get(GROUP_ALIASES.get(core, ""))
        if g is None or not g.complete:
            return []
        # texts write "效益指标得分 15 分" for one of its 二级 or rows: such a figure is not the subtotal's
        return [g.score, g.rule_score, *self._parts(score, g.name)]

    def _parts(self, score, level1: str) -> list[Decimal]:
        rows = [s for s in getattr(score, "rows", None) or getattr(score, "indicators", ()) if s.level1 == level1]
        level2 = {}
        for s in rows:
            level2[s.level2] = level2.get(s.level2, Decimal(0)) + s.score
        return [s.score for s in rows] + list(level2.values())

    def grade(self, claim: Claim) -> str:
        found = self.part(claim)
        return found[0].totals.grade if found is not None else ""


def _money(value: Decimal, unit: str) -> str:
    return f"{format_amount(value, UNIT_NAME[unit])} {unit if unit != '亿元' else '元'}"


def _close(value: Decimal, written: Decimal, tolerance: Decimal) -> bool:
    return (value - written).copy_abs() <= tolerance


def _change(claim: Claim, data: Data) -> Optional[str]:
    cur, prev = data.current(claim.key), data.prior(claim.key)
    if cur is None or prev is None or prev == 0:
        return None
    diff = cur - prev
    rate = diff / abs(prev) * HUNDRED
    amount_ok = claim.value is None or _close(diff, claim.value, claim.tolerance)
    rate_ok = claim.extra is None or _close(rate, claim.extra, claim.extra_tolerance)
    if amount_ok and rate_ok:
        return None
    verb, trend = ("增加", "增长") if diff >= 0 else ("减少", "下降")
    shown = (f"比上年{verb} {_money(abs(diff), claim.unit)}，" if claim.value is not None else "比上年") \
        + f"{trend} {format_percent(abs(rate))}"
    if not rate_ok and cur and _close(diff / abs(cur) * HUNDRED, claim.extra, claim.extra_tolerance):
        written = f"{'增长' if claim.extra >= 0 else '下降'} {format_percent(abs(claim.extra))}"
        shown += f"（{written} 是用变动额除以本年数得出的；应除以上年数，为 {format_percent(abs(rate))}）"
    return shown


def judge(claim: Claim, data: Data) -> Optional[str]:
    """What the data says, when it disagrees with the claim; None when it agrees or cannot be known."""
    if claim.kind == "amount":
        if claim.key.startswith("p."):
            values = data.project_values(claim.key, claim)
            shown = values[0] if values else None
        else:
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
        return _change(claim, data)
    if claim.kind == "rate":
        values = data.project_values("p.rate", claim) if claim.key == "p.rate" else [
            v for v in [data.metric(claim.key)] + (data.project_values("p.rate", claim)
                                                   if claim.key == "budget_execution_rate" and claim.subject is None
                                                   and data.result.dept is None else []) if v is not None]
        if not values or any(_close(v, claim.value, claim.tolerance) for v in values):
            return None
        return format_percent(values[0])
    if claim.kind == "score":
        values = data.score(claim)
        if not values or any(_close(v, claim.value, claim.tolerance) for v in values):
            return None
        return f"{format_decimal(values[0])} 分"
    if claim.kind == "grade":
        grade = data.grade(claim)
        return None if not grade or grade == claim.word else f"“{grade}”"
    return None
