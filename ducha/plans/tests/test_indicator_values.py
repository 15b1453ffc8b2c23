"""The indicator page's values: a summary per org unit a page of units at a time, and the full
unit × period table only on demand, for that page only (at a million values the whole table
was 1.4 MB of HTML)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from ducha.datavalues.models import DataValue
from ducha.datavalues.selectors import UNITS_PER_PAGE
from ducha.engine.periods import Period, periods_between
from ducha.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

QUARTERS = periods_between(Period("quarter", 2011, 1), Period("quarter", 2019, 4))


@pytest.fixture
def history(tianjin_plan):
    """Every district and zone has 36 quarters of one indicator; 和平区's last is a draft."""
    indicator = tianjin_plan.indicators.get(code="TJ-GOAL-SCALE")
    units = list(OrgUnit.objects.exclude(kind="office").order_by("position", "pk"))
    assert len(units) > UNITS_PER_PAGE  # so that there is a second page
    DataValue.objects.bulk_create(
        DataValue(
            indicator=indicator,
            org_unit=unit,
            period=q.code,
            period_end=q.end,
            value=100 + i,
            status="draft" if unit.code == "120101" and q == QUARTERS[-1] else "approved",
        )
        for unit in units
        for i, q in enumerate(QUARTERS)
    )
    return indicator, units


def _page(client, indicator, **query):
    url = reverse("plans:indicator", args=[indicator.plan.code, indicator.code])
    response = client.get(url, {"as_of": "2020-06-30", **query})
    assert response.status_code == 200
    return response


def test_each_unit_has_one_summary_row_with_its_latest_value(client, office, history):
    indicator, units = history
    client.force_login(office)
    response = _page(client, indicator)
    summary = response.context["summary"]
    assert [s.unit for s in summary] == units[:UNITS_PER_PAGE]
    heping = next(s for s in summary if s.unit.code == "120101")
    assert heping.count == len(QUARTERS)
    assert heping.first_end == QUARTERS[0].end and heping.last_end == QUARTERS[-1].end
    assert heping.latest.period == "2019Q4" and heping.latest.status == "draft"
    assert response.context["table"] == []  # not asked for


def test_the_next_page_holds_the_remaining_units(client, office, history):
    indicator, units = history
    client.force_login(office)
    first = _page(client, indicator)
    assert 'href="?as_of=2020-06-30&amp;page=2"' in first.content.decode()
    second = _page(client, indicator, page=2)
    assert [s.unit for s in second.context["summary"]] == units[UNITS_PER_PAGE:][:UNITS_PER_PAGE]


def test_the_full_table_shows_every_period_of_the_pages_units_only(client, office, history):
    indicator, units = history
    client.force_login(office)
    response = _page(client, indicator, table="1", page=2)
    assert response.context["periods"] == [q.code for q in QUARTERS]
    table = response.context["table"]
    assert [u for u, _cells in table] == units[UNITS_PER_PAGE:][:UNITS_PER_PAGE]
    assert all(len(cells) == len(QUARTERS) and all(cells) for _u, cells in table)


def test_the_page_does_not_grow_with_the_history(client, office, history):
    """Twice the periods, the same summary page: its size depends on the units shown."""
    indicator, units = history
    client.force_login(office)
    before = len(_page(client, indicator).content)
    DataValue.objects.bulk_create(
        DataValue(indicator=indicator, org_unit=unit, period=q.code, period_end=q.end, value=1)
        for unit in units
        for q in periods_between(Period("quarter", 2002, 1), Period("quarter", 2010, 4))
    )
    cache.clear()  # rows written around the services leave no audit entry to move the stamp
    after = _page(client, indicator)
    assert abs(len(after.content) - before) < 200  # only dates in the summary change
    assert after.context["summary"][0].count == 2 * len(QUARTERS)


def test_a_reporter_summary_holds_its_own_unit_only(client, reporter_heping, history):
    indicator, _units = history
    client.force_login(reporter_heping)
    response = _page(client, indicator, table="1")
    assert [s.unit.code for s in response.context["summary"]] == ["120101"]
    assert [u.code for u, _cells in response.context["table"]] == ["120101"]


def test_as_of_a_date_the_summary_counts_only_periods_ended_by_then(client, office, history):
    indicator, _units = history
    client.force_login(office)
    url = reverse("plans:indicator", args=[indicator.plan.code, indicator.code])
    response = client.get(url, {"as_of": "2015-12-31"})
    first = response.context["summary"][0]
    assert first.last_end == dt.date(2015, 12, 31) and first.latest.period == "2015Q4"
