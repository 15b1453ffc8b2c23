"""The dashboards in a real browser: Playwright driving Debian's Chromium against a live server.

Nothing may load from outside: every request the page makes is recorded, and any to a host
other than the live server fails the test (and is aborted, so a CDN cannot even be tried).
Screenshots go to test-artifacts/ (gitignored). Without Chromium the tests are skipped,
except in CI (CI=true), where a missing browser is an error.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("DUCHA_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "ducha-demo-2018"
PLAN = "tianjin-2018-ai"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Session:
    """One person in one browser context, with what the page did recorded."""

    def __init__(self, browser, live_server, viewport=DESKTOP, locale="zh-CN"):
        self.base = live_server.url
        self.host = urlparse(self.base).hostname
        self.context = browser.new_context(viewport=viewport, locale=locale)
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.responses = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: self.responses.append(r))

    def _route(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith("data:") or host in {self.host, "localhost", "127.0.0.1"}:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def login(self, username):
        self.page.goto(f"{self.base}/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")
        return self

    def go(self, path):
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def shot(self, name, full_page=True):
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def assert_clean(self):
        assert self.foreign == [], f"requests left the machine: {self.foreign}"
        assert self.errors == [], f"console errors: {self.errors}"

    def close(self):
        self.context.close()


@pytest.fixture
def session(browser, live_server):
    opened = []

    def _open(**kwargs):
        s = Session(browser, live_server, **kwargs)
        opened.append(s)
        return s

    yield _open
    for s in opened:
        s.close()


@pytest.fixture
def demo(db):
    from ducha.demo.services import load_demo

    return load_demo()


@pytest.fixture
def people(tianjin_plan):
    from ducha.demo.services import ensure_users

    ensure_users()
    return tianjin_plan


def test_each_role_logs_in_and_sees_what_it_should(session, people, approve):
    approve("TJ-GOAL-SCALE", "120101", "2019Q4", 60, on="2020-01-20")
    approve("TJ-GOAL-SCALE", "120116", "2019Q4", 520, on="2020-01-20")

    office = session().login("office")
    assert office.page.url.endswith(f"/dashboards/{PLAN}/")
    assert office.page.locator(".focus-q").inner_text().startswith("2020年智能科技产业规模")
    assert office.page.locator("nav.mainnav a[href='/admin/']").count() == 1
    office.shot("role-office-cockpit")
    office.assert_clean()

    leader = session().login("leader")
    assert leader.page.url.endswith(f"/dashboards/{PLAN}/")
    assert leader.page.locator("nav.mainnav a[href='/admin/']").count() == 0
    leader.go(f"/dashboards/{PLAN}/units/")
    assert leader.page.locator("text=滨海新区").count() >= 1
    leader.assert_clean()

    heping = session().login("heping")
    assert heping.page.url.endswith(f"/dashboards/{PLAN}/units/120101/")
    assert heping.page.locator("h1").inner_text().startswith("和平区")
    heping.shot("role-reporter-scorecard")
    response = heping.page.goto(f"{heping.base}/dashboards/{PLAN}/units/120116/")
    assert response.status == 404  # another district's scorecard
    heping.go(f"/dashboards/{PLAN}/indicators/TJ-GOAL-SCALE/")
    assert "580" in heping.page.locator(".kpis").inner_text()  # the plan-wide value is open
    units = heping.page.locator("table tbody tr td:first-child").all_inner_texts()
    assert [u.strip() for u in units] == ["和平"]  # 滨海's own figure is not its business

    gxj = session().login("gxj")
    assert gxj.page.url.endswith(f"/dashboards/{PLAN}/units/TJ-GXJ/")
    assert gxj.page.locator("text=TJ-GOAL-SCALE").count() >= 1


def test_the_cockpit_renders_with_the_demo_data_offline(session, demo):
    s = session().login("leader")
    assert s.page.url.endswith(f"/dashboards/{PLAN}/")
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
    total = sum(len(r.body()) for r in s.responses if r.status == 200)
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

    phone = session(viewport=PHONE).login("leader")
    phone.page.wait_for_selector("#focus-chart svg path", state="attached")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the cockpit scrolls sideways on a phone ({width}px)"
    phone.shot("cockpit-phone")
    phone.assert_clean()


def test_the_map_draws_all_sixteen_districts_and_opens_a_district(session, demo):
    s = session().login("office")
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

    # Click 蓟州区 (the northern district) where ECharts put it.
    x, y = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('district-map'))"
        ".convertToPixel({geoIndex: 0}, [117.42, 40.05])"
    )
    box = page.locator("#district-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/units/120119/")
    assert page.locator("h1").inner_text().startswith("蓟州区")
    s.assert_clean()

    phone = session(viewport=PHONE).login("office")
    phone.go(f"/dashboards/{PLAN}/map/")
    phone.page.wait_for_selector("#district-map[data-ready='1']")
    phone.shot("map-phone")
    phone.assert_clean()


def test_a_submitted_and_approved_value_changes_the_cockpit(session, people, approve):
    from ducha.accounts.models import User
    from ducha.datavalues.models import DataValue
    from ducha.datavalues.services import approve_value

    for unit, value in (("120101", 60), ("120116", 520)):
        approve("TJ-GOAL-SCALE", unit, "2019Q4", value, on="2020-01-20")
    approve("TJ-GOAL-SCALE", "120116", "2020Q4", 600, on="2021-01-20")

    leader = session().login("leader")
    focus = leader.page.locator(".focus-answer .big")
    assert focus.inner_text() == "600"  # 2020Q4: only 滨海 so far
    assert leader.page.locator(".focus-answer .warn").count() == 1
    leader.shot("change-before")

    # 和平区's reporter imports its 2020Q4 figure through the import page and submits it.
    heping = session().login("heping")
    heping.go("/values/import/")
    heping.page.select_option("select[name=plan]", label=people.short_title or people.title)
    heping.page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "heping-2020Q4.csv",
                "mimeType": "text/csv",
                "buffer": "指标代码,单位,期间,数值\nTJ-GOAL-SCALE,和平区,2020Q4,90\n".encode(),
            }
        ],
    )
    heping.page.select_option("select[name=status]", "submitted")
    heping.page.click("main button[type=submit]")
    heping.page.wait_for_load_state("networkidle")
    heping.shot("change-imported")
    value = DataValue.objects.get(
        indicator__code="TJ-GOAL-SCALE", org_unit__code="120101", period="2020Q4"
    )
    assert value.status == "submitted"

    # Not approved yet: the cockpit still shows what was approved.
    leader.page.reload()
    assert leader.page.locator(".focus-answer .big").inner_text() == "600"

    # The office approves it (the review page comes with reporting rounds; the service now).
    approve_value(User.objects.get(username="office"), value)
    today = timezone.localdate().isoformat()
    leader.page.goto(f"{leader.base}/dashboards/{PLAN}/?as_of={today}")
    leader.page.wait_for_selector("#focus-chart svg path", state="attached")
    assert leader.page.locator(".focus-answer .big").inner_text() == "690"
    assert leader.page.locator(".focus-answer .warn").count() == 0
    leader.shot("change-after")
    leader.assert_clean()
    heping.assert_clean()
