"""Alignment links: from the plan file, suggested on load, decided by the office; the values
they share, the coverage they give and the successor's baseline."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ducha.alignment import selectors, services
from ducha.alignment.models import Alignment, LinkState, Origin
from ducha.assessments.services import assess_indicators, assess_plan
from ducha.audit.models import AuditEntry
from ducha.core.filespec import FileSpecError
from ducha.datavalues import services as values
from ducha.engine.periods import parse_period
from ducha.plans.models import Plan
from ducha.plans.planfile import parse_plan_data
from ducha.plans.services import load_plan, load_plan_file

pytestmark = pytest.mark.django_db

BINHAI = Path(__file__).resolve().parents[2] / "data" / "binhai-2019-ai" / "plan.yaml"


def binhai_data() -> dict:
    return yaml.safe_load(BINHAI.read_text(encoding="utf-8"))


def load(data: dict, state=None):
    spec, text = parse_plan_data(data, "plan.yaml", base_dir=BINHAI.parent)
    return load_plan(spec, text, state=state).plan


def approve(indicator, unit, period, value, on="2022-02-01"):
    saved = values.save_value(None, indicator, unit, parse_period(period), Decimal(str(value)))
    at = timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(on), dt.time(10)))
    return values.approve_value(None, saved, at=at)


def test_loading_the_district_plan_confirms_its_file_links_and_suggests_the_rest(tianjin_plan):
    load_plan_file(BINHAI)
    links = Alignment.objects.select_related("source", "target")
    confirmed = {(a.source.code, a.target.code) for a in links if a.state == LinkState.CONFIRMED}
    assert confirmed == {
        ("T01", "TJ-GOAL-SCALE"),
        ("T03", "TJ-INN-KEYTECH"),
        ("T05", "TJ-GOAL-LEADERS"),
    }
    suggested = [a for a in links if a.state == LinkState.PROPOSED]
    assert suggested and all(a.origin == Origin.PROPOSED and a.score > 0 for a in suggested)
    assert all(a.relation == "contributes_to" for a in suggested)  # a district under the city
    assert AuditEntry.objects.filter(action="alignment.alignment.proposed").count() == 1


def test_loading_again_changes_nothing_and_a_rejected_suggestion_is_not_made_again(
    tianjin_plan,
):
    load_plan_file(BINHAI)
    count = Alignment.objects.count()
    one = Alignment.objects.filter(state=LinkState.PROPOSED).first()
    services.decide(one, None, state=LinkState.REJECTED)
    report = load_plan_file(BINHAI)
    assert not report.changed
    assert Alignment.objects.count() == count
    assert Alignment.objects.get(pk=one.pk).state == LinkState.REJECTED


def test_a_link_to_a_plan_not_loaded_refuses_the_whole_file(tianjin_units):
    with pytest.raises(FileSpecError) as error:
        load_plan_file(BINHAI)
    assert "alignments[0].plan" in str(error.value)
    assert not Plan.objects.filter(code="binhai-2019-ai").exists()


def test_a_bad_link_names_its_field(tianjin_plan):
    data = binhai_data()
    data["alignments"][1]["target"] = "TJ-NOPE"
    data["alignments"][2]["relation"] = "same_measure"  # 家 and 家, fine
    data["alignments"][0]["target"] = "TJ-GOAL-LEADERS"  # 亿元 against 家
    with pytest.raises(FileSpecError) as error:
        load(data)
    paths = [p.path for p in error.value.problems]
    assert paths == ["alignments[0].relation", "alignments[1].target"]


def test_the_plan_files_links_round_trip(tianjin_plan):
    plan = load_plan_file(BINHAI).plan
    written = selectors.file_links(plan)
    assert [row for row in written if "state" not in row] == binhai_data()["alignments"]
    assert {row["state"] for row in written if "state" in row} == {"proposed"}
    data = binhai_data()
    data["alignments"] = selectors.file_links(plan)
    assert not load_plan(*parse_plan_data(data, "again.yaml", base_dir=BINHAI.parent)).changed


def test_only_the_office_decides_and_every_decision_is_audited(
    tianjin_plan, office, leader, reporter_binhai
):
    load_plan_file(BINHAI)
    link = Alignment.objects.filter(state=LinkState.PROPOSED).first()
    for user in (leader, reporter_binhai):
        with pytest.raises(PermissionDenied):
            services.decide(link, user, state=LinkState.CONFIRMED)
    changes = services.decide(link, office, state=LinkState.CONFIRMED, note="核对过")
    link.refresh_from_db()
    assert (link.state, link.decided_by, link.note) == (LinkState.CONFIRMED, office, "核对过")
    assert changes["state"] == ["proposed", "confirmed"]
    entry = AuditEntry.objects.get(action="alignment.alignment.confirmed")
    assert entry.actor == office and entry.object_id == str(link.pk)
    with pytest.raises(ValueError):
        services.decide(link, office, state=LinkState.PROPOSED)


def test_sharing_a_measure_needs_the_same_unit(tianjin_plan, office):
    load_plan_file(BINHAI)
    link = Alignment.objects.get(source__code="T01", target__code="TJ-GOAL-SCALE")
    services.decide(link, office, relation="same_measure")  # 亿元 and 亿元
    other = Alignment.objects.get(source__code="T05", target__code="TJ-GOAL-LEADERS")
    keytech = tianjin_plan.indicators.get(code="TJ-INN-KEYTECH")  # 项 against the district's 家
    Alignment.objects.filter(pk=other.pk).update(target=keytech)
    with pytest.raises(ValueError):
        services.decide(other, office, relation="same_measure")


def test_a_value_reported_once_serves_every_plan_that_measures_the_same_thing(
    tianjin_plan, tianjin_units, office
):
    plan = load_plan_file(BINHAI, state="active").plan
    t01 = plan.indicators.get(code="T01")
    city = tianjin_plan.indicators.get(code="TJ-IND-SOFTWARE")
    approve(city, tianjin_units["120116"], "2019Q4", 120)
    approve(city, tianjin_units["120101"], "2019Q4", 30)  # 和平区: not in the district's plan
    as_of = dt.date(2022, 3, 1)
    [before] = assess_indicators([t01], as_of)
    assert before.series == []
    link = Alignment.objects.get(source=t01, target=city)
    services.decide(link, office, state=LinkState.CONFIRMED, relation="same_measure")
    [after] = assess_indicators([t01], as_of)
    assert [(p.period, p.value) for p in after.series] == [("2019Q4", 120.0)]
    # and the other way: the district's own report counts in the city's sum
    approve(t01, tianjin_units["120116"], "2020Q4", 150)
    [city_result] = assess_indicators([city], as_of)
    assert [(p.period, p.value) for p in city_result.series][-1] == ("2020Q4", 150.0)
    assert assess_plan(plan, as_of).indicators[0].series[-1].value == 150.0


def test_a_successor_starts_from_its_predecessors_final_value(
    tianjin_plan, tianjin_units, client, office
):
    data = binhai_data()
    data["plan"].update(code="binhai-2022-ai", period_start=2022, period_end=2025)
    data["indicators"] = [dict(data["indicators"][0], deadline=2025)]
    data["alignments"] = []
    load(binhai_data(), state="active")
    data["alignments"] = [
        {"indicator": "T01", "relation": "succeeds", "plan": "binhai-2019-ai", "target": "T01"}
    ]
    successor = load(data, state="active").indicators.get(code="T01")
    old = Plan.objects.get(code="binhai-2019-ai").indicators.get(code="T01")
    binhai = tianjin_units["120116"]
    for period, value in (("2019Q4", 100), ("2020Q4", 140), ("2021Q4", 190), ("2022Q4", 230)):
        approve(old if period < "2022" else successor, binhai, period, value)
    [r] = assess_indicators([successor], dt.date(2023, 3, 1))
    assert [p.period for p in r.series] == ["2019Q4", "2020Q4", "2021Q4", "2022Q4"]
    assert successor.inherited_baseline[:2] == (190.0, "2021Q4")
    assert r.result.baseline == 190.0
    # its page says so, and shows the series continuing from the predecessor
    client.force_login(office)
    page = client.get(
        reverse("plans:indicator", args=["binhai-2022-ai", "T01"]), {"as_of": "2023-03-01"}
    )
    text = page.content.decode()
    assert "inherited-baseline" in text and 'data-relation="succeeds"' in text
    actual = page.context["chart"]["actual"]
    assert actual[0] == ["2019-12-31", 100] and actual[-1] == ["2022-12-31", 230]


def test_coverage_of_the_city_plan_sums_the_district_targets(tianjin_plan):
    load_plan_file(BINHAI)
    data = selectors.coverage_data(tianjin_plan)
    rows = {row["indicator"]: row for row in data["targets"]}
    scale = rows["TJ-GOAL-SCALE"]
    assert (scale["status"], scale["coverage_percent"]) == ("short", 20.0)
    assert scale["contributors"][0]["late"] is True  # 2021 after the city's 2020
    assert scale["contributors"][0]["region"] == "120116"
    assert rows["TJ-INN-KEYTECH"]["coverage_percent"] == 80.0
    assert rows["TJ-IND-ROBOT"]["status"] == "uncovered"
    assert data["summary"]["uncovered"] == 29 - 3 and data["summary"]["late"] == 3


def test_a_district_plans_round_asks_only_the_district_and_nothing_it_reported_already(
    tianjin_plan, office
):
    from ducha.reporting import services as reporting

    plan = load_plan_file(BINHAI, state="active").plan
    t05 = plan.indicators.get(code="T05")
    services.add_link(
        t05, tianjin_plan.indicators.get(code="TJ-SEC-LOG-ENTERPRISES"), "same_measure", office
    )
    city = reporting.open_round(office, tianjin_plan, "2019Q4", opened_on=dt.date(2020, 1, 8))
    assert city.assignments.filter(
        indicator__code="TJ-SEC-LOG-ENTERPRISES", org_unit__code="120116"
    ).exists()
    district = reporting.open_round(office, plan, "2019Q4", opened_on=dt.date(2020, 1, 8))
    asked = set(district.assignments.values_list("indicator__code", "org_unit__code"))
    assert {unit for _code, unit in asked} == {"120116"}
    assert ("T01", "120116") in asked and ("T05", "120116") not in asked
