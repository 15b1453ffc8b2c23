"""What the system already knows about an assignment, proposed so the unit confirms instead of
retyping (基层减负: 同类材料最多报一次).

For each assignment still empty, `proposals_for` proposes:

- the **value**: the registers' figure for the unit and the round's period, where the plan
  gives the (manual) indicator a `computation` (docs/registers.md); else the unit's last
  approved figure for an earlier period, to start from;
- a milestone's **progress**, the **narrative** and the figure's **source** (来源, 口径, link):
  the unit's latest earlier assignment for the same item (approved ones first);
- the unit's **known evidence**: the files it attached to the same item in earlier rounds
  (not removed, not attached already), which the sheet reuses without uploading them again.

Every proposal says where it came from (`origin`, `period`, `detail`), and the sheet shows it
beside the number. What the unit has saved itself is never replaced: a proposal is made only
for a field that is empty (a source still at its default). A handful of queries for any number
of assignments (one per kind of fact, plus one grouped register query per computation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from ducha.datavalues.models import ApprovedValue, ValueSource
from ducha.engine.periods import parse_period
from ducha.orgunits.models import OrgUnit
from ducha.reporting.models import Assignment, AssignmentKind, AssignmentStatus, Evidence

# where a proposal came from
REGISTER = "register"
LAST_PERIOD = "last_period"
LAST_REPORT = "last_report"


@dataclass
class Origin:
    kind: str  # REGISTER, LAST_PERIOD or LAST_REPORT
    period: str = ""  # the period it was reported or approved for (2020Q3)
    detail: str = ""  # the register's name, for a register figure


@dataclass
class Proposal:
    """What the system proposes for one assignment's empty fields (None / "" / []: nothing)."""

    value: Decimal | None = None
    value_origin: Origin | None = None
    progress: str = ""
    narrative: str = ""
    text_origin: Origin | None = None  # of the progress, narrative and source
    source: str = ""
    source_note: str = ""
    source_url: str = ""
    evidence: list[Evidence] = field(default_factory=list)

    def fields(self) -> set[str]:
        """The names of the fields proposed (as the burden counts them)."""
        out = set()
        if self.value is not None:
            out.add("value")
        if self.progress:
            out.add("progress")
        if self.narrative:
            out.add("narrative")
        if self.source:
            out.add("source")
        if self.evidence:
            out.add("evidence")
        return out


def _value_units(assignments) -> dict[int, int]:
    """assignment pk -> the org unit its figure is recorded for (a lead unit's: the city)."""
    units = {u.pk: u.parent_id for u in OrgUnit.objects.only("pk", "parent")}

    def root(pk):
        seen = set()
        while units.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = units[pk]
        return pk

    return {
        a.pk: root(a.org_unit_id) if a.kind == AssignmentKind.LEAD else a.org_unit_id
        for a in assignments
    }


def proposals_for(assignments: list[Assignment]) -> dict[int, Proposal]:
    """A proposal per assignment (by pk). The assignments come with round and indicator."""
    out = {a.pk: Proposal() for a in assignments}
    if not assignments:
        return out
    value_units = _value_units(assignments)
    _last_reports(assignments, out)
    _last_values(assignments, value_units, out)
    _register_values(assignments, value_units, out)
    _known_evidence(assignments, out)
    return out


def _empty_value(a: Assignment) -> bool:
    return not a.is_milestone and a.value is None


def _last_values(assignments, value_units, out) -> None:
    wanted = [a for a in assignments if _empty_value(a)]
    if not wanted:
        return
    latest: dict[tuple[int, int], list[tuple]] = {}
    rows = (
        ApprovedValue.objects.filter(
            indicator__in={a.indicator_id for a in wanted},
            org_unit__in={value_units[a.pk] for a in wanted},
            period_end__lt=max(a.round.period_end for a in wanted),
        )
        .order_by("-period_end", "-approved_at", "-id")
        .values_list("indicator", "org_unit", "period", "period_end", "value")
    )
    for ind, unit, period, end, value in rows:
        latest.setdefault((ind, unit), []).append((end, period, value))
    for a in wanted:
        for end, period, value in latest.get((a.indicator_id, value_units[a.pk]), []):
            if end < a.round.period_end:  # newest first: the first earlier one
                out[a.pk].value = value
                out[a.pk].value_origin = Origin(LAST_PERIOD, period)
                break


