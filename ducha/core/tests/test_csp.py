"""Content-Security-Policy and Permissions-Policy on every response, and templates that need
neither inline script nor event-handler attributes (docs/security.md)."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import ducha

PLAN = "tianjin-2018-ai"
# One page of every app (and the site's own pages): lists need no object to exist.
NAMED = [
    ("plans:list", []),
    ("plans:detail", [PLAN]),
    ("datavalues:import", []),
    ("dashboards:cockpit", [PLAN]),
    ("dashboards:map", [PLAN]),
    ("dashboards:indicator", [PLAN, "TJ-GOAL-SCALE"]),
    ("extraction:index", []),
    ("reporting:index", []),
    ("supervision:overview", []),
    ("scorecards:ranking", []),
    ("audit:log", []),
    ("portal:manage", []),
    ("registers:index", []),
    ("parks:list", []),
    ("enterprises:list", []),
    ("projects:list", []),
    ("platforms:list", []),
    ("technologies:list", []),
    ("talents:list", []),
    ("teams:list", []),
    ("incentives:schemes", []),
    ("api:openapi-view", []),
    ("api:openapi-json", []),
    ("api:list_plans", []),
    ("admin:index", []),
    ("admin:accounts_user_changelist", []),
]


def _directives(header: str) -> dict[str, list[str]]:
    found = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


def assert_protected(response):
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"], csp  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["style-src-elem"] == ["'self'"]
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_every_app_answers_with_the_csp_and_permissions_policy(tianjin_plan, office):
    office.is_staff = True  # as the demo's office: the admin too
    office.save()
    client = Client()
    client.force_login(office)
    urls = ["/", "/login/", "/no-such-page/", *(reverse(n, args=a) for n, a in NAMED)]
    statuses = {}
    for url in urls:
        response = client.get(url)
        statuses[url] = response.status_code
        assert_protected(response)
    assert statuses.pop("/no-such-page/") == 404
    assert statuses.pop("/") == 302
    assert {u: s for u, s in statuses.items() if s != 200} == {}


@pytest.mark.django_db
def test_refusals_and_the_public_portal_carry_the_headers_too(reporter_heping):
    anonymous = Client()
    assert_protected(anonymous.get(reverse("portal:index")))
    assert_protected(anonymous.get(reverse("audit:log")))  # redirected to sign in
    client = Client()
    client.force_login(reporter_heping)
    refused = client.get(reverse("audit:log"))
    assert refused.status_code == 403
    assert_protected(refused)


TEMPLATES = sorted(
    p for p in Path(ducha.__file__).parent.rglob("templates/**/*.html") if "vendor" not in p.parts
)
# An attribute such as onclick= or onsubmit= (not data-on…, not a word inside text).
HANDLER = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.IGNORECASE | re.DOTALL)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
# Rendered to PDF by WeasyPrint, never served to a browser.
PRINT_ONLY = {"portal/bulletin_print.html"}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_templates_carry_no_inline_script_handler_or_style_element(template):
    text = template.read_text()
    assert not HANDLER.findall(text), "event-handler attributes: move them to a static script"
    assert "javascript:" not in text.lower()
    for attributes in SCRIPT.findall(text):
        # a script is a file of ducha's, or data the page's script reads (json_script)
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    if f"{template.parent.name}/{template.name}" not in PRINT_ONLY:
        assert not STYLE_ELEMENT.search(text), "a <style> element: move it to a static file"


def test_the_scan_finds_what_it_looks_for():
    assert HANDLER.findall('<form method="post" onsubmit="return confirm(1)">')
    assert not HANDLER.findall('<form data-confirm="x" class="noprint">one day</form>')
    assert SCRIPT.findall("<script>alert(1)</script>") == [""]
