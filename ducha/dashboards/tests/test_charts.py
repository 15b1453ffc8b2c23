"""Charts that add up: what each chart plots (the page's JSON data block) is what the table or
the assessment beside it says, and no chart stacks a total on its own parts.

Charts audited: the cockpit's focus trajectory, its status spread and its sparklines; an
indicator's trajectory, its stacked contributions and its small multiples (dashboards); the
plan page's indicator chart; the district map. (Scorecards, the portal and the registers draw
no chart.)
"""

from __future__ import annotations

import html as htmllib
import json
import math
import re

import pytest
from django.urls import reverse

from ducha.assessments.services import assess_indicators, assess_plan, choose_as_of
from ducha.engine.units import format_quantity
from ducha.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

MID_PLAN = "2020-06-30"


def data_block(html: str, element_id: str) -> dict:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, element_id
    return json.loads(found.group(1))


def get(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def office(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    return client


def text_of(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.mark.parametrize("as_of", [MID_PLAN, None])
def test_cockpit_spread_chart_counts_what_its_table_says(office, demo, as_of):
    params = {"as_of": as_of} if as_of else {}
    html = get(office, reverse("dashboards:cockpit", args=[demo.plan.code]), **params)
    spread = data_block(html, "cockpit-data")["spread"]
    rows = dict(
        (status, (int(i), int(m)))
        for status, i, m in re.findall(
            r'<tr data-status="([a-z_]+)">.*?<td class="num">(\d+)</td><td class="num">(\d+)</td>',
            html,
            re.S,
        )
    )
    plotted = {
        s: (i, m)
        for s, i, m in zip(
            spread["statuses"], spread["indicators"], spread["milestones"], strict=True
        )
    }
    assert plotted == rows
    result = assess_plan(
        demo.plan, choose_as_of(demo.plan, None).date if not as_of else _day(as_of)
    )
    assert sum(i for i, _m in rows.values()) == len(result.indicators)
    assert sum(m for _i, m in rows.values()) == len(result.milestones)


def _day(text):
    import datetime as dt

    return dt.date.fromisoformat(text)


@pytest.mark.parametrize("as_of", [MID_PLAN, None])
def test_cockpit_focus_chart_plots_the_assessed_series(office, demo, as_of):
    params = {"as_of": as_of} if as_of else {}
    html = get(office, reverse("dashboards:cockpit", args=[demo.plan.code]), **params)
    focus = data_block(html, "cockpit-data")["focus"]
    ind = demo.plan.indicators.get(code="TJ-GOAL-SCALE")  # the focus: the heaviest, money
    day = _day(as_of) if as_of else choose_as_of(demo.plan, None).date
    [r] = assess_indicators([ind], day)
    a = r.result
    assert [v for _d, v in focus["actual"]] == [round(p.value, 4) for p in r.series]
    assert focus["actual"][-1][1] == pytest.approx(a.value)
    shown = re.search(r'<strong class="big">([^<]+)</strong>', html).group(1)
    assert shown == format_quantity(a.value, ind.unit)
    assert focus["target"] == a.target_value
    if a.final:  # after the deadline nothing is forecast, on the chart either
        assert focus["forecast"] == [] and focus["final"]
    else:
        assert focus["forecast"][-1][1] == pytest.approx(a.forecast, abs=1e-4)
    # the sparklines draw the same series as the headline cards
    sparks = data_block(html, "cockpit-data")["sparklines"]
    assert sparks["TJ-GOAL-SCALE"] == focus["actual"]


SUMMED = ["TJ-GOAL-SCALE", "TJ-IND-ROBOT", "TJ-GOAL-LEADERS", "TJ-SEC-MFG-CITYPILOT"]


@pytest.mark.parametrize("code", SUMMED)
def test_stacked_chart_never_stacks_a_total_on_its_parts(office, demo, code):
    """Bars are the parts of the plan-wide sum; the plan-wide value (the city's own figure
    where it reported one) is a line beside them, equal to the trajectory's actual values."""
    html = get(office, reverse("dashboards:indicator", args=[demo.plan.code, code]))
    charts = data_block(html, "indicator-data")
    b, actual = charts["breakdown"], charts["trajectory"]["actual"]
    assert b["stack"]
    by_end = {end: value for end, value in actual}
    whole_city = {u.code for u in OrgUnit.objects.filter(kind__in=["city", "department", "office"])}
    for i, end in enumerate(b["periods"]):
        parts = [u["parts"][i] for u in b["units"] if u["parts"][i] is not None]
        assert not [
            u["code"] for u in b["units"] if u["parts"][i] is not None and u["code"] in whole_city
        ]
        total = b["total"][i]
        if total is None:
            assert not parts
            continue
        assert by_end[end] == pytest.approx(total, abs=1e-4)
        if not parts:
            continue
        city_figure = any(u["values"][i] is not None for u in b["units"] if u["code"] in whole_city)
        if city_figure:
            # the city's own figure is the line; its districts' figures, rounded by each
            # district, add up to it within rounding (never to twice it)
            assert math.fsum(parts) == pytest.approx(total, rel=1e-3), end
        else:  # the plan-wide value is the sum of the bars
            assert math.fsum(parts) == pytest.approx(total, rel=1e-9, abs=1e-6), end


def test_the_demo_city_total_is_a_line_and_the_districts_are_the_bars(office, demo):
    html = get(office, reverse("dashboards:indicator", args=[demo.plan.code, "TJ-GOAL-SCALE"]))
    b = data_block(html, "indicator-data")["breakdown"]
    city = next(u for u in b["units"] if u["code"] == "120000")
    assert all(v is None for v in city["parts"])  # 天津 reported, but is not stacked
    last = len(b["periods"]) - 1
    districts = [u for u in b["units"] if u["parts"][last] is not None]
    assert len(districts) == 16 and b["total"][last] == city["values"][last]


@pytest.mark.parametrize("code", SUMMED)
def test_unit_table_and_small_multiples_show_the_same_figures(office, demo, code):
    ind = demo.plan.indicators.get(code=code)
    html = get(office, reverse("dashboards:indicator", args=[demo.plan.code, code]))
    b = data_block(html, "indicator-data")["breakdown"]
    rows = re.findall(
        r'<tr data-unit="(\d+)" data-period="([^"]*)">.*?<td class="num latest">([^<]*)</td>',
        html,
        re.S,
    )
    assert rows
    by_code = {u["code"]: u for u in b["units"]}
    from ducha.engine.periods import parse_period

    for unit, period, shown in rows:
        values = by_code[unit]["values"]
        i = b["periods"].index(parse_period(period).end.isoformat())
        assert text_of(shown) == f"{format_quantity(values[i], ind.unit)} {ind.unit}"


@pytest.mark.parametrize("as_of", [MID_PLAN, None])
def test_indicator_trajectory_plots_what_the_kpis_say(office, demo, as_of):
    params = {"as_of": as_of} if as_of else {}
    day = _day(as_of) if as_of else choose_as_of(demo.plan, None).date
    for code in ("TJ-GOAL-SCALE", "TJ-SEC-AGRI-PARKS"):
        ind = demo.plan.indicators.get(code=code)
        [r] = assess_indicators([ind], day)
        for url, block in (
            (reverse("dashboards:indicator", args=[demo.plan.code, code]), "indicator-data"),
            (reverse("plans:indicator", args=[demo.plan.code, code]), "chart-data"),
        ):
            html = get(office, url, **params)
            data = data_block(html, block)
            data = data.get("trajectory", data)
            assert [v for _d, v in data["actual"]] == [round(p.value, 4) for p in r.series]
            kpi = re.search(r'<div class="num kpi-latest">([^<]*)</div>', html).group(1)
            assert kpi == format_quantity(r.result.value, ind.unit)
            assert data["digits"] == (1 if ind.unit == "亿元" else 0)
            if r.result.final:
                assert data["forecast"] == []


def test_map_shades_the_figures_its_list_gives(office, demo):
    html = get(office, reverse("dashboards:map", args=[demo.plan.code]), indicator="TJ-GOAL-SCALE")
    data = data_block(html, "map-data")
    listed = dict(
        (unit, text_of(value))
        for unit, value in re.findall(
            r'<li data-unit="(\d+)">.*?<span class="num">(.*?)</span>', html, re.S
        )
    )
    plotted = {d["code"]: d["value"] for d in data["districts"] if d["value"] is not None}
    assert listed and set(listed) == set(plotted)
    for unit, value in plotted.items():
        assert listed[unit] == format_quantity(value, "亿元")
