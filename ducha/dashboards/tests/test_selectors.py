"""What the dashboards compute: the "as of" date, the cockpit, breakdowns, scorecards, filters."""

import datetime as dt

import pytest
from django.urls import reverse

from ducha.assessments.services import assess_plan, assess_plan_at, choose_as_of
from ducha.dashboards import providers, selectors
from ducha.engine.assessment import Status

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def test_default_as_of_is_today_while_the_plan_runs(tianjin_plan, scale_history):
    as_of = choose_as_of(tianjin_plan, None, today=D("2019-05-01"))
    assert as_of.date == D("2019-05-01")
    assert as_of.default and not as_of.after_period


def test_once_the_period_is_over_the_default_is_a_quarter_after_its_end(
    tianjin_plan, scale_history
):
    as_of = choose_as_of(tianjin_plan, None, today=D("2026-01-01"))
    assert as_of.date == D("2021-03-31")
    assert as_of.after_period and as_of.reason == "plan_ended"


def test_an_approval_after_that_moves_the_default_to_its_day(tianjin_plan, scale_history, approve):
    approve("TJ-GOAL-SCALE", "120101", "2020Q4", 70, on="2022-05-10")  # a late round
    as_of = choose_as_of(tianjin_plan, None, today=D("2026-01-01"))
    assert as_of.date == D("2022-05-10")
    assert as_of.after_period and as_of.reason == "last_approval"


def test_an_asked_date_is_kept_even_after_the_period(tianjin_plan, scale_history):
    as_of = choose_as_of(tianjin_plan, D("2026-01-01"), today=D("2026-01-01"))
    assert as_of.date == D("2026-01-01")
    assert not as_of.default


def test_replay_walks_quarter_ends_up_to_a_quarter_after_the_end(tianjin_plan, scale_history):
    as_of = choose_as_of(tianjin_plan, None, today=D("2026-01-01"))
    steps = selectors.replay_steps(tianjin_plan, as_of)
    assert steps[0] == D("2018-03-31")
    assert D("2019-12-31") in steps
    assert steps[-1] == D("2021-03-31")
    assert steps == sorted(steps)


def test_replay_ends_at_a_later_approval(tianjin_plan, scale_history, approve):
    approve("TJ-GOAL-SCALE", "120101", "2020Q4", 70, on="2022-05-10")
    asked = choose_as_of(tianjin_plan, D("2019-06-30"), today=D("2026-01-01"))
    steps = selectors.replay_steps(tianjin_plan, asked)
    assert steps[-2:] == [D("2021-03-31"), D("2022-05-10")]
    assert D("2021-06-30") not in steps  # nothing but the late approval after the final date


@pytest.mark.parametrize(
    "day, expected",
    [("2021-02-09", "2020-12-31"), ("2019-06-30", "2019-03-31"), ("2019-01-01", "2018-12-31")],
)
def test_previous_quarter_end(day, expected):
    assert selectors.previous_quarter_end(D(day)) == D(expected)


def test_cockpit_shows_every_headline_and_opens_with_the_industry_scale(
    tianjin_plan, scale_history, office
):
    c = selectors.cockpit(tianjin_plan, D("2020-03-31"), office)
    headline_codes = set(
        tianjin_plan.indicators.filter(headline=True).values_list("code", flat=True)
    )
    assert {h.indicator.code for h in c.headline} == headline_codes
    assert c.focus.indicator.code == "TJ-GOAL-SCALE"


def test_cockpit_counts_every_item_once_in_the_spread(tianjin_plan, scale_history, office):
    c = selectors.cockpit(tianjin_plan, D("2020-03-31"), office)
    assert sum(row.indicators for row in c.spread) == tianjin_plan.indicators.count()
    assert sum(row.milestones for row in c.spread) == tianjin_plan.milestones.count()


def test_changes_since_the_previous_quarter_count_this_quarters_approvals(
    tianjin_plan, scale_history, office
):
    c = selectors.cockpit(tianjin_plan, D("2020-03-31"), office)
    assert c.round.cutoff == D("2019-12-31")
    assert (c.approvals_since, c.units_since) == (2, 2)
    scale = next(h for h in c.headline if h.indicator.code == "TJ-GOAL-SCALE")
    assert scale.before == pytest.approx(530)  # 2019Q2: 50 + 480
    assert scale.a.value == pytest.approx(580)  # 2019Q4: 60 + 520
    assert scale.delta == pytest.approx(50)


