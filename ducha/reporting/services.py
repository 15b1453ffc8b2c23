"""Every write of the reporting workflow: open and close rounds, fill, submit, review, approve.

All functions are atomic, check the policy (`actor=None` is the command line, a trusted
operator), lock the assignment row and compare its version (two reviewers never silently
overwrite each other), append a `Transition` row for every move and an audit entry for every
change, and send their e-mails only once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.models import Role, User
from ducha.audit.services import diff, record, snapshot
from ducha.core.conflicts import StaleVersion
from ducha.core.integrity import unique_guard
from ducha.core.policies import allows, require
from ducha.core.tables import ImportError_, Problem
from ducha.datavalues import services as values
from ducha.datavalues import sources
from ducha.datavalues.importer import period_message
from ducha.datavalues.models import DataValue, MilestoneProgress, ValueSource, ValueStatus
from ducha.engine.numbers import NumberFormatError, parse_number
from ducha.engine.periods import Period, PeriodError, parse_period
from ducha.engine.units import UNITS
from ducha.notifications import services as notifications
from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.plans.models import Aggregation, Frequency, Plan, Source
from ducha.quality import gate as quality_gate
from ducha.reporting import checks
from ducha.reporting.evidence import sniff_upload
from ducha.reporting.models import (
    ASSIGNMENT_TRANSITIONS,
    EDITABLE,
    EVIDENCE_OPEN,
    ROUND_TRANSITIONS,
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    Evidence,
    ReportingEffort,
    Round,
    RoundState,
    Transition,
)
from ducha.reporting.workdays import add_working_days

S = AssignmentStatus
DEFAULT_WORKING_DAYS = 10
DEFAULT_CHANGE_THRESHOLD = Decimal("0.30")
ASSIGNMENT_FIELDS = [
    "value",
    "progress",
    "narrative",
    "explanation",
    "status",
    "return_reason",
    "source",
    "source_note",
    "source_url",
    "source_evidence_id",
]


class ReportingError(Exception):
    """A request the workflow refuses, with a message for the person who made it.

    `field` names the form or API field at fault, where there is one.
    """

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(StaleVersion, ReportingError):
    """Someone else changed the assignment since the form (or API client) read it (409)."""


# --- who answers for what --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    kind: str
    org_unit: OrgUnit
    indicator: object = None
    milestone: object = None


def reporting_units() -> list[OrgUnit]:
    """The units that report their own share of an indicator that adds up: the districts."""
    return list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, is_active=True))


def indicator_due(indicator, period: Period) -> bool:
    """Yearly indicators are asked for in the round of the year's last period only."""
    if indicator.frequency == Frequency.YEAR:
        return period.end.month == 12
    return True


def assignment_targets(plan: Plan, period: Period) -> list[Target]:
    """Who must report what in a round: the rule, in one place (docs/reporting.md).

    - every indicator reported by units (source "manual"), due in this period: its lead unit,
      for the city-wide figure;
    - an indicator whose unit values add up (aggregation other than "none"): also every
      district, each for its own figure;
    - every milestone: its lead unit, for the milestone's progress (the assessment reads one
      status per milestone, so supporting units are not asked separately).
    Computed indicators (from registers) and items without a lead unit are not assigned.
    A plan for a region (a district's plan) asks only the districts within it; a unit already
    asked for the same period by another plan's round, for a target that shares its measure
    with this one (docs/alignment.md), is not asked again: its one report serves both.
    """
    from ducha.alignment.selectors import asked_elsewhere

    districts = reporting_units()
    if plan.region_id is not None:
        districts = [d for d in districts if plan.region_id in (d.pk, d.parent_id)]
    asked = asked_elsewhere(plan, period.code)
    out: list[Target] = []
    for ind in plan.indicators.select_related("lead_unit").order_by("position"):
        if ind.source != Source.MANUAL or not indicator_due(ind, period):
            continue
        if ind.lead_unit is not None and (ind.pk, ind.lead_unit_id) not in asked:
            out.append(Target(AssignmentKind.LEAD, ind.lead_unit, indicator=ind))
        if ind.aggregation != Aggregation.NONE:
            out += [
                Target(AssignmentKind.CONTRIBUTOR, d, indicator=ind)
                for d in districts
                if d.pk != ind.lead_unit_id and (ind.pk, d.pk) not in asked
            ]
    for ms in plan.milestones.select_related("lead_unit").order_by("position"):
        if ms.lead_unit is not None:
            out.append(Target(AssignmentKind.MILESTONE, ms.lead_unit, milestone=ms))
    return out


# --- rounds ----------------------------------------------------------------------------------


def round_title(period: Period) -> str:
    if period.kind == "quarter":
        names = {1: "一", 2: "二", 3: "三", 4: "四"}
        return f"{period.year}年第{names[period.index]}季度"
    if period.kind == "month":
        return f"{period.year}年{period.index}月"
    return f"{period.year}年度"


