"""Demo reporting rounds, deterministic: three closed quarters of 2020 and 2020Q4 open.

The closed rounds (2020Q1–Q3) mirror the values the main demo approved: each district's and
lead unit's assignment carries that figure, approved, with its workflow steps; a few units
reported late and the items the demo never reports stay unsubmitted. The open round (2020Q4)
is driven through the real services, so every page has something in every state: figures
approved by the office, approved by a unit head and waiting for the office, submitted and
waiting for a unit head, returned with a reason, drafts, and units that are overdue. Its dates
are set relative to today so that its deadline passed a few working days ago.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from ducha.accounts.models import Role, User
from ducha.audit.services import record
from ducha.datavalues.models import (
    ApprovedValue,
    DataValue,
    MilestoneProgress,
    MilestoneReport,
    ValueSource,
    ValueStatus,
)
from ducha.datavalues.services import approval_of
from ducha.demo.quality import EXPLANATION as QUALITY_EXPLANATION
from ducha.demo.quality import open_factor
from ducha.engine.periods import parse_period
from ducha.notifications import services as notifications
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Plan, Source
from ducha.reporting import services
from ducha.reporting.models import (
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    Evidence,
    Round,
    RoundState,
    Transition,
)
from ducha.reporting.workdays import add_working_days, working_days_between

S = AssignmentStatus
CLOSED_PERIODS = ["2020Q1", "2020Q2", "2020Q3"]
OPEN_PERIOD = "2020Q4"
DEMO_PASSWORD = "ducha-demo-2018"
DEMO_DOMAIN = "@example.org"
# Extra accounts so that every step of the workflow can be tried: (login, role, unit, name)
EXTRA_USERS = [
    ("heping_head", Role.UNIT_HEAD, "120101", "和平区 分管负责人"),
    ("gxj_head", Role.UNIT_HEAD, "TJ-GXJ", "市工业和信息化局 处长"),
    ("hexi", Role.REPORTER, "120103", "河西区 填报员"),
]
RETURN_REASONS = [
    "请按统计局快报口径填报，并附统计报表。",
    "与上季度相比变化较大，请补充说明原因。",
    "佐证材料不全，请上传项目验收文件。",
]
EXPLANATION = "受疫情影响，部分项目投产推迟；已制定追赶计划，预计下季度回升。"


@notifications.muted()  # demo data notifies nobody
def load_reporting_demo(plan: Plan, office: User, seed: int) -> list[tuple[str, str, str]]:
    """Replace the demo rounds; returns the extra demo accounts it made (login, role, unit)."""
    remove_reporting_demo()
    # The demo drives the real workflow, which e-mails people; demo accounts get their
    # addresses only at the end, so loading the demo sends nothing.
    User.objects.filter(email__endswith=DEMO_DOMAIN).update(email="")
    users = ensure_extra_users()
    # the quality story (ducha/demo/quality.py): the office's settings, planted outliers
    from ducha.demo import quality

    originals = quality.original_figures(plan, office, seed)
    quality.unplant(originals)
    for period in CLOSED_PERIODS:
        build_closed_round(plan, period, office, seed)
    quality.load_quality_settings(plan)
    quality.plant_closed(plan, originals)
    build_open_round(plan, office, seed)
    # the workflow above had nobody to e-mail; the reminders below (muted, like the bulletins)
    # record the addresses they would go to, so 督办's 收件人 column is not empty
    give_addresses()
    from ducha.demo.supervision import load_supervision_demo

    load_supervision_demo(plan, office, seed)
    from ducha.demo.portal import load_portal_demo

    load_portal_demo(plan, office)
    return users


def _reported_values(**filters):
    """The demo values of the indicators units report. Those computed from the registers
    (ducha/demo/registers.py) are the registers' own: never taken, replaced or removed here."""
    return DataValue.objects.filter(is_demo=True, indicator__source=Source.MANUAL, **filters)


def remove_reporting_demo() -> None:
    from ducha.demo.portal import remove_portal_demo
    from ducha.demo.supervision import remove_supervision_demo

    remove_portal_demo()
    remove_supervision_demo()
    # Ids first, then plain `IN (ids)` deletes: PostgreSQL plans the join-in-subquery form
    # badly on freshly loaded tables without statistics (minutes instead of milliseconds).
    demo = list(Assignment.objects.filter(is_demo=True).values_list("pk", flat=True))
    for start in range(0, len(demo), 1000):
        chunk = demo[start : start + 1000]
        Transition.objects.filter(assignment_id__in=chunk).delete()
        Evidence.objects.filter(assignment_id__in=chunk).delete()
        Assignment.objects.filter(pk__in=chunk).delete()
    Round.objects.filter(is_demo=True).delete()
    # The lead units' city-wide demo figures (the main demo replaces the districts' own).
    city = list(
        _reported_values(org_unit__parent=None, period__in=CLOSED_PERIODS).values_list(
            "pk", flat=True
        )
    )
    ApprovedValue.objects.filter(data_value_id__in=city).delete()
    DataValue.objects.filter(pk__in=city).delete()


