"""Quantified targets in the text of a parsed policy document (BRIEF, "Extraction contract").

How it works, in one pass over each node's text:

1. Work on a half-width copy of the text (same length, so offsets are the same in both).
2. Find amounts with one regular expression: a numeral (Arabic, Chinese or mixed), an optional
   range (2至3, 3-5, 两到三), a unit from the vocabulary, plus 百分之…, 翻一番 and 等N大.
3. Drop look-alikes by their surroundings: inside quotes or 《》/〔〕, after 第 or 每, beside Latin
   letters (5G, PM2.5), years and dates, durations (连续三年), ordinals (十一届二次全会),
   names (千人计划, 百亿亿次), thresholds that qualify the counted thing (收入超50亿元的企业),
   subsidy terms (给予最高500万元), and sentences about the past (已, 同比, 截至2017年).
4. Read comparator, kind and direction from the words next to the number, the year from the
   deadline that governs the clause, and the indicator from the words around it.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ducha.engine.extract import lexicon as lx
from ducha.engine.extract import tables, years
from ducha.engine.extract.structure import Document, Node
from ducha.engine.numbers import NumberFormatError, parse_numeral, to_halfwidth

__all__ = ["ExtractedTarget", "extract_targets", "to_jsonl"]


@dataclass
class ExtractedTarget:
    sentence: str  # the clause as it stands in the node text
    indicator: str  # short name of what is measured
    year: int | None  # deadline stated in the clause or governing it
    value_min: Decimal
    value_max: Decimal
    unit: str  # as written, in half-width form (% not ％)
    comparator: str  # ">=", "<=" or "="
    kind: str  # "level" or "change"
    direction: str  # "increase" or "decrease"
    node_key: str
    span: tuple[int, int]  # sentence == node.text[span[0]:span[1]]

    def to_dict(self) -> dict[str, object]:
        return {
            "sentence": self.sentence,
            "indicator": self.indicator,
            "year": self.year,
            "value_min": _json_number(self.value_min),
            "value_max": _json_number(self.value_max),
            "unit": self.unit,
            "comparator": self.comparator,
            "kind": self.kind,
            "direction": self.direction,
            "node": self.node_key,
            "span": list(self.span),
        }


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def to_jsonl(targets: Iterable[ExtractedTarget]) -> str:
    """One JSON object a line, Chinese kept as written (ensure_ascii=False)."""
    return "".join(json.dumps(t.to_dict(), ensure_ascii=False) + "\n" for t in targets)


# --- the amount pattern -------------------------------------------------------------------------

_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = "零〇一二两三四五六七八九十百千万亿"
_NUM = rf"(?:{_AR}[十百千万亿]*?|[{_CN}]+?(?:点[零〇一二三四五六七八九]+)?)"


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex for many literal words, shaped as a trie so that matching a unit costs one
    branch per character instead of one try per word; longer words are preferred."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(trie) + ")"


_UNIT = _trie_pattern(lx.UNIT_WORDS)
_SEP = r"(?:-|~|—{1,2}|–|至|到)"
_AMOUNT = re.compile(
    rf"(?P<pct_cn>百分之(?P<pct_num>{_AR}|[零〇一二两三四五六七八九十百点]+))"
    r"|(?P<fan>翻了?(?P<fan_n>[一两二三四1-4])?番)"
    r"|(?P<bare>(?:(?<=突破)|(?<=超过)|(?<=达到)|(?<=超)|(?<=达)|(?<=过))"
    r"(?:万亿元|亿元|万亿|亿人次|万人次|万人|万家|万个|万吨|万亩)(?![\u4e00-\u9fff]?的))"
    r"|(?P<half>(?:(?<=超过)|(?<=达到)|(?<=不少于)|(?<=不低于)|(?<=占)|(?<=超))(?:一半|半数))"
    r"|(?P<cheng>[一二三四五六七八九\d])成(?=以上|以下|左右|[,;。:]|$)"
    r"|(?P<mag>(?:(?<=达到)|(?<=突破)|(?<=超过)|(?<=超)|(?<=达))(?P<mag_num>\d+(?:\.\d+)?)"
    r"(?P<mag_unit>万亿|亿|万)(?=以上|左右|[,;。:]|$))"
    r"|(?P<big>(?<=等)(?P<big_num>\d{1,2}|[一二两三四五六七八九十]{1,3})大(?=[\u4e00-\u9fff]))"
    rf"|(?P<lo>{_NUM})(?P<lo_unit>{_UNIT})?(?P<sep>{_SEP})(?P<hi>{_NUM})(?P<approx_r>余|多)?"
    rf"(?P<hi_unit>{_UNIT})"
    rf"|(?P<num>{_NUM})(?P<approx>余|多)?(?P<unit>{_UNIT})"
)
_PROTECTED = re.compile(
    r"“[^“”\n]{0,40}”|‘[^‘’\n]{0,40}’|《[^《》\n]{0,80}》|〔[^〔〕\n]{0,20}〕|\[[^\[\]\n]{0,20}\]"
    r"|【[^【】\n]{0,40}】|\"[^\"\n]{0,40}\"|「[^「」\n]{0,40}」"
)
_CLAUSE_END = re.compile(r"[;:。!?…\t]|,(?!\d{3}(?!\d))|(?<!\d),")
_SENTENCE_END = re.compile(r"[;。!?]")
_TITLE_TAIL = re.compile(r"[\s。:：.、]+$")
_FUTURE = re.compile(r"到(?:19|20)\d{2}年|力争|争取|确保|将")
_PER_ITEM = re.compile(r"每[项个家所人名]")
_OPEN_PAREN = re.compile(r"[(（]")
_HAS_NUMERAL = re.compile(rf"[\d{_CN}]")
_PAST = re.compile("|".join(map(re.escape, lx.PAST_MARKERS)))
_FORECAST = re.compile(lx.FORECAST_PATTERN)
_BACKGROUND_TITLE = re.compile(lx.BACKGROUND_TITLE_PATTERN)
_BACKGROUND_TITLE_END = re.compile(lx.BACKGROUND_TITLE_END)
_GUIDING_TITLE = re.compile(lx.GUIDING_TITLE_PATTERN)
_ORDINAL_TAIL = re.compile(
    r"^(?:[一二三四五六七八九十\d]|全会|全体会议|会议|党代会|代表大会|中全会|会)"
)
_COMPUTE_TAIL = re.compile(r"^(?:超级计算|超算|计算|浮点|运算)")
_TIME_LEVEL_VERBS = (
    "达到", "提高到", "提高至", "延长到", "延长至", "增加到", "增加至", "缩短到", "缩短至", "缩短",
    "压缩到", "压缩至", "压减到", "压减至", "减少到", "减少至", "降至", "降到", "控制在", "不超过",
    "为", "超过", "不少于",
)  # fmt: skip
_FAN_TIMES = {"一": 1, "1": 1, "两": 2, "二": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class _Amount:
    start: int  # where the numeral (or 百分之/翻) starts in the paragraph
    end: int  # after unit and any comparator suffix
    unit_end: int  # after the unit, before the suffix
    value_min: Decimal
    value_max: Decimal
    unit: str
    cn_only: bool  # written in Chinese numerals only (needs a verb before it to count)
    approx_more: bool  # 100余家 / 100多个
    suffix: str  # 以上 / 以内 / 左右 …
    fixed_kind: str | None = None  # 翻一番 is a change by construction
    numeral_text: str = ""


@dataclass
class _Clause:
    start: int
    end: int


def extract_targets(document: Document) -> list[ExtractedTarget]:
    """Every quantified target of the document, in document order."""
    found: list[ExtractedTarget] = []
    now = document.period_start
    # An annual document (2019年政府工作报告目标任务, 2024年国民经济和社会发展计划) sets its
    # targets for its one year, whatever paragraph they stand in.
    annual = document.period_end if document.period_start == document.period_end else None
    background_keys: set[str] = set()
    carried: int | None = None  # the deadline a plain paragraph hands to the next one
    for node in document.iter_nodes():
        parent_key = node.key.rsplit(".", 1)[0] if "." in node.key else ""
        bare = _bare_title(node.title)
        if parent_key in background_keys or _is_background_title(bare):
            background_keys.add(node.key)
            continue
        if _GUIDING_TITLE.match(bare):
            continue  # its own text only: a 总体思路 may hold the goals as its parts
        if node.style != "para" or node.label:
            carried = None  # a heading starts a new scope
        inherited = node.context_year or carried or annual
        targets, carried = _targets_in_node(node, now, inherited)
        found.extend(targets)
    return found


def _bare_title(title: str) -> str:
    return _TITLE_TAIL.sub("", title)


def _is_background_title(bare: str) -> bool:
    """发展基础, 面临形势, 2019年工作回顾, “十三五”时期老龄事业发展面临的形势: history."""
    return bool(_BACKGROUND_TITLE.match(bare)) or (
        len(bare) <= 30 and bool(_BACKGROUND_TITLE_END.search(bare))
    )


def _targets_in_node(
    node: Node, now: int | None, inherited: int | None
) -> tuple[list[ExtractedTarget], int | None]:
    """The node's targets, and the deadline its last scope-setting paragraph leaves open.

    A paragraph whose deadline opens a sentence or a clause (到2025年，初步建成…。) governs the
    paragraphs after it in the same part, as goals sections are written: the horizon first,
    then one paragraph per dimension (产业能级更高。…), until another paragraph opens with a
    deadline of its own.
    """
    text = node.text
    found: list[ExtractedTarget] = []
    if not text:
        return found, inherited
    probe = to_halfwidth(text)
    default_year = inherited
    table = tables.TableState()
    offset = 0
    for index, paragraph in enumerate(probe.split("\n")):
        start = offset
        offset += len(paragraph) + 1
        if index == 0 and node.style == "bullet":
            # A bullet's opening deadline governs the paragraphs appended to it.
            default_year = years.opening_deadline(paragraph) or default_year
        if _TABLE_ROW.search(paragraph):
            row = _table_target(paragraph, table, default_year)
            if row is not None:
                s, e = row.span
                row.span = (start + s, start + e)
                row.sentence = text[start + s : start + e]
                row.node_key = node.key
                found.append(row)
                continue
        targets, opener = _targets_in_paragraph(paragraph, default_year, now)
        for target in targets:
            s, e = target.span
            target.span = (start + s, start + e)
            target.sentence = text[start + s : start + e]
            target.node_key = node.key
            found.append(target)
        default_year = opener or default_year
    return found, default_year


_TABLE_ROW = re.compile(r"\t|\S {2,}\S")


def _table_target(
    row: str, state: tables.TableState, default_year: int | None
) -> ExtractedTarget | None:
    found = tables.read_row(row, state)
    if found is None:
        return None
    start, end = _trim(row, 0, len(row))
    return ExtractedTarget(
        sentence="",
        indicator=found.indicator,
        year=found.year or default_year,
        value_min=found.value_min,
        value_max=found.value_max,
        unit=found.unit,
        comparator=found.comparator,
        kind=found.kind,
        direction=found.direction,
        node_key="",
        span=(start, end),
    )


# --- one paragraph ------------------------------------------------------------------------------


def _targets_in_paragraph(
    para: str, default_year: int | None, now: int | None
) -> tuple[list[ExtractedTarget], int | None]:
    """The paragraph's targets and the last deadline that opens one of its sentences."""
    if not _HAS_NUMERAL.search(para):
        return [], None
    protected = [m.span() for m in _PROTECTED.finditer(para)]
    clauses = _split(para, _CLAUSE_END)
    sentences = _split(para, _SENTENCE_END)
    marks = years.find_year_marks(para, now, halfwidth=True)
    past_sentences = _past_sentences(para, sentences, marks)
    scope = _YearScope(para, marks, default_year)
    clause_starts = [c.start for c in clauses]
    sentence_starts = [s.start for s in sentences]

    per_clause: dict[int, list[tuple[_Amount, ExtractedTarget]]] = {}
    for amount in _amounts(para):
        if _inside(amount.start, protected):
            continue
        clause_index = bisect.bisect_right(clause_starts, amount.start) - 1
        sentence_index = bisect.bisect_right(sentence_starts, amount.start) - 1
        if sentence_index in past_sentences:
            continue
        clause = clauses[clause_index]
        if not _is_target(para, amount, clause):
            continue
        target = _describe(para, amount, clause)
        sentence = sentences[sentence_index]
        target.year = scope.year_for(clause, sentence)
        per_clause.setdefault(clause_index, []).append((amount, target))

    _drop_scopes(para, per_clause, sentence_starts)
    results: list[ExtractedTarget] = []
    for clause_index in sorted(per_clause):
        group = per_clause[clause_index]
        _drop_thresholds(para, group)
        _share_list_verb(para, group)
        _split_enumeration(para, group)
        for amount, target in group:
            _finish(para, amount, target)
            results.append(target)
    if para.rstrip().endswith(":"):
        # 《纲要》提出“十四五”时期（2021年至2025年）的目标：— a lead-in that ends with a colon
        # hands its deadline to the paragraphs it introduces.
        deadlines = [m.year for m in marks if m.kind == "deadline"]
        if deadlines:
            return results, deadlines[-1]
    return results, scope.last_opener


