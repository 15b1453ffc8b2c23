"""A document with a 任务分工, uploaded: loading its draft plan assigns the work to org units."""

from __future__ import annotations

import pytest

from ducha.extraction.services import upload_document
from ducha.plans.models import Plan

pytestmark = pytest.mark.django_db

PLAN = """某市智能科技行动计划（2018—2020年）
一、重点任务
1.培育领军企业。到2020年，培育智能科技领军企业100家。（牵头单位：市工信局，配合单位：市科委、滨海新区，完成时限：2019年底）
2.建设创新平台。建设创新平台20个。（牵头单位：市科技局；配合单位：市公安局）
"""


def test_loading_an_extracted_division_of_work_assigns_lead_and_supporting_units(office):
    result = upload_document(office, "plan.txt", [PLAN.encode()], len(PLAN.encode()))
    plan = Plan.objects.get(code=result.upload.plan_code)
    leaders = plan.milestones.get(code="M01")
    assert leaders.lead_unit.code == "TJ-GXJ"
    assert sorted(u.code for u in leaders.supporting_units.all()) == ["120116", "TJ-KJJ"]
    assert leaders.due.isoformat() == "2019-12-31"
    indicator = plan.indicators.get(sentence__contains="100家")
    assert indicator.lead_unit.code == "TJ-GXJ"
    assert indicator.deadline.year == 2020
    # the unit no org unit is called is reported to the reviewer, not dropped silently
    assert any("市公安局" in note for note in result.notes)
    assert plan.milestones.get(code="M02").supporting_units.count() == 0


def test_the_upload_page_says_how_many_tasks_were_assigned_and_which_units_were_not(client, office):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    client.force_login(office)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.post(
            "/extraction/",
            {"file": SimpleUploadedFile("plan.txt", PLAN.encode())},
            follow=True,
        )
    text = response.content.decode()
    assert "2 tasks of the division of work" in text
    assert "1 unit name of the division of work matches no org unit" in text


def test_extract_command_lists_division_rows_with_their_org_units(tmp_path, tianjin_units):
    import json

    from django.core.management import call_command

    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "rows.jsonl"
    call_command("extract", str(path), format="assignments", output=str(out))
    first, second = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (first["task"], first["lead_codes"], first["deadline"]) == (
        "培育领军企业",
        ["TJ-GXJ"],
        "2019-12-31",
    )
    assert first["support_codes"] == ["TJ-KJJ", "120116"]
    assert second["support_unmatched"] == ["市公安局"]
