"""The report a clerk fills in: plain dataclasses, money as Decimal 元.

Only facts are stored here.  Everything derivable (汇总 row, totals, rates,
scores) is computed by properties here or by ``metrics``/``scoring``, so it can
never disagree with the facts it comes from.  Published figures that a seed or
an imported file states (e.g. a rate printed in last year's text) live in
``Report.published`` so that checks can compare them with what we compute.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Optional

Amount = Optional[Decimal]


def total(*values: Amount) -> Amount:
    """Sum that stays None only when every part is None (nothing filled)."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


# ---------------------------------------------------------------- people

@dataclass
class TeamMember:
    """One row of 评价人员 (签字 stays empty for the pen)."""
    name: str = ""
    role: str = "成员"  # 组长 / 副组长 / 成员
    title: str = ""  # 职务/职称
    unit: str = ""


@dataclass
class SignOff:
    """部门（单位）意见 or 财政部门归口业务科室意见: text + signer + date."""
    opinion: str = ""
    signer: str = ""
    date: str = ""


@dataclass
class BasicInfo:
    department: str = ""
    budget_code: str = ""
    level: str = ""  # 级次: 省/市/县/乡
    unit_type: str = ""  # 行政 / 参公 / 事业
    credit_code: str = ""
    legal_representative: str = ""
    address: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    authorized_total: Optional[int] = None  # 编制数 as printed when no breakdown is given
    authorized_admin: Optional[int] = None  # 行政编制
    authorized_institution: Optional[int] = None  # 事业编制
    authorized_logistics: Optional[int] = None  # 工勤编制
    actual_staff: Optional[int] = None  # 实有在职人数
    retirees: Optional[int] = None
    functions: list[str] = field(default_factory=list)
    internal_units: list[str] = field(default_factory=list)
    subordinate_units: list[str] = field(default_factory=list)
    annual_work: str = ""  # 年度主要工作内容
    overall_operation: str = ""  # 年度总体运行情况及取得的成绩
    performance_goal: str = ""  # 部门整体绩效目标
    goal_actual: str = ""  # 定性目标的实际完成情况
    report_date: str = ""
    document_number: str = ""
    addressee: str = ""
    evaluation_mode: str = "部门（单位）绩效自评"
    evaluator: str = "部门（单位）评价组"
    notice: str = ""  # 依据的通知 (e.g. 州财绩〔2022〕10号)

    @property
    def authorized_parts(self) -> Optional[int]:
        parts = [self.authorized_admin, self.authorized_institution, self.authorized_logistics]
        present = [p for p in parts if p is not None]
        return sum(present) if present else None

    @property
    def authorized_staff(self) -> Optional[int]:
        """编制数: the printed total, else the sum of 行政/事业/工勤."""
        return self.authorized_total if self.authorized_total is not None else self.authorized_parts


# ---------------------------------------------------------------- finance

@dataclass
class ThreePublic:
    """三公经费 by kind, in 元."""
    overseas_travel: Amount = None
    vehicle_purchase: Amount = None
    vehicle_operation: Amount = None
    reception: Amount = None

    @property
    def vehicle(self) -> Amount:
        return total(self.vehicle_purchase, self.vehicle_operation)

    @property
    def total(self) -> Amount:
        return total(self.overseas_travel, self.vehicle_purchase, self.vehicle_operation, self.reception)


INCOME_SOURCES = (
    "general_budget", "fund_budget", "state_capital_budget", "special_account_nontax",
    "higher_subsidy", "service_income", "business_income", "affiliate_remittance", "other_income",
)
EXPENDITURE_KINDS = (
    "personnel", "operating", "project_expenditure", "remit_higher",
    "business_expenditure", "affiliate_subsidy",
)
ASSET_KINDS = ("assets_in_use", "assets_leased", "assets_idle", "assets_other")


