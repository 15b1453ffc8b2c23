"""The public sees what the office published: a frozen snapshot, replaced only by publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.datavalues import services as values
from ducha.datavalues.importer import check_rows, read_table
from ducha.datavalues.models import ValueStatus
from ducha.portal import services
from ducha.portal.models import PlanSnapshot

pytestmark = pytest.mark.django_db

COUNT = "TJ-IND-SUPPLIER50"


def approve(plan, office, line: str):
    rows = check_rows(plan, read_table("v.csv", f"指标代码,单位,期间,数值\n{line}\n".encode()))
    values.import_values(office, rows, status=ValueStatus.APPROVED)


def main_of(html: str) -> str:
    """The page's content (the header carries a fresh CSRF token each time)."""
    return html[html.index("<main") : html.index("</main>")]


def row_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_an_approval_after_publishing_does_not_change_the_public_page(client, office, tianjin_plan):
    approve(tianjin_plan, office, f"{COUNT},天津市,2019Q4,3")
    services.publish_plan(office, tianjin_plan, True, as_of=dt.date.today())
    url = reverse("portal:plan", args=[tianjin_plan.code])
    name = tianjin_plan.indicators.get(code=COUNT).name
    first = main_of(client.get(url).content.decode())
    assert "3 个" in row_of(first, name)
    approve(tianjin_plan, office, f"{COUNT},天津市,2020Q4,9")
    assert main_of(client.get(url).content.decode()) == first  # nothing moved
    services.publish_plan(office, tianjin_plan, True, as_of=dt.date.today())
    again = client.get(url).content.decode()
    assert "9 个" in row_of(again, name)
    assert PlanSnapshot.objects.filter(plan=tianjin_plan).count() == 2


def test_the_public_page_states_the_date_its_progress_is_as_of(client, office, tianjin_plan):
    services.publish_plan(office, tianjin_plan, True, as_of=dt.date(2019, 12, 31))
    page = client.get(reverse("portal:plan", args=[tianjin_plan.code])).content.decode()
    assert "2019-12-31" in page


def test_publishing_is_the_offices_button_with_a_confirmation_and_an_audit_entry(
    client, office, tianjin_plan
):
    client.force_login(office)
    manage = client.get(reverse("portal:manage")).content.decode()
    assert "data-confirm=" in manage and 'name="as_of"' in manage
    response = client.post(
        reverse("portal:plan_publish", args=[tianjin_plan.pk]),
        {"published": "1", "as_of": "2020-06-30"},
    )
    assert response.status_code == 302
    snap = PlanSnapshot.objects.get(plan=tianjin_plan)
    assert snap.as_of == dt.date(2020, 6, 30) and snap.published_by == office
    entry = AuditEntry.objects.get(action="portal.plan.published")
    assert entry.changes["as_of"] == "2020-06-30" and entry.changes["snapshot"] == snap.pk
    bad = client.post(
        reverse("portal:plan_publish", args=[tianjin_plan.pk]),
        {"published": "1", "as_of": "30/06/2020"},
        follow=True,
    ).content.decode()
    assert "30/06/2020" in bad
    assert PlanSnapshot.objects.count() == 1


def test_withdrawing_hides_the_plan_and_keeps_its_snapshots(client, office, tianjin_plan):
    services.publish_plan(office, tianjin_plan, True)
    services.publish_plan(office, tianjin_plan, False)
    page = client.get(reverse("portal:plan", args=[tianjin_plan.code])).content.decode()
    assert "尚未发布" in page
    assert PlanSnapshot.objects.filter(plan=tianjin_plan).count() == 1
    assert AuditEntry.objects.filter(action="portal.plan.unpublished").exists()


def test_the_bulletin_footnote_names_each_quoted_figures_source():
    from ducha.portal import drafting

    facts = drafting.Facts(
        plan_title="计划",
        round_title="2020年第三季度",
        deadline=dt.date(2020, 10, 20),
        deadline_passed=True,
        as_of=dt.date(2020, 10, 31),
        issued_on=dt.date(2020, 11, 2),
        issuer="办公室",
        overall="需加快进度",
        spread=[],
        indicators=1,
        milestones=0,
        sources=[
            drafting.SourceNote("智能农业示范园区", "2020年第三季度", ["单位填报"]),
            drafting.SourceNote("配送效率", "2020年第三季度", ["部门统计（口径：快递）"]),
        ],
    )
    body = drafting.compose(facts).body
    assert body.splitlines()[-1] == (
        "注：本通报所引数据，智能农业示范园区（2020年第三季度）来源为单位填报；"
        "配送效率（2020年第三季度）来源为部门统计（口径：快递）。"
    )
    facts.sources = []
    assert "注：" not in drafting.compose(facts).body


def test_the_public_index_says_as_of_when_each_plans_progress_was_published(
    client, office, tianjin_plan
):
    services.publish_plan(office, tianjin_plan, True, as_of=dt.date(2019, 12, 31))
    services.publish_plan(office, tianjin_plan, True, as_of=dt.date(2020, 6, 30))
    index = main_of(client.get(reverse("portal:index")).content.decode())
    assert "截至2020-06-30的进展" in index and "2019-12-31" not in index
