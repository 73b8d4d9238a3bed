"""复核 rules as data: what the checks of model.project_review look for, per template.

The national defaults are ``resources/review/national.yaml``; a template's ``review:`` block
overrides any of its settings (a whole setting at a time, e.g. ``execution: {caps: […]}`` keeps
the other ``execution`` settings).  Everything is validated when the template loads: an unknown
key or a wrong type names the file and the setting.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable, Optional

KINDS = ("money", "percent", "count")
TEXT_FIELDS = {"deviation_reason": "未完成原因分析", "goal_expected": "年度总体目标（预期）",
               "goal_actual": "年度总体目标（实际完成情况）", "override_reason": "调整理由",
               "execution_reason": "执行率偏低原因", "conclusion": "评价结论", "problems": "存在问题",
               "improvements": "改进措施"}


@dataclass(frozen=True)
class Cap:
    below: Decimal  # 执行率 (%) below which …
    max_total: Decimal  # … the 总分 may be at most this


@dataclass(frozen=True)
class ReviewRules:
    units: bool = True
    convertible: tuple[tuple[str, ...], ...] = ()
    unit_kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()  # kind → its units
    name_kinds: tuple[tuple[tuple[str, ...], str], ...] = ()  # (words, kind), first match wins
    deviation: bool = True
    over_target_percent: Optional[Decimal] = Decimal(130)
    empty_texts: tuple[str, ...] = ()
    min_chars: int = 0
    caps: tuple[Cap, ...] = ()
    score_ahead_percent: Optional[Decimal] = None
    unspent_percent: Optional[Decimal] = None
    reason_below_percent: Optional[Decimal] = None  # 执行率 (%) below which the project must say why (四川 90)
    require_project: bool = True
    require_goal: bool = True
    require_authority_review: bool = True
    quantitative_numeric: bool = True
    max_rate_words: tuple[str, ...] = ()
    text_limits: tuple[tuple[str, int], ...] = ()

    def kind_of_unit(self, unit: str) -> Optional[str]:
        """money for 元 and 元/人, percent for %; None for units of no listed kind (人, 户, 个月)."""
        head = unit.split("/")[0]
        return next((kind for kind, units in self.unit_kinds if unit in units or head in units), None)

    def kind_of_name(self, name: str) -> Optional[str]:
        return next((kind for words, kind in self.name_kinds if any(w in name for w in words)), None)

    def same_group(self, a: str, b: str) -> bool:
        return a == b or any(a in g and b in g for g in self.convertible)

    def is_empty_text(self, text: str) -> bool:
        t = "".join((text or "").split())
        return not t or t in self.empty_texts or len(t) < self.min_chars

    def limit(self, field: str) -> Optional[int]:
        return dict(self.text_limits).get(field)


_SCHEMA = {  # setting → its keys
    "units": ("enabled", "convertible", "unit_kinds", "name_kinds"),
    "deviation": ("enabled", "over_target_percent", "empty_texts", "min_chars"),
    "execution": ("caps", "score_ahead_percent", "unspent_percent", "reason_below_percent"),
    "completeness": ("require_project", "require_goal", "require_authority_review", "quantitative_numeric",
                     "max_rate_words", "text_limits"),
}


def merged(defaults: dict, override, fail: Callable[[str, str], None]) -> dict:
    """``defaults`` with the template's ``review:`` block laid over it, key by key."""
    if override is None:
        override = {}
    if not isinstance(override, dict):
        fail("review 应是一组设置", "review")
    out = {}
    for setting in set(defaults) | set(override):
        if setting not in _SCHEMA:
            fail(f"未知的复核设置“{setting}”，可用：{'、'.join(_SCHEMA)}", "review")
        base, mine = defaults.get(setting) or {}, override.get(setting) or {}
        if not isinstance(base, dict) or not isinstance(mine, dict):
            fail("应是一组设置", f"review.{setting}")
        for key in set(base) | set(mine):
            if key not in _SCHEMA[setting]:
                fail(f"未知的设置“{key}”，可用：{'、'.join(_SCHEMA[setting])}", f"review.{setting}")
        out[setting] = {**base, **mine}
    return out


