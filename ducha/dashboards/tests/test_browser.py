"""The dashboards in a real browser: Playwright driving Debian's Chromium against a live server.

The browser, and one recorded browser context per person (``browser_session``), come from the
root conftest: nothing may load from outside, console errors fail the test, screenshots go to
test-artifacts/ (gitignored). Without Chromium the tests are skipped, except in CI.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "tianjin-2018-ai"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(db):
    from ducha.demo.services import load_demo

    return load_demo()


@pytest.fixture
def people(tianjin_plan):
    from ducha.demo.services import ensure_users

    ensure_users()
    return tianjin_plan


def test_each_role_logs_in_and_sees_what_it_should(browser_session, people, approve):
    approve("TJ-GOAL-SCALE", "120101", "2019Q4", 60, on="2020-01-20")
    approve("TJ-GOAL-SCALE", "120116", "2019Q4", 520, on="2020-01-20")

    office = browser_session().login("office")
    assert office.page.url.endswith(f"/dashboards/{PLAN}/")
    assert office.page.locator(".focus-q").inner_text().startswith("2020年智能科技产业规模")
    assert office.page.locator("nav.mainnav a[href='/admin/']").count() == 1
    office.shot("role-office-cockpit")
    office.assert_clean()

    leader = browser_session().login("leader")
    assert leader.page.url.endswith(f"/dashboards/{PLAN}/")
    assert leader.page.locator("nav.mainnav a[href='/admin/']").count() == 0
    leader.go(f"/dashboards/{PLAN}/units/")
    assert leader.page.locator("text=滨海新区").count() >= 1
    leader.assert_clean()

    heping = browser_session().login("heping")
    assert heping.page.url.endswith("/reporting/")  # a reporter starts on its assignments
    heping.go(f"/dashboards/{PLAN}/units/120101/")
    assert heping.page.locator("h1").inner_text().startswith("和平区")
    heping.shot("role-reporter-scorecard")
    response = heping.page.goto(f"{heping.base}/dashboards/{PLAN}/units/120116/")
    assert response.status == 404  # another district's scorecard
    heping.errors.remove(next(e for e in heping.errors if "404" in e))  # that one, expected
    heping.go(f"/dashboards/{PLAN}/indicators/TJ-GOAL-SCALE/")
    assert "580" in heping.page.locator(".kpis").inner_text()  # the plan-wide value is open
    units = heping.page.locator("table tbody tr td:first-child").all_inner_texts()
    assert [u.strip() for u in units] == ["和平区"]  # 滨海's own figure is not its business

    head = browser_session().login("binhai_head")
    assert head.page.url.endswith("/reporting/review/")  # a unit head starts on its queue
    head.assert_clean()

    gxj = browser_session().login("gxj")
    gxj.go(f"/dashboards/{PLAN}/units/TJ-GXJ/")
    assert gxj.page.locator("text=TJ-GOAL-SCALE").count() >= 1
    heping.assert_clean()
    gxj.assert_clean()


def test_the_cockpit_renders_with_the_demo_data_offline(browser_session, demo):
    s = browser_session().login("leader")
    assert s.page.url.endswith(f"/dashboards/{PLAN}/")
    # The landing page's own fetches must be over before counting starts: on a loaded
    # machine they could land after the clear and lose their bodies at the next navigation.
    s.page.wait_for_load_state("networkidle")
    s.responses.clear()
    page = s.go(f"/dashboards/{PLAN}/")  # count what this one page load fetches
    page.wait_for_selector("#focus-chart svg path", state="attached")
    page.wait_for_selector("#spread-chart svg path", state="attached")
    headline = demo.plan.indicators.filter(headline=True).count()
    assert page.locator(".headlines .hl").count() == headline
    assert page.locator(".headlines svg.spark").count() >= headline - 1
    assert page.locator(".lag-table tbody tr").count() >= 5
    assert "智能科技产业规模" in page.locator(".focus-q").inner_text()
    charts = page.evaluate("window.duchaCharts.length")
    assert charts == 2
    s.shot("cockpit-desktop-1366x768")
    s.shot("cockpit-desktop-first-screen", full_page=False)

    # Everything came from the live server, and all of it weighs well under 1.5 MB even
    # before compression (the bench measures the gzipped transfer against gunicorn).
    # Sizes as the network received them (the live server does not compress): a body itself
    # may already be gone from Chromium's buffer, which made `body()` fail now and then.
    total = sum(r.request.sizes()["responseBodySize"] for r in s.responses if r.status == 200)
    assert total < 1_500_000, total
    s.assert_clean()

    # Replay: step back to the end of 2019Q1 without reloading the page.
    page.locator(".replay-range").evaluate(
        "(el) => { el.value = 4; el.dispatchEvent(new Event('input')); }"
    )
    page.wait_for_url("**as_of=2019-03-31")
    page.wait_for_selector("#cockpit-body:not(.loading) #spread-chart svg path", state="attached")
    assert "2019-03-31" in page.locator(".asof-line").inner_text()
    s.shot("cockpit-replayed-2019-03-31")

    page.emulate_media(media="print")
    s.shot("cockpit-print")
    assert page.locator(".replay").is_hidden()
    s.assert_clean()
    assert_the_printed_chart_keeps_its_right_edge(page, demo)

    phone = browser_session(viewport=PHONE).login("leader")
    phone.page.wait_for_selector("#focus-chart svg path", state="attached")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the cockpit scrolls sideways on a phone ({width}px)"
    phone.shot("cockpit-phone")
    # The office's long navigation folds behind a menu button on a phone.
    header = phone.page.locator("header.topbar").bounding_box()["height"]
    assert header < PHONE["height"] / 8, f"the header takes {header}px of the phone's screen"
    assert phone.page.locator("nav.mainnav").is_hidden()
    phone.page.click(".navtoggle")
    assert phone.page.locator("nav.mainnav").is_visible()
    assert phone.page.locator(".navtoggle").get_attribute("aria-expanded") == "true"
    phone.assert_clean()


def test_the_map_draws_all_sixteen_districts_and_opens_a_district(browser_session, demo):
    s = browser_session().login("office")
    page = s.go(f"/dashboards/{PLAN}/map/?indicator=TJ-GOAL-SCALE")
    page.wait_for_selector("#district-map[data-ready='1']")
    assert page.locator("#district-map").get_attribute("data-regions") == "16"
    series = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('district-map')).getOption().series"
    )
    assert len(series[0]["data"]) == 16
    assert sum(1 for d in series[0]["data"] if d["value"] is not None) == 16
    assert len(series[1]["data"]) >= 15  # the parks
    assert page.locator("#district-map svg path").count() >= 16
    assert page.locator(".ranked li").count() == 16
    s.shot("map-desktop")
    assert_the_map_is_readable(page)

    # Click 蓟州区 (the northern district) where ECharts put it.
    x, y = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('district-map'))"
        ".convertToPixel({geoIndex: 0}, [117.42, 40.05])"
    )
    box = page.locator("#district-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/units/120119/")
    assert page.locator("h1").inner_text().startswith("蓟州区")
    # its place in the 考核排名, with the way to its scorecard
    assert page.locator(".unit-rank .num").inner_text().startswith("#")
    assert page.locator(".unit-rank a[href^='/scorecards/units/120119/']").count() == 1
    s.shot("unit-desktop")
    s.assert_clean()

    phone = browser_session(viewport=PHONE).login("office")
    phone.go(f"/dashboards/{PLAN}/map/")
    phone.page.wait_for_selector("#district-map[data-ready='1']")
    phone.shot("map-phone")
    assert_the_map_is_readable(phone.page)
    phone.assert_clean()


# The district labels as drawn (SVG text) and the rectangles the two maps were fitted into.
MAP_LAYOUT_JS = """
(names) => {
  const el = document.getElementById("district-map");
  const chart = echarts.getInstanceByDom(el);
  const labels = [...el.querySelectorAll("svg text")]
    .filter((t) => names.includes(t.textContent))
    .map((t) => {
      const r = t.getBoundingClientRect();
      return [t.textContent, r.left, r.top, r.right, r.bottom];
    });
  const origin = el.getBoundingClientRect();
  const maps = [0, 1].map((i) => {
    const r = chart.getModel().getComponent("geo", i).coordinateSystem.getViewRectAfterRoam();
    const x = r.x + origin.left, y = r.y + origin.top;
    return [x, y, x + r.width, y + r.height];
  });
  return {labels, maps, chart: [origin.left, origin.top, origin.right, origin.bottom]};
}
"""


def assert_the_map_is_readable(page):
    """The sixteen districts' names each drawn once, none over another (the six central ones
    in their inset), and the city with its centre filling at least 80 % of the chart's width
    and height."""
    from ducha.orgunits.models import OrgUnit

    names = [u.label for u in OrgUnit.objects.filter(kind="district")]
    assert len(names) == 16
    drawn = page.evaluate(MAP_LAYOUT_JS, names)
    assert sorted(name for name, *_ in drawn["labels"]) == sorted(names)
    boxes = drawn["labels"]
    for i, (a, al, at, ar, ab) in enumerate(boxes):
        for b, bl, bt, br, bb in boxes[i + 1 :]:
            overlap = min(ar, br) - max(al, bl) > 1 and min(ab, bb) - max(at, bt) > 1
            assert not overlap, f"the labels {a} and {b} overlap"
    left, top, right, bottom = drawn["chart"]
    xs = [x for m in drawn["maps"] for x in (m[0], m[2])]
    ys = [y for m in drawn["maps"] for y in (m[1], m[3])]
    width = (min(max(xs), right) - max(min(xs), left)) / (right - left)
    height = (min(max(ys), bottom) - max(min(ys), top)) / (bottom - top)
    assert width >= 0.8 and height >= 0.8, f"the map fills {width:.0%} × {height:.0%} of its chart"
    wrap = page.locator(".map-wrap").bounding_box()
    assert (right - left) >= 0.7 * wrap["width"], "the chart takes too little of its card"


def test_a_figure_reported_and_approved_in_the_reporting_pages_changes_the_cockpit(
    browser_session, demo
):
    """Issue 6 end to end, as people do it: 和平区's reporter fills in and submits its
    assignment of the open round, its unit head approves, the office approves, and the
    cockpit (as of its default date) counts one more approval."""
    from ducha.datavalues.models import ApprovedValue
    from ducha.reporting.models import Assignment

    mine = (
        Assignment.objects.filter(
            round__state="open", org_unit__code="120101", status="draft", milestone=None
        )
        .select_related("indicator")
        .order_by("pk")
        .first()
    )
    assert mine is not None, "the demo leaves 和平区 a draft to fill in"
    item = f"/reporting/assignments/{mine.pk}/"

    leader = browser_session().login("leader")
    assert leader.page.url.endswith(f"/dashboards/{PLAN}/")
    counted = leader.page.locator(".approvals-since")
    before = int(counted.get_attribute("data-approvals"))
    leader.shot("e2e-cockpit-before")

    # The reporter lands on its rounds, opens its assignments, fills in one and submits it.
    reporter = browser_session().login("heping")
    assert reporter.page.url.endswith("/reporting/")
    with reporter.page.expect_navigation():
        reporter.page.click("main a[href='/reporting/assignments/']")
    with reporter.page.expect_navigation():
        reporter.page.click(f"main a[href='{item}']")
    reporter.page.fill("input[name=value]", "7")
    reporter.page.fill("textarea[name=narrative]", "本季度新增7个供应商。")
    reporter.page.fill("textarea[name=explanation]", "新建项目集中投产。")
    with reporter.page.expect_navigation():
        reporter.page.click("button[name=submit]")
    # no evidence attached: the page saves the draft and asks again before submitting
    assert mine.__class__.objects.get(pk=mine.pk).status == "draft"
    with reporter.page.expect_navigation():
        reporter.page.click("button[value=without-evidence]")
    reporter.shot("e2e-reporter-submitted")
    mine.refresh_from_db()
    assert mine.status == "submitted", reporter.page.locator("main").inner_text()[:500]

    # Submitted is not approved: the cockpit has not moved.
    leader.page.reload()
    assert int(counted.get_attribute("data-approvals")) == before

    # The unit head finds it in the review queue, where signing in took them, and approves.
    head = browser_session().login("heping_head")
    assert head.page.url.endswith("/reporting/review/")
    with head.page.expect_navigation():
        head.page.click(f"main a[href='{item}']")
    with head.page.expect_navigation():
        head.page.click(f"form[action='{item}unit_approve/'] button[type=submit]")
    mine.refresh_from_db()
    assert mine.status == "unit_approved", head.page.locator("main").inner_text()[:500]

    # The office approves from its review queue.
    office = browser_session().login("office")
    office.go("/reporting/review/")
    with office.page.expect_navigation():
        office.page.click(f"main a[href='{item}']")
    with office.page.expect_navigation():
        office.page.click(f"form[action='{item}approve/'] button[type=submit]")
    mine.refresh_from_db()
    assert mine.status == "approved", office.page.locator("main").inner_text()[:500]
    assert ApprovedValue.objects.filter(
        indicator=mine.indicator, org_unit__code="120101", period=mine.round.period
    ).exists()

    # The cockpit, as of its default date, counts the new approval.
    leader.page.reload()
    leader.page.wait_for_selector("#spread-chart svg path", state="attached")
    assert int(counted.get_attribute("data-approvals")) == before + 1
    leader.shot("e2e-cockpit-after")
    for person in (leader, reporter, head, office):
        person.assert_clean()


def assert_the_printed_chart_keeps_its_right_edge(page, demo):
    """Printed on A4, the headline chart is scaled into the page: its target label, drawn at
    the chart's right edge, is inside the page. The charts are first redrawn at the wide print
    layout of a desktop window (what a resize while printing does), wider than A4."""
    import io

    from pypdf import PdfReader

    from ducha.core.templatetags.ducha import num

    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_timeout(200)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[0]
    width = float(pdf.mediabox.width)
    target = num(demo.plan.indicators.get(headline=True, code="TJ-GOAL-SCALE").target_min)
    right = []

    def visit(text, cm, tm, font, size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        if target in text and x > width * 0.6:
            right.append(x)

    pdf.extract_text(visitor_text=visit)
    assert right and max(right) < width, f"target label {target} not on the printed page"
    page.set_viewport_size({"width": 1366, "height": 768})
    page.emulate_media(media="screen")
