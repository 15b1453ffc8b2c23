"""The source sentence of an indicator, marked in its node's text (the review screen)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

ELLIPSIS = "…"


@dataclass(frozen=True)
class Excerpt:
    before: str
    marked: str
    after: str
    clipped_before: bool = False
    clipped_after: bool = False

    @property
    def found(self) -> bool:
        return bool(self.marked)

    @property
    def clipped(self) -> bool:
        return self.clipped_before or self.clipped_after


def excerpt(text: str, sentence: str, context: int | None = 160) -> Excerpt:
    """``text`` split around the first occurrence of ``sentence``.

    With ``context``, at most that many characters are kept on each side (the review screen
    shows a window, and the whole text on request). Without the sentence in the text (a
    hand-written plan, an edited node), nothing is marked and the start of the text is shown.
    """
    start = text.find(sentence) if sentence else -1
    if start < 0:
        if context is None or len(text) <= 2 * context:
            return Excerpt(text, "", "")
        return Excerpt(text[: 2 * context], "", "", clipped_after=True)
    end = start + len(sentence)
    before, marked, after = text[:start], text[start:end], text[end:]
    clipped_before = clipped_after = False
    if context is not None:
        if len(before) > context:
            before, clipped_before = before[-context:], True
        if len(after) > context:
            after, clipped_after = after[:context], True
    return Excerpt(before, marked, after, clipped_before, clipped_after)


def highlighted(text: str, sentence: str, context: int | None = 160) -> SafeString:
    """HTML of the excerpt with ``<mark>`` around the sentence; everything else escaped."""
    part = excerpt(text, sentence, context)
    lead = ELLIPSIS if part.clipped_before else ""
    tail = ELLIPSIS if part.clipped_after else ""
    if not part.found:
        return format_html("{}{}", part.before, tail)
    return format_html("{}{}<mark>{}</mark>{}{}", lead, part.before, part.marked, part.after, tail)
