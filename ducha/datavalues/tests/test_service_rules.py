"""The value workflow's services as a table: who may save, approve and reopen a value
directly (`datavalues.services`), in each state, from docs/reporting.md ("Who may do what":
a unit fills in and submits its own values, the office does everything, approves and
reopens; approved is locked until reopened with a reason).

No page calls these services with a unit's account today (a reporting round's approval calls
them as the office, the import page has its own table in ``test_rules.py``), so nothing else
pins who they let through: the mutation score found their checks unpinned
(docs/testing.md). Anonymous visitors never reach a service; the command line
(``actor=None``) is an operator with the office's rights. ``ducha/core/tests/rules.py`` says
how to read a row.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from ducha.audit.services import history
from ducha.core.tests import rules
from ducha.datavalues import services
from ducha.datavalues.models import ApprovedValue, DataValue, MilestoneReport, ValueStatus
from ducha.datavalues.tests.test_rules import put_in  # the same value in the same states
from ducha.engine.periods import parse_period

V = ValueStatus
ACTORS = (*(a for a in rules.ACTORS if a != "anon"), "command")
PERIOD = parse_period("2019Q3")

# (step, state of the value): who may.
#                                  office  leader  head    reporter command
#                                  o x -   o x -   o x -   o x -    -
UNIT = "Y Y Y  . . .  Y . .  Y . .  Y"
OFFICE = "Y Y Y  . . .  . . .  . . .  Y"
NOBODY = ". . .  . . .  . . .  . . .  ."
RULES = {
    ("save", "none"): UNIT,
    ("save", V.DRAFT): UNIT,
    ("save", V.SUBMITTED): UNIT,
    ("save", V.APPROVED): NOBODY,  # locked: reopen it first
    ("approve", V.DRAFT): OFFICE,
    ("approve", V.SUBMITTED): OFFICE,
    ("approve", V.APPROVED): NOBODY,  # no second approval of the same figure
    ("reopen", V.DRAFT): NOBODY,  # nothing to reopen: no audit entry, no new version
    ("reopen", V.SUBMITTED): OFFICE,  # back to draft
    ("reopen", V.APPROVED): OFFICE,
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        units, plan = rules.tianjin()
        actors = rules.tianjin_actors(units)
        del actors["anon"]
        actors["command"] = None
        return {
            "actors": actors,
            "unit": units["120101"],
            "indicator": plan.indicators.get(code="TJ-IND-SUPPLIER50"),
            "milestone": plan.milestones.order_by("pk").first(),
        }

    yield from rules.module_data(django_db_blocker, build)


def move(world, step, value, actor):
    if step == "save":
        return services.save_value(actor, world["indicator"], world["unit"], PERIOD, Decimal(8))
    if step == "approve":
        return services.approve_value(actor, value)
    return services.reopen_value(actor, value, "a correction")


# what each allowed move leaves: the status, the figure, the audit verb and diff
def expected(step, state):
    old = None if state == "none" else state
    if step == "save":
        changes = {"value": [None if old is None else "3", "8"]}
        if old is None:  # a new value: its source fields from nothing
            changes |= {"note": [None, ""], "source": [None, "unit_report"]}
            changes |= {"source_note": [None, ""], "source_url": [None, ""]}
        return (state if old else V.DRAFT), 8, "datavalues.value.saved", changes
    if step == "approve":
        return (
            V.APPROVED,
            3,
            "datavalues.value.approved",
            {"status": [old, V.APPROVED], "value": [None, "3"]},
        )
    return V.DRAFT, 3, "datavalues.value.reopened", {"status": [old, V.DRAFT]}


def test_the_table_has_a_row_for_every_step_and_state_it_names():
    for marks in RULES.values():
        rules.grid(marks, ACTORS)  # each row has a mark for every actor
    assert {step for step, _ in RULES} == {"save", "approve", "reopen"}


@pytest.mark.parametrize("step,state", list(RULES))
def test_value_service_rules(world, db, step, state):
    allowed = rules.grid(RULES[(step, state)], ACTORS)
    status, figure, verb, changes = expected(step, state)

    def run(name, user):
        before = put_in(world, state)
        version = before.version if before else None
        approvals = ApprovedValue.objects.count()
        mark = rules.audit_mark()
        try:
            move(world, step, before, user)
        except (PermissionDenied, services.WorkflowError) as refused:
            if name in allowed:
                return f"refused: {refused!r}"
            now = DataValue.objects.filter(indicator=world["indicator"]).first()
            if (before is None) != (now is None) or (
                now is not None and (now.status, now.value, now.version) != (state, 3, version)
            ):
                return "refused, yet the value changed"
            left = rules.writes_since(now, mark) if now is not None else []
            return f"refused, yet audited: {left}" if left else None
        if name not in allowed:
            return "done"
        now = DataValue.objects.get(indicator=world["indicator"], org_unit=world["unit"])
        if (now.status, now.value) != (status, figure):
            return f"left {now.status} {now.value}, not {status} {figure}"
        if before is not None and now.version != version + 1:
            return f"version {now.version}, not {version + 1}"
        added = ApprovedValue.objects.count() - approvals
        if added != (1 if step == "approve" else 0):
            return f"{added} approvals appended"
        return rules.audit_problem(now, verb, user, changes, mark)

    assert rules.each_actor(world["actors"], run) == []


def test_an_approval_counts_the_value_as_it_stands_with_its_approver(world, db):
    value = put_in(world, V.SUBMITTED)
    office = world["actors"]["office/other"]
    approval = services.approve_value(office, value)
    assert (approval.data_value_id, approval.value, approval.approved_by) == (value.pk, 3, office)
    assert (approval.org_unit_id, approval.period) == (world["unit"].pk, PERIOD.code)
    assert approval.approved_at == DataValue.objects.get(pk=value.pk).approved_at


def test_reopening_needs_a_reason(world, db):
    value = put_in(world, V.APPROVED)
    with pytest.raises(services.WorkflowError):
        services.reopen_value(world["actors"]["office/other"], value, "  ")
    assert DataValue.objects.get(pk=value.pk).status == V.APPROVED


# A unit's report on a milestone (the reporting round's approval sends it as the office,
# approving it). (step, state of the report): who may.
#                                           office  leader  head    reporter command
#                                           o x -   o x -   o x -   o x -    -
MILESTONE_RULES = {
    ("report", "none"): UNIT,
    ("report", V.SUBMITTED): UNIT,
    ("report", V.APPROVED): NOBODY,  # locked: only the office's approval changes it
    ("report and approve", "none"): OFFICE,
    ("report and approve", V.SUBMITTED): OFFICE,
    ("report and approve", V.APPROVED): OFFICE,  # a correction, approved again
}


def put_report_in(world, state) -> MilestoneReport | None:
    if state == "none":
        return None
    return MilestoneReport.objects.create(
        milestone=world["milestone"],
        org_unit=world["unit"],
        period=PERIOD.code,
        period_end=PERIOD.end,
        progress="in_progress",
        status=state,
    )


def expected_report(step, state):
    approve = step == "report and approve"
    status = V.APPROVED if approve else V.SUBMITTED
    if state == "none":
        changes = {"note": [None, ""], "progress": [None, "completed"], "status": [None, status]}
    else:
        changes = {"progress": ["in_progress", "completed"]}
        if state != status:
            changes["status"] = [state, status]
    verb = "datavalues.milestonereport." + ("approved" if approve else "saved")
    return status, verb, changes


@pytest.mark.parametrize("step,state", list(MILESTONE_RULES))
def test_milestone_report_service_rules(world, db, step, state):
    allowed = rules.grid(MILESTONE_RULES[(step, state)], ACTORS)
    status, verb, changes = expected_report(step, state)

    def run(name, user):
        before = put_report_in(world, state)
        mark = rules.audit_mark()
        try:
            services.report_milestone(
                user, world["milestone"], world["unit"], PERIOD, "completed",
                approve=step == "report and approve",
            )  # fmt: skip
        except (PermissionDenied, services.WorkflowError) as refused:
            if name in allowed:
                return f"refused: {refused!r}"
            now = MilestoneReport.objects.filter(milestone=world["milestone"]).first()
            if (before is None) != (now is None) or (
                now is not None and (now.status, now.progress) != (state, "in_progress")
            ):
                return "refused, yet the report changed"
            left = rules.writes_since(now, mark) if now is not None else []
            return f"refused, yet audited: {left}" if left else None
        if name not in allowed:
            return "done"
        now = MilestoneReport.objects.get(milestone=world["milestone"], org_unit=world["unit"])
        if (now.status, now.progress) != (status, "completed"):
            return f"left {now.status} {now.progress}, not {status} completed"
        if (now.approved_at is not None) != (step == "report and approve"):
            return f"approved at {now.approved_at}"
        return rules.audit_problem(now, verb, user, changes, mark)

    assert rules.each_actor(world["actors"], run) == []


def test_a_milestone_report_with_an_unknown_progress_is_refused(world, db):
    office = world["actors"]["office/other"]
    with pytest.raises(services.WorkflowError):
        services.report_milestone(office, world["milestone"], world["unit"], PERIOD, "done")
    assert not MilestoneReport.objects.filter(milestone=world["milestone"]).exists()


def test_approving_an_approved_value_again_is_refused_in_chinese_and_appends_no_approval(world, db):
    value = put_in(world, V.APPROVED)
    approvals, version = ApprovedValue.objects.count(), value.version
    with translation.override("zh-hans"), pytest.raises(services.WorkflowError) as refused:
        services.approve_value(world["actors"]["office/other"], value)
    assert str(refused.value) == "该数值已是“已审核”状态，不能重复此操作"
    assert ApprovedValue.objects.count() == approvals
    assert DataValue.objects.get(pk=value.pk).version == version


def test_a_unit_cannot_change_an_approved_milestone_report(world, db):
    report = put_report_in(world, V.APPROVED)
    with translation.override("zh-hans"), pytest.raises(services.WorkflowError) as refused:
        services.report_milestone(
            world["actors"]["reporter/own"], world["milestone"], world["unit"], PERIOD, "completed"
        )
    assert "已审核并锁定" in str(refused.value)
    now = MilestoneReport.objects.get(pk=report.pk)
    assert (now.status, now.progress) == (V.APPROVED, "in_progress")


# --- what each service keeps beside the move (written for the mutation score, docs/testing.md)


def test_a_saved_value_keeps_who_saved_it_its_unit_in_the_audit_and_is_not_demo(world, db):
    reporter = world["actors"]["reporter/own"]
    mark = rules.audit_mark()
    saved = services.save_value(reporter, world["indicator"], world["unit"], PERIOD, Decimal(5))
    assert (saved.created_by, saved.updated_by, saved.is_demo) == (reporter, reporter, False)
    entry = history(saved).get(pk__gt=mark, action="datavalues.value.saved")
    assert entry.org_unit == world["unit"]


def test_a_milestone_report_is_demo_only_when_told(world, db):
    office = world["actors"]["office/other"]
    report = services.report_milestone(
        office, world["milestone"], world["unit"], PERIOD, "completed"
    )
    assert report.is_demo is False
    report.delete()
    report = services.report_milestone(
        office, world["milestone"], world["unit"], PERIOD, "completed", is_demo=True
    )
    assert report.is_demo is True


def test_the_services_refusals_are_in_chinese(world, db):
    other = world["actors"]["reporter/other"]
    with translation.override("zh-hans"):
        with pytest.raises(PermissionDenied) as refused:
            services.report_milestone(other, world["milestone"], world["unit"], PERIOD, "completed")
        assert str(refused.value) == f"您无权为 {world['unit']} 执行此操作。"
        with pytest.raises(PermissionDenied) as refused:
            services.reopen_value(world["actors"]["head/own"], put_in(world, V.APPROVED), "更正")
        assert str(refused.value) == "只有领导小组办公室可以退回已审核的数值。"
        row = value_row(world, Decimal(4))
        with pytest.raises(PermissionDenied) as refused:
            services.import_values(world["actors"]["reporter/own"], [row], status=V.APPROVED)
        assert str(refused.value) == "只有领导小组办公室可以审核数值。"


def value_row(world, figure, source=""):
    from ducha.datavalues.importer import ValueRow

    return ValueRow(
        row=2, indicator=world["indicator"], org_unit=world["unit"], period=PERIOD,
        value=figure, note="", source=source,
    )  # fmt: skip


def test_the_offices_import_counts_what_it_did_and_audits_each_change(world, db):
    office = world["actors"]["office/other"]
    report = services.import_values(office, [value_row(world, Decimal(4))], status=V.SUBMITTED)
    (value,) = report.values
    assert (report.created, report.approved, value.created_by) == (1, 0, office)
    assert value.submitted_at is not None and value.version == 1
    mark = rules.audit_mark()
    report = services.import_values(
        office, [value_row(world, Decimal(6), "stats_annual")], status=V.APPROVED
    )
    now = DataValue.objects.get(pk=value.pk)
    assert (report.updated, report.approved, now.version) == (1, 1, 2)
    assert now.submitted_at == value.submitted_at  # submitted once, when it first was
    entry = history(now).get(pk__gt=mark, action="datavalues.value.imported")
    assert entry.changes == {
        "value": ["4", "6"],
        "source": [["unit_report", "", ""], ["stats_annual", "", ""]],
    }


# --- the survivors of the sample at the session-5 code (docs/testing.md) ---------------------


def test_an_approval_brings_the_assessment_store_up_to_date_at_once(world, db):
    from ducha.assessments.models import SeriesKey, SeriesVersion

    value = put_in(world, V.SUBMITTED)
    key = {"indicator": world["indicator"], "period": PERIOD.code}
    SeriesKey.objects.filter(**key).delete()  # as if the store had never seen the period
    approval = services.approve_value(world["actors"]["office/other"], value)
    # read straight from the store's tables, not through an assessment (which repairs a
    # store left behind and would hide a missed update)
    stored = SeriesKey.objects.get(**key)
    assert stored.last_at == approval.approved_at
    assert SeriesVersion.objects.filter(key=stored, valid_from=approval.approved_at).exists()


def test_importing_approved_figures_again_counts_them_unchanged(world, db):
    office = world["actors"]["office/other"]
    services.import_values(office, [value_row(world, Decimal(4))], status=V.APPROVED)
    again = services.import_values(office, [value_row(world, Decimal(4))], status=V.APPROVED)
    assert (again.created, again.updated, again.unchanged, again.approved) == (0, 0, 1, 0)


def test_an_import_keeps_a_note_within_the_columns_length(world, db):
    row = value_row(world, Decimal(4))._replace(note="注" * 2500)
    report = services.import_values(world["actors"]["office/other"], [row])
    (value,) = report.values
    assert DataValue.objects.get(pk=value.pk).note == "注" * 2000


def test_an_unknown_status_or_a_reopening_without_reason_is_refused_in_chinese(world, db):
    office = world["actors"]["office/other"]
    with translation.override("zh-hans"):
        with pytest.raises(services.WorkflowError) as refused:
            services.import_values(office, [value_row(world, Decimal(4))], status="bogus")
        assert str(refused.value) == "无法识别的状态 bogus"
        with pytest.raises(services.WorkflowError) as refused:
            services.reopen_value(office, put_in(world, V.APPROVED), " ")
        assert str(refused.value) == "请说明退回原因"


def test_a_new_milestone_report_records_who_created_it(world, db):
    reporter = world["actors"]["reporter/own"]
    report = services.report_milestone(
        reporter, world["milestone"], world["unit"], PERIOD, "completed"
    )
    assert MilestoneReport.objects.get(pk=report.pk).created_by == reporter