def _register_values(assignments, value_units, out) -> None:
    """A manual indicator the plan gives a `computation`: the registers propose its figure."""
    from ducha.engine.computation import CITY
    from ducha.registers.computation import SOURCES, compute

    wanted = [a for a in assignments if _empty_value(a) and a.indicator.computation]
    if not wanted:
        return
    city_units = {a.pk for a in wanted if a.kind == AssignmentKind.LEAD}
    cache: dict = {}
    results = {}
    for a in wanted:
        if a.indicator_id not in results:
            try:
                results[a.indicator_id] = compute(a.indicator, cache=cache).values
            except (ValueError, KeyError):  # a computation the plan check should have refused
                results[a.indicator_id] = {}
        by_period = results[a.indicator_id]
        period = parse_period(a.round.period)
        district = CITY if a.pk in city_units else value_units[a.pk]
        figure = by_period.get(period, {}).get(district)
        if figure is None:
            continue
        register = a.indicator.computation.get("register", "")
        source = SOURCES.get(register)
        out[a.pk].value = Decimal(repr(round(figure, 4))).normalize()
        out[a.pk].value_origin = Origin(
            REGISTER, period.code, str(source.label or source.name) if source else register
        )


def _same_items(assignments, prefix: str = "") -> Q:
    """Rows about the indicators or milestones of `assignments`."""
    return Q(
        **{f"{prefix}indicator__in": {a.indicator_id for a in assignments if a.indicator_id}}
    ) | Q(**{f"{prefix}milestone__in": {a.milestone_id for a in assignments if a.milestone_id}})


def _last_reports(assignments, out) -> None:
    """The unit's latest earlier assignment for the same item: progress, narrative, source."""
    earlier = (
        Assignment.objects.filter(
            _same_items(assignments),
            org_unit__in={a.org_unit_id for a in assignments},
            round__period_end__lt=max(a.round.period_end for a in assignments),
        )
        .exclude(pk__in=[a.pk for a in assignments])
        .values_list(
            "org_unit",
            "indicator",
            "milestone",
            "round__period",
            "round__period_end",
            "status",
            "progress",
            "narrative",
            "source",
            "source_note",
            "source_url",
        )
    )
    found: dict[tuple, list[tuple]] = {}
    for unit, ind, ms, period, end, status, progress, narrative, src, note, url in earlier:
        # approved reports first, then the newest
        rank = (status == AssignmentStatus.APPROVED, end)
        found.setdefault((unit, ind, ms), []).append(
            (rank, end, period, progress, narrative, src, note, url)
        )
    for a in assignments:
        candidates = sorted(
            (
                c
                for c in found.get((a.org_unit_id, a.indicator_id, a.milestone_id), [])
                if c[1] < a.round.period_end and (c[3] or c[4] or c[6] or c[7])
            ),
            key=lambda c: c[0],
            reverse=True,
        )
        if not candidates:
            continue
        _rank, _end, period, progress, narrative, src, note, url = candidates[0]
        p = out[a.pk]
        proposed = False
        if a.is_milestone and not a.progress and progress:
            p.progress, proposed = progress, True
        if not a.narrative and narrative:
            p.narrative, proposed = narrative, True
        source_unset = (
            a.source == ValueSource.UNIT_REPORT and not a.source_note and not a.source_url
        )
        if not a.is_milestone and source_unset and (note or url or src != ValueSource.UNIT_REPORT):
            p.source, p.source_note, p.source_url, proposed = src, note, url, True
        if proposed:
            p.text_origin = Origin(LAST_REPORT, period)


def _known_evidence(assignments, out) -> None:
    """The unit's files for the same item from earlier rounds, not attached here yet."""
    current = {a.pk for a in assignments}
    files = (
        Evidence.objects.filter(
            _same_items(assignments, "assignment__"),
            archived_at=None,
            assignment__org_unit__in={a.org_unit_id for a in assignments},
        )
        .select_related("assignment__round")
        .order_by("-assignment__round__period_end", "-uploaded_at", "-id")
    )
    by_item: dict[tuple, list[Evidence]] = {}
    attached: dict[int, set[str]] = {}
    for ev in files:
        if ev.assignment_id in current:
            attached.setdefault(ev.assignment_id, set()).add(ev.sha256)
            continue
        key = (ev.assignment.org_unit_id, ev.assignment.indicator_id, ev.assignment.milestone_id)
        by_item.setdefault(key, []).append(ev)
    for a in assignments:
        seen = set(attached.get(a.pk, set()))
        for ev in by_item.get((a.org_unit_id, a.indicator_id, a.milestone_id), []):
            if ev.assignment.round.period_end < a.round.period_end and ev.sha256 not in seen:
                seen.add(ev.sha256)
                out[a.pk].evidence.append(ev)
