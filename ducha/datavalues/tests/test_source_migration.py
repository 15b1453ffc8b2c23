"""The data migration that turned the free-text source into a kind, run on real rows."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

UNDER_TEST = {
    ("datavalues", "0002_value_source"),
    ("reporting", "0002_assignment_source_and_quality_flags"),
}


def _others() -> list[tuple[str, str]]:
    """Every other app at its latest migration (the database keeps their columns, so their
    historical models must have them too), unless that needs the migrations under test."""
    graph = MigrationLoader(connection).graph
    return [
        node
        for node in graph.leaf_nodes()
        if node[0] not in ("datavalues", "reporting")
        and not UNDER_TEST & set(graph.forwards_plan(node))
    ]


BEFORE = [("datavalues", "0001_initial"), ("reporting", "0001_initial")]
AFTER = [
    ("datavalues", "0002_value_source"),
    ("reporting", "0002_assignment_source_and_quality_flags"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = [*targets, *_others()]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_values_and_their_approvals_get_a_kind_and_keep_typed_text():
    apps = _migrate(BEFORE)
    try:
        OrgUnit = apps.get_model("orgunits", "OrgUnit")
        Plan = apps.get_model("plans", "Plan")
        Node = apps.get_model("plans", "PlanNode")
        Indicator = apps.get_model("plans", "Indicator")
        DataValue = apps.get_model("datavalues", "DataValue")
        ApprovedValue = apps.get_model("datavalues", "ApprovedValue")
        unit = OrgUnit.objects.create(code="120101", name="和平区", kind="district")
        plan = Plan.objects.create(code="p", title="计划", period_start=2018, period_end=2020)
        node = Node.objects.create(plan=plan, key="1", position=0)
        common = {
            "plan": plan,
            "node": node,
            "unit": "个",
            "direction": 1,
            "target_min": 10,
            "deadline": dt.date(2020, 12, 31),
        }
        manual = Indicator.objects.create(code="M", name="手填", position=0, **common)
        computed = Indicator.objects.create(
            code="C", name="计算", position=1, source="computed", **common
        )
        now = timezone.now()
        rows = {
            "typed": (manual, "2019Q1", "市统计局2019年鉴"),
            "label": (manual, "2019Q2", "统计局快报"),
            "demo": (manual, "2019Q3", "演示数据"),
            "computed": (computed, "2019Q1", "computed"),
        }
        for ind, period, text in rows.values():
            dv = DataValue.objects.create(
                indicator=ind,
                org_unit=unit,
                period=period,
                period_end=dt.date(2019, 3, 31),
                value=1,
                source=text,
                status="approved",
            )
            ApprovedValue.objects.create(
                data_value=dv,
                indicator=ind,
                org_unit=unit,
                period=period,
                period_end=dv.period_end,
                value=1,
                approved_at=now,
            )
        apps = _migrate(AFTER)
        DataValue = apps.get_model("datavalues", "DataValue")
        ApprovedValue = apps.get_model("datavalues", "ApprovedValue")
        got = {
            (v.indicator.code, v.period): (v.source, v.source_note)
            for v in DataValue.objects.select_related("indicator")
        }
        assert got[("M", "2019Q1")] == ("unit_report", "市统计局2019年鉴")
        assert got[("M", "2019Q2")] == ("stats_flash", "")
        assert got[("M", "2019Q3")] == ("unit_report", "")
        assert got[("C", "2019Q1")] == ("computed", "")
        approvals = {a.period + a.indicator.code: a.source for a in ApprovedValue.objects.all()}
        assert approvals == {
            "2019Q1M": "unit_report",
            "2019Q2M": "stats_flash",
            "2019Q3M": "unit_report",
            "2019Q1C": "computed",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
