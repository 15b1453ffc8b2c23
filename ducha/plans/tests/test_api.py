"""The read API: plans, their assessment and their values, as other systems read them."""

import base64
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from ducha.assessments.serializers import assessment_document
from ducha.assessments.services import assess_plan, choose_as_of
from ducha.datavalues.models import DataValue
from ducha.datavalues.tests.test_import import COUNT, HEADER

pytestmark = pytest.mark.django_db


def basic(username, password="pw-for-tests-only") -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def values(tianjin_plan, tmp_path):
    """和平区 and 滨海新区 each report a count for 2019Q3 (approved, as an import is)."""
    path = tmp_path / "values.csv"
    path.write_text(
        HEADER + f"{COUNT},和平区,2019Q3,12,和平\n{COUNT},滨海新区,2019Q3,30,滨海\n",
        encoding="utf-8",
    )
    call_command("importvalues", str(path), stdout=io.StringIO())
    return tianjin_plan


def test_a_plan_comes_with_its_tree_and_every_target(client, office, tianjin_plan):
    client.force_login(office)
    doc = client.get(f"/api/plans/{tianjin_plan.code}").json()
    assert doc["code"] == tianjin_plan.code and doc["period_end"] == 2020
    codes = {i["code"] for i in doc["indicators"]}
    assert codes == set(tianjin_plan.indicators.values_list("code", flat=True))
    scale = next(i for i in doc["indicators"] if i["code"] == "TJ-GOAL-SCALE")
    assert float(scale["target_min"]) == 1000 and scale["unit"] == "亿元"
    assert scale["direction"] == "increase"
    keys = {n["key"] for n in doc["nodes"]}
    assert all(n["parent"] is None or n["parent"] in keys for n in doc["nodes"])
    assert all(i["node"] in keys for i in doc["indicators"])


def test_the_assessment_is_the_document_the_command_prints(client, leader, values):
    client.force_login(leader)
    doc = client.get(f"/api/assessments/{values.code}", {"as_of": "2019-12-31"}).json()
    rule = choose_as_of(values, dt.date(2019, 12, 31))
    assert doc == assessment_document(values, rule, assess_plan(values, rule.date))
    assert doc["as_of"] == "2019-12-31"


def test_a_bad_as_of_date_is_refused_naming_the_parameter(client, leader, tianjin_plan):
    client.force_login(leader)
    response = client.get(f"/api/assessments/{tianjin_plan.code}", {"as_of": "2019-13-45"})
    assert response.status_code == 422
    assert "as_of" in str(response.json()["detail"])


def test_a_reporter_reads_only_the_values_of_its_own_district(client, reporter_heping, values):
    client.force_login(reporter_heping)
    rows = client.get("/api/values", {"indicator": COUNT}).json()["items"]
    assert {(r["org_unit"], float(r["value"])) for r in rows} == {("120101", 12.0)}


def test_the_office_pages_through_every_value_by_following_next(client, office, values):
    client.force_login(office)
    first = client.get("/api/values", {"plan": values.code, "limit": 1}).json()
    assert first["next"] and "cursor=" in first["next"] and "plan=" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None  # two values: the second page is the last
    assert first["items"][0] != second["items"][0]
    everything = client.get("/api/values", {"plan": values.code}).json()
    assert everything["items"] == first["items"] + second["items"]
    by_period = client.get("/api/values", {"period": "2019Q3", "org_unit": "120116"}).json()
    assert [(r["indicator"], r["note"]) for r in by_period["items"]] == [(COUNT, "滨海")]


def test_scripts_sign_in_with_http_basic(office, values):
    client = Client()
    assert client.get("/api/plans").status_code == 401
    assert client.get("/api/plans", **basic("office")).status_code == 200
    assert client.get("/api/plans", **basic("office", "wrong")).status_code == 401


def test_basic_sign_in_failures_lock_the_account_as_the_login_page_does(office, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.get("/api/plans", **basic("office", "wrong"))
    # the right password no longer opens it
    assert client.get("/api/plans", **basic("office")).status_code in (401, 403, 429)


def test_basic_auth_does_not_open_the_writing_api(office, values):
    response = Client().get("/api/reporting/assignments", **basic("office"))
    assert response.status_code == 401


def test_a_page_larger_than_the_server_allows_is_refused_naming_limit(client, office, values):
    from django.conf import settings

    client.force_login(office)
    cap = settings.NINJA_PAGINATION_MAX_LIMIT
    refused = client.get("/api/values", {"limit": cap + 1})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "limit"]
    assert client.get("/api/values", {"limit": cap}).status_code == 200


def test_a_value_added_while_paging_neither_repeats_nor_shifts_a_row(client, office, values):
    client.force_login(office)
    first = client.get("/api/values", {"limit": 1}).json()
    added = DataValue.objects.order_by("pk").first()
    added.pk, added.period = None, "2019Q4"
    added.period_end = dt.date(2019, 12, 31)
    added.save()
    rest, url = [], first["next"]
    while url:
        page = client.get(url).json()
        rest += page["items"]
        url = page["next"]
    seen = [(r["indicator"], r["org_unit"], r["period"]) for r in first["items"] + rest]
    assert len(seen) == len(set(seen)) == DataValue.objects.count()


def test_an_offset_is_refused_naming_it_rather_than_repeating_page_one(client, office, values):
    client.force_login(office)
    refused = client.get("/api/values", {"offset": 100})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "offset"]


def test_a_value_row_never_reads_the_plans_source_text(client, office, values):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/values").status_code == 200
    page = [q["sql"] for q in queries.captured_queries if "datavalues_datavalue" in q["sql"]]
    assert page
    assert not any("source_text" in sql or "preamble" in sql for sql in page)
