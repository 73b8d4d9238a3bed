"""Incomplete is not a score: while scored indicators are unanswered there is no total, no grade."""
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from model import storage
from model.progress import DONE, TODO, step_states
from model.report import IndicatorAnswer, Override, Report
from model.scoring import incomplete_text, score
from model import checks, templates

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("tid", ["hunan-dept", "henan-dept-2020"])
def test_a_blank_department_report_has_no_total_and_no_grade(tid):
    tpl = templates.get(tid)
    result = score(Report(template_id=tid, fiscal_year=2023), tpl)
    t = result.dept.totals
    missing = sum(1 for s in result.dept.indicators if s.rule_score is None)
    assert missing > 0 and t.unanswered == missing and not t.complete
    assert t.grade == "" and t.rule_grade == ""
    assert t.shown == incomplete_text(missing) == f"未评完：{missing} 项指标尚未评分"
    assert not result.complete and result.unanswered == missing
    assert all(not g.complete and g.rate is None for g in result.dept.groups if g.unanswered)


def test_answering_every_indicator_gives_the_score_and_grade_back():
    tpl = templates.get("hunan-dept")
    report = Report(template_id="hunan-dept", fiscal_year=2023)
    first = score(report, tpl).dept.totals.unanswered
    for ind in tpl.indicators():  # a score set by hand (with a reason) answers an indicator too
        report.answers[ind.id] = IndicatorAnswer(override=Override(ind.weight, "测试：满分"))
    t = score(report, tpl).dept.totals
    assert first > 0 and t.complete and t.shown == "100.00" and t.grade == "优"
    report.answers.pop(tpl.indicators()[0].id)
    t = score(report, tpl).dept.totals
    assert t.unanswered == 1 and t.grade == "" and t.shown == "未评完：1 项指标尚未评分"


def test_a_project_without_its_funds_is_not_scored(sample):
    report = sample("xingxian_2022")
    report.projects[1].funds_current.executed = None
    result = score(report)
    p = result.projects[1]
    assert p.execution.unanswered and p.totals.shown == "未评完：1 项指标尚未评分" and p.totals.grade == ""
    assert result.projects[0].totals.complete and not result.complete


def test_published_total_is_not_compared_while_unfinished(sample):
    report = sample("xiangxi_2021")
    report.answers.pop("staff_control", None)
    report.basic.actual_staff = None  # the 在职人员控制率 metric loses its facts
    problems = checks.check(report)
    assert not [p for p in problems if p.code == "published_mismatch" and p.location == "score.total"]
    assert [p for p in problems if p.code == "published_uncheckable" and p.location == "score.total"]


def _cli(*args, tmp_path):
    env = {"JXZP_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)


def test_cli_score_of_a_blank_report_says_unfinished(tmp_path):
    path = tmp_path / "blank.jxzp.json"
    path.write_text(storage.dumps(Report(template_id="hunan-dept", fiscal_year=2023)), encoding="utf-8")
    out = _cli("score", str(path), tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    total = [line for line in out.stdout.splitlines() if line.strip().startswith("总分")]
    assert len(total) == 1 and "未评完：" in total[0] and "项指标尚未评分" in total[0] and "等次" not in total[0]
    for grade in ("优", "良", "中", "差"):
        assert f"等次 {grade}" not in out.stdout
    data = json.loads(_cli("score", str(path), "--json", tmp_path=tmp_path).stdout)
    assert data["dept"]["complete"] is False and data["dept"]["grade"] == "" and data["dept"]["shown"].startswith("未评完")


def test_steps_of_a_blank_report_are_to_do():
    tpl = templates.get("hunan-dept")
    report = Report(template_id="hunan-dept", fiscal_year=2023)
    result = score(report, tpl)
    steps = [s for s in templates.SECTIONS if s in tpl.sections or s == "export"]
    states = step_states(report, tpl, result, checks.check(report, tpl, result), steps)
    assert set(states.values()) <= {TODO, "error"} and DONE not in states.values(), states


def test_a_step_is_done_once_filled_and_clean():
    tpl = templates.get("hunan-dept")
    report = Report(template_id="hunan-dept", fiscal_year=2023)
    for ind in tpl.indicators():
        report.answers[ind.id] = IndicatorAnswer(override=Override(ind.weight, "测试：满分"))
    result = score(report, tpl)
    steps = [s for s in templates.SECTIONS if s in tpl.sections or s == "export"]
    problems = checks.check(report, tpl, result)
    states = step_states(report, tpl, result, problems, steps)
    assert result.complete
    assert states["dept_indicators"] == DONE, [p.message for p in problems if p.step == "dept_indicators"]
    assert states["basic_info"] != DONE and states["narrative"] == TODO and states["team_opinion"] == TODO
