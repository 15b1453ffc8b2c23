"""Query parameters out of bounds answer 400 (a Chinese page) or 422 (the API), never 500:
the reproductions of issue 10, and the limits every request is held to."""

import pytest

from ducha.core.tests.test_permission_matrix import _client, world  # noqa: F401

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/reporting/assignments/?round={HUGE}",
        f"/reporting/review/?round={HUGE}",
        f"/reporting/assignments/?unit={HUGE}",
        "/reporting/assignments/?round=abc",
        "/reporting/assignments/?round=-1",
    ],
)
def test_a_page_answers_400_in_chinese_to_an_id_out_of_range(world, url):  # noqa: F811
    response = _client(world, "office").get(url)
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/reporting/assignments?round={HUGE}",
        f"/api/values?cursor={HUGE}",
        "/api/values?cursor=-1",
        "/api/values?limit=0",
        "/api/assessments/tianjin-2018-ai?as_of=0001-01-01",
        "/api/values?plan=%00",
    ],
)
def test_the_api_answers_422_to_a_parameter_out_of_range(world, url):  # noqa: F811
    response = _client(world, "office").get(url)
    assert response.status_code == 422, response.content[:300]


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=" + "x" * 2001, "&".join(f"p{i}=1" for i in range(101))],
)
def test_a_query_no_page_asks_for_is_refused_before_any_view(world, query):  # noqa: F811
    assert _client(world, "office").get(f"/plans/?{query}").status_code == 400


def test_a_date_out_of_the_calendar_shows_the_default_with_a_message(world):  # noqa: F811
    response = _client(world, "office").get(
        f"/dashboards/{world['plan'].code}/", {"as_of": "0001-01-01"}
    )
    assert response.status_code == 200
    assert "0001-01-01" in response.content.decode()


def test_ordinary_filters_still_filter(world):  # noqa: F811
    client = _client(world, "office")
    response = client.get("/reporting/assignments/", {"round": world["round"].pk, "all": "1"})
    assert response.status_code == 200
    response = client.get("/api/reporting/assignments", {"round": world["round"].pk})
    assert response.status_code == 200 and response.json()["count"] > 0
