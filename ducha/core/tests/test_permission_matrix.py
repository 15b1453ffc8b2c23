"""Every page and API endpoint, called as every role: who gets what.

The objects belong to 和平区 (heping). "binhai" is a reporter of another district. A new URL
without a row here fails `test_every_url_is_in_the_matrix`. The registers hold one record of
each kind in 和平区 (and an enterprise in 滨海新区); the talent's personal data must reach the
office only (`test_personal_data_of_talents_reaches_the_office_only`). A draft plan from an
uploaded document is the office's alone, and so is its review.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse

from ducha.datavalues.models import ApprovedValue, DataValue
from ducha.engine.idnumber import make_id
from ducha.portal import jobs as bulletin_jobs
from ducha.portal import services as portal
from ducha.quality import services as quality
from ducha.quality.models import QualitySettings, SumRule
from ducha.reporting import services as reporting
from ducha.reporting.models import AssignmentStatus, Evidence, Round, RoundState
from ducha.scorecards.models import Objection, RankingWeights
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
    # a manual indicator that adds up over the districts: 和平区 reports its own figure
    a = rnd.assignments.get(org_unit__code="120101", indicator__code="TJ-IND-SUPPLIER50")
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
    unpublished = portal.save_bulletin(office, None, title="通报草稿", body="未发布")
    portal.publish_plan(office, tianjin_plan, True)
    # a background job 和平区's reporter started (a bulletin's Word file, done at once here)
    job = bulletin_jobs.rendering(reporter_heping, public, "docx")
    rule = quality.add_rule(
        office,
        tianjin_plan,
        title="六大产业",
        whole=tianjin_plan.indicators.get(code="TJ-GOAL-SCALE"),
        parts=list(tianjin_plan.indicators.filter(code__startswith="TJ-IND-", unit="亿元")),
    )
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
        "unpublished": unpublished,
        "job": job,
        "rule": rule,
        "users": users,
        **_registers(office),
        **_draft(office),
        **_incentives(),
        "robot": _robot(tianjin_plan),
        "holiday": _holiday(),
    }


def _unlink(w, code) -> None:
    from ducha.alignment.models import Alignment

    mine = _draft_indicator(w)
    Alignment.objects.filter(source=mine, target__code=code).delete()
    Alignment.objects.filter(target=mine, source__code=code).delete()


def _linked(w, code) -> bool:
    from ducha.alignment.models import Alignment

    return Alignment.objects.filter(source=_draft_indicator(w), target__code=code).exists()


def _link_state(w) -> str:
    from ducha.alignment.models import Alignment

    return Alignment.objects.get(source=_draft_indicator(w), target__code="TJ-GOAL-SCALE").state


def _link(w) -> object:
    """A suggested link from the draft plan's indicator to a city target."""
    from ducha.alignment.models import Alignment

    source, target = _draft_indicator(w), w["plan"].indicators.get(code="TJ-GOAL-SCALE")
    link = Alignment.objects.filter(source=source, target=target).first()
    if link is None:
        link = Alignment.objects.create(source=source, target=target, relation="contributes_to")
    Alignment.objects.filter(pk=link.pk).update(state="proposed")
    return link


def _holiday():
    """2027 recorded with one holiday (1 January)."""
    from ducha.workcalendar import services as workcalendar

    return workcalendar.save_day(None, day=dt.date(2027, 1, 1), kind="holiday", name="元旦")


def _robot(plan):
    """A group robot of 和平区's whose address answers nothing (a refused connection)."""
    from ducha.notifications.models import Robot
    from ducha.orgunits.models import OrgUnit

    return Robot.objects.create(
        name="和平区工作群",
        kind="wecom",
        org_unit=OrgUnit.objects.get(code="120101"),
        webhook_url="http://127.0.0.1:9/wecom?key=none",
    )


# The talent's personal data (ID number, birth date, phone and e-mail, each before and after
# a correction): none of it may appear on any page or export for anyone but the office.
TALENT_ID = make_id("12010119790317002")
NEW_EMAIL = "wei.zhang@example.cn"
PERSONAL = [
    TALENT_ID,
    "1979-03-17",
    "13812345678",
    "13900001111",
    "zhang.wei@example.cn",
    NEW_EMAIL,
]
HEPING_FIRM = "和平智能软件有限公司"
BINHAI_FIRM = "滨海智能机器人有限公司"


