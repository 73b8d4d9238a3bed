"""What a figure in the text is called: the categories the check knows and their written forms.

Keys name where the data holds the figure: a ``UnitFinance`` property (``income_total``), a
``ThreePublic`` kind (``tp.<kind>``, ``tp`` for the total), a ``Finance`` attribute
(``finance.<name>``), a functional classification row (``func.<name>``, the names of the
report's own rows), or — in a scored part, the department or one project — ``p.<figure>`` of
the project's funds block, ``score``/``grade`` of its total and ``group:<name>`` of an 一级
subtotal (forms from the report's score result).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..metrics import METRICS

# key → written forms (the longest form wins where forms overlap)
AMOUNT_LABELS = {
    "income_total": ("本年收入合计", "收入合计"),
    "expenditure_total": ("本年支出合计", "支出合计"),
    "fiscal_appropriation": ("财政拨款收入",),
    "general_budget": ("一般公共预算财政拨款收入",),
    "fund_budget": ("政府性基金预算财政拨款收入",),
    "state_capital_budget": ("国有资本经营预算财政拨款收入",),
    "special_account_nontax": ("纳入专户管理的非税收入",),
    "higher_subsidy": ("上级补助收入",),
    "service_income": ("事业收入",),
    "business_income": ("经营收入",),
    "affiliate_remittance": ("附属单位上缴收入",),
    "other_income": ("其他收入",),
    "basic_expenditure": ("基本支出",),
    "project_expenditure": ("项目支出",),
    "remit_higher": ("上缴上级支出",),
    "business_expenditure": ("经营支出",),
    "affiliate_subsidy": ("对附属单位补助支出",),
    "personnel": ("人员经费",),
    "operating": ("日常公用经费", "公用经费"),
    "carryover_begin": ("年初结转和结余", "年初结转结余"),
    "carryover_end": ("年末结转和结余", "年末结转结余"),
    "tp": ("“三公”经费", "“三公经费”", "三公经费"),
    "tp.overseas_travel": ("因公出国（境）费", "因公出国(境)费", "因公出国境费"),
    "tp.vehicle_purchase": ("公务用车购置费",),
    "tp.vehicle_operation": ("公务用车运行维护费",),
    "tp.reception": ("公务接待费",),
    "finance.fiscal_expenditure": ("财政拨款支出", "财政拨款决算支出"),
    "finance.general_expenditure": ("一般公共预算财政拨款支出",),
    "finance.agency_operating": ("机关运行经费",),
    "finance.in_service_personnel": ("在职人员经费",),
    "finance.retiree_personnel": ("离退休人员经费", "离退休费"),
    "finance.procurement_total": ("政府采购支出总额",),
    "finance.procurement_goods": ("政府采购货物支出",),
    "finance.procurement_works": ("政府采购工程支出",),
    "finance.procurement_services": ("政府采购服务支出",),
}
INCOME_PARTS = ("fiscal_appropriation", "general_budget", "fund_budget", "state_capital_budget",
                "special_account_nontax", "higher_subsidy", "service_income", "business_income",
                "affiliate_remittance", "other_income")
SPEND_PARTS = ("basic_expenditure", "project_expenditure", "remit_higher", "business_expenditure",
               "affiliate_subsidy", "personnel", "operating")
TOTALS = ("income_total", "expenditure_total")
# the whole a part's share is usually taken of (any one may be meant)
SHARE_OF = {**{k: ("income_total",) for k in INCOME_PARTS},
            **{k: ("expenditure_total",) for k in SPEND_PARTS[:5]},
            "personnel": ("basic_expenditure", "expenditure_total"),
            "operating": ("basic_expenditure", "expenditure_total"),
            "finance.in_service_personnel": ("personnel",), "finance.retiree_personnel": ("personnel",),
            "finance.fiscal_expenditure": ("expenditure_total",),
            "finance.general_expenditure": ("expenditure_total", "finance.fiscal_expenditure"),
            **{f"tp.{k}": ("tp",) for k in ("overseas_travel", "vehicle_purchase", "vehicle_operation", "reception")},
            **{f"finance.procurement_{k}": ("finance.procurement_total",) for k in ("goods", "works", "services")}}
# the whole named in "占…的" (without 本年/全年/当年 and quotes) → key; a whole not listed here is not guessed
SHARE_NAMED = {
    "支出": "expenditure_total", "支出合计": "expenditure_total", "总支出": "expenditure_total",
    "支出总额": "expenditure_total", "收入": "income_total", "收入合计": "income_total",
    "总收入": "income_total", "收入总额": "income_total", "基本支出": "basic_expenditure",
    "项目支出": "project_expenditure", "财政拨款收入": "fiscal_appropriation",
    "财政拨款支出": "finance.fiscal_expenditure", "一般公共预算财政拨款支出": "finance.general_expenditure",
    "三公经费": "tp", "政府采购支出总额": "finance.procurement_total", "人员经费": "personnel",
}
SHARE_NAMED_PREFIXES = ("本年度", "本年", "全年", "当年", "年度")
# key → the PriorYear field a change "比上年…" is computed from
PRIOR = {"income_total": "income_total", "expenditure_total": "expenditure_total", "personnel": "personnel",
         "operating": "operating", "carryover_end": "carryover_end", "finance.agency_operating": "agency_operating",
         "fiscal_appropriation": "fiscal_income", "general_budget": "general_budget",
         "finance.fiscal_expenditure": "fiscal_expenditure", "finance.general_expenditure": "general_expenditure",
         "basic_expenditure": "basic_expenditure", "project_expenditure": "project_expenditure",
         "finance.in_service_personnel": "in_service_personnel", "finance.retiree_personnel": "retiree_personnel"}

# rate label → metric id: the metric names, written with or without quotes
RATE_LABELS = {m.name.replace("“", "").replace("”", ""): mid for mid, m in METRICS.items()}

# a scored part (the department, or a project: its funds block and its scores)
PROJECT_LABELS = {  # project only: the funds block and its 执行率
    "p.budget": ("全年预算数", "全年预算金额", "全年预算", "预算金额", "年度资金总额", "资金总额", "预算资金"),
    "p.initial": ("年初预算数",),
    "p.executed": ("全年执行数", "执行数", "实际支出", "全年支出金额", "支出金额", "实际支出金额", "执行金额"),
    # "预算执行率" itself is the department's ratio unless a project is in scope (see parse)
    "p.rate": ("执行率", "项目执行率", "项目预算执行率", "资金执行率", "全年预算执行率"),
}
# "得分" alone only right after a quoted name (“…”得分83.73分), see parse
SCORE_LABELS = ("得分", "自评得分", "绩效自评得分", "自评指标得分", "评价得分", "综合得分", "总得分", "总分", "综合评分",
                "自评总分")
GRADE_LABELS = ("评价等次", "评价等级", "自评等级", "自评等次", "评价结果等次", "结果等次", "等次", "等级")
GRADES = {"优秀": "优", "良好": "良", "中等": "中", "优": "优", "良": "良", "中": "中", "差": "差"}
# "投入指标" of the 财政部 project framework is the 预算执行率 block of the form
GROUP_ALIASES = {"投入": "预算执行率"}


class Names(NamedTuple):
    """The report's own names a text may use (hashable: parse is cached on it)."""
    functional: tuple = ()  # names of the functional classification rows (类/款/项)
    groups: tuple = ()  # 一级 indicator names of the scored parts
    projects: tuple = ()  # project names, by index


