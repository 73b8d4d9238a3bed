"""Chinese names for report field paths (``basic.contact_person`` → 基本信息 › 联系人).

Used where a clerk must read a list of fields, e.g. the differences between the
report in a window and the file on disk (``storage.diff``).  Names follow the
labels of the pages; a path with no known name is shown as it is.
"""
from __future__ import annotations

from decimal import Decimal

from . import edits

SEP = " › "

TOP = {"template_id": "模板", "fiscal_year": "评价年度", "display_unit": "金额单位"}
BASIC = {
    "department": "部门（单位）名称", "budget_code": "预算编码", "level": "级次", "unit_type": "单位类型",
    "credit_code": "统一社会信用代码", "legal_representative": "法定代表人", "address": "地址",
    "contact_person": "联系人", "contact_phone": "联系电话", "authorized_total": "编制数（合计）",
    "authorized_admin": "行政编制", "authorized_institution": "事业编制", "authorized_logistics": "工勤编制",
    "actual_staff": "实有在职人数", "retirees": "离退休人员", "functions": "职能职责", "internal_units": "内设机构",
    "subordinate_units": "二级单位", "annual_work": "年度主要工作内容",
    "overall_operation": "年度总体运行情况及取得的成绩", "performance_goal": "部门整体绩效目标（预期）",
    "goal_actual": "绩效目标实际完成情况", "report_date": "报告时间", "document_number": "文号",
    "addressee": "主送单位", "evaluation_mode": "评价方式", "evaluator": "评价机构", "notice": "依据的通知",
}
TEAM = {"name": "姓名", "role": "评价组职务", "title": "职务/职称", "unit": "单位"}
SIGN_OFF = {"opinion": "意见", "signer": "负责人", "date": "日期"}
SIGN_OFFS = {"dept_opinion": "部门（单位）意见", "finance_opinion": "财政部门归口业务科室意见"}
THREE_PUBLIC = {"overseas_travel": "因公出国（境）费", "vehicle_purchase": "公务用车购置费",
                "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
UNIT = {
    "name": "单位名称", "carryover_begin": "年初结转和结余", "general_budget": "一般公共预算财政拨款收入",
    "fund_budget": "政府性基金预算财政拨款收入", "state_capital_budget": "国有资本经营预算财政拨款收入",
    "special_account_nontax": "纳入专户管理的非税收入拨款", "higher_subsidy": "上级补助收入",
    "service_income": "事业收入", "business_income": "经营收入", "affiliate_remittance": "附属单位上缴收入",
    "other_income": "其他收入", "basic_entered": "基本支出", "personnel": "基本支出：人员经费",
    "operating": "基本支出：公用经费", "project_expenditure": "项目支出", "remit_higher": "上缴上级支出",
    "business_expenditure": "经营支出", "affiliate_subsidy": "对附属单位补助支出",
    "carryover_end": "年末结转和结余", "three_public": "“三公”经费决算数", "assets_in_use": "在用资产",
    "assets_leased": "出租出借资产", "assets_idle": "闲置资产", "assets_other": "其他资产",
}
FINANCE = {
    "initial_budget": "年初预算数", "budget_adjustment": "预算调整数", "annual_budget_entered": "全年预算数",
    "operating_budget": "公用经费预算数", "three_public_budget": "“三公”经费预算数",
    "procurement_budget": "政府采购预算数", "procurement_goods": "政府采购：货物",
    "procurement_works": "政府采购：工程", "procurement_services": "政府采购：服务",
    "agency_operating": "机关运行经费", "in_service_personnel": "在职人员经费",
    "retiree_personnel": "离退休人员经费", "frugality": "厉行节约支出", "key_project_expenditure": "重点项目支出",
    "fiscal_expenditure": "财政拨款支出", "general_expenditure": "一般公共预算财政拨款支出",
    "vehicles": "公务用车保有量",
}
PRIOR = {
    "income_total": "上年收入合计", "expenditure_total": "上年支出合计", "personnel": "上年人员经费",
    "operating": "上年公用经费", "in_service_personnel": "上年在职人员经费",
    "retiree_personnel": "上年离退休人员经费", "fiscal_income": "上年财政拨款收入",
    "general_budget": "上年一般公共预算财政拨款收入", "fiscal_expenditure": "上年财政拨款支出",
    "general_expenditure": "上年一般公共预算财政拨款支出", "basic_expenditure": "上年基本支出",
    "project_expenditure": "上年项目支出", "three_public": "上年“三公”经费决算数",
    "three_public_budget": "上年“三公”经费预算数", "carryover_end": "上年年末结转和结余",
    "frugality": "上年厉行节约支出", "agency_operating": "上年机关运行经费", "actual_staff": "上年实有人数",
}
# the 上年 amounts in the order forms and the 收支情况 step list them (三公 and 实有人数 apart)
PRIOR_AMOUNTS = ("income_total", "expenditure_total", "fiscal_income", "general_budget", "fiscal_expenditure",
                 "general_expenditure", "basic_expenditure", "project_expenditure", "personnel", "operating",
                 "in_service_personnel", "retiree_personnel", "carryover_end", "frugality", "agency_operating")
FUNCTIONAL = {"code": "科目编码", "name": "科目名称", "total": "合计", "basic": "基本支出", "project": "项目支出"}
GOAL = {"category": "目标类别", "dimension": "维度", "name": "指标名称", "target": "目标值", "actual": "实际完成"}
ANSWER = {"value": "数值", "items": "逐项是否满足", "choice": "所选档次", "judged_score": "档内评分",
          "override": "人工得分", "note": "评价说明"}
OVERRIDE = {"score": "人工得分", "reason": "调整理由"}
PROJECT = {
    "name": "项目名称", "authority": "主管部门", "implementer": "实施单位", "fund_source": "资金来源",
    "funds_current": "当年财政拨款", "funds_carryover": "上年结转资金", "funds_other": "其他资金",
    "execution_override": "预算执行率人工得分", "goal_expected": "预期目标", "goal_actual": "目标实际完成情况",
    "indicators": "绩效指标", "authority_review": "主管部门审核结论",
}
FUNDS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "executed": "全年执行数"}
INDICATOR = {
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "comparator": "比较符",
    "target": "年度指标值(A)", "actual": "实际完成值(B)", "unit": "计量单位", "weight": "分值", "nature": "性质",
    "band": "定性档次", "judged_score": "档内评分", "override": "人工得分", "deviation_reason": "未完成原因分析",
}


