"""Templates: indicator trees, weights, rules and grade bands, loaded from data.

One YAML file per template in ``resources/templates/`` (format in README
“模板文件”).  Loading validates everything a clerk would otherwise discover
as a wrong score: unknown rule kinds, weights that do not add up to the parent
or to 100, grade bands that do not cover 0–100, unknown metrics.  A broken
file raises TemplateError naming the file and the indicator, in Chinese.

Limits, checked before the work: a file over ``MAX_TEMPLATE_BYTES`` is refused
unread; the YAML is first read as parser events (libyaml keeps its own stack,
so nothing recurses) and refused when it nests deeper than
``MAX_TEMPLATE_DEPTH``, when aliases (``*a``) would expand it past
``MAX_TEMPLATE_NODES`` nodes (a “billion laughs” file of 28 KB expands past
1 GB), or when an alias points into itself — only then is it composed and
constructed, with the safe loader (no ``!!python`` tags).

A clerk's own template that cannot be used (any of the above, a syntax error,
invalid content, a duplicate id, a missing project template) is skipped by
``available()`` with a warning naming its full path (``load_warnings()``), so
the window and every command still work; a bad bundled template is our bug and
still raises.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

from . import metrics, review_rules, rules
from .money import MoneyError, check_number
from .paths import resources_dir, templates_dir, user_data_dir, user_templates_dir
from .review_rules import ReviewRules
from .rules import pts

MAX_TEMPLATE_BYTES = 2 * 2**20  # the bundled templates are 4–33 KB
MAX_TEMPLATE_NODES = 100_000  # after expanding aliases; the bundled ones have about 1,000
MAX_TEMPLATE_DEPTH = 64  # nesting levels; the bundled ones have 8

SECTIONS = {
    "basic_info": "基本信息",
    "finance": "收支情况",
    "projects": "项目支出",
    "dept_indicators": "部门整体绩效指标",
    "narrative": "文字说明",
    "team_opinion": "评价人员与意见",
    "review": "评分与复核",
    "export": "导出",
}


FORMS = {
    "dept_self_eval": "部门整体支出绩效自评表",
    "indicator_scores": "评价指标体系及得分",
    "score_summary": "得分情况表",
    "project_self_eval": "项目支出绩效自评表",
    "base_data": "基础数据",
    "adjustments": "评分说明",
}
# 项目资金 rows of the project form: key → label
FUNDS_ROWS = {"total": "年度资金总额", "current": "其中：当年财政拨款", "carryover": "上年结转资金", "other": "其他资金"}
# columns of the 绩效指标 table of the project form: key → the label the national form prints
INDICATOR_COLUMNS = {
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标",
    "nature": "指标性质",  # ≥ ≤ = of a quantitative row, 定性 for a qualitative one (四川)
    "target": "年度指标值\n（A）", "unit": "度量单位", "actual": "实际完成值\n（B）", "weight": "分值",
    "standard": "评分标准", "score": "得分", "deviation_reason": "未完成原因分析",
}
REQUIRED_COLUMNS = ("level1", "level2", "name", "target", "actual", "weight", "score")
# text blocks of a project (model.report.Project fields) a province's form adds: key → the label it prints
PROJECT_TEXT_FIELDS = {"execution_reason": "执行率偏低原因", "conclusion": "评价结论", "problems": "存在问题",
                       "improvements": "改进措施"}
DEFAULT_COLUMNS = tuple((k, INDICATOR_COLUMNS[k]) for k in (
    "level1", "level2", "name", "target", "actual", "weight", "standard", "score", "deviation_reason"))
DEFAULT_FORMS = {
    "dept": ("dept_self_eval", "indicator_scores", "score_summary", "project_self_eval", "base_data"),
    "project": ("project_self_eval", "base_data"),
}


class TemplateError(Exception):
    """A template file that cannot be used; str() names the file and the indicator."""


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    weight: Decimal
    kind: str
    params: dict
    level1: str
    level2: str
    metric: Optional[str] = None
    unit: str = ""
    explanation: str = ""  # 指标解释
    rule_text: str = ""  # 评分规则, as published
    data_source: str = ""  # 数据来源
    proposed: bool = False  # weight is our proposal, not published
    # when the clerk marks it 不适用 (or its metric is not applicable): "full" 得满分, "drop" not scored and
    # the total rescaled to 100 (the template's rescale_inapplicable), "" cannot be inapplicable
    not_applicable: str = ""
    metric_base: str = ""  # the base the metric is computed on, when the template chose one (metrics.BASES)

    @property
    def rule(self) -> rules.Kind:
        return rules.get(self.kind)


@dataclass(frozen=True)
class Level2:
    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...]
    proposed: bool = False


@dataclass(frozen=True)
class Level1:
    name: str
    weight: Decimal
    children: tuple[Level2, ...]
    proposed: bool = False


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min: Decimal


@dataclass(frozen=True)
class NarrativeSection:
    id: str
    title: str
    hint: str = ""


@dataclass(frozen=True)
class ProjectLevel1:
    id: str
    name: str
    weight: Decimal
    level2: tuple[str, ...]


@dataclass(frozen=True)
class ProjectForm:
    """The 项目支出绩效自评表 settings of a project template."""
    execution_weight: Decimal
    level1: tuple[ProjectLevel1, ...]
    default_comparator: dict  # level2 name → ">=" / "<="
    qualitative: dict  # params of the qualitative rule (bands)
    rule_text: str = ""
    execution_method: str = ""  # 得分计算方法 of the 项目资金 block, as the form prints it
    scoring_standard: str = ""  # 评分标准 printed on each indicator row
    # 项目资金 rows that print 分值 and 得分 (total = 年度资金总额; current = 其中：当年财政拨款;
    # carryover = 上年结转资金; other = 其他资金); the others print “—”
    scored_funds_rows: tuple[str, ...] = ("total",)
    # the 绩效指标 table's columns as the province prints them: (key of INDICATOR_COLUMNS, label)
    columns: tuple[tuple[str, str], ...] = DEFAULT_COLUMNS
    execution_label: str = "项目资金"  # the 项目资金（万元） block's name (四川: 预算执行)
    text_fields: tuple[tuple[str, str], ...] = ()  # (key of PROJECT_TEXT_FIELDS, label) the form shows and prints

    def level1_by_id(self, lid: str) -> Optional[ProjectLevel1]:
        return next((l1 for l1 in self.level1 if l1.id == lid), None)


@dataclass(frozen=True)
class Template:
    id: str
    kind: str  # dept / project
    title: str
    form_title: str
    province: str
    year: Optional[int]
    notice: str
    sections: tuple[str, ...]
    grade_bands: tuple[GradeBand, ...]
    narrative_sections: tuple[NarrativeSection, ...]
    tree: tuple[Level1, ...] = ()
    project_template: Optional[str] = None
    project: Optional[ProjectForm] = None
    forms: tuple[str, ...] = ()  # official tables exported, in order (FORMS)
    path: str = ""
    notes: str = ""
    unit_summary_label: str = "汇总"  # the 汇总 row of the 收支 tables as the form names it
    # indicators marked 不适用 are dropped and the total rescaled to 100 (“不适用的指标不计分，按比例折算”)
    rescale_inapplicable: bool = False
    review: ReviewRules = ReviewRules()  # 复核 settings: the national defaults with the template's own
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def indicators(self) -> list[Indicator]:
        return [i for l1 in self.tree for l2 in l1.children for i in l2.indicators]

    def indicator(self, iid: str) -> Optional[Indicator]:
        return self._index.get(iid)

    def grade(self, score: Decimal) -> str:
        for band in self.grade_bands:
            if score >= band.min:
                return band.grade
        return self.grade_bands[-1].grade


# ---------------------------------------------------------------- loading

class _Ctx:
    def __init__(self, path: Path):
        self.file = path.name

    def fail(self, msg: str, where: str = ""):
        at = f"中“{where}”" if where else ""
        raise TemplateError(f"模板文件“{self.file}”{at}：{msg}。请修正该文件或删除它后重启软件。")

    def dec(self, value, where: str, what: str) -> Decimal:
        if isinstance(value, bool) or value is None:
            self.fail(f"{what}缺失或不是数字", where)
        text = str(value)
        if len(text) > 64:
            self.fail(f"{what}“{text[:20]}…”不是数字", where)
        try:
            d = Decimal(text)
        except InvalidOperation:
            self.fail(f"{what}“{value}”不是数字", where)
        if not d.is_finite() or d < 0:
            self.fail(f"{what}“{value}”必须是不小于 0 的数字", where)
        try:
            return check_number(d, what.strip())
        except MoneyError as e:
            self.fail(str(e), where)

    def text(self, node: dict, key: str, where: str, required: bool = True) -> str:
        value = node.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, (str, int)):
            self.fail(f"{key} 应为文字", where)
        if required and not str(value).strip():
            self.fail(f"缺少 {key}", where)
        return str(value).strip()


def _sum_check(ctx: _Ctx, parent: str, weight: Decimal, children, what: str):
    got = sum((c.weight for c in children), Decimal(0))
    if got != weight:
        ctx.fail(f"下级{what}分值合计 {pts(got)}，与本级分值 {pts(weight)} 不一致", parent)


NOT_APPLICABLE = {"full": "得满分"}  # what an indicator of its own says about 不适用 (else the template's switch)


def _metric(ctx: _Ctx, node: dict, name: str) -> tuple[Optional[str], str]:
    """The metric id an indicator reads, on the base its ``metric_base`` chose."""
    metric, base = node.get("metric"), node.get("metric_base")
    if metric is not None and metric not in metrics.METRICS:
        ctx.fail(f"未知的计算指标 metric“{metric}”，可用：{'、'.join(metrics.METRICS)}", name)
    if base is None:
        return metric, ""
    m = metrics.METRICS.get(metric)
    choices = [b for b in (m.base, *dict(m.bases)) if b] if m else []
    if not choices:
        ctx.fail("metric_base 只能用于可选计算口径的计算指标（如 three_public_change_rate、budget_execution_rate）", name)
    if base not in choices:
        ctx.fail(f"计算口径 metric_base“{base}”无效，{m.name}可用："
                 f"{'、'.join(f'{b}（{metrics.BASES[b]}）' for b in choices)}", name)
    return m.on(base), base


def _indicator(ctx: _Ctx, node, l1: str, l2: str, seen: set, rescale: bool) -> Indicator:
    if not isinstance(node, dict):
        ctx.fail("三级指标应是一组字段", l2)
    name = ctx.text(node, "name", f"{l1}/{l2}")
    iid = ctx.text(node, "id", name)
    if iid in seen:
        ctx.fail(f"指标编号 id“{iid}”重复", name)
    seen.add(iid)
    weight = ctx.dec(node.get("weight"), name, "分值 weight ")
    rule = node.get("rule")
    if not isinstance(rule, dict) or "kind" not in rule:
        ctx.fail("缺少评分规则 rule（须含 kind）", name)
    kind = rule["kind"]
    if kind not in rules.KINDS:
        ctx.fail(f"未知的评分规则类型“{kind}”，可用类型：{'、'.join(rules.KINDS)}", name)
    params = {k: v for k, v in rule.items() if k != "kind"}
    for err in rules.get(kind).check(params, weight):
        ctx.fail(f"评分规则有误：{err}", name)
    metric, base = _metric(ctx, node, name)
    inapplicable = node.get("not_applicable")
    if inapplicable is not None and inapplicable not in NOT_APPLICABLE:
        ctx.fail(f"not_applicable“{inapplicable}”无效，只能写 full（不适用时得满分）；"
                 "不适用即不计分、按比例折算的，在模板顶层写 rescale_inapplicable: true", name)
    return Indicator(
        id=iid, name=name, weight=weight, kind=kind, params=params, level1=l1, level2=l2,
        metric=metric, unit=str(params.get("unit", node.get("unit", "")) or ""),
        explanation=ctx.text(node, "explanation", name, False),
        rule_text=ctx.text(node, "rule_text", name, False),
        data_source=ctx.text(node, "data_source", name, False),
        proposed=bool(node.get("proposed", False)),
        not_applicable=inapplicable or ("drop" if rescale else ""), metric_base=base,
    )


def _tree(ctx: _Ctx, nodes, rescale: bool = False) -> tuple[Level1, ...]:
    if not isinstance(nodes, list) or not nodes:
        ctx.fail("缺少指标体系 indicators")
    seen: set = set()
    out = []
    for n1 in nodes:
        if not isinstance(n1, dict):
            ctx.fail("一级指标应是一组字段")
        name1 = ctx.text(n1, "name", "一级指标")
        w1 = ctx.dec(n1.get("weight"), name1, "分值 weight ")
        level2s = []
        for n2 in n1.get("children") or ctx.fail("缺少二级指标 children", name1):
            if not isinstance(n2, dict):
                ctx.fail("二级指标应是一组字段", name1)
            name2 = ctx.text(n2, "name", name1)
            w2 = ctx.dec(n2.get("weight"), name2, "分值 weight ")
            inds = tuple(_indicator(ctx, n3, name1, name2, seen, rescale)
                         for n3 in (n2.get("children") or ctx.fail("缺少三级指标 children", name2)))
            l2 = Level2(name2, w2, inds, bool(n2.get("proposed", False)))
            _sum_check(ctx, name2, w2, inds, "指标")
            level2s.append(l2)
        l1 = Level1(name1, w1, tuple(level2s), bool(n1.get("proposed", False)))
        _sum_check(ctx, name1, w1, l1.children, "指标")
        out.append(l1)
    total = sum((l1.weight for l1 in out), Decimal(0))
    if total != 100:
        ctx.fail(f"一级指标分值合计 {pts(total)}，应为 100")
    return tuple(out)


def _grade_bands(ctx: _Ctx, raw) -> tuple[GradeBand, ...]:
    if not isinstance(raw, list) or not raw:
        ctx.fail("缺少评价等次 grade_bands")
    bands = []
    for b in raw:
        if not isinstance(b, dict):
            ctx.fail("评价等次应是一组字段", "grade_bands")
        grade = ctx.text(b, "grade", "grade_bands")
        low = ctx.dec(b.get("min"), grade, "等次下限 min ")
        if low > 100:
            ctx.fail(f"等次下限 {pts(low)} 超过 100", grade)
        bands.append(GradeBand(grade, low))
    bands.sort(key=lambda b: b.min, reverse=True)
    if bands[-1].min != 0:
        ctx.fail("评价等次没有覆盖 0–100 分（最低一档的下限应为 0）", "grade_bands")
    if len({b.min for b in bands}) != len(bands):
        ctx.fail("两个评价等次的下限相同", "grade_bands")
    return tuple(bands)


def _project_form(ctx: _Ctx, raw) -> ProjectForm:
    if not isinstance(raw, dict):
        ctx.fail("项目模板缺少 project 设置")
    execution = ctx.dec(raw.get("execution_weight"), "预算执行率", "分值 execution_weight ")
    level1 = []
    for n in raw.get("level1") or ctx.fail("缺少一级指标 level1", "project"):
        if not isinstance(n, dict):
            ctx.fail("一级指标应是一组字段", "project.level1")
        name = ctx.text(n, "name", "project.level1")
        l2 = n.get("level2")
        if not isinstance(l2, list) or not l2 or not all(isinstance(x, str) for x in l2):
            ctx.fail("缺少二级指标名称列表 level2", name)
        level1.append(ProjectLevel1(ctx.text(n, "id", name), name, ctx.dec(n.get("weight"), name, "分值 weight "), tuple(l2)))
    total = execution + sum((l.weight for l in level1), Decimal(0))
    if total != 100:
        ctx.fail(f"预算执行率与各一级指标分值合计 {pts(total)}，应为 100", "project")
    qualitative = raw.get("qualitative")
    if not isinstance(qualitative, dict):
        ctx.fail("缺少定性指标分档 qualitative", "project")
    for err in rules.get("qualitative").check(qualitative, Decimal(100)):
        ctx.fail(f"定性分档有误：{err}", "project.qualitative")
    comparators = raw.get("default_comparator") or {}
    if not isinstance(comparators, dict) or any(v not in (">=", "<=") for v in comparators.values()):
        ctx.fail("default_comparator 的取值应为 >= 或 <=", "project")
    funds_rows = raw.get("scored_funds_rows", ["total"])
    if not isinstance(funds_rows, list) or "total" not in funds_rows or any(r not in FUNDS_ROWS for r in funds_rows):
        ctx.fail(f"scored_funds_rows 应包含 total，只能取：{'、'.join(FUNDS_ROWS)}", "project")
    return ProjectForm(execution, tuple(level1), dict(comparators), dict(qualitative),
                       ctx.text(raw, "rule_text", "project", False),
                       ctx.text(raw, "execution_method", "project", False),
                       ctx.text(raw, "scoring_standard", "project", False), tuple(funds_rows),
                       _columns(ctx, raw.get("columns")),
                       ctx.text(raw, "execution_label", "project", False) or "项目资金",
                       _text_fields(ctx, raw.get("text_fields")))


def _text_fields(ctx: _Ctx, raw) -> tuple[tuple[str, str], ...]:
    """The project's text blocks: a list of keys, or of {key, label} where the province words one its own way."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        ctx.fail("text_fields 应是文字栏列表", "project.text_fields")
    out = []
    for item in raw:
        key, label = (item.get("key"), item.get("label")) if isinstance(item, dict) else (item, None)
        if key not in PROJECT_TEXT_FIELDS:
            ctx.fail(f"未知的文字栏“{key}”，可用：{'、'.join(PROJECT_TEXT_FIELDS)}", "project.text_fields")
        if label is not None and (not isinstance(label, str) or not label.strip()):
            ctx.fail(f"文字栏“{key}”的 label 应为文字", "project.text_fields")
        out.append((key, (label or PROJECT_TEXT_FIELDS[key]).strip()))
    if len({k for k, _ in out}) != len(out):
        ctx.fail("文字栏不能重复", "project.text_fields")
    return tuple(out)


