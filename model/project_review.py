"""复核 of a 项目支出绩效自评表 beyond the scores: what county finance bureaus send back.

Each check reads its settings from the template's ``review`` rules (model.review_rules, defaults
in resources/review/national.yaml): units of 指标值 and 实际完成值, 偏差原因 for a missed or far
exceeded target, execution against scores (自评预警, caps, 结余), and the form's completeness.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from .money import format_percent
from .problems import ERROR, INFO, WARNING, Collector
from .report import Project, ProjectIndicator
from .review_rules import TEXT_FIELDS, ReviewRules
from .rules import pts
from .scoring import ProjectScore, row_comparator
from .targets import Quantity, normalise, parse_quantity
from .templates import ProjectForm

HUNDRED = Decimal(100)
KIND_NAMES = {"money": "金额", "percent": "比率", "count": "数量"}
STEP = "projects"
REASON_ACTION = ("在“未完成原因分析”中写明偏离目标的原因及拟采取的措施"
                 "（“无”“暂无”“/”或字数太少视同未写）。")


def _unit(text: str) -> str:
    return normalise(text).replace("％", "%")


def _units(c: Collector, rules: ReviewRules, row: ProjectIndicator, a: Optional[Quantity],
           b: Optional[Quantity], loc: str):
    """指标值, 实际完成值 and the unit column in one unit (or convertible ones), of a kind the indicator can have."""
    written = [(what, _unit(u)) for what, u in (("计量单位栏", row.unit), ("年度指标值", a.unit if a else ""),
                                                  ("实际完成值", b.unit if b else "")) if _unit(u)]
    for i, (what1, u1) in enumerate(written):
        other = next(((w, u) for w, u in written[i + 1:] if not rules.same_group(u1, u)), None)
        if other:
            c.add(WARNING, "unit_mismatch", STEP, loc,
                  f"“{row.name}”的{what1}单位“{u1}”与{other[0]}单位“{other[1]}”不同"
                  f"（年度指标值“{row.target.strip()}”，实际完成值“{row.actual.strip()}”）。",
                  "按同一计量单位填写指标值和实际完成值（如都用“人”），或核对是否填错了指标。")
            break
    kind = rules.kind_of_name(row.name)
    if kind is None:
        return
    for what, u in written:
        unit_kind = rules.kind_of_unit(u)
        # a count may have any unit but money and percent; a rate or an amount only its own kind
        wrong = unit_kind in ("money", "percent") if kind == "count" else unit_kind != kind
        if wrong:
            c.add(WARNING, "unit_kind", STEP, loc,
                  f"“{row.name}”是{KIND_NAMES[kind]}类指标，{what}的单位却是“{u}”。",
                  f"改用{KIND_NAMES[kind]}的计量单位，或核对指标名称与指标值是否对应。")
            return


def _deviation(c: Collector, rules: ReviewRules, form: ProjectForm, row: ProjectIndicator, s,
               a: Optional[Quantity], b: Optional[Quantity], loc: str):
    """A missed target, or one exceeded by the template's margin, needs a written 偏差原因."""
    if not rules.deviation or not rules.is_empty_text(row.deviation_reason):
        return
    why = ""
    if s.kind == "proportional" and a is not None and b is not None:
        op = row_comparator(row, form, a)
        missed = {">=": b.value < a.value, ">": b.value <= a.value, "<=": b.value > a.value,
                  "<": b.value >= a.value, "=": b.value != a.value}.get(op, False)
        if missed:
            why = f"未达到年度指标值（指标值“{row.target.strip()}”，实际完成“{row.actual.strip()}”）"
        elif (rules.over_target_percent is not None and op in (">=", ">") and a.value > 0
              and b.value / a.value * HUNDRED >= rules.over_target_percent):
            why = (f"实际完成值为年度指标值的 {format_percent(b.value / a.value * HUNDRED)}"
                   f"（达到 {pts(rules.over_target_percent)}% 及以上，须说明目标是否定得过低）")
    elif s.kind == "qualitative" and row.band not in (None, 0):
        why = "定性评价为未完全达成"
    if why:
        c.add(WARNING, "deviation_reason_missing", STEP, f"{loc}.deviation_reason",
              f"“{row.name}”{why}，未填写未完成原因分析。", REASON_ACTION)


def _rates(c: Collector, rules: ReviewRules, row: ProjectIndicator, a, b, loc: str):
    """满意度 and other rates that cannot pass 100 % (or go below 0)."""
    if not any(w in row.name for w in rules.max_rate_words):
        return
    for what, q in (("年度指标值", a), ("实际完成值", b)):
        if q is not None and (_unit(q.unit) in ("%", "百分比") or _unit(row.unit) in ("%", "百分比")) and not (
                0 <= q.value <= 100):
            c.add(ERROR, "rate_out_of_range", STEP, loc,
                  f"“{row.name}”的{what}为 {pts(q.value)}%，比率只能在 0–100% 之间。",
                  "核对后改正（满意度等比率不会超过 100%，也不会为负数）。")


