"""Scorecards from the rounds of a plan, and setting the ranking weights (the office)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.models import Role
from ducha.assessments.services import assess_plan_at, default_as_of
from ducha.audit.services import diff, record, snapshot
from ducha.core.conflicts import StaleVersion
from ducha.core.policies import allows, require
from ducha.engine import assessment as engine
from ducha.orgunits.models import OrgUnit
from ducha.reporting.models import Assignment, Evidence, Round, Transition
from ducha.scorecards import scoring
from ducha.scorecards.models import (
    OBJECTION_TRANSITIONS,
    Objection,
    ObjectionState,
    RankingWeights,
    ScoredUnit,
)

WEIGHT_FIELDS = ["timeliness", "completeness", "progress", "quality"]


class ScorecardError(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


class ObjectionConflict(StaleVersion, ScorecardError):
    """The objection was answered since the page was read (409)."""


def weights_for(plan) -> RankingWeights:
    return RankingWeights.objects.filter(plan=plan).first() or RankingWeights(plan=plan)


@transaction.atomic
def set_weights(actor, plan, values: dict) -> RankingWeights:
    if actor is not None:
        require(actor, "change", RankingWeights)
    weights = RankingWeights.objects.select_for_update().filter(plan=plan).first()
    weights = weights or RankingWeights(plan=plan)
    before = snapshot(weights, WEIGHT_FIELDS) if weights.pk else {}
    for name in WEIGHT_FIELDS:
        try:
            value = Decimal(str(values.get(name, getattr(weights, name))))
        except InvalidOperation:
            raise ScorecardError(_("%s must be a number") % name, name) from None
        if not Decimal(0) <= value <= Decimal(100):
            raise ScorecardError(_("weights are between 0 and 100"), name)
        setattr(weights, name, value)
    if sum(getattr(weights, n) for n in WEIGHT_FIELDS) == 0:
        raise ScorecardError(_("at least one weight must be above 0"))
    weights.updated_by = actor
    weights.save()
    record(
        actor,
        "scorecards.weights.changed",
        weights,
        changes=diff(before, snapshot(weights, WEIGHT_FIELDS)),
    )
    return weights


def tallies(rounds, units=None, today: dt.date | None = None) -> dict[int, scoring.Tally]:
    """{org unit pk: Tally} over the rounds' assignments (units: limit to these pks)."""
    total: dict[int, scoring.Tally] = {}
    for by_unit in tallies_by_round(rounds, units, today).values():
        for unit, tally in by_unit.items():
            total.setdefault(unit, scoring.Tally()).add(tally)
    return total


def tallies_by_round(
    rounds, units=None, today: dt.date | None = None
) -> dict[int, dict[int, scoring.Tally]]:
    """{round pk: {org unit pk: Tally}} in two queries, however many rounds.

    As in DHIS2, a report is *expected* only once it is due: an assignment counts once its
    round's deadline has passed (or the round is closed), or as soon as it was submitted.
    Opening a round therefore does not lower every unit's rates before anyone could report.
    """
    today = today or timezone.localdate()
    due = (
        Q(round__deadline__lt=today) | ~Q(round__state="open") | Q(first_submitted_at__isnull=False)
    )
    qs = Assignment.objects.filter(round__in=rounds)
    if units is not None:
        qs = qs.filter(org_unit__in=units)
    evidence = Evidence.objects.filter(assignment=OuterRef("pk"), archived_at=None)
    returned = Transition.objects.filter(
        assignment=OuterRef("pk"),
        to_status="returned",
        from_status__in=["submitted", "unit_approved"],
    )
    rows = (
        qs.annotate(has_ev=Exists(evidence), was_returned=Exists(returned))
        .values("round", "org_unit")
        .annotate(
            expected=Count("pk", filter=due),
            reported=Count("pk", filter=Q(first_submitted_at__isnull=False)),
            approved=Count("pk", filter=Q(status="approved")),
            with_evidence=Count("pk", filter=Q(first_submitted_at__isnull=False, has_ev=True)),
            returned=Count("pk", filter=Q(first_submitted_at__isnull=False, was_returned=True)),
        )
        .order_by()
    )
    out: dict[int, dict[int, scoring.Tally]] = defaultdict(dict)
    for r in rows:
        out[r["round"]][r["org_unit"]] = scoring.Tally(
            r["expected"], r["reported"], 0, r["approved"], r["with_evidence"], r["returned"]
        )
    on_time = qs.filter(first_submitted_at__isnull=False).values_list(
        "round", "org_unit", "first_submitted_at", "round__deadline"
    )
    for rnd, unit, submitted, deadline in on_time:
        if timezone.localdate(submitted) <= deadline:
            out[rnd][unit].on_time += 1
    return out


