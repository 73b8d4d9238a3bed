"""项目支出绩效自评表, one per project (seed 002, 财预〔2020〕10号)."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from model import templates as templates_mod
from model.money import format_percent
from model.report import Project, Report
from model.rules import pts
from model.scoring import ScoreResult, row_comparator, row_is_quantitative
from model.summary.review import reviewed_grade
from model.targets import parse_quantity
from model.templates import DEFAULT_COLUMNS, FORMS, FUNDS_ROWS, Template

from ..grid import Cell, Grid
from .common import (
    CHECKED,
    FULL_SPACE,
    HUNDRED,
    UNCHECKED,
    _department,
    _h,
    _l,
    _money,
    _points,
    _rule_notes,
    _runs,
    _score,
    _t,
    _weighted,
)

# column widths: the block label, then each 绩效指标 column by key (the 项目资金 rows share the columns)
BLOCK_WIDTH = 10.0
WIDTHS = {"level1": 9.0, "level2": 9.0, "name": 14.0, "nature": 6.0, "target": 10.0, "unit": 6.0, "actual": 10.0,
          "weight": 6.0, "standard": 16.0, "score": 8.0, "deviation_reason": 12.0}
SYMBOLS = {">=": "≥", "<=": "≤", "=": "=", ">": "＞", "<": "＜"}


def _boxes(grades: list[str], chosen: str) -> str:
    return "　　".join(f"{g} {CHECKED if g == chosen else UNCHECKED}" for g in grades)


def _funds_rate(a: Optional[Decimal], b: Optional[Decimal]) -> str:
    if a is None and b is None:
        return ""
    if a is None or b is None or a == 0:
        return "—"
    return format_percent(b / a * HUNDRED)


def _ordered_rows(project: Project, form) -> list[int]:
    """Row indices grouped by 一级 (template order) then 二级, keeping the clerk's order within a group."""
    l1_ids = [l1.id for l1 in form.level1] if form else []

    def key(j: int):
        row = project.indicators[j]
        i1 = l1_ids.index(row.level1) if row.level1 in l1_ids else len(l1_ids)
        l1 = form.level1_by_id(row.level1) if form else None
        l2s = list(l1.level2) if l1 else []
        i2 = l2s.index(row.level2) if row.level2 in l2s else len(l2s) + first_seen.get((row.level1, row.level2), 0)
        return (i1, i2, j)

    first_seen: dict = {}
    for j, row in enumerate(project.indicators):
        first_seen.setdefault((row.level1, row.level2), j)
    return sorted(range(len(project.indicators)), key=key)


def _plain_number(text: str, strip_unit: bool) -> str:
    """A target or actual as a form with 指标性质 prints it: the number without its comparator (and without
    its unit where a 度量单位 column carries it); text that is not a quantity as written."""
    q = parse_quantity(text)
    if q is None:
        return text
    number = f"{q.value.normalize():f}"
    return number if strip_unit or not q.unit else f"{number}{q.unit}"


def _indicator_cells(key: str, row, s, form, columns: set) -> Cell:
    """One cell of a 绩效指标 row, by column key (level1/level2 are merged runs, made by the caller)."""
    if key == "nature":
        nature = SYMBOLS.get(row_comparator(row, form), "") if row_is_quantitative(row) else "定性"
        return _t(nature, align="center")
    if key in ("target", "actual"):
        text = row.target if key == "target" else row.actual
        if "nature" in columns:
            text = _plain_number(text, "unit" in columns)
        return _t(text, align="center")
    if key == "unit":
        q = parse_quantity(row.target) or parse_quantity(row.actual)
        return _t(row.unit or (q.unit if q else ""), align="center")
    if key == "weight":
        return _points(row.weight)
    if key == "standard":
        return _t(form.scoring_standard if form else "")
    if key == "score":
        return _score(s)
    if key == "deviation_reason":
        return _t(row.deviation_reason)
    return _t(row.name)


def _funds_score(s) -> tuple[Cell, Cell]:
    """分值 and 得分 of a 项目资金 row: the rule's figures where the form scores the row, “—” elsewhere."""
    if s is None:
        return _t("—", align="center"), _t("—", align="center")
    return _points(s.weight), _score(s)


