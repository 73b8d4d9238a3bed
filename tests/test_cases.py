"""One parametrised test over tests/cases/seeds.yaml: the seeds reproduced, their errors caught."""
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from model import checks, scoring, templates
from model.money import round2

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "seeds.yaml").read_text(encoding="utf-8"))


def actual(result, key: str):
    parts = key.split(".")
    if parts[0] == "dept":
        t = result.dept.totals
        if parts[1] == "level1":
            return [f"{g.score:.2f}" for g in result.dept.groups]
        return getattr(t, parts[1]) if parts[1] in ("grade", "rule_grade") else f"{getattr(t, parts[1]):.2f}"
    if parts[0] == "project":
        p = result.projects[int(parts[1])]
        if parts[2] == "execution":
            return f"{p.execution.score:.2f}"
        value = getattr(p.totals, parts[2])
        return value if isinstance(value, str) else f"{value:.2f}"
    if parts[0] == "indicator":
        s = result.by_key(f"dept.{parts[1]}")
        value = getattr(s, parts[2])
        return None if value is None else f"{value:.2f}"
    if parts[0] == "metric":
        value = result.metrics[parts[1]].value
        return None if value is None else f"{round2(value):.2f}"
    raise KeyError(key)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_seed_case(case, sample):
    report = sample(case["sample"])
    tpl = templates.get(report.template_id)
    result = scoring.score(report, tpl)
    for key, expected in case.get("expect", {}).items():
        assert actual(result, key) == expected, key
    problems = checks.check(report, tpl, result)
    found = {(p.code, p.location) for p in problems}
    for code, location in case.get("problems", []):
        assert (code, location) in found, (code, location, sorted(found))
    exactly = case.get("exactly") or []
    for rule in [exactly] if isinstance(exactly, dict) else exactly:
        got = sorted({p.location for p in problems if p.code in rule["codes"]})
        assert got == sorted(rule["locations"]), rule["codes"]


def test_every_sample_round_trips_unchanged(sample, tmp_path):
    """Saving a loaded sample gives the same bytes: the file format is stable."""
    from model import storage

    for path in sorted((Path(__file__).parent.parent / "resources" / "samples").glob("*.jxzp.json")):
        report = storage.load(path)
        assert storage.dumps(report) == path.read_text(encoding="utf-8"), path.name
        assert isinstance(scoring.score(report).projects, tuple)
        assert isinstance(Decimal(1), Decimal)
