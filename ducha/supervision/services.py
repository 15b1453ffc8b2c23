"""督办 writes: reminders and escalations, instructions and rectifications.

`send_reminders` is what `ducha remind` runs (cron-friendly): for every assignment still owed
after its round's deadline it sends, once per day, a reminder to the unit's reporters; after
DUCHA_ESCALATE_HEAD_DAYS working days late also to the unit head, after
DUCHA_ESCALATE_OFFICE_DAYS also to the office. One e-mail per person lists all their items.
Running it twice on a day sends nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.models import Role, User
from ducha.audit.services import diff, record, snapshot
from ducha.core.conflicts import StaleVersion
from ducha.core.policies import allows, require
from ducha.notifications import services as notifications
from ducha.orgunits.models import OrgUnitKind
from ducha.reporting.models import Assignment
from ducha.reporting.workdays import is_working_day, working_days_between
from ducha.supervision.models import (
    CASE_TRANSITIONS,
    Case,
    CaseEvent,
    CaseKind,
    CaseState,
    Reminder,
    ReminderLevel,
)


class SupervisionError(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


class CaseConflict(StaleVersion, SupervisionError):
    """Someone else moved the case since the page was read (the page answers 409)."""


# --- reminders -------------------------------------------------------------------------------


def escalation_days() -> tuple[int, int]:
    return (
        int(getattr(settings, "DUCHA_ESCALATE_HEAD_DAYS", 3)),
        int(getattr(settings, "DUCHA_ESCALATE_OFFICE_DAYS", 5)),
    )


def levels_for(days_late: int) -> list[str]:
    head_after, office_after = escalation_days()
    levels = [ReminderLevel.REMINDER]
    if days_late >= head_after:
        levels.append(ReminderLevel.HEAD)
    if days_late >= office_after:
        levels.append(ReminderLevel.OFFICE)
    return levels


@dataclass
class RemindReport:
    day: dt.date
    overdue: int = 0
    reminders: int = 0
    already_sent: int = 0
    emails: int = 0
    no_address: list[str] = field(default_factory=list)
    skipped_holiday: bool = False


def _recipients(level: str, unit_id: int, by_unit: dict, office: list[User]) -> list[User]:
    if level == ReminderLevel.OFFICE:
        return office
    role = Role.REPORTER if level == ReminderLevel.REMINDER else Role.UNIT_HEAD
    return by_unit.get((unit_id, role), [])


@transaction.atomic
def send_reminders(
    actor=None,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    send: bool = True,
    include_non_working: bool = False,
) -> RemindReport:
    """Send today's reminders and escalations; see the module docstring."""
    if actor is not None:
        require(actor, "add", Case)  # the office
    today = today or timezone.localdate()
    report = RemindReport(day=today)
    if not include_non_working and not is_working_day(today)[0]:
        report.skipped_holiday = True
        return report
    overdue = list(
        Assignment.objects.overdue(today)
        .select_related("round", "org_unit", "indicator", "milestone")
        .order_by("org_unit__position", "round__deadline", "pk")
    )
    report.overdue = len(overdue)
    sent = set(
        Reminder.objects.filter(sent_on=today, assignment__in=overdue).values_list(
            "assignment_id", "level"
        )
    )
    users = User.objects.filter(is_active=True).select_related("notification_preference")
    by_unit = defaultdict(list)
    for u in users.filter(role__in=[Role.REPORTER, Role.UNIT_HEAD]).exclude(org_unit=None):
        by_unit[(u.org_unit_id, u.role)].append(u)
    office = list(users.filter(role=Role.OFFICE))
    per_user: dict[int, list[tuple[str, Assignment, int]]] = defaultdict(list)
    people_by_pk: dict[int, User] = {}
    per_unit: dict[int, list[tuple[str, Assignment, int]]] = defaultdict(list)
    for_office: list[tuple[str, Assignment, int]] = []
    rows = []
    for a in overdue:
        days = max(working_days_between(a.round.deadline, today), 1)
        for level in levels_for(days):
            if (a.pk, level) in sent:
                report.already_sent += 1
                continue
            people = _recipients(level, a.org_unit_id, by_unit, office)
            addresses = sorted({u.email for u in people if u.email})
            if not addresses:
                report.no_address.append(f"{a.org_unit.label} ({ReminderLevel(level).label})")
            for person in people:
                per_user[person.pk].append((level, a, days))
                people_by_pk[person.pk] = person
            if level == ReminderLevel.REMINDER:
                per_unit[a.org_unit_id].append((level, a, days))  # the unit's group robots
            elif level == ReminderLevel.OFFICE:
                for_office.append((level, a, days))  # the office's group robots
            rows.append(
                Reminder(
                    assignment=a,
                    level=level,
                    sent_on=today,
                    working_days_late=days,
                    recipients=addresses,
                )
            )
    report.reminders = len(rows)
    report.emails = len({people_by_pk[pk].email for pk in per_user if people_by_pk[pk].email})
    report.no_address = sorted(set(report.no_address))
    if dry_run:
        transaction.set_rollback(True)
        return report
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(rows)
    except IntegrityError:
        # Another `ducha remind` ran at the same moment and sent these: send nothing twice.
        report.reminders, report.emails = 0, 0
        return report
    if rows:
        record(
            actor,
            "supervision.reminders.sent",
            None,
            changes={"day": today, "reminders": len(rows), "emails": report.emails},
        )
    if send:
        for pk, items in per_user.items():
            _notify_reminder(today, f"user:{pk}", items, users=[people_by_pk[pk]])
        for unit_id, items in per_unit.items():
            _notify_reminder(today, f"unit:{unit_id}", items, units=[unit_id])
        if for_office:
            _notify_reminder(today, "office", for_office, office=True)
    return report


