"""Command-line commands on report files: score, check, templates, template-export/-import.

Each returns an exit code: 0 fine, 1 the check found 错误, 2 bad arguments or
an unreadable file (the message says what to do).  Output is Chinese text, or
JSON with ``--json`` for scripts.
"""
from __future__ import annotations

import json
import sys
from decimal import Decimal

from . import checks, storage, templates
from .money import format_decimal, format_percent
from .scoring import GroupScore, IndicatorScore, ScoreResult, score


class CliError(Exception):
    """Bad input on the command line; str() is the Chinese message."""


_WARNED: set[str] = set()


def warn_skipped_templates(warnings: list[str] | None = None) -> None:
    """The clerk's templates that were skipped (bad files), each once, on stderr: the command itself goes on."""
    for line in templates.load_warnings() if warnings is None else warnings:
        if line not in _WARNED:
            _WARNED.add(line)
            print(f"警告：{line}", file=sys.stderr)


def load_report(path: str):
    try:
        report = storage.load(path)
        tpl = templates.get(report.template_id)
    except (storage.StorageError, templates.TemplateError) as e:
        raise CliError(str(e)) from None  # “找不到模板” names the skipped files of the clerk's itself
    warn_skipped_templates()
    return report, tpl


def _num(value: Decimal | None):
    return None if value is None else format_decimal(value)


def _indicator_json(s: IndicatorScore) -> dict:
    return {
        "key": s.key, "level1": s.level1, "level2": s.level2, "name": s.name, "weight": _num(s.weight),
        "rule_score": _num(s.rule_score), "score": _num(s.score), "explanation": s.explanation,
        "override_reason": s.override.reason if s.override else None,
    }


def _group_json(g: GroupScore) -> dict:
    return {"name": g.name, "weight": _num(g.weight), "score": _num(g.score), "rule_score": _num(g.rule_score),
            "score_rate": format_percent(g.rate) if g.rate is not None else None, "unanswered": g.unanswered}


def _totals_json(t) -> dict:
    """Total and grade; while indicators are unanswered, ``complete`` is false, ``grade`` empty and
    ``shown`` says 未评完 (``total`` stays the sum so far, for tools that track progress)."""
    return {"total": _num(t.total), "rule_total": _num(t.rule_total), "grade": t.grade, "rule_grade": t.rule_grade,
            "complete": t.complete, "unanswered": t.unanswered, "shown": t.shown}


def result_json(result: ScoreResult) -> dict:
    out: dict = {"template": result.template_id, "dept": None, "projects": []}
    if result.dept:
        d = result.dept
        out["dept"] = _totals_json(d.totals) | {
            "level1": [_group_json(g) | {"level2": [_group_json(c) for c in g.children]} for g in d.groups],
            "indicators": [_indicator_json(s) for s in d.indicators],
        }
    for p in result.projects:
        out["projects"].append({"name": p.name} | _totals_json(p.totals) | {
            "level1": [_group_json(g) for g in p.groups],
            "indicators": [_indicator_json(s) for s in (p.execution, *p.rows)],
        })
    out["metrics"] = {k: (_num(v.value), v.detail) for k, v in result.metrics.items()}
    return out


def _line(s: IndicatorScore) -> str:
    rule = format_decimal(s.rule_score, "—")
    mark = "*" if s.overridden else " "
    return f"    {s.name}  分值 {format_decimal(s.weight)}  规则得分 {rule}  得分 {_score_text(s)}{mark}\n      {s.explanation}"


def _totals_line(t) -> str:
    if not t.complete:
        return f"  总分 {t.shown}"
    same = t.total == t.rule_total
    by_rule = "" if same else f"（按规则 {format_decimal(t.rule_total)}，{t.rule_grade}）"
    return f"  总分 {t.shown}  等次 {t.grade}{by_rule}"


def _group_text(g: GroupScore) -> str:
    return format_decimal(g.score) if g.complete else f"—（{g.unanswered} 项未评分）"


def _score_text(s) -> str:
    """A score for the text listing: blank (—) while unanswered, as on the forms."""
    return "—" if s.unanswered else format_decimal(s.score)


