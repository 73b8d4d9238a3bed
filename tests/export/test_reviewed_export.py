"""Exports of the county's review (issue 18 item 2): the 审核分 printed in files of their own, the self-score untouched."""
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from model import scoring, storage
from model.report import ReviewScore
from model.summary.review import as_reviewed, has_review

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "xingxian_2022.jxzp.json"


def reviewed_sample():
    report = storage.load(SAMPLE)
    report.review.status = "已审核"
    report.review.scores["project.0.row.0"] = ReviewScore(Decimal("0.50"), "劳动力人数与目标口径不一致")
    report.review.scores["project.1.execution"] = ReviewScore(Decimal("9"), "")
    return report


def test_the_reviewed_copy_scores_the_reviewers_figures_and_leaves_the_report_alone():
    report = reviewed_sample()
    before = storage.dumps(report)
    copy = as_reviewed(report)
    assert storage.dumps(report) == before
    own, reviewed = scoring.score(report), scoring.score(copy)
    assert reviewed.projects[0].rows[0].score == Decimal("0.50") != own.projects[0].rows[0].score
    assert reviewed.projects[1].execution.score == Decimal("9")
    assert copy.projects[0].indicators[0].override.reason == "审核：劳动力人数与目标口径不一致"
    assert copy.projects[1].execution_override.reason == "审核"
    assert has_review(report) and not has_review(storage.load(SAMPLE))


def test_the_command_writes_the_reviewed_files_beside_the_units_own(tmp_path):
    path = tmp_path / "兴县.jxzp.json"
    storage.save(reviewed_sample(), path)
    run = [sys.executable, str(ROOT / "main.py"), "export", str(path), "--xlsx", "-o", str(tmp_path)]
    assert subprocess.run(run, capture_output=True, text=True, encoding="utf-8").returncode == 0
    out = subprocess.run(run + ["--review"], capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 0, out.stderr
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert len(names) == 2 and names[1].endswith("_审核.xlsx") and names[0] == names[1].replace("_审核", "")


def test_no_review_no_reviewed_export(tmp_path):
    path = tmp_path / "兴县.jxzp.json"
    storage.save(storage.load(SAMPLE), path)
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(path), "--review", "-o", str(tmp_path)],
                         capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 2 and "还没有主管部门的审核结果" in out.stderr
