"""Instructions (批示) and rectifications (整改), tracked to closure."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ducha.supervision.models import CaseKind, CaseState
from ducha.supervision.services import SupervisionError, move_case, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(office, tianjin_units):
    return open_case(
        office,
        kind=CaseKind.RECTIFICATION,
        title="整改",
        body="请整改",
        org_unit=tianjin_units["120101"],
        due=dt.date(2030, 1, 1),
    )


def test_instruction_needs_the_leader(office, tianjin_units):
    with pytest.raises(SupervisionError, match="leader"):
        open_case(
            office,
            kind=CaseKind.INSTRUCTION,
            title="批示",
            body="...",
            org_unit=tianjin_units["120101"],
            due=dt.date(2030, 1, 1),
        )


def test_units_and_leaders_cannot_open_cases(reporter_heping, leader, tianjin_units):
    for user in (reporter_heping, leader):
        with pytest.raises(PermissionDenied):
            open_case(
                user,
                kind=CaseKind.RECTIFICATION,
                title="x",
                body="y",
                org_unit=tianjin_units["120101"],
                due=dt.date(2030, 1, 1),
            )


def test_rectification_to_closure(case, office, reporter_heping):
    case = move_case(reporter_heping, case, CaseState.IN_PROGRESS, expected_version=1)
    with pytest.raises(SupervisionError, match="what was done"):
        move_case(reporter_heping, case, CaseState.REPORTED, expected_version=case.version)
    case = move_case(
        reporter_heping, case, CaseState.REPORTED, expected_version=case.version, comment="已整改"
    )
    with pytest.raises(PermissionDenied):
        move_case(reporter_heping, case, CaseState.CLOSED, expected_version=case.version)
    case = move_case(
        office, case, CaseState.IN_PROGRESS, expected_version=case.version, comment="材料不全"
    )
    case = move_case(
        reporter_heping, case, CaseState.REPORTED, expected_version=case.version, comment="已补充"
    )
    case = move_case(office, case, CaseState.CLOSED, expected_version=case.version)
    assert case.state == CaseState.CLOSED and case.closed_at
    assert [e.to_state for e in case.events.all()] == [
        "open",
        "in_progress",
        "reported",
        "in_progress",
        "reported",
        "closed",
    ]


def test_other_district_cannot_touch_the_case(case, reporter_binhai):
    with pytest.raises(PermissionDenied):
        move_case(reporter_binhai, case, CaseState.IN_PROGRESS, expected_version=1)


def test_stale_version_is_refused(case, reporter_heping, office):
    move_case(reporter_heping, case, CaseState.IN_PROGRESS, expected_version=1)
    with pytest.raises(SupervisionError, match="meanwhile"):
        move_case(office, case, CaseState.WITHDRAWN, expected_version=1)


def test_pages(client, case, office, reporter_heping, reporter_binhai, leader):
    for user, status in [
        (office, 200),
        (leader, 200),
        (reporter_heping, 200),
        (reporter_binhai, 404),
    ]:
        client.force_login(user)
        assert client.get(reverse("supervision:case", args=[case.pk])).status_code == status
        assert client.get(reverse("supervision:overview")).status_code == 200
    client.force_login(reporter_heping)
    assert client.get(reverse("supervision:case_new")).status_code == 403


def test_case_due_date_renders_as_iso_in_chinese():
    import datetime as dt

    from django.utils import translation

    from ducha.supervision.forms import CaseForm

    with translation.override("zh-hans"):
        html = str(CaseForm(initial={"due": dt.date(2026, 11, 27)})["due"])
    assert 'value="2026-11-27"' in html and 'type="date"' in html


def test_state_filter_values_are_distinct_and_list_exactly_their_states(
    client, office, reporter_heping, tianjin_units
):
    """待办理 and 未办结 once shared the value "open": both showed selected and 待办理 listed
    cases being handled or reported done."""
    import re

    def new(title):
        return open_case(
            office,
            kind=CaseKind.RECTIFICATION,
            title=title,
            body="请整改",
            org_unit=tianjin_units["120101"],
            due=dt.date(2030, 1, 1),
        )

    by_state = {CaseState.OPEN: new("case-open")}
    c = move_case(reporter_heping, new("case-handling"), CaseState.IN_PROGRESS, expected_version=1)
    by_state[CaseState.IN_PROGRESS] = c
    c = move_case(
        reporter_heping,
        new("case-reported"),
        CaseState.REPORTED,
        expected_version=1,
        comment="已整改",
    )
    by_state[CaseState.REPORTED] = c
    c = move_case(
        reporter_heping,
        new("case-closed"),
        CaseState.REPORTED,
        expected_version=1,
        comment="已整改",
    )
    by_state[CaseState.CLOSED] = move_case(office, c, CaseState.CLOSED, expected_version=c.version)
    by_state[CaseState.WITHDRAWN] = move_case(
        office, new("case-withdrawn"), CaseState.WITHDRAWN, expected_version=1
    )
    titles = {s: c.title for s, c in by_state.items()}
    client.force_login(office)
    url = reverse("supervision:cases")
    html = client.get(url).content.decode()
    state_select = html.split('id="f-state"')[1].split("</select>")[0]
    values = re.findall(r'<option value="([^"]*)"', state_select)
    assert len(values) == len(set(values)), values
    expected = {
        "unfinished": {CaseState.OPEN, CaseState.IN_PROGRESS, CaseState.REPORTED},
        "all": set(CaseState.values),
        **{s: {s} for s in CaseState.values},
    }
    assert set(values) == set(expected)
    for value, states in expected.items():
        html = client.get(url, {"state": value}).content.decode()
        listed = {s for s, t in titles.items() if f">{t}</a>" in html}
        assert listed == states, value
        state_select = html.split('id="f-state"')[1].split("</select>")[0]
        assert state_select.count(" selected") == 1
        assert f'value="{value}" selected' in state_select
    # the default is 未办结
    html = client.get(url).content.decode()
    assert {s for s, t in titles.items() if f">{t}</a>" in html} == expected["unfinished"]


def test_the_city_itself_is_not_offered_nor_taken_as_the_responsible_unit(
    client, office, tianjin_units
):
    client.force_login(office)
    form = client.get(reverse("supervision:case_new")).context["form"]
    offered = set(form.fields["org_unit"].queryset.values_list("code", flat=True))
    city = tianjin_units["120000"]
    assert city.code not in offered
    assert {"120101", "TJ-GXJ"} <= offered
    with pytest.raises(SupervisionError) as caught:
        open_case(
            office,
            kind=CaseKind.RECTIFICATION,
            title="整改",
            body="请整改",
            org_unit=city,
            due=dt.date(2030, 1, 1),
        )
    assert caught.value.field == "org_unit"