def _split(para: str, pattern: re.Pattern[str]) -> list[_Clause]:
    pieces: list[_Clause] = []
    start = 0
    for match in pattern.finditer(para):
        pieces.append(_Clause(start, match.start()))
        start = match.end()
    pieces.append(_Clause(start, len(para)))
    return pieces


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)


def _past_sentences(para: str, sentences: list[_Clause], marks: list[years.YearMark]) -> set[int]:
    """Sentences that report what has been done (已…, 同比…, a year before the plan period)."""
    past: set[int] = set()
    starts = [s.start for s in sentences]
    deadline_starts = [m.start for m in marks if m.kind == "deadline"]
    for mark in marks:
        if mark.kind == "past":
            index = bisect.bisect_right(starts, mark.start) - 1
            past.add(index)
            # “十三五”期间，…位列全国第三；…培育千亿元级企业1家: the past time reaches over a
            # semicolon to the end of the full sentence, unless a part looks forward again.
            while (
                index + 1 < len(sentences)
                and para[sentences[index].end : sentences[index].end + 1] == ";"
            ):
                index += 1
                nxt = sentences[index]
                body = para[nxt.start : nxt.end]
                has_deadline = bisect.bisect_left(deadline_starts, nxt.start) < bisect.bisect_left(
                    deadline_starts, nxt.end
                )
                if _future_marker(body) or has_deadline:
                    break
                past.add(index)
    for index, sentence in enumerate(sentences):
        body = para[sentence.start : sentence.end]
        if _PAST.search(body) and not _future_marker(body):
            past.add(index)
        elif _FORECAST.search(body):
            past.add(index)  # 预计将达到…: what is expected anyway, not what is set
    return past


