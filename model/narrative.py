"""Narrative drafts written from the data, in the seeds' style.

Every number in a draft is computed from the report; nothing is typed here:
totals, shares ("占87.79%"), year-on-year change against the 上年数 ("比上年减少
16,869.00元，下降44.57%"), uses by functional class (类), 三公 by kind against its
budget, the execution rate, scores and grades.  A section gets a draft when its
id names a kind of content we can write from data (部门概况, 收支, 政府性基金,
绩效情况, 结论); other sections are the clerk's own words.  Drafts are written
so that ``narrative_check`` reads every figure back (a test holds them to it).
"""
from __future__ import annotations

from decimal import Decimal

from .money import UNIT_LABELS, format_amount, format_percent
from .report import Report
from .rules import pts

HUNDRED = Decimal(100)
KINDS = (  # (keyword in the section id, writer name); the first match wins, None = the clerk's own words
    ("social_insurance", None), ("government_fund", "fund"), ("state_capital", "state_capital"),
    ("overview", "overview"), ("budget", "finance"), ("finance", "finance"), ("income", "finance"),
    ("performance", "performance"), ("analysis", "performance"), ("conclusion", "conclusion"),
)
THREE_PUBLIC_PARTS = (("overseas_travel", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                      ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"))


def draft_kind(section_id: str) -> str | None:
    return next((kind for key, kind in KINDS if key in section_id), None)


class _W:
    def __init__(self, report: Report):
        self.r, self.unit = report, report.display_unit

    def money(self, value: Decimal) -> str:
        return f"{format_amount(value, self.unit)}{UNIT_LABELS[self.unit]}"

    def share(self, part: Decimal, whole: Decimal, of: str = "") -> str:
        return f"，占{of}{format_percent(part / whole * HUNDRED)}" if whole else ""

    def change(self, cur, prev) -> str:
        """"，比上年增加…元，增长…%" (or 持平); empty when last year is unknown or zero."""
        if cur is None or prev is None or prev == 0:
            return ""
        diff = cur - prev
        if diff == 0:
            return "，与上年持平"
        verb, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
        return f"，比上年{verb}{self.money(abs(diff))}，{trend}{format_percent(abs(diff) / abs(prev) * HUNDRED)}"

    def parts(self, pairs, whole, of: str = "") -> str:
        """"其中：A…，占…%；B…，占…%" over the filled, non-zero parts."""
        items = [f"{label}{self.money(v)}{self.share(v, whole, of)}" for v, label in pairs if v]
        return f"其中：{'；'.join(items)}" if items else ""


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


def _sentence(head: str, tail: str = "") -> str:
    return f"{head}。{tail}。" if tail else f"{head}。"


def _income(w: _W) -> list[str]:
    f, s = w.r.finance, w.r.finance.summary
    income = s.income_total
    if income is None:
        return []
    out = [_sentence(f"本单位{w.r.fiscal_year}年度收入合计{w.money(income)}{w.change(income, f.prior.income_total)}",
                     w.parts(((getattr(s, k), label) for k, label in INCOME_PARTS), income))]
    if s.carryover_begin:
        out.append(f"年初结转和结余{w.money(s.carryover_begin)}，与本年收入合计共{w.money(s.income_with_carryover)}。")
    return out


def _spending(w: _W) -> list[str]:
    f, s = w.r.finance, w.r.finance.summary
    spent = s.expenditure_total
    if spent is None:
        return []
    out = [_sentence(f"支出合计{w.money(spent)}{w.change(spent, f.prior.expenditure_total)}",
                     w.parts(((getattr(s, k), label) for k, label in SPEND_PARTS), spent))]
    basic = s.basic_expenditure
    if basic and s.personnel is not None and s.operating is not None:
        out.append(f"基本支出中，人员经费{w.money(s.personnel)}{w.share(s.personnel, basic, '基本支出的')}"
                   f"{w.change(s.personnel, f.prior.personnel)}；"
                   f"公用经费{w.money(s.operating)}{w.share(s.operating, basic, '基本支出的')}"
                   f"{w.change(s.operating, f.prior.operating)}。")
    classes = [r for r in f.functional_rows if r.level == "类" and r.total]
    whole = sum((r.total for r in classes), Decimal(0))
    if classes and whole:
        uses = "；".join(f"{r.name}（类）{w.money(r.total)}{w.share(r.total, whole)}" for r in classes)
        out.append(f"按支出功能分类科目，支出主要用于：{uses}。")
    return out


def _carryover(w: _W) -> list[str]:
    f, s = w.r.finance, w.r.finance.summary
    if s.carryover_end is None:
        return []
    return [f"年末结转和结余{w.money(s.carryover_end)}{w.change(s.carryover_end, f.prior.carryover_end)}。"]


def _budget(w: _W, result) -> list[str]:
    f = w.r.finance
    rate = result.metrics["budget_execution_rate"]
    if rate.value is None:
        return []
    parts = []
    if f.initial_budget is not None:
        parts.append(f"年初预算数{w.money(f.initial_budget)}")
    if f.budget_adjustment:
        verb = "追加" if f.budget_adjustment > 0 else "追减"
        parts.append(f"年中{verb}预算{w.money(abs(f.budget_adjustment))}")
    parts.append(f"全年预算数{w.money(f.annual_budget)}")
    parts.append(f"全年支出{w.money(f.summary.expenditure_total)}，预算执行率{format_percent(rate.value)}")
    return ["，".join(parts) + "。"]


def _three_public(w: _W) -> list[str]:
    f, s = w.r.finance, w.r.finance.summary
    tp = s.three_public.total
    if tp is None:
        return []
    budget = f.three_public_budget
    text = f"“三公”经费支出{w.money(tp)}{w.change(tp, f.prior.three_public.total)}"
    if budget.total:
        text += f"，完成全年预算{w.money(budget.total)}的{format_percent(tp / budget.total * HUNDRED)}"
    items = []
    for k, label in THREE_PUBLIC_PARTS:
        cur, prev, plan = getattr(s.three_public, k), getattr(f.prior.three_public, k), getattr(budget, k)
        if not cur and not prev and not plan:
            continue
        cur = cur or Decimal(0)
        item = f"{label}{w.money(cur)}{w.change(cur, prev)}"
        if plan:
            item += f"，完成全年预算的{format_percent(cur / plan * HUNDRED)}"
        items.append(item)
    if items:
        text += "。其中：" + "；".join(items)
    return [text + "。"]


def _other(w: _W) -> list[str]:
    f = w.r.finance
    out = []
    if f.agency_operating is not None:
        out.append(f"机关运行经费{w.money(f.agency_operating)}{w.change(f.agency_operating, f.prior.agency_operating)}。")
    total_ = f.procurement_total
    if total_:
        kinds = (("货物", f.procurement_goods), ("工程", f.procurement_works), ("服务", f.procurement_services))
        items = "、".join(f"政府采购{k}支出{w.money(v)}" for k, v in kinds if v)
        out.append(f"政府采购支出总额{w.money(total_)}，其中：{items}。")
    return out


def _finance(w: _W, tpl, result) -> str:
    return "".join(_income(w) + _spending(w) + _carryover(w) + _budget(w, result) + _three_public(w) + _other(w))


def _budget_kind(w: _W, field: str, name: str) -> str:
    """政府性基金 / 国有资本经营预算: the amount, or "无" when the income is filled without it."""
    s, year = w.r.finance.summary, w.r.fiscal_year
    value = getattr(s, field)
    if value:
        return f"本单位{year}年度{name}财政拨款收入{w.money(value)}。"
    if s.income_total is not None:
        return f"本单位{year}年度无{name}财政拨款收支。"
    return ""


def _fund(w: _W, tpl, result) -> str:
    return _budget_kind(w, "fund_budget", "政府性基金预算")


def _state_capital(w: _W, tpl, result) -> str:
    return _budget_kind(w, "state_capital_budget", "国有资本经营预算")


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


WRITERS = {"overview": _overview, "finance": _finance, "performance": _performance, "conclusion": _conclusion,
           "fund": _fund, "state_capital": _state_capital}


def draft(report: Report, tpl, result, section_id: str) -> str | None:
    """A draft for the section, or None when the section is the clerk's own words."""
    kind = draft_kind(section_id)
    if kind is None:
        return None
    return WRITERS[kind](_W(report), tpl, result) or None