@dataclass
class UnitFinance:
    """收支 of one unit (局机关 or an 二级机构); the 汇总 row is their sum."""
    name: str = ""
    carryover_begin: Amount = None  # 上年结转 / 年初结转和结余
    general_budget: Amount = None  # 一般公共预算财政拨款（公共财政拨款）
    fund_budget: Amount = None  # 政府性基金预算财政拨款
    state_capital_budget: Amount = None  # 国有资本经营预算财政拨款
    special_account_nontax: Amount = None  # 纳入专户管理的非税收入拨款
    higher_subsidy: Amount = None
    service_income: Amount = None
    business_income: Amount = None
    affiliate_remittance: Amount = None
    other_income: Amount = None
    basic_entered: Amount = None  # 基本支出 as the source prints it (checked against 人员 + 公用)
    personnel: Amount = None  # 基本支出：人员经费
    operating: Amount = None  # 基本支出：公用经费
    project_expenditure: Amount = None
    remit_higher: Amount = None
    business_expenditure: Amount = None
    affiliate_subsidy: Amount = None
    carryover_end: Amount = None  # 年末（累计）结转和结余
    three_public: ThreePublic = field(default_factory=ThreePublic)
    assets_in_use: Amount = None
    assets_leased: Amount = None
    assets_idle: Amount = None
    assets_other: Amount = None

    @property
    def fiscal_appropriation(self) -> Amount:
        return total(self.general_budget, self.fund_budget, self.state_capital_budget)

    @property
    def income_total(self) -> Amount:
        """本年收入合计 (without 上年结转)."""
        return total(*(getattr(self, k) for k in INCOME_SOURCES))

    @property
    def income_with_carryover(self) -> Amount:
        """收入合计 as the 湖南 form prints it: 上年结转 + 本年收入."""
        return total(self.carryover_begin, self.income_total)

    @property
    def basic_parts(self) -> Amount:
        """人员经费 + 公用经费."""
        return total(self.personnel, self.operating)

    @property
    def basic_expenditure(self) -> Amount:
        """基本支出: as entered, else 人员经费 + 公用经费 (a form's rounded figure is kept as printed)."""
        return self.basic_entered if self.basic_entered is not None else self.basic_parts

    @property
    def expenditure_total(self) -> Amount:
        return total(*(getattr(self, k) for k in EXPENDITURE_KINDS))

    @property
    def balance(self) -> Amount:
        """当年结转结余 = 收入合计（含上年结转）− 支出合计."""
        income, spent = self.income_with_carryover, self.expenditure_total
        if income is None and spent is None:
            return None
        return (income or Decimal(0)) - (spent or Decimal(0))

    @property
    def assets_total(self) -> Amount:
        return total(*(getattr(self, k) for k in ASSET_KINDS))


def sum_units(units: list[UnitFinance], name: str = "汇总") -> UnitFinance:
    """The computed 汇总 row: every stored amount summed over the units."""
    out = UnitFinance(name=name)
    for f in fields(UnitFinance):
        if f.name in ("name", "three_public"):
            continue
        setattr(out, f.name, total(*(getattr(u, f.name) for u in units)))
    for f in fields(ThreePublic):
        setattr(out.three_public, f.name, total(*(getattr(u.three_public, f.name) for u in units)))
    if out.basic_entered is not None:  # some unit states its 基本支出: the sum is of what each unit's is
        out.basic_entered = total(*(u.basic_expenditure for u in units))
    return out


@contextmanager
def summary_once(finance: "Finance"):
    """Compute the 汇总 row once for a whole scoring/checking pass (it is read dozens of times)."""
    if "_summary" in finance.__dict__:
        yield
        return
    finance.__dict__["_summary"] = sum_units(finance.units)
    try:
        yield
    finally:
        finance.__dict__.pop("_summary", None)


@dataclass
class FunctionalRow:
    """支出功能分类科目 row: 类 (3 digits) / 款 (5) / 项 (7)."""
    code: str = ""
    name: str = ""
    total: Amount = None
    basic: Amount = None
    project: Amount = None

    @property
    def level(self) -> str:
        return {3: "类", 5: "款", 7: "项"}.get(len(self.code.strip()), "")


@dataclass
class PriorYear:
    """上年数: last year's actuals, typed or carried forward."""
    income_total: Amount = None
    expenditure_total: Amount = None
    personnel: Amount = None
    operating: Amount = None
    in_service_personnel: Amount = None
    retiree_personnel: Amount = None
    # the categories 决算 texts compare with 上年 ("财政拨款收入…较上年决算数增加…")
    fiscal_income: Amount = None  # 财政拨款收入
    general_budget: Amount = None  # 一般公共预算财政拨款收入
    fiscal_expenditure: Amount = None  # 财政拨款支出
    general_expenditure: Amount = None  # 一般公共预算财政拨款支出
    basic_expenditure: Amount = None
    project_expenditure: Amount = None
    three_public: ThreePublic = field(default_factory=ThreePublic)
    three_public_budget: ThreePublic = field(default_factory=ThreePublic)
    carryover_end: Amount = None
    frugality: Amount = None
    agency_operating: Amount = None
    actual_staff: Optional[int] = None