def _future_marker(body: str) -> bool:
    """到2025年/力争/将 say the sentence looks forward even if it mentions 已 in passing."""
    return bool(_FUTURE.search(body))


class _YearScope:
    """The deadlines of one paragraph, indexed so that each clause is looked up in log time.

    A deadline that opens a sentence (到2020年，…) governs the rest of the paragraph; one inside
    a sentence (推进…，2023年前完成10个试点) governs only that sentence.
    """

    def __init__(self, para: str, marks: list[years.YearMark], default: int | None):
        deadlines = [m for m in marks if m.kind == "deadline"]
        self.starts = [m.start for m in deadlines]
        self.years = [m.year for m in deadlines]
        openers = [m for m in deadlines if _opens_sentence(para, m.start) or _sets_scope(para, m)]
        self.opener_starts = [m.start for m in openers]
        self.opener_years = [m.year for m in openers]
        self.default = default
        self.last_opener = self.opener_years[-1] if self.opener_years else None

    def year_for(self, clause: _Clause, sentence: _Clause) -> int | None:
        last = bisect.bisect_left(self.starts, clause.end) - 1
        if last >= 0 and self.starts[last] >= sentence.start:
            return self.years[last]
        opener = bisect.bisect_left(self.opener_starts, clause.end) - 1
        return self.opener_years[opener] if opener >= 0 else self.default


_SENTENCE_OPENERS = re.compile(r"(?:^|[。;!?])[\s(（]*(?:力争|争取|计划|预计|确保|目标是)?[\s,]*$")


def _opens_sentence(para: str, position: int) -> bool:
    return bool(_SENTENCE_OPENERS.search(para[max(0, position - 12) : position]))


