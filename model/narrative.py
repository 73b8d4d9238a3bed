"""Narrative drafts written from the data, in the seeds' style.

Every number in a draft is computed from the report; nothing is typed here:
totals, shares ("占87.79%"), year-on-year change against the 上年数 ("比上年减少
16,869.00元，下降44.57%") for every category whose 上年数 is known (收入/支出合计, 财政拨款收入,
一般公共预算财政拨款收入, 基本/项目支出, 人员/公用经费, 财政拨款支出, 一般公共预算财政拨款支出,
年末结转和结余, 三公 and each kind, 机关运行经费), uses by functional class (类), 三公 by kind against its
budget, the execution rate, scores and grades.  A section gets a draft when its
id names a kind of content we can write from data (部门概况, 收支, 政府性基金,
绩效情况, 结论); other sections are the clerk's own words.  Drafts are written
so that ``narrative_check`` reads every figure back (a test holds them to it).

Where a draft says 见下表 the table follows it, in the pipe form of
``narrative_tables`` (收入 by source and 支出 by kind with 金额 and 占比, 三公经费
预算数 vs 决算数 and 上年, the score by 一级指标); ``data_tables`` offers the same
tables (and each 一级指标's indicators) to the 文字说明 step's “从数据插入表格”.
While scored indicators are unanswered no draft states a total or a grade.
"""
from __future__ import annotations

from decimal import Decimal

from .money import UNIT_LABELS, format_amount, format_decimal, format_percent
from .narrative_tables import to_text
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

    def amount(self, value, blank: str = "—") -> str:
        """An amount as a table cell: no unit (the table's 单位 line says it)."""
        return format_amount(value, self.unit, blank)

    def unit_line(self) -> str:
        return f"单位：{UNIT_LABELS[self.unit]}"

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
        """"其中：A…，占…%，比上年…；B…，占…%" over the filled, non-zero parts ((value, label, 上年数) each)."""
        items = [f"{label}{self.money(v)}{self.share(v, whole, of)}{self.change(v, prev)}" for v, label, prev in pairs if v]
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
# the PriorYear field of a part's 上年数, where the model keeps one
PRIOR_OF = {"fiscal_appropriation": "fiscal_income", "basic_expenditure": "basic_expenditure",
            "project_expenditure": "project_expenditure"}


def _with_prior(w: _W, s, kinds):
    """(value, label, 上年数) of each part of the 汇总 ``s``."""
    prior = w.r.finance.prior
    return ((getattr(s, k), label, getattr(prior, PRIOR_OF[k]) if k in PRIOR_OF else None) for k, label in kinds)


def _sentence(head: str, tail: str = "") -> str:
    return f"{head}。{tail}。" if tail else f"{head}。"


def _income(w: _W) -> list[str]:
    f, s = w.r.finance, w.r.finance.summary
    income = s.income_total
    if income is None:
        return []
    out = [_sentence(f"本单位{w.r.fiscal_year}年度收入合计{w.money(income)}{w.change(income, f.prior.income_total)}",
                     w.parts(_with_prior(w, s, INCOME_PARTS), income))]
    general = s.general_budget
    if general and (general != s.fiscal_appropriation or f.prior.general_budget is not None):
        out.append(f"财政拨款收入中，一般公共预算财政拨款收入{w.money(general)}{w.share(general, income)}"
                   f"{w.change(general, f.prior.general_budget)}。")
    if s.carryover_begin:
        out.append(f"年初结转和结余{w.money(s.carryover_begin)}，与本年收入合计共{w.money(s.income_with_carryover)}。")
    return out


def _spending(w: _W) -> list[str]:
    f, s = w.r.finance, w.r.finance.summary
    spent = s.expenditure_total
    if spent is None:
        return []
    out = [_sentence(f"支出合计{w.money(spent)}{w.change(spent, f.prior.expenditure_total)}",
                     w.parts(_with_prior(w, s, SPEND_PARTS), spent))]
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
    return out + _fiscal_spending(w)


def _fiscal_spending(w: _W) -> list[str]:
    """财政拨款支出 and 一般公共预算财政拨款支出: each with its share of 本年支出合计 and its 同比."""
    f, spent = w.r.finance, w.r.finance.summary.expenditure_total
    items = [f"{label}{w.money(v)}{w.share(v, spent, '本年支出合计的')}{w.change(v, prev)}"
             for v, prev, label in ((f.fiscal_expenditure, f.prior.fiscal_expenditure, "财政拨款支出"),
                                    (f.general_expenditure, f.prior.general_expenditure, "一般公共预算财政拨款支出"))
             if v is not None]
    return [f"本年{'；其中'.join(items)}。"] if items else []


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
    """收入 (table), 支出 (table), 结转 and 预算执行, 三公 (table), 机关运行经费 and 政府采购: one paragraph each."""
    paras, number = [], 1
    for sentences, table_of, intro in ((_income(w), income_table, "收入构成见下表。"),
                                       (_spending(w), spending_table, "支出构成见下表。")):
        if not sentences:
            continue
        table = table_of(w, number)
        paras.append("".join(sentences) + (f"{intro}\n{table}" if table else ""))
        number += bool(table)
    paras.append("".join(_carryover(w) + _budget(w, result)))
    three = "".join(_three_public(w))
    if three:
        table = three_public_table(w, number)
        paras.append(three + (f"“三公”经费预算与决算情况见下表。\n{table}" if table else ""))
    paras.append("".join(_other(w)))
    return "\n".join(p for p in paras if p)