def result_text(report, result: ScoreResult) -> str:
    lines = [f"{report.basic.department or '（未填单位）'} {report.fiscal_year} 年度  模板：{result.template_id}"]
    if result.dept:
        lines.append("部门整体绩效指标")
        for g in result.dept.groups:
            lines.append(f"  {g.name}  分值 {format_decimal(g.weight)}  得分 {_group_text(g)}  得分率 {format_percent(g.rate)}")
            for c in g.children:
                lines.append(f"   {c.name}  分值 {format_decimal(c.weight)}  得分 {_group_text(c)}")
                lines += [_line(s) for s in c.children]
        lines.append(_totals_line(result.dept.totals))
    for p in result.projects:
        lines.append(f"项目 {p.index + 1}：{p.name}")
        lines += [_line(s) for s in (p.execution, *p.rows)]
        lines.append(_totals_line(p.totals))
    if any(s.overridden for s in result.all_scores()):
        lines.append("（* 为人工调整的得分）")
    return "\n".join(lines)


def cmd_score(path: str, as_json: bool) -> int:
    report, tpl = load_report(path)
    result = score(report, tpl)
    print(json.dumps(result_json(result), ensure_ascii=False, indent=1) if as_json else result_text(report, result))
    return 0


def cmd_check(path: str, as_json: bool) -> int:
    report, tpl = load_report(path)
    result = score(report, tpl)
    problems = checks.check(report, tpl, result)
    if as_json:
        print(json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=1))
    elif not problems:
        print("复核通过，未发现问题。")
    else:
        for p in problems:
            print(f"[{p.severity}] {p.message}\n    位置：{p.location}　处理：{p.action}")
        counts = {s: sum(p.severity == s for p in problems) for s in (checks.ERROR, checks.WARNING, checks.INFO)}
        print("共 " + "，".join(f"{s} {n} 个" for s, n in counts.items()))
    if not as_json:
        print(checks.readiness(problems, result)[1])
    return 1 if any(p.severity == checks.ERROR for p in problems) else 0


def cmd_templates() -> int:
    skipped: list[str] = []
    try:
        found = templates.load_all(warnings=skipped)
    except templates.TemplateError as e:
        raise CliError(str(e)) from None
    warn_skipped_templates(skipped)
    for tpl in found.values():
        kind = "部门整体" if tpl.kind == "dept" else "项目支出"
        print(f"{tpl.id}\t{kind}\t{tpl.province}\t{tpl.title}\t{tpl.notice}")
    return 0


YAML_SUFFIXES = (".yaml", ".yml")


def _template(tid: str):
    try:
        return templates.get(tid)
    except templates.TemplateError as e:
        raise CliError(f"{e}运行 python main.py templates 查看模板编号。") from None


def cmd_template_export(tid: str, output: str) -> int:
    """A template as a YAML file (to hand on as is) or as the bureau's Excel indicator table."""
    from pathlib import Path

    from .template_io import excel, yaml_io

    tpl = _template(tid)
    suffix = Path(output).suffix.lower()
    try:
        if suffix in YAML_SUFFIXES:
            yaml_io.write_atomic(Path(output), yaml_io.dump(yaml_io.raw_data(tpl)))
        elif suffix != ".xlsx":
            raise CliError(f"不支持导出为“{suffix or '无扩展名'}”文件，请用 .yaml（模板文件）或 .xlsx（指标体系表）作文件名结尾。")
        elif tpl.kind != "dept":
            raise CliError(f"“{tpl.title}”是项目支出模板，没有指标体系表，请导出为模板文件（.yaml）。")
        else:
            excel.export_table(yaml_io.raw_data(tpl), output)
    except templates.TemplateError as e:
        raise CliError(str(e)) from None
    except OSError as e:  # the Excel file is written directly: open in Excel/WPS, or a read-only folder
        raise CliError(f"无法写入“{output}”：{e.strerror or e}。文件可能正被 Excel/WPS 打开，请关闭后重试或另选位置。") from None
    print(f"已导出模板“{tpl.title}”（{tpl.id}）：{output}")
    return 0


