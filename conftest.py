"""Shared fixtures: the Tianjin org units and plan, and named users for every role; and the
suite's own temporary directory, checked to be left clean."""

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

DATA = Path(__file__).resolve().parent / "ducha" / "data"
TIANJIN_PLAN = DATA / "tianjin-2018" / "plan.yaml"
TIANJIN_UNITS = DATA / "orgunits-tianjin.yaml"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- tests leave nothing behind ---------------------------------------------------------------
# The suite runs in a temporary directory of its own: TMPDIR (so every tempfile, in tests and in
# the processes they start), pytest's tmp_path, the uploaded files (MEDIA_ROOT), the background
# jobs' files (JOBS_DIR) and the cache. At the end it fails if anything but tmp_path
# directories was left there, or if the site's own media or jobs directory (var/media,
# var/jobs) changed; then the directory is removed, so /tmp keeps nothing.
OWN_TMP = "PYTEST_DUCHA_OWN_TMP"


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.is_dir() else set()


def pytest_configure(config):
    if hasattr(config, "workerinput") or os.environ.get(OWN_TMP):
        return  # an xdist worker: the controller set it up and checks it
    own = Path(tempfile.mkdtemp(prefix="ducha-tests-"))
    (own / "tmp").mkdir()
    os.environ[OWN_TMP] = str(own)
    # put back at the end: a second session in the same process (mutmut's) needs a TMPDIR
    config._ducha_tmp_before = (os.environ.get("TMPDIR"), tempfile.tempdir)
    os.environ["TMPDIR"] = tempfile.tempdir = str(own / "tmp")
    if not config.option.basetemp:
        config.option.basetemp = str(own / "pytest")
    from django.conf import settings

    config._ducha_own_tmp = own
    config._ducha_watched = {Path(settings.MEDIA_ROOT), Path(settings.JOBS_DIR)}
    config._ducha_before = {path: _files(path) for path in config._ducha_watched}


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    own = getattr(config, "_ducha_own_tmp", None)
    if own is None:
        return
    problems = sorted(f"{own / 'tmp'}/{name}" for name in os.listdir(own / "tmp"))
    for path in sorted(config._ducha_watched):
        added = _files(path) - config._ducha_before[path]
        problems += sorted(f"{path}/{name}" for name in added)
    if problems:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        lines = ["tests left files behind (use tmp_path, and remove what you make):", *problems]
        if reporter:
            reporter.write_line("\n".join(lines[:30]), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    own = getattr(config, "_ducha_own_tmp", None)
    if own is not None:
        shutil.rmtree(own, ignore_errors=True)
        os.environ.pop(OWN_TMP, None)
        env, tempfile.tempdir = config._ducha_tmp_before
        if env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = env


@pytest.fixture(scope="session", autouse=True)
def _uploads_in_the_tests_own_directory(tmp_path_factory):
    """Uploaded files (evidence, documents), the jobs' files and the cache go to temporary
    directories of this test process, not var/: nothing is left behind, and test processes
    side by side (whose in-memory databases share one name) never read each other's cache."""
    from django.conf import settings
    from django.test.utils import override_settings

    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"]["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    with override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        JOBS_DIR=str(tmp_path_factory.mktemp("jobs")),
        CACHES=caches,
    ):
        yield


@pytest.fixture(autouse=True)
def _an_empty_cache_per_test():
    """Shared page parts are keyed on the data stamp (core/pagecache.py), which never repeats
    in production; a test's rolled-back rows can give the next test the same stamp for other
    data, so every test starts with an empty cache."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def tianjin_units(db):
    from ducha.orgunits.services import load_orgunit_file

    load_orgunit_file(TIANJIN_UNITS)
    from ducha.orgunits.models import OrgUnit

    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def tianjin_plan(tianjin_units):
    from ducha.plans.services import load_plan_file

    return load_plan_file(TIANJIN_PLAN).plan


def _make_user(username, role, unit=None, **extra):
    from ducha.accounts.models import User

    user = User.objects.create_user(
        username=username, password="pw-for-tests-only", role=role, org_unit=unit, **extra
    )
    return user


@pytest.fixture
def office(tianjin_units):
    return _make_user("office", "office", tianjin_units["TJ-OFFICE"], display_name="市智能办")


@pytest.fixture
def leader(tianjin_units):
    return _make_user("leader", "leader", None, display_name="领导")


@pytest.fixture
def reporter_heping(tianjin_units):
    return _make_user("heping", "reporter", tianjin_units["120101"], display_name="和平区填报员")


@pytest.fixture
def reporter_binhai(tianjin_units):
    return _make_user("binhai", "reporter", tianjin_units["120116"], display_name="滨海新区填报员")


@pytest.fixture
def head_heping(tianjin_units):
    return _make_user("heping_head", "unit_head", tianjin_units["120101"])


IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
IMMEDIATE_TASKS = {"default": {"BACKEND": IMMEDIATE, "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    """A background job runs inside the request that starts it, so a test sees its outcome
    at once; `ducha/jobs/tests/` queue them in the database and run workers instead."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness costs a third of a second per demo account; not in tests."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def _demo_for_module(django_db_setup, django_db_blocker):
    """`ducha demo` loaded once per test module (it takes a second or two), removed after.

    Each test still runs in its own transaction, rolled back at its end, so tests that change
    things do not see each other's changes.
    """
    from ducha.core.tests.rules import module_data
    from ducha.demo.services import load_demo

    # Flushed after, also when loading failed half-way: the org units and the plan are loaded
    # before the demo's own transaction, and would otherwise leak into every later module.
    yield from module_data(django_db_blocker, load_demo)