def _registers(office) -> dict:
    """One record of every register in 和平区, through the importer as the office imports."""
    from ducha.enterprises.models import Enterprise
    from ducha.parks.models import Park
    from ducha.parks.services import load_park_file
    from ducha.platforms.models import Platform
    from ducha.projects.models import Project
    from ducha.registers.services import save_record
    from ducha.registers.tests.conftest import code, csv_bytes, run_import
    from ducha.talents.models import Talent, Team
    from ducha.technologies.models import KeyTechnology

    load_park_file()
    firm = code("120101", "MA05JJ8K1")
    imports = [
        (
            "enterprises",
            f"企业名称,统一社会信用代码,所在区,主导产业\n{HEPING_FIRM},{firm},和平区,智能软件\n"
            f"{BINHAI_FIRM},{code('120116', 'MA05JJ8K2')},滨海新区,智能机器人",
        ),
        (
            "teams",
            "团队名称,带头人,团队级别,所在区,成员人数,引进日期\n和平智能团队,王强,顶尖团队,和平区,8,2019.5",
        ),
        (
            "talents",
            "姓名,证件号码,出生日期,手机号码,电子邮箱,人才类别,工作单位,所属团队,所在区,引进日期\n"
            f"张伟,{TALENT_ID},1979-03-17,13812345678,zhang.wei@example.cn,高端研发人才,{firm},"
            "和平智能团队,和平区,2019.5",
        ),
        # a correction of the phone number: the audit entry of the change is personal data too
        ("talents", f"姓名,证件号码,手机号码\n张伟,{TALENT_ID},13900001111"),
        (
            "projects",
            "项目编号,项目名称,项目类型,所属领域,所在区,签约日期\nP-HP-1,和平智能工厂,市级试点示范,3.1,和平区,2019.1",
        ),
        (
            "platforms",
            f"平台名称,级别,平台类型,依托单位,认定日期\n和平重点实验室,国家级,重点实验室,{firm},2019.6",
        ),
        (
            "technologies",
            f"技术名称,技术领域,突破单位,突破日期\n和平语音识别,自然语言处理,{firm},2019.6",
        ),
    ]
    for key, text in imports:
        run_import(key, csv_bytes(text), actor=office)
    # and a new e-mail address through the admin's path
    talent = Talent.objects.get()
    talent.email = NEW_EMAIL
    save_record(office, talent, ["email"])
    return {
        "park": Park.objects.order_by("pk").first(),
        "enterprise": Enterprise.objects.get(name=HEPING_FIRM),
        "project": Project.objects.get(),
        "platform": Platform.objects.get(),
        "technology": KeyTechnology.objects.get(),
        "talent": talent,
        "team": Team.objects.get(),
    }


def _incentives() -> dict:
    """An award scheme of 工业和信息化局 with a 2019 budget, and a draft application of the
    和平区 enterprise (created after the registers, so the enterprise exists)."""
    from decimal import Decimal

    from ducha.enterprises.models import Enterprise
    from ducha.incentives import services as incentives
    from ducha.incentives.models import Budget, Scheme
    from ducha.orgunits.models import OrgUnit

    scheme = Scheme.objects.create(
        code="MX-ZNGZ",
        name="智能化改造补助",
        managing_unit=OrgUnit.objects.get(code="TJ-GXJ"),
        kind="subsidy",
        amount_kind="share",
        rate_percent=Decimal(10),
        cap=Decimal(500),
    )
    Budget.objects.create(scheme=scheme, year=2019, amount=Decimal(1000))
    app = incentives.create_application(
        None,
        scheme=scheme,
        enterprise=Enterprise.objects.get(name=HEPING_FIRM),
        year=2019,
        requested="300",
        base_amount="3000",
    )
    return {"scheme": scheme, "application": app}