def project_self_eval(report: Report, tpl: Template, result: ScoreResult, index: int) -> Grid:
    """The form as issued (seed 002): 项目资金 with 分值/得分/得分计算方法, indicators with 评分标准.

    Ten columns: the block label, 一级, 二级, 三级, 年度指标值 (A), 实际完成值 (B), 分值, 评分标准,
    得分, 未完成原因分析; the 项目资金 rows use the same columns for 年初预算数 … 得分计算方法.
    Only what the official form prints is on it: scores set by hand are explained in 评分说明.
    """
    project, ps = report.projects[index], result.projects[index]
    ptpl = templates_mod.project_template(tpl)
    form = ptpl.project if ptpl else None
    columns = form.columns if form else DEFAULT_COLUMNS
    keys = [k for k, _ in columns]
    widths = [BLOCK_WIDTH] + [WIDTHS[k] for k in keys]
    n = len(widths)
    label_span = 2 if n >= 10 else 1  # the 项目资金 rows' label; the 得分计算方法 takes what is left
    method_span = n - 7 - label_span
    g = Grid(f"project_self_eval.{index}", FORMS["project_self_eval"], widths,
             subtitle=f"（{report.fiscal_year}年度）\n预算单位（盖章）：{_department(report)}")
    sources = ("本级安排", "上级转移支付")
    source = FULL_SPACE.join(f"{s} {CHECKED if project.fund_source == s else UNCHECKED}" for s in sources)
    g.add(_h("项目名称", 2), _t(project.name, n - 6), _h("资金来源", 2), _t(source, 2, align="center"))
    g.add(_h("主管部门", 2), _t(project.authority, n - 6), _h("实施单位", 2), _t(project.implementer, 2))

    # 项目资金（万元）（10分）
    ex = ps.execution
    scored = set(form.scored_funds_rows) if form else {"total"}
    label = form.execution_label if form else "项目资金"
    first = g.add(_h(f"{label}\n（万元）\n（{pts(ex.weight)}分）", 1, 5), _h("", label_span), _h("年初预算数"),
                  _h("全年预算数\n（A）"), _h("全年执行数\n（B）"), _h(f"分值\n（{pts(ex.weight)}分）"),
                  _h("执行率\n（B/A）"), _h("得分"), _h("得分计算方法", method_span))
    g.mark_column_head(first)
    funds = project.funds_total
    method = Cell(form.execution_method if form else "", method_span, 4, "text")
    rows = (("total", funds), ("current", project.funds_current), ("carryover", project.funds_carryover),
            ("other", project.funds_other))
    for key, row in rows:
        s = ex if key == "total" else ps.funds_scores.get(key) if key in scored else None
        points, score = _funds_score(s)
        cells = [_l(FUNDS_ROWS[key] + ("：" if key == "total" else ""), label_span), _money(row.initial_budget, "wan"),
                 _money(row.annual_budget, "wan"), _money(row.executed, "wan"), points,
                 Cell(_funds_rate(row.annual_budget, row.executed), 1, 1, "percent"), score]
        if key == "total":
            cells.append(method)
        g.add(*cells)

    # 年度总体目标
    g.add(_h("年度总体目标", 1, 2), _h("预期目标", 4), _h("实际完成情况", n - 5))
    g.add(_t(project.goal_expected, 4), _t(project.goal_actual, n - 5))

    # 绩效指标
    order = _ordered_rows(project, form)
    head = g.add(_h("绩效指标", 1, max(len(order), 1) + 1), *(_h(label) for _, label in columns))
    g.mark_column_head(head)
    l1_of = [project.indicators[j].level1 for j in order]
    l2_of = [(project.indicators[j].level1, project.indicators[j].level2) for j in order]
    l1_runs = dict(_runs(l1_of))
    l2_runs = dict(_runs(l2_of))
    weights = {l1.id: l1 for l1 in form.level1} if form else {}
    level1_width = WIDTHS["level1"]
    for pos, j in enumerate(order):
        row, s = project.indicators[j], ps.rows[j]
        cells = []
        if pos in l1_runs:
            l1 = weights.get(row.level1)
            name = _weighted(l1.name, l1.weight, level1_width) if l1 else (s.level1 or row.level1)
            cells.append(_h(name, 1, l1_runs[pos]))
        if pos in l2_runs:
            cells.append(_l(row.level2, 1, l2_runs[pos], "center"))
        cells += [_indicator_cells(k, row, s, form, set(keys)) for k in keys if k not in ("level1", "level2")]
        g.add(*cells)
    if not order:
        g.add(*(_t("") for _ in range(n - 1)))
    # 总分: the score only, under 得分 (the form has no 分值 sum; a row's 分值 may differ from its label's)
    at = 1 + keys.index("score")
    total = [_h("总　分", at), Cell(ps.totals.shown, 1, 1, "score" if ps.totals.complete else "text", "center")]
    g.add(*total, *([_t("", n - at - 1)] if n - at - 1 else []))
    for key, label in form.text_fields if form else ():  # the province's text blocks (四川: 评价结论 …)
        g.add(_h(label, 3), _t(getattr(project, key), n - 3))
    grades = [b.grade for b in ptpl.grade_bands] if ptpl else ["优", "良", "中", "差"]
    g.add(_h("项目用款单位自我评定", 3), _t(_boxes(grades, ps.totals.grade), n - 3, align="center"))
    # the 审核结论 is the authority's: ticked only when one was recorded, never guessed from the self-score;
    # once the county's review is done (model.summary.review) it is the grade of the 审核分
    conclusion = reviewed_grade(report, tpl, result, index) or project.authority_review.strip()
    g.add(_h("主管部门审核结论", 3), _t(_boxes(grades, conclusion), n - 3, align="center"))
    g.notes = _rule_notes(form.rule_text if form else "")
    return g
