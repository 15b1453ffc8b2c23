"""What every page asks on every request (the demo banner, the menu) never scans the values.

A production database holds millions of values and no demo rows: a question such as "are there
demo values?" must be answered from an index, not by reading the table. The test asks the
database how it would run each query a page sends (EXPLAIN) and refuses a plan that reads the
values or approvals tables through (a partial index, which holds only the rows it names, is
fine)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.datavalues.models import ApprovedValue, DataValue
from ducha.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

VALUE_TABLES = (DataValue._meta.db_table, ApprovedValue._meta.db_table)
PARTIAL_INDEXES = {
    index.name
    for model in (DataValue, ApprovedValue)
    for index in model._meta.indexes
    if index.condition is not None
}


@pytest.fixture
def production_values(tianjin_plan, office):
    """Values none of which is demo data, as in production."""
    indicator = tianjin_plan.indicators.order_by("pk").first()
    units = list(OrgUnit.objects.order_by("pk")[:5])
    for i, unit in enumerate(units):
        DataValue.objects.create(
            indicator=indicator,
            org_unit=unit,
            period="2019",
            period_end=dt.date(2019, 12, 31),
            value=10 + i,
            status="approved",
        )
    return units


def _full_scans(sql: str) -> list[str]:
    """The lines of the query's plan that read a values table from end to end."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            lines = [row[-1] for row in cursor.fetchall()]
            return [
                line
                for line in lines
                if line.startswith("SCAN")
                and any(f"SCAN {table}" in line for table in VALUE_TABLES)
                and not any(f"INDEX {name}" in line for name in PARTIAL_INDEXES)
            ]
        # On a small table PostgreSQL would rightly read it through; forbid that to see
        # whether an index could answer at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        lines = [row[0] for row in cursor.fetchall()]
        return [
            line
            for line in lines
            if "Seq Scan" in line and any(f"on {table}" in line for table in VALUE_TABLES)
        ]


def _value_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in VALUE_TABLES)]


def test_the_login_page_asks_for_demo_rows_through_an_index(client, production_values):
    asked = _value_queries(client, reverse("login"))
    assert asked, "the banner's question was not asked: the test would prove nothing"
    assert response_banner(client) is False
    for sql in asked:
        assert _full_scans(sql) == [], sql


def test_a_signed_in_page_with_the_menu_scans_no_values(client, office, production_values):
    client.force_login(office)
    for sql in _value_queries(client, reverse("accounts:password")):
        assert _full_scans(sql) == [], sql


def test_the_banner_still_appears_when_a_demo_value_exists(client, production_values):
    DataValue.objects.filter(pk=DataValue.objects.order_by("pk").first().pk).update(is_demo=True)
    assert response_banner(client) is True


def response_banner(client) -> bool:
    response = client.get(reverse("login"))
    return bool(response.context["demo_mode"])