@transaction.atomic
def open_round(
    actor,
    plan: Plan,
    period: Period | str,
    *,
    working_days: int = DEFAULT_WORKING_DAYS,
    opened_on: dt.date | None = None,
    change_threshold: Decimal | None = None,
    title: str = "",
    is_demo: bool = False,
) -> Round:
    """Open a round for `plan` and `period` and create its assignments.

    The deadline is `working_days` Chinese working days after `opened_on` (today).
    """
    if actor is not None:
        require(actor, "add", Round)
    if isinstance(period, str):
        try:
            period = parse_period(period)
        except PeriodError as exc:
            raise ReportingError(period_message(exc, period), "period") from exc
    if working_days < 1 or working_days > 60:
        raise ReportingError(_("working days must be between 1 and 60"), "working_days")
    threshold = DEFAULT_CHANGE_THRESHOLD if change_threshold is None else change_threshold
    if not Decimal("0") < threshold <= Decimal("10"):
        raise ReportingError(_("the change threshold must be a share above 0"), "change_threshold")
    if Round.objects.filter(plan=plan, period=period.code).exists():
        raise ReportingError(
            _("a round for %(plan)s %(period)s exists already")
            % {"plan": plan, "period": period.code},
            "period",
        )
    opened_on = opened_on or timezone.localdate()
    deadline = add_working_days(opened_on, working_days)
    with unique_guard(ReportingError, "period"):  # the same round opened at the same moment
        rnd = Round.objects.create(
            plan=plan,
            period=period.code,
            period_end=period.end,
            title=title or round_title(period),
            opened_on=opened_on,
            working_days=working_days,
            deadline=deadline.day,
            deadline_known=deadline.known,
            change_threshold=threshold,
            opened_by=actor,
            is_demo=is_demo,
        )
    targets = assignment_targets(plan, period)
    Assignment.objects.bulk_create(
        Assignment(
            round=rnd,
            kind=t.kind,
            org_unit=t.org_unit,
            indicator=t.indicator,
            milestone=t.milestone,
            is_demo=is_demo,
        )
        for t in targets
    )
    record(
        actor,
        "reporting.round.opened",
        rnd,
        changes={
            **snapshot(rnd, ["plan_id", "period", "opened_on", "deadline", "working_days"]),
            "assignments": len(targets),
        },
    )
    return rnd


@transaction.atomic
def recount_deadlines(actor, years: set[int]) -> list[Round]:
    """After the holiday calendar of `years` changed: every open round whose count of working
    days runs through one of them gets the deadline the calendar now gives, flagged exact
    when every year it runs through is known."""
    changed = []
    rounds = Round.objects.select_for_update().filter(state=RoundState.OPEN).order_by("pk")
    for rnd in rounds:
        if not ({rnd.opened_on.year, rnd.deadline.year} & set(years)):
            continue
        deadline = add_working_days(rnd.opened_on, rnd.working_days)
        if (deadline.day, deadline.known) == (rnd.deadline, rnd.deadline_known):
            continue
        before = snapshot(rnd, ["deadline", "deadline_known"])
        rnd.deadline, rnd.deadline_known = deadline.day, deadline.known
        rnd.save(update_fields=["deadline", "deadline_known"])
        record(
            actor,
            "reporting.round.deadline_recounted",
            rnd,
            changes=diff(before, snapshot(rnd, ["deadline", "deadline_known"])),
            comment=_("the holiday calendar changed"),
        )
        changed.append(rnd)
    return changed


@transaction.atomic
def change_round_state(actor, rnd: Round, state: str, *, reason: str = "") -> Round:
    if actor is not None:
        require(actor, "change", rnd)
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    if state not in ROUND_TRANSITIONS.get(rnd.state, set()):
        raise ReportingError(
            _("a round that is %(old)s cannot become %(new)s")
            % {"old": rnd.get_state_display(), "new": RoundState(state).label}
            if state in RoundState.values
            else _("unknown state %s") % state
        )
    old = rnd.state
    rnd.state = state
    rnd.closed_at = timezone.now() if state == RoundState.CLOSED else None
    rnd.save(update_fields=["state", "closed_at"])
    record(
        actor,
        f"reporting.round.{'closed' if state == RoundState.CLOSED else 'reopened'}",
        rnd,
        changes={"state": [old, state]},
        comment=reason,
    )
    return rnd


# --- filling in ------------------------------------------------------------------------------


def _locked(assignment: Assignment | int) -> Assignment:
    pk = assignment.pk if isinstance(assignment, Assignment) else assignment
    return Assignment.objects.select_for_update().get(pk=pk)


def _require(actor, action: str, a: Assignment) -> None:
    if actor is not None and not allows(actor, action, a):
        raise PermissionDenied(
            _("You may not do this for %(unit)s's assignment %(code)s.")
            % {"unit": a.org_unit, "code": a.subject_code}
        )


def _check_version(a: Assignment, expected_version: int | None) -> None:
    if expected_version is not None and a.version != expected_version:
        who = a.updated_by or _("the command line")
        raise ConflictError(
            _(
                "%(who)s changed this assignment at %(time)s while you were working on it "
                "(version %(yours)d is now %(theirs)d). Nothing was saved: your input is kept "
                "below; compare it with the current state and try again."
            )
            % {
                "who": who,
                "time": timezone.localtime(a.updated_at).strftime("%Y-%m-%d %H:%M"),
                "yours": expected_version,
                "theirs": a.version,
            },
            "version",
        )


def _require_open(a: Assignment, what: str) -> None:
    if not a.round.is_open:
        raise ReportingError(
            _("The round %(round)s is closed: %(what)s is no longer possible.")
            % {"round": a.round, "what": what}
        )