# ---------------------------------------------------------------- tables from the data (pipe text)

def _title(w: _W, number: int, name: str) -> str:
    year = f"{w.r.fiscal_year}年度" if w.r.fiscal_year else ""
    return f"表{number} {year}{name}"


def _share_cell(part: Decimal, whole) -> str:
    return format_percent(part / whole * HUNDRED) if whole else "—"


def income_table(w: _W, number: int = 1) -> str:
    """收入 by source: 金额 and 占比 of 收入合计 (the filled, non-zero sources), then 合计."""
    s = w.r.finance.summary
    income = s.income_total
    parts = [(label, getattr(s, k)) for k, label in INCOME_PARTS if getattr(s, k)]
    if income is None or not parts:
        return ""
    rows = [["收入项目", "金额", "占比"]]
    rows += [[label, w.amount(v), _share_cell(v, income)] for label, v in parts]
    rows.append(["合计", w.amount(income), _share_cell(income, income)])
    return to_text(rows, _title(w, number, "收入情况"), w.unit_line())


def spending_table(w: _W, number: int = 1) -> str:
    """支出 by kind (基本支出 with its 人员经费 and 公用经费): 金额 and 占比 of 支出合计, then 合计."""
    s = w.r.finance.summary
    spent = s.expenditure_total
    parts = [(k, label, getattr(s, k)) for k, label in SPEND_PARTS if getattr(s, k)]
    if spent is None or not parts:
        return ""
    rows = [["支出项目", "金额", "占比"]]
    for k, label, v in parts:
        rows.append([label, w.amount(v), _share_cell(v, spent)])
        if k == "basic_expenditure" and s.personnel is not None and s.operating is not None:
            rows.append(["其中：人员经费", w.amount(s.personnel), _share_cell(s.personnel, spent)])
            rows.append(["其中：公用经费", w.amount(s.operating), _share_cell(s.operating, spent)])
    rows.append(["合计", w.amount(spent), _share_cell(spent, spent)])
    return to_text(rows, _title(w, number, "支出情况"), w.unit_line())


def _signed_percent(cur, prev) -> str:
    if cur is None or prev is None or prev == 0:
        return "—"
    rate = (cur - prev) / abs(prev) * HUNDRED
    return ("+" if rate > 0 else "") + format_percent(rate)


def three_public_table(w: _W, number: int = 1) -> str:
    """三公经费 by kind: 预算数 against 决算数 (完成预算), and 上年决算数 (比上年增减) where known."""
    f, s = w.r.finance, w.r.finance.summary
    cur_all, plan_all, prev_all = s.three_public, f.three_public_budget, f.prior.three_public
    if cur_all.total is None:
        return ""
    kinds = [k for k, _ in THREE_PUBLIC_PARTS]
    has_plan = any(getattr(plan_all, k) is not None for k in kinds)
    has_prev = any(getattr(prev_all, k) is not None for k in kinds)
    if not has_plan and not has_prev:
        return ""
    head = ["项目"] + (["上年决算数"] if has_prev else []) + (["本年预算数"] if has_plan else []) + ["本年决算数"]
    head += (["完成预算"] if has_plan else []) + (["比上年增减"] if has_prev else [])
    rows = [head]
    lines = [(label, getattr(cur_all, k), getattr(plan_all, k), getattr(prev_all, k)) for k, label in THREE_PUBLIC_PARTS]
    lines.append(("合计", cur_all.total, plan_all.total if has_plan else None, prev_all.total if has_prev else None))
    for label, cur, plan, prev in lines:
        cur = cur if cur is not None else Decimal(0)
        row = [label] + ([w.amount(prev)] if has_prev else []) + ([w.amount(plan)] if has_plan else [])
        row.append(w.amount(cur))
        if has_plan:
            row.append(_share_cell(cur, plan) if plan else "—")
        if has_prev:
            row.append(_signed_percent(cur, prev))
        rows.append(row)
    return to_text(rows, _title(w, number, "“三公”经费预算与决算情况"), w.unit_line())


def _score_cell(score: Decimal, unanswered: int) -> str:
    return "未评完" if unanswered else format_decimal(score)