def _sets_scope(para: str, mark: years.YearMark) -> bool:
    """到2025年， set off by a comma opens a clause and sets the horizon for what follows, also
    after a lead-in (《方案》提出，到2025年，… / 总体目标，即到2023年，…); a deadline inside a
    clause (2023年前完成10个试点) does not."""
    return para[mark.end : mark.end + 1] == ","


# --- finding amounts ----------------------------------------------------------------------------


def _amounts(para: str) -> Iterator[_Amount]:
    for match in _AMOUNT.finditer(para):
        amount = _amount_from_match(para, match)
        if amount is not None:
            yield amount


def _amount_from_match(para: str, match: re.Match[str]) -> _Amount | None:
    try:
        if match.group("pct_cn"):
            value = parse_numeral(match.group("pct_num"))
            return _with_suffix(para, match.start(), match.end(), value, value, "%", False, False)
        if match.group("fan"):
            times = _FAN_TIMES.get(match.group("fan_n") or "一", 1)
            value = Decimal(2**times - 1) * 100
            amount = _with_suffix(para, match.start(), match.end(), value, value, "%", False, False)
            amount.fixed_kind = "change"
            return amount
        if match.group("bare"):
            # 突破万亿元: a magnitude with no number in front means one of it.
            unit = match.group("bare")
            unit = unit + "元" if unit == "万亿" else unit
            one = Decimal(1)
            return _with_suffix(para, match.start(), match.end(), one, one, unit, False, False)
        if match.group("half"):
            half = Decimal(50)
            return _with_suffix(para, match.start(), match.end(), half, half, "%", False, False)
        if match.group("cheng"):
            # 七成 is 70 %.
            value = parse_numeral(match.group("cheng")) * 10
            amount = _with_suffix(para, match.start(), match.end(), value, value, "%", False, False)
            amount.cn_only = not match.group("cheng").isdigit()
            return amount
        if match.group("mag"):
            # 网民规模达到11亿: the magnitude is all the unit there is.
            value = parse_numeral(match.group("mag_num"))
            unit = match.group("mag_unit")
            return _with_suffix(para, match.start(), match.end(), value, value, unit, False, False)
        if match.group("big"):
            value = parse_numeral(match.group("big_num"))
            cn_only = not match.group("big_num").isdigit()
            return _with_suffix(
                para, match.start(), match.end(), value, value, "个", cn_only, False
            )
        if match.group("hi"):
            return _range_amount(para, match)
        numeral = match.group("num")
        value = parse_numeral(numeral.replace(",", ""))
        amount = _with_suffix(
            para, match.start(), match.end(), value, value, match.group("unit"),
            _is_chinese(numeral), bool(match.group("approx")),
        )  # fmt: skip
        amount.numeral_text = numeral
        return amount
    except NumberFormatError:
        return None  # a run of numeral characters that is not a number (一二三四) is text


def _range_amount(para: str, match: re.Match[str]) -> _Amount | None:
    low = parse_numeral(match.group("lo").replace(",", ""))
    high = parse_numeral(match.group("hi").replace(",", ""))
    unit = match.group("hi_unit")
    if match.group("lo_unit") and match.group("lo_unit") != unit:
        return None
    if low > high:
        return None  # 2018-2017 or a list like 5-3 is not a range
    cn_only = _is_chinese(match.group("lo")) and _is_chinese(match.group("hi"))
    amount = _with_suffix(
        para, match.start(), match.end(), low, high, unit, cn_only, bool(match.group("approx_r"))
    )
    amount.numeral_text = match.group("lo") + match.group("sep") + match.group("hi")
    return amount


def _is_chinese(numeral: str) -> bool:
    return not any(ch.isdigit() for ch in numeral)


def _with_suffix(
    para: str, start: int, unit_end: int, low: Decimal, high: Decimal, unit: str,
    cn_only: bool, approx: bool,
) -> _Amount:  # fmt: skip
    tail = para[unit_end : unit_end + 3]
    suffix = next(
        (
            s
            for s in (*lx.AT_LEAST_AFTER, *lx.AT_MOST_AFTER, *lx.APPROX_AFTER)
            if tail.startswith(s)
        ),
        "",
    )
    return _Amount(
        start, unit_end + len(suffix), unit_end, low, high, unit, cn_only, approx, suffix
    )


# --- deciding what is a target ------------------------------------------------------------------


_WINDOW = 80  # characters of a clause looked at on each side of an amount


def _is_target(para: str, amount: _Amount, whole_clause: _Clause) -> bool:
    # A clause without punctuation can be a whole page; looking at a bounded window keeps the
    # cost per amount constant (and policy words or verbs further away do not belong to it).
    clause = _Clause(
        max(whole_clause.start, amount.start - _WINDOW), min(whole_clause.end, amount.end + _WINDOW)
    )
    before = para[max(clause.start, amount.start - 12) : amount.start]
    after = para[amount.end : min(clause.end, amount.end + 12)]
    previous = para[amount.start - 1] if amount.start > 0 else ""
    following = para[amount.unit_end] if amount.unit_end < len(para) else ""
    checks = (
        _is_ordinal_or_rate_base(previous),
        _is_rank(previous, amount.unit),
        _is_starting_point(para, amount, clause),
        _touches_latin(previous, following, amount.unit),
        _is_year_or_duration(amount, before, after),
        _is_ordinal(amount, after),
        _is_name(amount, after),
        _is_policy_term(para[clause.start : clause.end], amount.unit),
        amount.cn_only
        and not _chinese_numeral_in_target_position(
            amount, before, para[clause.start : amount.start], para[amount.end : clause.end]
        ),
        _is_per_item_money(para[clause.start : clause.end], amount.unit),
        _is_ratio_rule(para[clause.start : amount.start], amount.unit),
        _is_per_item_limit(para[clause.start : amount.start]),
        _counts_document_parts(para[amount.unit_end : clause.end]),
        _counts_plan_parts(para, amount, clause),
        _names_issuers(amount, following, para[amount.unit_end : amount.unit_end + 2]),
        _is_age_band(amount, para[amount.end : amount.end + 1]),
    )
    return not any(checks)