def _draft(office) -> dict:
    """A draft plan extracted from an uploaded document, under review."""
    from ducha.extraction.services import upload_document
    from ducha.extraction.tests.conftest import SMALL_PLAN
    from ducha.plans.services import indicator_problems

    data = SMALL_PLAN.encode("utf-8")
    upload = upload_document(office, "small.txt", [data], len(data), code="small-draft").upload
    draft = upload.plan
    indicators = list(draft.indicators.select_related("plan").order_by("position"))
    sound = [i for i in indicators if not indicator_problems(i)]
    assert sound, "the small plan should give at least one indicator that can be confirmed"
    return {"upload": upload, "draft": draft, "draft_indicator": sound[0]}


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
DRAFT = _row(302, 200, 404, 404, 404, 404)

# (url name, args from the world, expected status per role)
PAGES = [
    ("home", lambda w: [], _row(302, 302, 302, 302, 302, 302)),
    ("login", lambda w: [], PUBLIC),
    ("favicon", lambda w: [], PUBLIC),
    # one's own password; a set-password link (here a spent one) answers anyone
    ("accounts:password", lambda w: [], ALL),
    ("accounts:set_password", lambda w: ["MQ", "spent-token"], PUBLIC),
    ("plans:list", lambda w: [], ALL),
    ("plans:detail", lambda w: [w["plan"].code], ALL),
    ("plans:indicator", lambda w: [w["plan"].code, "TJ-GOAL-SCALE"], ALL),
    ("plans:final", lambda w: [w["plan"].code], ALL),
    # how statuses are decided: no secret, the public portal links it
    ("assessments:method", lambda w: [], PUBLIC),
    ("datavalues:import", lambda w: [], _row(302, 200, 403, 200, 200, 200)),
    # the fill-in template goes with the import: not for leaders, who report nothing
    ("datavalues:template", lambda w: [], _row(302, 200, 403, 200, 200, 200)),
    # the values export: everyone signed in, each the values they may see, with sources
    ("datavalues:export", lambda w: [], ALL),
    # data quality: the office and leaders read it; the office sets tolerance and rules
    ("quality:index", lambda w: [], READERS),
    ("quality:settings", lambda w: [], OFFICE_ONLY),
    ("reporting:index", lambda w: [], ALL),
    ("reporting:round_open", lambda w: [], OFFICE_ONLY),
    # a background job: the one who started it follows it, and the office
    ("jobs:list", lambda w: [], ALL),
    ("jobs:detail", lambda w: [w["job"].pk], _row(302, 200, 404, 200, 404, 404)),
    ("jobs:status", lambda w: [w["job"].pk], _row(302, 200, 404, 200, 404, 404)),
    ("jobs:file", lambda w: [w["job"].pk], _row(302, 200, 404, 200, 404, 404)),
    ("healthz", lambda w: [], PUBLIC),
    ("reporting:round", lambda w: [w["round"].pk], ALL),
    ("reporting:assignments", lambda w: [], ALL),
    # a unit's open assignments on one sheet; the office picks a unit; leaders fill in nothing
    ("reporting:sheet", lambda w: [], _row(302, 200, 403, 200, 200, 200)),
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
    # objections to scores: everyone signed in, each those they may see (a unit its own)
    ("scorecards:objections", lambda w: [], ALL),
    ("audit:log", lambda w: [], READERS),
    ("audit:security", lambda w: [], OFFICE_ONLY),
    ("audit:history", lambda w: ["reporting", "assignment", w["a"].pk], READERS),
    ("portal:index", lambda w: [], PUBLIC),
    ("portal:bulletin", lambda w: [w["bulletin"].pk], PUBLIC),
    ("portal:plan", lambda w: [w["plan"].code], PUBLIC),
    ("portal:manage", lambda w: [], OFFICE_ONLY),
    # bulletins as Word and PDF: the public gets published ones; signed in, whoever may read
    # the bulletin (the office and leaders every one, a unit what is published)
    ("portal:bulletin_download", lambda w: [w["bulletin"].pk, "docx"], PUBLIC),
    ("portal:bulletin_download", lambda w: [w["unpublished"].pk, "pdf"], _row(*[404] * 6)),
    ("portal:manage_download", lambda w: [w["bulletin"].pk, "pdf"], ALL),
    (
        "portal:manage_download",
        lambda w: [w["unpublished"].pk, "docx"],
        _row(302, 200, 200, 404, 404, 404),
    ),
    ("portal:bulletin_edit", lambda w: [w["unpublished"].pk], OFFICE_ONLY),
    ("api:openapi-json", lambda w: [], PUBLIC),
    ("api:openapi-view", lambda w: [], PUBLIC),
    ("api:list_assignments", lambda w: [], _row(401, 200, 200, 200, 200, 200)),
    ("api:get_assignment", lambda w: [w["a"].pk], _row(401, 200, 200, 200, 200, 404)),
    # the read API: the plan as everyone who reads it sees it; a draft is the office's
    ("api:list_plans", lambda w: [], _row(401, 200, 200, 200, 200, 200)),
    ("api:get_plan", lambda w: [w["plan"].code], _row(401, 200, 200, 200, 200, 200)),
    ("api:get_plan", lambda w: [w["draft"].code], _row(401, 200, 404, 404, 404, 404)),
    ("api:get_assessment", lambda w: [w["plan"].code], _row(401, 200, 200, 200, 200, 200)),
    ("api:get_assessment", lambda w: [w["draft"].code], _row(401, 200, 404, 404, 404, 404)),
    ("api:list_values", lambda w: [], _row(401, 200, 200, 200, 200, 200)),
    ("api:plan_coverage", lambda w: [w["plan"].code], _row(401, 200, 200, 200, 200, 200)),
    ("api:plan_coverage", lambda w: [w["draft"].code], _row(401, 200, 404, 404, 404, 404)),
    # the dashboards: plan-wide pages for everyone who reads the plan; a unit's own card
    ("dashboards:home", lambda w: [], _row(302, 302, 302, 302, 302, 302)),
    ("dashboards:geo", lambda w: ["tianjin-districts"], PUBLIC),
    ("dashboards:cockpit", lambda w: [w["plan"].code], ALL),
    ("dashboards:indicator", lambda w: [w["plan"].code, "TJ-GOAL-SCALE"], ALL),
    ("dashboards:map", lambda w: [w["plan"].code], ALL),
    # a district's reporter has one card and is sent to it; 滨海新区 has its zones' as well
    ("dashboards:units", lambda w: [w["plan"].code], _row(302, 200, 200, 302, 302, 200)),
    ("dashboards:unit", lambda w: [w["plan"].code, "120101"], OWN_UNIT),
    ("dashboards:tree", lambda w: [w["plan"].code], ALL),
    # a draft plan is the office's until it is activated
    ("plans:detail", lambda w: [w["draft"].code], DRAFT),
    ("plans:final", lambda w: [w["draft"].code], DRAFT),
    ("dashboards:cockpit", lambda w: [w["draft"].code], DRAFT),
    # the registers: everyone signed in reads a list, scoped to what they may see (a district
    # its own records); only the office imports, checks and recomputes
    ("registers:index", lambda w: [], ALL),
    ("registers:checks", lambda w: [], OFFICE_ONLY),
    ("registers:computed", lambda w: [w["plan"].code, "TJ-ECO-TALENT"], ALL),
    (
        "registers:drilldown",
        lambda w: [w["plan"].code, "TJ-ECO-TALENT", "2019Q3", "120101"],
        OWN_UNIT,
    ),
    *[
        row
        for key, record, detail in [
            ("parks", "park", ALL),  # the plan's parks are no secret inside the platform
            ("enterprises", "enterprise", OWN_UNIT),
            ("projects", "project", OWN_UNIT),
            ("platforms", "platform", OWN_UNIT),
            ("technologies", "technology", OWN_UNIT),
            ("talents", "talent", OWN_UNIT),
            ("teams", "team", OWN_UNIT),
        ]
        for row in [
            (f"{key}:list", lambda w: [], ALL),
            (f"{key}:detail", lambda w, record=record: [w[record].pk], detail),
            (f"{key}:import", lambda w: [], OFFICE_ONLY),
            (f"{key}:export", lambda w: ["csv"], ALL),
            (f"{key}:template", lambda w: [], ALL),
        ]
    ],
    ("audit:history", lambda w: ["talents", "talent", w["talent"].pk], READERS),
    # awards and subsidies: schemes for everyone signed in; an application for the office,
    # leaders and its district (which enters and submits it); leaders enter nothing
    ("incentives:schemes", lambda w: [], ALL),
    ("incentives:scheme", lambda w: [w["scheme"].code], ALL),
    ("incentives:list", lambda w: [], ALL),
    ("incentives:new", lambda w: [], _row(302, 200, 403, 200, 200, 200)),
    ("incentives:detail", lambda w: [w["application"].pk], OWN_UNIT),
    ("incentives:edit", lambda w: [w["application"].pk], _row(302, 200, 403, 200, 200, 404)),
    ("incentives:import", lambda w: [], _row(302, 200, 403, 200, 200, 200)),
    ("incentives:export", lambda w: ["csv"], ALL),
    ("incentives:template", lambda w: [], ALL),
    # extraction: uploading documents and reviewing draft plans is the office's work
    ("extraction:index", lambda w: [], OFFICE_ONLY),
    ("extraction:upload", lambda w: [w["upload"].pk], OFFICE_ONLY),
    ("extraction:review", lambda w: [w["draft"].code], OFFICE_ONLY),
    ("extraction:details", lambda w: [w["draft"].code], OFFICE_ONLY),
    ("extraction:nodes", lambda w: [w["draft"].code], OFFICE_ONLY),
    (
        "extraction:add",
        lambda w: [w["draft"].code],
        OFFICE_ONLY,
        lambda w: {"node": w["draft_indicator"].node.key},
    ),
    ("extraction:edit", lambda w: [w["draft"].code, w["draft_indicator"].code], OFFICE_ONLY),
    ("extraction:drop", lambda w: [w["draft"].code, w["draft_indicator"].code], OFFICE_ONLY),
    # notifications: everyone sets their own channels and sees what was sent to them; the
    # office sets up group robots (a unit sees its own, changes none but turning it on or off)
    ("notifications:preferences", lambda w: [], ALL),
    ("notifications:deliveries", lambda w: [], ALL),
    ("notifications:robots", lambda w: [], OFFICE_ONLY),
    ("notifications:robot_new", lambda w: [], OFFICE_ONLY),
    ("notifications:robot_edit", lambda w: [w["robot"].pk], _row(302, 200, 404, 403, 403, 404)),
    # the holiday calendar: everyone signed in reads it; the office records it
    ("workcalendar:index", lambda w: [], ALL),
    ("workcalendar:year", lambda w: [2027], ALL),
    # links between plans: the office decides, leaders read; the overview is everyone's
    ("alignment:review", lambda w: [], READERS),
    ("alignment:overview", lambda w: [], ALL),
]