def clean_value(a: Assignment, raw) -> Decimal | None:
    """A value as typed ("1,234.5", "1.2万", "１２") checked against the indicator's unit."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, Decimal | int | float) and not isinstance(raw, bool):
        try:
            value = Decimal(str(raw))
        except InvalidOperation as exc:
            raise ReportingError(_("%s is not a number") % raw, "value") from exc
    else:
        try:
            parsed = parse_number(str(raw))
        except NumberFormatError as exc:
            raise ReportingError(_("%s is not a number") % raw, "value") from exc
        value = parsed.value
        if parsed.percent and not is_percent_unit(a.indicator.unit):
            # "12%" for a count of 个 is not 12 of them: say so rather than drop the sign.
            raise ReportingError(
                _("%(raw)s is a percentage but %(code)s is measured in %(unit)s")
                % {"raw": str(raw).strip(), "code": a.indicator.code, "unit": a.indicator.unit},
                "value",
            )
    if not value.is_finite():
        raise ReportingError(_("%s is not a number") % raw, "value")
    if value < 0:
        raise ReportingError(_("the value cannot be negative"), "value")
    unit = UNITS.get(a.indicator.unit)
    if unit is not None and unit.category == "percent" and value > 100:
        raise ReportingError(_("a percentage cannot exceed 100"), "value")
    if unit is not None and unit.category == "count" and value != value.to_integral_value():
        raise ReportingError(
            _("%(unit)s counts whole things: %(value)s is not a whole number")
            % {"unit": a.indicator.unit, "value": raw},
            "value",
        )
    if abs(value) >= Decimal("1e17"):
        raise ReportingError(_("the value is too large"), "value")
    return value


def is_percent_unit(unit: str) -> bool:
    """Whether a value typed with a percent sign fits an indicator measured in `unit`."""
    known = UNITS.get(unit)
    return known is not None and known.category == "percent"


UNSET = object()


@transaction.atomic
def save_assignment(
    actor,
    assignment: Assignment | int,
    *,
    expected_version: int | None,
    value=UNSET,
    progress=UNSET,
    narrative=UNSET,
    explanation=UNSET,
    source=UNSET,
    source_note=UNSET,
    source_url=UNSET,
    source_evidence=UNSET,
) -> Assignment:
    """Save what the unit has filled in so far (a draft). Only draft or returned assignments
    of an open round can be edited; an approved one must be reopened by the office first.

    The figure's source (来源, 口径, link) is checked by `datavalues.sources`; its attachment
    is one of the assignment's own evidence files (an id, an Evidence, or None)."""
    a = _locked(assignment)
    _require(actor, "change", a)
    _check_version(a, expected_version)
    _require_open(a, _("changing it"))
    if a.status not in EDITABLE:
        raise ReportingError(
            _("This assignment is %s and cannot be changed.") % a.get_status_display()
        )
    before = snapshot(a, ASSIGNMENT_FIELDS)
    if value is not UNSET and not a.is_milestone:
        a.value = clean_value(a, value)
    if progress is not UNSET and a.is_milestone:
        if progress and progress not in MilestoneProgress.values:
            raise ReportingError(_("unknown progress %s") % progress, "progress")
        a.progress = progress or ""
    if narrative is not UNSET:
        a.narrative = (narrative or "").strip()
    if explanation is not UNSET:
        a.explanation = (explanation or "").strip()
    _set_source(a, source, source_note, source_url, source_evidence)
    changes = diff(before, snapshot(a, ASSIGNMENT_FIELDS))
    if not changes:
        return a
    a.version += 1
    a.updated_by = actor
    a.save()
    record(actor, "reporting.assignment.saved", a, changes=changes, org_unit=a.org_unit)
    return a