def _columns(ctx: _Ctx, raw) -> tuple[tuple[str, str], ...]:
    """The 绩效指标 columns: a list of keys, or of {key, label} where the province words a column its own way."""
    if raw is None:
        return DEFAULT_COLUMNS
    if not isinstance(raw, list):
        ctx.fail("columns 应是栏目列表", "project.columns")
    out = []
    for c in raw:
        key, label = (c, None) if isinstance(c, str) else (c.get("key"), c.get("label")) if isinstance(c, dict) else (None, None)
        if key not in INDICATOR_COLUMNS:
            ctx.fail(f"未知的栏目“{key}”，可用：{'、'.join(INDICATOR_COLUMNS)}", "project.columns")
        if label is not None and (not isinstance(label, str) or not label.strip()):
            ctx.fail(f"栏目“{key}”的 label 应为文字", "project.columns")
        out.append((key, (label or INDICATOR_COLUMNS[key]).strip()))
    keys = [k for k, _ in out]
    missing = [INDICATOR_COLUMNS[k].split("\n")[0] for k in REQUIRED_COLUMNS if k not in keys]
    if missing or len(set(keys)) != len(keys):
        ctx.fail(f"绩效指标栏目须各出现一次，且包含：{'、'.join(INDICATOR_COLUMNS[k].split(chr(10))[0] for k in REQUIRED_COLUMNS)}"
                 + (f"（缺少{'、'.join(missing)}）" if missing else "（有重复）"), "project.columns")
    if keys[:2] != ["level1", "level2"]:  # merged down the rows of each 一级/二级: the first two columns
        ctx.fail("绩效指标栏目的前两栏应为 level1（一级指标）、level2（二级指标）", "project.columns")
    if len(out) < 8:  # the 项目资金 block above needs as many columns: 年初/全年预算数、执行数、分值、执行率、得分、计算方法
        ctx.fail("绩效指标栏目至少 8 栏（项目资金一栏要用同样多的列）：请加上评分标准或未完成原因分析", "project.columns")
    return tuple(out)


