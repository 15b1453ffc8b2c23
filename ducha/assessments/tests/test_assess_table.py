"""`ducha assess` as a table: columns aligned by display width (a CJK character takes two
columns), indicators and milestones in tables of their own, a milestone's assessed status and
its reported progress in a column each, node lines in Chinese punctuation."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from ducha.core.tests.columns import read_rows
from ducha.engine.textwidth import fit, width, wrap

pytestmark = pytest.mark.django_db

DAY = "2019-12-31"


def test_cjk_counts_two_columns_and_a_cut_keeps_the_width():
    assert width("智能科技ab") == 10
    assert fit("智能科技产业规模", 7) == "智能科…"  # 6 + 1, never wider than asked
    assert width(fit("智能科技产业规模", 7)) == 7 and width(fit("ab", 5)) == 5


def test_wrapping_breaks_between_chinese_characters_but_not_before_closing_punctuation():
    text = "评估日期，格式 YYYY-MM-DD（默认：今天；规划结束后为结束后一个季度）"
    lines = wrap(text, 12)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(width(line) <= 12 for line in lines)
    assert [line for line in lines if "YYYY-MM-DD" in line]  # a word is never split
    assert not [line for line in lines if line[0] in "，：；）"]
    assert not [line for line in lines if line[-1] in "（"]


def assess(*args) -> str:
    out = io.StringIO()
    call_command("assess", "--as-of", DAY, *args, stdout=out)
    return out.getvalue()


def read_table(lines: list[str], title: str) -> list[dict[str, str]]:
    """The rows of the table under the heading line that starts with ``title``."""
    at = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[at + 2 :]:
        if not line.startswith("TJ-"):
            break
        rows.append(line)
    return read_rows(lines[at + 1], rows)


def test_every_cell_starts_at_its_header_column_and_holds_its_value(demo):
    doc = json.loads(assess("--format", "json"))
    lines = assess().splitlines()
    indicators = {r["代码"]: r for r in read_table(lines, "指标（")}
    milestones = {r["代码"]: r for r in read_table(lines, "重点任务（")}
    assert set(indicators) == {i["code"] for i in doc["indicators"]}
    assert set(milestones) == {m["code"] for m in doc["milestones"]}
    for item in doc["indicators"]:
        row = indicators[item["code"]]
        assert row["状态"] == item["status_label"]  # never cut, whatever its width
        assert row["期间"] == (item["period"] or "")
        assert item["name"].startswith(row["指标"].rstrip("…"))
    reported = 0
    for item in doc["milestones"]:
        row = milestones[item["code"]]
        # the assessed status and the reported progress, each in its own column
        assert row["状态"] == item["status_label"]
        assert row["任务进展"] == (item["progress_label"] or "")
        assert row["完成时限"] == item["deadline"]
        reported += bool(item["progress_label"])
    assert reported >= len(doc["milestones"]) // 2


def test_the_summary_and_node_lines_use_chinese_punctuation(demo):
    text = assess()
    overall = next(line for line in text.splitlines() if line.startswith("总体"))
    assert overall.startswith("总体：") and overall.endswith("）") and "," not in overall
    nodes = [line for line in text.splitlines() if "——由" in line]
    assert nodes
    for line in nodes:
        name_and_status = line.split("——由")[0]
        assert "：" in name_and_status and ": " not in name_and_status, line


def test_english_on_request(demo):
    with translation.override("en"):
        text = assess()
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("Indicators ("))
    assert lines[i + 1].split()[:3] == ["code", "indicator", "unit"]
    m = next(n for n, line in enumerate(lines) if line.startswith("Milestones ("))
    assert lines[m + 1].split()[:3] == ["code", "milestone", "deadline"]
    assert lines[m + 1].endswith("milestone progress")
