"""The words that name a 绩效目标表's fields and columns, and finding them in a grid.

Provinces word the same column differently (年度指标值 / 指标值(A) / 目标值;
计量单位 / 度量单位; 分值 / 权重; 指标性质 / 比较符), and a 指标值类型 column
(定量/定性) contains the word 指标值.  So each header cell is read by the
first role whose words it contains, most specific first, after dropping what
headers carry in brackets — “(A)”, “（50分）”, “（万元）”.
"""
from __future__ import annotations

import re
from typing import Any

from ..final_accounts.text import label_of, norm

# column roles of the indicator grid, most specific first (a header cell takes the first that fits)
LEVEL1, LEVEL2, NAME, NATURE, COMPARATOR, TARGET, UNIT, WEIGHT, ACTUAL, PROJECT = (
    "level1", "level2", "name", "nature", "comparator", "target", "unit", "weight", "actual", "project")
AUTHORITY, IMPLEMENTER, FUNDS_TOTAL, FUNDS_CURRENT, FUNDS_CARRYOVER, FUNDS_OTHER, GOAL = (
    "authority", "implementer", "funds_total", "funds_current", "funds_carryover", "funds_other", "goal")
DEPARTMENT, DUTIES = "department", "duties"  # the 整体绩效目标表's head
IGNORED = "ignored"  # 指标解释, 评(扣)分标准, 备注, 未完成原因分析: read by no one

_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (ACTUAL, ("实际完成", "实际值", "完成值", "未完成原因", "偏差")),
    (IGNORED, ("指标解释", "评分标准", "评(扣)分标准", "评扣分标准", "扣分标准", "备注", "得分", "指标说明",
               "资金来源", "盖章")),
    (PROJECT, ("项目名称",)),
    (LEVEL1, ("一级指标", "一级")),
    (LEVEL2, ("二级指标", "二级")),
    (NAME, ("三级指标", "三级", "指标名称", "指标内容")),
    (NATURE, ("指标值类型", "指标类型", "定量/定性", "定性/定量")),
    (COMPARATOR, ("指标性质", "比较符", "比较", "运算符", "符号")),
    (AUTHORITY, ("主管部门", "主管单位")),
    (IMPLEMENTER, ("实施单位", "项目单位", "执行单位")),
    (UNIT, ("计量单位", "度量单位", "单位")),
    (WEIGHT, ("分值", "权重", "分数")),
    (TARGET, ("指标值", "目标值", "绩效目标值")),
    (FUNDS_CARRYOVER, ("上年结转",)),
    (FUNDS_CURRENT, ("财政拨款", "财政资金")),
    (FUNDS_OTHER, ("其他资金",)),
    (FUNDS_TOTAL, ("资金总额", "年度资金", "项目资金", "预算资金", "资金合计")),
    (GOAL, ("总体目标", "年度目标", "预期目标", "总体绩效目标")),
    (DEPARTMENT, ("部门名称", "单位名称")),
    (DUTIES, ("职责", "主要职能")),
)

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\]]*\]")
_POINTS = re.compile(r"\((\d+(?:\.\d+)?)分?\)")
_WAN = re.compile(r"万元")
_YUAN = re.compile(r"(?:单位:?|\()元\)?")


def text_of(value: Any) -> str:
    """A cell as matching text: half-width, no blanks, numbering dropped (“其中：财政拨款” → 财政拨款)."""
    return label_of(value) if isinstance(value, str) else norm(value)


def role_of(value: Any) -> str | None:
    """The column or field role a header/label cell names, or None."""
    if not isinstance(value, str):
        return None
    text = _BRACKETS.sub("", text_of(value))
    if not text or len(text) > 16:  # a label is a few words; a sentence is data
        return None
    for role, words in _ROLE_WORDS:
        if any(w in text for w in words):
            return role
    return None


def points_in(value: Any) -> str | None:
    """The 分值 a label carries in brackets: “产出指标（50分）” → "50"."""
    m = _POINTS.search(norm(value)) if isinstance(value, str) else None
    return m.group(1) if m else None


def bare(value: Any) -> str:
    """A level label without what follows it in brackets: “产出指标（50分）” → 产出指标."""
    return _BRACKETS.sub("", text_of(value))


def money_unit(texts: list[str]) -> str | None:
    """"wan" / "yuan" when one of the texts states the 金额单位 (“项目资金（万元）”, “单位：元”), else None."""
    for text in texts:
        t = norm(text)
        if _WAN.search(t):
            return "wan"
        if _YUAN.search(t):
            return "yuan"
    return None
