"""The reporting API: the same rules as the pages, answered in JSON."""

import pytest

from ducha.reporting import services
from ducha.reporting.models import AssignmentStatus, RoundState

S = AssignmentStatus
pytestmark = pytest.mark.django_db
URL = "/api/reporting/assignments"


@pytest.fixture
def api(client, reporter_heping):
    client.force_login(reporter_heping)
    return client


def put(client, pk, body):
    return client.put(f"{URL}/{pk}", body, content_type="application/json")


def post(client, pk, step, body):
    return client.post(f"{URL}/{pk}/{step}", body, content_type="application/json")


def test_list_my_assignments_only(api, round_, heping_suppliers):
    response = api.get(URL, {"limit": 500})
    assert response.status_code == 200
    items = response.json()["items"]
    assert items and {i["org_unit"] for i in items} == {"120101"}
    assert response.json()["count"] == round_.assignments.filter(org_unit__code="120101").count()


def test_anonymous_gets_401(client, round_):
    assert client.get(URL).status_code == 401


def test_save_then_submit(api, heping_suppliers):
    response = put(api, heping_suppliers.pk, {"version": 1, "value": "12", "narrative": "说明"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert float(body["value"]) == 12
    response = post(api, heping_suppliers.pk, "submit", {"version": body["version"]})
    assert response.status_code == 200 and response.json()["status"] == S.SUBMITTED


def test_forged_org_unit_in_the_body_is_refused(api, heping_suppliers):
    response = put(api, heping_suppliers.pk, {"version": 1, "value": "5", "org_unit": "120116"})
    assert response.status_code == 400
    assert response.json()["field"] == "org_unit"
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.value is None and heping_suppliers.version == 1


def test_forged_assignment_id_is_not_found(api, binhai_suppliers):
    assert put(api, binhai_suppliers.pk, {"version": 1, "value": "5"}).status_code == 404
    binhai_suppliers.refresh_from_db()
    assert binhai_suppliers.value is None


def test_submission_to_a_closed_round_is_refused(api, office, heping_suppliers):
    put(api, heping_suppliers.pk, {"version": 1, "value": "5"})
    services.change_round_state(office, heping_suppliers.round, RoundState.CLOSED)
    response = post(api, heping_suppliers.pk, "submit", {"version": 2})
    assert response.status_code == 400 and "closed" in response.json()["detail"]
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.DRAFT


def test_two_edits_at_once_the_second_gets_409(api, heping_suppliers):
    assert put(api, heping_suppliers.pk, {"version": 1, "value": "5"}).status_code == 200
    response = put(api, heping_suppliers.pk, {"version": 1, "value": "6"})
    assert response.status_code == 409
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.value == 5


def test_bad_value_names_the_field(api, heping_suppliers):
    response = put(api, heping_suppliers.pk, {"version": 1, "value": "很多"})
    assert response.status_code == 400 and response.json()["field"] == "value"


def test_office_approves_and_returns_through_the_api(
    client, reporter_heping, office, heping_suppliers
):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="5")
    a = services.submit(reporter_heping, a, expected_version=a.version)
    client.force_login(office)
    response = post(client, a.pk, "approve", {"version": a.version})
    assert response.status_code == 200 and response.json()["status"] == S.APPROVED
    response = post(client, a.pk, "reopen", {"version": response.json()["version"], "reason": ""})
    assert response.status_code == 400 and response.json()["field"] == "reason"


def test_reporter_cannot_approve_through_the_api(api, reporter_heping, heping_suppliers):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="5")
    a = services.submit(reporter_heping, a, expected_version=a.version)
    assert post(api, a.pk, "approve", {"version": a.version}).status_code == 403


def test_leader_reads_but_cannot_write(client, leader, heping_suppliers):
    client.force_login(leader)
    assert client.get(f"{URL}/{heping_suppliers.pk}").status_code == 200
    assert put(client, heping_suppliers.pk, {"version": 1, "value": "5"}).status_code == 403


def test_openapi_schema_is_served_locally(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/reporting/assignments" in response.json()["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"cdn." not in docs.content
