"""score(report, template) → ScoreResult: every indicator, subtotal, total, grade.

Pure and deterministic.  Each indicator score carries the rule's explanation
in Chinese, the score the rule gives (``rule_score``, None when its facts are
missing) and the final score (the override when the clerk set one).  Totals
are kept both ways: with overrides (``total``) and by rule (``rule_total``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from . import metrics as metrics_mod
from . import templates as templates_mod
from .money import format_decimal, round2
from .report import FundsRow, IndicatorAnswer, Override, Project, ProjectIndicator, Report, summary_once
from .rules import HUNDRED, Facts, Outcome, get, pts
from .targets import parse_quantity, same_text
from .templates import ProjectForm, Template

ZERO = Decimal(0)

NEEDS_HINT = {
    "value": "请填写{name}的数值",
    "items": "请逐项勾选是否满足要求",
    "choice": "请选择符合的情形/档次",
}


@dataclass(frozen=True)
class IndicatorScore:
    key: str  # dept.<id> / project.<i>.execution / project.<i>.row.<j>
    name: str
    weight: Decimal
    rule_score: Optional[Decimal]
    score: Decimal
    explanation: str
    kind: str
    level1: str = ""
    level2: str = ""
    override: Optional[Override] = None
    value: Optional[Decimal] = None
    value_source: str = ""  # metric / typed / ""
    dropped: bool = False  # 不适用 and not scored: its weight is shared out over the others (Totals.applicable)

    @property
    def overridden(self) -> bool:
        return self.override is not None

    @property
    def unanswered(self) -> bool:
        """Neither the facts the rule needs nor a score set by hand: not scored yet."""
        return self.rule_score is None and self.override is None

    @property
    def rate(self) -> Optional[Decimal]:
        return self.score / self.weight * HUNDRED if self.weight else None


@dataclass(frozen=True)
class GroupScore:
    """Subtotal of an 一级 or 二级 indicator."""
    name: str
    weight: Decimal
    score: Decimal
    rule_score: Decimal
    children: tuple = ()
    unanswered: int = 0  # indicators below it not scored yet: the subtotal is no score then

    @property
    def complete(self) -> bool:
        return self.unanswered == 0

    @property
    def rate(self) -> Optional[Decimal]:
        return self.score / self.weight * HUNDRED if self.weight and self.complete else None


def incomplete_text(unanswered: int) -> str:
    """What stands in for a total while scored indicators are unanswered (never a score nor a grade)."""
    return f"未评完：{unanswered} 项指标尚未评分"


@dataclass(frozen=True)
class Totals:
    """A total out of 100.  While ``unanswered`` indicators have neither the facts their rule
    needs nor a score set by hand, the sum is no score of the report: ``grade`` is empty and
    ``shown`` says 未评完 (printing 20.00 / 差 for an unfinished report would mislead)."""
    total: Decimal
    rule_total: Decimal
    grade: str
    rule_grade: str
    unanswered: int = 0
    # indicators dropped as 不适用: the weight of the rest, and their plain sums before rescaling to 100
    applicable: Optional[Decimal] = None
    raw_total: Optional[Decimal] = None
    raw_rule_total: Optional[Decimal] = None

    @property
    def rate(self) -> Decimal:
        return self.total  # out of 100

    @property
    def rescaled(self) -> bool:
        return self.applicable is not None

    def rescale_text(self, rule: bool = False) -> str:
        """How a total with dropped indicators was brought back to 100, with the figures."""
        raw, total = (self.raw_rule_total, self.rule_total) if rule else (self.raw_total, self.total)
        return (f"不适用指标共 {pts(100 - self.applicable)} 分不计，适用指标得分 {pts(raw)} / 适用分值 "
                f"{pts(self.applicable)} × 100 = {pts(total)} 分")

    @property
    def complete(self) -> bool:
        return self.unanswered == 0

    @property
    def shown(self) -> str:
        """The total as every view and export prints it: ``86.00``, or ``未评完：N 项指标尚未评分``."""
        return format_decimal(self.total) if self.complete else incomplete_text(self.unanswered)


@dataclass(frozen=True)
class ProjectScore:
    index: int
    name: str
    execution: IndicatorScore
    rows: tuple[IndicatorScore, ...]
    groups: tuple[GroupScore, ...]
    totals: Totals
    # 得分 printed on a 项目资金 sub-row the template scores (scored_funds_rows: current, …): its own
    # 执行率 × 分值, shown on the form only; the total counts ``execution`` alone
    funds_scores: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DeptScore:
    groups: tuple[GroupScore, ...]
    indicators: tuple[IndicatorScore, ...]
    totals: Totals


@dataclass(frozen=True)
class ScoreResult:
    template_id: str
    dept: Optional[DeptScore]
    projects: tuple[ProjectScore, ...]
    metrics: dict = field(default_factory=dict)
    _index: dict = field(default_factory=dict, compare=False, repr=False)  # dept keys, filled on first use

    def all_scores(self) -> list[IndicatorScore]:
        out = list(self.dept.indicators) if self.dept else []
        for p in self.projects:
            out += [p.execution, *p.rows]
        return out

    def by_key(self, key: str) -> Optional[IndicatorScore]:
        """The indicator score of ``key``.  A project's is found from the index in its key (a result is
        made after every keystroke: no index of all 10,000 scores of a 500-project report is built)."""
        if key.startswith("project."):
            head, _, rest = key[8:].partition(".")
            if not head.isdigit() or int(head) >= len(self.projects):
                return None
            p = self.projects[int(head)]
            if rest == "execution":
                found = p.execution
            elif rest.startswith("row.") and rest[4:].isdigit() and int(rest[4:]) < len(p.rows):
                found = p.rows[int(rest[4:])]
            else:
                return None
            return found if found.key == key else None
        if not self._index and self.dept is not None:
            self._index.update((s.key, s) for s in self.dept.indicators)
        return self._index.get(key)

    @property
    def unanswered(self) -> int:
        """Scored indicators of the whole report (department and every project) still unanswered."""
        # each total already counts the unanswered among its own scores (see _totals)
        return (self.dept.totals.unanswered if self.dept else 0) + sum(p.totals.unanswered for p in self.projects)

    @property
    def complete(self) -> bool:
        return self.unanswered == 0


def _finish(key, name, weight, kind, outcome: Optional[Outcome], missing: str, override, **extra) -> IndicatorScore:
    rule_score = outcome.score if outcome else None
    explanation = outcome.explanation if outcome else f"缺少评分所需数据：{missing}"
    if override is not None:
        score = round2(override.score)
        reason = override.reason.strip() or "（未填写理由）"
        explanation += f"；人工调整为 {pts(score)} 分，理由：{reason}"
    else:
        score = rule_score if rule_score is not None else ZERO
    return IndicatorScore(key, name, weight, rule_score, score, explanation, kind, override=override, **extra)


def _totals(tpl: Template, scores) -> Totals:
    total = round2(sum((s.score for s in scores), ZERO))
    rule_total = round2(sum((s.rule_score or ZERO for s in scores), ZERO))
    unanswered = sum(1 for s in scores if s.unanswered)
    dropped = sum((s.weight for s in scores if s.dropped), ZERO)
    rescale = {}
    if dropped:  # the dropped weight shared out in proportion: the same as scaling the rest's sum to 100
        applicable = sum((s.weight for s in scores), ZERO) - dropped
        scale = HUNDRED / applicable if applicable else ZERO
        rescale = dict(applicable=applicable, raw_total=total, raw_rule_total=rule_total)
        total, rule_total = round2(total * scale), round2(rule_total * scale)
    if unanswered:
        return Totals(total, rule_total, "", "", unanswered, **rescale)
    return Totals(total, rule_total, tpl.grade(total), tpl.grade(rule_total), **rescale)


def _group(name, weight, scores, children=()) -> GroupScore:
    return GroupScore(name, weight, round2(sum((s.score for s in scores), ZERO)),
                      round2(sum((s.rule_score or ZERO for s in scores), ZERO)), tuple(children),
                      sum(1 for s in scores if s.unanswered))


# ---------------------------------------------------------------- department

def _inapplicable(ind, answer: IndicatorAnswer, metric_values: dict) -> Optional[IndicatorScore]:
    """The score of an indicator that is 不适用 (marked so, or its metric says the department has none),
    as the template says: full, or dropped from the total; None when it is to be scored as usual."""
    mv = metric_values[ind.metric] if ind.metric else None
    why = "已标为不适用" if answer.not_applicable else mv.detail if mv is not None and mv.not_applicable else ""
    if not why or not ind.not_applicable:
        return None
    extra = dict(level1=ind.level1, level2=ind.level2)
    if ind.not_applicable == "full":
        outcome = Outcome(ind.weight, f"{why}；按评分规则，不适用的得满分 {pts(ind.weight)} 分")
        return _finish(f"dept.{ind.id}", ind.name, ind.weight, ind.kind, outcome, "", answer.override, **extra)
    return IndicatorScore(f"dept.{ind.id}", ind.name, ind.weight, ZERO, ZERO,
                          f"{why}；不计分，其分值 {pts(ind.weight)} 分按比例分配给其余指标（总分按适用分值折算为百分制）",
                          ind.kind, dropped=True, **extra)


def score_dept_indicator(ind, answer: IndicatorAnswer, metric_values: dict) -> IndicatorScore:
    inapplicable = _inapplicable(ind, answer, metric_values)
    if inapplicable is not None:
        return inapplicable
    value, source, prefix = None, "", ""
    if answer.not_applicable:  # the template scores this indicator whatever the department's case
        prefix = "本模板中该指标不能标为不适用，按所填数据评分；"
    if ind.metric:
        mv = metric_values[ind.metric]
        if mv.value is not None:
            value, source, prefix = mv.value, "metric", f"{prefix}{mv.detail}；"
    if value is None and answer.value is not None:
        value, source = answer.value, "typed"
    facts = Facts(name=ind.name, value=value, items=list(answer.items), choice=answer.choice,
                  judged_score=answer.judged_score)
    outcome = ind.rule.score(ind.params, ind.weight, facts)
    if outcome:
        outcome = Outcome(outcome.score, prefix + outcome.explanation)
    missing = NEEDS_HINT[ind.rule.needs].format(name=ind.name)
    if ind.metric and value is None:
        missing = f"{metric_values[ind.metric].detail}；无法自动计算时{missing}"
    missing = prefix + missing if answer.not_applicable else missing
    return _finish(f"dept.{ind.id}", ind.name, ind.weight, ind.kind, outcome, missing, answer.override,
                   level1=ind.level1, level2=ind.level2, value=value, value_source=source)


def score_dept(report: Report, tpl: Template, metric_values: dict) -> DeptScore:
    empty = IndicatorAnswer()
    scores, groups = [], []
    for l1 in tpl.tree:
        l1_scores, l2_groups = [], []
        for l2 in l1.children:
            l2_scores = [score_dept_indicator(i, report.answers.get(i.id, empty), metric_values) for i in l2.indicators]
            l2_groups.append(_group(l2.name, l2.weight, l2_scores, l2_scores))
            l1_scores += l2_scores
        groups.append(_group(l1.name, l1.weight, l1_scores, l2_groups))
        scores += l1_scores
    return DeptScore(tuple(groups), tuple(scores), _totals(tpl, scores))


# ---------------------------------------------------------------- projects

_NOT_PARSED = object()


def row_comparator(row: ProjectIndicator, form: ProjectForm, target=_NOT_PARSED) -> str:
    """The comparator a row is scored by: typed, else written in the target, else the template's default.
    ``target``: ``parse_quantity(row.target)`` when the caller has it already."""
    if row.comparator:
        return {"≥": ">=", "≤": "<=", "=": "="}.get(row.comparator, row.comparator)
    q = parse_quantity(row.target) if target is _NOT_PARSED else target
    if q and q.op:
        return q.op
    return form.default_comparator.get(row.level2, ">=")


def row_is_quantitative(row: ProjectIndicator) -> bool:
    if row.nature != "auto":
        return row.nature == "quantitative"
    return parse_quantity(row.target) is not None and parse_quantity(row.actual) is not None


def score_row(key: str, row: ProjectIndicator, form: ProjectForm) -> IndicatorScore:
    level1 = form.level1_by_id(row.level1)
    extra = dict(level1=level1.name if level1 else row.level1, level2=row.level2)
    a, b = parse_quantity(row.target), parse_quantity(row.actual)  # once: what row_is_quantitative reads
    quantitative = row.nature == "quantitative" if row.nature != "auto" else (a is not None and b is not None)
    if quantitative:
        outcome, missing = None, "请把年度指标值和实际完成值填成数字（可带单位，如 1734人、95%）"
        if a and b:
            op = row_comparator(row, form, a)
            params = {"unit": row.unit or a.unit or b.unit}
            outcome = get("proportional").score(params, row.weight, Facts(name=row.name, value=b.value, target=a.value, op=op,
                                                         shown_value=row.actual.strip(), shown_target=row.target.strip()))
        return _finish(key, row.name, row.weight, "proportional", outcome, missing, row.override,
                       value=b.value if b else None, value_source="typed", **extra)
    band = row.band
    if band is None and same_text(row.target, row.actual):
        band = 0  # actual says exactly what the target said: 达成预期指标
    outcome = get("qualitative").score(form.qualitative, row.weight,
                                      Facts(name=row.name, choice=band, judged_score=row.judged_score))
    return _finish(key, row.name, row.weight, "qualitative", outcome,
                   "定性指标请选择达成程度（达成/部分达成/未达成）", row.override, **extra)


def score_execution(key: str, project: Project, weight: Decimal, funds: FundsRow | None = None) -> IndicatorScore:
    """预算执行率 of the 年度资金总额 row (or of ``funds``, a sub-row the form also scores)."""
    override = project.execution_override
    if funds is None:
        funds = project.funds_total
    else:
        override = None  # a sub-row's 得分 is the rule's; a score set by hand is the total row's
    a, b = funds.annual_budget, funds.executed
    outcome, missing = None, "请填写全年预算数(A)和全年执行数(B)"
    value = None
    if a is not None and b is not None:
        if a == 0:
            missing = "全年预算数(A)为 0，执行率无法计算"
        else:
            value = b / a * HUNDRED
            outcome = get("rate").score({}, weight, Facts(name="预算执行率", value=value))
    return _finish(key, "预算执行率", weight, "rate", outcome, missing, override,
                   level1="预算执行率", value=value, value_source="metric" if value is not None else "")


FUNDS_ATTR = {"current": "funds_current", "carryover": "funds_carryover", "other": "funds_other"}


def _funds_scores(index: int, project: Project, form: ProjectForm, execution: IndicatorScore) -> dict:
    total = project.funds_total
    out = {}
    for key in form.scored_funds_rows:
        if key == "total":
            continue
        row = getattr(project, FUNDS_ATTR[key])
        if (row.annual_budget, row.executed) == (total.annual_budget, total.executed):
            out[key] = execution  # the whole of the funds: the same 执行率, the same 得分 as the total row
        elif row.annual_budget is not None or row.executed is not None:
            out[key] = score_execution(f"project.{index}.funds.{key}", project, form.execution_weight, row)
    return out


def score_project(index: int, project: Project, ptpl: Template) -> ProjectScore:
    form = ptpl.project
    execution = score_execution(f"project.{index}.execution", project, form.execution_weight)
    rows = tuple(score_row(f"project.{index}.row.{j}", row, form) for j, row in enumerate(project.indicators))
    groups = [_group("预算执行率", form.execution_weight, [execution])]
    for l1 in form.level1:
        groups.append(_group(l1.name, l1.weight, [s for s, r in zip(rows, project.indicators) if r.level1 == l1.id]))
    return ProjectScore(index, project.name, execution, rows, tuple(groups), _totals(ptpl, [execution, *rows]),
                        _funds_scores(index, project, form, execution))


# ---------------------------------------------------------------- entry point

# A project's score depends on the project and the project template only (score_project takes
# nothing else): an edit anywhere else rescores the department part and keeps every ProjectScore.

def with_project(result: ScoreResult, report: Report, tpl: Template, index: int) -> ScoreResult:
    """``result`` with project ``index`` rescored: an edit inside one project touches nothing else."""
    projects = list(result.projects)
    projects[index] = score_project(index, report.projects[index], templates_mod.project_template(tpl))
    return ScoreResult(result.template_id, result.dept, tuple(projects), result.metrics)


def with_dept(result: ScoreResult, report: Report, tpl: Template) -> ScoreResult:
    """``result`` with the ratios and the department indicators rescored and every project's score kept:
    what an edit outside ``projects[...]`` (basic info, finance, answers, narrative…) can change."""
    with summary_once(report.finance):
        metric_values = metrics_mod.compute_all(report)
        dept = score_dept(report, tpl, metric_values) if tpl.kind == "dept" else None
    return ScoreResult(tpl.id, dept, result.projects, metric_values)


def _rekeyed(s: IndicatorScore, key: str) -> IndicatorScore:
    if s.key == key:
        return s
    out = object.__new__(IndicatorScore)  # a copy with another key (replace() costs 5× more; 10,000 of them on a move)
    out.__dict__.update(s.__dict__)
    out.__dict__["key"] = key
    return out


def reindexed(ps: ProjectScore, index: int) -> ProjectScore:
    """``ps`` as ``score_project`` gives it for the same project at position ``index`` (a project moved
    in the list: only the keys and the index change)."""
    if ps.index == index:
        return ps
    execution = _rekeyed(ps.execution, f"project.{index}.execution")
    rows = tuple(_rekeyed(s, f"project.{index}.row.{j}") for j, s in enumerate(ps.rows))
    funds = {k: execution if s is ps.execution else _rekeyed(s, f"project.{index}.funds.{k}")
             for k, s in ps.funds_scores.items()}
    return ProjectScore(index, ps.name, execution, rows, ps.groups, ps.totals, funds)


def with_projects(result: ScoreResult, projects) -> ScoreResult:
    """``result`` with another tuple of ProjectScores (the list of projects changed shape)."""
    return ScoreResult(result.template_id, result.dept, tuple(projects), result.metrics)


def score(report: Report, tpl: Template | None = None) -> ScoreResult:
    tpl = tpl or templates_mod.get(report.template_id)
    with summary_once(report.finance):
        metric_values = metrics_mod.compute_all(report)
        dept = score_dept(report, tpl, metric_values) if tpl.kind == "dept" else None
    ptpl = templates_mod.project_template(tpl)
    projects = tuple(score_project(i, p, ptpl) for i, p in enumerate(report.projects)) if ptpl else ()
    return ScoreResult(tpl.id, dept, projects, metric_values)
