"""Ranking and scorecards as each role meets them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from ducha.reporting import services as reporting
from ducha.scorecards import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def round_(tianjin_plan, office):
    return reporting.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))


def _report(unit_code, round_, n):
    for a in round_.assignments.filter(org_unit__code=unit_code, milestone=None)[:n]:
        a = reporting.save_assignment(None, a, expected_version=None, value="1")
        reporting.submit(None, a, expected_version=None)


def test_unit_that_reports_ranks_above_one_that_does_not(round_, office):
    _report("120101", round_, 4)
    cards = {c.key.code: c for c in services.scorecards(office, round_.plan)}
    heping, hedong = cards["120101"], cards["120102"]
    assert heping.tally.reported == 4 and hedong.tally.reported == 0
    assert heping.tally.expected == hedong.tally.expected > 4
    assert heping.rank < hedong.rank
    # submitted today, long after the 2019 deadline: reported but not on time
    assert heping.tally.on_time == 0 and heping.reporting_rate > 0


def test_office_sees_the_ranking(client, office, round_):
    client.force_login(office)
    response = client.get(reverse("scorecards:ranking"))
    assert response.status_code == 200
    assert len(response.context["cards"]) > 16


def test_unit_sees_only_its_own_scorecard(client, reporter_heping, round_):
    client.force_login(reporter_heping)
    response = client.get(reverse("scorecards:ranking"))
    assert response.status_code == 302 and response["Location"].endswith("/units/120101/")
    assert client.get(reverse("scorecards:unit", args=["120101"])).status_code == 200
    assert client.get(reverse("scorecards:unit", args=["120116"])).status_code == 404


def test_only_the_office_sets_weights(client, office, leader, tianjin_plan):
    with pytest.raises(PermissionDenied):
        services.set_weights(leader, tianjin_plan, {"timeliness": 50})
    with pytest.raises(services.ScorecardError):
        services.set_weights(office, tianjin_plan, dict.fromkeys(services.WEIGHT_FIELDS, 0))
    client.force_login(office)
    client.post(
        reverse("scorecards:weights"),
        {"timeliness": 50, "completeness": 20, "progress": 20, "quality": 10},
    )
    assert services.weights_for(tianjin_plan).timeliness == 50
    client.force_login(leader)
    assert client.get(reverse("scorecards:weights")).status_code == 403


def test_a_closed_rounds_card_judges_progress_on_what_was_approved_when_it_closed(round_, office):
    # a figure the lead unit reports for the whole city counts on its own
    a = round_.assignments.filter(milestone=None, org_unit=F("indicator__lead_unit")).first()
    a = reporting.save_assignment(None, a, expected_version=None, value="1000", narrative="进展")
    a = reporting.submit(None, a, expected_version=None)
    reporting.approve(office, a, expected_version=a.version)
    round_.closed_at = dt.datetime(2019, 10, 31, 12, tzinfo=dt.UTC)
    round_.save(update_fields=["closed_at"])
    lead = a.indicator.lead_unit

    def lead_card(cards):
        return next(c for c in cards if c.key.pk == lead.pk)

    closed = lead_card(services.scorecards(office, round_.plan, [round_]))
    now = services.progress_by_unit(round_.plan)[lead.pk]
    then = services.progress_by_unit(round_.plan, dt.date(2019, 10, 31))[lead.pk]
    assert services.as_of_for(round_.plan, [round_]) == dt.date(2019, 10, 31)
    assert then != now  # the approval came after the round closed
    assert (closed.progress_score, closed.led_items) == then
    [(rnd, history)] = services.cards_by_round(office, round_.plan, [round_])
    assert rnd == round_ and lead_card(history).progress_score == closed.progress_score


def test_opening_a_round_not_yet_due_does_not_lower_any_units_rates(round_, office):
    _report("120101", round_, 4)
    before = {c.key.code: c for c in services.scorecards(office, round_.plan)}
    # A new round, due in the future: nothing in it is expected until it is due or submitted.
    later = reporting.open_round(office, round_.plan, "2019Q4", opened_on=timezone.localdate())
    assert later.deadline > timezone.localdate()
    after = {c.key.code: c for c in services.scorecards(office, round_.plan)}
    for code in ("120101", "120102"):
        assert after[code].tally.expected == before[code].tally.expected
        assert after[code].reporting_rate == before[code].reporting_rate
        assert after[code].on_time_rate == before[code].on_time_rate
    # A submission in the new round counts at once (expected and received).
    a = later.assignments.filter(org_unit__code="120102", milestone=None).first()
    a = reporting.save_assignment(None, a, expected_version=None, value="1")
    reporting.submit(None, a, expected_version=None)
    hedong = {c.key.code: c for c in services.scorecards(office, round_.plan)}["120102"]
    assert hedong.tally.expected == before["120102"].tally.expected + 1
    assert hedong.tally.reported == 1 and hedong.tally.on_time == 1
    # Once the deadline has passed, the whole round is expected.
    total = services.tallies([later], today=later.deadline + dt.timedelta(days=1))
    assert total[a.org_unit_id].expected == later.assignments.filter(org_unit=a.org_unit).count()


def test_every_score_on_the_ranking_and_a_scorecard_is_explained_and_links_the_method(
    client, office, round_
):
    _report("120101", round_, 2)
    client.force_login(office)
    method = reverse("assessments:method")
    explained = (
        '<abbr title="Ranking score 0–100: the weighted mean of timeliness, completeness, '
        "progress of the items the unit leads (their roll-up score out of 4, as a share) and "
        f'evidence quality, with the weights the office sets.">Score</abbr> '
        f'<a class="noprint help-link" href="{method}#ranking"'
    )
    for url in (reverse("scorecards:ranking"), reverse("scorecards:unit", args=["120101"])):
        html = client.get(url).content.decode()
        shown = html.count(">Score<")
        assert shown and html.count(explained) == shown, url  # no score left unexplained
        assert "Reporting rate: reports received / reports expected" in html, url
    assert client.get(method).status_code == 200