def test_a_status_that_changes_between_rounds_is_listed(tianjin_plan, scale_history, office):
    c = selectors.cockpit(tianjin_plan, D("2019-09-30"), office)  # 2019Q2 arrived in Q3
    change = next(ch for ch in c.changes if not ch.is_milestone)
    assert change.item.indicator.code == "TJ-GOAL-SCALE"
    assert change.before == Status.NO_DATA  # one value only: no progress to judge yet
    assert change.after != Status.NO_DATA


def test_lagging_lists_the_worst_first(tianjin_plan, scale_history, approve, office):
    approve("TJ-IND-SENSOR", "TJ-GXJ", "2018Q4", 30, on="2019-01-20")
    approve("TJ-IND-SENSOR", "TJ-GXJ", "2019Q4", 20, on="2020-01-20")
    c = selectors.cockpit(tianjin_plan, D("2020-03-31"), office)
    # A milestone due in 2018 with no report at all is 未完成（无数据） by now: it leads.
    assert (
        c.lagging[0].status == Status.NOT_ACHIEVED_NO_DATA
        and c.lagging[0].milestone.due.year == 2018
    )
    indicators = [item for item in c.lagging if hasattr(item, "indicator")]
    codes = [item.indicator.code for item in indicators]
    assert codes[0] == "TJ-IND-SENSOR"
    assert indicators[0].status == Status.DETERIORATION
    assert "TJ-GOAL-SCALE" in codes
    order = [selectors.STATUS_ORDER.index(item.status) for item in c.lagging]
    assert order == sorted(order)


def test_a_latest_period_with_fewer_units_is_flagged(tianjin_plan, scale_history, approve, office):
    approve("TJ-GOAL-SCALE", "120101", "2020Q1", 70, on="2020-04-20")
    c = selectors.cockpit(tianjin_plan, D("2020-04-30"), office)
    scale = next(h for h in c.headline if h.indicator.code == "TJ-GOAL-SCALE")
    assert scale.units_reported == (1, 2)


def test_breakdown_gives_each_units_share_of_the_plan_wide_value(
    tianjin_plan, scale_history, office
):
    from ducha.assessments.services import assess_plan

    result = assess_plan(tianjin_plan, D("2020-03-31"))
    r = next(x for x in result.indicators if x.indicator.code == "TJ-GOAL-SCALE")
    parts = selectors.breakdown(office, r, D("2020-03-31"))
    shares = {row.unit.code: row.share for row in parts.rows}
    assert shares["120116"] == pytest.approx(520 / 580)
    assert shares["120101"] == pytest.approx(60 / 580)
    assert parts.periods == ["2018Q4", "2019Q2", "2019Q4"]


def test_a_reporter_sees_only_its_own_district_on_the_map(
    tianjin_plan, scale_history, reporter_heping, office
):
    ind = tianjin_plan.indicators.get(code="TJ-GOAL-SCALE")
    mine = {
        c.unit.code: c.value
        for c in selectors.district_layer(reporter_heping, tianjin_plan, ind, D("2020-03-31"))
    }
    everything = {
        c.unit.code: c.value
        for c in selectors.district_layer(office, tianjin_plan, ind, D("2020-03-31"))
    }
    assert len(mine) == len(everything) == 16
    assert mine["120101"] == 60 and mine["120116"] is None
    assert everything["120116"] == 520


def test_share_of_target_is_the_districts_part_of_the_plan_target(
    tianjin_plan, scale_history, office
):
    ind = tianjin_plan.indicators.get(code="TJ-GOAL-SCALE")
    cells = {
        c.unit.code: c for c in selectors.district_layer(office, tianjin_plan, ind, D("2020-03-31"))
    }
    assert cells["120116"].share_of_target == pytest.approx(0.52)
    assert cells["120101"].period == "2019Q4"


def test_timeliness_counts_first_approvals_within_the_window(
    tianjin_plan, scale_history, office, tianjin_units
):
    t = selectors.timeliness_by_unit(office, tianjin_plan, D("2020-12-31"))
    heping, binhai = t[tianjin_units["120101"].pk], t[tianjin_units["120116"].pk]
    assert (heping.approved, heping.on_time) == (3, 3)
    assert (binhai.approved, binhai.on_time) == (3, 2)  # 2019Q4 approved 59 days after
    assert binhai.latest_period == "2019Q4"
    assert binhai.share_on_time == pytest.approx(2 / 3)


