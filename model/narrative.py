"""Narrative drafts written from the data, in the seeds' style.

Every number in a draft is computed from the report; nothing is typed here.
A section gets a draft when its id names a kind of content we can write from
data (部门概况, 收支, 绩效情况, 结论); other sections are the clerk's own words.
"""
from __future__ import annotations

from decimal import Decimal

from .money import UNIT_LABELS, format_amount, format_percent
from .report import Report
from .rules import pts

HUNDRED = Decimal(100)
KINDS = (  # (keyword in the section id, writer name)
    ("overview", "overview"), ("budget", "finance"), ("finance", "finance"), ("income", "finance"),
    ("performance", "performance"), ("analysis", "performance"), ("conclusion", "conclusion"),
)


def draft_kind(section_id: str) -> str | None:
    return next((kind for key, kind in KINDS if key in section_id), None)


class _W:
    def __init__(self, report: Report):
        self.r, self.unit = report, report.display_unit

    def money(self, value: Decimal) -> str:
        return f"{format_amount(value, self.unit)}{UNIT_LABELS[self.unit]}"

    def share(self, part: Decimal, whole: Decimal) -> str:
        return f"，占{format_percent(part / whole * HUNDRED)}" if whole else ""

    def change(self, cur, prev, what: str) -> str:
        if cur is None or prev is None or prev == 0:
            return ""
        diff = cur - prev
        verb, trend = ("增加", "增长") if diff >= 0 else ("减少", "下降")
        return f"{what}比上年{verb}{self.money(abs(diff))}，{trend}{format_percent(abs(diff) / prev * HUNDRED)}"


def _overview(w: _W, tpl, result) -> str:
    b = w.r.basic
    parts = []
    if b.department:
        kind = f"，单位性质为{b.unit_type}" if b.unit_type else ""
        parts.append(f"{b.department}{kind}。")
    if b.functions:
        parts.append("主要职能职责：" + "；".join(f"{i}.{f.rstrip('。；;')}" for i, f in enumerate(b.functions, 1)) + "。")
    if b.internal_units:
        parts.append(f"内设机构{len(b.internal_units)}个：{'、'.join(b.internal_units)}。")
    if b.subordinate_units:
        parts.append(f"所属二级单位{len(b.subordinate_units)}个：{'、'.join(b.subordinate_units)}。")
    staff = []
    if b.authorized_staff is not None:
        staff.append(f"核定编制{b.authorized_staff}名")
    if b.actual_staff is not None:
        staff.append(f"实有在职人员{b.actual_staff}人")
    if staff:
        parts.append("，".join(staff) + "。")
    return "".join(parts)


INCOME_PARTS = (("fiscal_appropriation", "财政拨款收入"), ("higher_subsidy", "上级补助收入"), ("service_income", "事业收入"),
                ("business_income", "经营收入"), ("affiliate_remittance", "附属单位上缴收入"),
                ("special_account_nontax", "纳入专户管理的非税收入"), ("other_income", "其他收入"))
SPEND_PARTS = (("basic_expenditure", "基本支出"), ("project_expenditure", "项目支出"), ("remit_higher", "上缴上级支出"),
               ("business_expenditure", "经营支出"), ("affiliate_subsidy", "对附属单位补助支出"))


def _finance(w: _W, tpl, result) -> str:
    f, s, year = w.r.finance, w.r.finance.summary, w.r.fiscal_year
    out = []
    income = s.income_total
    if income is not None:
        items = [f"{label}{w.money(getattr(s, k))}{w.share(getattr(s, k), income)}"
                 for k, label in INCOME_PARTS if getattr(s, k)]
        text = f"本单位{year}年度收入合计{w.money(income)}" + (f"，其中：{'；'.join(items)}" if items else "") + "。"
        out.append(text)
        change = w.change(income, f.prior.income_total, "收入合计")
        if change:
            out.append(change + "。")
    spent = s.expenditure_total
    if spent is not None:
        items = [f"{label}{w.money(getattr(s, k))}{w.share(getattr(s, k), spent)}"
                 for k, label in SPEND_PARTS if getattr(s, k)]
        out.append(f"支出合计{w.money(spent)}" + (f"，其中：{'；'.join(items)}" if items else "") + "。")
        if s.personnel is not None and s.operating is not None:
            out.append(f"基本支出中，人员经费{w.money(s.personnel)}，公用经费{w.money(s.operating)}。")
        change = w.change(spent, f.prior.expenditure_total, "支出合计")
        if change:
            out.append(change + "。")
    classes = [r for r in f.functional_rows if r.level == "类" and r.total]
    if classes and spent:
        uses = "；".join(f"{r.name}（类）{w.money(r.total)}{w.share(r.total, spent)}" for r in classes)
        out.append(f"按支出功能分类，主要用于：{uses}。")
    if s.carryover_end is not None:
        out.append(f"年末结转和结余{w.money(s.carryover_end)}。")
    tp, budget = s.three_public.total, f.three_public_budget.total
    if tp is not None:
        text = f"“三公”经费支出{w.money(tp)}"
        if budget:
            text += f"，为全年预算{w.money(budget)}的{format_percent(tp / budget * HUNDRED)}"
        change = w.change(tp, f.prior.three_public.total, "")
        out.append(text + (f"，{change.lstrip('比')}" if change else "") + "。")
    rate = result.metrics["budget_execution_rate"]
    if rate.value is not None:
        out.append(f"全年预算数{w.money(f.annual_budget)}，预算执行率{format_percent(rate.value)}。")
    return "".join(out)


def _performance(w: _W, tpl, result) -> str:
    lines = []
    for mid in ("budget_execution_rate", "budget_adjustment_rate", "carryover_change_rate", "staff_control_rate",
                "three_public_control_rate", "three_public_change_rate", "operating_control_rate",
                "procurement_execution_rate", "fixed_asset_utilization_rate"):
        mv = result.metrics[mid]
        if mv.value is not None:
            from .metrics import METRICS

            lines.append(f"{METRICS[mid].name}{format_percent(mv.value)}（{mv.detail.split(' = ')[0]}）")
    text = ("主要指标完成情况：" + "；".join(lines) + "。") if lines else ""
    for p in result.projects:
        rate = p.execution.value
        text += (f"“{p.name}”项目执行率{format_percent(rate)}，自评得分{pts(p.totals.total)}分，等次为“{p.totals.grade}”。"
                 if rate is not None else "")
    return text


def _conclusion(w: _W, tpl, result) -> str:
    year = w.r.fiscal_year
    if result.dept:
        t = result.dept.totals
        parts = "，".join(f"{g.name}得{pts(g.score)}分（满分{pts(g.weight)}分）" for g in result.dept.groups)
        text = f"经综合评价，本单位{year}年度部门整体支出绩效自评得分为{pts(t.total)}分，评价等次为“{t.grade}”。其中：{parts}。"
        if t.total != t.rule_total:
            text += f"（按评分规则计算为{pts(t.rule_total)}分，差异为人工调整得分，理由见评分表。）"
        return text
    lines = [f"“{p.name}”得分{pts(p.totals.total)}分，评价等次为“{p.totals.grade}”" for p in result.projects]
    return (f"本单位对{year}年度{len(lines)}个项目开展了绩效自评：" + "；".join(lines) + "。") if lines else ""


WRITERS = {"overview": _overview, "finance": _finance, "performance": _performance, "conclusion": _conclusion}


def draft(report: Report, tpl, result, section_id: str) -> str | None:
    """A draft for the section, or None when the section is the clerk's own words."""
    kind = draft_kind(section_id)
    if kind is None:
        return None
    return WRITERS[kind](_W(report), tpl, result) or None



