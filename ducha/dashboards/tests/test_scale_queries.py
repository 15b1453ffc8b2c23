"""What grows with the number of approvals stays out of the dashboards' requests.

At 1.2 M values the cockpit's "approvals since the last round" fetched every approval of the
window (19,000 rows at the scale dataset's last quarter, 0.2 s) and the indicator page drew
every reporting unit (634: 0.76 MB of HTML and chart data). The count now comes from one index
alone and the unit table and small charts a page at a time."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.datavalues import services
from ducha.datavalues.models import ApprovedValue
from ducha.datavalues.selectors import UNITS_PER_PAGE
from ducha.engine.periods import parse_period
from ducha.orgunits.models import OrgUnit, OrgUnitKind

pytestmark = pytest.mark.django_db
APPROVALS = ApprovedValue._meta.db_table


def _plan_lines(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is read through
        cursor.execute("EXPLAIN " + sql)
        return [row[0] for row in cursor.fetchall()]


def test_the_cockpit_counts_the_approvals_since_the_round_from_an_index(
    client, office, tianjin_plan, scale_history
):
    client.force_login(office)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboards:cockpit", args=[tianjin_plan.code]))
    assert response.status_code == 200
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if APPROVALS in q["sql"] and "COUNT(DISTINCT" in q["sql"]
    ]
    assert len(counts) == 1, "the count was not asked: the test would prove nothing"
    lines = _plan_lines(counts[0])
    assert any("approvals_by_time" in line for line in lines), lines
    assert not any("Seq Scan" in line or line.startswith(f"SCAN {APPROVALS}") for line in lines)
    if connection.vendor == "sqlite":  # the index holds every column the count needs
        assert any("COVERING INDEX approvals_by_time" in line for line in lines), lines


def test_the_indicator_dashboard_draws_one_page_of_units(client, office, tianjin_plan):
    ind = tianjin_plan.indicators.get(code="TJ-GOAL-SCALE")
    district = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT).order_by("pk").first()
    extra = UNITS_PER_PAGE + 5
    for i in range(extra):
        unit = OrgUnit.objects.create(
            code=f"9{i:05d}", name=f"街镇{i}", kind=OrgUnitKind.ZONE, parent=district
        )
        saved = services.save_value(None, ind, unit, parse_period("2019Q4"), Decimal(i + 1))
        services.approve_value(None, saved)
    client.force_login(office)
    url = reverse("dashboards:indicator", args=[tianjin_plan.code, ind.code])
    first = client.get(url)
    rows = first.context["page"].object_list
    assert len(rows) == UNITS_PER_PAGE
    assert first.context["page"].paginator.count == extra
    chart = first.context["charts"]["breakdown"]
    assert sum(1 for u in chart["units"] if u["multiple"]) == UNITS_PER_PAGE
    second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == extra - UNITS_PER_PAGE
    assert {r.unit.pk for r in rows}.isdisjoint(
        r.unit.pk for r in second.context["page"].object_list
    )
