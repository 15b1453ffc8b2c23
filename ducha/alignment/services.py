"""Writes to alignment links: the links a plan file states, the platform's suggestions when a
plan is loaded or extracted, and the office's decisions on the review screen.

Every write is atomic, checks the policy (``actor`` None is the command line, a trusted
operator) and leaves an audit entry.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.alignment.models import LINK_TRANSITIONS, Alignment, LinkState, Origin, Relation
from ducha.audit.services import diff, record, snapshot
from ducha.core.filespec import FileSpecError, Problem
from ducha.core.policies import require
from ducha.engine import alignment as engine
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Indicator, Plan, PlanState

# --- the plan's targets as the engine sees them ----------------------------------------------


def region_chains() -> dict[int, tuple[str, ...]]:
    """{org unit pk: (its code, its parent's code, …)}: where a plan's region lies."""
    rows = {
        pk: (code, parent)
        for pk, code, parent in OrgUnit.objects.values_list("pk", "code", "parent_id")
    }
    chains: dict[int, tuple[str, ...]] = {}
    for pk in rows:
        chain, seen, at = [], set(), pk
        while at is not None and at not in seen and at in rows:
            seen.add(at)
            chain.append(rows[at][0])
            at = rows[at][1]
        chains[pk] = tuple(chain)
    return chains


def targets_of(indicators, chains: dict[int, tuple[str, ...]] | None = None) -> list[engine.Target]:
    """The engine's records of some indicators (with ``plan`` loaded)."""
    chains = region_chains() if chains is None else chains
    return [
        engine.Target(
            id=i.pk,
            plan=i.plan.code,
            name=i.name,
            unit=i.unit,
            kind=i.kind,
            aggregation=i.aggregation,
            target_min=float(i.target_min),
            target_max=float(i.target_max) if i.target_max is not None else None,
            deadline_year=i.deadline.year,
            region=chains.get(i.plan.region_id, ()) if i.plan.region_id else (),
            period=(i.plan.period_start, i.plan.period_end),
            computation=_canonical(i.computation) if i.source == "computed" else "",
        )
        for i in indicators
    ]


def _canonical(computation: dict) -> str:
    return json.dumps(computation or {}, sort_keys=True, ensure_ascii=False) if computation else ""


# --- loading a plan --------------------------------------------------------------------------


def on_plan_loaded(plan: Plan, spec, actor, source: str, report) -> None:
    """The plan-load hook (``plans.services.LOAD_HOOKS``): the file's links, then suggestions
    for every target the file and the office have not linked yet."""
    _apply_file_links(plan, spec, actor, source, report)
    propose_for(plan, actor, report=report)


def _apply_file_links(plan: Plan, spec, actor, source: str, report) -> None:
    if not spec.alignments:
        return
    own = {i.code: i for i in plan.indicators.all()}
    plans = {p.code: p for p in Plan.objects.filter(code__in={a.plan for a in spec.alignments})}
    problems: list[Problem] = []
    wanted = []
    for i, link in enumerate(spec.alignments):
        where = f"alignments[{i}]"
        other = plans.get(link.plan)
        if other is None:
            problems.append(
                Problem(f"{where}.plan", _("no plan %s: load it before this one") % link.plan)
            )
            continue
        target = other.indicators.filter(code=link.target).first()
        if target is None:
            problems.append(
                Problem(
                    f"{where}.target",
                    _("plan %(plan)s has no indicator %(code)s")
                    % {"plan": link.plan, "code": link.target},
                )
            )
            continue
        source_ind = own[link.indicator]
        if message := link_problem(source_ind, target, link.relation):
            problems.append(Problem(f"{where}.relation", message))
            continue
        wanted.append((source_ind, target, link))
    if problems:
        raise FileSpecError(source, problems)
    for source_ind, target, link in wanted:
        existing = Alignment.objects.filter(
            Q(source=source_ind, target=target) | Q(source=target, target=source_ind)
        ).first()
        obj = existing or Alignment(source=source_ind, target=target, origin=Origin.FILE)
        before = snapshot(obj, ["relation", "state", "note"]) if existing else {}
        obj.source, obj.target = source_ind, target  # the file's direction wins
        obj.relation, obj.state, obj.note = link.relation, link.state, link.note
        obj.origin = Origin.FILE
        if existing is None:
            obj.save()
            report.count("created", "alignments")
            record(actor, "alignment.alignment.loaded", obj, changes=_state(obj))
        elif changes := diff(before, snapshot(obj, ["relation", "state", "note"])):
            obj.save()
            report.count("updated", "alignments")
            record(actor, "alignment.alignment.loaded", obj, changes=changes)


def link_problem(source: Indicator, target: Indicator, relation: str) -> str:
    """Why two targets cannot be linked so, or "": they belong to different plans, and targets
    that share their values (same measure, succeeds) are given in the same unit."""
    if source.plan_id == target.plan_id:
        return _("A link joins targets of two different plans.")
    if relation not in Relation.values:
        return _("Not a relation: %s.") % relation
    if engine.category(source.unit) != engine.category(target.unit):
        return _("%(a)s and %(b)s measure different kinds of quantity.") % {
            "a": source.unit,
            "b": target.unit,
        }
    if relation in engine.SHARING and (source.unit, source.kind) != (target.unit, target.kind):
        return _(
            "Targets that share their values must have the same unit and kind (%(a)s, %(b)s)."
        ) % {"a": source.unit, "b": target.unit}
    return ""


def propose_for(plan: Plan, actor=None, *, report=None) -> list[Alignment]:
    """Suggest links between ``plan``'s targets and those of every other plan that is not
    archived, in both directions, leaving alone every pair already linked (whatever its
    state: a rejected suggestion is not made again)."""
    if actor is not None:
        require(actor, "change", Alignment)
    chains = region_chains()
    mine = list(plan.indicators.select_related("plan"))
    others = list(
        Indicator.objects.exclude(plan=plan)
        .exclude(plan__state=PlanState.ARCHIVED)
        .select_related("plan")
    )
    if not mine or not others:
        return []
    new, rest = targets_of(mine, chains), targets_of(others, chains)
    # from the new plan's targets; towards them only what lies inside its region (a plan for
    # the city loaded after its districts' plans)
    proposals = engine.propose(new, rest) + [
        p for p in engine.propose(rest, new) if p.relation == engine.CONTRIBUTES
    ]
    ids = {i.pk for i in mine} | {i.pk for i in others}
    linked = {
        frozenset(pair)
        for pair in Alignment.objects.filter(
            Q(source__in=[i.pk for i in mine]) | Q(target__in=[i.pk for i in mine])
        ).values_list("source_id", "target_id")
    }
    created = []
    with transaction.atomic():
        for p in sorted(proposals, key=lambda p: (-p.score, p.source, p.target)):
            pair = frozenset((p.source, p.target))
            if pair in linked or not pair <= ids:
                continue
            linked.add(pair)
            created.append(
                Alignment.objects.create(
                    source_id=p.source,
                    target_id=p.target,
                    relation=p.relation,
                    score=p.score,
                    reasons=list(p.reasons),
                )
            )
        if created:
            record(
                actor,
                "alignment.alignment.proposed",
                plan,
                changes={"proposed": len(created)},
            )
            if report is not None:
                report.created["alignments.proposed"] = len(created)
    return created


def propose_again(plan: Plan, actor=None) -> list[Alignment]:
    """Drop the suggestions about ``plan`` nobody has decided yet and suggest afresh (after its
    region changed, or other plans arrived); decided links stay as they are."""
    if actor is not None:
        require(actor, "change", Alignment)
    with transaction.atomic():
        undecided = Alignment.objects.filter(
            Q(source__plan=plan) | Q(target__plan=plan),
            state=LinkState.PROPOSED,
            origin=Origin.PROPOSED,
        )
        dropped = undecided.count()
        undecided.delete()
        if dropped:
            record(actor, "alignment.alignment.withdrawn", plan, changes={"withdrawn": dropped})
        return propose_for(plan, actor)


# --- the office's decisions ------------------------------------------------------------------


def _state(link: Alignment) -> dict:
    return {
        "source": f"{link.source.plan.code}/{link.source.code}",
        "target": f"{link.target.plan.code}/{link.target.code}",
        "relation": link.relation,
        "state": link.state,
        "note": link.note,
    }


def decide(
    link: Alignment,
    actor,
    *,
    state: str | None = None,
    relation: str | None = None,
    note: str | None = None,
) -> dict:
    """Confirm, reject or edit (relation, note) a link; returns the audited diff."""
    if actor is not None:
        require(actor, "change", link)
    with transaction.atomic():
        link = (
            Alignment.objects.select_for_update()
            .select_related("source__plan", "target__plan")
            .get(pk=link.pk)
        )
        before = _state(link)
        if state is not None and state != link.state:
            if state not in LINK_TRANSITIONS.get(link.state, set()):
                new = LinkState(state).label if state in LinkState.values else state
                raise ValueError(
                    _("A link that is %(old)s cannot become %(new)s.")
                    % {"old": link.get_state_display(), "new": new}
                )
            link.state = state
        if relation is not None:
            if message := link_problem(link.source, link.target, relation):
                raise ValueError(message)
            link.relation = relation
        if note is not None:
            link.note = note.strip()
        changes = diff(before, _state(link))
        if changes:
            link.decided_by = actor if getattr(actor, "is_authenticated", False) else None
            link.decided_at = timezone.now()
            link.save()
            verb = {
                LinkState.CONFIRMED: "confirmed",
                LinkState.REJECTED: "rejected",
            }.get(state if "state" in changes else "", "edited")
            record(actor, f"alignment.alignment.{verb}", link, changes=changes)
    return changes


def add_link(
    source: Indicator, target: Indicator, relation: str, actor, note: str = ""
) -> Alignment:
    """A link the office adds itself (the platform did not suggest it): confirmed at once."""
    if actor is not None:
        require(actor, "change", Alignment)
    if message := link_problem(source, target, relation):
        raise ValueError(message)
    with transaction.atomic():
        if Alignment.objects.filter(
            Q(source=source, target=target) | Q(source=target, target=source)
        ).exists():
            raise ValueError(_("These two targets are already linked; edit that link."))
        link = Alignment.objects.create(
            source=source,
            target=target,
            relation=relation,
            state=LinkState.CONFIRMED,
            origin=Origin.OFFICE,
            note=note.strip(),
            decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            decided_at=timezone.now(),
        )
        record(actor, "alignment.alignment.added", link, changes=_state(link))
    return link