def _get(client, world, page):
    name, args, _expected, *query = page
    url = reverse(name, args=args(world))
    return url, client.get(url, query[0](world) if query else {})


def test_every_page_as_every_role(world):
    clients = {role: _client(world, role) for role in ROLES}
    wrong = {}
    for page in PAGES:
        expected = page[2]
        got = {}
        for role in ROLES:
            url, response = _get(clients[role], world, page)
            got[role] = response.status_code
        if got != expected:
            wrong[url] = {r: (got[r], expected[r]) for r in ROLES if got[r] != expected[r]}
    assert wrong == {}, "(got, expected) per role"


def _text(response) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return body.decode("utf-8-sig", errors="replace")


def test_personal_data_of_talents_reaches_the_office_only(world):
    """Every page of the matrix, and the exports with personal data asked for, as every role:
    the talent's ID number, birth date, phones and e-mail show for the office only."""
    export = ("talents:export", lambda w: ["csv"], ALL, lambda w: {"personal": "1"})
    for role in ROLES:
        client = _client(world, role)
        for page in [*PAGES, export]:
            url, response = _get(client, world, page)
            if role == "office" or response.status_code != 200:
                continue
            text = _text(response)
            shown = [item for item in PERSONAL if item in text]
            assert not shown, (role, url, shown)
    office = _client(world, "office")
    _url, response = _get(office, world, ("talents:detail", lambda w: [w["talent"].pk], ALL))
    current = [TALENT_ID, "1979-03-17", "13900001111", NEW_EMAIL]
    assert [item for item in current if item not in _text(response)] == []


