"""Hypothesis fuzzing: arbitrary text through the structure parser and the target extractor."""

import os
import string
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ducha.engine.extract import extract_targets, parse_structure, to_jsonl
from ducha.engine.extract.years import find_year_marks
from ducha.engine.units import UNITS

# Characters that matter to the parser, so that random text hits its paths often.
_PIECES = [
    *"零〇一二两三四五六七八九十百千万亿点大等第每年月日",
    *'0123456789.,%～~-—、，。；：（）()“”"《》〔〕\n ',
    *"达到提高增长下降以上以内不超过少于低于突破翻番倍左右余多的之",
    "百分之",
    "到2020年",
    "“十三五”末",
    "2025年前",
    "比2015年",
    "一、",
    "（一）",
    "(一)",
    "1.",
    "（1）",
    "——",
    "●",
    "个",
    "家",
    "项",
    "亿元",
    "万元",
    "名",
    "种",
    "个百分点",
    "\t",
    "  ",
    "（%）",
    "（万个）",
    "(亿元)",
    "2025年",
    "预期性",
    "〔13.5〕",
    "≥",
    "单位",
    "企业",
    "收入",
    "规模",
    "建设",
    "培育",
    "打造",
    "已",
    "同比",
    "PM",
    "5G",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)
_ANY = st.one_of(_TEXT, st.text(max_size=300), st.text(alphabet=string.printable, max_size=200))


def _examples(default: int) -> int:
    """DUCHA_FUZZ_EXAMPLES=5000 runs a longer fuzz than the default suite does."""
    return int(os.environ.get("DUCHA_FUZZ_EXAMPLES", default))


def _check_invariants(document, targets):
    nodes = {node.key: node for node in document.iter_nodes()}
    for target in targets:
        assert target.value_min <= target.value_max
        assert target.value_min >= 0
        assert isinstance(target.value_min, Decimal)
        assert target.comparator in (">=", "<=", "=")
        assert target.kind in ("level", "change")
        assert target.direction in ("increase", "decrease")
        assert target.unit
        assert target.year is None or 1900 <= target.year <= 2100
        start, end = target.span
        assert nodes[target.node_key].text[start:end] == target.sentence
        assert target.sentence.strip() == target.sentence


@settings(max_examples=_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ANY)
def test_structure_and_targets_never_fail_and_keep_their_invariants(text):
    document = parse_structure(text)
    keys = [node.key for node in document.iter_nodes()]
    assert len(keys) == len(set(keys))
    for node in document.iter_nodes():
        for child in node.children:
            assert child.key.startswith(node.key + ".")
        for line in node.text.split("\n"):
            assert line in text
    targets = extract_targets(document)
    _check_invariants(document, targets)
    to_jsonl(targets)


@settings(max_examples=_examples(300), deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_targets_inside_a_heading_tree_keep_invariants(body):
    text = f"计划\n一、发展目标\n{body}\n（一）任务\n{body}\n——{body}\n"
    document = parse_structure(text)
    _check_invariants(document, extract_targets(document))


@settings(max_examples=_examples(200), deadline=None)
@given(_TEXT)
def test_year_marks_are_inside_the_text_and_plausible(text):
    for mark in find_year_marks(text):
        assert 0 <= mark.start < mark.end <= len(text)
        assert 1900 <= mark.year <= 2100
        assert mark.kind in ("deadline", "base", "start", "past")


def test_extracted_units_are_mostly_known_to_the_units_table():
    text = "计划\n一、目标\n建成10个项目、5家企业、3项技术，规模1000亿元，覆盖率达到90%。\n"
    for target in extract_targets(parse_structure(text)):
        assert target.unit in UNITS
