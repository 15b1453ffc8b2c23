"""Every page and API endpoint, called as every role: who gets what.

The objects belong to 和平区 (heping). "binhai" is a reporter of another district. A new URL
without a row here fails `test_every_url_is_in_the_matrix`.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from ducha.portal import services as portal
from ducha.reporting import services as reporting
from ducha.reporting.models import AssignmentStatus, Evidence, Round, RoundState
from ducha.scorecards.models import RankingWeights
from ducha.supervision import services as supervision
from ducha.supervision.models import Case, CaseState

# The office checks what a unit reports on a case; it does not answer for the unit (unless
# the case is the office's own).

pytestmark = pytest.mark.django_db

ROLES = ["anon", "office", "leader", "heping", "heping_head", "binhai"]
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(tianjin_plan, office, leader, reporter_heping, head_heping, reporter_binhai):
    rnd = reporting.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
    a = rnd.assignments.get(org_unit__code="120101", indicator__code="TJ-GOAL-SCALE")
    ev = reporting.add_evidence(office, a, SimpleUploadedFile("a.pdf", PDF))
    case = supervision.open_case(
        office,
        kind="rectification",
        title="整改",
        body="请整改",
        org_unit=a.org_unit,
        due=dt.date(2030, 1, 1),
    )
    public = portal.save_bulletin(office, None, title="通报", body="正文")
    portal.set_bulletin_state(office, public, published=True)
    portal.publish_plan(office, tianjin_plan, True)
    users = {
        "office": office,
        "leader": leader,
        "heping": reporter_heping,
        "heping_head": head_heping,
        "binhai": reporter_binhai,
    }
    return {
        "plan": tianjin_plan,
        "round": rnd,
        "a": a,
        "ev": ev,
        "case": case,
        "bulletin": public,
        "users": users,
    }


def _client(world, role):
    client = Client()
    if role != "anon":
        client.force_login(world["users"][role])
    return client


def _row(anon, office, leader, heping, head, binhai):
    return dict(zip(ROLES, [anon, office, leader, heping, head, binhai], strict=True))


ALL = _row(302, 200, 200, 200, 200, 200)
OFFICE_ONLY = _row(302, 200, 403, 403, 403, 403)
READERS = _row(302, 200, 200, 403, 403, 403)
OWN_UNIT = _row(302, 200, 200, 200, 200, 404)
PUBLIC = _row(200, 200, 200, 200, 200, 200)

# (url name, args from the world, expected status per role)
PAGES = [
    ("home", lambda w: [], _row(302, 302, 302, 302, 302, 302)),
    ("login", lambda w: [], PUBLIC),
    ("plans:list", lambda w: [], ALL),
    ("plans:detail", lambda w: [w["plan"].code], ALL),
    ("plans:indicator", lambda w: [w["plan"].code, "TJ-GOAL-SCALE"], ALL),
    ("datavalues:import", lambda w: [], _row(302, 200, 403, 200, 200, 200)),
    ("datavalues:template", lambda w: [], ALL),
    ("reporting:index", lambda w: [], ALL),
    ("reporting:round_open", lambda w: [], OFFICE_ONLY),
    ("reporting:round", lambda w: [w["round"].pk], ALL),
    ("reporting:assignments", lambda w: [], ALL),
    ("reporting:assignment", lambda w: [w["a"].pk], OWN_UNIT),
    ("reporting:review", lambda w: [], _row(302, 200, 403, 403, 200, 403)),
    ("reporting:evidence", lambda w: [w["ev"].pk], OWN_UNIT),
    ("supervision:overview", lambda w: [], ALL),
    ("supervision:cases", lambda w: [], ALL),
    ("supervision:case_new", lambda w: [], OFFICE_ONLY),
    ("supervision:case", lambda w: [w["case"].pk], OWN_UNIT),
    ("scorecards:ranking", lambda w: [], _row(302, 200, 200, 302, 302, 302)),
    ("scorecards:unit", lambda w: ["120101"], OWN_UNIT),
    ("scorecards:weights", lambda w: [], OFFICE_ONLY),
    ("audit:log", lambda w: [], READERS),
    ("audit:history", lambda w: ["reporting", "assignment", w["a"].pk], READERS),
    ("portal:index", lambda w: [], PUBLIC),
    ("portal:bulletin", lambda w: [w["bulletin"].pk], PUBLIC),
    ("portal:plan", lambda w: [w["plan"].code], PUBLIC),
    ("portal:manage", lambda w: [], OFFICE_ONLY),
    ("api:openapi-json", lambda w: [], PUBLIC),
    ("api:openapi-view", lambda w: [], PUBLIC),
    ("api:list_assignments", lambda w: [], _row(401, 200, 200, 200, 200, 200)),
    ("api:get_assignment", lambda w: [w["a"].pk], _row(401, 200, 200, 200, 200, 404)),
]


def test_every_page_as_every_role(world):
    clients = {role: _client(world, role) for role in ROLES}
    wrong = {}
    for name, args, expected in PAGES:
        url = reverse(name, args=args(world))
        got = {role: clients[role].get(url).status_code for role in ROLES}
        if got != expected:
            wrong[name] = {r: (got[r], expected[r]) for r in ROLES if got[r] != expected[r]}
    assert wrong == {}, "(got, expected) per role"


def _as_each_role(world, run):
    """Run `run(role)` for every role, each on the same world, rolled back afterwards."""
    for role in ROLES:
        with transaction.atomic():
            run(role)
            transaction.set_rollback(True)


# POSTs: (url name, args, body, did-it-happen check, roles for which it must happen)
def _saved(w):
    w["a"].refresh_from_db()
    return w["a"].value is not None


def _submitted(w):
    w["a"].refresh_from_db()
    return w["a"].status == AssignmentStatus.SUBMITTED


def _prepare_submit(w):
    reporting.save_assignment(None, w["a"], expected_version=None, value="3")


def _prepare_unit_approved(w):
    a = reporting.save_assignment(None, w["a"], expected_version=None, value="3")
    a = reporting.submit(None, a, expected_version=None)
    reporting.unit_approve(None, a, expected_version=None)


def _approved(w):
    w["a"].refresh_from_db()
    return w["a"].status == AssignmentStatus.APPROVED


def _version(w):
    w["a"].refresh_from_db()
    return w["a"].version


ACTIONS = [
    (
        "reporting:round_open",
        lambda w: [],
        lambda w: {
            "plan": w["plan"].pk,
            "period": "2019Q4",
            "opened_on": "2020-01-02",
            "working_days": 10,
            "change_threshold": "0.3",
        },
        None,
        lambda w: Round.objects.filter(period="2019Q4").exists(),
        {"office"},
    ),
    (
        "reporting:round_state",
        lambda w: [w["round"].pk],
        lambda w: {"state": "closed"},
        None,
        lambda w: Round.objects.get(pk=w["round"].pk).state == RoundState.CLOSED,
        {"office"},
    ),
    (
        "reporting:assignment",
        lambda w: [w["a"].pk],
        lambda w: {"value": "5", "version": _version(w)},
        None,
        _saved,
        {"office", "heping", "heping_head"},
    ),
    (
        "reporting:action",
        lambda w: [w["a"].pk, "submit"],
        lambda w: {"version": _version(w)},
        _prepare_submit,
        _submitted,
        {"office", "heping", "heping_head"},
    ),
    (
        "reporting:action",
        lambda w: [w["a"].pk, "approve"],
        lambda w: {"version": _version(w)},
        _prepare_unit_approved,
        _approved,
        {"office"},
    ),
    (
        "reporting:evidence_upload",
        lambda w: [w["a"].pk],
        lambda w: {"file": SimpleUploadedFile("b.pdf", PDF)},
        None,
        lambda w: Evidence.objects.count() == 2,
        {"office", "heping", "heping_head"},
    ),
    (
        "reporting:evidence_archive",
        lambda w: [w["ev"].pk],
        lambda w: {},
        None,
        lambda w: Evidence.objects.get(pk=w["ev"].pk).archived_at is not None,
        {"office", "heping", "heping_head"},
    ),
    (
        "supervision:case_new",
        lambda w: [],
        lambda w: {
            "kind": "rectification",
            "title": "新整改",
            "body": "请整改",
            "org_unit": w["a"].org_unit_id,
            "due": "2030-01-01",
        },
        None,
        lambda w: Case.objects.filter(title="新整改").exists(),
        {"office"},
    ),
    (
        "supervision:case_move",
        lambda w: [w["case"].pk, "in_progress"],
        lambda w: {"version": Case.objects.get(pk=w["case"].pk).version},
        None,
        lambda w: Case.objects.get(pk=w["case"].pk).state == CaseState.IN_PROGRESS,
        {"heping", "heping_head"},
    ),
    (
        "scorecards:weights",
        lambda w: [],
        lambda w: {"timeliness": 1, "completeness": 2, "progress": 3, "quality": 4},
        None,
        lambda w: RankingWeights.objects.filter(timeliness=1).exists(),
        {"office"},
    ),
    (
        "portal:bulletin_state",
        lambda w: [w["bulletin"].pk],
        lambda w: {"what": "archive"},
        None,
        lambda w: w["bulletin"].__class__.objects.get(pk=w["bulletin"].pk).archived_at is not None,
        {"office"},
    ),
    (
        "portal:plan_publish",
        lambda w: [w["plan"].pk],
        lambda w: {"published": "0"},
        None,
        lambda w: not w["plan"].publication.__class__.objects.get(plan=w["plan"]).published,
        {"office"},
    ),
]


@pytest.mark.parametrize(
    "name,args,body,prepare,happened,allowed",
    ACTIONS,
    ids=[f"{a[0]}-{i}" for i, a in enumerate(ACTIONS)],
)
def test_post(world, name, args, body, prepare, happened, allowed):
    def run(role):
        if prepare:
            prepare(world)
        response = _client(world, role).post(reverse(name, args=args(world)), body(world))
        assert happened(world) == (role in allowed), (role, response.status_code)
        if role == "anon":
            assert response.status_code == 302 and "/login/" in response["Location"]

    _as_each_role(world, run)


API = "/api/reporting/assignments"
API_STEPS = [
    (
        "put",
        "",
        lambda w: {"version": _version(w), "value": "5"},
        None,
        _saved,
        {"office", "heping", "heping_head"},
    ),
    (
        "post",
        "/submit",
        lambda w: {"version": _version(w)},
        _prepare_submit,
        _submitted,
        {"office", "heping", "heping_head"},
    ),
    (
        "post",
        "/unit-approve",
        lambda w: {"version": _version(w)},
        lambda w: reporting.submit(
            None,
            reporting.save_assignment(None, w["a"], expected_version=None, value="3"),
            expected_version=None,
        ),
        lambda w: type(w["a"]).objects.get(pk=w["a"].pk).status == AssignmentStatus.UNIT_APPROVED,
        {"heping_head", "office"},
    ),
    (
        "post",
        "/approve",
        lambda w: {"version": _version(w)},
        _prepare_unit_approved,
        _approved,
        {"office"},
    ),
]


@pytest.mark.parametrize(
    "method,step,body,prepare,happened,allowed", API_STEPS, ids=[s[1] or "save" for s in API_STEPS]
)
def test_api(world, method, step, body, prepare, happened, allowed):
    def run(role):
        if prepare:
            prepare(world)
        client = _client(world, role)
        response = getattr(client, method)(
            f"{API}/{world['a'].pk}{step}", body(world), content_type="application/json"
        )
        assert happened(world) == (role in allowed), (role, response.content)
        expected = {"anon": 401, "binhai": 404}.get(role, 200 if role in allowed else 403)
        assert response.status_code == expected, role

    _as_each_role(world, run)


def _urls(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _urls(p.url_patterns, p.namespace or ns)
        elif p.name:
            yield f"{ns}:{p.name}" if ns else p.name


def test_every_url_is_in_the_matrix():
    covered = {p[0] for p in PAGES} | {a[0] for a in ACTIONS}
    covered |= {"logout", "set_language", "plans:state", "api:api-root"}  # not role-scoped
    covered |= {
        f"api:{n}"
        for n in (
            "save_assignment",
            "submit",
            "unit_approve",
            "approve",
            "return_assignment",
            "reopen",
        )
    }
    missing = {u for u in _urls(get_resolver().url_patterns) if not u.startswith("admin:")}
    assert missing - covered == set()
