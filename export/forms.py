"""The official tables of a report as neutral grids (see ``export.grid``).

``grids_for(report, tpl, result)`` builds, in the order of ``tpl.forms``:

- ``dept_self_eval``    部门整体支出绩效自评表 (seed 001, 湖南)
- ``indicator_scores``  评价指标体系及得分 (seed 004 appendix)
- ``score_summary``     得分情况表 (seed 004)
- ``project_self_eval`` 项目支出绩效自评表, one grid per project (seed 002, 财预〔2020〕10号)
- ``base_data``         基础数据: every finance input and every derived metric

Nothing here computes a score: figures come from the report (money, in the
unit each form states) and from the ScoreResult.  Cells carry display text;
money/score/percent/number styled cells hold exactly the text a writer may
turn back into a number (``1,482.43``, ``1.73``, ``17.26%``, ``10``), with a
trailing ``*`` on scores set by hand.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Optional

from model import templates as templates_mod
from model.figures import UNIT_FIELDS
from model.metrics import METRICS
from model.money import UNIT_LABELS, format_amount, format_decimal, format_percent
from model.report import Project, Report, UnitFinance, total
from model.rules import pts
from model.scoring import IndicatorScore, ScoreResult
from model.templates import FORMS, Template

from .grid import Cell, Grid, text_width

HUNDRED = Decimal(100)
CHECKED, UNCHECKED = "☑", "☐"
OVERRIDE_MARK = "*"
FULL_SPACE = "\u3000"


# ---------------------------------------------------------------- small helpers

def _h(text: str, colspan: int = 1, rowspan: int = 1, align: str = "") -> Cell:
    return Cell(text, colspan, rowspan, "header", align)


def _l(text: str, colspan: int = 1, rowspan: int = 1, align: str = "") -> Cell:
    return Cell(text, colspan, rowspan, "label", align)


def _t(text: str, colspan: int = 1, rowspan: int = 1, align: str = "") -> Cell:
    return Cell(text or "", colspan, rowspan, "text", align)


def _money(value: Optional[Decimal], unit: str, colspan: int = 1) -> Cell:
    return Cell(format_amount(value, unit), colspan, 1, "money")


def _score(s: IndicatorScore | Decimal | None, colspan: int = 1) -> Cell:
    if s is None:
        return Cell("", colspan, 1, "score")
    if isinstance(s, IndicatorScore):
        return Cell(format_decimal(s.score) + (OVERRIDE_MARK if s.overridden else ""), colspan, 1, "score")
    return Cell(format_decimal(s), colspan, 1, "score")


def _points(value: Decimal, colspan: int = 1) -> Cell:
    """分值 as the forms print it: 10, 1.5."""
    return Cell(pts(value), colspan, 1, "number")


def _percent(value: Optional[Decimal], colspan: int = 1, blank: str = "—") -> Cell:
    return Cell(format_percent(value, blank), colspan, 1, "percent")


def _weighted(name: str, weight: Decimal, width: float) -> str:
    """“名称（5分）”, the weight on its own line when both do not fit the column."""
    w = f"（{pts(weight)}分）"
    return f"{name}{w}" if text_width(name + w) <= width - 2 else f"{name}\n{w}"


def _section(text: str, ncols: int) -> Cell:
    return Cell(text, ncols, 1, "header", "left")


def _split(total: int, parts: int) -> list[int]:
    """Spread ``total`` columns over ``parts`` cells as evenly as possible (wider ones first)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _unit_label(report: Report) -> str:
    return UNIT_LABELS.get(report.display_unit, "元")


def _unit(report: Report) -> str:
    return report.display_unit if report.display_unit in UNIT_LABELS else "yuan"


def _department(report: Report) -> str:
    return report.basic.department.strip() or "（未填写单位名称）"


def _subtitle(report: Report, money: bool = True, seal: bool = False) -> str:
    name = "部门（单位）名称（公章）" if seal else "单位名称"
    parts = [f"{name}：{_department(report)}", f"评价年度：{report.fiscal_year}年度"]
    if money:
        parts.append(f"金额单位：{_unit_label(report)}")
    return (FULL_SPACE * 2).join(parts)


def _runs(values: list, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int]]:
    """(first index, length) of each run of equal consecutive values in values[start:end]."""
    end = len(values) if end is None else end
    out, i = [], start
    while i < end:
        j = i
        while j + 1 < end and values[j + 1] == values[i]:
            j += 1
        out.append((i, j - i + 1))
        i = j + 1
    return out


