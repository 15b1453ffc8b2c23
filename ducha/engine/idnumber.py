"""Resident identity card numbers (居民身份证号码, GB 11643-1999): normalise, check, mask.

17 digits and a check character (0–9 or X). Digits 7–14 are the birth date, so a register
can check the birth date it was given against the number. Other documents (passports, 港澳台
permits) have no checkable structure and are only trimmed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


class IdNumberError(ValueError):
    """``code``: empty, length, character, check, birth_date."""

    def __init__(self, code: str, text: str, *, expected: str = ""):
        super().__init__(text)
        self.code = code
        self.text = text
        self.expected = expected


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_resident_id(text: str) -> tuple[str, dt.date]:
    """(the normalised number, the birth date in it), or IdNumberError."""
    number = normalise(text)
    if not number:
        raise IdNumberError("empty", "no ID number given")
    if len(number) != 18:
        raise IdNumberError("length", f"{number!r} has {len(number)} characters, not 18")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("character", f"{number!r} is 17 digits and a digit or X")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("birth_date", f"{number!r} holds no valid birth date") from None
    expected = check_character(number[:17])
    if number[17] != expected:
        raise IdNumberError(
            "check", f"{number!r}: the check character should be {expected!r}", expected=expected
        )
    return number, birth


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


def mask(text: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """Personal data as others see it: 120***********1234, 138****5678."""
    text = text or ""
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]
