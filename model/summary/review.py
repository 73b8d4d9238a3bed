"""审核: the county's reviewer scores beside the unit's self-score (``Report.review``).

A reviewer enters 审核得分 per indicator with a reason; the self-score (the clerk's 得分 and any
override) is never touched.  The 审核分 of a project or of the department part is its total with
the reviewer's score in place of each self-score the reviewer set; it exists once the report is
marked 已审核 or 退回, or a reviewer score was entered for that part.  ``save_review`` writes the
review into the unit's file: the file as it is on disk now, with only its review block replaced,
saved atomically (``storage.save``) while holding the report's lock (``filelock``), so a window
that has the report open is never overwritten and never overwrites it unasked.
"""
from __future__ import annotations

import os
from decimal import Decimal
from typing import Optional

from .. import filelock, storage
from .. import templates as templates_mod
from ..money import round2
from ..report import Report, Review
from ..scoring import ScoreResult

UNSCORED, PENDING, REVIEWED, RETURNED = "未评完", "待审核", "已审核", "退回"
STATES = (UNSCORED, PENDING, REVIEWED, RETURNED)


class ReviewError(Exception):
    """The review could not be saved; str() says why and what to do."""


def state(review: Review, complete: bool) -> str:
    """状态 of a report: the reviewer's 已审核/退回 once set, else 未评完 or 待审核 by the self-evaluation
    (a status the program does not know, typed into the file by hand, counts as none)."""
    if review.status in (REVIEWED, RETURNED):
        return review.status
    return PENDING if complete else UNSCORED


def part_keys(result: ScoreResult, part: Optional[int]) -> list:
    """The indicator scores of one part: project ``part``, or the department's (``None``)."""
    if part is None:
        return list(result.dept.indicators) if result.dept else []
    p = result.projects[part]
    return [p.execution, *p.rows]


def reviewed_total(review: Review, scores) -> Optional[Decimal]:
    """审核分 of a part (None when the reviewer has not looked at it): each reviewer score in place of
    the self-score, the other indicators as self-assessed."""
    if review.status not in (REVIEWED, RETURNED) and not any(s.key in review.scores for s in scores):
        return None
    return round2(sum((review.scores[s.key].score if s.key in review.scores else s.score for s in scores),
                      Decimal(0)))


def reviewed_grade(report: Report, tpl, result: ScoreResult, part: Optional[int]) -> str:
    """The grade of the 审核分 once the report is 已审核 (the 主管部门审核结论), else empty."""
    if report.review.status != REVIEWED:
        return ""
    total = reviewed_total(report.review, part_keys(result, part))
    grader = tpl if part is None else templates_mod.project_template(tpl)  # a project's bands are its form's
    return grader.grade(total) if total is not None else ""


def as_reviewed(report: Report) -> Report:
    """A copy of ``report`` whose scores are the reviewer's: each 审核得分 set as that indicator's score by
    hand with the reviewer's reason (so every form prints the 审核分 and the 评分说明 lists why), the rest
    as self-assessed.  The file's report is not touched."""
    from copy import deepcopy

    from ..report import Override

    out = deepcopy(report)
    for key, given in report.review.scores.items():
        override = Override(given.score, f"审核：{given.reason}".rstrip("："))
        parts = key.split(".")
        if parts[0] == "dept" and len(parts) == 2:
            out.answer(parts[1]).override = override
        elif parts[0] == "project" and len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(out.projects):
            project = out.projects[int(parts[1])]
            if parts[2] == "execution":
                project.execution_override = override
            elif parts[2] == "row" and len(parts) == 4 and parts[3].isdigit() and int(parts[3]) < len(project.indicators):
                project.indicators[int(parts[3])].override = override
    return out


def has_review(report: Report) -> bool:
    return bool(report.review.scores) or report.review.status in (REVIEWED, RETURNED)


def save_review(path: str | os.PathLike, review: Review) -> storage.Fingerprint:
    """Write ``review`` into the report at ``path``; everything else in the file stays as it is on disk."""
    lock = filelock.FileLock(path)
    owner = lock.acquire()
    if owner is not None:
        raise ReviewError(f"此报告正由 {owner.user} 在 {owner.host} 于 {owner.when()} 打开，审核结果没有保存。"
                          "请等对方关闭报告后再保存（审核内容仍在本窗口中）。")
    try:
        try:
            report = storage.load(path)
        except storage.StorageError as e:
            raise ReviewError(f"{e}（审核结果没有保存）") from None
        report.review = review
        try:
            return storage.save(report, path)
        except storage.StorageError as e:
            raise ReviewError(str(e)) from None
    finally:
        lock.release()
