"""The shipped providers: registers' drill-down, the park register, rounds and the ranking."""

import datetime as dt

import pytest
from django.urls import resolve, reverse

from ducha.dashboards import providers, selectors, wiring
from ducha.orgunits.models import OrgUnit
from ducha.parks.models import Park
from ducha.reporting.models import Round, RoundState
from ducha.scorecards.services import scorecards

pytestmark = pytest.mark.django_db

PASSWORD = "ducha-demo-2018"


def _user(username):
    from ducha.accounts.models import User

    return User.objects.get(username=username)


def test_the_shipped_providers_are_plugged_in():
    assert providers.drilldown.provider is wiring.records_behind
    assert providers.parks.provider is wiring.park_points
    assert providers.previous_round.provider is wiring.last_closed_round
    assert providers.ranking.provider is wiring.ranking
    assert providers.unit_scorecard.provider is wiring.unit_scorecard


def test_a_computed_value_opens_the_records_behind_it(client, demo):
    client.login(username="office", password=PASSWORD)
    url = reverse("dashboards:indicator", args=[demo.plan.code, "TJ-GOAL-PILOT"])
    response = client.get(url)
    assert response.status_code == 200
    rows = [row for row in response.context["parts"].rows if row.drilldown]
    assert rows, "no district row links to its records"
    assert all(resolve(row.drilldown.split("?")[0]).url_name == "drilldown" for row in rows)
    records = client.get(rows[0].drilldown)
    assert records.status_code == 200
    assert rows[0].unit.label in records.content.decode()
    plan_wide = response.context["drilldown_plan_wide"]
    assert plan_wide and client.get(plan_wide).status_code == 200
    assert not response.context["drilldown_missing"]


def test_a_manual_value_has_no_records_link(demo):
    ind = demo.plan.indicators.get(code="TJ-IND-SUPPLIER50")
    assert wiring.records_behind(ind, None, "2019Q4") is None


def test_the_cockpit_compares_with_the_last_closed_round(demo):
    as_of = dt.date(2021, 3, 31)
    closed = (
        Round.objects.filter(plan=demo.plan, state=RoundState.CLOSED).order_by("-closed_at").first()
    )
    assert closed is not None
    c = selectors.cockpit(demo.plan, as_of, _user("office"))
    assert c.round.label == closed.title
    assert c.round.cutoff < as_of
    before_first = (
        Round.objects.filter(plan=demo.plan, state=RoundState.CLOSED).order_by("closed_at").first()
    )
    early = selectors.cockpit(demo.plan, before_first.period_end, _user("office"))
    assert early.round.label != before_first.title  # no round closed yet: the quarter before


def test_the_unit_page_shows_its_place_and_links_to_its_scorecard(client, demo):
    client.login(username="office", password=PASSWORD)
    heping = OrgUnit.objects.get(code="120101")
    response = client.get(reverse("dashboards:unit", args=[demo.plan.code, "120101"]))
    assert response.status_code == 200
    office = _user("office")
    expected = next(c for c in scorecards(office, demo.plan) if c.key.pk == heping.pk)
    card = response.context["card"]
    assert card.rank is not None and card.rank.rank == expected.rank
    page = response.content.decode()
    scorecard_url = reverse("scorecards:unit", args=["120101"])
    assert scorecard_url in page and f"#{expected.rank}" in page
    assert client.get(card.rank.url).status_code == 200
    assert card.extra[0][0] == "报送率"  # the scorecard's rates


def test_a_reporter_sees_only_its_own_place(demo):
    heping = _user("heping")
    rows = wiring.ranking(demo.plan, dt.date(2026, 1, 1), heping)
    assert [row.org_unit_id for row in rows] == [heping.org_unit_id]


def test_before_the_first_round_there_is_no_ranking(client, demo):
    first = Round.objects.filter(plan=demo.plan).order_by("opened_on").first()
    day = first.opened_on - dt.timedelta(days=1)
    assert wiring.ranking(demo.plan, day, _user("office")) is None
    client.login(username="office", password=PASSWORD)
    response = client.get(
        reverse("dashboards:map", args=[demo.plan.code]), {"as_of": day.isoformat()}
    )
    assert "rank" not in dict(response.context["measures"])


def test_the_map_shows_the_park_registers_parks(client, demo):
    client.login(username="office", password=PASSWORD)
    response = client.get(reverse("dashboards:map", args=[demo.plan.code]))
    parks = response.context["charts"]["parks"]
    assert len(parks) == Park.objects.exclude(longitude=None).count() >= 15
    assert all(p["url"].startswith(reverse("parks:list")) for p in parks)