_PLAN_SUBJECT = re.compile(
    r"《[^《》]{1,40}》(?:还|将|共|又|也|先后|分别)?(?:" + "|".join(lx.PLAN_SUBJECT_VERBS) + ")"
)
_PLAN_PART = re.compile(r"[^,;。:”\"]{0,14}?(?:" + "|".join(lx.PLAN_PART_WORDS) + ")")


def _counts_plan_parts(para: str, amount: _Amount, clause: _Clause) -> bool:
    """《三年行动》还制定了…7个行动任务, 《行动计划》将实施…八大行动和27项工程: where the plan
    itself is the subject of the sentence, its tasks, actions and projects counted are its own
    parts (the sentence of a news report or of a preface describing the plan)."""
    window_start = max(0, amount.start - 160)
    if "》" not in para[window_start : amount.start]:
        return False  # most amounts: no book title before them, nothing to look for
    sentence_start = max(para.rfind(ch, window_start, amount.start) for ch in "。;!?") + 1
    sentence_start = max(sentence_start, window_start)
    subject = _PLAN_SUBJECT.search(para, sentence_start, amount.start)
    between = _BOOK_TITLE.sub("", para[subject.end() : amount.start]) if subject else ""
    if not subject or _GOAL_YEAR.search(between):
        return False  # 《方案》提出，到2025年，实施20项工程: the plan's goals, quoted
    return bool(_PLAN_PART.match(para[amount.unit_end : clause.end]))


_BOOK_TITLE = re.compile(r"《[^《》]*》")
_GOAL_YEAR = re.compile(r"(?:19|20)\d{2}年|十[一二三四五六七八九]五")


def _names_issuers(amount: _Amount, following: str, after_unit: str) -> bool:
    """工业和信息化部等7部门联合印发, 省经信厅等九部门: the number of issuing bodies."""
    return amount.unit == "部" and following in ("门", "委")


def _is_age_band(amount: _Amount, after: str) -> bool:
    """65至74岁老年人, 80岁以上老年人: an age that says who is counted, not a level to reach
    (人均预期寿命达到79岁 ends its clause)."""
    return amount.unit in ("岁", "周岁") and _is_cjk(after)


_PHRASE_END = re.compile(r"[和及、的,;。:()（）]")


def _counts_document_parts(after_unit: str) -> bool:
    """提出5项发展目标, 明确11项重点工作任务, 8个方面, 15条政策措施: the plan counting its own
    goals, tasks, measures or aspects, not something to achieve."""
    phrase = _PHRASE_END.split(after_unit[:16], maxsplit=1)[0]
    return phrase.startswith(lx.DOCUMENT_PART_HEADS) or phrase.endswith(lx.DOCUMENT_PART_TAILS)


_FROM_TO = re.compile(r"^(?:增加|提高|提升|增长|扩大|上升|下降|降低|减少|压减|缩短|压缩)?(?:到|至)")


def _is_starting_point(para: str, amount: _Amount, clause: _Clause) -> bool:
    """由45家增加到60家: the number after 由/从 is where things start, the target follows."""
    head = para[max(clause.start, amount.start - 1) : amount.start]
    return head in ("由", "从") and bool(_FROM_TO.match(para[amount.end : clause.end]))


def _is_ordinal_or_rate_base(previous: str) -> bool:
    """第十一次 is an ordinal; 每万人 / 每千人口 is the base of a rate."""
    return previous in ("第", "每") or previous.isdigit() or previous in "/:."


def _is_rank(previous: str, unit: str) -> bool:
    """进入全省前10位 / 前三名: a place in a ranking, not an amount."""
    return previous == "前" and unit in ("位", "名")


def _touches_latin(previous: str, following: str, unit: str) -> bool:
    """5G, PM2.5, IPv6: a number glued to Latin letters is part of a name."""
    if _LATIN.match(unit or ""):
        return bool(previous and _LATIN.match(previous))
    return bool(previous and _LATIN.match(previous)) or bool(following and _LATIN.match(following))


def _is_year_or_duration(amount: _Amount, before: str, after: str) -> bool:
    if amount.unit == "年" and Decimal(1900) <= amount.value_max <= Decimal(2100):
        return True
    if amount.unit not in lx.TIME_UNITS:
        return False
    # 连续三年, 用3年时间, 3年内: a duration is a target only when a verb sets it as a level
    # (平均受教育年限达到11.3年, 审批时间压缩至5个工作日) or a limit (5个工作日以内).
    if amount.suffix in lx.AT_MOST_AFTER:
        return False
    return not before.rstrip("约近").endswith(_TIME_LEVEL_VERBS)


def _is_ordinal(amount: _Amount, after: str) -> bool:
    if amount.unit == "分" and after.startswith("之"):
        return True  # 三分之一 is a fraction, not a score
    if amount.unit in lx.ORDINAL_UNITS and _ORDINAL_TAIL.match(after):
        return True
    written = amount.numeral_text + amount.unit
    if "亿亿" in written or "万亿次" in written:
        return True  # 百亿亿次 (exascale), 千万亿次: names of computer classes
    return amount.unit.endswith("次") and bool(_COMPUTE_TAIL.match(after))


def _is_name(amount: _Amount, after: str) -> bool:
    """百亿级 / 千亿级 describe a class of thing; 千人计划 names a programme."""
    if after.startswith(("级", "量级")):
        return True
    return amount.cn_only and after.startswith(lx.NAME_TAILS)


