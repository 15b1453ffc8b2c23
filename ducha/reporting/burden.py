"""The reporting burden of a round, read from the database and summed by `engine.burden`.

An assignment filled in on the sheet has a `ReportingEffort` saying what was asked, what the
system proposed and what the person typed. One filled in elsewhere (the assignment page, an
import, the API) has no proposals: every field it holds counts as typed. A file attached that
the unit had not given before for the same item counts as typed evidence; a reused one does
not. The time is from a person of the unit first opening the assignment (the sheet or its
page) to its first submission.
"""

from __future__ import annotations

from ducha.datavalues.models import ValueSource
from ducha.engine import burden as engine
from ducha.orgunits.models import OrgUnit
from ducha.reporting.models import Assignment, Evidence, ReportingEffort, Round
from ducha.reporting.services import asked_fields


def _filled(a: Assignment) -> set[str]:
    """The fields an assignment holds (what a person typed, where nothing was proposed)."""
    out = set()
    if a.value is not None:
        out.add("value")
    if a.progress:
        out.add("progress")
    if a.narrative:
        out.add("narrative")
    if not a.is_milestone and (
        a.source != ValueSource.UNIT_REPORT or a.source_note or a.source_url
    ):
        out.add("source")
    if a.explanation:
        out.add("explanation")
    return out


def items_of(rnd: Round, user) -> list[engine.Item]:
    scope = Assignment.objects.all() if user is None else Assignment.objects.for_user(user, "view")
    assignments = list(
        scope.filter(round=rnd)
        .select_related("indicator", "milestone")
        .order_by("org_unit__position", "org_unit__code", "pk")
    )
    efforts = {
        e.assignment_id: e
        for e in ReportingEffort.objects.filter(assignment__in=[a.pk for a in assignments])
    }
    live = {}
    for pk, sha in Evidence.objects.filter(
        assignment__in=[a.pk for a in assignments], archived_at=None
    ).values_list("assignment", "sha256"):
        live.setdefault(pk, set()).add(sha)
    known = set(
        Evidence.objects.filter(
            assignment__org_unit__in={a.org_unit_id for a in assignments},
            assignment__round__period_end__lt=rnd.period_end,
        ).values_list("assignment__org_unit", "sha256")
    )
    items = []
    for a in assignments:
        effort = efforts.get(a.pk)
        on_sheet = effort is not None and bool(effort.asked)  # saved on the sheet
        asked = set(effort.asked) if on_sheet else set(asked_fields(a))
        if a.explanation:
            asked.add("explanation")
        typed = set(effort.typed) if on_sheet else _filled(a)
        if any((a.org_unit_id, sha) not in known for sha in live.get(a.pk, ())):
            typed.add("evidence")  # a file the unit had not given before
        items.append(
            engine.Item(
                unit=a.org_unit_id,
                asked=frozenset(asked),
                prefilled=frozenset(effort.prefilled if effort is not None else ()),
                typed=frozenset(typed),
                opened_at=effort.opened_at if effort is not None else None,
                submitted_at=a.first_submitted_at,
            )
        )
    return items


def round_burden(rnd: Round, user) -> engine.RoundBurden:
    """The round's burden as `user` may see it (the office and leaders: every unit's; a unit:
    its own; None: the command line and the bulletin, every unit's); each unit's `unit` is
    its OrgUnit."""
    result = engine.summarise(items_of(rnd, user))
    units = OrgUnit.objects.in_bulk([u.unit for u in result.units])
    for u in result.units:
        u.unit = units[u.unit]
    return result