def _notify_reminder(today: dt.date, who: str, items, **recipients) -> None:
    # The key names the day, the recipient and the very items, so a later run on the same
    # day that finds new ones still tells of them, and a repeat tells nobody twice.
    digest = hashlib.sha1(
        ",".join(sorted(f"{a.pk}/{level}" for level, a, _days in items)).encode()
    ).hexdigest()[:12]
    subject, body = _reminder_text(items, today)
    notifications.notify(
        "supervision.reminder",
        f"supervision.reminder:{today}:{who}:{digest}",
        subject=subject,
        body=body,
        url=notifications.link("/reporting/assignments/?status=overdue"),
        **recipients,
    )


def _reminder_text(items, today: dt.date) -> tuple[str, str]:
    lines = []
    for level, a, days in items:
        lines.append(
            _("- %(round)s · %(unit)s · %(code)s %(name)s: %(days)d working days late%(esc)s")
            % {
                "round": a.round.title,
                "unit": a.org_unit.label,
                "code": a.subject_code,
                "name": a.subject_name,
                "days": days,
                "esc": ""
                if level == ReminderLevel.REMINDER
                else f" ({ReminderLevel(level).label})",
            }
        )
    body = (
        _("These reporting assignments are past their deadline (as of %(day)s):") % {"day": today}
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _("Fill them in here:")
    )
    subject = _("[ducha] %(n)d overdue reporting assignments") % {"n": len(items)}
    return subject, body


# --- cases -----------------------------------------------------------------------------------


CASE_FIELDS = ["kind", "title", "body", "leader_name", "org_unit_id", "due", "state", "response"]


@transaction.atomic
def open_case(
    actor,
    *,
    kind: str,
    title: str,
    body: str,
    org_unit,
    due: dt.date,
    leader_name: str = "",
    parent: Case | None = None,
    indicator=None,
    milestone=None,
    assignment=None,
    is_demo: bool = False,
) -> Case:
    """Record a leader's instruction or open a rectification for a unit (the office)."""
    if actor is not None:
        require(actor, "add", Case)
    if kind not in CaseKind.values:
        raise SupervisionError(_("unknown kind %s") % kind, "kind")
    if not title.strip() or not body.strip():
        raise SupervisionError(_("a case needs a title and its text"), "title")
    if kind == CaseKind.INSTRUCTION and not leader_name.strip():
        raise SupervisionError(_("say which leader gave the instruction"), "leader_name")
    if org_unit.kind == OrgUnitKind.CITY:
        raise SupervisionError(
            _("the city as a whole cannot answer for a case: choose the department or district"),
            "org_unit",
        )
    case = Case.objects.create(
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        leader_name=leader_name.strip(),
        org_unit=org_unit,
        due=due,
        parent=parent,
        indicator=indicator,
        milestone=milestone,
        assignment=assignment,
        created_by=actor,
        is_demo=is_demo,
    )
    CaseEvent.objects.create(case=case, actor=actor, to_state=CaseState.OPEN, comment=body[:500])
    record(
        actor,
        f"supervision.{kind}.opened",
        case,
        changes=snapshot(case, CASE_FIELDS),
        org_unit=org_unit,
    )
    _notify_case(case, "opened", _("[ducha] new %(kind)s: %(title)s"))
    return case