def test_a_district_reads_only_its_own_records(world):
    """Lists and exports of a register hold the district's records only; the office's all."""
    for role, shown, hidden in [
        ("heping", HEPING_FIRM, BINHAI_FIRM),
        ("binhai", BINHAI_FIRM, HEPING_FIRM),
    ]:
        client = _client(world, role)
        for name, args in [("enterprises:list", []), ("enterprises:export", ["csv"])]:
            text = _text(client.get(reverse(name, args=args)))
            assert shown in text and hidden not in text, (role, name)
    text = _text(_client(world, "office").get(reverse("enterprises:export", args=["csv"])))
    assert HEPING_FIRM in text and BINHAI_FIRM in text


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


def _prepare_submitted(w):
    a = reporting.save_assignment(None, w["a"], expected_version=None, value="3")
    return reporting.submit(None, a, expected_version=None)


def _prepare_unit_approved(w):
    return reporting.unit_approve(None, _prepare_submitted(w), expected_version=None)


def _prepare_approved(w):
    return reporting.approve(None, _prepare_unit_approved(w), expected_version=None)


def _prepare_objection(w):
    w["objection"] = Objection.objects.create(
        plan=w["plan"], org_unit=w["a"].org_unit, reason="分数有误"
    )


def _status(w):
    return type(w["a"]).objects.get(pk=w["a"].pk).status