def _is_policy_term(clause_text: str, unit: str) -> bool:
    if unit not in lx.MONEY_UNITS and unit not in lx.PERCENT_UNITS:
        return False
    return any(term in clause_text for term in lx.POLICY_TERMS)


_RATIO_RULE = re.compile(r"按(?:照)?[^,;。:]{0,12}$")
_PER_ITEM_LIMIT = re.compile(
    r"^\s*(?:对)?每(?:个|项|家|所|宗|户)[^,;。:]{0,12}(?:不超过|不高于|不大于|最高|最多|控制在)"
)


def _is_ratio_rule(head: str, unit: str) -> bool:
    """按装机容量15%配建储能, 按投资额的10%补贴: a rule for computing, not a target."""
    return unit in lx.PERCENT_UNITS and bool(_RATIO_RULE.search(head))


def _is_per_item_limit(head: str) -> bool:
    """每个项目用地不超过100亩: a cap on each item is a rule, not a target."""
    return bool(_PER_ITEM_LIMIT.match(head))


def _is_per_item_money(clause_text: str, unit: str) -> bool:
    """每项工程支持5000万元: money per item is a funding rule, not a target."""
    return unit in lx.MONEY_UNITS and bool(_PER_ITEM.search(clause_text))


_CLAUSE_VERBS = tuple(w for w in (*lx.ACTION_VERBS, *lx.LEVEL_VERBS) if len(w) > 1)


def _chinese_numeral_in_target_position(
    amount: _Amount, before: str, clause_head: str, clause_tail: str
) -> bool:
    """Chinese numerals are common in prose (一批, 零部件, 千家万户); count them only after a
    verb, or at the end of a clause that a verb opens (培育省级智能工厂两百个)."""
    if amount.value_max <= 1 and not amount.unit.startswith("%"):
        return False
    if amount.unit == "%" or amount.fixed_kind:
        return True
    window = _strip_adverbs(before[-8:])
    if window.endswith(lx.LEVEL_VERBS + lx.ACTION_VERBS + ("等",)) or window.endswith(
        lx.AT_LEAST_BEFORE + lx.AT_MOST_BEFORE
    ):
        return True
    head = _YEAR_PHRASE.sub("", clause_head).lstrip()
    ends_part = not clause_tail or clause_tail.startswith(("、", "和", "及"))
    return ends_part and _strip_leading_fillers(head).startswith(_CLAUSE_VERBS)


_ADVERB_ENDINGS = tuple(lx.ADVERBS)
_COMPARATOR_WORDS = frozenset((*lx.AT_LEAST_BEFORE, *lx.AT_MOST_BEFORE))


def _strip_adverbs(text: str, keep: frozenset[str] = frozenset()) -> str:
    changed = True
    while changed and text and text.endswith(_ADVERB_ENDINGS):
        changed = False
        for word in lx.ADVERBS:
            if word in keep:
                continue
            if text.endswith(word) and len(text) > len(word):
                text = text[: -len(word)]
                changed = True
    return text


def _drop_thresholds(para: str, group: list[tuple[_Amount, ExtractedTarget]]) -> None:
    """收入超50亿元的企业: an amount that qualifies the counted thing is not a target."""
    if not group:
        return
    keep: list[tuple[_Amount, ExtractedTarget]] = []
    for amount, target in group:
        after = para[amount.end : amount.end + 4]
        before = _strip_comparator(para[max(0, amount.start - 10) : amount.start])
        attribute = before.endswith(lx.ATTRIBUTE_WORDS) or before.endswith(
            tuple("年" + w for w in lx.ATTRIBUTE_WORDS)
        )
        qualifies = (
            after.startswith("的")
            or after.startswith(lx.COUNTED_NOUNS)
            or (bool(amount.suffix) and _is_cjk(after[:1]))
        )
        others = len(group) > 1
        # 营业收入超十亿元文旅企业集团不少于3家: a size glued to the noun it sizes, with the
        # count of that noun later in the clause.
        qualifies = qualifies or (attribute and others and _is_cjk(after[:1]))
        condition = _CONDITION_OPENER.match(para, target.span[0]) is not None
        if qualifies and (attribute or (after.startswith("的") and (others or condition))):
            continue
        if amount.unit in lx.MONEY_UNITS and after.startswith(_CLASS_NOUNS):
            continue  # 超千亿元开发区数量, 百亿元以上产业集群: a class named by its size
        keep.append((amount, target))
    group[:] = keep


_CLASS_NOUNS = tuple(n for n in lx.COUNTED_NOUNS if n not in ("以上", "级"))
_THRESHOLD_LINKS = sorted(
    (*lx.AT_LEAST_BEFORE, *lx.AT_MOST_BEFORE, "达到", "达", "过", "在"), key=len, reverse=True
)


_CONDITION_OPENER = re.compile(r"\s*(?:对于|对|凡|针对|符合)")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _strip_comparator(before: str) -> str:
    for word in _THRESHOLD_LINKS:
        if before.endswith(word):
            return before[: -len(word)]
    return before


_LIST_GAP = re.compile(r"^\s*[、和及与]\s*$")


def _share_list_verb(para: str, group: list[tuple[_Amount, ExtractedTarget]]) -> None:
    """分别增长7.5%、8%: the items of a list after one verb are all changes (or all levels) in
    the same direction, though only the first stands next to the verb."""
    for (left, left_target), (right, right_target) in itertools.pairwise(group):
        if right.fixed_kind or not _LIST_GAP.match(para[left.end : right.start]):
            continue
        if left_target.unit != right_target.unit:
            continue
        right_target.kind = left_target.kind
        right_target.direction = left_target.direction
        prefix_comparator = not left.suffix and not left.approx_more
        if prefix_comparator and not right.suffix and right_target.comparator == "=":
            # 分别超过90家和870家: a comparator before the list holds for every item; one after
            # an item (分别下降8%、10%以上) holds for that item only.
            right_target.comparator = left_target.comparator