# (from, to) -> who may make the move: "unit" (the responsible unit) or "office"
CASE_MOVES = {
    (CaseState.OPEN, CaseState.IN_PROGRESS): "unit",
    (CaseState.OPEN, CaseState.REPORTED): "unit",
    (CaseState.IN_PROGRESS, CaseState.REPORTED): "unit",
    (CaseState.REPORTED, CaseState.CLOSED): "office",
    (CaseState.REPORTED, CaseState.IN_PROGRESS): "office",  # not good enough: sent back
    (CaseState.OPEN, CaseState.WITHDRAWN): "office",
    (CaseState.IN_PROGRESS, CaseState.WITHDRAWN): "office",
}


@transaction.atomic
def move_case(actor, case: Case, to: str, *, expected_version: int | None, comment: str = ""):
    case = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and case.version != expected_version:
        raise CaseConflict(
            _("Someone else changed this case meanwhile; nothing was saved. Reload and retry."),
            "version",
        )
    if to not in CASE_TRANSITIONS.get(case.state, set()):
        raise SupervisionError(
            _("A case that is %(old)s cannot become %(new)s.")
            % {
                "old": case.get_state_display(),
                "new": CaseState(to).label if to in CaseState.values else to,
            }
        )
    who = CASE_MOVES[(case.state, to)]
    if actor is not None:
        if who == "office" and not actor.is_office:
            raise PermissionDenied(_("Only the office does this."))
        if who == "unit" and not _answers_for(actor, case):
            raise PermissionDenied(_("Only the responsible unit does this."))
    comment = (comment or "").strip()
    if to == CaseState.REPORTED and not comment:
        raise SupervisionError(_("Say what was done."), "comment")
    if (case.state, to) == (CaseState.REPORTED, CaseState.IN_PROGRESS) and not comment:
        raise SupervisionError(_("Say what is still missing."), "comment")
    before = snapshot(case, CASE_FIELDS)
    old = case.state
    case.state = to
    if to == CaseState.REPORTED:
        case.response = comment
    case.closed_at = timezone.now() if to in (CaseState.CLOSED, CaseState.WITHDRAWN) else None
    case.version += 1
    case.save()
    CaseEvent.objects.create(case=case, actor=actor, from_state=old, to_state=to, comment=comment)
    record(
        actor,
        f"supervision.{case.kind}.{to}",
        case,
        changes=diff(before, snapshot(case, CASE_FIELDS)),
        comment=comment,
        org_unit=case.org_unit,
    )
    if to == CaseState.REPORTED:
        _notify_case(case, to, _("[ducha] %(kind)s answered: %(title)s"), to_office=True)
    elif to == CaseState.IN_PROGRESS and old == CaseState.REPORTED:
        _notify_case(case, "sent_back", _("[ducha] %(kind)s sent back: %(title)s"))
    elif to == CaseState.CLOSED:
        _notify_case(case, to, _("[ducha] %(kind)s closed: %(title)s"))
    return case


def case_moves_for(user, case: Case) -> list[str]:
    out = []
    for (frm, to), who in CASE_MOVES.items():
        if frm != case.state:
            continue
        if (who == "office" and user.is_office) or (who == "unit" and _answers_for(user, case)):
            out.append(to)
    return out


def _answers_for(user, case: Case) -> bool:
    """The responsible unit's own people answer a case; the office checks it (and answers only
    the cases given to the office itself)."""
    return user.org_unit_id == case.org_unit_id and allows(user, "respond", case)


def _notify_case(case: Case, event: str, subject: str, *, to_office: bool = False) -> None:
    """Tell the unit (its people and group robots) of a case, or the office of its answer."""
    if to_office:
        people = User.objects.filter(role=Role.OFFICE, is_active=True)
    else:
        people = User.objects.filter(
            org_unit=case.org_unit, role__in=[Role.REPORTER, Role.UNIT_HEAD], is_active=True
        )
    step = case.events.order_by("-pk").first()
    text = case.response if to_office else case.body
    body = _("%(kind)s: %(title)s (%(unit)s, due %(due)s)") % {
        "kind": case.get_kind_display(),
        "title": case.title,
        "unit": case.org_unit.label,
        "due": case.due,
    }
    if step and step.comment and step.comment != text:
        text = f"{text}\n\n{step.comment}" if text else step.comment
    notifications.notify(
        f"supervision.case.{event}",
        f"supervision.case.{event}:{case.pk}:{step.pk if step else 0}",
        subject=subject % {"kind": case.get_kind_display(), "title": case.title},
        body=f"{body}\n\n{text}".strip(),
        url=notifications.link(f"/supervision/cases/{case.pk}/"),
        users=people.select_related("notification_preference"),
        units=[] if to_office else [case.org_unit],
        office=to_office,
    )