def parse(raw: dict, fail: Callable[[str, str], None]) -> ReviewRules:
    """Validated rules from the merged settings (``merged``); ``fail(message, where)`` raises."""
    def words(value, where) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(w, (str, int)) and str(w).strip() for w in value):
            fail("应是一串文字", where)
        return tuple(str(w).strip() for w in value)

    def number(value, where, optional=True) -> Optional[Decimal]:
        if value is None and optional:
            return None
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            d = Decimal(-1)
        if isinstance(value, bool) or not d.is_finite() or d < 0:
            fail(f"“{value}”应是不小于 0 的数字", where)
        return d

    def flag(value, where) -> bool:
        if not isinstance(value, bool):
            fail("应为 true 或 false", where)
        return value

    u, d, e, c = (raw.get(k, {}) for k in ("units", "deviation", "execution", "completeness"))
    kinds = u.get("unit_kinds", {})
    if not isinstance(kinds, dict) or any(k not in KINDS for k in kinds):
        fail(f"unit_kinds 的类别只能是：{'、'.join(KINDS)}", "review.units")
    name_kinds = []
    for i, entry in enumerate(u.get("name_kinds", [])):
        where = f"review.units.name_kinds[{i}]"
        if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
            fail(f"应写成 {{words: [...], kind: {'/'.join(KINDS)}}}", where)
        name_kinds.append((words(entry.get("words"), where), entry["kind"]))
    caps = []
    for i, cap in enumerate(e.get("caps", [])):
        where = f"review.execution.caps[{i}]"
        if not isinstance(cap, dict) or set(cap) != {"below", "max_total"}:
            fail("应写成 {below: 执行率, max_total: 总分上限}", where)
        caps.append(Cap(number(cap["below"], where, False), number(cap["max_total"], where, False)))
    limits = c.get("text_limits", {})
    if not isinstance(limits, dict) or any(k not in TEXT_FIELDS for k in limits) or any(
            isinstance(v, bool) or not isinstance(v, int) or v <= 0 for v in limits.values()):
        fail(f"text_limits 应写成 {{文字栏: 字数}}，文字栏可用：{'、'.join(TEXT_FIELDS)}", "review.completeness")
    min_chars = d.get("min_chars", 0)
    if isinstance(min_chars, bool) or not isinstance(min_chars, int) or min_chars < 0:
        fail("min_chars 应是不小于 0 的整数", "review.deviation")
    return ReviewRules(
        units=flag(u.get("enabled", True), "review.units.enabled"),
        convertible=tuple(words(g, "review.units.convertible") for g in u.get("convertible", [])),
        unit_kinds=tuple((k, words(v, f"review.units.unit_kinds.{k}")) for k, v in kinds.items()),
        name_kinds=tuple(name_kinds),
        deviation=flag(d.get("enabled", True), "review.deviation.enabled"),
        over_target_percent=number(d.get("over_target_percent"), "review.deviation.over_target_percent"),
        empty_texts=words(d.get("empty_texts", []), "review.deviation.empty_texts") if d.get("empty_texts") else (),
        min_chars=min_chars,
        caps=tuple(sorted(caps, key=lambda cap: cap.below)),
        score_ahead_percent=number(e.get("score_ahead_percent"), "review.execution.score_ahead_percent"),
        unspent_percent=number(e.get("unspent_percent"), "review.execution.unspent_percent"),
        reason_below_percent=number(e.get("reason_below_percent"), "review.execution.reason_below_percent"),
        require_project=flag(c.get("require_project", True), "review.completeness.require_project"),
        require_goal=flag(c.get("require_goal", True), "review.completeness.require_goal"),
        require_authority_review=flag(c.get("require_authority_review", True),
                                      "review.completeness.require_authority_review"),
        quantitative_numeric=flag(c.get("quantitative_numeric", True), "review.completeness.quantitative_numeric"),
        max_rate_words=words(c.get("max_rate_words", []), "review.completeness.max_rate_words")
        if c.get("max_rate_words") else (),
        text_limits=tuple(limits.items()),
    )