_REVIEW_DEFAULTS: dict[bytes, object] = {}  # the defaults file's text → its parsed settings


def _review(ctx: _Ctx, override, cache: "ParsedCache | None") -> ReviewRules:
    """The template's 复核 rules: ``resources/review/national.yaml`` with its ``review:`` block over it."""
    path = resources_dir() / "review" / "national.yaml"
    try:
        data = path.read_bytes()
    except OSError as e:
        raise TemplateError(f"无法读取复核规则文件“{path.name}”：{e.strerror or e}。请重新安装本软件。") from None
    defaults = _REVIEW_DEFAULTS.get(data)
    if defaults is None:  # once per process (through the parsed cache: no YAML import at start-up)
        defaults = _REVIEW_DEFAULTS[data] = cache.parse(data, path.name) if cache is not None else _parse_yaml(
            data, path.name)
    if not isinstance(defaults, dict):
        _Ctx(path).fail("文件内容不是复核规则")
    fail = lambda msg, where: ctx.fail(msg, where)  # noqa: E731
    return review_rules.parse(review_rules.merged(defaults, override, fail), fail)


class ParsedCache:
    """Parsed template files kept as JSON in the user data folder, keyed by the file's whole text.

    Importing and running the YAML parser is most of the time a start-up spends on templates; a file
    whose bytes were seen before is read back from here instead.  Validation always runs on the data.
    Anything wrong with the cache (missing, damaged, too big, of another version, unwritable) only
    means parsing the YAML again.  Only what passed the limits gets in (an edited file is new text,
    so it is parsed with the limits again); the file carries ``VERSION`` so that entries written
    before the limits existed are never used.
    """
    VERSION = 2  # 2: entries checked against the size/depth/alias limits
    MAX_BYTES = 32 * 2**20

    def __init__(self, path: Path | None = None):
        self.path = path or user_data_dir() / "cache" / "templates.json"
        self.entries: dict[str, object] | None = None
        self.used: set[str] = set()  # texts asked for since loading: the rest are old versions, dropped on save
        self.dirty = False

    def _read(self) -> dict:
        try:
            if self.path.stat().st_size > self.MAX_BYTES:
                return {}
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(loaded, dict) or loaded.get("version") != self.VERSION:
            return {}  # another version's cache (or none): parsed again, and rewritten on save
        entries = loaded.get("entries")
        return entries if isinstance(entries, dict) else {}

    def parse(self, data: bytes, name: str) -> object:
        if len(data) > MAX_TEMPLATE_BYTES:
            raise _too_big(name, len(data))
        if self.entries is None:
            self.entries = self._read()
        # the text itself: an exact match, nothing to collide (text that is not UTF-8 never parses, so never gets in)
        key = data.decode("utf-8", "replace")
        if key in self.entries:
            self.used.add(key)
            return self.entries[key]
        raw = _parse_yaml(data, name)
        try:
            kept = json.loads(json.dumps(raw, ensure_ascii=False))  # a copy: validation never touches it
        except (TypeError, ValueError):
            kept = None
        if kept == raw:  # only what JSON keeps exactly
            self.entries[key] = kept
            self.used.add(key)
            self.dirty = True
        return raw

    def save(self):
        """Write the cache if anything was added, keeping only the texts this load asked for."""
        if self.entries is not None and self.entries.keys() - self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.dirty = True
        if not self.dirty:
            return
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            doc = {"version": self.VERSION, "entries": self.entries}
            tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            if tmp.exists():
                tmp.unlink()


