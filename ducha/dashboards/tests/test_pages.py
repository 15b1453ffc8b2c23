"""The dashboard pages as each role meets them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PLAN = "tianjin-2018-ai"
AS_OF = {"as_of": "2020-03-31"}


def _login(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitor_is_sent_to_login(client, tianjin_plan):
    response = client.get(reverse("dashboards:cockpit", args=[PLAN]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("who", ["office", "leader"])
def test_leaders_and_the_office_start_on_the_cockpit(client, tianjin_plan, who, request):
    _login(client, request.getfixturevalue(who))
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("dashboards:cockpit", args=[PLAN])


def test_cockpit_shows_headlines_lagging_and_changes(client, scale_history, leader):
    _login(client, leader)
    response = client.get(reverse("dashboards:cockpit", args=[PLAN]), AS_OF)
    assert response.status_code == 200
    html = response.content.decode()
    assert "智能科技产业规模" in html
    assert 'id="focus-chart"' in html and 'id="spread-chart"' in html
    assert response.context["c"].approvals_since == 2
    assert "2020-03-31" in html
    charts = response.context["charts"]
    assert charts["focus"]["target"] == 1000
    assert charts["focus"]["actual"][-1] == ["2019-12-31", 580.0]


def test_cockpit_fragment_is_the_body_only(client, scale_history, leader):
    _login(client, leader)
    response = client.get(reverse("dashboards:cockpit", args=[PLAN]), {**AS_OF, "fragment": "1"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="cockpit-data"' in html


def test_a_bad_as_of_date_says_so_and_shows_the_default(client, scale_history, office):
    _login(client, office)
    response = client.get(reverse("dashboards:cockpit", args=[PLAN]), {"as_of": "2020-13-45"})
    assert response.status_code == 200
    assert "2020-13-45" in response.content.decode()  # named in the message
    assert response.context["as_of"].default


def test_the_cockpit_uses_a_bounded_number_of_queries(
    client, scale_history, leader, django_assert_max_num_queries
):
    _login(client, leader)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("dashboards:cockpit", args=[PLAN]), AS_OF)
    assert response.status_code == 200
    assert response.context["charts"]["focus"]["target"] == 1000  # the cockpit, not an error


def test_indicator_page_shows_trajectory_and_units(client, scale_history, office):
    _login(client, office)
    response = client.get(reverse("dashboards:indicator", args=[PLAN, "TJ-GOAL-SCALE"]), AS_OF)
    assert response.status_code == 200
    charts = response.context["charts"]
    assert charts["trajectory"]["path"]
    assert [u["code"] for u in charts["breakdown"]["units"]] == ["120116", "120101"]
    assert "和平" in response.content.decode()


def test_a_reporter_sees_only_its_own_values_on_the_indicator_page(
    client, scale_history, reporter_heping
):
    _login(client, reporter_heping)
    response = client.get(reverse("dashboards:indicator", args=[PLAN, "TJ-GOAL-SCALE"]), AS_OF)
    assert [row.unit.code for row in response.context["parts"].rows] == ["120101"]


def test_unknown_indicator_is_not_found(client, tianjin_plan, office):
    _login(client, office)
    response = client.get(reverse("dashboards:indicator", args=[PLAN, "NOPE"]))
    assert response.status_code == 404


def test_map_page_lists_all_districts_and_the_parks(client, scale_history, parks, office):
    _login(client, office)
    response = client.get(
        reverse("dashboards:map", args=[PLAN]),
        {**AS_OF, "indicator": "TJ-GOAL-SCALE", "measure": "share_of_target"},
    )
    assert response.status_code == 200
    charts = response.context["charts"]
    assert len(charts["districts"]) == 16
    binhai = next(d for d in charts["districts"] if d["code"] == "120116")
    assert binhai["value"] == pytest.approx(0.52)
    assert binhai["url"].endswith("/units/120116/?as_of=2020-03-31")
    assert len(charts["parks"]) >= 15
    assert [c.unit.code for c in response.context["ranked"]] == ["120116", "120101"]


def test_map_with_an_unknown_indicator_or_measure_falls_back(client, scale_history, office):
    _login(client, office)
    response = client.get(
        reverse("dashboards:map", args=[PLAN]), {"indicator": "NOPE", "measure": "bogus"}
    )
    assert response.status_code == 200
    assert response.context["measure"] == "value"
    assert response.context["chosen"] is not None
    assert "NOPE" in response.content.decode()


def test_map_offers_no_rank_layer_without_a_ranking(client, tianjin_plan, office):
    _login(client, office)
    response = client.get(reverse("dashboards:map", args=[PLAN]), {"measure": "rank"})
    assert response.context["measure"] == "value"
    assert "rank" not in dict(response.context["measures"])


def test_the_map_boundaries_are_served_by_ducha_with_caching(client):
    url = reverse("dashboards:geo", args=["tianjin-districts"])
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age" in response["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get(reverse("dashboards:geo", args=["atlantis"])).status_code == 404


def test_office_sees_every_units_scorecard(client, scale_history, office):
    _login(client, office)
    response = client.get(reverse("dashboards:units", args=[PLAN]), AS_OF)
    assert response.status_code == 200
    html = response.content.decode()
    # departments by their one short name on pages (市工信局), districts by their full name
    for name in ("滨海新区", "和平区", "市工信局"):
        assert name in html


def test_a_reporter_cannot_open_another_units_scorecard(client, tianjin_plan, reporter_heping):
    _login(client, reporter_heping)
    own = client.get(reverse("dashboards:unit", args=[PLAN, "120101"]))
    other = client.get(reverse("dashboards:unit", args=[PLAN, "120116"]))
    assert own.status_code == 200
    assert other.status_code == 404


def test_a_reporters_scorecard_list_goes_straight_to_its_own(client, tianjin_plan, reporter_heping):
    _login(client, reporter_heping)
    response = client.get(reverse("dashboards:units", args=[PLAN]))
    assert response["Location"] == reverse("dashboards:unit", args=[PLAN, "120101"])


def test_a_district_head_sees_the_zones_inside_its_district(client, tianjin_units, tianjin_plan):
    from ducha.accounts.models import User

    head = User.objects.create_user(
        "bh_head", password="pw-for-tests-only", role="unit_head", org_unit=tianjin_units["120116"]
    )
    _login(client, head)
    response = client.get(reverse("dashboards:unit", args=[PLAN, "120116"]))
    assert "滨海高新区" in response.content.decode()
    zone = client.get(reverse("dashboards:unit", args=[PLAN, "120116-THT"]))
    assert zone.status_code == 200


def test_the_lead_units_scorecard_shows_its_indicators(client, scale_history, office):
    _login(client, office)
    response = client.get(reverse("dashboards:unit", args=[PLAN, "TJ-GXJ"]), AS_OF)
    assert "TJ-GOAL-SCALE" in response.content.decode()
    assert response.context["card"].leads


def test_tree_filters_by_status_lead_section_and_year(client, scale_history, office):
    _login(client, office)
    gxj = scale_history[0].indicator.lead_unit_id
    response = client.get(
        reverse("dashboards:tree", args=[PLAN]),
        {**AS_OF, "lead": gxj, "node": "1", "year": "2020"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "TJ-GOAL-SCALE" in html
    assert "TJ-SEC-MFG-NATPILOT" not in html  # chapter 三, not 一
    assert response.context["n_indicators"] >= 1


def test_tree_drops_unknown_filters_with_a_message(client, tianjin_plan, office):
    _login(client, office)
    response = client.get(
        reverse("dashboards:tree", args=[PLAN]),
        {"status": "sideways", "lead": "abc", "year": "1999", "node": "zz"},
    )
    assert response.status_code == 200
    f = response.context["f"]
    assert not f.active
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 4
    assert any("sideways" in m for m in shown)


@pytest.mark.parametrize("language, word", [("zh-hans", "驾驶舱"), ("en", "Cockpit")])
def test_pages_speak_chinese_by_default_and_english_on_request(
    client, tianjin_plan, leader, language, word
):
    _login(client, leader)
    client.cookies["django_language"] = language
    response = client.get(reverse("dashboards:cockpit", args=[PLAN]))
    assert word in response.content.decode()


def test_the_cached_cockpit_follows_a_new_approval(client, scale_history, approve, leader):
    _login(client, leader)
    url = reverse("dashboards:cockpit", args=[PLAN])

    def body(response):
        return response.content.decode().split('id="cockpit-body"')[1].split("</main>")[0]

    before = client.get(url, AS_OF)
    again = client.get(url, AS_OF)
    assert body(again) == body(before)  # the same data: the cached body
    assert "c" not in again.context  # ... not computed again
    approve("TJ-GOAL-SCALE", "120101", "2020Q1", 75, on="2020-03-20")
    after = client.get(url, AS_OF)
    assert after.context["c"].approvals_since == 3
    assert body(after) != body(before)


def test_the_cached_cockpit_is_not_shared_across_value_scopes(
    client, scale_history, leader, reporter_heping
):
    url = reverse("dashboards:cockpit", args=[PLAN])
    _login(client, leader)
    assert client.get(url, AS_OF).context["c"].approvals_since == 2
    _login(client, reporter_heping)
    assert client.get(url, AS_OF).context["c"].approvals_since == 1  # only 和平's own
