"""`ducha assess` as a table: columns aligned by display width, milestones' progress apart."""

import io

import pytest
from django.core.management import call_command

from ducha.engine.textwidth import fit, width

pytestmark = pytest.mark.django_db


def test_cjk_counts_two_columns_and_a_cut_keeps_the_width():
    assert width("智能科技ab") == 10
    assert fit("智能科技产业规模", 7) == "智能科…"  # 6 + 1, never wider than asked
    assert width(fit("智能科技产业规模", 7)) == 7 and width(fit("ab", 5)) == 5


def test_every_column_starts_at_the_same_place_on_every_line(demo):
    out = io.StringIO()
    call_command("assess", "--as-of", "2019-12-31", stdout=out)
    lines = out.getvalue().splitlines()
    # the table's rows (codes first); the nodes' explanations follow the table
    header, rows = lines[1], [line for line in lines[2:] if line.startswith("TJ-")]
    assert len(rows) > 29
    # the display offset of "R" in the header is where each row's ratio column begins
    r_at = width(header[: header.index("  R  ") + 2])
    for row in rows:
        cut = 0
        while cut < len(row) and width(row[:cut]) < r_at:
            cut += 1
        assert width(row[:cut]) == r_at, row  # no CJK character straddles the column
        assert row[cut - 2 : cut] == "  ", row
    # a milestone's progress (推进中, 延期 …) in its own last column, not in the value column
    p_at = width(header[: header.index("任务进展")])
    milestones = [row for row in rows if row.startswith("TJ-M-")]
    assert milestones
    progress = []
    for row in milestones:
        cut = 0
        while cut < len(row) and width(row[:cut]) < p_at:
            cut += 1
        progress.append(row[cut:].strip())
    # every reported milestone shows its progress there (one never reported has none)
    assert sum(1 for p in progress if p) >= len(milestones) // 2, progress
    for row in rows:
        if not row.startswith("TJ-M-"):
            assert width(row) <= p_at, row  # indicators leave it empty