def _sign_text(head: str, body: str, signer_label: str, signer: str, date: str, width: float) -> str:
    """A signature block: heading and opinion, room to sign, then the signer line and 年 月 日 towards the right."""
    lines = [f"{head}：{body.strip()}", ""] if body.strip() else [f"{head}：", "", "", ""]
    tail = [f"{signer_label}：{signer.strip()}" if signer_label else "",
            date.strip() or f"年{FULL_SPACE * 3}月{FULL_SPACE * 3}日"]
    for line in tail:
        if line:
            pad = max(0, int((width * 0.8 - text_width(line)) // 2))  # full-width spaces count 2
            lines += [FULL_SPACE * pad + line, ""]
    return "\n".join(lines[:-1])


def _score_notes(scores: Iterable[IndicatorScore]) -> list[str]:
    """Honest footnotes: scores set by hand (with the rule's score and the reason), scores lacking data."""
    notes, missing = [], []
    for s in scores:
        if s.overridden:
            rule = "无法按规则计算" if s.rule_score is None else f"按评分规则为 {pts(s.rule_score)} 分"
            reason = s.override.reason.strip() or "（未填写理由）"
            notes.append(f"{OVERRIDE_MARK}{s.name}：{rule}，人工调整为 {pts(s.score)} 分。理由：{reason}")
        elif s.rule_score is None:
            missing.append(s.name)
    if notes:
        notes.insert(0, f"标“{OVERRIDE_MARK}”的得分为人工调整得分：")
    if missing:
        notes.append(f"以下指标缺少评分所需数据，暂按 0 分计：{'、'.join(missing)}。")
    return notes


def _rule_notes(rule_text: str) -> list[str]:
    """A template's 注 text split into its numbered points (1. 2. 3.)."""
    import re

    text = " ".join(rule_text.split())
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"\s*(?=(?<![\d.])\d\.(?!\d))", text) if p.strip()]
    return ["注：" + parts[0]] + parts[1:] if parts else []


# ---------------------------------------------------------------- 部门整体支出绩效自评表

DEPT_COLS = [11.0, 10.0, 13.0, 12.0, 11.0, 11.0, 13.0, 13.0]


def _unit_rows(report: Report) -> list[tuple[str, UnitFinance]]:
    units = report.finance.units
    if not units:
        return [("汇总", UnitFinance(name="汇总"))]
    if len(units) == 1:
        return [(units[0].name or "本单位", units[0])]
    rows = [("汇总", report.finance.summary)]
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
    g.add(_section("一、部门（单位）基本概况", n))
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
    units = _unit_rows(report)
    g.add(_section("二、部门（单位）收支情况", n))
    g.add(_section(f"年度收入情况（{ul}）", n))
    g.add(_h("机构名称", 1, 2), _h("收入合计", 1, 2), _h("其中：", 6))
    g.add(_h("上年结转"), _h("公共财政拨款"), _h("政府基金拨款"), _h("纳入专户管理的非税收入拨款", 2), _h("其他收入"))
    for name, u in units:
        g.add(_l(name), _money(u.income_with_carryover, unit), _money(u.carryover_begin, unit),
              _money(u.general_budget, unit), _money(u.fund_budget, unit),
              _money(u.special_account_nontax, unit, 2), _money(_other_income(u), unit))

    g.add(_section(f"部门（单位）年度支出和结余情况（{ul}）", n))
    g.add(_h("机构名称", 1, 3), _h("支出合计", 1, 3), _h("其中：", 4), _h("结余", 2))
    g.add(_h("基本支出", 1, 2), _h("其中：", 2), _h("项目支出", 1, 2), _h("当年结转结余", 1, 2), _h("累计结转结余", 1, 2))
    g.add(_h("人员支出"), _h("公用支出"))
    for name, u in units:
        g.add(_l(name), _money(u.expenditure_total, unit), _money(u.basic_expenditure, unit),
              _money(u.personnel, unit), _money(u.operating, unit), _money(u.project_expenditure, unit),
              _money(u.balance, unit), _money(u.carryover_end, unit))

    g.add(_section(f"“三公”经费支出情况（{ul}）", n))
    g.add(_h("机构名称", 1, 2), _h("三公经费合计", 1, 2), _h("其中：", 6))
    g.add(_h("公务接待费", 2), _h("公务用车购置及运行维护费", 2), _h("因公出国（境）费", 2))
    for name, u in units:
        tp = u.three_public
        g.add(_l(name), _money(tp.total, unit), _money(tp.reception, unit, 2), _money(tp.vehicle, unit, 2),
              _money(tp.overseas_travel, unit, 2))

    g.add(_section(f"固定资产情况（{ul}）", n))
    g.add(_h("机构名称", 1, 2), _h("固定资产合计", 1, 2), _h("其中：", 6))
    g.add(_h("在用固定资产", 2), _h("出租固定资产", 2), _h("其他", 2))
    for name, u in units:
        g.add(_l(name), _money(u.assets_total, unit), _money(u.assets_in_use, unit, 2),
              _money(u.assets_leased, unit, 2), _money(total(u.assets_idle, u.assets_other), unit, 2))

    # 三、绩效自评情况
    g.add(_section("三、部门（单位）整体支出绩效自评情况", n))
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
    g.add(_h("绩效自评综合得分", 2), Cell(format_decimal(totals.total) if totals else "", n - 2, 1, "score", "center"))
    g.add(_h("评价等次", 2), _t(totals.grade if totals else "", n - 2, align="center"))

    # 四、评价人员
    g.add(_section("四、评价人员", n))
    g.add(_h("姓　名", 2), _h("职务/职称", 2), _h("单　位", 2), _h("签　字", 2))
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
    g.add(Cell(_sign_text("财政部门归口业务科室意见", f.opinion, "负责人（签章）", f.signer, f.date, width),
               n, 1, "sign"))
    return g


