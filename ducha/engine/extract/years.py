"""Years in policy text: deadlines (到2020年, 2020年前, "十三五"末), base years (比2015年),
start years (2021年起), the plan period (实施期限为2018年至2020年) and the outlook (展望到2025年).

All functions take text as written; they look at a half-width copy of it, so offsets in the
marks they return are offsets into the text they were given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ducha.engine.numbers import to_halfwidth

__all__ = [
    "YearMark",
    "find_year_marks",
    "five_year_plan_years",
    "goal_deadlines",
    "opening_deadline",
    "period_from_title",
    "stated_outlook",
    "stated_period",
]

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR = r"((?:19|20)\d{2})"
_QUOTE_OPEN = "\"'“‘「『"
_QUOTE_CLOSE = "\"'”’」』"


@dataclass(frozen=True)
class YearMark:
    start: int
    end: int
    year: int
    kind: str  # "deadline" | "base" | "start" | "past"
    explicit: bool  # 到/至/前/底/末 says it is a deadline; a bare "2017年，" does not


# Order matters: the first alternative that matches at a position wins.
_MARK = re.compile(
    rf"(?P<fyp>(?P<fyp_prefix>到|至|在|截至|截止)?[{_QUOTE_OPEN}]?十(?P<fyp_n>[一二三四五六七八九])五"
    rf"[{_QUOTE_CLOSE}]?(?P<fyp_tail>规划期末|时期末|期末|末期|末|期间|时期|以来|初期|初)?)"
    r"|(?P<span>(?P<span_a>(?:19|20)\d{2})\s*年?\s*(?:-|—{1,2}|~|至|到)\s*"
    r"(?P<span_b>(?:19|20)\d{2})\s*年)"
    r"|(?P<year>(?P<prefix>力争到|力争在|力争|争取到|争取|计划到|预计到|到|至|于|在|截至|截止|自|从)?"
    r"(?P<y>(?:19|20)\d{2})\s*年(?P<suffix>(?:\d{1,2}月(?P<day>\d{1,2}日)?)?(?:底|末|年底|年末)?"
    r"(?:前|以前|之前|起|开始|以来|初)?)?)"
)
_BASE_BEFORE = re.compile(r"(?:比|较|与|同|相比|相较|对比|以|基于|相对)\s*$")
_BASE_AFTER = re.compile(r"^\s*(?:相比|比较|为基[数期准]|基础上|水平|的基础|同期)")


def five_year_plan_years(n: int) -> tuple[int, int]:
    """The years of the n-th five-year plan (the third began in 1966; 十三五 is 2016-2020)."""
    start = 1966 + 5 * (n - 3)
    return start, start + 4


def find_year_marks(text: str, now: int | None = None, halfwidth: bool = False) -> list[YearMark]:
    """Every year reference in the text with what it means for the clauses around it.

    ``now`` is the first year of the plan period when known: a bare year before it ("2017年，
    全市…") describes the past. ``halfwidth`` says the text is already half-width.
    """
    if "年" not in text and "五" not in text:
        return []  # most paragraphs: no year, no five-year plan
    probe = text if halfwidth else to_halfwidth(text)
    marks: list[YearMark] = []
    for match in _MARK.finditer(probe):
        mark = _interpret(match, probe, now)
        if mark is not None:
            marks.append(mark)
    return marks


def _interpret(match: re.Match[str], probe: str, now: int | None) -> YearMark | None:
    start, end = match.span()
    if match.group("fyp"):
        before = probe[max(0, start - 4) : start]
        if _BASE_BEFORE.search(before) and not match.group("fyp_prefix"):
            # 较"十三五"末下降50%: the end of a past plan as the base of a change
            first, last = five_year_plan_years(10 + _CN_DIGIT[match.group("fyp_n")])
            return YearMark(start, end, last, "base", True)
        return _interpret_five_year_plan(match, start, end, now)
    if match.group("span"):
        first, last = int(match.group("span_a")), int(match.group("span_b"))
        if last < first:
            return None
        kind = "past" if now is not None and last < now else "deadline"
        return YearMark(start, end, last, kind, True)
    year = int(match.group("y"))
    prefix = match.group("prefix") or ""
    suffix = match.group("suffix") or ""
    before, after = probe[max(0, start - 4) : start], probe[end : end + 6]
    if probe[end : end + 1].isdigit() or (start > 0 and probe[start - 1].isdigit()):
        return None  # part of a longer number
    if (_BASE_BEFORE.search(before) and not prefix) or _BASE_AFTER.match(after):
        return YearMark(start, end, year, "base", True)
    if match.group("day") and not suffix.endswith(("前", "起", "开始")) and not prefix:
        return None  # 2020年1月12日在…会议上: the date of an event, not a deadline
    if prefix in ("自", "从") or suffix.endswith(("起", "开始")):
        return YearMark(start, end, year, "start", True)
    if suffix.endswith("以来"):
        return YearMark(start, end, year, "past", True)
    explicit = bool(prefix and prefix not in ("于", "在")) or suffix.endswith(
        ("前", "底", "末", "初")
    )
    if prefix in ("截至", "截止") and now is not None and year < now:
        return YearMark(start, end, year, "past", True)
    if now is not None and year < now and not explicit:
        return YearMark(start, end, year, "past", False)
    return YearMark(start, end, year, "deadline", explicit)


def _interpret_five_year_plan(
    match: re.Match[str], start: int, end: int, now: int | None
) -> YearMark | None:
    first, last = five_year_plan_years(10 + _CN_DIGIT[match.group("fyp_n")])
    tail = match.group("fyp_tail") or ""
    prefix = match.group("fyp_prefix") or ""
    if tail in ("以来",):
        return YearMark(start, end, last, "past", True)
    if tail in ("初", "初期"):
        return YearMark(start, end, first, "start", True)
    if tail or prefix in ("到", "至"):
        is_past = now is not None and last < now
        return YearMark(start, end, last, "past" if is_past else "deadline", bool(tail or prefix))
    return None  # a bare "十四五" names the period, it sets no deadline by itself


_OPENING_FILLER = re.compile(r"^[\s(（]*(?:力争|争取|计划|预计|确保|目标是|总体目标是|主要目标是)?")


def opening_deadline(text: str) -> int | None:
    """The deadline a sentence opens with (到2020年，…), or None."""
    filler = _OPENING_FILLER.match(text)
    offset = filler.end() if filler else 0
    for mark in find_year_marks(text[offset : offset + 30]):
        if mark.start <= 2 and mark.kind == "deadline":
            return mark.year
        break
    return None


_PERIOD = re.compile(
    r"(?:期限|规划期|实施期|执行期|行动期|时限|周期|时间跨度|期)\s*(?:为|是|:|自)?\s*"
    + _YEAR
    + r"\s*年?\s*(?:-|—{1,2}|~|至|到)\s*"
    + _YEAR
    + r"\s*年"
)
_TITLE_PERIOD = re.compile(
    r"[(（]\s*" + _YEAR + r"\s*(?:年)?\s*(?:-|—{1,2}|~|至|到)\s*" + _YEAR + r"\s*年?\s*[)）]"
)
_TITLE_YEARS = re.compile(_YEAR + r"\s*(?:年)?\s*(?:-|—{1,2}|~|至|到)\s*" + _YEAR + r"\s*年")
_TITLE_FYP = re.compile(r"十([一二三四五六七八九])五|第十([一二三四五六七八九])个五年")
# One year in a title, not a deadline (到2025年) and followed by what a yearly document is.
_TITLE_ANNUAL = re.compile(
    r"(?<![到至\d])((?:19|20)\d{2})\s*年度?\s*[《“\"]?[^\d]{0,16}?"
    r"(?:计划|工作要点|要点|重点工作|工作任务|重点任务|目标任务|工作报告|行动方案|工作方案|实施方案)"
)
_TITLE_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_OUTLOOK = re.compile(r"(?:展望|远景目标|远景)(?:到|至)?\s*" + _YEAR + r"\s*年")


def stated_period(text: str) -> tuple[int, int] | None:
    """The period a document states (实施期限为2018年至2020年 → (2018, 2020))."""
    match = _PERIOD.search(to_halfwidth(text))
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if first <= last <= first + 30:
            return first, last
    return None


def period_from_title(title: str) -> tuple[int, int] | None:
    """A period named by the title: （2018—2020年） or 2023-2025年 or "十四五"."""
    probe = to_halfwidth(title)
    match = _TITLE_PERIOD.search(probe) or _TITLE_YEARS.search(probe)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if first <= last <= first + 30:
            return first, last
    fyp = _TITLE_FYP.search(probe)
    if fyp:
        return five_year_plan_years(10 + _CN_DIGIT[fyp.group(1) or fyp.group(2)])
    annual = _TITLE_ANNUAL.search(probe)
    if annual and len(set(_TITLE_ANY_YEAR.findall(probe))) == 1:
        # 2019年《政府工作报告》确定的主要目标任务, 2024年国民经济和社会发展计划, 2023年工作要点:
        # an annual document; its targets are for that year.
        year = int(annual.group(1))
        return year, year
    return None


_ISSUED_PLAN = re.compile(r"(?:印发|发布|出台|公布|制定)了?\s*《([^《》\n]{4,80})》")
_THIS_YEAR_GOALS = re.compile(r"今年[^。;\n]{0,30}?目标")
_BARE_TITLE_YEAR = re.compile(r"(?<![到至\d])((?:19|20)\d{2})\s*年(?![\d底末前])")


def period_of_issued_plan(text: str) -> tuple[int, int] | None:
    """The period of the plan a report announces (近日，…印发了《…三年行动(2023—2025年)》,
    发布《浙江省数字经济发展“十四五”规划》): the period of the document it reports on."""
    match = _ISSUED_PLAN.search(to_halfwidth(text[:3000]))
    if not match:
        return None
    period = period_from_title(match.group(1))
    if period and period[0] == period[1]:
        return None  # 《…2023年度重点任务清单》 is a part of the plan, not its period
    return period


def year_of_this_year_goals(title: str, text: str) -> int | None:
    """A report whose title names one year (2022年章丘地区生产总值增长8%以上) and whose text sets
    今年's goals (今年…经济社会发展的主要预期目标是…) is an annual document for that year."""
    years_in_title = set(_TITLE_ANY_YEAR.findall(title))
    match = _BARE_TITLE_YEAR.search(to_halfwidth(title))
    if len(years_in_title) != 1 or not match:
        return None
    if not _THIS_YEAR_GOALS.search(text[:3000]):
        return None
    return int(match.group(1))


def stated_outlook(text: str) -> int | None:
    match = _OUTLOOK.search(to_halfwidth(text))
    return int(match.group(1)) if match else None


def goal_deadlines(text: str) -> list[int]:
    """Explicit deadlines (到2020年 …) in order of first appearance, without repeats."""
    seen: list[int] = []
    for mark in find_year_marks(text):
        if mark.kind == "deadline" and mark.explicit and mark.year not in seen:
            seen.append(mark.year)
    return seen
