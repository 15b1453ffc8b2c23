"""Unified social credit codes (统一社会信用代码, GB 32100-2015): normalise, check, read.

An 18-character code is: registration department (1), organisation type (1), the
administrative division of the registering authority (6, GB/T 2260), the organisation code
(9, GB 11714) and one check character. The alphabet has 31 characters: digits and the
capital letters without I, O, S, V and Z.

Normalising is limited to what is unambiguous: surrounding and inner spaces, full-width
characters (１２０… as Chinese input methods type them) and lower case. Anything else, such as
a letter O where a zero is meant, is reported, never guessed.

Errors carry a stable ``code`` for the Django layer to translate and English ``text``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Weight of position i is 3**i mod 31 (GB 32100-2015, 4.3).
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18

# Codes of divisions that no longer exist, to the district that took them over (Tianjin).
# A registration made before a merger keeps the old division in its code.
FORMER_DIVISIONS = {
    "120107": "120116",  # 塘沽区 -> 滨海新区 (2009)
    "120108": "120116",  # 汉沽区 -> 滨海新区 (2009)
    "120109": "120116",  # 大港区 -> 滨海新区 (2009)
    "120221": "120117",  # 宁河县 -> 宁河区 (2015)
    "120222": "120114",  # 武清县 -> 武清区 (2000)
    "120223": "120118",  # 静海县 -> 静海区 (2015)
    "120224": "120115",  # 宝坻县 -> 宝坻区 (2001)
    "120225": "120119",  # 蓟县 -> 蓟州区 (2016)
}


class CreditCodeError(ValueError):
    """``code`` is one of: empty, length, character, check."""

    def __init__(self, code: str, text: str, *, expected: str = "", character: str = ""):
        super().__init__(text)
        self.code = code
        self.text = text
        self.expected = expected  # the right check character, for code "check"
        self.character = character  # the offending character, for code "character"


@dataclass(frozen=True)
class CreditCode:
    code: str

    @property
    def registration_department(self) -> str:
        return self.code[0]

    @property
    def organisation_type(self) -> str:
        return self.code[1]

    @property
    def division(self) -> str:
        """The registering authority's GB/T 2260 division code (characters 3 to 8)."""
        return self.code[2:8]

    @property
    def current_division(self) -> str:
        """The division today: a former county or district mapped to its successor."""
        return FORMER_DIVISIONS.get(self.division, self.division)

    @property
    def organisation_code(self) -> str:
        """The GB 11714 organisation code (characters 9 to 17): the same for one body even
        when it registers again elsewhere."""
        return self.code[8:17]

    def __str__(self) -> str:
        return self.code


def normalise(text: str) -> str:
    """Full-width to ASCII, spaces removed, upper case. Does not check anything."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (already normalised)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(text: str) -> CreditCode:
    """A valid code from what was typed, or CreditCodeError saying what is wrong."""
    code = normalise(text)
    if not code:
        raise CreditCodeError("empty", "no credit code given")
    if len(code) != LENGTH:
        raise CreditCodeError("length", f"{code!r} has {len(code)} characters, not 18")
    for ch in code:
        if ch not in _VALUE:
            raise CreditCodeError(
                "character", f"{code!r} contains {ch!r}, which no credit code has", character=ch
            )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(
            "check",
            f"{code!r}: the check character is {code[17]!r} but should be {expected!r}",
            expected=expected,
        )
    return CreditCode(code)


def is_valid(text: str) -> bool:
    try:
        parse_credit_code(text)
    except CreditCodeError:
        return False
    return True


def make_code(first17: str) -> str:
    """Complete 17 characters with their check character (for tests and demo data)."""
    first17 = normalise(first17)
    if len(first17) != 17 or any(ch not in _VALUE for ch in first17):
        raise CreditCodeError("length", f"{first17!r} is not 17 credit-code characters")
    return first17 + check_character(first17)
