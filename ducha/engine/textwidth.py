"""Text as a terminal shows it: a CJK character takes two columns, a combining mark none.

One place for the command line's aligned tables (`ducha assess`, `ducha extract --format
table`, the demo's account list) and its wrapped help text (`ducha <command> --help`),
measured with wcwidth rather than by character count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wcwidth import wcswidth, wcwidth


def width(text: str) -> int:
    """Columns the text takes; a character wcwidth cannot size counts as one."""
    n = wcswidth(text)
    if n >= 0:
        return n
    return sum(max(wcwidth(ch), 1) if wcwidth(ch) != 0 else 0 for ch in text)


def fit(text: str, columns: int) -> str:
    """The text padded to ``columns``, or cut with "…" so that it takes exactly that many."""
    if width(text) <= columns:
        return text + " " * (columns - width(text))
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > columns - 1:
            break
        out, used = out + ch, used + w
    out += "…"
    return out + " " * (columns - width(out))


def table(rows: Sequence[Sequence[str]], *, gap: str = "  ") -> list[str]:
    """Rows aligned on display width; the last column is left ragged."""
    if not rows:
        return []
    n = len(rows[0])
    widths = [max(width(row[i]) for row in rows) for i in range(n - 1)]
    return [
        gap.join([*(fit(cell, widths[i]) for i, cell in enumerate(row[:-1])), row[-1]]).rstrip()
        for row in rows
    ]


# A run of characters that are not wide and not spaces is one word (an option, a number, a
# path); a wide character is a word of its own, since Chinese breaks between any two of them.
_WORDS = re.compile(r"\s+|[^\s\u1100-\uffff]+|.")
# never at the start of a line / never at the end of one (the Chinese line-breaking rules)
_NO_START = set("，。、；：？！）》」』】”’…—%,.;:?!)]}")
_NO_END = set("（《「『【“‘([{")


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most ``columns`` display columns (one word wider than that has a line of
    its own), breaking at spaces and between Chinese characters, never before closing
    punctuation nor after opening punctuation."""
    words: list[str] = []
    glue = False  # the previous word asked to be kept with this one
    for word in _WORDS.findall(text):
        if word.isspace():
            words.append(" ")
            glue = False
        elif words and words[-1] != " " and (glue or word[0] in _NO_START):
            words[-1] += word
            glue = word[-1] in _NO_END
        else:
            words.append(word)
            glue = word[-1] in _NO_END
    lines: list[str] = []
    line = ""
    for word in words:
        if word == " ":
            if line:
                line += " "
            continue
        if line and width(line + word) > columns:
            lines.append(line.rstrip())
            line = word
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines
