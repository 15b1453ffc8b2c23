"""Reading alignment links: coverage of a plan's targets, values shared along confirmed
links, successors' baselines, and a plan's links as its plan file writes them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.alignment.models import Alignment, LinkState, Relation
from ducha.engine import alignment as engine
from ducha.plans.models import Indicator, Plan, PlanState


def confirmed(plan: Plan | None = None):
    links = Alignment.objects.filter(state=LinkState.CONFIRMED)
    if plan is not None:
        links = links.filter(Q(source__plan=plan) | Q(target__plan=plan))
    return links.select_related("source__plan", "target__plan")


# --- coverage --------------------------------------------------------------------------------


COVERAGE_LABELS = {
    engine.COVERED: gettext_lazy("covered"),
    engine.SHORT: gettext_lazy("short"),
    engine.LINKED: gettext_lazy("linked, not additive"),
    engine.UNCOVERED: gettext_lazy("covered by nothing"),
}


def plan_coverage(plan: Plan, user=None, *, drafts: bool = True) -> list[engine.Coverage]:
    """Every target of ``plan`` with what the confirmed links into it bring (engine.coverage):
    contributing targets and their sum against it, late deadlines, targets covered by nothing.
    A link the plan's own target is the source of counts from the other side: a plan this one
    succeeds or measures the same thing as covers it too. With a ``user``, only the plans
    that user may see count; without ``drafts``, no draft plan counts (the bulletin)."""
    from ducha.alignment.services import region_chains, targets_of

    chains = region_chains()
    indicators = list(plan.indicators.select_related("plan").order_by("position", "pk"))
    own = {t.id: t for t in targets_of(indicators, chains)}
    links = []
    visible = None
    if user is not None:
        visible = set(Plan.objects.for_user(user, "view").values_list("pk", flat=True))
    for link in confirmed(plan):
        if visible is not None and not {link.source.plan_id, link.target.plan_id} <= visible:
            continue
        if not drafts and PlanState.DRAFT in {link.source.plan.state, link.target.plan.state}:
            continue
        if link.target_id in own:
            [src] = targets_of([link.source], chains)
            links.append((src, own[link.target_id], link.relation))
        elif link.source_id in own and link.relation != Relation.CONTRIBUTES:
            [other] = targets_of([link.target], chains)
            links.append((other, own[link.source_id], link.relation))
    return engine.coverage(list(own.values()), links)


def coverage_summary(rows: list[engine.Coverage]) -> dict[str, int]:
    counts = {s: 0 for s in (engine.COVERED, engine.SHORT, engine.LINKED, engine.UNCOVERED)}
    for row in rows:
        counts[row.status] += 1
    counts["late"] = sum(1 for row in rows if row.late)
    return counts


def coverage_data(plan: Plan, rows: list[engine.Coverage] | None = None, user=None) -> dict:
    """The coverage as data (``ducha coverage --format json``, the API, the bulletin)."""
    rows = plan_coverage(plan, user) if rows is None else rows
    codes = dict(Indicator.objects.filter(plan=plan).values_list("pk", "code"))
    others = {
        i.pk: i
        for i in Indicator.objects.filter(
            pk__in={c.id for row in rows for c in row.contributors + row.same}
        ).select_related("plan", "plan__region")
    }

    def part(t: engine.Target, late: bool | None = None) -> dict:
        ind = others[t.id]
        out = {
            "plan": t.plan,
            "indicator": ind.code,
            "name": t.name,
            "region": ind.plan.region.code if ind.plan.region else None,
            "target_min": t.target_min,
            "target_max": t.target_max,
            "unit": t.unit,
            "deadline_year": t.deadline_year,
        }
        if late is not None:
            out["late"] = late
        return out

    return {
        "plan": plan.code,
        "summary": coverage_summary(rows),
        "targets": [
            {
                "indicator": codes[row.target.id],
                "name": row.target.name,
                "target_min": row.target.target_min,
                "target_max": row.target.target_max,
                "unit": row.target.unit,
                "deadline_year": row.target.deadline_year,
                "status": row.status,
                "contributing_total": row.total,
                "coverage_percent": row.share,
                "contributors": [part(c, c in row.late) for c in row.contributors],
                "same_measure": [part(c) for c in row.same],
            }
            for row in rows
        ],
    }


# --- values shared along confirmed links -----------------------------------------------------


def sharing_links() -> list[tuple[int, int, str]]:
    return list(
        Alignment.objects.filter(
            state=LinkState.CONFIRMED, relation__in=sorted(engine.SHARING)
        ).values_list("source_id", "target_id", "relation")
    )


def with_shared_values(indicators: list[Indicator], dates: list[dt.date], read):
    """``read(ids, dates)`` (assessments.services.approved_values_at) for ``indicators``, each
    with the values reported against every target it shares a measure with (confirmed *same
    measure* and *succeeds* links): a value reported once serves every plan that measures the
    same thing. A plan with a region counts only the values of units within it. A successor
    without a stated baseline starts from its predecessor's final value
    (``inherited_baseline`` on the indicator; assessments.services.target_of reads it)."""
    links = sharing_links()
    ids = [i.pk for i in indicators]
    if not links:
        return read(ids, dates)
    groups = engine.measure_groups([(a, b) for a, b, _r in links])
    wanted = set(ids)
    for pk in ids:
        wanted |= groups.get(pk, frozenset())
    raw = read(sorted(wanted), dates)
    if wanted == set(ids) and not any(pk in groups for pk in ids):
        return raw
    from ducha.assessments.services import UnitTree

    tree = UnitTree.load()
    extra = Indicator.objects.filter(pk__in=wanted - set(ids)).select_related("plan")
    extra = {i.pk: i for i in extra}
    every = {**extra, **{i.pk: i for i in indicators}}

    def allowed(ind: Indicator):
        region = ind.plan.region_id
        return None if region is None else tree.descendants(region) | {region}

    predecessor = {a: b for a, b, relation in links if relation == engine.SUCCEEDS}
    out = []
    latest = dates.index(max(dates))  # a successor's baseline: the final value known last
    for i, by_indicator in enumerate(raw):
        merged = {}
        for pk in wanted:
            group = sorted(groups.get(pk, frozenset()) - {pk})
            merged[pk] = engine.merge_shared(
                by_indicator.get(pk, {}),
                [by_indicator.get(o, {}) for o in group],
                allowed(every[pk]) if group else None,
            )
        out.append({pk: merged[pk] for pk in ids})
        for ind in indicators if i == latest else ():
            pred = every.get(predecessor.get(ind.pk))
            if pred is not None and ind.baseline_value is None:
                ind.inherited_baseline = final_value(pred, merged.get(pred.pk, {}), tree)
    return out


def asked_elsewhere(plan: Plan, period: str) -> set[tuple[int, int]]:
    """(indicator of ``plan``, org unit) pairs already asked for ``period`` by another plan's
    round, for a target sharing the indicator's measure: the unit reports once."""
    from ducha.reporting.models import Assignment

    links = sharing_links()
    if not links:
        return set()
    groups = engine.measure_groups([(a, b) for a, b, _r in links])
    own = set(plan.indicators.filter(pk__in=groups).values_list("pk", flat=True))
    if not own:
        return set()
    siblings: dict[int, set[int]] = {}
    for pk in own:
        for other in groups[pk] - own:
            siblings.setdefault(other, set()).add(pk)
    rows = Assignment.objects.filter(indicator__in=siblings, round__period=period).exclude(
        round__plan=plan
    )
    return {
        (mine, unit)
        for other, unit in rows.values_list("indicator_id", "org_unit_id")
        for mine in siblings[other]
    }