def label(path: str, report=None, template=None) -> str:
    """Chinese name of ``path``; ``report`` names list items (项目“…”), ``template`` indicators and sections."""
    try:
        tokens = edits.parse(path)
    except edits.PathError:
        return path
    parts: list[str] = []
    rest = _walk(tokens, parts, report, template)
    if not parts:
        return path
    if rest:
        parts.extend(str(t) if not isinstance(t, int) else f"第 {t + 1} 项" for t in rest)
    return SEP.join(parts) if parts else path


def _item(report, path: str, index: int, what: str, name_attr: str = "name") -> str:
    name = ""
    if report is not None:
        try:
            name = getattr(edits.get_at(report, f"{path}[{index}]"), name_attr, "") or ""
        except (edits.PathError, IndexError, TypeError, AttributeError):
            name = ""
    return f"{what}“{name}”" if name else f"第 {index + 1} 个{what}"


def _walk(tokens: list, parts: list[str], report, template) -> list:
    """Append the names of ``tokens`` to ``parts``; return the tokens left unnamed."""
    head, rest = tokens[0], tokens[1:]

    def field(table: dict, toks: list, sub: dict | None = None) -> list:
        if not toks:
            return []
        name = table.get(toks[0]) if isinstance(toks[0], str) else None
        if name is None:
            return toks
        parts.append(name)
        if sub is not None and len(toks) > 1:
            return field(sub, toks[1:])
        return toks[1:]

    if head in TOP and not rest:
        parts.append(TOP[head])
        return []
    if head == "basic":
        parts.append("基本信息")
        return field(BASIC, rest)
    if head == "team":
        parts.append("评价人员")
        if rest and isinstance(rest[0], int):
            parts.append(_item(report, "team", rest[0], "人员"))
            return field(TEAM, rest[1:])
        return rest
    if head in SIGN_OFFS:
        parts.append(SIGN_OFFS[head])
        return field(SIGN_OFF, rest)
    if head == "finance":
        parts.append("收支情况")
        if not rest:
            return []
        key, more = rest[0], rest[1:]
        if key == "units":
            if more and isinstance(more[0], int):
                parts.append(_item(report, "finance.units", more[0], "单位"))
                return field(UNIT, more[1:], THREE_PUBLIC)
            return more
        if key == "prior":
            return field(PRIOR, more, THREE_PUBLIC)
        if key == "functional_rows":
            parts.append("支出功能分类")
            if more and isinstance(more[0], int):
                parts.append(f"第 {more[0] + 1} 行")
                return field(FUNCTIONAL, more[1:])
            return more
        return field(FINANCE, rest, THREE_PUBLIC)
    if head == "dept_goals":
        parts.append("部门整体绩效目标")
        if rest and isinstance(rest[0], int):
            parts.append(_item(report, "dept_goals", rest[0], "目标"))
            return field(GOAL, rest[1:])
        return rest
    if head == "answers":
        parts.append("部门整体绩效指标")
        if not rest:
            return []
        iid = str(rest[0])
        indicator = template.indicator(iid) if template is not None else None
        parts.append(f"指标“{indicator.name}”" if indicator is not None else f"指标 {iid}")
        return field(ANSWER, rest[1:], OVERRIDE)
    if head == "projects":
        parts.append("项目支出")
        if not rest or not isinstance(rest[0], int):
            return rest
        i, more = rest[0], rest[1:]
        parts.append(_item(report, "projects", i, "项目"))
        if more and more[0] == "indicators":
            parts.append("绩效指标")
            if len(more) > 1 and isinstance(more[1], int):
                parts.append(_item(report, f"projects[{i}].indicators", more[1], "指标"))
                return field(INDICATOR, more[2:], OVERRIDE)
            return more[1:]
        if more and more[0] in ("funds_current", "funds_carryover", "funds_other"):
            return field(PROJECT, more, FUNDS)
        return field(PROJECT, more, OVERRIDE)
    if head == "narrative":
        parts.append("文字说明")
        if rest:
            sid = str(rest[0])
            section = next((s for s in template.narrative_sections if s.id == sid), None) if template is not None else None
            parts.append(f"“{section.title}”" if section is not None else sid)
            return rest[1:]
        return []
    if head == "published":
        parts.append("原报告印出的数字")
        return [SEP.join(str(t) for t in rest)] if rest else []
    if head == "provenance":
        parts.append("数据来源标记")
        return [".".join(str(t) for t in rest)] if rest else []
    return tokens


UNITS = {"wan": "万元", "yuan": "元"}


def show(value, limit: int = 80) -> str:
    """A saved value as a clerk reads it: （空）, 是/否, lists joined, long texts cut."""
    if value is None or value == "" or value == [] or value == {}:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, list):
        text = "；".join(show(v, limit) for v in value)
    elif isinstance(value, dict):
        name = value.get("name") or value.get("score")
        text = f"（一项：{name}）" if name else "（一项）"
    else:
        text = str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