def score_table(w: _W, result, number: int = 1) -> str:
    """The score by 一级指标 (分值, 得分, 得分率) and 合计; for project forms, each project's score and grade."""
    if result.dept is not None:
        rows = [["一级指标", "分值", "得分", "得分率"]]
        for g in result.dept.groups:
            open_ = getattr(g, "unanswered", 0)
            rows.append([g.name, format_decimal(g.weight), _score_cell(g.score, open_),
                         "—" if open_ else format_percent(g.rate)])
        t = result.dept.totals
        rows.append(["合计", format_decimal(sum((g.weight for g in result.dept.groups), Decimal(0))), t.shown,
                     format_percent(t.rate) if t.complete else "—"])
        return to_text(rows, _title(w, number, "部门整体支出绩效自评得分情况"))
    if not result.projects:
        return ""
    rows = [["序号", "项目名称", "预算执行率", "得分", "评价等次"]]
    for p in result.projects:
        rows.append([str(p.index + 1), p.name, format_percent(p.execution.value),
                     p.totals.shown if p.totals.complete else "未评完", p.totals.grade])
    return to_text(rows, _title(w, number, "项目支出绩效自评得分情况"))


def indicator_table(w: _W, result, group: int, number: int = 1) -> str:
    """The indicators of one 一级指标: 二级指标, 三级指标, 分值, 得分."""
    g = result.dept.groups[group]
    rows = [["二级指标", "三级指标", "分值", "得分"]]
    for l2 in g.children:
        for ind in getattr(l2, "children", ()):
            rows.append([l2.name, ind.name, format_decimal(ind.weight),
                         "未评分" if ind.unanswered else format_decimal(ind.score)])
    if len(rows) == 1:
        return ""
    return to_text(rows, _title(w, number, f"{g.name}指标得分情况"))


def data_tables(report: Report, tpl, result, number: int = 1) -> list[tuple[str, str]]:
    """(menu label, table text) of every table the data can give now, titled “表{number} …”."""
    w = _W(report)
    out = [("收入情况（按来源）", income_table(w, number)), ("支出情况（按类别）", spending_table(w, number)),
           ("“三公”经费预算与决算", three_public_table(w, number))]
    if result is not None and len(result.all_scores()) > result.unanswered:  # nothing scored yet: no score tables
        out.append(("得分情况" + ("（一级指标）" if result.dept is not None else "（各项目）"), score_table(w, result, number)))
        if result.dept is not None:
            out += [(f"{g.name}指标得分", indicator_table(w, result, i, number)) for i, g in enumerate(result.dept.groups)]
    return [(label, text) for label, text in out if text]


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
        if rate is None:
            continue
        text += f"“{p.name}”项目执行率{format_percent(rate)}，"
        text += (f"自评得分{pts(p.totals.total)}分，等次为“{p.totals.grade}”。" if p.totals.complete
                 else f"尚有{p.totals.unanswered}项指标未评分。")
    return text


def _conclusion(w: _W, tpl, result) -> str:
    year = w.r.fiscal_year
    table = score_table(w, result)
    if result.dept:
        t = result.dept.totals
        if not t.complete:
            return (f"本单位{year}年度部门整体支出绩效自评尚未评完：{t.unanswered}项指标尚未评分，"
                    "总分和评价等次待全部指标评分后确定。")
        parts = "，".join(f"{g.name}得{pts(g.score)}分（满分{pts(g.weight)}分）" for g in result.dept.groups)
        text = f"经综合评价，本单位{year}年度部门整体支出绩效自评得分为{pts(t.total)}分，评价等次为“{t.grade}”。其中：{parts}。"
        if t.total != t.rule_total:
            text += f"（按评分规则计算为{pts(t.rule_total)}分，差异为人工调整得分，理由见评分表。）"
        return f"{text}具体得分情况见下表。\n{table}" if table else text
    lines = [f"“{p.name}”得分{pts(p.totals.total)}分，评价等次为“{p.totals.grade}”" if p.totals.complete
             else f"“{p.name}”尚未评完（{p.totals.unanswered}项指标尚未评分）" for p in result.projects]
    if not lines:
        return ""
    text = f"本单位对{year}年度{len(lines)}个项目开展了绩效自评：" + "；".join(lines) + "。"
    return f"{text}各项目得分情况见下表。\n{table}" if table else text


WRITERS = {"overview": _overview, "finance": _finance, "performance": _performance, "conclusion": _conclusion,
           "fund": _fund, "state_capital": _state_capital}


def draft(report: Report, tpl, result, section_id: str) -> str | None:
    """A draft for the section, or None when the section is the clerk's own words."""
    kind = draft_kind(section_id)
    if kind is None:
        return None
    return WRITERS[kind](_W(report), tpl, result) or None



