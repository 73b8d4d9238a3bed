"""The two 汇总 forms as grids (``export.grid``), written alike to xlsx and PDF.

- 项目支出绩效自评结果汇总表: one row per project, a 小计 per unit, 合计, and the 等次 counts;
- 部门整体支出绩效自评汇总表: one row per unit's department evaluation, 合计 and 等次 counts.

Laid out as the official forms are: 标题, a line with 填报单位（盖章）, 评价年度 and 金额单位（万元）,
the table, and 签章 lines (负责人, 审核人, 填表人, 日期) under it.  A report received twice (the same
校验码) is listed each time and marked 重复, but counted once in 合计 and in the 等次 counts.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

from model.money import format_decimal
from model.summary import GRADES, Summary, grade_counts

from ..forms.common import FULL_SPACE, HUNDRED, _h, _l, _money, _percent, _t
from ..grid import Cell, Grid

PROJECT_FORM = "项目支出绩效自评结果汇总表"
DEPT_FORM = "部门整体支出绩效自评汇总表"
SIGN_LINE = (FULL_SPACE * 2).join(["负责人：" + FULL_SPACE * 5, "审核人：" + FULL_SPACE * 5,
                                   "填表人：" + FULL_SPACE * 5, "填报日期：" + FULL_SPACE * 2 + "年" + FULL_SPACE * 2 + "月"
                                   + FULL_SPACE * 2 + "日"])
REPEAT = "（重复）"


def fiscal_year(summary: Summary) -> int:
    """The year most of the reports evaluate (0 when none opened)."""
    years = Counter(e.fiscal_year for e in summary.entries if not e.error)
    return years.most_common(1)[0][0] if years else 0


def subtitle(summary: Summary, county: str) -> str:
    year = fiscal_year(summary)
    return (FULL_SPACE * 2).join([f"填报单位（盖章）：{county or FULL_SPACE * 8}",
                                  f"评价年度：{year}年度" if year else "评价年度：", "金额单位：万元"])


def _score_cell(value) -> Cell:
    return Cell(format_decimal(value), 1, 1, "score")


def _rate(budget: Decimal, executed: Decimal):
    return executed / budget * HUNDRED if budget else None


def _counts_text(rows) -> str:
    counts = grade_counts(rows)
    parts = [f"{g} {counts[g]} 个" for g in GRADES]
    if counts["未评完"]:
        parts.append(f"未评完 {counts['未评完']} 个")
    return FULL_SPACE.join(parts)


def _status(entry, row, copies) -> str:
    return row.state + (REPEAT if id(entry) in copies else "")


PROJECT_COLS = [5.0, 10.0, 42.0, 11.0, 11.0, 9.0, 7.0, 7.0, 5.0, 12.0, 14.0]
PROJECT_HEAD = ("序号", "单位", "项目名称", "全年预算数", "全年执行数", "执行率", "自评分", "审核分", "等次", "状态", "校验码")


def project_table(summary: Summary, county: str = "") -> Grid:
    g = Grid("summary_projects", PROJECT_FORM, list(PROJECT_COLS), subtitle=subtitle(summary, county),
             header_rows=1, landscape=True, notes=[SIGN_LINE])
    g.add(*(_h(text) for text in PROJECT_HEAD))
    g.mark_column_head(0)
    copies = summary.copies
    counted, n = [], 0
    total_budget = total_spent = Decimal(0)
    for entry in summary.entries:
        rows = [r for r in entry.rows if not r.is_dept]
        if not rows:
            continue
        for r in rows:
            n += 1
            g.add(_t(str(n), align="center"), _t(entry.unit), _t(r.project), _money(r.budget, "wan"),
                  _money(r.executed, "wan"), _percent(r.rate, blank=""), _score_cell(r.self_score),
                  _score_cell(r.review_score), _t(r.grade, align="center"), _t(_status(entry, r, copies), align="center"),
                  _t(entry.checksum, align="center"))
        budget = sum((r.budget for r in rows if r.budget is not None), Decimal(0))
        spent = sum((r.executed for r in rows if r.executed is not None), Decimal(0))
        g.add(_l(f"{entry.unit} 小计（{len(rows)} 个项目）", 3), _money(budget, "wan"), _money(spent, "wan"),
              _percent(_rate(budget, spent), blank=""), _t("", 5))
        if id(entry) not in copies:
            counted += rows
            total_budget += budget
            total_spent += spent
    g.add(_h(f"合计（{len(counted)} 个项目）", 3), _money(total_budget, "wan"), _money(total_spent, "wan"),
          _percent(_rate(total_budget, total_spent), blank=""), _t("", 5))
    g.add(_h("等次", 3), _t(_counts_text(counted), 8))
    return g


DEPT_COLS = [5.0, 26.0, 13.0, 13.0, 9.0, 8.0, 10.0, 8.0, 6.0, 14.0, 14.0]
DEPT_HEAD = ("序号", "单位", "全年预算数", "支出决算数", "执行率", "自评分", "按规则得分", "审核分", "等次", "状态", "校验码")


def dept_table(summary: Summary, county: str = "") -> Grid:
    g = Grid("summary_depts", DEPT_FORM, list(DEPT_COLS), subtitle=subtitle(summary, county),
             header_rows=1, landscape=True, notes=[SIGN_LINE])
    g.add(*(_h(text) for text in DEPT_HEAD))
    g.mark_column_head(0)
    copies = summary.copies
    counted, n = [], 0
    total_budget = total_spent = Decimal(0)
    for entry in summary.entries:
        for r in entry.rows:
            if not r.is_dept:
                continue
            n += 1
            g.add(_t(str(n), align="center"), _t(entry.unit), _money(r.budget, "wan"), _money(r.executed, "wan"),
                  _percent(r.rate, blank=""), _score_cell(r.self_score), _score_cell(r.rule_score),
                  _score_cell(r.review_score), _t(r.grade, align="center"), _t(_status(entry, r, copies), align="center"),
                  _t(entry.checksum, align="center"))
            if id(entry) not in copies:
                counted.append(r)
                total_budget += r.budget or 0
                total_spent += r.executed or 0
    g.add(_h(f"合计（{len(counted)} 个单位）", 2), _money(total_budget, "wan"), _money(total_spent, "wan"),
          _percent(_rate(total_budget, total_spent), blank=""), _t("", 6))
    g.add(_h("等次", 2), _t(_counts_text(counted), 9))
    return g


def summary_grids(summary: Summary, county: str = "") -> list[Grid]:
    """The forms that have rows: projects, departments (both when the reports have both)."""
    out = []
    if any(not r.is_dept for _, r in summary.rows):
        out.append(project_table(summary, county))
    if any(r.is_dept for _, r in summary.rows):
        out.append(dept_table(summary, county))
    return out
