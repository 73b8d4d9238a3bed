"""项目支出绩效自评表, one per project (seed 002, 财预〔2020〕10号)."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from model import templates as templates_mod
from model.money import format_decimal, format_percent
from model.report import Project, Report
from model.scoring import ScoreResult
from model.templates import FORMS, Template

from ..grid import Cell, Grid
from .common import (
    _department,
    _h,
    _l,
    _money,
    _percent,
    _points,
    _rule_notes,
    _runs,
    _score,
    _score_notes,
    _t,
    _weighted,
)

HUNDRED = Decimal(100)
CHECKED, UNCHECKED = "☑", "☐"
OVERRIDE_MARK = "*"
FULL_SPACE = "\u3000"



PROJECT_COLS = [9.0, 10.0, 12.0, 18.0, 12.0, 12.0, 7.0, 10.0, 16.0]


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


def project_self_eval(report: Report, tpl: Template, result: ScoreResult, index: int) -> Grid:
    project, ps = report.projects[index], result.projects[index]
    ptpl = templates_mod.project_template(tpl)
    form = ptpl.project if ptpl else None
    n = len(PROJECT_COLS)
    g = Grid(f"project_self_eval.{index}", FORMS["project_self_eval"], list(PROJECT_COLS),
             subtitle=f"（{report.fiscal_year}年度）\n预算单位（盖章）：{_department(report)}")
    sources = ("本级安排", "上级转移支付")
    source = FULL_SPACE.join(f"{s} {CHECKED if project.fund_source == s else UNCHECKED}" for s in sources)
    g.add(_h("项目名称", 2), _t(project.name, 3), _h("资金来源"), _t(source, 3, align="center"))
    g.add(_h("主管部门", 2), _t(project.authority, 3), _h("实施单位"), _t(project.implementer, 3))

    # 项目资金（万元）
    g.add(_h("项目资金\n（万元）", 1, 5), _h("", 2), _h("年初预算数"), _h("全年预算数\n（A）"),
          _h("全年执行数\n（B）"), _h("分值"), _h("执行率\n（B/A）"), _h("得分"))
    funds = project.funds_total
    ex = ps.execution
    g.add(_l("年度资金总额", 2), _money(funds.initial_budget, "wan"), _money(funds.annual_budget, "wan"),
          _money(funds.executed, "wan"), _points(ex.weight), _percent(ex.value), _score(ex))
    for label, row in (("其中：当年财政拨款", project.funds_current), ("上年结转资金", project.funds_carryover),
                       ("其他资金", project.funds_other)):
        g.add(_l(label, 2), _money(row.initial_budget, "wan"), _money(row.annual_budget, "wan"),
              _money(row.executed, "wan"), _t("—", align="center"),
              Cell(_funds_rate(row.annual_budget, row.executed), 1, 1, "percent"), _t("—", align="center"))

    # 年度总体目标
    g.add(_h("年度总体目标", 1, 2), _h("预期目标", 4), _h("实际完成情况", 4))
    g.add(_t(project.goal_expected, 4), _t(project.goal_actual, 4))

    # 绩效指标
    order = _ordered_rows(project, form)
    g.add(_h("绩效指标", 1, len(order) + 1), _h("一级指标"), _h("二级指标"), _h("三级指标"), _h("年度指标值\n（A）"),
          _h("实际完成值\n（B）"), _h("分值"), _h("得分"), _h("未完成原因分析"))
    l1_of = [project.indicators[j].level1 for j in order]
    l2_of = [(project.indicators[j].level1, project.indicators[j].level2) for j in order]
    l1_runs = dict(_runs(l1_of))
    l2_runs = dict(_runs(l2_of))
    weights = {l1.id: l1 for l1 in form.level1} if form else {}
    for pos, j in enumerate(order):
        row, s = project.indicators[j], ps.rows[j]
        cells = []
        if pos in l1_runs:
            l1 = weights.get(row.level1)
            name = _weighted(l1.name, l1.weight, PROJECT_COLS[1]) if l1 else (s.level1 or row.level1)
            cells.append(_h(name, 1, l1_runs[pos]))
        if pos in l2_runs:
            cells.append(_l(row.level2, 1, l2_runs[pos], "center"))
        cells += [_t(row.name), _t(row.target, align="center"), _t(row.actual, align="center"),
                  _points(row.weight), _score(s), _t(row.deviation_reason)]
        g.add(*cells)
    if not order:
        g.add(_t(""), _t(""), _t(""), _t(""), _t(""), _t(""), _t(""), _t(""))
    total_weight = ex.weight + sum((r.weight for r in project.indicators), Decimal(0))
    g.add(_h("总　分", 6), _points(total_weight), _score(ps.totals.total), _t(""))
    grades = [b.grade for b in ptpl.grade_bands] if ptpl else ["优", "良", "中", "差"]
    review = project.authority_review.strip() or ps.totals.grade
    g.add(_h("项目用款单位自我评定", 3), _t(_boxes(grades, ps.totals.grade), n - 3, align="center"))
    g.add(_h("主管部门审核结论", 3), _t(_boxes(grades, review), n - 3, align="center"))

    g.notes = _rule_notes(form.rule_text if form else "") + _score_notes([ex, *ps.rows])
    if ps.totals.total != ps.totals.rule_total:
        g.notes.append(f"全部按评分规则计算的总分为 {format_decimal(ps.totals.rule_total)} 分（{ps.totals.rule_grade}）。")
    return g
