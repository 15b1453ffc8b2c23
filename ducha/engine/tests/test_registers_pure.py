"""Header units, resident ID numbers and enterprise name keys."""

import datetime as dt

import pytest

from ducha.engine.headers import parse_header
from ducha.engine.idnumber import IdNumberError, make_id, mask, parse_resident_id
from ducha.engine.names import name_key, similar_pairs


@pytest.mark.parametrize(
    ("header", "label", "unit", "year"),
    [
        ("营业收入(万元)", "营业收入", "万元", None),
        ("营业收入（亿元）", "营业收入", "亿元", None),
        ("2019年营业收入(万元)", "营业收入", "万元", 2019),
        ("营业收入2019（万元）", "营业收入", "万元", 2019),
        ("2020年度研发投入（单位：万元）", "研发投入", "万元", 2020),
        ("投资额/万元", "投资额", "万元", None),
        ("统一社会信用代码", "统一社会信用代码", None, None),
        ("称号/梯度", "称号/梯度", None, None),
    ],
)
def test_headers_split_into_label_year_and_unit(header, label, unit, year):
    parsed = parse_header(header)
    assert (parsed.label, parsed.unit, parsed.year) == (label, unit, year)


def test_an_unknown_unit_in_brackets_is_kept_aside_not_swallowed():
    parsed = parse_header("营业收入(美刀)")
    assert parsed.label == "营业收入"
    assert parsed.unit is None
    assert parsed.raw_unit == "美刀"


def test_resident_id_numbers_are_checked_and_give_the_birth_date():
    number = make_id("12010119800101001")
    assert parse_resident_id(number.lower()) == (number, dt.date(1980, 1, 1))
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(IdNumberError) as exc:
        parse_resident_id(wrong)
    assert exc.value.code == "check"
    with pytest.raises(IdNumberError) as exc:
        parse_resident_id("12010119801301001X")
    assert exc.value.code == "birth_date"


def test_masking_keeps_only_the_ends():
    assert mask("120101198001010012") == "120***********0012"
    assert mask("13812345678") == "138****5678"
    assert mask("abc") == "***"


def test_names_written_three_ways_have_one_key():
    keys = {
        name_key(n)
        for n in ["天津市海河科技有限公司", "海河科技（天津）有限公司", "海河科技 有限责任公司"]
    }
    assert keys == {"海河科技"}


def test_similar_pairs_finds_near_duplicates_and_leaves_different_names_alone():
    pairs = similar_pairs(
        [
            (1, "天津市海河智能机器人科技有限公司"),
            (2, "海河智能机器人科技（天津）有限公司"),
            (3, "天津海河智能机器人技术有限公司"),
            (4, "天津渤海数据有限公司"),
        ]
    )
    found = {(a, b) for a, b, _s in pairs}
    assert (1, 2) in found
    assert not any(4 in pair for pair in found)
