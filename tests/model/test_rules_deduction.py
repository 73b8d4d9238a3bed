"""The deduction rule kind: full up to a threshold, points off per step beyond it, floor 0.

The cases are the published 湖南 wordings (REFERENCE.md, 湖南省人民政府参事室 指标表):
在职人员控制率 ≤100 % full, −0.5 per point over; “三公经费”变动率 ≤0 full, −10 % of the weight
per point over; 预算完成率 100 % full, −2 per 5 % short; 楼堂馆所面积控制率 ≤100 % full, −2 per 5 % over.
"""
from decimal import Decimal as D

import pytest

from model.rules import KINDS, Facts

KIND = KINDS["deduction"]
STAFF = {"op": "<=", "threshold": 100, "points": 0.5, "unit": "%"}
THREE_PUBLIC = {"op": "<=", "threshold": 0, "share": 10, "unit": "%"}
COMPLETION = {"op": ">=", "threshold": 100, "step": 5, "points": 2, "unit": "%"}
BUILDINGS = {"op": "<=", "threshold": 100, "step": 5, "points": 2, "unit": "%"}


def score(params, weight, value):
    return KIND.score(params, D(weight), Facts(name="指标", value=D(value))).score


@pytest.mark.parametrize("value,expected", [
    ("88.66", "5"), ("100", "5"),
    ("100.5", "4.5"),   # part of a point counts as a point (不足1个百分点按1个百分点计)
    ("104", "3"),       # 4 points × 0.5 = 2 off
    ("109.2", "0"),     # 10 points × 0.5 = 5 off: floor 0
    ("260", "0"),       # seed 003: 13 people on 5 posts
])
def test_staff_control_half_a_point_per_point_over(value, expected):
    assert score(STAFF, 5, value) == D(expected)


@pytest.mark.parametrize("weight,value,expected", [
    (5, "-12.5", "5"), (5, "0", "5"),
    (5, "3.2", "3"),    # 4 points × 10 % × 5 = 2 off
    (8, "2", "6.4"),    # 2 points × 0.8 = 1.6 off (参事室 table: 8 分, −0.8 per point)
    (5, "15", "0"),
])
def test_three_public_change_share_of_the_weight_per_point(weight, value, expected):
    assert score(THREE_PUBLIC, weight, value) == D(expected)


@pytest.mark.parametrize("value,expected", [
    ("100", "5"), ("97", "3"),   # 3 % short: one step of 5 → −2
    ("95", "3"), ("92.8", "1"),  # 7.2 % short: two steps → −4
    ("80", "0"),
])
def test_budget_completion_two_points_per_five_percent_short(value, expected):
    assert score(COMPLETION, 5, value) == D(expected)


def test_buildings_and_how_a_part_step_counts():
    assert score(BUILDINGS, 5, "103") == D(3)
    assert score(dict(BUILDINGS, partial="down"), 5, "103") == D(5)      # only whole steps
    assert score(dict(BUILDINGS, partial="down"), 5, "111") == D(1)
    assert score(dict(BUILDINGS, partial="exact"), 5, "103") == D("3.80")  # 3/5 × 2 = 1.2 off


def test_explanation_states_the_arithmetic():
    out = KIND.score(STAFF, D(5), Facts(name="在职人员控制率", value=D("104.3")))
    assert out.explanation == ("在职人员控制率 104.3%，超出标准 ≤100% 4.3个百分点，每1个百分点扣 0.5 分"
                               "（不足1个百分点按1个百分点计），扣 2.5 分，得 2.5 分")
    out = KIND.score(COMPLETION, D(5), Facts(name="预算完成率", value=D(80)))
    assert out.explanation.endswith("扣 8 分，得 0 分（扣完为止）")
    assert KIND.score(STAFF, D(5), Facts(name="x")) is None  # no value: unanswered


def test_achievable_scores():
    assert [KIND.achievable(STAFF, D(5), D(x)) for x in ("5", "4.5", "0", "4.2", "6")] == [True, True, True, False, False]
    assert KIND.achievable(dict(BUILDINGS, partial="exact"), D(5), D("3.8"))
    assert KIND.achievable(THREE_PUBLIC, D(5), D("3.5"))  # three points × 0.5


@pytest.mark.parametrize("params,needle", [
    ({"op": "<", "threshold": 100, "points": 1}, "比较符"),
    ({"op": "<=", "points": 1}, "threshold"),
    ({"op": "<=", "threshold": 100}, "points"),
    ({"op": "<=", "threshold": 100, "points": 1, "share": 10}, "二者之一"),
    ({"op": "<=", "threshold": 100, "points": 9}, "0–5"),
    ({"op": "<=", "threshold": 100, "share": 120}, "share"),
    ({"op": "<=", "threshold": 100, "points": 1, "step": 0}, "step"),
    ({"op": "<=", "threshold": 100, "points": 1, "partial": "ceil"}, "partial"),
])
def test_bad_parameters_are_named_in_chinese(params, needle):
    errs = KIND.check(params, D(5))
    assert errs and any(needle in e for e in errs), errs


def test_good_parameters_pass():
    for p in (STAFF, THREE_PUBLIC, COMPLETION, BUILDINGS):
        assert KIND.check(p, D(5)) == []
