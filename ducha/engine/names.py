"""Enterprise names compared the way people mean them, for finding likely duplicates.

``天津市某某科技有限公司``, ``某某科技（天津）有限公司`` and ``某某科技 有限责任公司`` are the same
company written three ways. :func:`name_key` strips what does not distinguish companies (the
place, the legal form, brackets, spaces, full-width forms); :func:`similar_pairs` then finds
pairs whose keys are equal or nearly so, comparing only names that share a first character of
their key (blocking), so that it stays fast on tens of thousands of names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

_PLACES = ("天津市", "天津", "滨海新区", "中国")
_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "股份公司",
    "分公司",
    "公司",
    "集团",
)
_BRACKETED = re.compile(r"[(\[][^()\[\]]*[)\]]")
_PUNCTUATION = re.compile(r"[\s·.,、\-—_'\"“”‘’]+")


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "")
    text = _PUNCTUATION.sub("", text)
    text = _BRACKETED.sub("", text)  # （天津）, (中国)
    for place in _PLACES:
        text = text.removeprefix(place)
    changed = True
    while changed:
        changed = False
        for form in _FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)]
                changed = True
    return text.lower()


def similar_pairs(
    names: Iterable[tuple[object, str]], threshold: float = 92.0
) -> list[tuple[object, object, float]]:
    """(id a, id b, score 0–100) for names whose keys are equal or score >= threshold.

    Names are compared within blocks of the same first key character; equal keys score 100.
    """
    blocks: dict[str, list[tuple[object, str]]] = defaultdict(list)
    for ident, name in names:
        key = name_key(name)
        if key:
            blocks[key[0]].append((ident, key))
    pairs = []
    for members in blocks.values():
        members.sort(key=lambda m: m[1])
        for i, (a, key_a) in enumerate(members):
            for b, key_b in members[i + 1 :]:
                if key_a == key_b:
                    pairs.append((a, b, 100.0))
                    continue
                if abs(len(key_a) - len(key_b)) > max(2, len(key_a) // 5):
                    continue
                score = fuzz.ratio(key_a, key_b)
                if score >= threshold:
                    pairs.append((a, b, round(score, 1)))
    return pairs
