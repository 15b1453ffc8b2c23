"""Text as a terminal shows it: a CJK character takes two columns, a combining mark none.

One place for the command line's aligned tables (`ducha assess`, `ducha extract --format
table`, the demo's account list), measured with wcwidth rather than by character count.
"""

from __future__ import annotations

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