def progress_by_unit(plan, as_of=None) -> dict[int, tuple[float | None, int]]:
    """{lead unit pk: (roll-up score 0..4 of the items it leads, how many)} as of a date."""
    return progress_by_unit_at(plan, [as_of or default_as_of(plan)])[0]


def progress_by_unit_at(plan, dates) -> list[dict[int, tuple[float | None, int]]]:
    """``progress_by_unit`` at several dates, reading the approvals once."""
    return [progress_of(result) for result in assess_plan_at(plan, list(dates))]


def progress_of(result) -> dict[int, tuple[float | None, int]]:
    items = defaultdict(list)
    for r in result.indicators:
        if r.indicator.lead_unit_id:
            items[r.indicator.lead_unit_id].append((r.status, float(r.indicator.weight)))
    for r in result.milestones:
        if r.milestone.lead_unit_id:
            items[r.milestone.lead_unit_id].append((r.status, float(r.milestone.weight)))
    return {unit: (engine.rollup(xs).score, len(xs)) for unit, xs in items.items()}


def as_of_for(plan, rounds) -> dt.date:
    """The date a scorecard over ``rounds`` assesses progress at.

    One closed round is judged on what was approved by the day it closed, so a past
    round's card does not improve with values approved later; anything else (several
    rounds, an open round) is judged as the plan stands now. Never after the plan's own
    default date (a quarter after a finished plan's end).
    """
    rounds = list(rounds)
    now = default_as_of(plan)
    if len(rounds) == 1 and rounds[0].closed_at is not None:
        return min(timezone.localdate(rounds[0].closed_at), now)
    return now


def scorecards(user, plan, rounds=None, as_of=None) -> list[scoring.Card]:
    """The scorecards `user` may see, over `rounds` (default: all the plan's rounds), with
    the progress of the items each unit leads as of ``as_of`` (default: ``as_of_for``).

    Ranks are computed among all units of the same kind (districts with districts,
    departments with departments) before the list is cut to what the user may see, so a
    unit's own scorecard shows its real place.
    """
    rounds = list(rounds if rounds is not None else Round.objects.filter(plan=plan))
    progress = progress_by_unit(plan, as_of or as_of_for(plan, rounds))
    return _cards(user, plan, rounds, progress)


def cards_by_round(user, plan, rounds) -> list[tuple[Round, list[scoring.Card]]]:
    """Each round's scorecards on its own (a unit's history), counting every round's
    assignments in one pass and assessing the plan once for all the rounds' dates."""
    rounds = list(rounds)
    dates = [as_of_for(plan, [rnd]) for rnd in rounds]
    distinct = sorted(set(dates))
    progress = dict(zip(distinct, progress_by_unit_at(plan, distinct), strict=True))
    counts = tallies_by_round(rounds)
    frame = _Frame.of(user, plan, {pk for by_unit in counts.values() for pk in by_unit})
    return [
        (rnd, frame.cards(counts.get(rnd.pk, {}), progress[d]))
        for rnd, d in zip(rounds, dates, strict=True)
    ]


def _cards(user, plan, rounds, progress) -> list[scoring.Card]:
    counts = tallies(rounds)
    return _Frame.of(user, plan, set(counts)).cards(counts, progress)


@dataclass
class _Frame:
    """What scoring a set of tallies needs besides them: the units, weights, visibility."""

    units: dict[int, ScoredUnit]
    weights: dict[str, float]
    visible: set[int]

    @classmethod
    def of(cls, user, plan, unit_pks) -> _Frame:
        return cls(
            {u.pk: u for u in ScoredUnit.objects.filter(pk__in=unit_pks)},
            weights_for(plan).as_dict(),
            set(ScoredUnit.objects.for_user(user, "view").values_list("pk", flat=True)),
        )

    def cards(self, counts, progress) -> list[scoring.Card]:
        """Every unit's card, ranked within its kind; only those the user may see."""
        return [c for c in self.ranked(counts, progress) if c.key.pk in self.visible]

    def ranked(self, counts, progress) -> list[scoring.Card]:
        groups = defaultdict(list)
        for pk, tally in counts.items():
            score, led = progress.get(pk, (None, 0))
            unit = self.units[pk]
            groups[unit.kind].append(
                scoring.score(scoring.Card(unit, tally, score, led), self.weights)
            )
        out = []
        for kind in sorted(groups, key=lambda k: KIND_ORDER.get(k, 9)):
            out += scoring.rank(groups[kind])
        return out