_SCOPE_BEFORE = ("在", "围绕", "聚焦", "面向", "针对", "从")


def _drop_scopes(
    para: str,
    per_clause: dict[int, list[tuple[_Amount, ExtractedTarget]]],
    sentence_starts: list[int],
) -> None:
    """在10个重点行业打造30个5G全连接工厂, 围绕8个产业集群，建设12个平台: the first amount says
    where, a later amount in the same sentence is the target."""
    items = [(index, amount) for index in sorted(per_clause) for amount, _ in per_clause[index]]
    for position, (clause_index, amount) in enumerate(items):
        if position + 1 == len(items):
            break
        head = _strip_fillers_before(para[max(0, amount.start - 6) : amount.start])
        if not head.endswith(_SCOPE_BEFORE) or _ending_word(head, lx.LEVEL_VERBS):
            continue  # 稳定在30%以上 / 控制在 set a level; a bare 在 says where
        sentence = bisect.bisect_right(sentence_starts, amount.start)
        if bisect.bisect_right(sentence_starts, items[position + 1][1].start) != sentence:
            continue
        group = per_clause[clause_index]
        group[:] = [(a, t) for a, t in group if a is not amount]


def _strip_fillers_before(text: str) -> str:
    return text.rstrip().removesuffix("全国").removesuffix("全省").removesuffix("全市")


def _split_enumeration(para: str, group: list[tuple[_Amount, ExtractedTarget]]) -> None:
    """引育10个…团队、1000名…人才: each amount gets its own part of the clause."""
    for (left, left_target), (right, right_target) in itertools.pairwise(group):
        cut = para.find("、", left.end, right.start)
        if cut < 0:
            continue
        left_target.span = (left_target.span[0], min(left_target.span[1], cut))
        right_target.span = (max(right_target.span[0], cut + 1), right_target.span[1])


# --- describing a target ------------------------------------------------------------------------


def _describe(para: str, amount: _Amount, clause: _Clause) -> ExtractedTarget:
    start, end = _trim(para, clause.start, clause.end)
    before = para[start : amount.start]
    comparator = _comparator(amount, before, para[amount.unit_end : end])
    kind, unit, value_min, value_max = _kind_and_value(amount, before)
    direction = _direction(amount, before, comparator)
    return ExtractedTarget(
        sentence="",
        indicator="",
        year=None,
        value_min=value_min,
        value_max=value_max,
        unit=unit,
        comparator=comparator,
        kind=kind,
        direction=direction,
        node_key="",
        span=(start, end),
    )


def _trim(para: str, start: int, end: int) -> tuple[int, int]:
    while start < end and para[start] in " \t\u3000":
        start += 1
    while end > start and para[end - 1] in " \t\u3000":
        end -= 1
    return start, end


def _comparator(amount: _Amount, before: str, after_unit: str) -> str:
    if amount.suffix in lx.AT_LEAST_AFTER or amount.approx_more:
        return ">="
    if amount.suffix in lx.AT_MOST_AFTER:
        return "<="
    near = _strip_adverbs(before[-6:], keep=_COMPARATOR_WORDS)
    # The longer word wins: 不低于 is "at least" although it ends with 低于.
    at_most = _ending_word(near, lx.AT_MOST_BEFORE)
    at_least = _ending_word(near, lx.AT_LEAST_BEFORE)
    if at_most and len(at_most) > len(at_least):
        return "<="
    if at_least:
        # 突破100项关键技术: to break through (a count of technologies), not "more than".
        breaks_through = near.endswith("突破") and amount.unit in ("项", "种", "批", "类", "个")
        object_follows = bool(after_unit[:1]) and "\u4e00" <= after_unit[:1] <= "\u9fff"
        return "=" if breaks_through and object_follows else ">="
    return _distant_comparator(before)


_AT_LEAST_VERB = re.compile(r"(?:至少|不少于|不低于)[\u4e00-\u9fff]{1,3}$")  # 至少办好1所
_DISTANT = re.compile(
    r"(不少于|不低于|不小于|超过|不超过|不高于|低于|高于)[^\d,;。:]{1,16}的$"
)  # 不低于高等职业教育招生规模的10%


def _distant_comparator(before: str) -> str:
    """A comparator separated from its number by a verb or by what the number is a share of."""
    if _AT_LEAST_VERB.search(before[-8:]):
        return ">="
    match = _DISTANT.search(before[-24:])
    if match:
        word = match.group(1)
        return "<=" if word in ("不超过", "不高于", "低于") else ">="
    return "="


def _kind_and_value(amount: _Amount, before: str) -> tuple[str, str, Decimal, Decimal]:
    if amount.fixed_kind:
        return amount.fixed_kind, amount.unit, amount.value_min, amount.value_max
    near = _strip_comparator_word(_strip_adverbs(before[-8:].rstrip()))
    changes = near.endswith(lx.CHANGE_VERBS) and not near.endswith(lx.LEVEL_LINKS)
    if changes and amount.unit == "倍":
        # 增长1倍 is an increase by 100%: changes are stated in percent (docs/plan-format.md).
        return "change", "%", amount.value_min * 100, amount.value_max * 100
    if changes and amount.unit in lx.PERCENT_UNITS:
        return "change", amount.unit, amount.value_min, amount.value_max
    return "level", amount.unit, amount.value_min, amount.value_max