def _set_source(a: Assignment, kind, note, url, evidence) -> None:
    try:
        if kind is not UNSET:
            a.source = sources.parse_kind(kind)
        if note is not UNSET:
            a.source_note = sources.clean_note(note)
        if url is not UNSET:
            a.source_url = sources.clean_url(url)
    except sources.SourceError as exc:
        raise ReportingError(exc.message, exc.field) from None
    if evidence is UNSET:
        return
    if evidence in (None, ""):
        a.source_evidence = None
        return
    pk = evidence.pk if isinstance(evidence, Evidence) else evidence
    found = a.evidence.filter(archived_at=None, pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise ReportingError(
            _("the source attachment must be one of this assignment's evidence files"),
            "source_evidence",
        )
    a.source_evidence = found


def _rows_to_fill(actor, rows: list[dict]) -> list[Assignment]:
    """The assignments a form's rows name, in their order; a row without an id, or with one
    the actor may not change, is refused by its row number (nothing is saved)."""
    ids = []
    for n, row in enumerate(rows, start=1):
        try:
            ids.append(int(row["id"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ReportingError(_("row %d: no assignment id") % n, "id") from exc
    scope = (
        Assignment.objects.for_user(actor, "change") if actor is not None else Assignment.objects
    )
    found = scope.filter(pk__in=ids).select_related("round", "org_unit", "indicator", "milestone")
    found = {a.pk: a for a in found}
    for n, pk in enumerate(ids, start=1):
        if pk not in found:
            raise PermissionDenied(
                _("row %(row)d: assignment %(id)s is not one you may fill in; nothing was saved")
                % {"row": n, "id": pk}
            )
    return [found[pk] for pk in ids]


@transaction.atomic
def save_many(actor, rows: list[dict]) -> list[Assignment]:
    """Save several assignments from one form or request, all or nothing.

    Each row is {"id", "version", and any of "value", "progress", "narrative", "explanation"};
    an id the actor may not change is refused with its row number and nothing is saved.
    """
    ids = [a.pk for a in _rows_to_fill(actor, rows)]
    out = []
    for n, (pk, row) in enumerate(zip(ids, rows, strict=True), start=1):
        fields = {k: row[k] for k in ("value", "progress", "narrative", "explanation") if k in row}
        try:
            out.append(
                save_assignment(actor, pk, expected_version=_version(row.get("version")), **fields)
            )
        except ReportingError as exc:
            raise type(exc)(
                _("row %(row)d: %(problem)s; nothing was saved") % {"row": n, "problem": exc},
                exc.field,
            ) from exc
    return out


# --- the sheet: every open assignment of a unit on one page (docs/reporting.md) -------------

FIGURE_FIELDS = ["value", "narrative", "source", "evidence"]
# what a row of the sheet may carry besides its id, version and the evidence to reuse
SHEET_FIELDS = (
    "value",
    "progress",
    "narrative",
    "explanation",
    "source",
    "source_note",
    "source_url",
)
MILESTONE_FIELDS = ["progress", "narrative", "evidence"]


def asked_fields(a: Assignment) -> list[str]:
    """What a round asks of a unit for one assignment (the burden's "fields asked"); the
    explanation only where a rule requires one."""
    return list(MILESTONE_FIELDS if a.is_milestone else FIGURE_FIELDS)


class SheetError(ReportingError):
    """The sheet was refused: `problems` maps each assignment id at fault to its (field,
    message) pairs;
    `stale` holds the ids someone else changed meanwhile (the page answers 409). Nothing was
    saved."""

    def __init__(self, problems: dict[int, list], stale: set[int], rows: dict[int, int]):
        self.problems, self.stale, self.rows = problems, stale, rows
        super().__init__(
            _("%(n)d rows have problems; nothing was saved: %(rows)s")
            % {
                "n": len(problems),
                "rows": "; ".join(
                    _("row %(row)d: %(problem)s")
                    % {"row": rows.get(pk, 0), "problem": " ".join(text for _f, text in m)}
                    for pk, m in problems.items()
                ),
            }
        )


@dataclass
class SheetResult:
    saved: list[Assignment]
    submitted: list[Assignment]
    left_empty: list[Assignment]


class EvidenceMissing(ReportingError):
    """A sheet would submit rows with no evidence attached and the person has not confirmed
    that: nothing was saved, and the page asks (as the assignment page does)."""

    def __init__(self, assignments: list[Assignment]):
        self.assignments = assignments
        super().__init__(
            _("no evidence is attached to %(items)s")
            % {"items": "、".join(a.subject_name for a in assignments)},
            "evidence",
        )


def has_evidence(a: Assignment) -> bool:
    return a.evidence.filter(archived_at=None).exists()


@transaction.atomic
def save_sheet(
    actor, rows: list[dict], *, submit_filled: bool, without_evidence: bool = False
) -> SheetResult:
    """Save a unit's sheet in one request, all or nothing (docs/reporting.md, "The sheet").

    Each row: {"id", "version", "value" | "progress", "narrative", "explanation", "source",
    "source_note", "source_url", "evidence": [ids of the unit's known files to reuse]}.
    Every row goes through `save_assignment` (and, with `submit_filled`, `submit` for each
    row with a figure or a progress): the same rules, quality gate and audit entries as the
    assignment page. Every row with a problem is named (a stale version, a figure that is not
    a number, an explanation a rule requires …) and then nothing is kept. The reporting
    burden of each saved row is recorded (what the system proposed, what the person
    changed). Rows submitted with no evidence attached need ``without_evidence`` (the person
    confirmed); otherwise `EvidenceMissing` names them and nothing is saved."""
    from ducha.reporting import prefill

    found = _rows_to_fill(actor, rows)
    ids = [a.pk for a in found]
    order = {pk: n for n, pk in enumerate(ids, start=1)}
    proposals = prefill.proposals_for(found)
    problems: dict[int, list] = {}
    stale: set[int] = set()
    saved, submitted, left_empty = [], [], []
    for pk, row in zip(ids, rows, strict=True):
        fields = {k: row[k] for k in SHEET_FIELDS if k in row}
        try:
            a = save_assignment(actor, pk, expected_version=_version(row.get("version")), **fields)
            for ev in _chosen_evidence(row.get("evidence") or [], proposals[pk]):
                reuse_evidence(actor, a, ev)
            if submit_filled and (a.value is not None or a.progress):
                a = submit(actor, a, expected_version=a.version)
                submitted.append(a)
            elif a.value is None and not a.progress:
                left_empty.append(a)
            saved.append(a)
            _record_effort(actor, a, proposals[pk], row)
        except StaleVersion as exc:
            stale.add(pk)
            problems[pk] = [(exc.field, str(exc))]
        except (ReportingError, PermissionDenied) as exc:
            problems[pk] = [(getattr(exc, "field", ""), str(exc))]
    if problems:
        raise SheetError(problems, stale, order)
    bare = [] if without_evidence else [a for a in submitted if not has_evidence(a)]
    if bare:
        raise EvidenceMissing(bare)  # the transaction is rolled back: nothing is kept
    return SheetResult(saved, submitted, left_empty)


def _chosen_evidence(chosen, proposal) -> list[Evidence]:
    known = {ev.pk: ev for ev in proposal.evidence}
    out = []
    for raw in chosen:
        pk = int(raw) if str(raw).isdigit() else None
        if pk not in known:
            raise ReportingError(
                _("file %s is not one of this unit's earlier evidence for this item") % raw,
                "evidence",
            )
        out.append(known[pk])
    return out


@transaction.atomic
def reuse_evidence(actor, assignment, known: Evidence) -> Evidence:
    """Attach a file the unit gave for the same item in an earlier round, without uploading it
    again: a new Evidence row for the same stored file (files are stored by content hash)."""
    a = _locked(assignment)
    _require(actor, "change", a)
    _require_open(a, _("adding evidence"))
    if a.status not in EDITABLE and not (actor is None or actor.is_office):
        raise ReportingError(_("Evidence can be added while the assignment is not submitted."))
    if known.assignment.org_unit_id != a.org_unit_id:
        raise ReportingError(_("only the unit's own evidence can be reused"), "evidence")
    existing = a.evidence.filter(archived_at=None, sha256=known.sha256).first()
    if existing is not None:
        return existing
    ev = Evidence.objects.create(
        assignment=a,
        file=known.file.name,
        original_name=known.original_name,
        content_type=known.content_type,
        extension=known.extension,
        size=known.size,
        sha256=known.sha256,
        description=known.description,
        uploaded_by=actor,
    )
    record(
        actor,
        "reporting.evidence.reused",
        a,
        changes={"evidence": [None, ev.original_name], "from_round": known.assignment.round.period},
        org_unit=a.org_unit,
    )
    return ev


def note_opened(actor, assignments) -> None:
    """The first time a person of the unit opens its assignments (the sheet or one page): the
    start of the time the burden counts. Others opening them (the office, leaders) count for
    nothing. Bookkeeping, not a change of the assignment: no audit entry."""
    if actor is None or actor.role not in (Role.REPORTER, Role.UNIT_HEAD):
        return
    mine = [a.pk for a in assignments if a.org_unit_id == actor.org_unit_id and a.is_editable]
    if not mine:
        return
    now = timezone.now()
    have = set(
        ReportingEffort.objects.filter(assignment__in=mine).values_list("assignment", flat=True)
    )
    ReportingEffort.objects.bulk_create(
        [
            ReportingEffort(assignment_id=pk, opened_at=now, opened_by=actor)
            for pk in mine
            if pk not in have
        ],
        ignore_conflicts=True,
    )
    ReportingEffort.objects.filter(assignment__in=mine, opened_at=None).update(
        opened_at=now, opened_by=actor
    )


def _record_effort(actor, a: Assignment, proposal, row: dict) -> None:
    """What this save of the sheet cost the unit: the fields asked, those the system proposed,
    those the person typed (left empty by the system, or changed from its proposal)."""
    effort, _created = ReportingEffort.objects.get_or_create(
        assignment=a, defaults={"opened_at": timezone.now(), "opened_by": actor}
    )
    asked = asked_fields(a)
    if a.explanation.strip() or (a.status == S.SUBMITTED and checks.explanation_reasons(a)):
        asked.append("explanation")
    proposed = proposal.fields()
    typed = set(effort.typed)
    if a.is_milestone:
        if a.progress and a.progress != proposal.progress:
            typed.add("progress")
    elif a.value is not None and a.value != proposal.value:
        typed.add("value")
    if a.narrative and a.narrative != proposal.narrative:
        typed.add("narrative")
    if "source" in row and not a.is_milestone:
        names = [k for k in ("source", "source_note", "source_url") if k in row]
        theirs = (
            {k: getattr(proposal, k) for k in names}
            if proposal.source
            else {"source": ValueSource.UNIT_REPORT, "source_note": "", "source_url": ""}
        )
        if any(getattr(a, k) != theirs[k] for k in names):
            typed.add("source")
    if a.explanation.strip():
        typed.add("explanation")
    effort.asked = asked
    effort.prefilled = sorted(set(effort.prefilled) | proposed)
    effort.typed = sorted(typed)
    effort.save(update_fields=["asked", "prefilled", "typed", "updated_at"])


def _open_assignments_for(rows) -> dict[tuple[int, int, str], Assignment]:
    """The assignments of open rounds that the rows of a value file answer, by
    (indicator, org unit, period)."""
    found = Assignment.objects.filter(
        round__state=RoundState.OPEN,
        indicator__in={r.indicator.pk for r in rows},
        org_unit__in={r.org_unit.pk for r in rows},
        round__period__in={r.period.code for r in rows},
    ).select_related("round", "org_unit", "indicator")
    return {(a.indicator_id, a.org_unit_id, a.round.period): a for a in found}


@transaction.atomic
def import_into_rounds(
    actor, rows, *, submit: bool, default_source: str = ValueSource.UNIT_REPORT
) -> values.ImportReport:
    """A unit's value file, all or nothing: each row fills the unit's assignment for that
    indicator, unit and period in an open round (value; 说明 as the narrative, 原因说明 as the
    explanation) and, when `submit`, submits it with the same checks as the assignment page.
    Every row with a problem
    is named (no open assignment, already submitted, explanation required …) and then nothing
    is kept. An assignment already submitted or approved with the same figure is left alone.
    """
    report = values.ImportReport()
    problems: list[Problem] = []
    assignments = _open_assignments_for(rows)
    for row in rows:
        a = assignments.get((row.indicator.pk, row.org_unit.pk, row.period.code))
        if a is None:
            problems.append(
                Problem(
                    row.row,
                    "",
                    _(
                        "no open reporting round asks %(unit)s for %(code)s in %(period)s; "
                        "a unit imports only what a round asks of it"
                    )
                    % {"unit": row.org_unit, "code": row.indicator.code, "period": row.period},
                )
            )
            continue
        narrative = row.note
        # the 来源 columns fill the assignment's source; an empty 来源 is the file's default
        # for an assignment still being filled in, and leaves a submitted one as it is
        fields = {"value": row.value}
        if row.source or a.is_editable:
            fields["source"] = row.source or default_source
        if row.source_note or row.source_url or a.is_editable:
            fields["source_note"], fields["source_url"] = row.source_note, row.source_url
        if narrative:  # an empty or missing 说明 keeps what the unit already wrote
            fields["narrative"] = narrative
        if row.explanation:
            fields["explanation"] = row.explanation
        if not a.is_editable and all(getattr(a, k) == v for k, v in fields.items()):
            report.unchanged += 1
            continue
        try:
            a = save_assignment(actor, a, expected_version=None, **fields)
            if submit:
                a = _submit_imported(actor, a)
                report.submitted += 1
        except (ReportingError, PermissionDenied) as exc:
            problems.append(Problem(row.row, "", str(exc)))
            continue
        report.updated += 1
        report.assignments.append(a)
    if problems:
        # Raising rolls back the rows that went through: all or nothing.
        raise ImportError_(problems)
    return report


def _submit_imported(actor, a: Assignment) -> Assignment:
    missing = missing_for_submission(a)
    if missing:
        raise ReportingError(
            _(
                "not submitted: %s; fill in the 原因说明 column, or import it as a draft and "
                "complete it on the assignment page"
            )
            % "; ".join(missing)
        )
    return submit(actor, a, expected_version=a.version)


def _version(raw) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise ReportingError(_("%s is not a version number") % raw, "version") from exc


# --- the workflow ----------------------------------------------------------------------------


def _move(actor, a: Assignment, to: str, action: str, comment: str = "") -> Transition:
    if to not in ASSIGNMENT_TRANSITIONS.get(a.status, set()):
        raise ReportingError(
            _("An assignment that is %(old)s cannot be %(new)s.")
            % {"old": a.get_status_display(), "new": S(to).label}
        )
    old = a.status
    a.status = to
    a.version += 1
    a.updated_by = actor
    a.save()
    step = Transition.objects.create(
        assignment=a,
        actor=actor,
        from_status=old,
        to_status=to,
        action=action,
        comment=comment,
    )
    record(
        actor,
        f"reporting.assignment.{action}",
        a,
        changes={"status": [old, to]},
        comment=comment,
        org_unit=a.org_unit,
    )
    return step


def can_add_evidence(user, a: Assignment) -> bool:
    """Whether the page offers `user` the upload for `a` (add_evidence checks again)."""
    return a.round.is_open and allows(user, "change", a) and a.status in EVIDENCE_OPEN


def missing_for_submission(a: Assignment) -> list[str]:
    """What stops `a` from being submitted, as messages; empty when it can go."""
    problems = []
    if a.is_milestone and not a.progress:
        problems.append(_("choose the milestone's progress"))
    if not a.is_milestone and a.value is None:
        problems.append(_("enter the value"))
    if not problems and not a.explanation.strip():
        reasons = checks.explanation_reasons(a)
        if reasons:
            problems.append(_("explain the figure: %s") % "; ".join(reasons))
    return problems


@transaction.atomic
def submit(actor, assignment, *, expected_version: int | None, comment: str = "") -> Assignment:
    a = _locked(assignment)
    _require(actor, "submit", a)
    _check_version(a, expected_version)
    _require_open(a, _("submitting"))
    problems = missing_for_submission(a)
    if problems:
        raise ReportingError(_("Not submitted: %s.") % "; ".join(problems), "explanation")
    now = timezone.now()
    a.submitted_at = now
    a.first_submitted_at = a.first_submitted_at or now
    a.return_reason = ""
    # what the quality gate flagged, kept for the reviewers beside the explanation
    a.quality_flags = quality_gate.stored(a)
    step = _move(actor, a, S.SUBMITTED, "submitted", comment)
    _notify(
        a,
        step,
        _users(a.org_unit, Role.UNIT_HEAD),
        _("[ducha] %(unit)s submitted %(code)s %(name)s for your review")
        % {"unit": a.org_unit.label, "code": a.subject_code, "name": a.subject_name},
        _("%(who)s submitted %(item)s. Review it:")
        % {"who": actor or _("the command line"), "item": _item(a)},
    )
    return a


@transaction.atomic
def withdraw(actor, assignment, *, expected_version: int | None, comment: str = "") -> Assignment:
    """The unit takes its submission back (撤回) to correct it or add evidence: only while
    it waits for its first review (status submitted) in an open round, and only the unit's
    own people (the office returns a submission instead, with a reason).

    A withdrawn first submission no longer counts as reported: its time is forgotten, so a
    report withdrawn and submitted again after the deadline is late (docs/reporting.md)."""
    a = _locked(assignment)
    _require(actor, "withdraw", a)
    if actor is not None and actor.role not in (Role.REPORTER, Role.UNIT_HEAD):
        raise PermissionDenied(
            _("Only the unit withdraws its own submission; the office returns it with a reason.")
        )
    _check_version(a, expected_version)
    if a.status != S.SUBMITTED:
        raise ReportingError(
            _("Only a submission that waits for its first review can be withdrawn; this one is %s.")
            % a.get_status_display()
        )
    _require_open(a, _("withdrawing it"))
    earlier = (
        Transition.objects.filter(assignment=a, to_status=S.SUBMITTED)
        .order_by("-at", "-id")
        .values_list("at", flat=True)[1:]
    )
    if not earlier:
        a.first_submitted_at = None
        a.submitted_at = None
    _move(actor, a, S.DRAFT, "withdrawn", comment)
    return a


def unit_has_head(unit: OrgUnit) -> bool:
    return User.objects.filter(org_unit=unit, role=Role.UNIT_HEAD, is_active=True).exists()


# --- separation of duties --------------------------------------------------------------------


def submitter(a: Assignment):
    """Who made the latest submission (None: the command line, or never submitted)."""
    step = (
        Transition.objects.filter(assignment=a, to_status=S.SUBMITTED)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return step.actor if step is not None else None


def separation_problem(actor, a: Assignment) -> str:
    """Why `actor` may not give the unit's approval of `a`: they submitted it themselves.

    The unit's approval is the unit head's (or, for a unit without one, the office's direct
    approval); it must come from someone other than the submitter, unless the office has
    marked the unit as run by one person (`OrgUnit.allow_self_approval`). The command line
    (actor None) is a trusted operator, not a person of the unit.
    """
    if actor is None or a.org_unit.allow_self_approval:
        return ""
    who = submitter(a)
    if who is None or who.pk != actor.pk:
        return ""
    return _(
        "You submitted this report yourself, so its approval must come from someone else "
        "(separation of duties): another unit head, or the office where the unit has none."
    )


def _check_separation(actor, a: Assignment) -> None:
    problem = separation_problem(actor, a)
    if problem:
        raise PermissionDenied(problem)


@transaction.atomic
def unit_approve(actor, assignment, *, expected_version: int | None, comment="") -> Assignment:
    """The unit head's approval: the submission goes on to the office."""
    a = _locked(assignment)
    _require(actor, "unit_review", a)
    # The office's approval is its own, later step: it never gives the unit's approval too.
    if actor is not None and actor.role != Role.UNIT_HEAD:
        raise PermissionDenied(_("Only the unit head approves the unit's submissions."))
    _check_version(a, expected_version)
    if a.status != S.SUBMITTED:
        raise ReportingError(
            _("Only a submitted assignment can be approved by the unit head; this one is %s.")
            % a.get_status_display()
        )
    _check_separation(actor, a)
    a.unit_approved_at = timezone.now()
    _move(actor, a, S.UNIT_APPROVED, "unit_approved", comment)
    return a


@transaction.atomic
def return_assignment(actor, assignment, *, expected_version: int | None, reason: str):
    """Send a submission back to the unit with a reason (the unit head or the office)."""
    a = _locked(assignment)
    if actor is not None and not (
        actor.is_office or (actor.role == Role.UNIT_HEAD and allows(actor, "unit_review", a))
    ):
        raise PermissionDenied(_("Only the unit head or the office returns a submission."))
    _check_version(a, expected_version)
    if not (reason or "").strip():
        raise ReportingError(_("Say why it is returned: the unit needs to know."), "reason")
    if a.status == S.APPROVED:
        raise ReportingError(_("An approved assignment is reopened, not returned."))
    if actor is not None and not actor.is_office and a.status != S.SUBMITTED:
        raise ReportingError(_("It has gone on to the office; only the office can return it now."))
    _require_open(a, _("returning it for correction"))
    a.return_reason = reason.strip()
    step = _move(actor, a, S.RETURNED, "returned", reason.strip())
    _notify(
        a,
        step,
        _users(a.org_unit, Role.REPORTER) + _users(a.org_unit, Role.UNIT_HEAD),
        _("[ducha] %(code)s %(name)s returned for correction")
        % {"code": a.subject_code, "name": a.subject_name},
        _("%(item)s was returned by %(who)s: %(reason)s")
        % {"item": _item(a), "who": actor or _("the office"), "reason": reason.strip()},
        unit=True,
    )
    return a


@transaction.atomic
def approve(actor, assignment, *, expected_version: int | None, comment: str = "") -> Assignment:
    """The office's approval: the figure is written to the values that assessments read."""
    a = _locked(assignment)
    if actor is not None and not (actor.is_office and allows(actor, "approve", a)):
        raise PermissionDenied(_("Only the leading-group office gives the final approval."))
    _check_version(a, expected_version)
    if a.status == S.SUBMITTED and unit_has_head(a.org_unit):
        raise ReportingError(
            _("%s has a unit head, who approves the submission before the office does.")
            % a.org_unit
        )
    if a.status not in (S.SUBMITTED, S.UNIT_APPROVED):
        raise ReportingError(
            _("Only a submission can be approved; this one is %s.") % a.get_status_display()
        )
    if a.status == S.SUBMITTED:
        _check_separation(actor, a)  # the office gives the unit's approval as well
    period = parse_period(a.round.period)
    if a.is_milestone:
        a.milestone_report = values.report_milestone(
            actor,
            a.milestone,
            a.org_unit,
            period,
            a.progress,
            note=a.narrative,
            evidence="\n".join(e.original_name for e in a.evidence.filter(archived_at=None)),
            approve=True,
            is_demo=a.is_demo,
        )
    else:
        a.data_value = _write_value(actor, a, period)
    a.approved_at = timezone.now()
    if a.status == S.SUBMITTED and not comment:
        comment = _("approved directly: the unit has no unit head")
    step = _move(actor, a, S.APPROVED, "approved", comment)
    _notify(
        a,
        step,
        _users(a.org_unit, Role.REPORTER) + _users(a.org_unit, Role.UNIT_HEAD),
        _("[ducha] %(code)s %(name)s approved") % {"code": a.subject_code, "name": a.subject_name},
        _("%(item)s was approved by %(who)s.")
        % {"item": _item(a), "who": actor or _("the office")},
        unit=True,
    )
    return a


def _write_value(actor, a: Assignment, period: Period) -> DataValue:
    unit = a.unit_of_value
    current = DataValue.objects.filter(
        indicator=a.indicator, org_unit=unit, period=period.code
    ).first()
    if current is not None and current.status == ValueStatus.APPROVED:
        if current.value == a.value and current.source_fields == a.source_fields:
            return current  # the same figure is approved already (e.g. imported)
        values.reopen_value(actor, current, _("corrected in reporting round %s") % a.round)
    dv = values.save_value(
        actor,
        a.indicator,
        unit,
        period,
        a.value,
        note=a.narrative[:2000],
        source=a.source,
        source_note=a.source_note,
        source_url=a.source_url,
        source_evidence=a.source_evidence,
        is_demo=a.is_demo,
    )
    values.approve_value(actor, dv)
    return dv


@transaction.atomic
def reopen(actor, assignment, *, expected_version: int | None, reason: str) -> Assignment:
    """Unlock an approved assignment for a correction. Its approved figure keeps counting
    until the corrected one is approved in turn."""
    a = _locked(assignment)
    if actor is not None and not actor.is_office:
        raise PermissionDenied(_("Only the leading-group office reopens an approved assignment."))
    _check_version(a, expected_version)
    if not (reason or "").strip():
        raise ReportingError(_("Say why it is reopened."), "reason")
    if a.status != S.APPROVED:
        raise ReportingError(_("Only an approved assignment is reopened."))
    _require_open(a, _("reopening it"))
    a.return_reason = reason.strip()
    _move(actor, a, S.RETURNED, "reopened", reason.strip())
    return a


ACTIONS = {
    "submit": submit,
    "unit_approve": unit_approve,
    "approve": approve,
    "return": return_assignment,
    "reopen": reopen,
    "withdraw": withdraw,
}


def available_actions(user, a: Assignment) -> list[str]:
    """The workflow buttons `user` may press on `a` now (the services check again)."""
    out = []
    open_ = a.round.is_open
    if a.status in EDITABLE and open_ and allows(user, "submit", a):
        out.append("submit")
    if (
        a.status == S.SUBMITTED
        and open_
        and user.role in (Role.REPORTER, Role.UNIT_HEAD)
        and allows(user, "withdraw", a)
    ):
        out.append("withdraw")
    if a.status == S.SUBMITTED and user.role == Role.UNIT_HEAD and allows(user, "unit_review", a):
        if not separation_problem(user, a):
            out.append("unit_approve")
        if open_:
            out.append("return")
    if user.is_office:
        if a.status == S.UNIT_APPROVED or (
            a.status == S.SUBMITTED
            and not unit_has_head(a.org_unit)
            and not separation_problem(user, a)
        ):
            out.append("approve")
        if a.status in (S.SUBMITTED, S.UNIT_APPROVED) and open_:
            out.append("return")
        if a.status == S.APPROVED and open_:
            out.append("reopen")
    return list(dict.fromkeys(out))


# --- evidence --------------------------------------------------------------------------------


@transaction.atomic
def add_evidence(actor, assignment, upload, *, description: str = "") -> Evidence:
    """Attach a file, after checking its size and what its content really is.

    The unit adds evidence while it fills the report in and after submitting it, until
    review starts (the reviewers see it with the submission); the office at any time."""
    a = _locked(assignment)
    _require(actor, "change", a)
    _require_open(a, _("adding evidence"))
    if a.status not in EVIDENCE_OPEN and not (actor is None or actor.is_office):
        raise ReportingError(_("Evidence can be added until the review of the submission starts."))
    sniffed = sniff_upload(upload)  # raises ReportingError with the file's name and problem
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    ev = Evidence(
        assignment=a,
        original_name=upload.name[:200],
        content_type=sniffed.mime,
        extension=sniffed.extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        description=description[:200],
        uploaded_by=actor,
    )
    ev.file.save("upload", ContentFile(upload.read()), save=False)
    ev.save()
    record(
        actor,
        "reporting.evidence.added",
        a,
        changes={"evidence": [None, ev.original_name], "size": ev.size, "type": ev.content_type},
        org_unit=a.org_unit,
    )
    return ev


@transaction.atomic
def archive_evidence(actor, evidence: Evidence, *, reason: str = "") -> Evidence:
    """Remove a file from the assignment. It is archived, never deleted."""
    ev = Evidence.objects.select_for_update().get(pk=evidence.pk)
    a = ev.assignment
    _require(actor, "change", a)
    if a.status not in EDITABLE and not (actor is None or actor.is_office):
        raise ReportingError(_("Evidence can be removed while the assignment is not submitted."))
    if ev.archived_at is not None:
        return ev
    ev.archived_at, ev.archived_by, ev.archive_reason = timezone.now(), actor, reason[:200]
    ev.save(update_fields=["archived_at", "archived_by", "archive_reason"])
    if a.source_evidence_id == ev.pk and a.status in EDITABLE:
        # a removed file is no longer the figure's source attachment (an approved value
        # keeps the one it was approved with)
        Assignment.objects.filter(pk=a.pk).update(source_evidence=None)
    record(
        actor,
        "reporting.evidence.archived",
        a,
        changes={"evidence": [ev.original_name, None]},
        comment=reason,
        org_unit=a.org_unit,
    )
    return ev


# --- notifications ---------------------------------------------------------------------------


def _users(unit: OrgUnit, role: str) -> list[User]:
    people = User.objects.filter(org_unit=unit, role=role, is_active=True)
    return list(people.select_related("notification_preference"))


def _item(a: Assignment) -> str:
    return f"{a} {a.subject_name}"


def _url(a: Assignment) -> str:
    return notifications.link(f"/reporting/assignments/{a.pk}/")


def _notify(a: Assignment, step: Transition, users, subject: str, body: str, unit=False) -> None:
    """Tell the people (and, with `unit`, the unit's group robots) of one workflow step."""
    notifications.notify(
        f"reporting.{step.action}",
        f"reporting.{step.action}:{step.pk}",
        subject=subject,
        body=body,
        url=_url(a),
        users=users,
        units=[a.org_unit] if unit else [],
    )