def _approved(w):
    w["a"].refresh_from_db()
    return w["a"].status == AssignmentStatus.APPROVED


def _version(w):
    w["a"].refresh_from_db()
    return w["a"].version


def _computed(w):
    return DataValue.objects.filter(indicator__plan=w["plan"], indicator__code="TJ-ECO-TALENT")


def _forget_computed(w):
    ApprovedValue.objects.filter(data_value__in=_computed(w)).delete()
    _computed(w).delete()


def _new_enterprise_csv() -> bytes:
    from ducha.registers.tests.conftest import code

    row = f"和平新企业有限公司,{code('120101', 'MA05JJ8K3')},和平区,智能软件"
    return f"企业名称,统一社会信用代码,所在区,主导产业\n{row}".encode()


def _app_state(w):
    return type(w["application"]).objects.get(pk=w["application"].pk).state


def _app_version(w):
    return type(w["application"]).objects.get(pk=w["application"].pk).version


def _app_reviewed(w):
    from ducha.incentives import services as incentives

    app = incentives.submit(None, w["application"], expected_version=None)
    incentives.review(None, app, expected_version=None)


def _app_approved(w):
    from ducha.incentives import services as incentives

    _app_reviewed(w)
    incentives.approve(None, w["application"], expected_version=None, amount="100")


def _extraction():
    from ducha.extraction import services

    return services


def _holiday_days(w):
    return type(w["holiday"]).objects


def _email_off(w):
    from ducha.notifications.models import Preference

    return Preference.objects.filter(email=False).exists()


def _draft_indicator(w):
    """Read afresh: the world's object would keep a review rolled back since."""
    from ducha.plans.models import Indicator

    return Indicator.objects.select_related("plan").get(pk=w["draft_indicator"].pk)


def _review(w) -> str:
    return _extraction().review_status(_draft_indicator(w))