def test_scorecard_lists_what_the_unit_leads_and_its_own_figures(
    tianjin_plan, scale_history, office, tianjin_units
):
    from ducha.assessments.services import assess_plan

    result = assess_plan(tianjin_plan, D("2020-03-31"))
    gxj = selectors.scorecard(
        office, tianjin_plan, tianjin_units["TJ-GXJ"], D("2020-03-31"), result
    )
    assert "TJ-GOAL-SCALE" in {r.indicator.code for r in gxj.leads}
    binhai = selectors.scorecard(
        office, tianjin_plan, tianjin_units["120116"], D("2020-03-31"), result
    )
    assert not binhai.leads
    assert "TJ-GOAL-SCALE" in {r.indicator.code for r in binhai.supports}
    [(r, period, value, _share)] = binhai.contributions
    assert (r.indicator.code, period, value) == ("TJ-GOAL-SCALE", "2019Q4", 520)
    assert binhai.counts["approved"] == 3


def test_filter_tree_keeps_only_matching_items_and_their_ancestors(tianjin_plan, scale_history):
    from ducha.assessments.services import assess_plan

    result = assess_plan(tianjin_plan, D("2020-03-31"))
    gxj = tianjin_plan.indicators.get(code="TJ-GOAL-SCALE").lead_unit_id
    roots, n_ind, n_ms = selectors.filter_tree(result, selectors.TreeFilter(lead=gxj, node="2"))
    assert [t.node.node.key for t in roots] == ["2"]
    found = []

    def walk(t):
        found.extend(r.indicator for r in t.indicators)
        for c in t.children:
            walk(c)

    for t in roots:
        walk(t)
    assert found and all(i.lead_unit_id == gxj and i.node.key.startswith("2") for i in found)
    assert n_ind == len(found)
    nothing, n_ind, n_ms = selectors.filter_tree(result, selectors.TreeFilter(year=1999))
    assert (nothing, n_ind, n_ms) == ([], 0, 0)


@pytest.fixture
def plugged():
    """Test providers on every hook for one test, then the shipped ones back."""
    hooks = [
        providers.drilldown,
        providers.ranking,
        providers.parks,
        providers.previous_round,
        providers.unit_scorecard,
    ]
    saved = {hook: hook.provider for hook in hooks}
    yield
    for hook, provider in saved.items():
        if provider is None:
            hook.unregister()
        else:
            hook.register(provider)


def test_providers_plug_in_drilldown_ranking_parks_and_rounds(
    tianjin_plan, scale_history, office, tianjin_units, plugged
):
    providers.drilldown.register(
        lambda ind, unit, period: f"/records/{ind.code}/{unit.code}/{period}"
    )
    providers.ranking.register(
        lambda plan, as_of, user: [providers.RankRow(tianjin_units["120116"].pk, 1, 95.0)]
    )
    providers.parks.register(lambda plan: [providers.ParkPoint("P", "120101", 117.2, 39.1)])
    providers.previous_round.register(lambda plan, as_of: providers.Round(D("2020-02-01"), "R1"))
    providers.unit_scorecard.register(lambda plan, unit, as_of, user: [("rate", "90%", "")])

    result = assess_plan(tianjin_plan, D("2020-03-31"))
    r = next(x for x in result.indicators if x.indicator.code == "TJ-GOAL-SCALE")
    rows = selectors.breakdown(office, r, D("2020-03-31")).rows
    assert {row.drilldown for row in rows} == {
        "/records/TJ-GOAL-SCALE/120116/2019Q4",
        "/records/TJ-GOAL-SCALE/120101/2019Q4",
    }
    cells = {
        c.unit.code: c
        for c in selectors.district_layer(office, tianjin_plan, None, D("2020-03-31"))
    }
    assert cells["120116"].rank == 1 and cells["120101"].rank is None
    assert [p.name for p in selectors.park_points(tianjin_plan)] == ["P"]
    c = selectors.cockpit(tianjin_plan, D("2020-03-31"), office)
    assert (c.round.label, c.approvals_since) == ("R1", 1)  # only 滨海's 2020-02-28 approval
    card = selectors.scorecard(
        office, tianjin_plan, tianjin_units["120116"], D("2020-03-31"), result
    )
    assert card.rank.rank == 1 and card.extra == [("rate", "90%", "")]


def test_without_providers_the_dashboards_fall_back(tianjin_plan, scale_history, office, plugged):
    for hook in (providers.ranking, providers.parks, providers.previous_round):
        hook.unregister()
    c = selectors.cockpit(tianjin_plan, D("2020-03-31"), office)
    assert c.round.cutoff == D("2019-12-31")  # the quarter before
    assert selectors.park_points(tianjin_plan) == []
    cells = selectors.district_layer(office, tianjin_plan, None, D("2020-03-31"))
    assert all(cell.rank is None for cell in cells)


