"""复核: check(report, template, result) → problems, each saying what to do.

Problems are data, never exceptions: severity (错误/警告/提示), the wizard step
and field they belong to, a Chinese message and the action that fixes it.
错误 blocks filing (the CLI exits 1); 警告 needs a look; 提示 is information.
"""
from __future__ import annotations

from decimal import Decimal

from . import project_review, tails
from . import templates as templates_mod
from .figures import UNIT_FIELDS, figure, source_paths, unit_paths
from .money import format_percent, round2
from .problems import ERROR, INFO, SEVERITY_ORDER, WARNING, Collector, Problem  # noqa: F401 (the checks' API)
from .report import ASSET_KINDS, EXPENDITURE_KINDS, INCOME_SOURCES, Report, UnitFinance, summary_once
from .rules import pts
from .scoring import IndicatorScore, ScoreResult, score
from .targets import same_text
from .templates import Template

TAIL = Decimal(100)  # 0.01 万元: rounding tails of figures typed in 万元

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_valid(code: str) -> bool:
    """GB 32100-2015 统一社会信用代码: 18 characters with a check character."""
    code = code.strip().upper()
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        return False
    s = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(code[:17], _CREDIT_WEIGHTS))
    return _CREDIT_CHARS[(31 - s % 31) % 31] == code[17]


# ---------------------------------------------------------------- basic data

def _basic(c: Collector, tpl: Template):
    r = c.report
    if not r.basic.department.strip():
        c.add(ERROR, "missing_department", "basic_info", "basic.department", "未填写部门（单位）名称。", "在“基本信息”中填写单位全称。")
    if not 2000 <= r.fiscal_year <= 2100:
        c.add(ERROR, "missing_year", "basic_info", "fiscal_year", "评价年度无效。", "在“基本信息”中填写被评价的年度，如 2022。")
    code = r.basic.credit_code.strip()
    if code and not credit_code_valid(code):
        c.add(WARNING, "credit_code", "basic_info", "basic.credit_code",
              f"统一社会信用代码“{code}”校验不通过（应为 18 位，末位为校验码）。", "对照单位法人证书重新填写。")
    b = r.basic
    if b.authorized_total is not None and b.authorized_parts is not None and b.authorized_total != b.authorized_parts:
        c.add(WARNING, "staff_sum", "basic_info", "basic.authorized_total",
              f"编制数 {b.authorized_total} 人，与行政、事业、工勤编制之和 {b.authorized_parts} 人不一致。",
              "核对编制部门批复的编制数。")
    if "dept_self_eval" in tpl.forms and tpl.review.require_goal:  # the 自评表 prints both, blank or not
        for field, label in (("performance_goal", "部门整体绩效目标（预期）"), ("goal_actual", "绩效目标实际完成情况")):
            if not getattr(r.basic, field).strip():
                c.add(WARNING, "missing_goal", "basic_info", f"basic.{field}", f"未填写{label}，自评表中这一栏将是空白。",
                      "在“基本信息”中按年初批复的整体绩效目标填写预期目标，并写明全年实际完成情况。")
    if "team_opinion" in tpl.sections and not r.team:
        c.add(INFO, "missing_team", "team_opinion", "team", "尚未填写评价人员。", "在“评价人员与意见”中添加评价组成员。")
    if tpl.kind == "project" and tpl.review.require_project and not r.projects:
        c.add(ERROR, "no_projects", "projects", "projects", "项目支出绩效自评报告中还没有项目。",
              "在“项目支出”中添加项目（或从绩效目标表导入），填写资金和绩效指标。")
    if "finance" in tpl.sections and tpl.kind == "dept" and not r.finance.units:
        c.add(WARNING, "missing_finance", "finance", "finance.units", "尚未填写收支情况。", "在“收支情况”中添加局机关及各二级机构的收支数据。")


# ---------------------------------------------------------------- finance