@pytest.fixture
def demo(_demo_for_module, db):
    """The demo data (org units, the Tianjin plan, values, one account per role)."""
    from dataclasses import replace

    from ducha.plans.models import Plan

    return replace(_demo_for_module, plan=Plan.objects.get(pk=_demo_for_module.plan.pk))


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Chinese), as a fresh process does.

    The test client's LocaleMiddleware leaves the language of its last request active in the
    thread; a command called afterwards would otherwise answer in that language.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_holiday_calendar():
    """The recorded holiday calendar is cached per process: a test's years, rolled back with
    its transaction, must not reach the next test."""
    yield
    from ducha.workcalendar import selectors

    selectors.forget()


# --- browser tests: Playwright driving Debian's Chromium against a live server ----------------

ROOT = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"  # screenshots (gitignored)
CHROMIUM = os.environ.get("DUCHA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _browser_unavailable(reason: str):
    """Skip without a browser, except in CI (CI=true), where that is an error."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _require_echarts_assets():
    """The charts' scripts, fetched at set-up time: without them every chart page fails in
    the browser with a bare console 404, so say what is missing and how to get it."""
    from ducha.core import assets

    absent = assets.missing()
    if absent:
        names = ", ".join(f"{a.package} {a.version}" for a in absent)
        pytest.fail(
            f"browser tests need {names} in {assets.VENDOR_DIR}, which is not there: "
            "run `.venv/bin/ducha fetchassets` (`make install` does it)",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`), one per module."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _browser_unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("playwright is not installed (pip install -e '.[dev]')")
    _require_echarts_assets()
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Reports every Content-Security-Policy violation a page meets to the test (BrowserSession.csp).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__duchaCspViolation(
    e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile
      + ":" + e.lineNumber + " " + (e.sample || "")
  );
});
"""


class BrowserSession:
    """One person in one browser context, with what the pages did recorded.

    Nothing may load from another host: every request is routed, and one to a host other
    than the live server is recorded and aborted (a CDN cannot even be tried). Script errors
    and console errors are recorded too, and so is every Content-Security-Policy violation;
    ``assert_clean`` fails on any of them.
    """

    def __init__(self, browser, live_server, viewport=DESKTOP, locale="zh-CN"):
        self.base = live_server.url
        self.host = urlparse(self.base).hostname
        self.context = browser.new_context(viewport=viewport, locale=locale)
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.responses = []
        self.csp: list[str] = []  # Content-Security-Policy violations the pages reported
        self.context.route("**/*", self._route)
        self.context.expose_function("__duchaCspViolation", lambda text: self.csp.append(text))
        self.context.add_init_script(CSP_LISTENER)
        self.page = self.context.new_page()
        self.page.base = self.base
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: self.responses.append(r))
        self.dialogs: list[str] = []  # what every dialog said
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith("data:") or host in {self.host, "localhost", "127.0.0.1"}:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.accept()  # "are you sure?" → yes

    def login(self, username, password="ducha-demo-2018"):
        self.page.goto(f"{self.base}/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation():
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
        assert self.errors == [], f"console or script errors: {self.errors}"
        assert self.csp == [], f"Content-Security-Policy violations: {self.csp}"

    def close(self):
        self.context.close()


@pytest.fixture
def browser_session(browser, live_server):
    """``browser_session(viewport=…, locale=…)`` opens a fresh browser context on the live
    server; all are closed after the test."""
    opened = []

    def _open(**kwargs):
        s = BrowserSession(browser, live_server, **kwargs)
        opened.append(s)
        return s

    yield _open
    for s in opened:
        s.close()


# --- the PostgreSQL pass runs only what touches the database ------------------------------

DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def _touches_database(item) -> bool:
    # Not `django_db_blocker`: pytest-django's autouse fixtures put it in every test's closure.
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(DB_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """With DUCHA_DB_TESTS_ONLY=1 (the PostgreSQL pass of `make test`), deselect the tests that
    never touch the database: they already ran on SQLite and would only run again unchanged."""
    if os.environ.get("DUCHA_DB_TESTS_ONLY") != "1":
        return
    kept, dropped = [], []
    for item in items:
        (kept if _touches_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
