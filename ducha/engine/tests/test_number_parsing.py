"""parse_number for form and spreadsheet input, parse_numeral for numerals in running text."""

import os
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ducha.engine.numbers import NumberFormatError, ParsedNumber, parse_number, parse_numeral


def _examples(default: int) -> int:
    """DUCHA_FUZZ_EXAMPLES=5000 runs a longer fuzz than the default suite does."""
    return int(os.environ.get("DUCHA_FUZZ_EXAMPLES", default))


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("1,000", "1000", False),
        ("１２３", "123", False),
        ("12.5%", "12.5", True),
        ("12.5％", "12.5", True),
        ("二百", "200", False),
        ("两千三百", "2300", False),
        ("1.2万", "12000", False),
        ("3.5亿", "350000000", False),
        ("百分之二十", "20", True),
        (" 12 ", "12", False),
        ("-3", "-3", False),
        ("−3", "-3", False),
        ("+7", "7", False),
        ("1e3", "1000", False),
        ("1.2E+08", "120000000", False),
        ("0.5", "0.5", False),
        (".5", "0.5", False),
        ("5.", "5", False),
        ("1,234,567.89", "1234567.89", False),
        ("5‰", "0.5", True),
        ("一万零五百", "10500", False),
        ("三点五", "3.5", False),
        ("二〇二〇", "2020", False),
        ("负五", "-5", False),
        ("\u3000４２\u3000", "42", False),
    ],
)
def test_parse_number_reads_what_people_type(text, value, percent):
    assert parse_number(text) == ParsedNumber(Decimal(value), percent)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("abc", "not_a_number"),
        ("1,00", "not_a_number"),
        ("1.2.3", "not_a_number"),
        ("12元", "not_a_number"),
        ("%", "not_a_number"),
        ("--3", "not_a_number"),
        ("1e999", "out_of_range"),
        ("9" * 101, "too_long"),
        ("十百", "not_a_number"),
        ("万", "not_a_number"),
    ],
)
def test_parse_number_refuses_junk_with_a_stable_code(text, code):
    with pytest.raises(NumberFormatError) as caught:
        parse_number(text)
    assert caught.value.code == code
    assert caught.value.text  # an English message for logs and the command line


def test_number_format_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_number("x")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十五", 15),
        ("二十五", 25),
        ("一百二十", 120),
        ("一百零五", 105),
        ("一千", 1000),
        ("两百", 200),
        ("一千二", 1200),
        ("两万五", 25000),
        ("3千", 3000),
        ("1.5万", 15000),
        ("2万3千", 23000),
        ("1.2万亿", Decimal("1200000000000")),
        ("百", 100),
        ("百亿亿", Decimal(10) ** 18),
        ("三亿五千万", 350000000),
        ("零", 0),
        ("一千零十", 1010),
    ],
)
def test_parse_numeral_reads_chinese_and_mixed_numerals(text, value):
    assert parse_numeral(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "一二三四x", "千百", "五万万万亿x", "点", "亿"])
def test_parse_numeral_refuses_non_numerals(text):
    with pytest.raises(NumberFormatError):
        parse_numeral(text)


_NUMBERISH = st.text(
    alphabet=st.sampled_from(
        list("0123456789.,%‰+-−eE 　１２３％零〇一二两三四五六七八九十百千万亿点负分之元x")
    ),
    max_size=30,
)


@settings(max_examples=_examples(400), deadline=None)
@given(st.one_of(_NUMBERISH, st.text(max_size=40)))
def test_parse_number_never_raises_anything_but_its_own_error(text):
    try:
        result = parse_number(text)
    except NumberFormatError as error:
        assert error.code in {"empty", "not_a_number", "too_long", "out_of_range"}
    else:
        assert isinstance(result.value, Decimal)
        assert result.value.is_finite()


@settings(max_examples=_examples(400), deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789.零〇一二两三四五六七八九十百千万亿点")),
        max_size=25,
    )
)
def test_parse_numeral_is_total_on_numeral_characters(text):
    try:
        value = parse_numeral(text)
    except NumberFormatError as error:
        # refused only as "not a numeral", and never a plain run of digits
        assert error.code == "not_a_number"
        assert not (text.isascii() and text.isdigit()), text
    else:
        assert value >= 0
        if text.isascii() and text.isdigit():
            assert value == int(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_round_trips_grouped_integers(number):
    assert parse_number(f"{number:,}").value == number


# --- printing quantities with the precision of their unit ---------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        (3.4326, "家", "3"),  # a forecast of a count is a whole number
        (2.5, "个", "2"),  # rounded half to even, like round()
        (1234567, "项", "1,234,567"),
        (951.23, "亿元", "951.2"),
        (1000, "亿元", "1,000"),  # no needless ".0"
        (90.68, "%", "90.7"),
        (1.55, "万人", "1.6"),
        (12.345, "公里", "12.35"),
        (-0.2, "名", "0"),  # never "-0"
        (None, "家", "–"),
    ],
)
def test_quantities_print_with_the_precision_of_their_unit(value, unit, printed):
    from ducha.engine.units import format_quantity

    assert format_quantity(value, unit) == printed