TAIL_ACTION = "属于取整造成的尾数差异，可忽略。"


def _tail(c: Collector, diff: Decimal, paths: list[str], severity: str, action: str) -> tuple[str, str, str]:
    """(severity, why, action) of a difference: a 提示 when it is only the rounding tail of the
    imported figures' source (model.tails) or of figures typed in 万元, else as given."""
    why = tails.explain(c.report, diff, paths)
    if why:
        return INFO, why, TAIL_ACTION
    if c.report.display_unit == "wan" and diff <= TAIL:
        return INFO, "", TAIL_ACTION
    return severity, "", action


def _balance(c: Collector, unit: UnitFinance, which: str, step="finance"):
    """上年结转 + 本年收入 − 本年支出 = 年末结转和结余, where 年末 is filled; ``which`` is a unit's index
    or "summary" (as model.figures.unit_paths takes it)."""
    where = "finance.summary" if which == "summary" else f"finance.units[{which}]"
    if unit.carryover_end is None or unit.expenditure_total is None:
        return
    expected = unit.balance
    diff = (expected - unit.carryover_end).copy_abs()
    if diff == 0:
        return
    paths = unit_paths(c.report, which, "balance") + unit_paths(c.report, which, "carryover_end")
    severity, why, action = _tail(c, diff, paths, ERROR, "核对收入、支出和结转结余，使收支平衡（尾数差可忽略）。")
    c.add(severity, "unbalanced", step, f"{where}.carryover_end",
          f"{unit.name or '单位'}：上年结转 + 本年收入 − 本年支出 = {c.money(expected)}，"
          f"与年末结转和结余 {c.money(unit.carryover_end)} 相差 {c.money(diff)}。{why}", action)


NON_NEGATIVE = INCOME_SOURCES + EXPENDITURE_KINDS + ASSET_KINDS + ("carryover_begin",)


def _basic_parts(c: Collector, unit: UnitFinance, where: str):
    """基本支出 as entered against 人员经费 + 公用经费 (a 万元 form's rounding tail is only a 提示)."""
    parts = unit.basic_parts
    if unit.basic_entered is None or parts is None or parts == unit.basic_entered:
        return
    diff = (unit.basic_entered - parts).copy_abs()
    paths = [f"{where}.{k}" for k in ("basic_entered", "personnel", "operating")]
    severity, why, action = _tail(c, diff, paths, WARNING, "核对基本支出、人员经费和公用经费。")
    c.add(severity, "basic_sum", "finance", f"{where}.basic_entered",
          f"{unit.name or '单位'}：基本支出 {c.money(unit.basic_entered)}，与人员经费 + 公用经费 {c.money(parts)} "
          f"相差 {c.money(diff)}。{why}", action)


def _finance(c: Collector, result: ScoreResult):
    r = c.report
    for i, unit in enumerate(r.finance.units):
        _balance(c, unit, str(i))
        _basic_parts(c, unit, f"finance.units[{i}]")
        for attr in NON_NEGATIVE:
            value = getattr(unit, attr)
            if value is not None and value < 0:
                c.add(ERROR, "negative_amount", "finance", f"finance.units[{i}].{attr}",
                      f"{unit.name or '单位'}的{UNIT_FIELDS[attr]}为负数（{c.money(value)}）。",
                      "收入、支出和资产不能为负数；冲减请在对应项目中直接填写净额。")
    if len(r.finance.units) > 1:
        _balance(c, r.finance.summary, "summary")
    f = r.finance
    if f.initial_budget is not None and f.budget_adjustment is not None and f.annual_budget_entered is not None:
        expected = f.initial_budget + f.budget_adjustment
        if expected != f.annual_budget_entered:
            c.add(WARNING, "budget_sum", "finance", "finance.annual_budget_entered",
                  f"年初预算 + 预算调整 = {c.money(expected)}，与填写的全年预算数 {c.money(f.annual_budget_entered)} 不一致。",
                  "核对年初预算数、调整数和全年预算数。")
    rate = result.metrics["budget_execution_rate"].value
    if rate is not None and rate > 100:
        c.add(WARNING, "execution_over_100", "finance", "finance.annual_budget_entered",
              f"预算执行率 {format_percent(rate)}，超过 100%（支出大于全年预算）。",
              "核对全年预算数是否含追加预算、支出是否含上年结转资金。")
    for i, row in enumerate(f.functional_rows):
        if row.total is not None and (row.basic is not None or row.project is not None):
            parts = (row.basic or 0) + (row.project or 0)
            if parts != row.total:
                paths = [f"finance.functional_rows[{i}].{k}" for k in ("total", "basic", "project")]
                severity, why, action = _tail(c, (parts - row.total).copy_abs(), paths, WARNING,
                                              "核对该科目的合计、基本支出和项目支出。")
                c.add(severity, "functional_sum", "finance", f"finance.functional_rows[{i}]",
                      f"功能科目 {row.code} {row.name}：基本支出 + 项目支出 = {c.money(parts)}，"
                      f"与合计 {c.money(row.total)} 不一致。{why}", action)


