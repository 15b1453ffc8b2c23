"""Numbers as people type them in spreadsheets and forms, and as Chinese plans write them.

Two users: the value import (a cell such as ``1,000``, ``１２３``, ``12.5%``, ``二百`` or ``1.2万``)
calls :func:`parse_number`; the extractor calls :func:`parse_numeral` on numerals it has already
found in running text (``一千``, ``两百``, ``二十五``, ``1.5万``, ``3千``).

Errors are :class:`NumberFormatError` with a stable ``code`` so that the Django layer can
translate them; the English ``text`` is for logs and the command line.

Decisions worth knowing:

* Scientific notation (``1e3``, ``1.2E+08``) is accepted, because Excel writes large numbers that
  way when a sheet is saved as CSV. Exponents beyond +-30 are refused (``out_of_range``).
* A magnitude character after digits multiplies: ``1.2万`` is 12000, ``3.5亿`` is 350000000.
* ``%``, ``％`` and ``百分之…`` set ``percent=True`` and keep the number as written (``12.5%`` is
  12.5, not 0.125); ``‰`` is turned into percent (``5‰`` is 0.5 percent).
* Thousands separators must group by three (``1,000,000``); ``1,00`` is refused, since in a form
  it is more likely a typo or a decimal comma than a thousands separator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

__all__ = [
    "CHINESE_DIGITS",
    "MAGNITUDES",
    "NUMERAL_CHARS",
    "NumberFormatError",
    "ParsedNumber",
    "parse_number",
    "parse_numeral",
    "to_halfwidth",
]

CHINESE_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_MAGNITUDES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
LARGE_MAGNITUDES = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
MAGNITUDES: dict[str, int] = {**SMALL_MAGNITUDES, **LARGE_MAGNITUDES}
NUMERAL_CHARS = frozenset(CHINESE_DIGITS) | frozenset(MAGNITUDES)

MAX_INPUT_LENGTH = 100  # a spreadsheet cell holding a number is never longer than this
MAX_EXPONENT = 30
MAX_DIGITS_BEFORE_POINT = 40  # anything larger is a paste error, not a plan value

# Full-width forms (U+FF01..U+FF5E) map onto ASCII by a fixed offset; the ideographic space and
# a few look-alike minus signs and points are added by hand. Every mapping is one character to
# one character, which the extractor relies on to keep spans aligned with the original text.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH.update(
    {0x3000: 0x20, 0x00A0: 0x20, 0x2212: 0x2D, 0x2013: 0x2D, 0xFE63: 0x2D, 0x3002: 0x3002}
)


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII; same length as the input."""
    return text.translate(_HALFWIDTH)


class NumberFormatError(ValueError):
    """A value that is not a number. ``code`` is stable snake_case; ``text`` is English."""

    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    percent: bool = False


_PLAIN_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_ARABIC_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_CHINESE_POINT = re.compile(r"([零〇○一二两三四五六七八九\d]+)点([零〇○一二两三四五六七八九\d]+)")


def parse_number(text: str) -> ParsedNumber:
    """Parse one number as typed into a form or spreadsheet cell.

    Accepts ASCII and full-width digits, thousands separators, a sign, ``%``/``百分之``,
    scientific notation, magnitude suffixes (``1.2万``) and Chinese numerals (``两千三百``).
    Raises :class:`NumberFormatError` for anything else.
    """
    if text is None:
        raise NumberFormatError("empty", "no value given")
    if not isinstance(text, str):
        text = str(text)
    if len(text) > MAX_INPUT_LENGTH:
        raise NumberFormatError("too_long", f"longer than {MAX_INPUT_LENGTH} characters")
    body = to_halfwidth(text).strip()
    if not body:
        raise NumberFormatError("empty", "no value given")

    negative, body = _take_sign(body)
    percent, per_mille, body = _take_percent(body)
    if not body:
        raise NumberFormatError("not_a_number", f"{text.strip()!r} is not a number")

    value = _parse_magnitude_number(body, original=text)
    if per_mille:
        value = value / 10
    if negative:
        value = -value
    return ParsedNumber(_tidy(value), percent or per_mille)


def _take_sign(body: str) -> tuple[bool, str]:
    if body[0] in "+-":
        return body[0] == "-", body[1:].lstrip()
    if body[0] == "负":
        return True, body[1:].lstrip()
    return False, body


def _take_percent(body: str) -> tuple[bool, bool, str]:
    if body.startswith("百分之"):
        return True, False, body[3:].strip()
    if body.endswith("%"):
        return True, False, body[:-1].rstrip()
    if body.endswith("‰"):
        return False, True, body[:-1].rstrip()
    return False, False, body


def _parse_magnitude_number(body: str, original: str) -> Decimal:
    if "," in body:
        if not _GROUPED_NUMBER.fullmatch(body):
            raise NumberFormatError(
                "not_a_number", f"{original.strip()!r} has misplaced thousands separators"
            )
        body = body.replace(",", "")
    if _PLAIN_NUMBER.fullmatch(body):
        return _plain_decimal(body, original)
    return parse_numeral(body)


