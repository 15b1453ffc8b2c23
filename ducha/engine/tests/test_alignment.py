"""The pure side of plan alignment: suggestions, coverage, measure groups, merged values."""

from ducha.engine import alignment as al

CITY = ("120000",)
BINHAI = ("120116", "120000")
HEPING = ("120101", "120000")


def target(id, name, unit="亿元", plan="city", region=CITY, period=(2018, 2020), **kw):
    return al.Target(id=id, plan=plan, name=name, unit=unit, region=region, period=period, **kw)


def test_a_district_target_is_suggested_as_contributing_to_the_city_target_of_that_name():
    city = [target(1, "智能科技产业规模", target_min=1000), target(2, "领军企业", unit="家")]
    district = target(10, "人工智能核心产业规模", plan="binhai", region=BINHAI)
    [p] = al.propose([district], city)
    assert (p.source, p.target, p.relation) == (10, 1, al.CONTRIBUTES)
    assert "same_unit" in p.reasons and p.score > al.NAME_THRESHOLD


def test_no_suggestion_across_unit_categories_kinds_or_regions_apart():
    money = target(1, "智能科技产业规模")
    assert al.score(target(2, "智能科技产业规模", unit="家", plan="b"), money) is None
    assert al.score(target(3, "智能科技产业规模", plan="b", kind="change"), money) is None
    heping = target(4, "智能科技产业规模", plan="heping", region=HEPING)
    binhai = target(5, "智能科技产业规模", plan="binhai", region=BINHAI)
    assert al.score(heping, binhai) is None
    # the city does not contribute to a district, nor a district to a plan of another period
    assert al.score(money, binhai) is None
    later = target(6, "智能科技产业规模", plan="later", region=BINHAI, period=(2021, 2023))
    assert al.score(later, money) is None


def test_same_region_and_later_period_is_a_successor_same_period_the_same_measure():
    old = target(1, "智能科技产业规模", period=(2018, 2020))
    new = target(2, "智能科技产业规模", plan="next", period=(2021, 2025))
    same = target(3, "智能科技产业规模", plan="special", period=(2018, 2020))
    assert al.score(new, old).relation == al.SUCCEEDS
    assert al.score(same, old).relation == al.SAME_MEASURE


def test_the_same_computation_links_targets_whose_names_differ():
    same = '{"register": "enterprises"}'
    a = target(1, "甲", unit="家", computation=same)
    b = target(2, "乙", unit="家", plan="b", region=BINHAI, computation=same)
    assert al.score(b, a).relation == al.CONTRIBUTES
    assert al.score(b, target(3, "乙", unit="家")) is not None  # names alike suffice too
    assert al.score(target(4, "丙", unit="家", plan="c", region=BINHAI), a) is None


def test_only_the_best_suggestions_per_target_are_kept():
    names = ["智能产业规模", "智能科技产业规模", "科技产业规模"]
    city = [target(i, n) for i, n in enumerate(names)]
    found = al.propose([target(9, "智能科技产业规模", plan="b", region=BINHAI)], city)
    assert len(found) == al.PER_TARGET
    assert found[0].target == 1 and found[0].score >= found[1].score


def test_coverage_adds_contributing_targets_in_the_city_unit_and_flags_late_deadlines():
    city = target(1, "产业规模", target_min=1000, deadline_year=2020)
    a = target(2, "产业规模", plan="a", region=BINHAI, target_min=200, deadline_year=2021)
    b = target(3, "产业规模", unit="万元", plan="b", region=HEPING, target_min=3_000_000)
    [cov] = al.coverage([city], [(a, city, al.CONTRIBUTES), (b, city, al.CONTRIBUTES)])
    assert cov.total == 500 and cov.share == 50.0 and cov.status == al.SHORT
    assert cov.late == [a]


def test_a_target_covered_by_nothing_and_one_that_is_met_in_full():
    covered = target(1, "平台", unit="家", target_min=5)
    alone = target(2, "企业", unit="家", target_min=5)
    parts = [target(10 + i, "平台", unit="家", plan=f"d{i}", target_min=3) for i in range(2)]
    rows = al.coverage([covered, alone], [(p, covered, al.CONTRIBUTES) for p in parts])
    assert [r.status for r in rows] == [al.COVERED, al.UNCOVERED]
    assert rows[0].share == 120.0


def test_percentages_do_not_add_up_they_are_only_linked():
    city = target(1, "配送效率", unit="%", target_min=20, aggregation="none")
    part = target(2, "配送效率", unit="%", plan="d", region=BINHAI, target_min=30)
    [cov] = al.coverage([city], [(part, city, al.CONTRIBUTES)])
    assert cov.status == al.LINKED and cov.total is None


def test_measure_groups_join_chains_of_links():
    groups = al.measure_groups([(1, 2), (3, 2), (7, 8)])
    assert groups[1] == groups[3] == frozenset({1, 2, 3})
    assert groups[8] == frozenset({7, 8})
    assert 5 not in groups


def test_merged_values_keep_a_targets_own_figure_and_the_plans_region():
    own = {"2019": {1: 10.0}}
    other = {"2019": {1: 99.0, 2: 5.0, 3: 7.0}, "2020": {2: 6.0}}
    merged = al.merge_shared(own, [other], allowed_units={1, 2})
    assert merged == {"2019": {1: 10.0, 2: 5.0}, "2020": {2: 6.0}}
    assert al.merge_shared({}, [other], None)["2019"] == {1: 99.0, 2: 5.0, 3: 7.0}
