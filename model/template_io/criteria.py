"""评分标准 as bureaus write it ↔ the rule kinds of ``model.rules``.

``recognise(text, weight)`` reads the common wordings — “≥95%，得满分；否则不得分”, “每低/高于 1 个百分点扣
0.5 分”, “得分=竣工率×指标分值”, “每制定一项…得1分，最高得3分”, “①②各占1/2权重分”, “有…得满分，无…不得分”,
分档 “≥90% 得满分；75%≤…＜90% 得3分…”, the 定性三档 — into a rule kind with its parameters.  What it cannot
read becomes the 定性三档 rule with ``recognised=False`` and a note for the clerk to check.

``describe(kind, params, name)`` writes the 评分标准 of a rule in words that ``recognise`` reads back
to the same kind and parameters (a template exported to Excel and imported again is the same
template).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..rules import KINDS

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
QUALITATIVE_DEFAULT = [  # the 定性三档 of seed 002 and the Hunan forms
    {"label": "达成预期指标", "low": 80, "high": 100},
    {"label": "部分达成预期指标并具有一定效果", "low": 50, "high": 80},
    {"label": "未达成预期指标且效果较差", "low": 0, "high": 50},
]

_N = r"(\d+(?:\.\d+)?)"
_UNITS = ("个百分点", "%", "平方米", "公里", "千米", "人次", "万元", "米", "亩", "个", "人", "户", "项", "次", "天",
          "元", "家", "所", "座", "台", "套", "件", "篇", "场", "期", "村", "份", "吨", "批", "起", "例", "处")
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
# digits, signs and comparators only: labels keep their full-width punctuation (（）、，；)
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": ".", "＜": "<",
                            "＞": ">", "＝": "=", "≦": "≤", "≧": "≥", "－": "-", "−": "-", "～": "~", "﹪": "%"})
_TIMES = "[×xX*＊]"
_INCL = "[(（]含[)）]"


@dataclass(frozen=True)
class Criterion:
    kind: str
    params: dict = field(default_factory=dict)
    recognised: bool = True
    note: str = ""  # what the clerk should check
    not_applicable: str = ""  # "full": 不涉及的得满分 (the indicator's not_applicable)


def number(value) -> int | float:
    """A parameter as YAML writes it: 3, 0.5, 21.754."""
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(str(d.normalize()))


def _clean(text: str) -> str:
    text = re.sub(r"\s+", "", text or "").translate(_FULLWIDTH)
    return text.replace(">=", "≥").replace("<=", "≤")


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[；;。]|[，,](?=否则)", text) if c.strip("，,")]


# ------------------------------------------------------------------ one clause: condition and score

_SCORE = re.compile(rf"[，,：:]?(得满分(?:{_N}分)?|(?:得|计|给){_N}分|不得分|(?:得|计)0分)$")


def _score(clause: str):
    """(condition, score) of “condition，得3分” — score "full", a number, or None when none is written."""
    m = _SCORE.search(clause)
    if not m:
        return clause, None
    cond = clause[:m.start()]
    cond = re.sub(r"(的|者|时)$", "", cond)
    if m.group(1).startswith("得满分"):
        return cond, "full"
    return cond, 0 if m.group(3) is None else number(m.group(3))


_OP_WORDS = [("不低于", "≥"), ("不少于", "≥"), ("达到", "≥"), ("大于等于", "≥"), ("不高于", "≤"), ("不超过", "≤"),
             ("小于等于", "≤"), ("低于", "<"), ("不足", "<"), ("小于", "<"), ("少于", "<"), ("高于", ">"),
             ("超过", ">"), ("大于", ">"), ("等于", "=")]


def _bounds(cond: str):
    """The numeric condition of a clause: {"min": a} / {"max": b} / both, "below"/"above" for the
    catch-all ends (低于 60%、超过 30%), with the unit written; None when it has no number."""
    c = cond
    for word, sym in _OP_WORDS:
        c = c.replace(word, sym)
    c = re.sub(r"(为|是)(?=[\d])", "=", c)
    nums = list(re.finditer(rf"{_N}({_UNIT_RE})?", c))
    if not nums or any(w in cond for w in ("每", "×", "/", "÷")):
        return None
    unit = next((m.group(2) for m in nums if m.group(2)), "")
    unit = "%" if unit == "个百分点" else unit
    if len(nums) == 2:  # 75%≤X＜90%  /  80%(含)至90%  /  ≥a且≤b
        a, b = sorted((Decimal(nums[0].group(1)), Decimal(nums[1].group(1))))
        return {"min": number(a), "max": number(b)}, unit
    m = nums[0]
    before, after = c[:m.start()], c[m.end():]
    if before.endswith("≥") or re.match(f"^({_INCL})?(及|或)?以上", after):
        return {"min": number(m.group(1))}, unit
    if before.endswith("≤") or re.match(f"^({_INCL})?(及|或)?(以下|以内)", after):
        if re.match(r"^以下", after):
            return {"below": number(m.group(1))}, unit
        return {"max": number(m.group(1))}, unit
    if before.endswith("<"):
        return {"below": number(m.group(1))}, unit
    if before.endswith(">"):
        return {"above": number(m.group(1))}, unit
    if before.endswith("="):
        return {"eq": number(m.group(1))}, unit
    return None


def _unit_for(unit: str, name: str) -> str:
    return unit or ("%" if re.search(r"(率|度)$", name or "") else "")


# ------------------------------------------------------------------ recognisers, most specific first

def _qualitative(t, clauses, w, name, expl):
    """Bands of the weight a judgement falls in: “达成…的，得该指标分值的100%–80%；部分达成…”."""
    bands = []
    for clause in clauses:
        m = re.match(r"^(.*?)(?:的)?[，,]得(?:该指标)?(?:分值|权重分)?的?" + _N + r"%?[–\-~至到—]" + _N + "%?", clause)
        if not m:
            continue
        label = re.split(r"[：:]", m.group(1))[-1]
        low, high = sorted((Decimal(m.group(2)), Decimal(m.group(3))))
        bands.append({"label": label, "low": number(low), "high": number(high)})
    return Criterion("qualitative", {"bands": bands}) if len(bands) >= 2 else None


def _listed_items(text: str, expl: str, n: int) -> list[str]:
    """The requirements ①②… after a colon of the 评分标准, else in the 指标说明, else placeholders."""
    for source in (text.split("：", 1)[1] if "：" in text else "", expl or ""):
        parts = [re.sub(r"[；;。，,\s]+$", "", p).strip() for p in re.split(f"[{CIRCLED}]", source)[1:]]
        if len(parts) == n and all(parts):
            return parts
    return [f"第{CIRCLED[i]}项要求" for i in range(n)]


def _checklist(t, clauses, w, name, expl):
    raw = t
    m = re.match(f"^([{CIRCLED}]+)各占1/(\\d+)(?:的)?权重分", raw)
    if m and len(m.group(1)) == int(m.group(2)):
        n = int(m.group(2))
        return Criterion("checklist", {"items": _listed_items(raw, expl, n)}, note=_placeholder_note(raw, expl, n))
    m = re.search(rf"(?:以下)?(\d+)项(?:要求)?(?:中)?[，,]?每(?:满足|符合|达到|完成)(?:1|一)项(?:要求)?[，,]?得{_N}分", raw)
    if m:
        n, each = int(m.group(1)), Decimal(m.group(2))
        params = {"items": _listed_items(raw, expl, n)}
        if each * n != w:
            return None
        return Criterion("checklist", params, note=_placeholder_note(raw, expl, n))
    if raw.startswith("逐项评分"):
        parsed = [_score(re.sub(f"^[{CIRCLED}]", "", c.split("：", 1)[-1] if i == 0 else c))
                  for i, c in enumerate(clauses)]
        if parsed and all(s not in (None, 0) for _, s in parsed):
            return Criterion("checklist", {"items": [c for c, _ in parsed], "points": [number(s) for _, s in parsed]})
    return None


def _placeholder_note(text, expl, n):
    items = _listed_items(text, expl, n)
    return "各项要求未在评分标准或指标说明中以①②…列出，请补写每项要求" if items[0].startswith("第①项") else ""


def _levels(t, clauses, w, name, expl):
    if not t.startswith("按情形选档"):
        return None
    parsed = [_score(c.split("：", 1)[-1] if i == 0 else c) for i, c in enumerate(clauses)]
    if not parsed or any(s is None for _, s in parsed):
        return None
    return Criterion("levels", {"levels": [{"label": c, "score": s} for c, s in parsed]})


def _per_item(t, clauses, w, name, expl):
    m = re.search(rf"每[^；;]*?(?:一|1)(?:项|个|件|次|处|条|名)[^；;]*?[，,]?(?:得|加|计){_N}分", t)
    if not m or "扣" in t:
        return None
    params = {"points": number(m.group(1))}
    cap = re.search(rf"最高(?:得|不超过|可得)?{_N}分", t)
    if cap:
        params["cap"] = number(cap.group(1))
    return Criterion("per_item", params)


_OVER = ("超过", "超出", "高于", "增加", "上升", "超", "高", "多")
_DEDUCT = re.compile(rf"每({'|'.join(_OVER)}|低于|少于|减少|下降|不足|低|少)(?:一)?{_N}?个?(百分点|%|{_UNIT_RE})?"
                     rf"[^；;]*?扣(?:减)?(?:{_N}分|(?:该指标)?(?:分值|权重分)的{_N}%)")


def _base(t: str):
    """The bound of the first “…≤100%的，得满分” part of a text (its clauses split at commas too)."""
    return next((b for b in (_bounds(_score(seg)[0]) for seg in re.split(r"[；;。，,]", t)) if b), None)


_VIOLATION = re.compile(rf"每(?:发现|出现|有|存在)(?:一|1)(起|次|项|例|处)[^；;]*?扣{_N}分")


def _deduction(t, clauses, w, name, expl):
    """“≤100%得满分，每超过1个百分点扣0.5分（不足1个百分点的按1个百分点计），扣完为止” → deduction;
    “每发现一起违规扣1分，扣完为止” → 1 point off per case (the count is the value)."""
    v = _VIOLATION.search(t)
    if v:
        return Criterion("deduction", {"op": "<=", "threshold": 0, "points": number(v.group(2)),
                                       "unit": v.group(1)})
    m = _DEDUCT.search(t)
    if not m:
        return None
    over = m.group(1) in _OVER
    base = _base(t)
    if base is None:
        return None
    bounds, unit = base
    threshold = bounds.get("max" if over else "min", bounds.get("eq"))
    if threshold is None:
        return None
    params = {"op": "<=" if over else ">=", "threshold": threshold}
    if m.group(2) and Decimal(m.group(2)) != 1:  # 1 (每超过1个百分点) is the kind's default step
        params["step"] = number(m.group(2))
    if m.group(4):
        params["points"] = number(m.group(4))
    else:
        params["share"] = number(m.group(5))
    for phrase, partial in _PARTIAL.items():
        if re.search(phrase, t):
            params["partial"] = partial
    unit = _unit_for(unit, name)
    return Criterion("deduction", {**params, "unit": unit} if unit else params)


_PARTIAL = {r"不足[^；;，,]*?(按|以)[^；;，,]*?计": "up", r"不足[^；;，,]*?不(扣|计)": "down", r"按(实际)?比例扣": "exact"}


def _rate(t, clauses, w, name, expl):
    if re.search(rf"得分=[^；;]*?(率|比例|比率)[^；;/÷]*?{_TIMES}(?:指标)?(?:分值|权重|\d)", t) or \
            (re.search(r"按[^；;]*?(率|比例)(计|得)分", t) and not re.search(r"\d", t.replace("100%", ""))):
        return Criterion("rate", {"unit": "%"})
    return None


def _proportional(t, clauses, w, name, expl):
    m = re.search(rf"得分=[^；;]*?[/÷]({_N}|目标值|指标值|计划数)[^；;]*?{_TIMES}", t)
    r = re.search(rf"得分=({_N}|目标值|指标值)[/÷][^；;]*?{_TIMES}", t)
    if not (m or r):
        return _pro_rata(t, clauses, name)
    params: dict = {"direction": "reverse" if r else "positive"}
    found = r or m
    if found.group(2):
        params["target"] = number(found.group(2))
        base = _base(t)
        unit = _unit_for(base[1], name) if base else ""
        if unit:
            params = {"target": params["target"], "unit": unit, "direction": params["direction"]}
    return Criterion("proportional", params)


def _pro_rata(t, clauses, name):
    """“≥95% 得满分，未达到的按比例得分”: proportional to the written target."""
    if not re.search(r"按(完成)?比例(计|得)分", t):
        return None
    base = _base(t)
    if base is None or not ({"min", "max"} & base[0].keys()) or len(base[0]) != 1:
        return None
    (key, target), = base[0].items()
    params = {"target": target, "direction": "positive" if key == "min" else "reverse"}
    unit = _unit_for(base[1], name)
    return Criterion("proportional", {**params, "unit": unit} if unit else params)


def _numeric(t, clauses, w, name, expl):
    """Thresholds and bands: every clause a numeric condition with a score (the last may be 否则/其他)."""
    parsed = [_score(c) for c in clauses]
    if not parsed or any(s is None for _, s in parsed):
        return None
    rows, unit = [], ""
    for i, (cond, s) in enumerate(parsed):
        b = _bounds(cond)
        if b is None:  # 否则/其余 — or a last 不得分 in words (“高于上年的，不得分”)
            last_zero = i == len(parsed) - 1 and i > 0 and s == 0
            if not re.search(r"^(否则|其余|其他|其它|以外)", cond) and cond and not last_zero:
                return None
            rows.append(({}, s))
        else:
            rows.append((b[0], s))
            unit = unit or b[1]
    unit = _unit_for(unit, name)
    numeric = [b for b, _ in rows if b]
    if not numeric:
        return None
    rest = rows[1:]
    if rows[0][0] and rows[0][1] in ("full", w) and len(rest) <= 1 and all(
            s == 0 and (not b or {"above", "below"} & b.keys()) for b, s in rest):
        b = numeric[0]
        op, target = next(((o, b[k]) for k, o in (("min", ">="), ("max", "<="), ("eq", "="), ("below", "<"),
                                                  ("above", ">")) if k in b), (None, None))
        if op is None:
            return None
        return Criterion("threshold", {"op": op, "target": target, "unit": unit})
    first = numeric[0]
    ascending = "max" in first and "min" not in first or "eq" in first and any(
        "max" in b or "above" in b for b in numeric[1:])
    bands = []
    for i, (b, s) in enumerate(rows):
        last = i == len(rows) - 1
        if not b or (last and ("below" in b or "above" in b)):
            bands.append({"score": s})
            continue
        if "below" in b or "above" in b:
            return None
        band = {}
        if ascending:
            band["max"] = b.get("max", b.get("eq"))
        else:
            band["min"] = b.get("min", b.get("eq"))
        if band.get("max", band.get("min")) is None:
            return None
        bands.append({**band, "score": s})
    edges = [b.get("max", b.get("min")) for b in bands if len(b) > 1]
    if any((x >= y) if ascending else (x <= y) for x, y in zip(edges, edges[1:])):
        return None  # not one scale (两项各 1.5 分 with the same condition): parts, read as a checklist
    if "min" in bands[-1] or "max" in bands[-1]:
        bands.append({"score": 0})
    return Criterion("bands", {"unit": unit, "bands": bands})


def _descriptive(t, clauses, w, name, expl):
    """Conditions in words: 有…得满分/无…不得分 → one requirement; parts adding up to the weight →
    逐项; falling scores → 按情形."""
    parsed = [_score(c) for c in clauses]
    if not parsed or any(s is None for _, s in parsed):
        return None
    parsed = [(re.sub(r"^(否则|其余|其他|其它)$", "", c), s) for c, s in parsed]
    full = lambda s: w if s == "full" else Decimal(str(s))  # noqa: E731
    positive = [(c, s) for c, s in parsed if full(s) > 0]
    zeros = [(c, s) for c, s in parsed if full(s) == 0]
    if len(positive) == 1 and full(positive[0][1]) == w and positive[0][0]:
        return Criterion("checklist", {"items": [positive[0][0]]})
    if len(positive) >= 2 and all(c for c, _ in positive) and sum(full(s) for _, s in positive) == w and \
            all(not c for c, _ in zeros):
        return Criterion("checklist", {"items": [c for c, _ in positive], "points": [number(full(s)) for _, s in positive]})
    if len(parsed) >= 2 and all(c for c, _ in parsed):
        return Criterion("levels", {"levels": [{"label": c, "score": s} for c, s in parsed]})
    return None


_NOT_APPLICABLE = re.compile(r"[；;。]?[^；;。]*?(未涉及|不涉及|无此项|不适用|未发生|没有[^；;。，,]*?的)[^；;。]*?得满分[^；;。]*")
NOT_APPLICABLE_TEXT = "不涉及的，得满分。"

_RECOGNISERS = (_qualitative, _levels, _checklist, _deduction, _per_item, _proportional, _rate, _numeric, _descriptive)


def recognise(text: str, weight, name: str = "", explanation: str = "") -> Criterion:
    """The rule a 评分标准 text states, for an indicator of ``weight`` points named ``name``."""
    w = Decimal(str(weight))
    t = _clean(text)
    na = _NOT_APPLICABLE.search(t)
    if na:  # the rest of the text is the rule
        t = (t[:na.start()] + t[na.end():]).strip("；;。")
    if t:
        clauses = _clauses(t)
        for reader in _RECOGNISERS:
            found = reader(t, clauses, w, _clean(name), explanation)
            if found is not None and not KINDS[found.kind].check(found.params, w):
                return replace(found, not_applicable="full") if na else found
    shown = (text or "").strip()
    why = f"未能识别评分标准“{shown[:40]}{'…' if len(shown) > 40 else ''}”" if shown else "没有评分标准"
    return Criterion("qualitative", {"bands": [dict(b) for b in QUALITATIVE_DEFAULT]}, recognised=False,
                     note=f"{why}，已按定性三档（达成 80%–100%、部分达成 50%–80%、未达成 0–50%）处理，请核对并改成正确的评分规则")


# ------------------------------------------------------------------ describe: the words recognise reads back

_SYM = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


def _plain(value) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def _num(value, unit: str = "") -> str:
    return _plain(value) + unit


def _got(score) -> str:
    return "得满分" if score == "full" else ("不得分" if Decimal(str(score)) == 0 else f"得{_plain(score)}分")


def describe(kind: str, params: dict, name: str = "", not_applicable: str = "") -> str:
    """The 评分标准 of a rule in words; ``recognise`` reads it back to the same kind and parameters."""
    text = _describe(kind, params, name)
    return f"{text}{NOT_APPLICABLE_TEXT}" if not_applicable == "full" else text


def _describe(kind: str, params: dict, name: str) -> str:
    unit = params.get("unit", "")
    if kind == "threshold":
        return f"{name}{_SYM[params['op']]}{_num(params['target'], unit)}的，得满分；否则不得分。"
    if kind == "rate":
        return "得分=完成率×指标分值（超过100%的按100%计）。"
    if kind == "proportional":
        reverse = params.get("direction") == "reverse"
        if "target" not in params:
            return "得分=目标值/实际完成值×指标分值。" if reverse else "得分=实际完成值/目标值×指标分值。"
        t = _num(params["target"], unit)
        target = _plain(params["target"])
        if reverse:
            return f"{name}≤{t}的，得满分；否则得分={target}/实际完成值×指标分值。"
        return f"{name}≥{t}的，得满分；否则得分=实际完成值/{target}×指标分值。"
    if kind == "per_item":
        cap = f"，最高得{_plain(params['cap'])}分" if "cap" in params else ""
        return f"每完成一项，得{_plain(params['points'])}分{cap}。"
    if kind == "checklist":
        items = params["items"]
        if "points" in params:
            return "逐项评分：" + "；".join(f"{CIRCLED[i]}{it}，{_got(p)}" for i, (it, p) in
                                         enumerate(zip(items, params["points"]))) + "。"
        if len(items) == 1 and not re.search(r"\d", items[0]):
            return f"{items[0]}，得满分；否则不得分。"
        marks = CIRCLED[:len(items)]
        listed = "；".join(f"{CIRCLED[i]}{it}" for i, it in enumerate(items))
        return f"{marks}各占1/{len(items)}权重分，满足该项要求得该项权重分，否则不得分：{listed}。"
    if kind == "levels":
        return "按情形选档：" + "；".join(f"{lv['label']}，{_got(lv['score'])}" for lv in params["levels"]) + "。"
    if kind == "bands":
        parts = []
        for i, b in enumerate(params["bands"]):
            cond = "且".join(f"{s}{_num(b[k], unit)}" for k, s in (("min", "≥"), ("max", "≤")) if k in b) or "其余"
            parts.append(f"{name if i == 0 else ''}{cond}的，{_got(b['score'])}")
        return "；".join(parts) + "。"
    if kind == "deduction":
        over = params["op"] == "<="
        step, each = _plain(params.get("step", 1)), "个百分点" if unit == "%" else unit
        off = f"{_plain(params['points'])}分" if "points" in params else f"该指标分值的{_plain(params['share'])}%"
        how = {"up": f"（不足{step}{each}的按{step}{each}计）", "down": f"（不足{step}{each}的不扣分）",
               "exact": "（按比例扣分）"}.get(params.get("partial"), "")
        return (f"{name}{'≤' if over else '≥'}{_num(params['threshold'], unit)}的，得满分；"
                f"每{'超过' if over else '低于'}{step}{each}扣{off}{how}，扣完为止。")
    if kind == "qualitative":
        return "定性评判：" + "；".join(f"{b['label']}，得分值的{_plain(b['low'])}%–{_plain(b['high'])}%"
                                    for b in params["bands"]) + "。"
    return ""