@dataclass
class Finance:
    units: list[UnitFinance] = field(default_factory=list)
    initial_budget: Amount = None  # 年初预算数
    budget_adjustment: Amount = None  # 预算调整数（追加 − 追减）
    annual_budget_entered: Amount = None  # 全年预算数, when the source gives it directly
    operating_budget: Amount = None  # 公用经费预算
    three_public_budget: ThreePublic = field(default_factory=ThreePublic)
    procurement_budget: Amount = None
    procurement_goods: Amount = None
    procurement_works: Amount = None
    procurement_services: Amount = None
    agency_operating: Amount = None  # 机关运行经费
    in_service_personnel: Amount = None  # 在职人员经费
    retiree_personnel: Amount = None  # 离退休人员经费
    frugality: Amount = None  # 厉行节约支出
    key_project_expenditure: Amount = None  # 重点项目支出
    # 财政拨款 spending as 财政拨款收入支出决算总表 / 一般公共预算财政拨款支出决算表 print it
    # (not the sum of any unit field: 财政拨款 pays part of each kind of spending)
    fiscal_expenditure: Amount = None  # 财政拨款支出
    general_expenditure: Amount = None  # 一般公共预算财政拨款支出
    vehicles: Optional[int] = None
    functional_rows: list[FunctionalRow] = field(default_factory=list)
    prior: PriorYear = field(default_factory=PriorYear)

    @property
    def summary(self) -> UnitFinance:
        cached = self.__dict__.get("_summary")
        return cached if cached is not None else sum_units(self.units)

    @property
    def annual_budget(self) -> Amount:
        """全年预算数: as entered, else 年初预算 + 调整."""
        if self.annual_budget_entered is not None:
            return self.annual_budget_entered
        if self.initial_budget is None:
            return None
        return self.initial_budget + (self.budget_adjustment or Decimal(0))

    @property
    def procurement_total(self) -> Amount:
        return total(self.procurement_goods, self.procurement_works, self.procurement_services)


# ---------------------------------------------------------------- indicators

@dataclass
class Override:
    """A score set by hand; the reason is required (扣分原因 / 调整理由)."""
    score: Decimal
    reason: str = ""


@dataclass
class IndicatorAnswer:
    """The facts one department indicator's rule reads.

    ``value``: a number (rate in %, count, km, …) when the rule needs one and no
    derived metric supplies it; ``items``: checklist answers; ``choice``: the
    chosen level or qualitative band; ``judged_score``: the score judged inside
    a qualitative band.
    """
    value: Amount = None
    items: list[bool] = field(default_factory=list)
    choice: Optional[int] = None
    judged_score: Amount = None
    override: Optional[Override] = None
    note: str = ""  # 评价说明 / 佐证
    not_applicable: bool = False  # 不适用 (the department has none of it): scored as the template says


@dataclass
class DeptGoal:
    """One 定量目标 row of the dept form: 产出/效益/满意度 target and completion."""
    category: str = ""  # 产出目标 / 效益目标 / 满意度
    dimension: str = ""  # 数量、质量、时效、成本 / 社会、经济、生态效益 / …
    name: str = ""
    target: str = ""
    actual: str = ""


# ---------------------------------------------------------------- projects

@dataclass
class FundsRow:
    initial_budget: Amount = None  # 年初预算数
    annual_budget: Amount = None  # 全年预算数 (A)
    executed: Amount = None  # 全年执行数 (B)


@dataclass
class ProjectIndicator:
    """One 绩效指标 row of a 项目支出绩效自评表."""
    level1: str = ""  # id of the template's 一级 (output / outcome / satisfaction)
    level2: str = ""  # 数量指标, 社会效益指标, …
    name: str = ""
    comparator: str = ""  # ≥ ≤ = or "" (then from the target text or the template default)
    target: str = ""  # 年度指标值 (A), as written: 1.47万人, 提高, ≥95%
    actual: str = ""  # 实际完成值 (B)
    unit: str = ""
    weight: Decimal = Decimal(0)
    nature: str = "auto"  # auto / quantitative / qualitative
    band: Optional[int] = None  # qualitative: chosen band (0 = 达成)
    judged_score: Amount = None  # qualitative: score inside the band
    override: Optional[Override] = None
    deviation_reason: str = ""  # 未完成原因分析