def ensure_extra_users() -> list[tuple[str, str, str]]:
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[u[2] for u in EXTRA_USERS])}
    out = []
    for username, role, code, name in EXTRA_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.org_unit, user.display_name = role, units[code], name
        user.set_password(DEMO_PASSWORD)
        user.save()
        out.append((username, str(Role(role).label), units[code].name))
    return out


def give_addresses() -> None:
    """Every demo account gets an address, so `ducha remind` has somewhere to send to."""
    for user in User.objects.filter(email="").exclude(username="admin"):
        user.email = f"{user.username}{DEMO_DOMAIN}"
        user.save(update_fields=["email"])


def _rng(seed, *parts) -> random.Random:
    """Seeded by codes, not database ids: the same story whatever ids the rows got."""
    return random.Random(f"{seed}:reporting:{':'.join(map(str, parts))}")


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def build_closed_round(plan: Plan, period_code: str, office: User, seed: int) -> Round:
    period = parse_period(period_code)
    opened_on = period.end + dt.timedelta(days=5)
    deadline = add_working_days(opened_on, 10)
    # Built in bulk (not through services.open_round and per-row updates): the closed rounds'
    # history is fixed, and thousands of single writes would make `ducha demo` slow.
    rnd = Round.objects.create(
        plan=plan,
        period=period.code,
        period_end=period.end,
        title=services.round_title(period),
        opened_on=opened_on,
        working_days=10,
        deadline=deadline.day,
        deadline_known=deadline.known,
        change_threshold=services.DEFAULT_CHANGE_THRESHOLD,
        opened_by=office,
        is_demo=True,
    )
    record(None, "reporting.round.opened", rnd, comment="demo")
    values = {(v.indicator_id, v.org_unit_id): v for v in _reported_values(period=period_code)}
    city = OrgUnit.objects.get(parent=None)
    city_values = _city_values(plan, period_code, values, city, office)
    last_reports = {
        r.milestone_id: r.progress
        for r in MilestoneReport.objects.filter(
            period_end__lt=period.end, status="approved"
        ).order_by("period_end")
    }
    assignments = [
        Assignment(
            round=rnd,
            kind=t.kind,
            org_unit=t.org_unit,
            indicator=t.indicator,
            milestone=t.milestone,
            is_demo=True,
        )
        for t in services.assignment_targets(plan, period)
    ]
    steps, reports, evidence = [], [], []
    for a in assignments:
        rng = _rng(seed, period_code, a.org_unit.code, (a.indicator or a.milestone).code)
        if a.is_milestone:
            a.progress = last_reports.get(a.milestone_id, MilestoneProgress.IN_PROGRESS)
            if a.progress in (MilestoneProgress.DELAYED, MilestoneProgress.BLOCKED):
                a.explanation = EXPLANATION
        else:
            key = (a.indicator_id, (city if a.kind == AssignmentKind.LEAD else a.org_unit).pk)
            dv = (
                city_values.get(a.indicator_id)
                if a.kind == AssignmentKind.LEAD
                else values.get(key)
            )
            if dv is None:
                if a.kind == AssignmentKind.LEAD and (a.indicator_id, a.org_unit_id) in values:
                    dv = values[(a.indicator_id, a.org_unit_id)]  # aggregation "none"
                else:
                    continue  # the demo never reports it: it stays unsubmitted
            a.value, a.data_value = dv.value, dv
        late = rng.random() < 0.12
        submitted = _aware(
            rnd.deadline + dt.timedelta(days=rng.randint(1, 9))
            if late
            else rnd.deadline - dt.timedelta(days=rng.randint(0, 8))
        )
        head_ok = submitted + dt.timedelta(days=1)
        approved = submitted + dt.timedelta(days=rng.randint(2, 6))
        a.status = S.APPROVED
        a.narrative = "演示数据：本季度按计划推进。"
        a.submitted_at = a.first_submitted_at = submitted
        a.unit_approved_at, a.approved_at = head_ok, approved
        a.version = 4
        steps += [
            Transition(
                assignment=a,
                at=submitted,
                from_status=S.DRAFT,
                to_status=S.SUBMITTED,
                action="submitted",
            ),
            Transition(
                assignment=a,
                at=head_ok,
                from_status=S.SUBMITTED,
                to_status=S.UNIT_APPROVED,
                action="unit_approved",
            ),
            Transition(
                assignment=a,
                at=approved,
                actor=office,
                from_status=S.UNIT_APPROVED,
                to_status=S.APPROVED,
                action="approved",
            ),
        ]
        if a.is_milestone:
            reports.append(
                MilestoneReport(
                    milestone=a.milestone,
                    org_unit=a.org_unit,
                    period=period_code,
                    period_end=period.end,
                    progress=a.progress,
                    note=a.narrative,
                    status=ValueStatus.APPROVED,
                    approved_at=approved,
                    is_demo=True,
                )
            )
    MilestoneReport.objects.bulk_create(reports, ignore_conflicts=True)
    by_ms = {
        r.milestone_id: r for r in MilestoneReport.objects.filter(period=period_code, is_demo=True)
    }
    for a in assignments:
        if a.is_milestone and a.status == S.APPROVED:
            a.milestone_report = by_ms.get(a.milestone_id)
    Assignment.objects.bulk_create(assignments, batch_size=500)
    for step in steps:
        step.assignment_id = step.assignment.pk
    for ev in evidence:
        ev.assignment_id = ev.assignment.pk
    Transition.objects.bulk_create(steps, batch_size=2000)
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    rnd.state, rnd.closed_at = RoundState.CLOSED, _aware(rnd.deadline + dt.timedelta(days=20))
    rnd.save(update_fields=["state", "closed_at"])
    return rnd


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _demo_file() -> tuple[str, str]:
    """One small PDF shared by every demo evidence row (stored once, by its hash)."""
    digest = hashlib.sha256(DEMO_PDF).hexdigest()
    name = f"evidence/{digest[:2]}/{digest}.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(DEMO_PDF))
    return name, digest