def _too_big(name: str, size: int) -> TemplateError:
    return TemplateError(f"模板文件“{name}”有 {size / 2**20:.1f} MB，超过模板文件的上限 {MAX_TEMPLATE_BYTES // 2**20} MB"
                         "（随软件提供的模板都不到 40 KB），未读取。请检查是否选错了文件。")


def _check_events(text: str, name: str, yaml, loader) -> None:
    """Refuse YAML that nests too deep or whose aliases expand past MAX_TEMPLATE_NODES, before composing it.

    One pass over libyaml's events: each node's size after expanding aliases is known when it ends,
    an alias adds the size of its anchor's node, so a billion-laughs file is refused after a few
    hundred events, in well under a millisecond and with no memory to speak of.
    """
    frames: list[list] = []  # open collections: [expanded size so far, anchor]
    anchors: dict[str, int | None] = {}  # anchor → expanded size; None while its node is still open
    total = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(frames) >= MAX_TEMPLATE_DEPTH:
                raise TemplateError(f"模板文件“{name}”嵌套超过 {MAX_TEMPLATE_DEPTH} 层（模板只需要几层），不是有效的模板。"
                                    "请修正或删除该文件。")
            if event.anchor is not None:
                anchors[event.anchor] = None
            frames.append([1, event.anchor])
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            size, anchor = frames.pop()
        elif isinstance(event, yaml.ScalarEvent):
            size, anchor = 1, event.anchor
        elif isinstance(event, yaml.AliasEvent):
            size, anchor = anchors.get(event.anchor), None
            if size is None:
                raise TemplateError(f"模板文件“{name}”中的引用“*{event.anchor}”指向未定义的锚点，或指向包含它自己的内容"
                                    "（循环引用）。请修正或删除该文件。")
        else:
            continue  # stream and document start/end
        if anchor is not None:
            anchors[anchor] = size
        if frames:
            frames[-1][0] += size
            size = frames[-1][0]
        else:
            total += size
        if max(size, total) > MAX_TEMPLATE_NODES:
            raise TemplateError(
                f"模板文件“{name}”展开引用（&锚点/*引用）后超过 {MAX_TEMPLATE_NODES:,} 项内容（随软件提供的模板约 1,000 项），"
                "可能是恶意构造的文件，未读取。请删除该文件，或改为不用引用的普通写法。")


