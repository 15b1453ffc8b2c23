"""Bulletins drafted from the data, exported to Word and PDF, downloaded by whom may."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ducha.assessments.services import assess_plan
from ducha.datavalues import services as values
from ducha.engine.assessment import Status
from ducha.engine.periods import parse_period
from ducha.portal import drafting, export, services
from ducha.portal.models import Bulletin
from ducha.reporting import services as reporting
from ducha.scorecards import services as scorecards
from ducha.supervision import services as supervision
from ducha.supervision.models import CaseState
from ducha.supervision.selectors import LAGGING

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2019, 11, 15)
ON_TIME = timezone.make_aware(dt.datetime(2019, 10, 15, 10))
LATE = timezone.make_aware(dt.datetime(2019, 10, 30, 10))


def _approve(indicator, unit, period, value, office):
    dv = values.save_value(office, indicator, unit, parse_period(period), Decimal(value))
    values.approve_value(office, dv, at=timezone.make_aware(dt.datetime(2019, 10, 1)))


def _report(rnd, unit_code, when):
    """Every indicator assignment of the unit submitted, first submitted at `when`."""
    qs = rnd.assignments.filter(org_unit__code=unit_code, milestone=None)
    for a in qs:
        a = reporting.save_assignment(None, a, expected_version=None, value="1")
        reporting.submit(None, a, expected_version=None)
    qs.update(first_submitted_at=when)


@pytest.fixture
def round_(tianjin_plan, office, tianjin_units):
    """2019Q3 (due 2019-10-21): 和平区 reports on time, 河东区 late, the others not at all; the
    bus-monitoring share falls (a deterioration); one case open, one withdrawn."""
    rnd = reporting.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
    _report(rnd, "120101", ON_TIME)
    _report(rnd, "120102", LATE)
    bus = tianjin_plan.indicators.get(code="TJ-SEC-TRAFFIC-BUSMON")
    _approve(bus, bus.lead_unit, "2018Q4", "80", office)
    _approve(bus, bus.lead_unit, "2019Q2", "70", office)
    for title in ("公交监测整改", "已撤销的整改"):
        supervision.open_case(
            office,
            kind="rectification",
            title=title,
            body="请整改",
            org_unit=bus.lead_unit,
            due=dt.date(2030, 1, 1),
        )
    case = supervision.Case.objects.get(title="已撤销的整改")
    supervision.move_case(office, case, CaseState.WITHDRAWN, expected_version=None)
    return rnd


def _section(body: str, heading: str) -> str:
    """The text under a heading such as 二、填报情况, up to the next heading."""
    match = re.search(
        rf"^[一二三四五六七八九十]+、{heading}$(.*?)(?=^[一二三四五六七八九十]+、|\Z)",
        body,
        re.M | re.S,
    )
    assert match, heading
    return match[1]


def test_draft_names_the_late_and_missing_units_the_round_has(round_, office):
    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    text = _section(b.body, "填报情况")
    tallies = scorecards.tallies([round_])
    units = {u.pk: u for u in type(round_.plan.indicators.first().lead_unit).objects.all()}
    late = [units[pk].name for pk, t in tallies.items() if t.reported > t.on_time]
    missing = [units[pk].name for pk, t in tallies.items() if t.reported < t.expected]
    praised = [
        units[pk].name
        for pk, t in tallies.items()
        if t.on_time == t.expected and units[pk].kind != "office"
    ]
    assert late and missing and praised  # the fixture made all three
    late_line = next(line for line in text.splitlines() if line.startswith("逾期报送的单位"))
    missing_line = next(line for line in text.splitlines() if line.startswith("逾期未报送"))
    praise_line = next(line for line in text.splitlines() if "通报表扬" in line)
    assert all(name in late_line for name in late)
    assert all(name in missing_line for name in missing)
    assert all(name in praise_line for name in praised)
    assert not any(name in praise_line for name in late + missing)
    expected = sum(t.expected for t in tallies.values())
    assert f"下达填报任务{expected}项" in text
    # the table of reporting rates holds every unit with its own counts
    table = next(t for t in b.tables if t["caption"] == "各单位填报情况")
    rows = {row[0]: row for row in table["rows"]}
    for pk, t in tallies.items():
        assert rows[units[pk].name][1:5] == [t.expected, t.reported, t.on_time, t.approved]


def test_draft_names_the_lagging_indicators_with_lead_unit_and_values(round_, office):
    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    text = _section(b.body, "滞后指标")
    result = assess_plan(round_.plan, AS_OF)
    lagging = [r for r in result.indicators if r.status in LAGGING]
    bus = next(r for r in result.indicators if r.indicator.code == "TJ-SEC-TRAFFIC-BUSMON")
    assert bus.status == Status.DETERIORATION  # what the fixture's falling values give
    lines = [line for line in text.splitlines() if re.match(r"\d+\. ", line)]
    for r in lagging:
        line = next(line for line in lines if r.indicator.name in line)
        assert r.indicator.lead_unit.name in line
        assert drafting.num(r.result.value) in line
    assert f"其中{bus.indicator.name}出现倒退" in text
    not_lagging = [r.indicator.name for r in result.indicators if r.status not in LAGGING]
    assert len(lines) == len(lagging)
    assert not any(line.split("（")[0][3:] in not_lagging for line in lines)


def test_draft_ranking_is_the_scorecards_ranking(round_, office):
    b = services.draft_bulletin(office, round_)  # the default date, as the ranking page's
    table = next(t for t in b.tables if t["caption"] == "考核排名")
    cards = scorecards.scorecards(office, round_.plan, [round_])
    assert [(row[2], row[1]) for row in table["rows"]] == [
        (c.key.name, c.rank if c.rank is not None else "–") for c in cards
    ]
    heping = next(c for c in cards if c.key.code == "120101")
    assert heping.rank == 1
    section = _section(b.body, "考核排名")
    firsts = [c for c in cards if c.rank == 1 and c.key.kind == heping.key.kind]
    sentence = next(line for line in section.splitlines() if "和平区" in line and "第一" in line)
    if len(firsts) == 1:
        assert "和平区排名第一" in sentence
    else:
        assert "并列第一" in sentence and "和平区" in sentence.split("并列第一")[0]


def test_draft_lists_open_cases_only(round_, office):
    text = _section(services.draft_bulletin(office, round_, as_of=AS_OF).body, "督办事项")
    assert "公交监测整改" in text and "已撤销的整改" not in text


def test_draft_is_audited_and_refused_to_others(round_, office, leader, reporter_heping):
    from django.core.exceptions import PermissionDenied

    from ducha.audit.models import AuditEntry

    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    assert AuditEntry.objects.filter(action="portal.bulletin.drafted", object_id=b.pk).exists()
    assert b.published is False and b.round == round_ and b.as_of == AS_OF
    for user in (leader, reporter_heping):
        with pytest.raises(PermissionDenied):
            services.draft_bulletin(user, round_)


def test_docx_has_the_title_east_asian_fonts_and_the_ranking_table(round_, office):
    import docx
    from docx.oxml.ns import qn

    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    document = docx.Document(io.BytesIO(export.to_docx(b)))
    title = document.paragraphs[0]
    assert title.text.split("\n") == drafting.title_lines(b.title)  # broken as in the PDF
    assert len(drafting.title_lines(b.title)) == 2
    assert title.alignment == 1 and title.runs[0].bold
    fonts = title.runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == export.TITLE_FONT
    assert len(document.tables) == len(b.tables)
    ranking = next(t for t in b.tables if t["caption"] == "考核排名")
    grid = document.tables[b.tables.index(ranking)]
    assert [c.text for c in grid.rows[0].cells] == ranking["columns"]
    assert [c.text for c in grid.rows[1].cells] == [str(v) for v in ranking["rows"][0]]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "二、填报情况" in text and b.issuer in text


def test_the_word_file_numbers_its_pages_in_the_footer(round_, office):
    import docx

    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    document = docx.Document(io.BytesIO(export.to_docx(b)))
    footer = document.sections[0].footer.paragraphs[0]
    xml = footer._element.xml
    assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")


def test_edited_text_is_what_is_exported(round_, office):
    import docx

    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    marker = next(line for line in b.body.splitlines() if "未达到进度要求的指标和任务】" in line)
    body = b.body.replace(marker, "") + "\n办公室补充的一句话。"
    b = services.save_bulletin(office, b, title="改过的标题", body=body, plan=b.plan)
    document = docx.Document(io.BytesIO(export.to_docx(b)))
    assert document.paragraphs[0].text == "改过的标题"
    assert len(document.tables) == len(b.tables) - 1
    assert any(p.text == "办公室补充的一句话。" for p in document.paragraphs)


def test_the_draft_never_counts_one_thing_two_ways(round_, office):
    """一、 names each status with its count; 三、 gathers several statuses and must not call
    the whole group by the name of one of them."""
    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    overall = b.body.split("二、")[0]
    lagging = b.body.split("三、")[1].split("四、")[0]
    import re

    named = {k: int(v) for k, v in re.findall(r"([^，、。：（]+?)(\d+)项", overall)}
    said = re.search(r"有(\d+)项指标未达到进度要求（(.*?)）", lagging)
    assert said is not None, lagging
    parts = {k: int(v) for k, v in re.findall(r"([^、]+?)(\d+)项", said[2])}
    assert sum(parts.values()) == int(said[1])
    for status, n in parts.items():
        assert named.get(status) == n, (status, n, named)


def test_pdf_text_holds_the_chinese_title_and_a_unit_name(round_, office):
    from pypdf import PdfReader

    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    pdf = export.to_pdf(b)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", b.title) in flat
    late_unit = round_.assignments.filter(org_unit__code="120102").first().org_unit.name
    assert late_unit in flat


def test_pdf_fetches_nothing_from_the_network(round_, office):
    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    html = export.html_for_print(b)
    assert not re.search(r"(src|href)\s*=|url\(|@import", html)
    fetcher = export.local_only_fetcher()
    for url in ("https://fonts.example.org/a.woff2", "http://127.0.0.1/x.css", "file:///etc/hosts"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_public_downloads_only_published_bulletins(client, round_, office):
    draft = services.draft_bulletin(office, round_, as_of=AS_OF)
    published = services.draft_bulletin(office, round_, as_of=AS_OF)
    services.set_bulletin_state(office, published, published=True)
    for fmt in ("docx", "pdf"):
        url = reverse("portal:bulletin_download", args=[draft.pk, fmt])
        assert client.get(url).status_code == 404
        response = client.get(reverse("portal:bulletin_download", args=[published.pk, fmt]))
        assert response.status_code == 200
        assert response["Content-Type"] == export.FORMATS[fmt]
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
        assert "%E9%80%9A%E6%8A%A5" in disposition  # 通报, percent-encoded (RFC 5987)
    assert (
        client.get(reverse("portal:bulletin_download", args=[published.pk, "odt"])).status_code
        == 404
    )
    page = client.get(reverse("portal:bulletin", args=[published.pk])).content.decode()
    assert reverse("portal:bulletin_download", args=[published.pk, "pdf"]) in page
    services.set_bulletin_state(office, published, archived=True)
    assert (
        client.get(reverse("portal:bulletin_download", args=[published.pk, "pdf"])).status_code
        == 404
    )


def test_roles_download_what_the_policy_lets_them_read(
    client, round_, office, leader, reporter_heping
):
    draft = services.draft_bulletin(office, round_, as_of=AS_OF)
    published = services.draft_bulletin(office, round_, as_of=AS_OF)
    services.set_bulletin_state(office, published, published=True)

    def status(user, b):
        client.force_login(user)
        return client.get(reverse("portal:manage_download", args=[b.pk, "docx"])).status_code

    # the office and leaders read every bulletin; a unit only what is published
    assert (status(office, draft), status(leader, draft), status(reporter_heping, draft)) == (
        200,
        200,
        404,
    )
    assert status(reporter_heping, published) == 200
    client.logout()
    response = client.get(reverse("portal:manage_download", args=[draft.pk, "docx"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_office_drafts_from_the_manage_page_and_edits_it(client, round_, office):
    client.force_login(office)
    page = client.get(reverse("portal:manage")).content.decode()
    assert reverse("portal:bulletin_draft") in page and round_.title in page
    response = client.post(reverse("portal:bulletin_draft"), {"round": round_.pk})
    b = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:bulletin_edit", args=[b.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert b.title in page and "：各单位填报情况】" in page
    assert "data-confirm=" in page  # publishing and archiving ask first
    client.post(
        response["Location"],
        {"title": b.title, "body": b.body + "\n补充说明。", "version": b.version},
    )
    b.refresh_from_db()
    assert b.body.endswith("补充说明。") and b.version == 2
    client.post(reverse("portal:bulletin_state", args=[b.pk]), {"what": "publish", "back": "edit"})
    b.refresh_from_db()
    assert b.published


def test_a_table_marker_without_a_table_is_kept_and_flagged(client, round_, office):
    client.force_login(office)
    b = services.draft_bulletin(office, round_, as_of=AS_OF)
    url = reverse("portal:bulletin_edit", args=[b.pk])
    response = client.post(
        url,
        {"title": b.title, "body": b.body + "\n【表9：不存在的表】", "version": b.version},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("【表9：不存在的表】" in m for m in shown), shown
    b.refresh_from_db()
    assert b.body.endswith("【表9：不存在的表】")  # nothing the office wrote is dropped


def test_draft_form_refuses_a_bad_date_and_keeps_nothing(client, round_, office):
    client.force_login(office)
    response = client.post(
        reverse("portal:bulletin_draft"), {"round": round_.pk, "as_of": "2019-13-45"}, follow=True
    )
    assert "2019-13-45" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_a_date_before_the_rounds_period_ended_is_refused(client, round_, office):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    client.force_login(office)
    response = client.post(
        reverse("portal:bulletin_draft"), {"round": round_.pk, "as_of": "2018-01-01"}, follow=True
    )
    assert "2018-01-01" in response.content.decode()
    assert not Bulletin.objects.exists()
    with pytest.raises(CommandError, match="--as-of"):
        call_command("bulletin", "--round", "2019Q3", "--as-of", "2018-01-01")


def test_leader_and_reporter_cannot_draft_or_edit(client, round_, leader, reporter_heping):
    for user in (leader, reporter_heping):
        client.force_login(user)
        assert (
            client.post(reverse("portal:bulletin_draft"), {"round": round_.pk}).status_code == 403
        )
    assert not Bulletin.objects.exists()


def test_manage_page_queries_do_not_grow_with_bulletins(client, round_, office):
    client.force_login(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("portal:manage")).status_code == 200
        return len(ctx.captured_queries)

    services.draft_bulletin(office, round_, as_of=AS_OF)
    few = count()
    for _ in range(3):
        services.draft_bulletin(office, round_, as_of=AS_OF)
    assert count() == few


# --- the command ------------------------------------------------------------------------------


def test_command_writes_docx_and_text(round_, tmp_path, capsys):
    import docx

    out = tmp_path / "b.docx"
    call_command("bulletin", "--round", "2019Q3", "--format", "docx", "-o", str(out))
    title = docx.Document(str(out)).paragraphs[0].text
    assert title.replace("\n", "") == drafting.title_for(round_.title, round_.plan.title)
    call_command("bulletin", "--round", "2019Q3", "--plan", round_.plan.code)
    assert capsys.readouterr().out.startswith(title.replace("\n", ""))
    assert not Bulletin.objects.exists()  # drafting without --save keeps nothing
    call_command("bulletin", "--round", "2019q3", "--save", "-o", str(tmp_path / "b.txt"))
    assert Bulletin.objects.get().round == round_


@pytest.mark.parametrize(
    "args,named",
    [
        (["--round", "2019Q4"], "--round"),
        (["--round", "2019Q9"], "--round"),
        (["--plan", "no-such-plan"], "--plan"),
        (["--format", "odt"], "--format"),
        (["--as-of", "yesterday"], "--as-of"),
    ],
)
def test_command_errors_name_the_argument(round_, args, named):
    with pytest.raises(CommandError, match=re.escape(named)):
        call_command("bulletin", *args)


# --- the text read back -----------------------------------------------------------------------


def test_blocks_find_headings_tables_and_keep_unknown_markers():
    tables = [{"caption": "甲", "columns": ["a"], "rows": [[1]]}]
    body = "各区人民政府：\n\n一、总体进展\n正文。\n【表1：甲】\n【表9：不存在】\n二、这不是标题。"
    kinds = [(b.kind, b.text) for b in drafting.blocks(body, tables)]
    assert kinds == [
        ("address", "各区人民政府："),
        ("heading", "一、总体进展"),
        ("paragraph", "正文。"),
        ("table", "甲"),
        ("paragraph", "【表9：不存在】"),
        ("paragraph", "二、这不是标题。"),
    ]


def test_draft_quotes_the_reporting_burden_of_the_round(round_, office):
    from ducha.reporting.burden import round_burden

    burden = round_burden(round_, None)
    assert burden.asked > 0 and burden.typed > 0  # 和平区 and 河东区 typed their figures
    text = _section(services.draft_bulletin(office, round_, as_of=AS_OF).body, "填报情况")
    line = next(line for line in text.splitlines() if line.startswith("本轮各单位应填字段"))
    assert f"应填字段{burden.asked}个" in line
    assert f"预填{burden.prefilled}个" in line
    assert f"手工填写或修改{burden.typed}个" in line


def test_burden_sentence_reads_the_hours_when_units_were_timed():
    b = drafting.Burden(
        asked=40, prefilled=30, confirmed=24, typed=16, median_hours=2.5, timed_units=3
    )
    assert drafting._burden(b) == (
        "本轮各单位应填字段40个，系统根据名录库、上期数据和已有佐证材料预填30个（占75.0%），"
        "单位确认未改24个，手工填写或修改16个（占40.0%）；有记录的3个单位从首次打开到完成报送，"
        "用时中位数为2.5小时。"
    )