def indicator_checks(c: Collector, rules: ReviewRules, form: ProjectForm, row: ProjectIndicator, s, loc: str):
    """The review of one indicator row (its score ``s`` from model.scoring)."""
    a, b = parse_quantity(row.target), parse_quantity(row.actual)
    if rules.units:
        _units(c, rules, row, a, b, loc)
    _deviation(c, rules, form, row, s, a, b, loc)
    _rates(c, rules, row, a, b, loc)
    op_written = row.comparator or normalise(row.target)[:1] in "≥≤><"
    if (rules.quantitative_numeric and row.target.strip() and a is None
            and (row.nature == "quantitative" or (row.nature == "auto" and op_written))):
        c.add(WARNING, "target_not_numeric", STEP, loc,
              f"“{row.name}”是定量指标，年度指标值“{row.target.strip()}”却不是一个数字。",
              "把年度指标值写成“比较符 + 数字 + 单位”（如 ≥95%、1734人）；确属定性指标的，把性质改为“定性”。")
    _length(c, rules, "deviation_reason", row.deviation_reason, f"“{row.name}”的", f"{loc}.deviation_reason")
    if row.override is not None:
        _length(c, rules, "override_reason", row.override.reason, f"“{row.name}”的", f"{loc}.override")


def _length(c: Collector, rules: ReviewRules, field: str, text: str, whose: str, loc: str):
    limit = rules.limit(field)
    n = len("".join((text or "").split()))
    if limit is not None and n > limit:
        c.add(WARNING, "text_too_long", STEP, loc, f"{whose}{TEXT_FIELDS[field]}有 {n} 个字，超过 {limit} 字的上限。",
              f"精简到 {limit} 字以内（表格中写要点，详细情况写在文字说明中）。")


def _execution_reason(c: Collector, rules: ReviewRules, form: ProjectForm, project: Project,
                      rate: Optional[Decimal], where: str, label: str):
    """Execution below the template's line needs its reason written (四川: below 90 %), where the form has the field."""
    field = dict(form.text_fields).get("execution_reason")
    below = rules.reason_below_percent
    if field is None or below is None or rate is None or rate >= below or not rules.is_empty_text(project.execution_reason):
        return
    limit = rules.limit("execution_reason")
    c.add(WARNING, "execution_reason_missing", STEP, f"{where}.execution_reason",
          f"项目“{label}”预算执行率 {format_percent(rate)}，低于 {pts(below)}%，未填写{field}。",
          f"在“{field}”中写明资金未按计划执行的原因" + (f"（不超过 {limit} 字）" if limit else "") + "。")


def project_checks(c: Collector, rules: ReviewRules, form: ProjectForm, project: Project, ps: ProjectScore,
                   where: str, label: str):
    """The project-level review: 年度总体目标, 主管部门审核结论, execution against scores."""
    if rules.require_goal:
        for field, text in (("goal_expected", project.goal_expected), ("goal_actual", project.goal_actual)):
            if not text.strip():
                c.add(WARNING, "missing_goal", STEP, f"{where}.{field}", f"项目“{label}”未填写{TEXT_FIELDS[field]}。",
                      "按绩效目标申报表填写年度总体目标，并写明全年实际完成情况。")
    for field in ("goal_expected", "goal_actual", *(key for key, _ in form.text_fields)):
        _length(c, rules, field, getattr(project, field), f"项目“{label}”的", f"{where}.{field}")
    _execution_reason(c, rules, form, project, ps.execution.value, where, label)
    if rules.require_authority_review and not project.authority_review:
        c.add(INFO, "authority_review_missing", STEP, f"{where}.authority_review",
              f"项目“{label}”的主管部门审核结论尚未选择，打印的表格中该栏不打勾。",
              "由主管部门审核后选择优/良/中/差；也可打印后由审核人手写。")
    funds = project.funds_total
    if rules.unspent_percent is not None and funds.annual_budget and funds.executed is not None:
        unspent = funds.annual_budget - funds.executed
        if unspent / funds.annual_budget * HUNDRED > rules.unspent_percent:
            c.add(INFO, "funds_unspent", STEP, f"{where}.funds",
                  f"项目“{label}”结余 {c.money(unspent)}，占全年预算的 {format_percent(unspent / funds.annual_budget * HUNDRED)}"
                  f"，超过 {pts(rules.unspent_percent)}%。",
                  "在文字说明或未完成原因分析中写明资金结余的原因和后续安排。")
    rate = ps.execution.value
    if rate is None or not ps.totals.complete:  # scores against spending: only once everything is scored
        return
    available = sum((l1.weight for l1 in form.level1), Decimal(0))  # the indicators' 90 of 100
    if rules.score_ahead_percent is not None and available and ps.rows:
        score_rate = sum((s.score for s in ps.rows), Decimal(0)) / available * HUNDRED
        if score_rate and (score_rate - rate) / score_rate * HUNDRED > rules.score_ahead_percent:
            c.add(WARNING, "score_ahead_of_spending", STEP, f"{where}.funds",
                  f"项目“{label}”指标得分率 {format_percent(score_rate)}，预算执行率只有 {format_percent(rate)}："
                  f"得分率高出执行率 {pts(rules.score_ahead_percent)}% 以上（自评预警）。",
                  "核对资金未执行的部分对应的产出和效益是否真的已经完成，如实评分，并在未完成原因分析中说明资金执行慢的原因。")
    cap = next((cap for cap in rules.caps if rate < cap.below), None)
    if cap is not None and ps.totals.total > cap.max_total:
        c.add(WARNING, "execution_cap", STEP, f"{where}.funds",
              f"项目“{label}”预算执行率 {format_percent(rate)}（低于 {pts(cap.below)}%），总分 {pts(ps.totals.total)} "
              f"超过本地规定的上限 {pts(cap.max_total)} 分。",
              f"按规定把总分调整到 {pts(cap.max_total)} 分以内（人工调整相应指标得分并写明理由）。")
