"""The reporting sheet: a unit's open assignments on one page, prefilled, saved in one request."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.reporting import prefill, services
from ducha.reporting.models import AssignmentStatus, Evidence, ReportingEffort

S = AssignmentStatus
pytestmark = pytest.mark.django_db
URL = reverse("reporting:sheet")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def earlier(tianjin_plan, office, tianjin_units):
    """2019Q2, approved for 和平区: its suppliers figure 30, narrative, 口径 and a PDF."""
    rnd = services.open_round(office, tianjin_plan, "2019Q2", opened_on=dt.date(2019, 7, 8))
    a = rnd.assignments.get(org_unit=tianjin_units["120101"], indicator__code="TJ-IND-SUPPLIER50")
    services.add_evidence(None, a, SimpleUploadedFile("二季度统计表.pdf", PDF))
    a = services.save_assignment(
        None,
        a,
        expected_version=None,
        value="30",
        narrative="二季度新增供应商两家。",
        source="department",
        source_note="按工信局口径",
    )
    a = services.submit(None, a, expected_version=None)
    return services.approve(None, a, expected_version=None)


def _open(client, user):
    client.force_login(user)
    return client


def _form(rows, **extra):
    """The POST of the sheet for {assignment: {field: value}} (id and version added)."""
    data = {"id": [a.pk for a in rows], **extra}
    for a, fields in rows.items():
        data[f"version-{a.pk}"] = a.version
        for name, value in fields.items():
            data[f"{name}-{a.pk}"] = value
    return data


def test_reporter_sees_every_open_assignment_of_its_unit_and_no_other(
    client, reporter_heping, round_, heping_suppliers, binhai_suppliers
):
    response = _open(client, reporter_heping).get(URL)
    assert response.status_code == 200
    shown = [r["a"] for r in response.context["rows"]]
    assert heping_suppliers in shown and binhai_suppliers not in shown
    assert {a.org_unit_id for a in shown} == {reporter_heping.org_unit_id}
    assert len(shown) == round_.assignments.filter(org_unit=reporter_heping.org_unit).count()
    # opening it starts the clock of the reporting burden
    assert ReportingEffort.objects.filter(assignment=heping_suppliers).get().opened_at


def test_last_period_value_narrative_source_and_evidence_are_proposed_with_their_origin(
    client, reporter_heping, earlier, round_, heping_suppliers
):
    response = _open(client, reporter_heping).get(URL)
    row = next(r for r in response.context["rows"] if r["a"] == heping_suppliers)
    assert row["value"] == "30"
    assert row["narrative"] == "二季度新增供应商两家。"
    assert row["source"] == "department"
    assert [ev.original_name for ev, checked in row["known_evidence"] if checked] == [
        "二季度统计表.pdf"
    ]
    assert row["origins"]["value"] == "the approved figure of 2019年第二季度"
    html = response.content.decode()
    assert "Prefilled: the approved figure of 2019年第二季度" in html


def test_what_the_unit_saved_itself_is_never_replaced_by_a_proposal(
    reporter_heping, earlier, round_, heping_suppliers
):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="44")
    proposal = prefill.proposals_for([a])[a.pk]
    assert proposal.value is None and "value" not in proposal.fields()
    assert proposal.narrative  # still empty here: proposed


def test_confirming_the_proposals_submits_them_all_in_one_save(
    client, reporter_heping, earlier, round_, heping_suppliers
):
    other = round_.assignments.get(
        org_unit=heping_suppliers.org_unit, indicator__code="TJ-SEC-MFG-EQUIP"
    )
    client = _open(client, reporter_heping)
    page = client.get(URL)
    row = next(r for r in page.context["rows"] if r["a"] == heping_suppliers)
    data = _form(
        {
            heping_suppliers: {
                "value": row["value"],
                "narrative": row["narrative"],
                "source": row["source"],
                "source_note": row["source_note"],
                "source_url": row["source_url"],
                "evidence": [str(ev.pk) for ev, _checked in row["known_evidence"]],
            },
            other: {"value": "１，２３４", "narrative": "", "source": "unit_report"},
        },
        submit="1",
    )
    # `other` has no evidence: the sheet asks first and keeps nothing meanwhile
    response = client.post(URL, data)
    assert response.status_code == 200
    assert [a.pk for a in response.context["no_evidence"]] == [other.pk]
    assert 'value="without-evidence"' in response.content.decode()
    other.refresh_from_db()
    assert other.status == S.DRAFT and other.value is None
    response = client.post(URL, {**data, "submit": "without-evidence"})
    assert response.status_code == 302
    heping_suppliers.refresh_from_db()
    other.refresh_from_db()
    assert heping_suppliers.status == S.SUBMITTED and heping_suppliers.value == 30
    assert heping_suppliers.source == "department"
    assert heping_suppliers.source_note == "按工信局口径"
    assert other.status == S.SUBMITTED and other.value == Decimal(1234)  # full-width, 千分位
    # the known file is attached again without an upload: the same stored file
    reused = Evidence.objects.get(assignment=heping_suppliers)
    assert reused.original_name == "二季度统计表.pdf" and reused.file.read() == PDF
    # the same audit entries as the assignment page, plus the reuse
    actions = set(
        AuditEntry.objects.filter(object_id=str(heping_suppliers.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "reporting.assignment.saved",
        "reporting.assignment.submitted",
        "reporting.evidence.reused",
    } <= actions
    effort = heping_suppliers.effort
    assert set(effort.prefilled) == {"value", "narrative", "source", "evidence"}
    assert effort.typed == []  # confirmed, nothing retyped
    assert other.effort.typed == ["value"]


def test_every_row_at_fault_is_named_and_nothing_is_saved(
    client, reporter_heping, round_, heping_suppliers
):
    rows = list(
        round_.assignments.filter(org_unit=heping_suppliers.org_unit, milestone=None).order_by(
            "pk"
        )[:3]
    )
    good, bad_number, bad_percent = rows
    client = _open(client, reporter_heping)
    response = client.post(
        URL,
        _form(
            {
                good: {"value": "5"},
                bad_number: {"value": "五个左右"},
                bad_percent: {"value": "12%"},
            }
        ),
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert set(problems) == {bad_number.pk, bad_percent.pk}
    assert problems[bad_number.pk][0][0] == "value"
    html = response.content.decode()
    assert "五个左右 is not a number" in html and "12% is a percentage" in html
    assert 'value="五个左右"' in html  # the input stays
    for a in rows:
        a.refresh_from_db()
        assert a.value is None and a.version == 1


def test_a_stale_row_is_a_conflict_and_nothing_is_saved(
    client, reporter_heping, head_heping, round_, heping_suppliers
):
    other = round_.assignments.get(
        org_unit=heping_suppliers.org_unit, indicator__code="TJ-SEC-MFG-EQUIP"
    )
    data = _form({heping_suppliers: {"value": "7"}, other: {"value": "8"}})
    services.save_assignment(head_heping, other, expected_version=1, value="9")
    response = _open(client, reporter_heping).post(URL, data)
    assert response.status_code == 409
    assert set(response.context["problems"]) == {other.pk}
    row = next(r for r in response.context["rows"] if r["a"] == other)
    assert row["value"] == "8" and row["version"] == "2"  # input kept, version moved on
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.value is None


def test_an_explanation_a_rule_asks_for_is_a_row_problem(
    client, reporter_heping, earlier, round_, heping_suppliers
):
    response = _open(client, reporter_heping).post(
        URL, _form({heping_suppliers: {"value": "300"}}, submit="1")
    )
    assert response.status_code == 200
    (field, text), *_ = response.context["problems"][heping_suppliers.pk]
    assert field == "explanation" and "moves" in text
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.DRAFT and heping_suppliers.value is None
    response = _open(client, reporter_heping).post(
        URL,
        _form(
            {heping_suppliers: {"value": "300", "explanation": "新统计口径。"}},
            submit="without-evidence",
        ),
    )
    assert response.status_code == 302
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.SUBMITTED


def test_another_units_row_is_refused_and_nothing_saved(
    client, reporter_heping, heping_suppliers, binhai_suppliers
):
    response = _open(client, reporter_heping).post(
        URL, _form({heping_suppliers: {"value": "1"}, binhai_suppliers: {"value": "2"}})
    )
    assert response.status_code == 403
    heping_suppliers.refresh_from_db()
    binhai_suppliers.refresh_from_db()
    assert heping_suppliers.value is None and binhai_suppliers.value is None


def test_evidence_of_another_item_cannot_be_reused(
    client, reporter_heping, earlier, round_, heping_suppliers
):
    other = round_.assignments.get(
        org_unit=heping_suppliers.org_unit, indicator__code="TJ-SEC-MFG-EQUIP"
    )
    known = Evidence.objects.get(assignment=earlier)
    response = _open(client, reporter_heping).post(
        URL, _form({other: {"value": "1", "evidence": [str(known.pk)]}})
    )
    assert response.status_code == 200
    assert response.context["problems"][other.pk][0][0] == "evidence"
    assert not Evidence.objects.filter(assignment=other).exists()


def test_leaders_have_no_sheet_and_the_office_picks_a_unit(
    client, leader, office, round_, heping_suppliers
):
    assert _open(client, leader).get(URL).status_code == 403
    client = _open(client, office)
    chooser = client.get(URL)
    assert chooser.status_code == 200 and "和平区" in chooser.content.decode()
    sheet = client.get(URL, {"unit": heping_suppliers.org_unit_id})
    assert heping_suppliers in [r["a"] for r in sheet.context["rows"]]
    # the office opening it starts nobody's clock
    assert not ReportingEffort.objects.exists()


def test_the_registers_propose_the_figure_of_an_indicator_with_a_computation(
    reporter_heping, round_, heping_suppliers, tianjin_units
):
    from ducha.projects.models import Project

    indicator = heping_suppliers.indicator
    indicator.computation = {
        "register": "projects",
        "measure": "count",
        "filters": {"type": "city_pilot"},
        "date": "signed_on",
    }
    indicator.save(update_fields=["computation"])
    for n in range(3):
        Project.objects.create(
            code=f"P-{n}",
            name=f"示范项目{n}",
            type="city_pilot",
            stage="signed",
            district=tianjin_units["120101"],
            signed_on=dt.date(2019, 5, 1),
        )
    heping_suppliers.refresh_from_db()
    proposal = prefill.proposals_for([heping_suppliers])[heping_suppliers.pk]
    assert proposal.value == 3
    assert proposal.value_origin.kind == prefill.REGISTER
    assert proposal.value_origin.period == "2019Q3"


def test_the_sheet_asks_the_database_the_same_number_of_times_for_more_rows(
    client, reporter_heping, earlier, round_, office
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _open(client, reporter_heping)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        return len(response.context["rows"]), len(queries)

    rows, queries = count()
    services.open_round(office, round_.plan, "2019Q4", opened_on=dt.date(2020, 1, 6))
    more_rows, more_queries = count()
    assert more_rows > rows
    assert more_queries == queries


def test_the_round_page_shows_the_burden_the_units_carried(
    client, reporter_heping, office, earlier, round_, heping_suppliers
):
    other = round_.assignments.get(
        org_unit=heping_suppliers.org_unit, indicator__code="TJ-SEC-MFG-EQUIP"
    )
    client = _open(client, reporter_heping)
    page = client.get(URL)
    row = next(r for r in page.context["rows"] if r["a"] == heping_suppliers)
    client.post(
        URL,
        _form(
            {
                heping_suppliers: {
                    "value": row["value"],
                    "narrative": "三季度无新增。",  # changed from last period's
                    "source": row["source"],
                    "source_note": row["source_note"],
                    "source_url": row["source_url"],
                    "evidence": [str(ev.pk) for ev, _c in row["known_evidence"]],
                },
            },
            submit="1",
        ),
    )
    # filled on its own page: every field it holds was typed
    services.save_assignment(
        reporter_heping, other, expected_version=1, value="4", narrative="新增"
    )
    client = _open(client, office)
    response = client.get(reverse("reporting:round", args=[round_.pk]))
    burden = response.context["burden"]
    heping = next(u for u in burden.units if u.unit == heping_suppliers.org_unit)
    assert heping.prefilled == 4  # value, narrative, source, evidence proposed
    assert heping.confirmed == 3  # all but the narrative kept
    assert heping.typed == 1 + 2  # the narrative; the other's value and narrative
    assert heping.submitted == 1 and heping.hours is not None
    html = response.content.decode()
    assert "Reporting burden" in html and "Logins and clicks are never counted" in html
    # a unit sees its own burden only
    client = _open(client, reporter_heping)
    burden = client.get(reverse("reporting:round", args=[round_.pk])).context["burden"]
    assert [u.unit for u in burden.units] == [heping_suppliers.org_unit]


def test_a_row_with_its_earlier_evidence_ticked_is_submitted_without_asking(
    client, reporter_heping, earlier, round_, heping_suppliers
):
    row = next(
        r
        for r in _open(client, reporter_heping).get(URL).context["rows"]
        if r["a"] == heping_suppliers
    )
    ticked = [str(ev.pk) for ev, checked in row["known_evidence"] if checked]
    data = _form({heping_suppliers: {"value": "31", "evidence": ticked}}, submit="1")
    assert client.post(URL, data).status_code == 302
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.SUBMITTED
    assert heping_suppliers.evidence.filter(archived_at=None).count() == 1
