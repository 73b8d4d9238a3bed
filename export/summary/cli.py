"""``python main.py summary FOLDER|FILES… -o OUT``: the 汇总 of many reports, written as files.

Prints one line per report (单位, 项目数, 自评分/等次, 状态, 校验码), what could not be read and what
the cross-unit checks found, then writes 绩效自评汇总表.xlsx/.pdf and 绩效自评汇总分析报告.docx into
OUT (default: all three).  Exit code 0 when every file was written, 1 when a file failed or a report
could not be read, 2 for bad arguments (nothing found, a unit list or figure that cannot be read).
"""
from __future__ import annotations

import sys
from pathlib import Path

from model.money import MoneyError, format_decimal, parse_amount

from ..cli import print_outcomes
from ..files import make_folder
from . import KINDS, export_summary

LABELS = {"xlsx": "汇总表（Excel）", "pdf": "汇总表（PDF）", "docx": "汇总分析报告（Word）"}


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


def run(args) -> int:
    from model.summary import open_summary
    from model.summary.units import UnitListError, read_units

    units = None
    if args.units:
        try:
            units = read_units(args.units)
        except UnitListError as e:
            return _fail(str(e))
    county_budget = None
    if args.county_budget:
        try:
            county_budget = parse_amount(args.county_budget, "yuan")
        except MoneyError as e:
            return _fail(f"全县预算数无法识别：{e}")
    summary = open_summary(args.paths, units=units, county_budget=county_budget)
    for line in summary.problems:
        print(f"错误：{line}", file=sys.stderr)
    if not summary.entries:
        return _fail("没有找到可汇总的报告文件（*.jxzp.json），未写出任何文件。请给出报告文件、文件夹或压缩包。")
    for e in summary.entries:
        if e.error:
            print(f"无法读取：{e.source.name}：{e.error}", file=sys.stderr)
            continue
        scored = "，".join(f"{r.project} {format_decimal(r.self_score) or '未评完'}{r.grade and '（' + r.grade + '）'}"
                          + (f" 审核 {format_decimal(r.review_score)}" if r.review_score is not None else "")
                          for r in e.rows)
        state = e.rows[0].state if e.rows else ""
        print(f"{e.unit}\t{state}\t校验码 {e.checksum}\t{scored}\t{e.source.name}")
    for f in summary.findings:
        print(f"[{f.severity}] {f.message}\n    处理：{f.action}")
    folder = Path(args.output)
    problem = make_folder(folder)
    if problem:
        return _fail(f"{problem}。请用 -o 指定另一个文件夹。")
    kinds = [k for k in KINDS if getattr(args, k, False)] or list(KINDS)
    failed = print_outcomes(export_summary(summary, folder, kinds, args.county or ""), LABELS)
    return 1 if failed or summary.failed or summary.problems else 0
