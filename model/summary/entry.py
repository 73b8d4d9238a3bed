"""One report of a 汇总, opened, scored and checked, and reduced to its rows.

``open_entry(source)`` reads the report, scores and checks it and keeps only what the 汇总 shows
and its cross-unit checks read (an ``Entry`` with one ``Row`` per project and one for the
department part): a hundred reports of twenty projects would be about a gigabyte as Report
objects.  Double-clicking a row or entering a review opens the file again.  Entries are plain
data, so they can be made in worker processes (``model.summary.open_entries``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from .. import checks, storage, templates
from ..checksum import checksum
from ..money import round2
from ..problems import ERROR, WARNING
from ..report import Report
from ..scoring import ScoreResult, score
from .review import part_keys, reviewed_total, state
from .sources import Source, read

HUNDRED = Decimal(100)
DEPT_PART = "部门整体"  # the 项目 column of a department row


@dataclass(frozen=True)
class Loss:
    """An indicator that lost points, for the 汇总分析报告's list of low scorers."""
    name: str
    lost: Decimal
    reason: str  # 未完成原因分析, else the reason of a score set by hand


@dataclass(frozen=True)
class Row:
    """One line of the 汇总 table: a project, or the department part of a report (``part`` None)."""
    unit: str  # 单位
    project: str  # 项目 (DEPT_PART for the department)
    part: Optional[int]  # the project's index in its report; None = the department part
    budget: Optional[Decimal]  # 全年预算数, 元
    executed: Optional[Decimal]  # 全年执行数 / 支出决算数, 元
    rate: Optional[Decimal]  # 执行率, %
    self_score: Optional[Decimal]  # 自评分; None while 未评完
    rule_score: Optional[Decimal]  # 按规则总分; None while 未评完
    review_score: Optional[Decimal]  # 审核分; None until reviewed
    grade: str  # 等次 of the 审核分 when there is one, else of the 自评分; empty while 未评完
    errors: int
    warnings: int
    state: str  # 未评完 / 待审核 / 已审核 / 退回
    overrides: int  # indicators scored by hand
    full_marks_with_deviations: bool  # every indicator full marks, yet deviations written
    losses: tuple = ()  # the indicators that lost most (Loss), largest first

    @property
    def is_dept(self) -> bool:
        return self.part is None


@dataclass
class Entry:
    source: Source
    error: str = ""  # why the report could not be opened (then no rows)
    unit: str = ""
    fiscal_year: int = 0
    template_id: str = ""
    checksum: str = ""
    rows: list[Row] = field(default_factory=list)
    reviewer: str = ""
    opinion: str = ""  # 审核意见


def open_entry(source: Source) -> Entry:
    try:
        raw = read(source)
        report = storage.loads(raw.decode("utf-8-sig"), source.name)
        tpl = templates.get(report.template_id)
    except (storage.StorageError, templates.TemplateError) as e:
        return Entry(source, error=str(e))
    except UnicodeDecodeError:
        return Entry(source, error=f"“{source.name}”不是 UTF-8 文本，不是本软件的报告文件。")
    except OSError as e:
        return Entry(source, error=f"无法读取“{source.name}”：{e.strerror or e}。请检查文件权限或网络连接。")
    return entry_of(source, report, tpl)


def entry_of(source: Source, report: Report, tpl) -> Entry:
    result = score(report, tpl)
    problems = checks.check(report, tpl, result)
    unit = report.basic.department.strip() or "（未填单位）"
    entry = Entry(source, unit=unit, fiscal_year=report.fiscal_year, template_id=report.template_id,
                  checksum=checksum(report), reviewer=report.review.reviewer, opinion=report.review.opinion)
    counts = _problem_counts(problems)
    if result.dept is not None:
        f = report.finance
        budget, spent = f.annual_budget, f.summary.expenditure_total
        entry.rows.append(_row(report, result, None, unit, DEPT_PART, budget, spent, result.dept.totals,
                               counts.get(None, (0, 0)), tpl))
    for i, (project, ps) in enumerate(zip(report.projects, result.projects)):
        funds = project.funds_total
        entry.rows.append(_row(report, result, i, unit, project.name.strip() or f"项目{i + 1}",
                               funds.annual_budget, funds.executed, ps.totals, counts.get(i, (0, 0)), tpl))
    return entry


def _problem_counts(problems) -> dict:
    """(错误, 警告) per part: a project's index from its field path, None for the rest of the report."""
    out: dict = {}
    for p in problems:
        part = None
        if p.location.startswith("projects["):
            part = int(p.location[9:p.location.index("]")])
        errors, warnings = out.get(part, (0, 0))
        out[part] = (errors + (p.severity == ERROR), warnings + (p.severity == WARNING))
    return out


def _rate(budget, executed) -> Optional[Decimal]:
    if budget is None or executed is None or not budget:
        return None
    return round2(executed / budget * HUNDRED)


def _row(report: Report, result: ScoreResult, part, unit, name, budget, executed, totals, counts, tpl) -> Row:
    scores = part_keys(result, part)
    review_score = reviewed_total(report.review, scores)
    complete = totals.complete
    grader = tpl if part is None else templates.project_template(tpl)
    grade = grader.grade(review_score) if review_score is not None and complete else totals.grade
    deviations = part is not None and any(r.deviation_reason.strip() for r in report.projects[part].indicators)
    full = bool(scores) and complete and all(s.score >= s.weight for s in scores)
    return Row(unit, name, part, budget, executed, _rate(budget, executed),
               totals.total if complete else None, totals.rule_total if complete else None, review_score, grade,
               counts[0], counts[1], state(report.review, complete), sum(s.overridden for s in scores),
               full and deviations, _losses(report, part, scores))


def _losses(report: Report, part, scores, keep: int = 3) -> tuple:
    rows = report.projects[part].indicators if part is not None else []
    lost = []
    for j, s in enumerate(scores):
        if s.unanswered or s.score >= s.weight:
            continue
        # a project's rows follow its 预算执行率 (scores[0]); the department's have no 未完成原因分析
        row = rows[j - 1] if part is not None and j > 0 else None
        reason = ((row.deviation_reason.strip() if row else "") or (s.override.reason.strip() if s.override else "")
                  or s.explanation)
        lost.append(Loss(s.name, round2(s.weight - s.score), reason))
    lost.sort(key=lambda x: -x.lost)
    return tuple(lost[:keep])