@dataclass
class Project:
    name: str = ""
    authority: str = ""  # 主管部门
    implementer: str = ""  # 实施单位
    fund_source: str = "本级安排"  # 本级安排 / 上级转移支付
    funds_current: FundsRow = field(default_factory=FundsRow)  # 其中：当年财政拨款
    funds_carryover: FundsRow = field(default_factory=FundsRow)  # 上年结转资金
    funds_other: FundsRow = field(default_factory=FundsRow)  # 其他资金
    execution_override: Optional[Override] = None
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: list[ProjectIndicator] = field(default_factory=list)
    authority_review: str = ""  # 主管部门审核结论 优/良/中/差; empty = as self-assessed
    # text blocks some provinces' forms add (四川); shown and printed only where the template's
    # project form lists them (ProjectForm.text_fields), checked by 复核 (review text_limits)
    execution_reason: str = ""  # why 执行率 is below the template's reason_below_percent
    conclusion: str = ""  # 评价结论
    problems: str = ""  # 存在问题
    improvements: str = ""  # 改进措施

    @property
    def funds_total(self) -> FundsRow:
        """年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金 (computed)."""
        parts = (self.funds_current, self.funds_carryover, self.funds_other)
        return FundsRow(*(total(*(getattr(p, k) for p in parts))
                          for k in ("initial_budget", "annual_budget", "executed")))


# ---------------------------------------------------------------- the county's review

@dataclass
class ReviewScore:
    """审核得分 of one indicator, set by the county's reviewer with the reason."""
    score: Decimal
    reason: str = ""


@dataclass
class Review:
    """主管部门审核 written into the unit's file by the county (model.summary.review).

    Kept apart from the self-evaluation: a reviewer's score never replaces the clerk's 得分 or
    override, so the file holds both columns (自评分 and 审核分).  ``scores`` is keyed like
    ``scoring.IndicatorScore.key`` (``dept.<id>``, ``project.<i>.execution``, ``project.<i>.row.<j>``);
    an indicator without an entry keeps its self-score in the 审核分.
    """
    status: str = ""  # 已审核 / 退回; "" = not reviewed yet (待审核)
    opinion: str = ""  # 审核意见
    reviewer: str = ""
    date: str = ""
    scores: dict[str, ReviewScore] = field(default_factory=dict)


# ---------------------------------------------------------------- the report

@dataclass
class Report:
    template_id: str = ""
    fiscal_year: int = 0
    display_unit: str = "wan"  # wan / yuan: how amounts are shown and exported
    basic: BasicInfo = field(default_factory=BasicInfo)
    team: list[TeamMember] = field(default_factory=list)
    dept_opinion: SignOff = field(default_factory=SignOff)
    finance_opinion: SignOff = field(default_factory=SignOff)
    finance: Finance = field(default_factory=Finance)
    dept_goals: list[DeptGoal] = field(default_factory=list)
    answers: dict[str, IndicatorAnswer] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    narrative: dict[str, str] = field(default_factory=dict)
    # Figures as printed in the source (key → value), e.g. "metric.budget_execution_rate",
    # "score.total", "unit.0.expenditure_total"; see model/figures.py.
    published: dict[str, Decimal] = field(default_factory=dict)
    # Where a value came from when not typed: path → "carried" / "imported".
    provenance: dict[str, str] = field(default_factory=dict)
    # How exact an imported figure is, in 元: half a unit of the last digit its source printed
    # (50 for a 万元 table with 2 decimals).  Checks let sums of such figures differ by their
    # tails; typing a value over the field drops its entry.
    source_precision: dict[str, Decimal] = field(default_factory=dict)
    review: Review = field(default_factory=Review)  # the county's 审核, apart from the self-evaluation

    def answer(self, indicator_id: str) -> IndicatorAnswer:
        """The answer for an indicator, created empty on first use."""
        return self.answers.setdefault(indicator_id, IndicatorAnswer())
