"""Units of measure as plans write them, and what kind of quantity each one is.

The category decides the default trajectory of an indicator (money grows, counts accumulate)
and which units can be converted into each other (万元 -> 亿元 when a register column says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Unit:
    symbol: str
    category: str  # "money", "count", "percent", "physical", "ratio"
    base: str  # the unit this one converts to within its category
    factor: Decimal  # value_in_base = value * factor


def _u(symbol: str, category: str, base: str | None = None, factor: str = "1") -> Unit:
    return Unit(symbol, category, base or symbol, Decimal(factor))


# fmt: off
_ALL = [
    # money: 亿元 is the plans' unit of account
    _u("亿元", "money"),
    _u("万元", "money", "亿元", "0.0001"),
    _u("元", "money", "亿元", "0.00000001"),
    _u("千亿元", "money", "亿元", "1000"),
    _u("万亿元", "money", "亿元", "10000"),
    _u("亿美元", "money"),
    _u("万美元", "money", "亿美元", "0.0001"),
    # counts of things
    *(
        _u(s, "count")
        for s in (
            "家",
            "个",
            "项",
            "名",
            "人",
            "位",
            "种",
            "次",
            "件",
            "座",
            "条",
            "所",
            "台",
            "套",
            "款",
            "户",
            "支",
            "批",
            "类",
            "处",
            "张",
            "部",
            "口",  # wells: 勘探开发井超过100口
            "篇",
            "场",
            "届",
            "只",
            "辆",
            "艘",
            "架",
            "栋",
            "间",
            "园",
            "团队",
        )
    ),
    _u("万人", "count", "人", "10000"),
    _u("万户", "count", "户", "10000"),
    _u("万家", "count", "家", "10000"),
    _u("万个", "count", "个", "10000"),
    _u("万台", "count", "台", "10000"),
    _u("万辆", "count", "辆", "10000"),
    _u("万件", "count", "件", "10000"),
    _u("万套", "count", "套", "10000"),
    _u("万名", "count", "名", "10000"),
    # shares
    _u("%", "percent"),
    _u("‰", "percent", "%", "0.1"),
    _u("个百分点", "percent"),
    _u("倍", "ratio"),
    # physical quantities
    *(
        _u(s, "physical")
        for s in (
            "公里",
            "千米",
            "米",
            "平方米",
            "平方公里",
            "亩",
            "公顷",
            "吨",
            "千瓦",
            "兆瓦",
            "吉瓦",
            "千瓦时",
            "Gbps",
            "Mbps",
            "PFLOPS",
            "立方米",
            "标准箱",
            "年",
            "天",
            "小时",
        )
    ),
    _u("万平方米", "physical", "平方米", "10000"),
    _u("万亩", "physical", "亩", "10000"),
    _u("万吨", "physical", "吨", "10000"),
    _u("亿吨", "physical", "吨", "100000000"),
    _u("万千瓦", "physical", "千瓦", "10000"),
    _u("万标准箱", "physical", "标准箱", "10000"),
    _u("亿千瓦时", "physical", "千瓦时", "100000000"),
    # written by plans and emitted by the extractor (ducha/engine/extract)
    _u("万人次", "count", "次", "10000"),
    _u("亿人次", "count", "次", "100000000"),
    *(_u(s, "count") for s in ("家次", "场次", "批次", "架次", "车次", "班次", "航次", "户次")),
    _u("分", "physical"),  # a score out of 100 (游客满意度不低于90分)
    _u("斤", "physical"),
    _u("吉瓦时", "physical", "千瓦时", "1000000"),
    _u("兆瓦时", "physical", "千瓦时", "1000"),
    _u("亿斤", "physical", "斤", "100000000"),
    *(_u(s, "physical") for s in ("岁", "个月", "个工作日", "分钟", "微克/立方米", "千克")),
    _u("万千瓦时", "physical", "千瓦时", "10000"),
    _u("万亿千瓦时", "physical", "千瓦时", "1000000000000"),
    _u("吨标准煤", "physical"),
    _u("万吨标准煤", "physical", "吨标准煤", "10000"),
    _u("万公里", "physical", "公里", "10000"),
    _u("万平方公里", "physical", "平方公里", "10000"),
    _u("亿平方米", "physical", "平方米", "100000000"),
    _u("万立方米", "physical", "立方米", "10000"),
    _u("亿立方米", "physical", "立方米", "100000000"),
    # Bare magnitudes, as indicator tables write them: 在线政务服务实名用户规模（亿） 8.
    _u("万", "count"),
    _u("亿", "count", "万", "10000"),
    _u("万亿", "count", "万", "100000000"),
]
# fmt: on

UNITS: dict[str, Unit] = {u.symbol: u for u in _ALL}
# Ways people write a unit that mean one of the above.
ALIASES: dict[str, str] = {
    "％": "%", "百分比": "%", "人次": "次", "公里数": "公里", "km": "公里",
    "百分点": "个百分点", "个点": "个百分点", "公斤": "千克", "GW": "吉瓦", "MW": "兆瓦",
    "度": "千瓦时", "万度": "万千瓦时", "亿度": "亿千瓦时",  # 度 is a kilowatt-hour
}  # fmt: skip


def normalise_unit(text: str) -> str | None:
    """The canonical symbol for a unit as written, or None when it is not known."""
    text = (text or "").strip()
    text = ALIASES.get(text, text)
    return text if text in UNITS else None


def is_money(symbol: str) -> bool:
    unit = UNITS.get(symbol)
    return unit is not None and unit.category == "money"


def default_trajectory(symbol: str) -> str:
    """'growth' for money and output levels (judged by CAGR), 'linear' for everything else."""
    return "growth" if is_money(symbol) else "linear"


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert between units of one category and base (万元 -> 亿元); ValueError otherwise."""
    a, b = UNITS.get(from_unit), UNITS.get(to_unit)
    if a is None or b is None or a.base != b.base:
        raise ValueError(f"cannot convert {from_unit!r} to {to_unit!r}")
    return value * a.factor / b.factor


def decimals(symbol: str | None) -> int:
    """How many decimals a quantity in this unit is printed with: whole things counted (家, 个,
    项, 名, 种 …) as integers, so a forecast of 3.4326 家 reads 3; money (亿元) and percentages
    to one decimal; counts in 万/亿 (1.5万人) to one; anything else to two."""
    unit = UNITS.get(normalise_unit(symbol or "") or "")
    if unit is None:
        return 2
    if unit.category == "count":
        return 0 if unit.factor == 1 and unit.base == unit.symbol and symbol != "万" else 1
    if unit.category in ("money", "percent"):
        return 1
    return 2


def format_quantity(value: float | Decimal | None, symbol: str | None, blank: str = "–") -> str:
    """A quantity as pages, bulletins and commands print it (the one helper they all use):
    rounded to ``decimals(symbol)``, thousands separated, no needless trailing zeros
    (1,000 · 951.2 · 3). ``blank`` for no value."""
    if value is None or value == "":
        return blank
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return blank
    digits = decimals(symbol)
    text = f"{round(number, digits):,.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
