from decimal import Decimal as D

import pytest

from model.money import MoneyError, format_amount, parse_amount, parse_number, round2


@pytest.mark.parametrize("text,unit,expected", [
    ("1,482.43", "yuan", D("1482.43")),
    ("1482.43万", "yuan", D("14824300")),
    ("1482.43万元", "yuan", D("14824300")),
    ("１２３．４５", "yuan", D("123.45")),
    (" 1 482.43 ", "yuan", D("1482.43")),
    ("1482.43", "wan", D("14824300")),
    ("27274348.52元", "wan", D("27274348.52")),
    ("-5.01", "yuan", D("-5.01")),
    ("", "yuan", None),
    ("—", "wan", None),
])
def test_parse_amount_accepts_what_clerks_type(text, unit, expected):
    assert parse_amount(text, unit) == expected


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12元34", "1e5", "0.001"])
def test_parse_amount_refuses_with_chinese_message(text):
    with pytest.raises(MoneyError) as e:
        parse_amount(text)
    assert "请" in str(e.value)


def test_parse_number_plain():
    assert parse_number("９５.５") == D("95.5")


@pytest.mark.parametrize("value,expected", [
    ("6.4721", "6.47"), ("9.4737", "9.47"), ("1.725", "1.73"), ("2.675", "2.68"), ("0.005", "0.01"), ("-1.005", "-1.01"),
])
def test_round_half_up_to_two_places(value, expected):
    assert round2(D(value)) == D(expected)


def test_format_amount_in_both_units():
    assert format_amount(D("14824300"), "wan") == "1,482.43"
    assert format_amount(D("27274348.52"), "yuan") == "27,274,348.52"
    assert format_amount(None, "wan", "—") == "—"