def _demo_evidence(a: Assignment, at: dt.datetime) -> Evidence:
    name, digest = _demo_file()
    return Evidence(
        assignment=a,
        file=name,
        original_name=f"{a.org_unit.label}-{a.subject_code}-佐证材料.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=len(DEMO_PDF),
        sha256=digest,
        description="演示佐证材料",
        uploaded_at=at,
    )


def _city_values(plan, period_code, values, city, office) -> dict[int, DataValue]:
    """The lead units' city-wide figures for a closed round: the districts' sum, approved
    with the districts' figures, so the assessment is unchanged."""
    sums: dict[int, Decimal] = defaultdict(Decimal)
    approved_at: dict[int, dt.datetime] = {}
    for (ind, _unit), dv in values.items():
        if dv.status == ValueStatus.APPROVED and dv.approved_at:
            sums[ind] += dv.value
            approved_at[ind] = max(approved_at.get(ind, dv.approved_at), dv.approved_at)
    additive = set(
        plan.indicators.exclude(aggregation="none").filter(pk__in=sums).values_list("pk", flat=True)
    )
    period = parse_period(period_code)
    out = {}
    for ind in additive:
        dv = DataValue.objects.create(
            indicator_id=ind,
            org_unit=city,
            period=period_code,
            period_end=period.end,
            value=sums[ind],
            source=ValueSource.UNIT_REPORT,
            source_note="各区合计",
            note="演示数据",
            status=ValueStatus.APPROVED,
            is_demo=True,
            created_by=office,
            updated_by=office,
            submitted_at=approved_at[ind],
            approved_at=approved_at[ind],
            approved_by=office,
        )
        approval_of(dv, dv.approved_at, office).save()
        out[ind] = dv
    return out


def _open_dates(today: dt.date) -> dt.date:
    """An opening date whose 10-working-day deadline passed 3 working days before today."""
    opened = today - dt.timedelta(days=14)
    while working_days_between(add_working_days(opened, 10).day, today) < 3:
        opened -= dt.timedelta(days=1)
    return opened


# How far each kind of unit got in the open round: (state, weight)
OPEN_STORY = [
    ("approved", 35),
    ("unit_approved", 15),
    ("submitted", 15),
    ("returned", 5),
    ("draft", 10),
    ("empty", 20),
]


