"""Numbers in the text: do the figures the clerk wrote agree with the data?

Reads each narrative section for labelled figures — "基本支出543,923.64元",
"收入合计1,252.66万元，其中…", "…，占比1.87%", "比上年减少16,869.00元，下降44.57%",
"预算执行率61.92%", "“…”项目全年预算数8835600元", "产出指标…实际得分42分", "评价等次为“良”" —
and compares each with the figure the data gives, allowing for the rounding of what is
written (1,252.66万元 may be anything that rounds to it).  A mismatch is a 警告 on
``narrative.<section id>``.  What is read: ``labels`` (the categories, with the report's own
功能分类, 一级 indicator and project names), ``phrasings`` (how a figure follows its label);
``parse`` reads, ``judge`` compares.

False alarms cost the clerk's trust, so a figure is read only when its label
maps to one known figure without doubt:

- the label stands on its own ("财政拨款基本支出", "上年公用经费"
  and "2021年收入合计" in a 2022 report are other figures and are skipped);
- the number follows the label directly (allowing 为/是/：/支出/决算数 …);
  "基本支出预算为…" or "基本支出结转和结余…" are not the 基本支出;
- a sentence about a budget ("收入预算6400.32万元，其中：…") or about 财政拨款
  only ("财政拨款支出…，其中，人员经费…", "…主要用于：农林水支出(类)…") is not checked
  against the 决算 totals; "收入合计…，其中基本支出…" (income by purpose) is not checked as spending;
- a total matches the 汇总 or any one unit (the text may describe 局机关 only);
  收入合计 matches 本年收入 or, as the 湖南 form prints it, 收入 + 上年结转;
- a share is taken of the whole the text names ("占基本支出的…"); a whole the check does not
  know is not guessed; a change is against 上年 only ("比2020年…" in a 2022 report is skipped);
- a project's figures belong to the project named last before them in the section (the
  only one when the report has one); "部门…整体" turns to the department; a quoted project
  the data does not have, or "5个项目…" (a count), is not checked;
- a figure the data does not have (or a score while indicators are unanswered) is not checked;
- tables (``narrative_tables``: pipe rows such as “| 合计 | 1,252.66 |”) are not prose:
  their cells are not read as claims.

A text that announces a table (“如下表所示”, “见下表”) with no table after it
gets a 警告 too (``TABLE_CODE``).
"""
from __future__ import annotations

from ..narrative_tables import missing_tables
from ..report import Report, summary_once
from .judge import Data, judge, names_of
from .parse import Claim, parse

__all__ = ["ACTION", "CODE", "Claim", "TABLE_ACTION", "TABLE_CODE", "mismatches", "names_of", "narrative_problems", "parse"]

CODE = "narrative_mismatch"
ACTION = "核对后改正文字说明中的数字（也可用“生成草稿”按数据重新生成本节）；如果是数据填错了，请先改正数据。"
TABLE_CODE = "narrative_table_missing"
TABLE_ACTION = ("在这句话之后插入表格（“文字说明”中的“插入表格”，可从 Excel/WPS 复制后直接粘贴，"
                "或用“从数据插入表格”），或改写这句话。")


def mismatches(report: Report, result=None) -> list[tuple[str, Claim, str]]:
    """(section id, claim, what the data says) for every written figure that disagrees with the data."""
    if result is None:
        from ..scoring import score

        result = score(report)
    out = []
    with summary_once(report.finance):
        data, names = Data(report, result), names_of(report, result)
        for sid, text in report.narrative.items():
            if not text:
                continue
            for claim in parse(text, report.fiscal_year, names):
                shown = judge(claim, data)
                if shown is not None:
                    out.append((sid, claim, shown))
    return out


def narrative_problems(report: Report, tpl=None, result=None) -> list:
    """Problems (警告, step "narrative") for checks.general_checks."""
    from ..checks import WARNING, Problem

    titles = {s.id: s.title for s in getattr(tpl, "narrative_sections", ())} if tpl is not None else {}
    problems = []
    for sid, claim, shown in mismatches(report, result):
        where = f"文字说明（{titles[sid]}）" if sid in titles else "文字说明"
        problems.append(Problem(WARNING, CODE, "narrative", f"narrative.{sid}",
                                f"{where}中写“{claim.quote}”，数据为 {shown}。", ACTION))
    for sid, text in report.narrative.items():
        missing = missing_tables(text or "")
        if missing:
            where = f"文字说明（{titles[sid]}）" if sid in titles else "文字说明"
            more = f"等 {len(missing)} 处" if len(missing) > 1 else ""
            problems.append(Problem(WARNING, TABLE_CODE, "narrative", f"narrative.{sid}",
                                    f"{where}中写“{missing[0]}”{more}，但其后没有表格。", TABLE_ACTION))
    return problems