# ---------------------------------------------------------------- published figures

def _published(c: Collector, result: ScoreResult):
    for key, stated in c.report.published.items():
        fig = figure(c.report, key, result)
        if fig is None:
            continue
        step = "finance" if key.split(".")[0] in ("summary", "unit", "finance", "metric") else (
            "projects" if key.startswith("project.") else "review")
        if fig.value is None:
            c.add(INFO, "published_uncheckable", step, key,
                  f"资料中写明{fig.label}为 {_show(c, fig.kind, stated)}，但本报告缺少计算它所需的数据。",
                  "补齐相关数据后可自动核对。")
            continue
        action, why = "以计算值为准修改文字或表格；如计算值不对，请核对所依据的数据。", ""
        if fig.kind == "money":
            diff = (fig.value - stated).copy_abs()
            if diff == 0:
                continue
            severity, why, action = _tail(c, diff, source_paths(c.report, key), WARNING, action)
        else:
            if round2(fig.value) == round2(stated):
                continue
            severity = WARNING
        c.add(severity, "published_mismatch", step, key,
              f"资料中写明{fig.label}为 {_show(c, fig.kind, stated)}，按数据计算为 {_show(c, fig.kind, fig.value)}。{why}",
              action)


def _show(c: Collector, kind: str, value: Decimal) -> str:
    if kind == "money":
        return c.money(value)
    if kind == "percent":
        return format_percent(value)
    return f"{pts(round2(value))} 分"


# ---------------------------------------------------------------- scores