def _plain_decimal(body: str, original: str) -> Decimal:
    mantissa, _, exponent = body.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise NumberFormatError("out_of_range", f"{original.strip()!r} is out of range")
    if len(mantissa.split(".")[0]) > MAX_DIGITS_BEFORE_POINT:
        raise NumberFormatError("out_of_range", f"{original.strip()!r} is out of range")
    if mantissa.endswith("."):
        body = mantissa + "0" + (("e" + exponent) if exponent else "")
    try:
        return Decimal(body)
    except InvalidOperation as error:  # the regex should make this unreachable; keep it honest
        raise NumberFormatError("not_a_number", f"{original.strip()!r} is not a number") from error


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros and exponent notation: 12000.0 -> 12000, 1E+3 -> 1000."""
    with localcontext() as context:
        context.prec = 80
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def parse_numeral(text: str) -> Decimal:
    """The value of a Chinese, Arabic or mixed numeral without sign, unit or percent.

    ``十`` 10 · ``二十五`` 25 · ``一百二十`` 120 · ``两千三百`` 2300 · ``一万零五百`` 10500 ·
    ``一千二`` 1200 (spoken short form) · ``二〇二〇`` 2020 (digit by digit) · ``三点五`` 3.5 ·
    ``3千`` 3000 · ``1.5万`` 15000 · ``3.5亿`` 350000000 · ``1.2万亿`` 1.2e12 · ``百`` 100.
    Raises :class:`NumberFormatError` (code ``not_a_number``) for anything else.
    """
    text = to_halfwidth(text or "").strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise NumberFormatError("not_a_number", f"{text!r} is not a numeral")
    text = _CHINESE_POINT.sub(_point_to_arabic, text)
    with localcontext() as context:
        context.prec = 80
        if all(ch in CHINESE_DIGITS for ch in text) and len(text) > 1:
            return Decimal("".join(str(CHINESE_DIGITS[ch]) for ch in text))
        return _value_below(text, "亿")


def _point_to_arabic(match: re.Match[str]) -> str:
    whole, fraction = match.group(1), match.group(2)
    whole_digits = "".join(str(CHINESE_DIGITS.get(ch, ch)) for ch in whole)
    fraction_digits = "".join(str(CHINESE_DIGITS.get(ch, ch)) for ch in fraction)
    return f"{whole_digits}.{fraction_digits}"


def _fail(text: str) -> NumberFormatError:
    return NumberFormatError("not_a_number", f"{text!r} is not a numeral")


def _value_below(text: str, magnitude_char: str) -> Decimal:
    """Split at the last 亿 (then 万) and recurse: left part times the magnitude plus the rest.

    Splitting at the *last* occurrence reads ``一万亿`` as (一万)x亿 and ``百亿亿`` as (百亿)x亿.
    """
    if magnitude_char == "亿":
        position = max(text.rfind("亿"), text.rfind("億"))
        lower = "万"
    else:
        position = max(text.rfind("万"), text.rfind("萬"))
        lower = ""
    if position < 0:
        return _value_below(text, lower) if lower else _small_value(text)
    left, right = text[:position], text[position + 1 :]
    scale = Decimal(LARGE_MAGNITUDES[magnitude_char])
    if not left:
        raise _fail(text)
    head = _value_below(left, "亿") if magnitude_char == "亿" else _value_below(left, "万")
    if head == 0:
        raise _fail(text)
    tail = _tail_after_magnitude(right, scale, text)
    if tail >= scale:
        raise _fail(text)
    return head * scale + tail


def _tail_after_magnitude(right: str, scale: Decimal, whole: str) -> Decimal:
    """The part after 万/亿: ``零五百`` is 500, and a bare digit is spoken short form (两万五)."""
    if not right:
        return Decimal(0)
    if right[0] in "零〇○":
        right = right.lstrip("零〇○")
        if not right:
            raise _fail(whole)
        return _value_below(right, "万") if scale > 10_000 else _small_value(right)
    if len(right) == 1 and right in CHINESE_DIGITS:
        return CHINESE_DIGITS[right] * scale / 10
    return _value_below(right, "万") if scale > 10_000 else _small_value(right)


def _small_value(text: str) -> Decimal:
    """A numeral below 万: digits, 十/百/千 and 零, or an Arabic number followed by them."""
    if not text:
        raise _fail(text)
    total = Decimal(0)
    pending: Decimal | None = None
    last_scale = 10_000
    index = 0
    while index < len(text):
        ch = text[index]
        arabic = _ARABIC_DECIMAL.match(text, index)
        if arabic:
            if pending is not None:
                raise _fail(text)
            pending = Decimal(arabic.group())
            if len(arabic.group().split(".")[0]) > MAX_DIGITS_BEFORE_POINT:
                raise _fail(text)
            index = arabic.end()
            continue
        if ch in "零〇○":
            index += 1
            continue
        if ch in CHINESE_DIGITS:
            if pending is not None:
                raise _fail(text)
            pending = Decimal(CHINESE_DIGITS[ch])
        elif ch in SMALL_MAGNITUDES:
            scale = SMALL_MAGNITUDES[ch]
            after_zero = scale == 10 and text[index - 1 : index] in ("零", "〇", "○")
            if scale >= last_scale or (pending is None and index > 0 and not after_zero):
                # 千百 and 十十 are not numerals; a bare 十/百/千 stands only at the start (十五)
                # or as 零十 (一千零十 is 1010).
                raise _fail(text)
            total += (pending if pending is not None else Decimal(1)) * scale
            pending = None
            last_scale = scale
        else:
            raise _fail(text)
        index += 1
    if pending is not None:
        # 一千二 is spoken short for 1200: a lone digit after a magnitude counts one step lower.
        follows_magnitude = text[-2:-1] in SMALL_MAGNITUDES and text[-1] in CHINESE_DIGITS
        total += pending * (last_scale // 10 if follows_magnitude and last_scale > 10 else 1)
    return total
