"""``python main.py export FILE [--xlsx] [--pdf] [--docx] [--review] [-o DIR]`` and
``python main.py export-targets FILE OUT.xlsx``.

``export`` writes the chosen files (default: all three) into DIR (default: the report's
folder), prints each written path or its Chinese error, and returns 0 when
every file was written, 1 when any failed, 2 for bad arguments or a report
that cannot be read.  ``export-targets`` writes the report's 绩效目标表 (export/targets.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import KINDS, KIND_LABELS, export_report, export_reviewed
from .files import make_folder


def run(args) -> int:
    from model.cli import CliError, load_report

    try:
        report, tpl = load_report(args.file)
    except CliError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    kinds = [k for k in KINDS if getattr(args, k, False)] or list(KINDS)
    folder = Path(args.output) if getattr(args, "output", None) else Path(args.file).resolve().parent
    problem = make_folder(folder)
    if problem:
        print(f"错误：{problem}。请用 -o 指定另一个文件夹。", file=sys.stderr)
        return 2
    if getattr(args, "review", False):
        from model.summary.review import has_review

        if not has_review(report):
            print("错误：报告中还没有主管部门的审核结果（审核分），请去掉 --review 导出自评版本。", file=sys.stderr)
            return 2
    write = export_reviewed if getattr(args, "review", False) else export_report
    return 1 if print_outcomes(write(report, tpl, folder, kinds), KIND_LABELS) else 0


def print_outcomes(outcomes, labels: dict) -> int:
    """Each written file's path (and its warning), or its error on stderr; how many failed."""
    failed = 0
    for outcome in outcomes:
        label = labels[outcome.kind]
        if outcome.ok:
            print(f"已导出 {label}：{outcome.path}")
            if outcome.warning:
                print(f"  注意：{outcome.warning}")
        else:
            failed += 1
            print(f"导出 {label} 失败：{outcome.error}", file=sys.stderr)
    return failed


def run_targets(args) -> int:
    """``export-targets``: the targets of every project (and the department's) as the 绩效目标表 reads them."""
    from model.cli import CliError, load_report

    from .files import ExportError
    from .targets import export_targets

    try:
        report, tpl = load_report(args.file)
        export_targets(report, tpl, args.output)
    except (CliError, ExportError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    print(f"已导出绩效目标表：{args.output}（{len(report.projects)} 个项目）")
    return 0