def _review_everything(w):
    """Confirm what can be confirmed and drop the rest: the draft may then be activated."""
    from ducha.plans.services import indicator_problems

    for indicator in w["draft"].indicators.select_related("plan"):
        if indicator_problems(indicator):
            _extraction().drop_indicator(indicator, None)
        else:
            _extraction().confirm_indicator(indicator, None)


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
        "reporting:sheet",
        lambda w: [],
        lambda w: {
            "id": [w["a"].pk],
            f"version-{w['a'].pk}": _version(w),
            f"value-{w['a'].pk}": "5",
        },
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
        "reporting:action",
        lambda w: [w["a"].pk, "withdraw"],
        lambda w: {"version": _version(w)},
        _prepare_submitted,
        lambda w: _status(w) == AssignmentStatus.DRAFT,
        {"heping", "heping_head"},
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
        "scorecards:objection_new",
        lambda w: ["120101"],
        lambda w: {"reason": "分数不对"},
        None,
        lambda w: Objection.objects.filter(reason="分数不对").exists(),
        {"heping", "heping_head"},  # binhai does not see 和平区's scorecard: 404
    ),
    (
        "scorecards:objection_answer",
        lambda w: [w["objection"].pk],
        lambda w: {"decision": "rejected", "note": "数据无误", "version": 1},
        _prepare_objection,
        lambda w: Objection.objects.filter(state="rejected").exists(),
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
        "portal:bulletin_draft",
        lambda w: [],
        lambda w: {"round": w["round"].pk},
        None,
        lambda w: w["bulletin"].__class__.objects.filter(round=w["round"]).exists(),
        {"office"},
    ),
    (
        "portal:bulletin_edit",
        lambda w: [w["unpublished"].pk],
        lambda w: {"title": "改过的标题", "body": "正文", "version": w["unpublished"].version},
        None,
        lambda w: w["bulletin"].__class__.objects.filter(title="改过的标题").exists(),
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
    (
        "quality:settings",
        lambda w: [],
        lambda w: {"what": "tolerance", "district_tolerance": "7%"},
        None,
        lambda w: QualitySettings.objects.filter(district_tolerance="0.070").exists(),
        {"office"},
    ),
    (
        "quality:rule_state",
        lambda w: [w["rule"].pk],
        lambda w: {"active": "0"},
        None,
        lambda w: not SumRule.objects.get(pk=w["rule"].pk).is_active,
        {"office"},
    ),
    (
        "registers:archive",
        lambda w: ["enterprises", w["enterprise"].pk],
        lambda w: {"reason": "重复"},
        None,
        lambda w: (
            type(w["enterprise"]).all_objects.get(pk=w["enterprise"].pk).archived_at is not None
        ),
        {"office"},
    ),
    (
        "registers:recompute",
        lambda w: [],
        lambda w: {},
        _forget_computed,
        lambda w: _computed(w).exists(),
        {"office"},
    ),
    (
        "enterprises:import",
        lambda w: [],
        lambda w: {"file": SimpleUploadedFile("new.csv", _new_enterprise_csv())},
        None,
        lambda w: type(w["enterprise"]).objects.filter(name="和平新企业有限公司").exists(),
        {"office"},
    ),
    (
        "projects:advance",
        lambda w: [w["project"].pk],
        lambda w: {"stage": "started", "on": "2019-06-01"},
        None,
        lambda w: type(w["project"]).objects.get(pk=w["project"].pk).stage == "started",
        {"office"},
    ),
    (
        "incentives:act",
        lambda w: [w["application"].pk, "submit"],
        lambda w: {"version": _app_version(w)},
        None,
        lambda w: _app_state(w) == "submitted",
        {"office", "heping", "heping_head"},
    ),
    (
        "incentives:act",
        lambda w: [w["application"].pk, "approve"],
        lambda w: {"version": _app_version(w), "amount": "100"},
        _app_reviewed,
        lambda w: _app_state(w) == "approved",
        {"office"},
    ),
    (
        "incentives:pay",
        lambda w: [w["application"].pk],
        lambda w: {
            "version": _app_version(w),
            "paid_on": "2019-08-01",
            "amount": "40",
            "voucher": "MX-1",
        },
        _app_approved,
        lambda w: _app_state(w) == "partly_paid",
        {"office"},
    ),
    (
        "incentives:new",
        lambda w: [],
        lambda w: {
            "scheme": w["scheme"].pk,
            "enterprise": HEPING_FIRM,
            "year": 2020,
            "base_amount": "1000",
            "requested": "100",
        },
        None,
        lambda w: type(w["application"]).objects.filter(year=2020).exists(),
        {"office", "heping", "heping_head"},
    ),
    (
        "notifications:robot_test",
        lambda w: [w["robot"].pk],
        lambda w: {},
        None,
        lambda w: w["robot"].deliveries.exists(),
        {"office"},
    ),
    (
        "notifications:robot_use",
        lambda w: [w["robot"].pk],
        lambda w: {"enabled": "0"},
        None,
        lambda w: not type(w["robot"]).objects.get(pk=w["robot"].pk).enabled,
        {"office", "heping_head"},
    ),
    (
        "notifications:preferences",
        lambda w: [],
        lambda w: {"sms": ""},
        None,
        lambda w: _email_off(w),
        {"office", "leader", "heping", "heping_head", "binhai"},
    ),
    (
        "workcalendar:import",
        lambda w: [],
        lambda w: {"file": SimpleUploadedFile("h.csv", "日期,类型\n2028-01-03,放假\n".encode())},
        None,
        lambda w: _holiday_days(w).filter(day__year=2028).exists(),
        {"office"},
    ),
    (
        "workcalendar:day_save",
        lambda w: [],
        lambda w: {"day": "2027-01-04", "kind": "holiday"},
        None,
        lambda w: _holiday_days(w).filter(day=dt.date(2027, 1, 4)).exists(),
        {"office"},
    ),
    (
        "workcalendar:day_remove",
        lambda w: [w["holiday"].pk],
        lambda w: {},
        None,
        lambda w: not _holiday_days(w).filter(pk=w["holiday"].pk).exists(),
        {"office"},
    ),
    (
        "workcalendar:notice",
        lambda w: [2027],
        lambda w: {"notice": "通知", "source": ""},
        None,
        lambda w: w["holiday"].year.__class__.objects.filter(notice="通知").exists(),
        {"office"},
    ),
    (
        "extraction:confirm",
        lambda w: [w["draft"].code, w["draft_indicator"].code],
        lambda w: {},
        None,
        lambda w: _review(w) == "confirmed",
        {"office"},
    ),
    (
        "extraction:reopen",
        lambda w: [w["draft"].code, w["draft_indicator"].code],
        lambda w: {},
        lambda w: _extraction().confirm_indicator(_draft_indicator(w), None),
        lambda w: _review(w) == "pending",
        {"office"},
    ),
    (
        "alignment:decide",
        lambda w: [_link(w).pk],
        lambda w: {"action": "confirm"},
        _link,
        lambda w: _link_state(w) == "confirmed",
        {"office"},
    ),
    (
        "alignment:add",
        lambda w: [],
        lambda w: {
            "source": _draft_indicator(w).pk,
            "target": w["plan"].indicators.get(code="TJ-IND-ROBOT").pk,
            "relation": "contributes_to",
        },
        lambda w: _unlink(w, "TJ-IND-ROBOT"),
        lambda w: _linked(w, "TJ-IND-ROBOT"),
        {"office"},
    ),
    (
        "extraction:activate",
        lambda w: [w["draft"].code],
        lambda w: {},
        _review_everything,
        lambda w: type(w["draft"]).objects.get(pk=w["draft"].pk).state == "active",
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
        {"heping_head"},  # the office's approval is its own, later step
    ),
    (
        "post",
        "/approve",
        lambda w: {"version": _version(w)},
        _prepare_unit_approved,
        _approved,
        {"office"},
    ),
    (
        "post",
        "/return",
        lambda w: {"version": _version(w), "reason": "口径不对"},
        _prepare_submitted,
        lambda w: _status(w) == AssignmentStatus.RETURNED,
        {"office", "heping_head"},
    ),
    (
        "post",
        "/withdraw",
        lambda w: {"version": _version(w)},
        _prepare_submitted,
        lambda w: _status(w) == AssignmentStatus.DRAFT,
        {"heping", "heping_head"},  # the unit's own people; the office returns instead
    ),
    (
        "post",
        "/reopen",
        lambda w: {"version": _version(w), "reason": "区统计局更正"},
        _prepare_approved,
        lambda w: _status(w) == AssignmentStatus.RETURNED,
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
    # the API's writing steps: each counts only with a row of its own in API_STEPS
    # (GET and PUT share an address, which resolves to the GET: the PUT row is the save)
    names = {"": "save_assignment"}
    covered |= {
        f"api:{names.get(step[1]) or resolve(f'{API}/1{step[1]}').url_name}" for step in API_STEPS
    }
    missing = {u for u in _urls(get_resolver().url_patterns) if not u.startswith("admin:")}
    assert missing - covered == set()