def build_open_round(plan: Plan, office: User, seed: int) -> Round:
    # imported here: ducha.demo.services imports this module
    from ducha.demo.services import build_values

    period = parse_period(OPEN_PERIOD)
    # What the units will report: the main demo's 2020Q4 figures, made again from the seed
    # rather than read back (a previous load of the rounds replaced them), so that loading the
    # rounds again tells the same story. The stored ones are removed: in this story they come
    # in through the open round.
    figures = {
        (v.indicator_id, v.org_unit_id): v.value
        for v in build_values(plan, office, seed)
        if v.period == OPEN_PERIOD
    }
    demo_values = list(_reported_values(period=OPEN_PERIOD).values_list("pk", flat=True))
    ApprovedValue.objects.filter(data_value_id__in=demo_values).delete()
    DataValue.objects.filter(pk__in=demo_values).delete()
    MilestoneReport.objects.filter(period=OPEN_PERIOD, is_demo=True).delete()
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for (ind, _unit), value in figures.items():
        sums[ind] += value

    today = timezone.localdate()
    rnd = services.open_round(
        office, plan, period, opened_on=_open_dates(today), working_days=10, is_demo=True
    )
    heads = set(
        User.objects.filter(role=Role.UNIT_HEAD, is_active=True).values_list("org_unit", flat=True)
    )
    head_users = {u.org_unit_id: u for u in User.objects.filter(role=Role.UNIT_HEAD)}
    on_time: list[int] = []
    assignments = rnd.assignments.select_related("indicator", "milestone", "org_unit")
    for a in assignments:
        rng = _rng(seed, OPEN_PERIOD, a.org_unit.code, a.subject_code)
        state = _story(a, rng)
        if state == "empty":
            continue
        fields = _figures(a, figures, sums, rng)
        if fields is None:
            continue
        a = services.save_assignment(None, a, expected_version=None, **fields)
        if services.missing_for_submission(a):
            a = services.save_assignment(None, a, expected_version=None, explanation=EXPLANATION)
        if rng.random() < 0.5:
            services.add_evidence(None, a, _upload(a))
        if state == "draft":
            continue
        a = services.submit(None, a, expected_version=None)
        if rng.random() < 0.8:
            on_time.append(a.pk)
        head = head_users.get(a.org_unit_id)
        if state == "returned":
            services.return_assignment(
                head or office, a, expected_version=None, reason=rng.choice(RETURN_REASONS)
            )
            continue
        if state == "submitted" and a.org_unit_id in heads:
            continue
        if a.org_unit_id in heads:
            a = services.unit_approve(head, a, expected_version=None)
        if state == "approved" or a.org_unit_id not in heads:
            services.approve(office, a, expected_version=None)
    _backdate(rnd, on_time)
    return rnd


def _upload(a: Assignment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"{a.org_unit.label}-{a.subject_code}-佐证材料.pdf", DEMO_PDF)


def _story(a: Assignment, rng: random.Random) -> str:
    code = a.org_unit.code
    if not a.is_milestone and open_factor(OPEN_PERIOD, code, a.indicator.code) != 1:
        return "submitted"  # a planted outlier: submitted with its explanation
    if code == "120101":  # 和平区: the demo reporter still has most of it to do
        return rng.choice(["empty", "empty", "draft", "returned"])
    if code == "120116":  # 滨海新区: submitted; its head has approved some
        return rng.choice(["submitted", "submitted", "unit_approved", "returned", "approved"])
    if code in ("120119", "120117"):  # 蓟州区, 宁河区: nothing yet, overdue
        return "empty"
    states, weights = zip(*OPEN_STORY, strict=True)
    return rng.choices(states, weights)[0]


def _figures(a: Assignment, figures, sums, rng) -> dict | None:
    if a.is_milestone:
        return {
            "progress": rng.choice(
                [
                    MilestoneProgress.IN_PROGRESS,
                    MilestoneProgress.COMPLETED,
                    MilestoneProgress.IN_PROGRESS,
                    MilestoneProgress.DELAYED,
                ]
            ),
            "narrative": "演示数据：按计划推进，详见佐证材料。",
        }
    if a.kind == AssignmentKind.LEAD and a.indicator.aggregation != "none":
        value = sums.get(a.indicator_id)
    else:
        value = figures.get((a.indicator_id, a.org_unit_id))
    if value is None:
        return None
    factor = open_factor(OPEN_PERIOD, a.org_unit.code, a.indicator.code)
    if factor != 1:
        return {
            "value": max(value, Decimal(1)) * factor,
            "narrative": "演示数据：本季度情况说明。",
            "explanation": QUALITY_EXPLANATION,
        }
    return {"value": value, "narrative": "演示数据：本季度情况说明。"}


def _backdate(rnd: Round, on_time: list[int]) -> None:
    """Submissions made on time get times before the deadline (the services stamped now)."""
    when = _aware(rnd.deadline - dt.timedelta(days=1), 16)
    Assignment.objects.filter(pk__in=on_time).update(submitted_at=when, first_submitted_at=when)
    Transition.objects.filter(assignment__in=on_time, action="submitted").update(at=when)
    Assignment.objects.filter(round=rnd).filter(Q(pk__in=on_time) & ~Q(status=S.SUBMITTED)).update(
        unit_approved_at=when + dt.timedelta(hours=20)
    )
