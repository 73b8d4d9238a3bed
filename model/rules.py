"""The rule kinds of PRODUCT.md, one small class each, found by name.

A rule is data: ``{"kind": "threshold", "op": ">=", "target": 95, "unit": "%"}``
in a template file.  Each kind can

- ``check(params, weight)``: list the template errors in its parameters;
- ``score(params, weight, facts)``: the score and a Chinese explanation, or
  None when the facts it needs are missing;
- ``achievable(params, weight, score)``: whether any facts could give that
  score (to flag overrides the rule can never produce);
- ``discrete``: True when the facts fix one exact score, so an override that
  differs from it contradicts the rule rather than refining a judgement.

Percentages are numbers in percent (95.5 means 95.5 %).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import Optional

from .money import format_decimal, round2

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
OPS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "="}


@dataclass
class Facts:
    """What a rule reads; filled from the answer and derived metrics."""
    name: str = ""  # indicator name, for explanations
    value: Optional[Decimal] = None
    items: list[bool] = field(default_factory=list)
    choice: Optional[int] = None
    judged_score: Optional[Decimal] = None
    target: Optional[Decimal] = None  # project rows carry their own target
    op: str = ""  # project rows carry their own comparator
    shown_value: str = ""  # value and target as written on the form, for explanations
    shown_target: str = ""


@dataclass
class Outcome:
    score: Decimal
    explanation: str


def dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def fmt_value(value: Decimal, unit: str = "") -> str:
    """A fact as written in explanations: exact up to 3 decimals, else 2 dp."""
    v = value.normalize()
    if unit == "%" or -v.as_tuple().exponent > 3:
        v = round2(value).normalize()
    text = f"{v:f}"
    return f"{text}{unit}" if unit in ("%", "") else f"{text} {unit}"


def pts(value: Decimal) -> str:
    """Points as the forms print them: 1.73, 3, 1.5."""
    text = format_decimal(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def compare(value: Decimal, op: str, target: Decimal) -> bool:
    return {
        ">=": value >= target, "<=": value <= target, ">": value > target,
        "<": value < target, "=": value == target,
    }[op]


def _is_number(v) -> bool:
    try:
        dec(v)
        return not isinstance(v, bool)
    except Exception:
        return False


class Kind:
    name = ""
    label = ""
    needs = "value"  # value / items / choice / judged
    discrete = True

    def check(self, p: dict, w: Decimal) -> list[str]:
        return []

    def score(self, p: dict, w: Decimal, f: Facts) -> Optional[Outcome]:
        raise NotImplementedError

    def achievable(self, p: dict, w: Decimal, s: Decimal) -> bool:
        return ZERO <= s <= w


class Rate(Kind):
    """score = min(rate, 100 %) × weight (预算执行率 17.26 % → 1.73 of 10)."""
    name, label, discrete = "rate", "比率 × 分值", False

    def score(self, p, w, f):
        if f.value is None:
            return None
        rate = max(min(f.value, HUNDRED), ZERO)
        s = round2(rate / HUNDRED * w)
        capped = "（超过100%按100%计）" if f.value > HUNDRED else ""
        return Outcome(s, f"{f.name} {fmt_value(f.value, '%')}{capped}，得分 = {fmt_value(rate, '%')} × {pts(w)} = {pts(s)}")


class Threshold(Kind):
    """Full when value op target, else 0 (预算调整率 ≤ 20 % full)."""
    name, label = "threshold", "达标得满分，否则不得分"

    def check(self, p, w):
        errs = []
        if p.get("op") not in OPS:
            errs.append(f"比较符“{p.get('op')}”无效，应为 {' '.join(OPS)} 之一")
        if not _is_number(p.get("target")):
            errs.append("缺少数值型的 target（达标值）")
        return errs

    def score(self, p, w, f):
        if f.value is None:
            return None
        op, target, unit = p["op"], dec(p["target"]), p.get("unit", "")
        cond = f"{OPS[op]}{fmt_value(target, unit)}"
        if compare(f.value, op, target):
            return Outcome(w, f"{f.name} {fmt_value(f.value, unit)}，达到 {cond}，得满分 {pts(w)} 分")
        return Outcome(ZERO, f"{f.name} {fmt_value(f.value, unit)}，未达到 {cond}，得 0 分")

    def achievable(self, p, w, s):
        return s in (ZERO, w)


def _band_score(band: dict, w: Decimal) -> Decimal:
    return w if band.get("score") == "full" else dec(band.get("score", 0))


class Bands(Kind):
    """A table of ranges: first band whose min (≥) / max (≤) matches wins."""
    name, label = "bands", "分档计分"

    def check(self, p, w):
        bands = p.get("bands")
        if not isinstance(bands, list) or not bands:
            return ["缺少 bands（分档表）"]
        errs = []
        for i, b in enumerate(bands, 1):
            if not isinstance(b, dict):
                errs.append(f"第 {i} 档格式不对")
                continue
            s = b.get("score")
            if s != "full" and not _is_number(s):
                errs.append(f"第 {i} 档缺少分数 score")
            elif s != "full" and not ZERO <= dec(s) <= w:
                errs.append(f"第 {i} 档分数 {s} 超出 0–{pts(w)}")
            for key in ("min", "max"):
                if key in b and not _is_number(b[key]):
                    errs.append(f"第 {i} 档的 {key} 不是数字")
        last = bands[-1]
        if isinstance(last, dict) and ("min" in last or "max" in last):
            errs.append("最后一档必须不设 min/max，以覆盖其余所有取值")
        return errs

    def _match(self, p, value):
        for b in p["bands"]:
            if "min" in b and value < dec(b["min"]):
                continue
            if "max" in b and value > dec(b["max"]):
                continue
            return b
        return p["bands"][-1]

    @staticmethod
    def describe(b: dict, unit: str) -> str:
        parts = []
        if "min" in b:
            parts.append(f"≥{fmt_value(dec(b['min']), unit)}")
        if "max" in b:
            parts.append(f"≤{fmt_value(dec(b['max']), unit)}")
        return "、".join(parts) or "其他"

    def score(self, p, w, f):
        if f.value is None:
            return None
        b, unit = self._match(p, f.value), p.get("unit", "")
        s = _band_score(b, w)
        return Outcome(s, f"{f.name} {fmt_value(f.value, unit)}，属于“{self.describe(b, unit)}”档，得 {pts(s)} 分")

    def achievable(self, p, w, s):
        return any(_band_score(b, w) == s for b in p["bands"])


class Proportional(Kind):
    """Positive: min(B/A, 1) × w; reverse (≤ target): min(A/B, 1) × w."""
    name, label, discrete = "proportional", "按完成比例计分", False

    def check(self, p, w):
        errs = []
        if p.get("direction", "positive") not in ("positive", "reverse"):
            errs.append("direction 应为 positive（正向）或 reverse（反向）")
        if "target" in p and not _is_number(p["target"]):
            errs.append("target（目标值）不是数字")
        return errs

    def score(self, p, w, f):
        target = f.target if f.target is not None else (dec(p["target"]) if "target" in p else None)
        if f.value is None or target is None:
            return None
        unit = p.get("unit", "")
        reverse = f.op in ("<=", "<") if f.op else p.get("direction") == "reverse"
        b, a = f.value, target
        shown_b = f.shown_value or fmt_value(b, unit)
        shown_a = f.shown_target or f"{'≤' if reverse else '≥'}{fmt_value(a, unit)}"
        shown = f"实际 {shown_b}，目标 {shown_a}"
        if (b <= a) if reverse else (b >= a):
            return Outcome(w, f"{f.name}：{shown}，已完成，得满分 {pts(w)} 分")
        num, den = (a, b) if reverse else (b, a)
        ratio = max(min(num / den, ONE), ZERO) if den > 0 else ZERO
        s = round2(ratio * w)
        return Outcome(s, f"{f.name}：{shown}，未完成，得分 = {fmt_value(num)} / {fmt_value(den)} × {pts(w)} = {pts(s)}")


class PerItem(Kind):
    """n items × points each, capped (每项 1.5 分，最高 3 分)."""
    name, label = "per_item", "按项计分，封顶"

    def check(self, p, w):
        if not _is_number(p.get("points")) or dec(p["points"]) <= 0:
            return ["缺少每项分数 points（须大于 0）"]
        if "cap" in p and (not _is_number(p["cap"]) or dec(p["cap"]) > w):
            return [f"封顶分 cap 不能超过分值 {pts(w)}"]
        return []

    def _cap(self, p, w):
        return dec(p["cap"]) if "cap" in p else w

    def score(self, p, w, f):
        if f.value is None:
            return None
        n, each, cap = f.value, dec(p["points"]), self._cap(p, w)
        s = round2(min(max(n, ZERO) * each, cap))
        return Outcome(s, f"{f.name} {pts(n)} 项 × {pts(each)} 分 = {pts(n * each)} 分，最高 {pts(cap)} 分，得 {pts(s)} 分")

    def achievable(self, p, w, s):
        each, cap = dec(p["points"]), self._cap(p, w)
        return s == cap or (ZERO <= s < cap and (s / each) == (s / each).to_integral_value())


class Checklist(Kind):
    """Share of the weight per requirement met (①② 各占 1/2 权重分)."""
    name, label, needs = "checklist", "逐项满足得分", "items"

    def check(self, p, w):
        items = p.get("items")
        if not isinstance(items, list) or not items:
            return ["缺少 items（要求清单）"]
        if "points" in p:
            pts_ = p["points"]
            if not isinstance(pts_, list) or len(pts_) != len(items) or not all(_is_number(x) for x in pts_):
                return ["points 应为与 items 等长的分数列表"]
            if sum(dec(x) for x in pts_) != w:
                return [f"各项分数之和 {pts(sum(dec(x) for x in pts_))} 不等于分值 {pts(w)}"]
        return []

    def item_points(self, p, w) -> list[Decimal]:
        if "points" in p:
            return [dec(x) for x in p["points"]]
        n = len(p["items"])
        return [w / n] * n

    def score(self, p, w, f):
        items = p["items"]
        if len(f.items) != len(items):
            return None
        each = self.item_points(p, w)
        got = [i for i, ok in enumerate(f.items) if ok]
        s = round2(sum((each[i] for i in got), ZERO))
        marks = "、".join(_circled(i) for i in got) or "无"
        return Outcome(s, f"{len(items)} 项要求中满足 {len(got)} 项（{marks}），得 {pts(s)} 分")

    def achievable(self, p, w, s):
        each = self.item_points(p, w)
        sums = {round2(sum(c, ZERO)) for r in range(len(each) + 1) for c in combinations(each, r)}
        return s in sums


def _circled(i: int) -> str:
    return chr(0x2460 + i) if i < 20 else f"({i + 1})"


class Levels(Kind):
    """The clerk picks one described level (有机制且有措施 2 分；有其一 1 分；无 0)."""
    name, label, needs = "levels", "按情形选档", "choice"

    def check(self, p, w):
        levels = p.get("levels")
        if not isinstance(levels, list) or not levels:
            return ["缺少 levels（情形列表）"]
        errs = []
        for i, lv in enumerate(levels, 1):
            if not isinstance(lv, dict) or "label" not in lv:
                errs.append(f"第 {i} 个情形缺少 label")
            elif lv.get("score") != "full" and not (_is_number(lv.get("score")) and ZERO <= dec(lv["score"]) <= w):
                errs.append(f"第 {i} 个情形的分数应在 0–{pts(w)}")
        return errs

    def score(self, p, w, f):
        levels = p["levels"]
        if f.choice is None or not 0 <= f.choice < len(levels):
            return None
        lv = levels[f.choice]
        s = _band_score(lv, w)
        return Outcome(s, f"情形为“{lv['label']}”，得 {pts(s)} 分")

    def achievable(self, p, w, s):
        return any(_band_score(lv, w) == s for lv in p["levels"])


class Qualitative(Kind):
    """Three bands of the weight (达成 100–80 %, 部分达成 80–50 %, 未达成 50–0 %);
    the judged score must lie inside the chosen band, default its top."""
    name, label, needs, discrete = "qualitative", "定性分档评判", "choice", False

    def check(self, p, w):
        bands = p.get("bands")
        if not isinstance(bands, list) or not bands:
            return ["缺少 bands（定性档次）"]
        errs = []
        for i, b in enumerate(bands, 1):
            if not isinstance(b, dict) or not (_is_number(b.get("low")) and _is_number(b.get("high"))):
                errs.append(f"第 {i} 档缺少 low/high（占分值的百分比）")
            elif not ZERO <= dec(b["low"]) <= dec(b["high"]) <= HUNDRED:
                errs.append(f"第 {i} 档的区间应在 0–100% 之间且 low ≤ high")
        return errs

    @staticmethod
    def band_range(b: dict, w: Decimal) -> tuple[Decimal, Decimal]:
        return round2(dec(b["low"]) / HUNDRED * w), round2(dec(b["high"]) / HUNDRED * w)

    def score(self, p, w, f):
        bands = p["bands"]
        if f.choice is None or not 0 <= f.choice < len(bands):
            return None
        b = bands[f.choice]
        lo, hi = self.band_range(b, w)
        s = hi if f.judged_score is None else round2(f.judged_score)
        note = "" if lo <= s <= hi else "（不在该档区间内）"
        return Outcome(s, f"定性评判为“{b['label']}”（{pts(lo)}–{pts(hi)} 分），得 {pts(s)} 分{note}")


class Deduction(Kind):
    """Full up to a threshold, then points off per step beyond it, never below 0.

    ``op: "<="`` scores full while value ≤ threshold and deducts per ``step`` percentage points over
    it (在职人员控制率 ≤100 % full, −0.5 per point over); ``op: ">="`` scores full while value ≥
    threshold and deducts per step short of it (预算完成率 100 % full, −2 per 5 % short).  Each step
    costs ``points`` points, or ``share`` % of the weight (三公变动率: −10 % of the weight per point).
    ``partial`` says how a part step counts: ``up`` (不足一个按一个计, the default: the forms'
    usual wording), ``down`` (only whole steps) or ``exact`` (in proportion).
    """
    name, label = "deduction", "超出/低于标准按幅度扣分，扣完为止"
    PARTIAL = ("up", "down", "exact")

    def check(self, p, w):
        errs = []
        if p.get("op") not in ("<=", ">="):
            errs.append(f"比较符 op“{p.get('op')}”无效，应为 <=（不超过标准得满分）或 >=（不低于标准得满分）")
        if not _is_number(p.get("threshold")):
            errs.append("缺少数值型的 threshold（得满分的标准值）")
        if "step" in p and (not _is_number(p["step"]) or dec(p["step"]) <= 0):
            errs.append("每档幅度 step 应是大于 0 的数字（如 1 表示每 1 个百分点，5 表示每 5%）")
        has_points, has_share = "points" in p, "share" in p
        if has_points == has_share:
            errs.append("扣分应写 points（每档扣几分）或 share（每档扣分值的百分之几）二者之一")
        elif has_points and (not _is_number(p["points"]) or not ZERO < dec(p["points"]) <= w):
            errs.append(f"每档扣分 points 应在 0–{pts(w)} 之间且大于 0")
        elif has_share and (not _is_number(p["share"]) or not ZERO < dec(p["share"]) <= HUNDRED):
            errs.append("每档扣分比例 share 应在 0–100（%）之间且大于 0")
        if p.get("partial", "up") not in self.PARTIAL:
            errs.append("partial 应为 up（不足一档按一档计）、down（不足一档不扣）或 exact（按比例扣）")
        return errs

    @staticmethod
    def per_step(p, w) -> Decimal:
        return dec(p["points"]) if "points" in p else dec(p["share"]) / HUNDRED * w

    def score(self, p, w, f):
        if f.value is None:
            return None
        op, limit, unit = p["op"], dec(p["threshold"]), p.get("unit", "")
        step, per = dec(p.get("step", 1)), self.per_step(p, w)
        cond = f"{OPS[op]}{fmt_value(limit, unit)}"
        gap = f.value - limit if op == "<=" else limit - f.value
        shown = f"{f.name} {fmt_value(f.value, unit)}"
        if gap <= 0:
            return Outcome(w, f"{shown}，达到 {cond}，得满分 {pts(w)} 分")
        partial = p.get("partial", "up")
        steps = gap / step
        if partial == "up":
            steps = steps.to_integral_value(rounding="ROUND_CEILING")
        elif partial == "down":
            steps = steps.to_integral_value(rounding="ROUND_FLOOR")
        s = round2(max(w - steps * per, ZERO))
        side = "超出" if op == "<=" else "低于"
        each = "个百分点" if unit == "%" else unit
        how = {"up": f"不足{fmt_value(step)}{each}按{fmt_value(step)}{each}计", "down": f"不足{fmt_value(step)}{each}不扣",
               "exact": "按比例计"}[partial]
        off = round2(steps * per)
        return Outcome(s, f"{shown}，{side}标准 {cond} {fmt_value(gap)}{each}，每{fmt_value(step)}{each}扣 {pts(round2(per))} 分"
                          f"（{how}），扣 {pts(off)} 分，得 {pts(s)} 分" + ("（扣完为止）" if off >= w else ""))

    def achievable(self, p, w, s):
        if not ZERO <= s <= w:
            return False
        if p.get("partial", "up") == "exact" or s in (ZERO, w):
            return True
        steps = (w - s) / self.per_step(p, w)
        return steps == steps.to_integral_value()


KINDS: dict[str, Kind] = {k.name: k for k in (
    Rate(), Threshold(), Bands(), Proportional(), PerItem(), Checklist(), Levels(), Qualitative(), Deduction()
)}


def get(kind: str) -> Kind:
    return KINDS[kind]