def _parse_yaml(data: bytes, name: str) -> object:
    import yaml  # only when a template is new to the cache

    if len(data) > MAX_TEMPLATE_BYTES:
        raise _too_big(name, len(data))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when PyYAML has it: 10× faster
    try:
        text = data.decode("utf-8")
        _check_events(text, name, yaml, loader)  # before composing: libyaml's composer recurses in C
        return yaml.load(text, Loader=loader)
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise TemplateError(f"模板文件“{name}”格式错误，无法解析：{str(e).splitlines()[0]}。请修正该文件。") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise TemplateError(f"模板文件“{name}”嵌套过深，不是有效的模板。请修正或删除该文件。") from None


def load_template(path: str | Path, cache: ParsedCache | None = None) -> Template:
    path = Path(path)
    ctx = _Ctx(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:  # refused unread
            raise _too_big(path.name, size)
        data = path.read_bytes()
    except OSError as e:
        raise TemplateError(f"无法读取模板文件“{path.name}”：{e.strerror or e}。") from None
    raw = cache.parse(data, path.name) if cache is not None else _parse_yaml(data, path.name)
    if not isinstance(raw, dict):
        ctx.fail("文件内容不是模板")
    tid = ctx.text(raw, "id", "")
    kind = raw.get("kind")
    if kind not in ("dept", "project"):
        ctx.fail("kind 应为 dept（部门整体）或 project（项目支出）")
    sections = raw.get("sections")
    if not isinstance(sections, list) or not sections:
        ctx.fail("缺少 sections（报告包含的步骤）")
    for s in sections:
        if s not in SECTIONS:
            ctx.fail(f"未知的步骤“{s}”，可用：{'、'.join(SECTIONS)}", "sections")
    narrative = []
    for n in raw.get("narrative_sections") or []:
        if not isinstance(n, dict):
            ctx.fail("文字说明章节应是一组字段", "narrative_sections")
        narrative.append(NarrativeSection(ctx.text(n, "id", "narrative_sections"), ctx.text(n, "title", "narrative_sections"),
                                          ctx.text(n, "hint", "narrative_sections", False)))
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        ctx.fail("year 应为年份数字")
    rescale = raw.get("rescale_inapplicable", False)
    if not isinstance(rescale, bool):
        ctx.fail("rescale_inapplicable 应为 true 或 false", "rescale_inapplicable")
    tree = _tree(ctx, raw.get("indicators"), rescale) if kind == "dept" else ()
    forms = raw.get("forms", list(DEFAULT_FORMS[kind]))
    if not isinstance(forms, list) or any(f not in FORMS for f in forms):
        ctx.fail(f"forms 只能包含：{'、'.join(FORMS)}", "forms")
    tpl = Template(
        id=tid, kind=kind, title=ctx.text(raw, "title", ""), form_title=ctx.text(raw, "form_title", "", False),
        province=ctx.text(raw, "province", "", False), year=year, notice=ctx.text(raw, "notice", "", False),
        sections=tuple(sections), grade_bands=_grade_bands(ctx, raw.get("grade_bands")),
        narrative_sections=tuple(narrative), tree=tree,
        project_template=raw.get("project_template"),
        project=_project_form(ctx, raw.get("project")) if kind == "project" else None,
        forms=tuple(forms), path=str(path), notes=ctx.text(raw, "notes", "", False),
        unit_summary_label=ctx.text(raw, "unit_summary_label", "", False) or "汇总",
        rescale_inapplicable=rescale,
        review=_review(ctx, raw.get("review"), cache),
    )
    tpl._index.update({i.id: i for i in tpl.indicators()})
    return tpl


def load_all(*folders: str | Path, cache: ParsedCache | None = None,
             warnings: list[str] | None = None) -> dict[str, Template]:
    """Every template in the folders (default: bundled, then the clerk's own), cross-checked.

    A clerk's template with the id of a bundled one replaces it (a new year's notice).
    Without ``warnings`` any bad file raises TemplateError.  With a list, a bad file outside the
    bundled templates folder (the clerk's own) is skipped instead and a message naming its full
    path is appended; a bad bundled template still raises (it is our bug, not the clerk's).
    """
    folders = tuple(Path(f) for f in folders) or (templates_dir(), user_templates_dir())
    bundled = templates_dir().resolve()
    out: dict[str, Template] = {}
    skippable: set[str] = set()  # ids whose template came from a folder whose bad files are skipped
    replaced: dict[str, Template] = {}  # a bundled template a clerk's one replaced: back if that one is dropped

    def skip(path: Path, error: BaseException) -> None:
        reason = str(error) if isinstance(error, TemplateError) else f"内容无法使用（{type(error).__name__}）"
        warnings.append(f"已跳过自定义模板文件“{path.resolve()}”：{reason}")

    for folder in folders:
        lenient = warnings is not None and folder.resolve() != bundled
        seen: dict[str, Path] = {}
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            try:
                tpl = load_template(path, cache)
                if tpl.id in seen:
                    raise TemplateError(f"模板编号“{tpl.id}”在“{path.name}”和“{seen[tpl.id].name}”中重复，请删除其中一个。")
            except Exception as e:  # a clerk's file may be anything: never let it stop the program
                if not lenient:
                    raise
                skip(path, e)
                continue
            seen[tpl.id] = path
            if lenient and tpl.id in out and tpl.id not in skippable:
                replaced[tpl.id] = out[tpl.id]
            out[tpl.id] = tpl
            if lenient:
                skippable.add(tpl.id)
            else:
                skippable.discard(tpl.id)
    changed = True
    while changed:  # dropping a clerk's project template may leave another one's reference dangling
        changed = False
        for tpl in list(out.values()):
            ref = tpl.project_template
            if ref and (ref not in out or out[ref].kind != "project"):
                error = TemplateError(f"模板文件“{Path(tpl.path).name}”：引用的项目模板“{ref}”不存在。")
                if tpl.id not in skippable:
                    raise error
                skip(Path(tpl.path), error)
                del out[tpl.id]
                skippable.discard(tpl.id)
                if tpl.id in replaced:
                    out[tpl.id] = replaced.pop(tpl.id)
                changed = True
    return out


_CACHE: dict[str, Template] = {}
_WARNINGS: list[str] = []


def available() -> dict[str, Template]:
    """Every template (bundled and the clerk's own), loaded once per process; bad own ones skipped."""
    if not _CACHE:
        cache = ParsedCache()
        _WARNINGS.clear()
        _CACHE.update(load_all(cache=cache, warnings=_WARNINGS))
        cache.save()
    return _CACHE


def reload() -> None:
    """Forget the loaded templates: the next ``available``/``get`` reads the folders again (a template
    was just saved into the clerk's own folder)."""
    _CACHE.clear()


def load_warnings() -> list[str]:
    """Why each skipped template of the clerk's was skipped (full path and reason), for the window and the CLI.

    Empty until ``available()`` (or ``get``) has loaded the templates; never loads them itself.
    """
    return list(_WARNINGS)


def get(tid: str) -> Template:
    """A template by id (loaded once)."""
    available()
    if tid not in _CACHE:
        skipped = f"另有自定义模板因有错误未能载入——{'；'.join(_WARNINGS)}" if _WARNINGS else ""
        raise TemplateError(f"找不到模板“{tid}”。可用模板：{'、'.join(_CACHE)}。{skipped}")
    return _CACHE[tid]


def project_form(tpl: Template) -> Optional[ProjectForm]:
    """The project form a report uses: its own, or the one its dept template names."""
    if tpl.project is not None:
        return tpl.project
    return get(tpl.project_template).project if tpl.project_template else None


def project_template(tpl: Template) -> Optional[Template]:
    if tpl.kind == "project":
        return tpl
    return get(tpl.project_template) if tpl.project_template else None