def final_value(indicator: Indicator, by_period, tree) -> tuple[float, str, Indicator] | None:
    """A target's final value (终期): its plan-wide value for the period its deadline falls in,
    else the latest complete one before the deadline; (value, period, the target) or None."""
    from ducha.assessments.services import plan_wide_series
    from ducha.engine.periods import decimal_year

    deadline = decimal_year(indicator.deadline)
    points = [p for p in plan_wide_series(indicator, by_period, tree) if p.complete]
    before = [p for p in points if p.time <= deadline + 1e-9]
    if not before:
        return None
    last = before[-1]
    return last.value, last.period, indicator


# --- the plan file ---------------------------------------------------------------------------


def file_links(plan: Plan) -> list[dict]:
    """The links from ``plan``'s targets as its plan file's ``alignments`` section writes
    them (docs/plan-format.md): loading the plan file again gives the same links. Links from
    other plans' targets to this one's belong to those plans' files."""
    links = (
        Alignment.objects.filter(source__plan=plan)
        .select_related("source", "target__plan")
        .order_by("source__position", "target__plan__code", "target__code")
    )
    out = []
    for link in links:
        row = {
            "indicator": link.source.code,
            "relation": link.relation,
            "plan": link.target.plan.code,
            "target": link.target.code,
        }
        if link.state != LinkState.CONFIRMED:  # the file's default
            row["state"] = link.state
        if link.note:
            row["note"] = link.note
        out.append(row)
    return out


# --- what pages show -------------------------------------------------------------------------


def plan_panel(plan: Plan, user) -> dict:
    """The alignment panel of a plan page and its cockpit: the coverage of its targets (where
    any link reaches it), the links its targets make to other plans, and how many suggestions
    wait for the office. One query when no confirmed link touches the plan."""
    from ducha.core.policies import allows

    states = list(
        Alignment.objects.filter(Q(source__plan=plan) | Q(target__plan=plan)).values_list(
            "state", flat=True
        )
    )
    waiting = states.count(LinkState.PROPOSED) if allows(user, "change", Alignment) else 0
    if LinkState.CONFIRMED not in states:
        return {"plan": plan, "has_links": False, "waiting": waiting}
    rows = plan_coverage(plan, user)
    ids = {c.id for row in rows for c in row.contributors + row.same} | {r.target.id for r in rows}
    indicators = {
        i.pk: i for i in Indicator.objects.filter(pk__in=ids).select_related("plan", "plan__region")
    }
    table = [
        {
            "ind": indicators[row.target.id],
            "cov": row,
            "contributors": [(indicators[c.id], c in row.late) for c in row.contributors],
            "same": [indicators[c.id] for c in row.same],
        }
        for row in rows
    ]
    outgoing = [
        link
        for link in Alignment.objects.for_user(user, "view")
        .filter(source__plan=plan, state=LinkState.CONFIRMED)
        .select_related("source", "target__plan")
        .order_by("source__position", "target__plan__code")
    ]
    reached = [r for r in table if r["contributors"] or r["same"]]
    return {
        "plan": plan,
        "linked": reached,
        "uncovered": [r["ind"] for r in table if r["cov"].status == engine.UNCOVERED],
        "summary": coverage_summary(rows),
        "outgoing": outgoing,
        "waiting": waiting,
        "has_links": bool(reached or outgoing),
    }
