"""Unified social credit codes: the check character, what is normalised, what is refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ducha.engine.creditcode import (
    ALPHABET,
    CreditCodeError,
    check_character,
    make_code,
    parse_credit_code,
)

REAL = ["91350100M000100Y43", "9144030071526726XG", "91330100716105852F"]


@pytest.mark.parametrize("code", REAL)
def test_published_codes_pass_the_check(code):
    assert parse_credit_code(code).code == code


def test_lower_case_and_full_width_are_normalised():
    assert parse_credit_code("9144030071526726xg").code == "9144030071526726XG"
    assert parse_credit_code("９１４４０３００７１５２６７２６ＸＧ").code == "9144030071526726XG"
    assert parse_credit_code(" 9144 0300 7152 6726 XG ").code == "9144030071526726XG"


def test_a_wrong_check_character_is_refused_and_the_right_one_named():
    with pytest.raises(CreditCodeError) as exc:
        parse_credit_code("9144030071526726XH")
    assert exc.value.code == "check"
    assert exc.value.expected == "G"


@pytest.mark.parametrize("text", ["9144030071526726X", "9144030071526726XGG", ""])
def test_a_wrong_length_is_refused(text):
    with pytest.raises(CreditCodeError) as exc:
        parse_credit_code(text)
    assert exc.value.code in {"length", "empty"}


def test_letters_no_code_uses_are_refused_not_guessed():
    # an O where a 0 is meant is not silently corrected
    with pytest.raises(CreditCodeError) as exc:
        parse_credit_code("9144O30071526726XG")
    assert exc.value.code == "character"
    assert exc.value.character == "O"


def test_the_division_of_a_former_district_maps_to_its_successor():
    code = parse_credit_code(make_code("91120107MA05JJ8K7"))
    assert code.division == "120107"
    assert code.current_division == "120116"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_every_made_code_passes_and_any_single_change_of_the_check_fails(first17):
    code = make_code(first17)
    assert parse_credit_code(code).code == code
    wrong = next(c for c in ALPHABET if c != check_character(first17))
    with pytest.raises(CreditCodeError):
        parse_credit_code(first17 + wrong)
