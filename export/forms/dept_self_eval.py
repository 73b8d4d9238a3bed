"""部门整体支出绩效自评表 (seed 001, 湖南)."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from model.report import Report, UnitFinance, total
from model.scoring import ScoreResult
from model.templates import FORMS, Template

from ..grid import Cell, Grid
from .common import (
    _h,
    _l,
    _money,
    _runs,
    _section,
    _sign_text,
    _subtitle,
    _t,
    _total_cell,
    _unit,
    _unit_label,
)

DEPT_COLS = [11.0, 10.0, 13.0, 12.0, 11.0, 11.0, 13.0, 13.0]


def _unit_rows(report: Report, tpl: Template) -> list[tuple[str, UnitFinance]]:
    units = report.finance.units
    label = tpl.unit_summary_label
    if not units:
        return [(label, UnitFinance(name=label))]
    if len(units) == 1:
        return [(units[0].name or "本单位", units[0])]
    rows = [(label, report.finance.summary)]
    rows += [(f"{i + 1}、{u.name or f'第{i + 1}个单位'}", u) for i, u in enumerate(units)]
    return rows


def _other_income(u: UnitFinance) -> Optional[Decimal]:
    """其他收入 as the 湖南 form groups it: every source besides 上年结转 and the three columns before."""
    return total(u.state_capital_budget, u.higher_subsidy, u.service_income, u.business_income,
                 u.affiliate_remittance, u.other_income)


def dept_self_eval(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    n = len(DEPT_COLS)
    b, unit, ul = report.basic, _unit(report), _unit_label(report)
    g = Grid("dept_self_eval", FORMS["dept_self_eval"], list(DEPT_COLS),
             subtitle=_subtitle(report, seal=True))

    # 一、基本概况
    g.add_section(_section("一、部门（单位）基本概况", n))
    g.add(_h("联系人", 2), _t(b.contact_person, 2, align="center"), _h("联系电话", 2),
          _t(b.contact_phone, 2, align="center"))
    staff = b.authorized_staff
    g.add(_h("人员编制", 2), _t("" if staff is None else str(staff), 2, align="center"), _h("实有人数", 2),
          _t("" if b.actual_staff is None else str(b.actual_staff), 2, align="center"))
    functions = "\n".join(f"{i + 1}、{f.strip()}" for i, f in enumerate(x for x in b.functions if x.strip()))
    g.add(_h("职能职责概述", 2), _t(functions, n - 2))
    g.add(_h("年度主要工作内容", 2), _t(b.annual_work, n - 2))
    g.add(_h("年度部门（单位）总体运行情况及取得的成绩", 2), _t(b.overall_operation, n - 2))

    # 二、收支情况
    units = _unit_rows(report, tpl)
    g.add_section(_section("二、部门（单位）收支情况", n))
    g.add_section(_section(f"年度收入情况（{ul}）", n))
    g.mark_column_head(g.add(_h("机构名称", 1, 2), _h("收入合计", 1, 2), _h("其中：", 6)), 2)
    g.add(_h("上年结转"), _h("公共财政拨款"), _h("政府基金拨款"), _h("纳入专户管理的非税收入拨款", 2), _h("其他收入"))
    for name, u in units:
        g.add(_l(name), _money(u.income_with_carryover, unit), _money(u.carryover_begin, unit),
              _money(u.general_budget, unit), _money(u.fund_budget, unit),
              _money(u.special_account_nontax, unit, 2), _money(_other_income(u), unit))

    g.add_section(_section(f"部门（单位）年度支出和结余情况（{ul}）", n))
    g.mark_column_head(g.add(_h("机构名称", 1, 3), _h("支出合计", 1, 3), _h("其中：", 4), _h("结余", 2)), 3)
    g.add(_h("基本支出", 1, 2), _h("其中：", 2), _h("项目支出", 1, 2), _h("当年结转结余", 1, 2), _h("累计结转结余", 1, 2))
    g.add(_h("人员支出"), _h("公用支出"))
    for name, u in units:
        g.add(_l(name), _money(u.expenditure_total, unit), _money(u.basic_expenditure, unit),
              _money(u.personnel, unit), _money(u.operating, unit), _money(u.project_expenditure, unit),
              _money(u.balance or None, unit), _money(u.carryover_end, unit))  # a nil balance is left blank, as on the form

    g.add_section(_section(f"“三公”经费支出情况（{ul}）", n))
    g.mark_column_head(g.add(_h("机构名称", 1, 2), _h("三公经费合计", 1, 2), _h("其中：", 6)), 2)
    g.add(_h("公务接待费", 2), _h("公务用车购置及运行维护费", 2), _h("因公出国（境）费", 2))
    for name, u in units:
        tp = u.three_public
        g.add(_l(name), _money(tp.total, unit), _money(tp.reception, unit, 2), _money(tp.vehicle, unit, 2),
              _money(tp.overseas_travel, unit, 2))

    g.add_section(_section(f"固定资产情况（{ul}）", n))
    g.mark_column_head(g.add(_h("机构名称", 1, 2), _h("固定资产合计", 1, 2), _h("其中：", 6)), 2)
    g.add(_h("在用固定资产", 2), _h("出租固定资产", 2), _h("其他", 2))
    for name, u in units:
        g.add(_l(name), _money(u.assets_total, unit), _money(u.assets_in_use, unit, 2),
              _money(u.assets_leased, unit, 2), _money(total(u.assets_idle, u.assets_other), unit, 2))

    # 三、绩效自评情况
    g.add_section(_section("三、部门（单位）整体支出绩效自评情况", n))
    # The seed puts these two labels in a column of their own; as heading rows they leave the long
    # target/completion texts room to breathe on a portrait page.
    g.add(_h("整体支出绩效定性目标及实施计划完成情况", n, align="left"))
    g.add(_h("预期目标", 4), _h("实际完成", 4))
    g.add(_t(b.performance_goal, 4), _t(b.goal_actual, 4))
    goals = report.dept_goals or []
    g.add(_h("整体支出绩效定量目标及实施计划完成情况", n, align="left"))
    g.add(_h("评价内容", 3), _h("绩效目标", 2), _h("完成情况", 3))
    if not goals:
        g.add(_t(""), _t(""), _t(""), _t("", 2), _t("", 3))
    cats = [x.category.strip() for x in goals]
    dims = [x.dimension.strip() for x in goals]
    cat_start = dict(_runs(cats))
    dim_start: dict[int, int] = {}
    for i, length in _runs(cats):
        dim_start.update(_runs(dims, i, i + length))
    for i, goal in enumerate(goals):
        cells = []
        if i in cat_start:
            cells.append(_h(goal.category, 1, cat_start[i]))
        if i in dim_start:
            cells.append(_l(goal.dimension, 1, dim_start[i], align="center"))
        cells += [_t(goal.name), _t(goal.target, 2), _t(goal.actual, 3)]
        g.add(*cells)
    totals = result.dept.totals if result.dept else None
    score = Cell("", n - 2, 1, "score", "center")
    if totals:
        score = _total_cell(totals, n - 2)
        score.align = "center"
    g.add(_h("绩效自评综合得分", 2), score)
    g.add(_h("评价等次", 2), _t(totals.grade if totals else "", n - 2, align="center"))

    # 四、评价人员
    g.add_section(_section("四、评价人员", n))
    g.mark_column_head(g.add(_h("姓　名", 2), _h("职务/职称", 2), _h("单　位", 2), _h("签　字", 2)), 1)
    team = [m for m in report.team if m.name.strip()]
    for m in team:
        role = "" if m.role in ("", "成员") else f"（{m.role}）"
        g.add(_t(m.name.strip() + role, 2, align="center"), _t(m.title, 2, align="center"),
              _t(m.unit, 2, align="center"), Cell("", 2, 1, "sign"))
    for _ in range(max(0, 3 - len(team))):
        g.add(_t("", 2), _t("", 2), _t("", 2), Cell("", 2, 1, "sign"))

    width = sum(DEPT_COLS)
    g.add(Cell(_sign_text("评价组组长（签字）", "", "", "", "", width), n, 1, "sign"))
    d, f = report.dept_opinion, report.finance_opinion
    g.add(Cell(_sign_text("部门（单位）意见", d.opinion, "部门（单位）负责人（签章）", d.signer, d.date, width),
               n, 1, "sign"))
    g.add(Cell(_sign_text("财政部门归口业务科室意见", f.opinion, "财政部门归口业务科室负责人（签章）", f.signer, f.date,
                          width),
               n, 1, "sign"))
    return g