# ---------------------------------------------------------------- 评价指标体系及得分

def indicator_scores(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    cols = [12.0, 14.0, 16.0, 44.0, 40.0, 8.0]
    g = Grid("indicator_scores", FORMS["indicator_scores"], cols,
             subtitle=_subtitle(report, money=False), header_rows=1, landscape=True)
    g.add(_h("一级指标"), _h("二级指标"), _h("三级指标"), _h("指标解释"), _h("评分规则"), _h("得分"))
    by_key = {s.key: s for s in result.dept.indicators} if result.dept else {}
    shown: list[IndicatorScore] = []
    for l1 in tpl.tree:
        first1 = True
        n1 = sum(len(l2.indicators) for l2 in l1.children)
        for l2 in l1.children:
            first2 = True
            for ind in l2.indicators:
                s = by_key.get(f"dept.{ind.id}")
                cells = []
                if first1:
                    cells.append(_h(_weighted(l1.name, l1.weight, cols[0]), 1, n1))
                if first2:
                    cells.append(_l(_weighted(l2.name, l2.weight, cols[1]), 1, len(l2.indicators), "center"))
                cells += [_l(_weighted(ind.name, ind.weight, cols[2]), align="center"), _t(ind.explanation),
                          _t(ind.rule_text), _score(s)]
                g.add(*cells)
                if s:
                    shown.append(s)
                first1 = first2 = False
    totals = result.dept.totals if result.dept else None
    g.add(_h("合计", 5), _score(totals.total if totals else None))
    g.add(_h("评价等次", 5), _h(totals.grade if totals else ""))
    g.notes = _score_notes(shown)
    if totals and totals.total != totals.rule_total:
        g.notes.append(f"全部按评分规则计算的合计为 {format_decimal(totals.rule_total)} 分（{totals.rule_grade}）。")
    if tpl.notes:
        g.notes.append("说明：" + " ".join(tpl.notes.split()))
    return g


# ---------------------------------------------------------------- 得分情况表

def score_summary(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    g = Grid("score_summary", FORMS["score_summary"], [34, 14, 14, 14],
             subtitle=_subtitle(report, money=False), header_rows=1)
    g.add(_h("指标"), _h("目标分值"), _h("得分"), _h("得分率"))
    if result.dept:
        for l1 in result.dept.groups:
            g.add(_h(l1.name, align="left"), _score(l1.weight), _score(l1.score), _percent(l1.rate))
            for l2 in l1.children:
                g.add(_l(FULL_SPACE + l2.name), _score(l2.weight), _score(l2.score), _percent(l2.rate))
        totals = result.dept.totals
        weight = sum((x.weight for x in result.dept.groups), Decimal(0))
        rate = totals.total / weight * HUNDRED if weight else None
        g.add(_h("合计"), _score(weight), _score(totals.total), _percent(rate))
        g.add(_h("评价等次"), _h(totals.grade, 3))
        g.notes = [n for n in _score_notes(result.dept.indicators) if n.startswith("以下指标")]
        if any(s.overridden for s in result.dept.indicators):
            g.notes.insert(0, "得分含人工调整得分，明细及理由见“评价指标体系及得分”。")
    return g


# ---------------------------------------------------------------- 项目支出绩效自评表

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


# ---------------------------------------------------------------- 基础数据

THREE_PUBLIC = (("overseas_travel", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"))


def _count(value) -> str:
    return "" if value is None else str(value)


def base_data(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    unit, ul = _unit(report), _unit_label(report)
    fin = report.finance
    units = fin.units
    shown_units = [(u.name or f"第{i + 1}个单位", u) for i, u in enumerate(units)]
    if len(units) > 1 or not units:
        shown_units.append(("汇总", fin.summary))
    # 12 narrow value columns divide evenly among 1, 2, 3, 4 or 6 figures per row; more units get one each.
    values = 12 if len(shown_units) <= 6 else len(shown_units)
    cols = [24.0] + ([6.5] * 12 if values == 12 else [14.0] * values)
    n = len(cols)
    g = Grid("base_data", FORMS["base_data"], cols, subtitle=_subtitle(report), landscape=sum(cols) > 110)

    def row(label: str, cells: list[Cell]):
        spans = _split(values, len(cells))
        for c, span in zip(cells, spans):
            c.colspan = span
        g.add(_l(label), *cells)

    def head(label: str, names: list[str]):
        spans = _split(values, len(names))
        g.add(_h(label), *(_h(x, s) for x, s in zip(names, spans)))

    # 1. 收支 per unit
    g.add(_section(f"一、收支情况（{ul}）", n))
    head("项目", [name for name, _ in shown_units])
    for key, label in UNIT_FIELDS.items():
        if key == "three_public_total":
            continue
        row(label, [_money(getattr(u, key), unit) for _, u in shown_units])
    row("三公经费合计", [_money(u.three_public.total, unit) for _, u in shown_units])
    for key, label in THREE_PUBLIC:
        row(f"　{label}", [_money(getattr(u.three_public, key), unit) for _, u in shown_units])

    # 2. 预算、采购及其他
    g.add(_section(f"二、预算、政府采购及其他（{ul}）", n))
    head("项目", ["金额/数值"])
    money_rows = (
        ("年初预算数", fin.initial_budget), ("预算调整数（追加 − 追减）", fin.budget_adjustment),
        ("全年预算数" + ("（填列）" if fin.annual_budget_entered is not None else "（年初 + 调整）"), fin.annual_budget),
        ("公用经费预算数", fin.operating_budget), ("政府采购预算数", fin.procurement_budget),
        ("政府采购：货物", fin.procurement_goods), ("政府采购：工程", fin.procurement_works),
        ("政府采购：服务", fin.procurement_services), ("政府采购合计", fin.procurement_total),
        ("机关运行经费", fin.agency_operating), ("在职人员经费", fin.in_service_personnel),
        ("离退休人员经费", fin.retiree_personnel), ("厉行节约支出", fin.frugality),
        ("重点项目支出", fin.key_project_expenditure),
    )
    for label, value in money_rows:
        row(label, [_money(value, unit)])
    b = report.basic
    for label, value in (("公务用车数量（辆）", fin.vehicles), ("编制数（人）", b.authorized_staff),
                         ("其中：行政编制", b.authorized_admin), ("事业编制", b.authorized_institution),
                         ("工勤编制", b.authorized_logistics), ("实有在职人数（人）", b.actual_staff),
                         ("离退休人员（人）", b.retirees)):
        row(label, [Cell(_count(value), 1, 1, "number")])

    # 3. 三公经费 预算/决算/上年
    g.add(_section(f"三、“三公”经费（{ul}）", n))
    head("项目", ["本年预算数", "本年决算数", "上年预算数", "上年决算数"])
    sources = (fin.three_public_budget, fin.summary.three_public, fin.prior.three_public_budget, fin.prior.three_public)
    for key, label in THREE_PUBLIC:
        row(label, [_money(getattr(tp, key), unit) for tp in sources])
    row("合计", [_money(tp.total, unit) for tp in sources])

    # 4. 上年数
    p = fin.prior
    g.add(_section(f"四、上年数（{ul}）", n))
    head("项目", ["上年数"])
    for label, value in (("本年收入合计", p.income_total), ("支出合计", p.expenditure_total),
                         ("人员经费", p.personnel), ("公用经费", p.operating),
                         ("在职人员经费", p.in_service_personnel), ("离退休人员经费", p.retiree_personnel),
                         ("年末结转和结余", p.carryover_end), ("厉行节约支出", p.frugality),
                         ("机关运行经费", p.agency_operating)):
        row(label, [_money(value, unit)])
    row("实有在职人数（人）", [Cell(_count(p.actual_staff), 1, 1, "number")])

    # 5. 支出功能分类
    if fin.functional_rows:
        g.add(_section(f"五、支出功能分类（{ul}）", n))
        head("科目编码及名称", ["合计", "基本支出", "项目支出"])
        for fr in fin.functional_rows:
            indent = {"类": "", "款": FULL_SPACE, "项": FULL_SPACE * 2}.get(fr.level, "")
            row(f"{indent}{fr.code.strip()} {fr.name.strip()}".rstrip(),
                [_money(fr.total, unit), _money(fr.basic, unit), _money(fr.project, unit)])

    # 6. 计算指标
    g.add(_section(f"{'六' if fin.functional_rows else '五'}、计算指标", n))
    value_span = max(1, values // 6)
    rest = _split(values - value_span, 2)
    g.add(_h("指标"), _h("计算公式", rest[0]), _h("计算过程", rest[1]), _h("计算结果", value_span))
    for mid, metric in METRICS.items():
        mv = result.metrics.get(mid) if result.metrics else None
        if mv is None:
            mv = metric.compute(report)
        g.add(_l(metric.name), _t(metric.formula, rest[0]), _t(mv.detail, rest[1]), _percent(mv.value, value_span))

    # 7. 人工调整得分
    overridden = [s for s in result.all_scores() if s.overridden]
    if overridden:
        g.add(_section(f"{'七' if fin.functional_rows else '六'}、人工调整得分及理由", n))
        small = max(1, values // 6)
        parts = [small, small, small, values - 3 * small]
        g.add(_h("指标"), _h("分值", parts[0]), _h("按规则得分", parts[1]), _h("调整后得分", parts[2]),
              _h("调整理由", parts[3]))
        for s in overridden:
            where = ""
            if s.key.startswith("project."):
                i = int(s.key.split(".")[1])
                where = f"项目{i + 1}：" if i < len(report.projects) else ""
            g.add(_l(where + s.name), _points(s.weight, parts[0]),
                  Cell(format_decimal(s.rule_score, "—"), parts[1], 1, "score"),
                  Cell(format_decimal(s.score), parts[2], 1, "score"),
                  _t(s.override.reason.strip() or "（未填写理由）", parts[3]))
    g.notes = [f"金额单位：{ul}。计算指标按“基础数据”自动计算，计算结果四舍五入保留两位小数。"]
    return g


# ---------------------------------------------------------------- entry point

NUMERIC = ("money", "score", "percent", "number")


def fit_numbers(grid: Grid) -> Grid:
    """Widen columns so that every number fits on one line (a number cannot wrap: Excel shows ####)."""
    from .grid import positions

    for row in positions(grid):
        for col, cell in row:
            if cell.style not in NUMERIC or not cell.text:
                continue
            need = text_width(cell.text) + 3
            have = sum(grid.columns[col:col + cell.colspan])
            if need > have:
                grid.columns[col + cell.colspan - 1] += need - have
    return grid


def grids_for(report: Report, tpl: Template, result: ScoreResult) -> list[Grid]:
    """The official tables of ``tpl.forms``, in order; forms that do not apply give no grid."""
    out: list[Grid] = []
    for form in tpl.forms:
        if form == "dept_self_eval":
            out.append(dept_self_eval(report, tpl, result))
        elif form in ("indicator_scores", "score_summary"):
            if tpl.kind == "dept" and result.dept is not None:
                out.append((indicator_scores if form == "indicator_scores" else score_summary)(report, tpl, result))
        elif form == "project_self_eval":
            out += [project_self_eval(report, tpl, result, i)
                    for i in range(min(len(report.projects), len(result.projects)))]
        elif form == "base_data":
            out.append(base_data(report, tpl, result))
    return [fit_numbers(g) for g in out]