def cmd_template_import(path: str, base_id: str, new_id: str) -> int:
    """A template file, or a bureau's Excel indicator table built on the ``base_id`` template's steps and
    forms, validated and saved into the user templates folder; 评分标准 not recognised are listed."""
    from pathlib import Path

    from .template_io import excel, yaml_io

    if not Path(path).is_file():
        raise CliError(f"找不到文件“{path}”，请检查路径。")
    suffix = Path(path).suffix.lower()
    try:
        if suffix in YAML_SUFFIXES:
            raw, notes = yaml_io.load_file(path), []
        elif suffix in (".xlsx", ".xls"):
            base = _template(base_id)
            if base.kind != "dept":
                raise CliError(f"指标体系表只能导入为部门整体模板，--base 请给部门整体模板的编号（“{base_id}”是项目支出模板）。")
            result = excel.import_table(path, yaml_io.raw_data(base), tid=new_id or f"{base.id}-导入")
            raw, notes = result.raw, result.notes
        else:
            raise CliError(f"不能导入“{suffix or '无扩展名'}”文件，请选模板文件（.yaml）或指标体系表（.xlsx/.xls）。")
        if new_id:
            raw["id"] = new_id
        saved = yaml_io.save_user_template(raw)
    except templates.TemplateError as e:
        hint = "" if new_id else "命令行上可加 --id 新编号。"
        raise CliError(f"{e}{hint}（未保存模板）") from None
    print(f"已保存模板“{raw.get('title', '')}”（编号 {raw['id']}）：{saved}")
    if notes:
        print(f"以下 {len(notes)} 项评分标准未能识别或需核对（未识别的按定性评分处理），请逐项核对：")
        print("\n".join(f"  {n}" for n in notes))
    return 0


def cmd_roll_forward(path: str, output: str, keep_targets: bool, force: bool) -> int:
    from pathlib import Path

    from .importers.previous_year import roll_forward

    report, _ = load_report(path)
    src, dst = Path(path), Path(output)
    if dst.exists() and src.exists() and dst.resolve() == src.resolve():
        raise CliError(f"下一年度报告不能保存为本年度报告“{src.name}”本身，请另取一个文件名。")
    if dst.exists() and not force:
        raise CliError(f"“{dst}”已存在，未覆盖。请另取一个文件名，或加 --force 覆盖它。")
    new = roll_forward(report, keep_targets)
    try:
        storage.save(new, dst)
    except storage.StorageError as e:
        raise CliError(str(e)) from None
    targets = "保留" if keep_targets else "已清空"
    carried = sum(v == "carried" for v in new.provenance.values())
    print(f"已生成 {new.fiscal_year} 年度报告：{dst}\n上年数和年初结转取自 {report.fiscal_year} 年度决算数"
          f"（标为“上年结转而来”的数据 {carried} 项）；年度指标值{targets}；实际数、得分和文字说明已清空。")
    return 0


def cmd_import_final(path: str, workbook: str, dry_run: bool) -> int:
    """Preview the 决算 import, then (unless --dry-run) apply it and save atomically."""
    from .importers import final_accounts

    try:
        report = storage.load(path)
        result = final_accounts.preview(workbook, report)
    except (storage.StorageError, final_accounts.FinalAccountsError) as e:
        raise CliError(f"{e}（报告文件未改动）") from None
    return _apply_import(path, report, result, final_accounts, dry_run)


def cmd_import_targets(path: str, workbook: str, dry_run: bool) -> int:
    """Preview the 绩效目标表 import, then (unless --dry-run) apply it and save atomically."""
    from .importers import targets

    report, tpl = load_report(path)
    try:
        plan = targets.preview(workbook, report, tpl)
    except targets.TargetsError as e:
        raise CliError(f"{e}（报告文件未改动）") from None
    return _apply_import(path, report, plan, targets, dry_run)


def _apply_import(path: str, report, result, importer, dry_run: bool) -> int:
    """What both imports do with their preview: print it, then (unless --dry-run) apply and save atomically;
    ``importer`` is the module with preview_text, has_updates and apply."""
    print(importer.preview_text(result, report.display_unit))
    if dry_run:
        print("仅预览（--dry-run），报告文件未改动。")
        return 0
    if not importer.has_updates(report, result):
        print("没有需要写入的数据，报告文件未改动。")
        return 0
    importer.apply(report, result)
    try:
        storage.save(report, path)
    except storage.StorageError as e:
        raise CliError(str(e)) from None
    print(f"已导入并保存“{path}”（保存前的版本在 .bak 备份文件中）。")
    return 0


def run(command: str, args) -> int:
    try:
        if command == "import-final":
            return cmd_import_final(args.file, args.workbook, args.dry_run)
        if command == "import-targets":
            return cmd_import_targets(args.file, args.workbook, args.dry_run)
        if command == "roll-forward":
            return cmd_roll_forward(args.file, args.output, args.keep_targets, args.force)
        if command == "score":
            return cmd_score(args.file, args.json)
        if command == "check":
            return cmd_check(args.file, args.json)
        if command == "template-export":
            return cmd_template_export(args.template, args.output)
        if command == "template-import":
            return cmd_template_import(args.file, args.base, args.id)
        return cmd_templates()
    except CliError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
