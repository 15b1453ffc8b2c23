"""Objections (申诉) to a score, and how each score was made, as the unit and the office
meet them; and that signing in and looking at pages never moves a score."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.reporting import services as reporting
from ducha.scorecards import services
from ducha.scorecards.models import Objection, ObjectionState

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(tianjin_plan, office):
    rnd = reporting.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
    for a in rnd.assignments.filter(org_unit__code="120101", milestone=None)[:3]:
        a = reporting.save_assignment(None, a, expected_version=None, value="1")
        reporting.submit(None, a, expected_version=None)
    return rnd


def _client(user):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def test_the_scorecard_shows_how_the_score_is_made(reporter_heping, round_):
    response = _client(reporter_heping).get(reverse("scorecards:unit", args=["120101"]))
    html = response.content.decode()
    assert "How the score is made" in html
    parts = response.context["parts"]
    card = response.context["card"]
    assert [p.name for p in parts] == ["timeliness", "completeness", "progress", "quality"]
    assert abs(sum(p.points or 0 for p in parts) - card.total) < 1e-6
    expected = card.tally.expected
    assert f"0 of {expected} expected reports submitted by the deadline" in html
    assert "never sign-ins or clicks" in html


def test_signing_in_and_viewing_pages_never_moves_a_score(office, reporter_heping, round_):
    before = {c.key.pk: c.total for c in services.scorecards(office, round_.plan)}
    client = _client(reporter_heping)
    for _ in range(5):
        client.force_login(reporter_heping)
        client.get(reverse("reporting:assignments"))
        client.get(reverse("scorecards:unit", args=["120101"]))
    after = {c.key.pk: c.total for c in services.scorecards(office, round_.plan)}
    assert after == before


def test_a_unit_files_an_objection_and_the_office_answers_it_on_the_record(
    office, reporter_heping, head_heping, round_
):
    unit_page = reverse("scorecards:unit", args=["120101"])
    reporter = _client(reporter_heping)
    assert "File an objection" in reporter.get(unit_page).content.decode()
    response = reporter.post(
        reverse("scorecards:objection_new", args=["120101"]) + f"?round={round_.pk}",
        {"reason": "第三季度的供应商数已按时报送，系统记为逾期"},
    )
    assert response.status_code == 302
    o = Objection.objects.get()
    assert (o.org_unit.code, o.round, o.state, o.filed_by) == (
        "120101",
        round_,
        ObjectionState.OPEN,
        reporter_heping,
    )
    assert o.score["total"] is not None and len(o.score["parts"]) == 4  # the score as filed
    # a second one while it is open is refused
    reporter.post(
        reverse("scorecards:objection_new", args=["120101"]) + f"?round={round_.pk}",
        {"reason": "再次申诉"},
    )
    assert Objection.objects.count() == 1
    # the office sees it listed, with the count of open ones, and on the ranking
    office_client = _client(office)
    listing = office_client.get(reverse("scorecards:objections"))
    assert listing.context["open_count"] == 1
    assert "1 waits for an answer." in listing.content.decode()
    assert "Objections: 1 open" in office_client.get(reverse("scorecards:ranking")).content.decode()
    # an answer without a note is refused; with one it is recorded
    answer = reverse("scorecards:objection_answer", args=[o.pk])
    office_client.post(answer, {"decision": "accepted", "note": "", "version": o.version})
    assert Objection.objects.get().state == ObjectionState.OPEN
    office_client.post(
        answer, {"decision": "accepted", "note": "已更正提交时间，重新计分", "version": o.version}
    )
    o.refresh_from_db()
    assert (o.state, o.answer, o.answered_by) == (
        ObjectionState.ACCEPTED,
        "已更正提交时间，重新计分",
        office,
    )
    actions = AuditEntry.objects.filter(action__startswith="scorecards.objection").order_by("pk")
    assert [e.action for e in actions] == [
        "scorecards.objection.filed",
        "scorecards.objection.accepted",
    ]
    # the unit (its head too) sees the answer on its scorecard
    html = _client(head_heping).get(unit_page + f"?round={round_.pk}").content.decode()
    assert "已更正提交时间，重新计分" in html and "Accepted" in html
    # answered once: a second answer is a conflict
    response = office_client.post(
        answer, {"decision": "rejected", "note": "不成立", "version": o.version - 1}
    )
    assert response.status_code == 409
    assert Objection.objects.get().state == ObjectionState.ACCEPTED


def test_a_rejection_needs_a_reason(office, reporter_heping, round_):
    unit = reporter_heping.org_unit
    o = services.file_objection(reporter_heping, round_.plan, unit, "分数不对")
    with pytest.raises(services.ScorecardError) as exc:
        services.answer_objection(office, o, "rejected", " ", expected_version=o.version)
    assert exc.value.field == "note"
    o = services.answer_objection(office, o, "rejected", "数据无误", expected_version=o.version)
    assert o.state == ObjectionState.REJECTED


def test_only_the_unit_files_and_only_the_office_answers(
    office, leader, reporter_heping, reporter_binhai, round_
):
    heping = reporter_heping.org_unit
    for who in (office, leader, reporter_binhai):
        with pytest.raises(PermissionDenied):
            services.file_objection(who, round_.plan, heping, "分数不对")
    o = services.file_objection(reporter_heping, round_.plan, heping, "分数不对")
    for who in (leader, reporter_heping):
        with pytest.raises(PermissionDenied):
            services.answer_objection(who, o, "accepted", "好", expected_version=o.version)
    # another unit does not see it
    assert not Objection.objects.for_user(reporter_binhai, "view").exists()
    assert Objection.objects.for_user(leader, "view").count() == 1