def ranked_cards(plan, rounds, progress) -> list[scoring.Card]:
    """Every unit's card over ``rounds``, ranked within its kind, whoever may see it (for
    a bulletin the office publishes); ``progress`` as ``progress_of`` gives it."""
    counts = tallies(rounds)
    frame = _Frame(
        {u.pk: u for u in ScoredUnit.objects.filter(pk__in=counts)},
        weights_for(plan).as_dict(),
        set(),
    )
    return frame.ranked(counts, progress)


KIND_ORDER = {"district": 0, "zone": 1, "department": 2, "office": 3, "city": 4}


# --- objections (申诉) -------------------------------------------------------------------------


def card_record(card: scoring.Card | None, weights: dict[str, float]) -> dict:
    """The score as it stood, kept with an objection: total, components, weights, inputs."""
    if card is None:
        return {}
    return {
        "total": None if card.total is None else round(card.total, 2),
        "rank": card.rank,
        "parts": [
            {
                "name": p.name,
                "value": None if p.value is None else round(p.value, 2),
                "weight": p.weight,
                "inputs": p.inputs,
            }
            for p in scoring.breakdown(card, weights)
        ],
    }


def open_objections(user):
    return Objection.objects.for_user(user, "view").filter(state=ObjectionState.OPEN)


@transaction.atomic
def file_objection(actor, plan, unit, reason: str, *, round=None) -> Objection:
    """A unit objects to its score (over ``round``, or all the plan's rounds), with a reason.

    The unit's own reporters and head file it (the office answers it); one open objection per
    unit and score at a time. The score as it stands now is kept with it."""
    if actor is not None and (
        actor.role not in (Role.REPORTER, Role.UNIT_HEAD)
        or actor.org_unit_id != unit.pk
        or not allows(actor, "add", Objection)
    ):
        raise PermissionDenied(_("Only the unit itself files an objection to its score."))
    reason = (reason or "").strip()
    if not reason:
        raise ScorecardError(
            _("Say why the score is wrong: the office answers the reason."), "reason"
        )
    if round is not None and round.plan_id != plan.pk:
        raise ScorecardError(_("The round is not one of the plan's."), "round")
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()  # one filing at a time
    if Objection.objects.filter(
        plan=plan, round=round, org_unit=unit, state=ObjectionState.OPEN
    ).exists():
        raise ScorecardError(
            _("An objection to this score is waiting for the office's answer already."), "reason"
        )
    rounds = [round] if round is not None else list(Round.objects.filter(plan=plan))
    card = next((c for c in _all_cards(plan, rounds) if c.key.pk == unit.pk), None)
    objection = Objection.objects.create(
        plan=plan,
        round=round,
        org_unit=unit,
        reason=reason[:5000],
        score=card_record(card, weights_for(plan).as_dict()),
        filed_by=actor,
    )
    record(
        actor,
        "scorecards.objection.filed",
        objection,
        changes={"state": [None, ObjectionState.OPEN], "reason": reason[:5000]},
        org_unit=unit,
    )
    return objection


def _all_cards(plan, rounds) -> list[scoring.Card]:
    return ranked_cards(plan, rounds, progress_by_unit(plan, as_of_for(plan, rounds)))


@transaction.atomic
def answer_objection(
    actor, objection: Objection, decision: str, note: str, *, expected_version: int | None
) -> Objection:
    """The office's answer on the record: accepted (with a note of the correction made) or
    rejected (with the reason). Answered once; the version guards against two answers."""
    if actor is not None and not (actor.is_office and allows(actor, "change", Objection)):
        raise PermissionDenied(_("Only the leading-group office answers an objection."))
    o = Objection.objects.select_for_update().get(pk=objection.pk)
    if expected_version is not None and o.version != expected_version:
        raise ObjectionConflict(
            _(
                "%(who)s answered this objection meanwhile; nothing was saved. "
                "Read the answer and decide again if needed."
            )
            % {"who": o.answered_by or _("someone")}
        )
    if decision not in ObjectionState.values or decision == ObjectionState.OPEN:
        raise ScorecardError(_("Choose to accept or to reject the objection."), "decision")
    if decision not in OBJECTION_TRANSITIONS[o.state]:
        raise ScorecardError(
            _("This objection was answered already (%s).") % o.get_state_display(), "decision"
        )
    note = (note or "").strip()
    if not note:
        raise ScorecardError(
            _("Say what was corrected.")
            if decision == ObjectionState.ACCEPTED
            else _("Say why it is rejected: the unit needs to know."),
            "note",
        )
    old = o.state
    o.state, o.answer = decision, note[:5000]
    o.answered_by, o.answered_at = actor, timezone.now()
    o.version += 1
    o.save()
    record(
        actor,
        f"scorecards.objection.{decision}",
        o,
        changes={"state": [old, decision], "answer": o.answer},
        org_unit=o.org_unit,
    )
    return o