def plain(label: str) -> str:
    return label.replace("“", "").replace("”", "")


def group_core(name: str) -> str:
    """"产出指标" and "产出" name the same 一级."""
    return name[:-2] if name.endswith("指标") and len(name) > 2 else name


def _label_pattern(label: str) -> str:
    """Quotes are optional wherever they are written (“三公”经费 = 三公经费); 功能分类 names may carry （类）."""
    core = re.escape(label)
    return core.replace("三公经费", "[“\"]?三公[”\"]?经费[”\"]?")


_STATIC = ([(plain(form), key, "amount") for key, forms in AMOUNT_LABELS.items() for form in forms]
           + [(name, mid, "rate") for name, mid in RATE_LABELS.items()]
           + [(form, key, "project") for key, forms in PROJECT_LABELS.items() for form in forms]
           + [(form, "score", "score") for form in SCORE_LABELS]
           + [(form, "grade", "grade") for form in GRADE_LABELS])


@lru_cache(maxsize=8)
def labels(names: Names) -> tuple[tuple, re.Pattern]:
    """(form, key, kind) of every label, longest first, and one pattern finding them (group i = label i)."""
    table = {form: (form, key, kind) for form, key, kind in _STATIC}
    for name in names.functional:
        if name and name not in table:
            table[name] = (name, f"func.{name}", "amount")
    for name in names.groups:
        for form in {name, group_core(name), group_core(name) + "指标"}:
            table.setdefault(form, (form, f"group:{group_core(name)}", "group"))
    for alias in GROUP_ALIASES:
        for form in (alias, alias + "指标"):
            table.setdefault(form, (form, f"group:{alias}", "group"))
    ordered = sorted(table.values(), key=lambda t: -len(t[0]))
    # The scan runs on every keystroke in a section: the alternatives are grouped by their first
    # character (one branch tried per position, not all of them), behind a lookahead on those characters.
    by_first: dict[str, list[str]] = {}
    loose = []  # forms whose pattern does not start with their first character (“三公”经费)
    for i, (form, key, _) in enumerate(ordered):
        pattern = _label_pattern(form) + ("(?:[（(][类款项][）)])?" if key.startswith("func.") else "")
        head = re.escape(form[0])
        if pattern.startswith(head):
            by_first.setdefault(head, []).append(f"(?P<l{i}>{pattern})")
        else:
            loose.append(f"(?P<l{i}>{pattern})")
    first = re.escape("".join(sorted({form[0] for form, _, _ in ordered} | {"“", '"'})))
    branches = loose + [f"(?={head})(?:{'|'.join(alts)})" for head, alts in by_first.items()]
    return tuple(ordered), re.compile(f"(?=[{first}])(?:{'|'.join(branches)})")


def share_whole(named: str) -> str | None:
    """The key of the whole named in "占本年支出合计的…" (None: not one the check knows)."""
    named = plain(named).strip()
    for prefix in SHARE_NAMED_PREFIXES:
        if named.startswith(prefix) and named[len(prefix):] in SHARE_NAMED:
            return SHARE_NAMED[named[len(prefix):]]
    return SHARE_NAMED.get(named)
