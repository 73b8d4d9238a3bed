from decimal import Decimal as D

import pytest

from model.rules import KINDS, Facts

SAT = {"unit": "%", "bands": [{"min": 90, "score": "full"}, {"min": 75, "score": 3}, {"min": 60, "score": 1}, {"score": 0}]}


def run(kind, params, weight, **facts):
    out = KINDS[kind].score(params, D(weight), Facts(name="指标", **facts))
    return out and out.score


def test_rate_caps_at_weight_and_explains():
    out = KINDS["rate"].score({}, D(10), Facts(name="预算执行率", value=D("152.52") / D("883.56") * 100))
    assert out.score == D("1.73")
    assert out.explanation == "预算执行率 17.26%，得分 = 17.26% × 10 = 1.73"
    assert run("rate", {}, 10, value=D(120)) == D(10)


@pytest.mark.parametrize("value,expected", [("5", "2"), ("4.99", "0"), ("2.57", "0")])
def test_threshold_full_or_nothing(value, expected):
    assert run("threshold", {"op": ">=", "target": 5, "unit": "%"}, 2, value=D(value)) == D(expected)


@pytest.mark.parametrize("value,expected", [("95.5", "5"), ("90", "5"), ("89.9", "3"), ("75", "3"), ("60", "1"), ("59", "0")])
def test_satisfaction_bands(value, expected):
    assert run("bands", SAT, 5, value=D(value)) == D(expected)


def test_reverse_bands_with_max():
    params = {"unit": "%", "bands": [{"max": 0, "score": "full"}, {"max": 10, "score": 2}, {"max": 20, "score": 1}, {"score": 0}]}
    assert [run("bands", params, 3, value=D(v)) for v in ("0", "10", "13.44", "25")] == [D(3), D(2), D(1), D(0)]


def test_proportional_positive_and_reverse():
    assert run("proportional", {"target": "21.754"}, 3, value=D("10.877")) == D("1.50")
    assert run("proportional", {}, 10, value=D(90), target=D(95)) == D("9.47")
    assert run("proportional", {}, 5, value=D(150), target=D(100), op="<=") == D("3.33")
    assert run("proportional", {}, 5, value=D(80), target=D(100), op="<=") == D(5)


def test_per_item_capped_and_its_achievable_scores():
    params = {"points": 1.5, "cap": 3}
    assert run("per_item", params, 3, value=D(1)) == D("1.50")
    assert run("per_item", params, 3, value=D(5)) == D(3)
    kind = KINDS["per_item"]
    assert [kind.achievable(params, D(3), D(x)) for x in ("0", "1.5", "3", "1", "2")] == [True, True, True, False, False]


def test_checklist_shares_and_achievable():
    params = {"items": ["a", "b", "c"]}
    assert run("checklist", params, 3, items=[True, True, False]) == D(2)
    assert run("checklist", params, 3, items=[True]) is None  # unanswered items
    assert KINDS["checklist"].achievable({"items": ["a", "b"], "points": [1.5, 1.5]}, D(3), D(1)) is False


def test_levels_and_threshold_achievable():
    levels = {"levels": [{"label": "都有", "score": 2}, {"label": "有其一", "score": 1}, {"label": "无", "score": 0}]}
    assert run("levels", levels, 2, choice=1) == D(1)
    assert KINDS["threshold"].achievable({"op": ">=", "target": 95}, D(3), D(2)) is False


def test_qualitative_default_top_of_band_and_judged():
    params = {"bands": [{"label": "达成", "low": 80, "high": 100}, {"label": "部分达成", "low": 50, "high": 80}]}
    assert run("qualitative", params, 20, choice=0) == D(20)
    assert run("qualitative", params, 15, choice=1, judged_score=D(10)) == D(10)
    assert run("qualitative", params, 15) is None


def test_missing_value_gives_no_score():
    assert run("threshold", {"op": ">=", "target": 5}, 2) is None
