"""`ducha assess` after `ducha demo`, as the issue's "done when" runs it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ducha.engine.assessment import Status

pytestmark = pytest.mark.django_db

REQUIRED = {
    "code", "name", "unit", "baseline", "target_min", "target_max", "deadline", "value",
    "period", "ratio", "status", "forecast",
}  # fmt: skip


@pytest.fixture
def demo(demo):
    return demo.plan


def assess(*args) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_json_lists_every_indicator_with_the_required_fields(demo):
    doc = json.loads(assess("--as-of", "2019-12-31", "--format", "json"))
    assert doc["plan"] == demo.code and doc["as_of"] == "2019-12-31"
    codes = {row["code"] for row in doc["indicators"]}
    assert codes == set(demo.indicators.values_list("code", flat=True))
    valid = {s.value for s in Status}
    for row in doc["indicators"]:
        assert row.keys() >= REQUIRED, row["code"]
        assert row["status"] in valid
        assert row["target_min"] is not None and row["deadline"].startswith("20")
        if row["status"] not in ("no_data",):
            assert row["value"] is not None and row["period"], row["code"]
    assert {row["code"] for row in doc["milestones"]} == set(
        demo.milestones.values_list("code", flat=True)
    )
    assert doc["nodes"] and doc["status"] in valid


def test_json_values_follow_the_as_of_date(demo):
    early = json.loads(assess("--as-of", "2018-12-31", "--format", "json"))
    late = json.loads(assess("--as-of", "2019-12-31", "--format", "json"))
    periods_early = {r["period"] for r in early["indicators"] if r["period"]}
    periods_late = {r["period"] for r in late["indicators"] if r["period"]}
    assert max(periods_early) <= "2018Q4" < max(periods_late) <= "2019Q4"


def test_csv_has_a_header_and_a_row_per_item(demo):
    text = assess("--as-of", "2019-12-31", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    indicators = [r for r in rows if r["type"] == "indicator"]
    assert len(indicators) == demo.indicators.count()
    assert {"code", "status", "ratio", "forecast"} <= rows[0].keys()
    assert any(r["type"] == "node" for r in rows)


def test_table_is_chinese_by_default(demo):
    text = assess("--as-of", "2019-12-31")
    assert "TJ-GOAL-SCALE" in text and "智能科技产业规模" in text
    assert "进度正常" in text and "暂无数据" in text


def test_table_in_english_when_asked(demo):
    with translation.override("en"):
        text = assess("--as-of", "2019-12-31")
    assert "On track" in text and "No data" in text


@pytest.mark.parametrize("bad", ["2019-13-01", "yesterday", "2019/12/31"])
def test_a_bad_as_of_is_a_clear_error(demo, bad):
    with translation.override("en"), pytest.raises(CommandError) as error:
        assess("--as-of", bad)
    assert bad in str(error.value) and "2019-12-31" in str(error.value)


def test_an_unknown_plan_is_a_clear_error_listing_the_known_ones(demo):
    with pytest.raises(CommandError) as error:
        assess("--plan", "no-such-plan")
    assert "no-such-plan" in str(error.value) and demo.code in str(error.value)


def test_demo_command_prints_the_logins_in_chinese(db):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "演示数据已加载" in text and "密码均为 ducha-demo-2018" in text
    for login in ("office", "leader", "heping", "gxj"):
        assert login in text
    assert "领导小组办公室" in text and "单位填报员" in text