def _direction(amount: _Amount, before: str, comparator: str) -> str:
    if comparator == "<=":
        return "decrease"
    near = _strip_comparator_word(_strip_adverbs(before[-8:].rstrip()))
    return "decrease" if near.endswith(_DECREASE_ENDINGS) else "increase"


_LEVEL_SETTERS = {"控制在", "压减到", "压减至"}
_COMPARATOR_AFTER_VERB = tuple(
    sorted({*lx.AT_LEAST_BEFORE, *lx.AT_MOST_BEFORE} - _LEVEL_SETTERS, key=len, reverse=True)
)


def _strip_comparator_word(near: str) -> str:
    """增长超20%, 下降不少于10%: the comparator stands between the verb and the number; the
    verb still makes it a change."""
    for word in _COMPARATOR_AFTER_VERB:
        if near.endswith(word) and len(near) > len(word):
            stripped = _strip_adverbs(near[: -len(word)])
            if stripped.endswith(lx.CHANGE_VERBS):
                return stripped
    return near


_DECREASE_ENDINGS = tuple(w + link for w in lx.DECREASE_WORDS for link in ("", *lx.LEVEL_LINKS))


_NAME_WINDOW = 48


def _finish(para: str, amount: _Amount, target: ExtractedTarget) -> None:
    start, end = _trim(para, *target.span)
    target.span = (start, end)
    # The name is at most 40 characters; bounded windows keep long clauses linear.
    left = para[max(start, amount.start - _NAME_WINDOW) : amount.start]
    right = para[amount.end : min(end, amount.end + _NAME_WINDOW)]
    target.indicator = _indicator(left, right, amount)


# --- the indicator's name -----------------------------------------------------------------------

_YEAR_PHRASE = re.compile(
    r"(?:力争|争取|计划|预计)?(?:到|至|在|于)?(?:(?:19|20)\d{2}\s*年(?:底|末)?(?:前|以前|之前)?"
    r"|[\"“]?十[一二三四五六七八九]五[\"”]?(?:期末|末|时期|期间))"
)
_TRAILING_NOISE = re.compile(r"(?:[等的和及与、\s]|逐步|稳步|持续|进一步|力争|争取|基本|全面)+$")
_NEXT_AMOUNT = re.compile(r"[和及、]\s*(?=[\d一二两三四五六七八九十百千])")
_LEADING_NOISE = re.compile(r"^[的和及与、\s]+")


_STARTING_POINT = re.compile(
    r"(?:由|从)[\d.,]+[^\d,]{0,6}?(?=(?:增加|提高|提升|增长|扩大|上升|下降|降低|减少|压减|缩短|压缩)?(?:到|至)$)"
)


def _indicator(left: str, right: str, amount: _Amount) -> str:
    left = _STARTING_POINT.sub("", _YEAR_PHRASE.sub("", left).strip())
    right = _NEXT_AMOUNT.split(_LEADING_NOISE.sub("", right).strip(), maxsplit=1)[0]
    right = _OPEN_PAREN.split(right, maxsplit=1)[0] if right.startswith(("(", "（")) else right
    core = _strip_adverbs(left)
    verb = _ending_word(core, lx.LEVEL_VERBS)
    if verb and (amount.unit in lx.PERCENT_UNITS or not right or amount.unit in lx.MONEY_UNITS):
        subject = _strip_leading(core[: -len(verb)])
        name = subject or right
    elif amount.unit in lx.PERCENT_UNITS and not verb:
        name = _strip_leading(core) + right
    elif right:
        name = right
    else:
        name = _strip_leading(core)
        action = _ending_word(name, lx.ACTION_VERBS)
        if action and len(action) < len(name):
            name = name[: -len(action)]
    name = _TRAILING_NOISE.sub("", _LEADING_NOISE.sub("", name))
    return name[:40] or _TRAILING_NOISE.sub("", _strip_leading(core))[:40] or amount.unit


_ENDINGS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _ending_word(text: str, words: tuple[str, ...]) -> str:
    """The longest of ``words`` that ``text`` ends with, or ""."""
    pattern = _ENDINGS.get(words)
    if pattern is None:
        ordered = sorted(set(words), key=len, reverse=True)
        pattern = _ENDINGS[words] = re.compile("(?:" + "|".join(map(re.escape, ordered)) + ")$")
    match = pattern.search(text, max(0, len(text) - 8))
    return match.group() if match else ""


# Single characters (新, 共, 达) start too many nouns to be stripped from the front.
_LEADING_WORDS = sorted(
    {w for w in (*lx.LEADING_FILLER, *lx.ACTION_VERBS) if len(w) > 1 or w == "、"},
    key=len,
    reverse=True,
)


def _strip_leading_fillers(text: str) -> str:
    """Drop adverbs from the front (全市, 累计, 力争) but keep the verb."""
    changed = True
    while changed and text:
        changed = False
        for word in _FILLER_WORDS:
            if text.startswith(word) and len(text) > len(word):
                text = text[len(word) :]
                changed = True
                break
    return text


_FILLER_WORDS = sorted({w for w in lx.LEADING_FILLER if len(w) > 1}, key=len, reverse=True)


_LEADING_RE = re.compile("(?:" + "|".join(map(re.escape, _LEADING_WORDS)) + ")")


def _strip_leading(text: str) -> str:
    """Drop verbs and adverbs from the front: 培育引进智能科技领军企业 -> 智能科技领军企业."""
    while text:
        match = _LEADING_RE.match(text)
        if not match or match.end() >= len(text):
            return text
        text = text[match.end() :]
    return text