def _score_checks(c: Collector, s: IndicatorScore, step: str, location: str, params=None, rule=None):
    """Problems any scored indicator can have: missing facts, above weight, overrides."""
    if s.override is None and s.rule_score is None:
        c.add(WARNING, "missing_facts", step, location, f"“{s.name}”无法评分：{s.explanation.removeprefix('缺少评分所需数据：')}。",
              "补齐该指标所需数据，或人工填写得分并说明理由。")
    if s.score > s.weight:
        c.add(ERROR, "score_above_weight", step, location,
              f"“{s.name}”得分 {pts(s.score)} 超过分值 {pts(s.weight)}。",
              "得分不能超过该指标分值：改正得分，或核对分值是否填错。")
    if s.score < 0:
        c.add(ERROR, "negative_score", step, location, f"“{s.name}”得分为负数。", "得分应在 0 到分值之间。")
    if s.override is None:
        return
    reason = s.override.reason.strip()
    if not reason:
        c.add(ERROR, "override_without_reason", step, location,
              f"“{s.name}”人工调整了得分，但没有填写理由。", "填写扣分原因或调整理由。")
    if rule is not None and not rule.achievable(params, s.weight, s.score):
        c.add(WARNING, "override_impossible", step, location,
              f"“{s.name}”人工得分 {pts(s.score)} 是评分规则不可能给出的分数（{rule.label}）。",
              "按评分规则重新评分，或在理由中说明为何偏离规则。")
    elif s.rule_score is not None and s.score != s.rule_score:
        if rule is not None and rule.discrete:
            c.add(WARNING, "override_contradicts_rule", step, location,
                  f"“{s.name}”按所填数据规则得分为 {pts(s.rule_score)}，人工得分为 {pts(s.score)}，与规则不符。",
                  "核对该指标的数据；若数据无误，应按规则得分。")
        else:
            c.add(INFO, "override_differs", step, location,
                  f"“{s.name}”人工得分 {pts(s.score)}，按规则为 {pts(s.rule_score)}。",
                  "确认调整理由充分，并在报告中说明。")
    elif reason:  # no other line names this override: list it with its reason
        by_rule = "按规则无法评分（缺少所需数据）" if s.rule_score is None else f"按规则 {pts(s.rule_score)} 分"
        c.add(INFO, "override", step, location,
              f"“{s.name}”得分为人工调整：{by_rule}，调整为 {pts(s.score)} 分，理由：{reason}",
              "确认调整理由充分，并在报告中说明" + ("；补齐所需数据后即可按规则评分。" if s.rule_score is None else "。"))


def _dept(c: Collector, tpl: Template, result: ScoreResult):
    if result.dept is None:
        return
    for s in result.dept.indicators:
        ind = tpl.indicator(s.key.removeprefix("dept."))
        _score_checks(c, s, "dept_indicators", f"answers.{ind.id}", ind.params, ind.rule)
        if ind.kind == "qualitative" and s.override is None and s.rule_score is not None:
            _band_check(c, ind.params, s, c.report.answers[ind.id].choice, "dept_indicators", f"answers.{ind.id}")


def _band_check(c: Collector, params, s: IndicatorScore, choice, step, location):
    from .rules import Qualitative

    if choice is None:
        return
    lo, hi = Qualitative.band_range(params["bands"][choice], s.weight)
    if not lo <= s.score <= hi:
        c.add(WARNING, "judged_outside_band", step, location,
              f"“{s.name}”得分 {pts(s.score)} 不在所选档次“{params['bands'][choice]['label']}”的 {pts(lo)}–{pts(hi)} 分之间。",
              "改选档次，或把得分调整到该档区间内。")


def project_checks(report: Report, tpl: Template, result: ScoreResult, i: int) -> list[Problem]:
    """Problems of project ``i`` alone (cached per project by the window)."""
    ptpl = templates_mod.project_template(tpl)
    if ptpl is None:
        return []
    form = ptpl.project
    c = Collector(report)
    project, ps = report.projects[i], result.projects[i]
    where = f"projects[{i}]"
    label = project.name or f"第 {i + 1} 个项目"
    if not project.name.strip():
        c.add(ERROR, "missing_project_name", "projects", f"{where}.name", f"{label}未填写项目名称。", "填写项目名称。")
    _score_checks(c, ps.execution, "projects", f"{where}.funds")
    project_review.project_checks(c, ptpl.review, form, project, ps, where, label)
    funds = project.funds_total
    if funds.executed is not None and funds.annual_budget and funds.executed > funds.annual_budget:
        c.add(WARNING, "execution_over_100", "projects", f"{where}.funds",
              f"项目“{label}”全年执行数 {c.money(funds.executed)} 大于全年预算数 {c.money(funds.annual_budget)}，执行率超过 100%。",
              "核对全年预算数（应含追加）和执行数。")
    if not project.indicators:
        c.add(WARNING, "missing_rows", "projects", f"{where}.indicators", f"项目“{label}”还没有绩效指标。", "按年初绩效目标添加产出、效益、满意度指标。")
        return c.items
    for l1 in form.level1:
        got = sum((r.weight for r in project.indicators if r.level1 == l1.id), Decimal(0))
        if got != l1.weight:
            c.add(WARNING, "project_weights", "projects", f"{where}.indicators",
                  f"项目“{label}”的{l1.name}分值合计 {pts(got)}，应为 {pts(l1.weight)}。",
                  f"调整{l1.name}各行分值，使其合计为 {pts(l1.weight)}。")
    for j, (row, s) in enumerate(zip(project.indicators, ps.rows)):
        loc = f"{where}.indicators[{j}]"
        _score_checks(c, s, "projects", loc)
        project_review.indicator_checks(c, ptpl.review, form, row, s, loc)
        if s.kind != "qualitative":
            continue
        if s.override is None and row.band is not None:
            _band_check(c, form.qualitative, s, row.band, "projects", loc)
        top_low = Decimal(str(form.qualitative["bands"][0]["low"])) / 100 * row.weight
        if s.score < round2(top_low) and same_text(row.target, row.actual):  # the cheap test first
            c.add(WARNING, "qualitative_below_met", "projects", loc,
                  f"“{row.name}”实际完成值与年度指标值相同（{row.actual}），得分 {pts(s.score)} 却低于“达成预期指标”档（{pts(round2(top_low))} 分以上）。",
                  "实际已达成目标的应按达成档评分；若确有不足，请把实际完成情况写具体。")
    return c.items


