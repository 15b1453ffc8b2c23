"""Hostile text everywhere, every page and chart as every role, in Chromium: nothing runs.

Markup and script payloads go into every free text a user or an import can set (org units,
parks, plan, nodes, indicators, milestones, values, reports, return reasons, 督办 cases,
bulletins, register records, awards, uploaded file names, display names, even a user name
typed at the sign-in page). Then each role opens its pages, and every chart shows the tooltip
of every point. A page passes when no dialog opened, the global flag stayed unset, no
Content-Security-Policy violation was reported (an injected handler would be one, even though
the policy stops it), no element came from the payload (no <img src=x>, no on…= attribute, no
script mentioning the flag, no javascript: link), the image "x" was never requested, and the
payload is on the page as text. One demo, payloads planted once, one browser.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

# both databases: what a column holds and how it is cut differ (a payload longer than a
# column fails on PostgreSQL only)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.both_databases,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PLAN = "tianjin-2018-ai"
FLAG = "window.__pwned=1"
IMG = f"<img src=x onerror={FLAG}>"
SCRIPT = f"<script>{FLAG}</script>"
SVG = f'"><svg onload={FLAG}>'
CURLY = "{a|b}{@x}"  # ECharts' rich-text and template syntax, for its labels
LONG = f"{SVG}{IMG}{SCRIPT}{CURLY}"
JS_URL = f"javascript:{FLAG}"
SEEN = f"onerror={FLAG}"  # what every payload leaves on the page as text


def hostile(tag: str, room: int) -> str:
    """The longest payload that fits `room` characters, after a findable "XSS<tag>"."""
    for payload in (LONG, f"{IMG}{SCRIPT}", IMG):
        text = f"XSS{tag}{payload}"
        if len(text) <= room:
            return text
    raise AssertionError(f"{tag}: {room} characters are too few for a payload")


def _set(obj, **fields):
    """Each field gets a payload sized to the column."""
    for name, tag in fields.items():
        room = obj._meta.get_field(name).max_length or 2000
        setattr(obj, name, hostile(tag, room))
    obj.save()
    return obj


def _plant(office) -> dict:
    """Payloads in every kind of free text; returns the objects the pages are about."""
    from ducha.accounts.models import User
    from ducha.datavalues.models import DataValue, MilestoneReport
    from ducha.enterprises.models import Enterprise
    from ducha.extraction.services import upload_document
    from ducha.extraction.tests.conftest import SMALL_PLAN
    from ducha.incentives.models import Application, Scheme
    from ducha.orgunits.models import OrgUnit
    from ducha.parks.models import Park
    from ducha.plans.models import Indicator, Milestone, Plan, PlanNode
    from ducha.platforms.models import Platform
    from ducha.portal.models import Bulletin
    from ducha.projects.models import Project
    from ducha.reporting import services as reporting
    from ducha.reporting.models import Assignment, Round, Transition
    from ducha.supervision import services as supervision
    from ducha.talents.models import Talent, Team
    from ducha.technologies.models import KeyTechnology

    heping = OrgUnit.objects.get(code="120101")
    _set(heping, name="unit", short_name="unitS")
    _set(OrgUnit.objects.get(code="120116"), short_name="zoneS")
    for park in Park.objects.filter(longitude__isnull=False)[:3]:
        _set(park, name=f"park{park.pk}", short_name=f"pS{park.pk}", designation="desig")
    plan = _set(Plan.objects.get(code=PLAN), short_title="plan")
    for node in PlanNode.objects.filter(plan=plan, indicators__isnull=False).distinct()[:2]:
        _set(node, title=f"node{node.pk}", text=f"nodeT{node.pk}")
    scale = _set(Indicator.objects.get(plan=plan, code="TJ-GOAL-SCALE"), name="ind")
    _set(Milestone.objects.filter(plan=plan).first(), title="mile")
    for report in MilestoneReport.objects.all()[:3]:
        _set(report, note="mnote", evidence="mev")
    for value in DataValue.objects.filter(indicator=scale)[:40]:
        _set(value, note="vnote", source_note="vsrc")  # the source itself is a choice
    DataValue.objects.filter(indicator=scale, org_unit=heping).update(source_url=JS_URL)

    rnd = Round.objects.filter(is_demo=True).order_by("-pk").first()
    _set(rnd, title="round")
    assignment = Assignment.objects.filter(org_unit=heping, round=rnd).first()
    _set(assignment, narrative="narr", explanation="expl", return_reason="ret")
    for transition in Transition.objects.filter(assignment__org_unit=heping)[:10]:
        _set(transition, comment="trans")
    for returned in Assignment.objects.exclude(return_reason="")[:5]:
        _set(returned, return_reason="ret")
    pdf = b"%PDF-1.4\n%%EOF\n"
    evidence = reporting.add_evidence(
        office, assignment, SimpleUploadedFile(f"XSSfile{IMG}.pdf", pdf), description=IMG
    )

    case = supervision.open_case(
        office,
        kind="instruction",
        title=hostile("case", 200),
        body=hostile("caseB", 5000),
        leader_name=hostile("leader", 50),
        org_unit=heping,
        due=dt.date(2030, 1, 1),
        indicator=scale,
    )
    for bulletin in Bulletin.objects.all():
        _set(bulletin, title=f"bul{bulletin.pk}", body=f"bulB{bulletin.pk}")
    published = Bulletin.objects.filter(published=True, archived_at=None).first()

    records = {}
    for key, model, fields in [
        ("enterprise", Enterprise, {"name": "ent", "address": "addr", "note": "entN"}),
        ("project", Project, {"name": "proj", "partner": "partner", "note": "projN"}),
        ("platform", Platform, {"name": "plat", "holder_name": "holder"}),
        ("technology", KeyTechnology, {"name": "tech", "holder_name": "tholder"}),
        ("talent", Talent, {"name": "tal", "employer_name": "employer"}),
        ("team", Team, {"name": "team", "leader_name": "tleader", "host_name": "host"}),
    ]:
        record = model.objects.filter(district=heping).first() or model.objects.first()
        records[key] = _set(record, **fields)
    application = _set(
        Application.objects.filter(district=heping).first(), note="appN", reason="appR"
    )
    _set(Scheme.objects.first(), name="scheme", rule_text="rule")

    data = SMALL_PLAN.encode("utf-8")
    upload = upload_document(office, f"XSSdoc{IMG}.txt", [data], len(data), code="xss-draft")

    for user in User.objects.exclude(username="admin"):
        _set(user, display_name=f"who{user.pk}")
    return {
        "plan": plan,
        "assignment": assignment,
        "evidence": evidence,
        "round": rnd,
        "case": case,
        "bulletin": published,
        "application": application,
        "upload": upload.upload,
        "draft": upload.upload.plan,
        **records,
    }


def _pages(role: str, w: dict) -> list[str]:
    code = w["plan"].code
    r = reverse
    scale = r("dashboards:indicator", args=[code, "TJ-GOAL-SCALE"])
    plan_pages = [
        r("dashboards:cockpit", args=[code]),
        r("dashboards:map", args=[code]),
        scale,
        r("dashboards:tree", args=[code]),
        r("dashboards:unit", args=[code, "120101"]),
        r("plans:detail", args=[code]),
        r("plans:indicator", args=[code, "TJ-GOAL-SCALE"]),
    ]
    registers = [
        r(f"{key}:detail", args=[w[record].pk])
        for key, record in [
            ("enterprises", "enterprise"),
            ("projects", "project"),
            ("platforms", "platform"),
            ("technologies", "technology"),
            ("talents", "talent"),
            ("teams", "team"),
        ]
    ] + [r("enterprises:list") + "?q=XSS", r("parks:list")]
    unit_pages = [
        r("reporting:index"),
        r("reporting:assignments") + "?all=1&q=XSS",
        r("reporting:assignment", args=[w["assignment"].pk]),
        r("reporting:round", args=[w["round"].pk]),
        r("supervision:case", args=[w["case"].pk]),
        r("incentives:detail", args=[w["application"].pk]),
        r("incentives:list"),
    ]
    if role == "public":
        return [
            r("portal:index"),
            r("portal:bulletin", args=[w["bulletin"].pk]),
            r("portal:plan", args=[code]),
        ]
    if role == "reporter":
        return [*unit_pages, *plan_pages[:3], *registers[:2]]
    if role == "unit_head":
        return [r("reporting:review"), *unit_pages[2:5], plan_pages[4]]
    if role == "leader":
        return [
            *plan_pages,
            r("dashboards:units", args=[code]),
            r("supervision:overview"),
            r("supervision:cases"),
            r("scorecards:ranking"),
            r("audit:log"),
            r("incentives:schemes"),
        ]
    return [  # the office: everything, the admin and the uploads too
        *plan_pages,
        *unit_pages,
        *registers,
        r("dashboards:units", args=[code]),
        r("reporting:review"),
        r("supervision:overview"),
        r("supervision:cases"),
        r("scorecards:ranking"),
        r("scorecards:unit", args=["120101"]),
        r("audit:log"),
        r("audit:security"),
        r("portal:manage"),
        r("portal:bulletin_edit", args=[w["bulletin"].pk]),
        r("registers:index"),
        r("registers:checks"),
        r("incentives:schemes"),
        r("extraction:index"),
        r("extraction:upload", args=[w["upload"].pk]),
        r("extraction:review", args=[w["draft"].code]),
        r("admin:parks_park_changelist"),
        r("admin:orgunits_orgunit_changelist") + "?q=XSS",
        r("admin:accounts_user_changelist"),
        r("admin:enterprises_enterprise_change", args=[w["enterprise"].pk]),
    ]


# Shows the tooltip of every point of every chart (the map's parks and districts too) and
# collects what the tooltips held.
TOUR = """() => {
  const out = {shown: 0, bad: [], text: ""};
  for (const c of (window.duchaCharts || [])) {
    (c.getOption().series || []).forEach((s, si) => {
      const n = Math.min((s.data || []).length, 40);
      for (let i = 0; i < n; i++) {
        c.dispatchAction({type: "showTip", seriesIndex: si, dataIndex: i});
        out.shown++;
        const dom = c.getDom();
        dom.querySelectorAll("[onerror],[onload],img,script,iframe").forEach(
          (e) => out.bad.push(e.outerHTML.slice(0, 120)));
        out.text += dom.textContent;
      }
    });
  }
  return out;
}"""

# What the payloads must not have become, and whether they are on the page as text.
INSPECT = """() => {
  const bad = [];
  const q = (sel) => document.querySelectorAll(sel);
  q("[onerror],[onload],[onclick],[onmouseover],[onfocus],img[src='x'],iframe,object,embed")
    .forEach((e) => bad.push(e.outerHTML.slice(0, 120)));
  q("script:not([type='application/json'])").forEach((s) => {
    if (s.textContent.includes("__pwned")) bad.push("script: " + s.textContent.slice(0, 80));
  });
  q("[href^='javascript:' i],[src^='javascript:' i],[action^='javascript:' i]")
    .forEach((e) => bad.push(e.outerHTML.slice(0, 120)));
  const body = document.body.cloneNode(true);
  body.querySelectorAll("script").forEach((s) => s.remove());
  const inputs = Array.from(q("input,textarea")).map((e) => e.value).join(" ");
  return {bad, pwned: window.__pwned === 1, text: body.textContent + " " + inputs};
}"""


def _visit(session, path: str, failures: dict) -> None:
    response = session.page.goto(f"{session.base}{path}")
    session.page.wait_for_load_state("networkidle")
    if path.startswith("/dashboards/") and "/map/" in path:
        session.page.wait_for_selector("#district-map[data-ready='1']", timeout=15000)
    tour = session.page.evaluate(TOUR)
    found = session.page.evaluate(INSPECT)
    problems = []
    if response is None or response.status != 200:
        problems.append(f"answered {response.status if response else None}")
    if found["bad"] or tour["bad"]:
        problems.append(f"markup from the payload: {found['bad'] + tour['bad']}")
    if found["pwned"]:
        problems.append("the payload ran")
    if SEEN not in found["text"] + tour["text"]:
        problems.append("no payload on the page as text")
    if "/map/" in path and SEEN not in tour["text"]:
        problems.append("the map's tooltips did not show the park and unit names as text")
    requested_x = [
        r.url for r in session.responses if urlparse(r.url).path.rstrip("/").endswith("/x")
    ]
    if requested_x:
        problems.append(f"the payload's image was requested: {requested_x}")
    if session.csp:
        problems.append(f"CSP violations: {session.csp}")
    if session.dialogs:
        problems.append(f"dialogs: {session.dialogs}")
    if problems:
        failures[path] = problems
    session.responses.clear()
    session.csp.clear()
    session.dialogs.clear()


def test_hostile_text_is_shown_as_text_on_every_page_and_chart_for_every_role(
    browser_session, live_server
):
    from ducha.accounts.models import User
    from ducha.demo.services import load_demo

    load_demo()
    office = User.objects.get(username="office")
    world = _plant(office)
    # the public plan page shows what the office last published: publish the planted text
    from ducha.plans.models import Plan
    from ducha.portal.services import publish_plan

    publish_plan(office, Plan.objects.get(code="tianjin-2018-ai"), True)
    heping_head = User.objects.get(username="heping_head")
    # A sign-in attempt with a hostile user name lands in the security log the office reads.
    attacker = browser_session()
    attacker.page.goto(f"{attacker.base}/login/")
    attacker.page.fill("input[name=username]", hostile("login", 150))
    attacker.page.fill("input[name=password]", "wrong-password-1")
    attacker.page.click("button[type=submit]")
    attacker.page.wait_for_load_state("networkidle")
    attacker.close()

    failures: dict[str, dict] = {}
    visited = 0
    for role, username in [
        ("office", "office"),
        ("leader", "leader"),
        ("unit_head", heping_head.username),
        ("reporter", "heping"),
        ("public", None),
    ]:
        session = browser_session()
        if username:
            session.login(username)
        found: dict[str, list] = {}
        for path in _pages(role, world):
            _visit(session, path, found)
            visited += 1
        if found:
            failures[role] = found
        session.close()
    assert failures == {}, failures
    assert visited > 60
