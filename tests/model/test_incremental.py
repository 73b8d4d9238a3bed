"""Edits rescore only what they can change (model.live), with the same result as scoring everything."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from bench.generate import large_report
from model import checks, edits, scoring, templates
from model.live import Live
from model.report import FundsRow, Override, Project, ProjectIndicator


def full(report):
    tpl = templates.get(report.template_id)
    result = scoring.score(report, tpl)
    return result, checks.check(report, tpl, result)


def same_as_full(live: Live):
    result, problems = full(live.report)
    assert live.result == result
    assert live.problems == problems
    for p in live.result.projects:  # keys found from their index, as before from a full index
        for s in (p.execution, *p.rows):
            assert live.result.by_key(s.key) is s
    assert live.result.unanswered == sum(1 for s in result.all_scores() if s.unanswered)


@pytest.fixture
def report():
    return large_report(12, 6)


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = scoring.score_project

    def spy(index, project, ptpl):
        calls.append(index)
        return real(index, project, ptpl)

    monkeypatch.setattr(scoring, "score_project", spy)
    return calls


OUTSIDE = [("finance.units[0].other_income", Decimal("12345.67")),
           ("answers.special_fund_detail_rate.value", Decimal("91.5")),
           ("basic.contact_person", "李四"),
           ("narrative.overview", "预算执行率为 17.26%。"),
           ("fiscal_year", 2021)]


@pytest.mark.parametrize("path,value", OUTSIDE)
def test_edit_outside_projects_scores_no_project(report, counted, path, value):
    live = Live(report, templates.get(report.template_id))
    assert len(counted) == len(report.projects)  # the first, full scoring
    counted.clear()
    edits.set_at(report, path, value)
    live.edited(path)
    assert counted == []
    assert live.rescored == ("dept",)
    same_as_full(live)


def test_edit_inside_a_project_scores_that_project(report, counted):
    live = Live(report, templates.get(report.template_id))
    counted.clear()
    edits.set_at(report, "projects[7].indicators[2].actual", "80人")
    live.edited("projects[7].indicators[2].actual")
    assert counted == [7]
    same_as_full(live)
    counted.clear()
    edits.insert_at(report, "projects[3].indicators", 0, ProjectIndicator(level1="output", level2="数量指标", name="新"))
    live.edited("projects[3].indicators")
    assert counted == [3]
    same_as_full(live)


def test_moving_a_project_rescores_only_what_is_new(report, counted):
    live = Live(report, templates.get(report.template_id))
    counted.clear()
    edits.insert_at(report, "projects", 2, Project(name="插入"))
    live.edited("projects")
    assert counted == [2]  # the others moved: keys renumbered, not scored again
    same_as_full(live)
    counted.clear()
    edits.move_at(report, "projects", 0, 5)
    live.edited("projects")
    edits.remove_at(report, "projects", 9)
    live.edited("projects")
    assert counted == []
    same_as_full(live)


def test_display_unit_rechecks_project_messages(report):
    live = Live(report, templates.get(report.template_id))
    report.projects[1].funds_current = FundsRow(Decimal(100), Decimal(100), Decimal(150))  # 执行率 > 100%: amounts in the text
    live.edited("projects[1].funds_current")
    edits.set_at(report, "display_unit", "yuan" if report.display_unit == "wan" else "wan")
    live.edited("display_unit")
    same_as_full(live)


def test_unchanged_problems_keep_their_objects(report):
    live = Live(report, templates.get(report.template_id))
    before = {id(p) for p in live.problems}
    edits.set_at(report, "basic.contact_person", "王五")
    live.edited("basic.contact_person")
    assert {id(p) for p in live.problems} == before


def test_random_edits_match_full_scoring():
    rng = random.Random(12)
    report = large_report(8, 5)
    live = Live(report, templates.get(report.template_id))
    for step in range(120):
        n = len(report.projects)
        kind = rng.randrange(9)
        if kind == 0 and n:
            i, j = rng.randrange(n), rng.randrange(5)
            if j < len(report.projects[i].indicators):
                path = f"projects[{i}].indicators[{j}].{rng.choice(['actual', 'target', 'weight'])}"
                old = edits.get_at(report, path)
                new = Decimal(rng.randrange(0, 40)) if path.endswith("weight") else rng.choice(["90人", "提高", "", "≥95%", "2020年底"])
                edits.set_at(report, path, new if old != new else old)
                live.edited(path)
        elif kind == 1 and n:
            i = rng.randrange(n)
            edits.set_at(report, f"projects[{i}].name", rng.choice(["", "新名字", f"项目{step}"]))
            live.edited(f"projects[{i}].name")
        elif kind == 2:
            edits.insert_at(report, "projects", rng.randrange(n + 1),
                            rng.choice([Project(), edits.clone(report.projects[0]) if n else Project(name="x")]))
            live.edited("projects")
        elif kind == 3 and n:
            edits.remove_at(report, "projects", rng.randrange(n))
            live.edited("projects")
        elif kind == 4 and n > 1:
            edits.move_at(report, "projects", rng.randrange(n), rng.randrange(n))
            live.edited("projects")
        elif kind == 5:
            path = rng.choice(OUTSIDE)[0]
            edits.set_at(report, path, dict(OUTSIDE)[path] if rng.random() < .5 else edits.get_at(report, path))
            live.edited(path)
        elif kind == 6 and n:
            i = rng.randrange(n)
            rows = report.projects[i].indicators
            if rows:
                rows[0].override = Override(Decimal(rng.randrange(0, 3)), rng.choice(["", "理由"]))
                live.edited(f"projects[{i}].indicators[0].override")
        elif kind == 7:
            edits.set_at(report, "display_unit", rng.choice(["wan", "yuan"]))
            live.edited("display_unit")
        elif kind == 8 and n:
            i = rng.randrange(n)
            edits.set_at(report, f"projects[{i}]", Project(name="整个换掉"))
            live.edited(f"projects[{i}]")
        if step % 40 == 39:
            live.edited("")  # an import: everything again
        same_as_full(live)


def test_a_template_without_a_project_form_scores_no_project(monkeypatch):
    from dataclasses import replace

    report = large_report(3, 4)
    tpl = replace(templates.get(report.template_id), project_template=None)
    monkeypatch.setattr(templates, "project_template", lambda t: None if t is tpl else templates.get(t.project_template))
    live = Live(report, tpl)
    assert live.result.projects == ()
    edits.set_at(report, "projects[1].name", "改名")
    live.edited("projects[1].name")
    edits.insert_at(report, "projects", 0, Project(name="新"))
    live.edited("projects")
    assert live.result.projects == ()
    result = scoring.score(report, tpl)
    assert live.result == result and live.problems == checks.check(report, tpl, result)