def moved_project_problems(problems, report: Report, old: int, new: int):
    """``project_checks(report, tpl, result, new)`` for a project that only moved from position ``old``
    (its score the same but for the keys), given ``problems`` = its checks at ``old``; None when they
    must be computed again.  Every location of project_checks starts with ``projects[i]``; a message
    names the position only for a project without a name (``第 i 个项目``)."""
    if not report.projects[new].name:
        return None
    was, now = f"projects[{old}]", f"projects[{new}]"
    out = []
    for p in problems:
        if not p.location.startswith(was) or p.location[len(was):len(was) + 1] not in (".", "[", ""):
            return None
        out.append(Problem(p.severity, p.code, p.step, now + p.location[len(was):], p.message, p.action))
    return out


def general_checks(report: Report, tpl: Template, result: ScoreResult) -> list[Problem]:
    """Every problem that is not inside one project."""
    c = Collector(report)
    _basic(c, tpl)
    with summary_once(report.finance):
        if "finance" in tpl.sections:
            _finance(c, result)
        _published(c, result)
        if any(report.narrative.values()):
            from .narrative_check import narrative_problems  # its patterns are compiled only when there is text

            c.items += narrative_problems(report, tpl, result)
    _dept(c, tpl, result)
    return c.items


def readiness(problems: list[Problem], result: ScoreResult) -> tuple[bool, str]:
    """Whether the report can be printed for signature and seal (no 错误, every indicator scored), in one line."""
    errors = sum(p.severity == ERROR for p in problems)
    unanswered = result.unanswered
    if not errors and not unanswered:
        warnings = sum(p.severity == WARNING for p in problems)
        more = f"；还有 {warnings} 个警告，建议逐条看过" if warnings else ""
        return True, f"可以打印签章：没有错误，所有指标都已评分{more}。"
    missing = "、".join(x for x in (f"{errors} 个错误" if errors else "", f"{unanswered} 项指标未评分" if unanswered else "") if x)
    return False, f"尚不能打印签章：还有 {missing}。请先在“复核”面板中逐条处理，再导出打印。"


def ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: SEVERITY_ORDER[p.severity])


def check(report: Report, tpl: Template | None = None, result: ScoreResult | None = None) -> list[Problem]:
    tpl = tpl or templates_mod.get(report.template_id)
    result = result or score(report, tpl)
    problems = general_checks(report, tpl, result)
    for i in range(len(result.projects)):
        problems += project_checks(report, tpl, result, i)
    return ordered(problems)