def test_the_park_registers_parks_are_on_the_map(tianjin_plan):
    from ducha.parks.models import Park
    from ducha.parks.services import load_park_file

    load_park_file()
    parks = selectors.park_points(tianjin_plan)
    assert len(parks) == Park.objects.exclude(longitude=None).count() >= 15
    assert any("智能机器人" in p.industries for p in parks)
    teda = Park.objects.get(code="teda")
    point = next(p for p in parks if p.url == reverse("parks:detail", args=[teda.pk]))
    assert (point.lng, point.lat) == (float(teda.longitude), float(teda.latitude))
    assert point.district == "120116"


def test_assessing_several_dates_at_once_equals_assessing_each(
    tianjin_plan, scale_history, approve
):
    approve("TJ-GOAL-SCALE", "120101", "2019Q4", 65, on="2020-03-10")  # a correction
    approve("TJ-IND-SENSOR", "TJ-GXJ", "2019Q4", 20, on="2020-01-20")
    days = [D("2020-03-31"), D("2019-12-31"), D("2020-02-01")]
    together = assess_plan_at(tianjin_plan, days)
    for day, got in zip(days, together, strict=True):
        want = assess_plan(tianjin_plan, day)
        assert got.as_of == day
        assert [
            (r.indicator.code, r.status, r.result.value, r.result.ratio) for r in got.indicators
        ] == [(r.indicator.code, r.status, r.result.value, r.result.ratio) for r in want.indicators]
        assert [m.status for m in got.milestones] == [m.status for m in want.milestones]
        assert [(n.node.key, n.status) for n, _d in got.walk()] == [
            (n.node.key, n.status) for n, _d in want.walk()
        ]
        assert got.overall == want.overall
    scale = next(r for r in together[0].indicators if r.indicator.code == "TJ-GOAL-SCALE")
    assert scale.result.value == 585  # the correction counts from 2020-03-10 on
    scale = next(r for r in together[2].indicators if r.indicator.code == "TJ-GOAL-SCALE")
    # 2020-02-01: 2019Q4 has only 和平 so far (滨海 late), so 2019Q2 is the latest that counts
    assert (scale.result.value, scale.latest_period) == (530, "2019Q2")
    assert [p.period for p in scale.partial_periods] == ["2019Q4"]


def test_one_indicator_assessed_alone_equals_its_plan_assessment(tianjin_plan, scale_history):
    from ducha.assessments.services import assess_plan

    ind = tianjin_plan.indicators.get(code="TJ-GOAL-SCALE")
    alone = selectors.assess_one(ind, D("2020-03-31"))
    full = next(
        r for r in assess_plan(tianjin_plan, D("2020-03-31")).indicators if r.indicator == ind
    )
    assert alone.result == full.result
    assert alone.latest_period == full.latest_period == "2019Q4"


def test_a_memoised_assessment_is_reused_until_the_data_changes(
    tianjin_plan, scale_history, approve
):
    day = D("2020-12-31")
    first = selectors.assessment(tianjin_plan, day)
    assert selectors.assessment(tianjin_plan, day) is first
    approve("TJ-GOAL-SCALE", "120101", "2020Q2", 70, on="2020-07-20")
    approve("TJ-GOAL-SCALE", "120116", "2020Q2", 560, on="2020-07-21")
    again = selectors.assessment(tianjin_plan, day)
    assert again is not first
    scale = next(r for r in again.indicators if r.indicator.code == "TJ-GOAL-SCALE")
    assert scale.latest_period == "2020Q2"


def test_the_data_stamp_moves_with_every_audited_write(tianjin_plan, office):
    from ducha.audit.services import record

    before = selectors.data_stamp()
    record(office, "test.touched", tianjin_plan)
    assert selectors.data_stamp() != before


def test_a_write_committed_late_with_an_older_id_still_moves_the_stamp(transactional_db):
    """Two servers: one's transaction takes an audit id, another's takes the next and commits
    first. When the first commits, its older id must still invalidate every memo."""
    from django.db import connection, connections

    from ducha.audit.services import record

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL hands out ids before commit; SQLite has one writer at a time")
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:  # the slow server: an entry taken, not yet committed
            cursor.execute(
                "INSERT INTO audit_auditentry (created_at, action, object_id, object_repr, "
                "changes, comment) VALUES (now(), 'test.slow', '', '', '{}', '')"
            )
        record(None, "test.fast", None)  # the quick one: a newer id, committed at once
        seen = selectors.data_stamp()
        other.commit()
        assert selectors.data_stamp() != seen
    finally:
        other.close()
