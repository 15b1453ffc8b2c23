"""Reading a command's aligned text table back, for the tests of `ducha assess` and `ducha
extract --format table`: each row is cut at the display columns (a CJK character counts two)
where the header's cells start, and every cut must fall between characters after a gap."""

from __future__ import annotations

import re

from ducha.engine.textwidth import width


def column_at(line: str, start: int) -> int:
    """The index in ``line`` of the character that starts at display column ``start``."""
    cut = 0
    while cut < len(line) and width(line[:cut]) < start:
        cut += 1
    assert cut >= len(line) or width(line[:cut]) == start, (line, start)  # no straddling
    return cut


def read_rows(header: str, rows: list[str]) -> list[dict[str, str]]:
    """Each row as {heading: cell}; headings are single words, cells may be empty."""
    starts = [width(header[: m.start()]) for m in re.finditer(r"(?:^|(?<=  ))\S", header)]
    names = header.split()
    assert len(starts) == len(names), header
    read = []
    for line in rows:
        cuts = [column_at(line, s) for s in starts] + [len(line)]
        for cut in cuts[1:-1]:
            assert cut >= len(line) or line[cut - 2 : cut] == "  ", line  # the gap before
        read.append(
            {n: line[a:b].strip() for n, a, b in zip(names, cuts[:-1], cuts[1:], strict=True)}
        )
    return read
