"""Demo 督办: reminders of the last working days, leaders' instructions and rectifications."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ducha.notifications import services as notifications
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Plan
from ducha.reporting.models import Assignment
from ducha.reporting.workdays import is_working_day
from ducha.supervision import services
from ducha.supervision.models import Case, CaseEvent, CaseKind, CaseState, Reminder


def remove_supervision_demo() -> None:
    cases = list(Case.objects.filter(is_demo=True).values_list("pk", flat=True))
    CaseEvent.objects.filter(case_id__in=cases).delete()
    Case.objects.filter(pk__in=cases, parent__isnull=False).delete()
    Case.objects.filter(pk__in=cases).delete()
    demo = list(Assignment.objects.filter(is_demo=True).values_list("pk", flat=True))
    for start in range(0, len(demo), 1000):
        Reminder.objects.filter(assignment_id__in=demo[start : start + 1000]).delete()


def _last_working_days(today: dt.date, n: int) -> list[dt.date]:
    days, day = [], today
    while len(days) < n:
        if is_working_day(day)[0]:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


@notifications.muted()  # demo data notifies nobody
def load_supervision_demo(plan: Plan, office, seed: int) -> None:
    today = timezone.localdate()
    # The reminders `ducha remind` would have sent on the last three working days (not mailed).
    for day in _last_working_days(today, 3):
        services.send_reminders(None, today=day, send=False)
    units = {u.code: u for u in OrgUnit.objects.all()}
    scale = plan.indicators.filter(code="TJ-GOAL-SCALE").first()
    sensor = plan.indicators.filter(code="TJ-IND-SENSOR").first()
    delayed = plan.milestones.exclude(lead_unit=None).order_by("position")[2:3].first()

    def case(**kw):
        return services.open_case(None, is_demo=True, **kw)

    instruction = case(
        kind=CaseKind.INSTRUCTION,
        title="关于加快智能科技产业规模增长的批示",
        body="产业规模距1000亿元目标仍有差距，请市工信局牵头分析原因，提出追赶措施，两周内报领导小组办公室。",
        leader_name="市领导（分管副市长）",
        org_unit=units["TJ-GXJ"],
        due=today + dt.timedelta(days=10),
        indicator=scale,
    )
    services.move_case(
        None,
        instruction,
        CaseState.IN_PROGRESS,
        expected_version=None,
        comment="已组织各区召开专题会。",
    )
    rect = case(
        kind=CaseKind.RECTIFICATION,
        title="传感器产业规模下滑整改",
        body="传感器产业规模连续两年下降，请制定整改方案并报送整改进展。",
        org_unit=units["TJ-GXJ"],
        due=today + dt.timedelta(days=20),
        parent=instruction,
        indicator=sensor,
    )
    services.move_case(
        None,
        rect,
        CaseState.REPORTED,
        expected_version=None,
        comment="已出台传感器产业专项扶持政策，新引进项目3个。",
    )
    done = case(
        kind=CaseKind.INSTRUCTION,
        title="关于做好2020年第三季度通报工作的批示",
        body="请办公室按时通报各责任单位进展，对进度滞后的单位进行督办。",
        leader_name="市领导（常务副市长）",
        org_unit=units["TJ-OFFICE"],
        due=today - dt.timedelta(days=30),
    )
    services.move_case(
        None, done, CaseState.REPORTED, expected_version=None, comment="已印发通报。"
    )
    services.move_case(None, done, CaseState.CLOSED, expected_version=None, comment="办结。")
    if delayed is not None:
        case(
            kind=CaseKind.RECTIFICATION,
            title=f"{delayed.title}：进度滞后整改",
            body="该任务进度滞后，请说明原因并按期整改到位。",
            org_unit=delayed.lead_unit,
            due=today - dt.timedelta(days=3),
            milestone=delayed,
        )
    case(
        kind=CaseKind.RECTIFICATION,
        title="蓟州区季度填报逾期整改",
        body="蓟州区2020年第四季度填报任务逾期未报，请立即补报并说明原因。",
        org_unit=units["120119"],
        due=today + dt.timedelta(days=5),
    )
