"""`ducha loadplan` as an operator meets it: through the command, against a real database."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ducha.audit.models import AuditEntry
from ducha.datavalues.models import ApprovedValue, DataValue, MilestoneReport
from ducha.datavalues.services import approve_value, save_value
from ducha.engine.periods import parse_period
from ducha.plans.models import Indicator, Milestone, Plan, PlanNode

pytestmark = pytest.mark.django_db

PLAN_DIR = Path(__file__).resolve().parents[2] / "data" / "tianjin-2018"
PLAN_FILE = PLAN_DIR / "plan.yaml"


def load(path) -> str:
    out = io.StringIO()
    call_command("loadplan", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def plan_data():
    data = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))
    # The copy lives in a temporary directory: point it at the shipped source text.
    data["plan"]["source_file"] = str(PLAN_DIR / data["plan"]["source_file"])
    return data


@pytest.fixture
def write(tmp_path):
    def write(data, name="plan.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return path

    return write


@pytest.fixture
def loaded(tianjin_units, plan_data, write):
    path = write(plan_data)
    load(path)
    return Plan.objects.get(code=plan_data["plan"]["code"])


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Plan, PlanNode, Indicator, Milestone, DataValue, ApprovedValue, AuditEntry)
    }


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def _indicator_spec(data, code):
    return next(i for i in data["indicators"] if i["code"] == code)


def _report_value(indicator, unit, period="2019Q3", value="42"):
    dv = save_value(None, indicator, unit, parse_period(period), Decimal(value))
    approve_value(None, dv)
    return dv


# --- the shipped plan ------------------------------------------------------------------------


def test_every_gold_target_is_an_indicator_in_the_database(tianjin_units):
    load(PLAN_FILE)
    plan = Plan.objects.get(code="tianjin-2018-ai")
    gold = [
        json.loads(line)
        for line in (PLAN_DIR / "gold-targets.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    assert len(gold) == 29
    indicators = list(plan.indicators.all())
    assert len(indicators) == len(gold)
    for g in gold:
        [ind] = [i for i in indicators if i.sentence == g["sentence"]]
        assert ind.target_min == Decimal(str(g["value_min"])), g["sentence"]
        assert ind.target_max == Decimal(str(g["value_max"])), g["sentence"]
        assert ind.unit == g["unit"], g["sentence"]
        assert ind.comparator == g["comparator"], g["sentence"]
        assert ind.kind == g["kind"], g["sentence"]
        assert ind.deadline == dt.date(g["year"] or plan.period_end, 12, 31), g["sentence"]
        assert ind.direction in (1, -1)
        assert ind.lead_unit_id is not None, f"{ind.code} has no lead unit"


def test_shipped_plan_has_its_tree_and_milestones(tianjin_plan):
    assert tianjin_plan.nodes.filter(parent=None).count() >= 6
    assert tianjin_plan.nodes.exclude(text="").count() > 20
    titles = " ".join(tianjin_plan.milestones.values_list("title", flat=True))
    for commitment in ("交通大脑", "人工智能高端人才数据库", "世界智能大会", "京津智能科技走廊"):
        assert commitment in titles


# --- idempotence -----------------------------------------------------------------------------


def test_loading_the_same_file_twice_changes_nothing(loaded, plan_data, write):
    before = counts()
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        output = load(write(plan_data))
    assert writes(queries) == []
    assert counts() == before
    assert "unchanged" in output


def test_unchanged_reload_says_so_in_chinese_by_default(loaded, plan_data, write):
    output = load(write(plan_data))
    assert "未变" in output or "无变化" in output


def test_edited_file_updates_in_place_and_keeps_reported_values(
    loaded, plan_data, write, tianjin_units
):
    scale = loaded.indicators.get(code="TJ-GOAL-SCALE")
    value = _report_value(scale, tianjin_units["120101"], value="500")
    edited = copy.deepcopy(plan_data)
    _indicator_spec(edited, "TJ-GOAL-SCALE")["target"] = {"min": 1200, "max": 1200}
    edited["nodes"][0]["title"] = "总体要求(修订)"
    new = copy.deepcopy(_indicator_spec(edited, "TJ-GOAL-PILOT"))
    new.update(code="TJ-NEW-ONE", name="新增指标", sentence="")
    edited["indicators"].append(new)

    with translation.override("en"):
        output = load(write(edited))

    assert "updated" in output and "created" in output
    scale_after = Indicator.objects.get(plan=loaded, code="TJ-GOAL-SCALE")
    assert scale_after.pk == scale.pk
    assert scale_after.target_min == Decimal(1200)
    assert PlanNode.objects.get(plan=loaded, key=edited["nodes"][0]["key"]).title == (
        "总体要求(修订)"
    )
    assert Indicator.objects.filter(plan=loaded, code="TJ-NEW-ONE").exists()
    value.refresh_from_db()
    assert value.indicator_id == scale.pk and value.value == Decimal(500)
    assert ApprovedValue.objects.filter(indicator=scale).count() == 1
    assert AuditEntry.objects.filter(action="plans.plan.loaded").count() == 2


def test_removing_an_indicator_that_has_values_is_refused(loaded, plan_data, write, tianjin_units):
    pilot = loaded.indicators.get(code="TJ-GOAL-PILOT")
    _report_value(pilot, tianjin_units["120101"])
    edited = copy.deepcopy(plan_data)
    edited["indicators"] = [i for i in edited["indicators"] if i["code"] != "TJ-GOAL-PILOT"]
    edited["indicators"][0]["target"]["min"] = 1  # an edit that must not land either
    before = counts()
    with pytest.raises(CommandError) as error:
        load(write(edited))
    assert "TJ-GOAL-PILOT" in str(error.value)
    assert counts() == before
    assert Indicator.objects.get(pk=pilot.pk).code == "TJ-GOAL-PILOT"


def test_removing_an_indicator_without_values_deletes_it(loaded, plan_data, write):
    edited = copy.deepcopy(plan_data)
    edited["indicators"] = [i for i in edited["indicators"] if i["code"] != "TJ-GOAL-PILOT"]
    load(write(edited))
    assert not loaded.indicators.filter(code="TJ-GOAL-PILOT").exists()
    assert loaded.indicators.count() == 28


def test_removing_a_milestone_with_reports_is_refused(loaded, plan_data, write, tianjin_units):
    milestone = loaded.milestones.first()
    MilestoneReport.objects.create(
        milestone=milestone,
        org_unit=tianjin_units["120101"],
        period="2019Q4",
        period_end=dt.date(2019, 12, 31),
        progress="in_progress",
    )
    edited = copy.deepcopy(plan_data)
    edited["milestones"] = [m for m in edited["milestones"] if m["code"] != milestone.code]
    with pytest.raises(CommandError) as error:
        load(write(edited))
    assert milestone.code in str(error.value)
    assert Milestone.objects.filter(pk=milestone.pk).exists()


# --- bad input: a message naming file and field, and nothing written ------------------------


def _break(data, how):
    first = data["indicators"][0]
    if how == "unknown unit":
        first["unit"] = "公斤数"
        return "indicators[0] (TJ-GOAL-PILOT).unit", "公斤数"
    if how == "duplicate code":
        data["indicators"][1]["code"] = first["code"]
        return "indicators[1] (TJ-GOAL-PILOT).code", "TJ-GOAL-PILOT"
    if how == "2019Q5 baseline":
        first["baseline"] = {"value": 10, "period": "2019Q5"}
        return "indicators[0] (TJ-GOAL-PILOT).baseline.period", "2019Q5"
    if how == "missing direction":
        del first["direction"]
        return "indicators[0] (TJ-GOAL-PILOT).direction", ""
    if how == "max below min":
        first["target"] = {"min": 5, "max": 3}
        return "indicators[0] (TJ-GOAL-PILOT).target.max", ""
    if how == "unknown org unit":
        first["lead"] = "火星开发局"
        return "indicators[0] (TJ-GOAL-PILOT).lead", "火星开发局"
    raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "unknown unit",
        "duplicate code",
        "2019Q5 baseline",
        "missing direction",
        "max below min",
        "unknown org unit",
    ],
)
def test_bad_plan_file_names_file_and_field_and_writes_nothing(loaded, plan_data, write, how):
    edited = copy.deepcopy(plan_data)
    edited["plan"]["title"] = "不应写入的标题"  # a good edit in the same file must not land
    field_path, bad_value = _break(edited, how)
    path = write(edited, name="broken-plan.yaml")
    before = counts()
    with pytest.raises(CommandError) as error:
        load(path)
    message = str(error.value)
    assert "broken-plan.yaml" in message
    assert field_path in message
    assert bad_value in message
    assert counts() == before
    assert Plan.objects.get(pk=loaded.pk).title != "不应写入的标题"


def test_malformed_yaml_gives_line_and_column(tianjin_units, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: ducha-plan/1\nplan:\n  code: x\n  title: [unclosed\n", "utf-8")
    before = counts()
    with translation.override("en"), pytest.raises(CommandError) as error:
        load(path)
    message = str(error.value)
    assert "bad.yaml" in message
    assert "line 5" in message and "column" in message
    assert counts() == before


def test_malformed_yaml_message_is_chinese_by_default(tianjin_units, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("plan: [\n", "utf-8")
    with pytest.raises(CommandError) as error:
        load(path)
    assert "行" in str(error.value) and "列" in str(error.value)


def test_missing_file_is_named(tianjin_units, tmp_path):
    with pytest.raises(CommandError) as error:
        load(tmp_path / "nowhere.yaml")
    assert "nowhere.yaml" in str(error.value)


def test_the_grace_period_for_final_figures_is_the_plans_own(loaded, plan_data, write):
    assert loaded.final_grace_months == 6  # the default
    edited = copy.deepcopy(plan_data)
    edited["plan"]["final_grace_months"] = 9
    load(write(edited))
    assert Plan.objects.get(pk=loaded.pk).final_grace_months == 9
    edited["plan"]["final_grace_months"] = 100
    with pytest.raises(CommandError) as error:
        load(write(edited, name="broken-plan.yaml"))
    assert "plan.final_grace_months" in str(error.value)
    assert Plan.objects.get(pk=loaded.pk).final_grace_months == 9
