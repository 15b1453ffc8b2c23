"""The facts of a bulletin, read through the other apps' own services (nothing recomputed here).

- 总体进展 and 滞后指标: `assessments.services.assess_plan_at` as of the bulletin's date (and
  of the previous round's, to say what got worse); lagging is `supervision.selectors.LAGGING`.
- 填报情况: `scorecards.services.tallies` over the round (DHIS2 reporting and on-time rates).
- 考核排名: the scorecards' own arithmetic (`scoring.score`, `scoring.rank`, the office's
  weights, units ranked within their kind), with the progress of led items taken from the
  same assessment as the rest of the bulletin.
- 督办事项: the open `supervision.Case` rows about the plan.
The bulletin is a document of the office to everyone, so none of this is cut to a user's
scope: who may draft one is the services' check.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone, translation

from ducha.assessments.final import final_evaluation
from ducha.assessments.labels import STATUS_LABELS, overall_explanation, rollup_explanation
from ducha.assessments.services import assess_plan_at, default_as_of
from ducha.datavalues.models import ApprovedValue, ValueSource
from ducha.engine import assessment as engine
from ducha.engine.assessment import Status
from ducha.engine.periods import parse_period
from ducha.engine.units import format_quantity
from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.plans.models import Plan
from ducha.portal import drafting
from ducha.reporting.models import Round, RoundState
from ducha.reporting.services import round_title
from ducha.scorecards import services as scorecards
from ducha.supervision.models import OPEN_STATES, Case
from ducha.supervision.selectors import LAGGING, LAGGING_ORDER

# Reading order of the spread in 一、总体进展: the good news first, as 通报 are written.
SPREAD_ORDER = [
    Status.ACHIEVED,
    Status.ACHIEVED_LATE,
    Status.ON_TRACK,
    Status.NEEDS_ACCELERATION,
    Status.LIMITED_PROGRESS,
    Status.DETERIORATION,
    Status.NOT_ACHIEVED,
    Status.NOT_ACHIEVED_NO_DATA,
    Status.STALE,
    Status.AWAITING_FINAL,
    Status.NO_DATA,
]
GROUP_NAMES = {
    OrgUnitKind.DISTRICT: "各区",
    "zone": "功能区",
    "department": "市级部门",
}


def default_round(plan) -> Round | None:
    """The latest round closed, or open with its deadline passed; else the latest round."""
    today = timezone.localdate()
    rounds = Round.objects.filter(plan=plan).order_by("-period_end")
    due = rounds.filter(Q(state=RoundState.CLOSED) | Q(deadline__lt=today)).first()
    return due or rounds.first()


def round_as_of(rnd: Round) -> dt.date:
    """A closed round is assessed as of the day it closed, an open one as of today; never
    after the plan's own default date (a quarter after a finished plan's end)."""
    if rnd.closed_at:
        return scorecards.as_of_for(rnd.plan, [rnd])
    return min(timezone.localdate(), default_as_of(rnd.plan))


def previous_round(rnd: Round) -> Round | None:
    return (
        Round.objects.filter(plan=rnd.plan, period_end__lt=rnd.period_end)
        .order_by("-period_end")
        .first()
    )


def bulletin_facts(rnd: Round, as_of: dt.date | None = None) -> drafting.Facts:
    plan = rnd.plan
    as_of = as_of or round_as_of(rnd)
    today = timezone.localdate()
    before = previous_round(rnd)
    dates = [as_of] + ([min(round_as_of(before), as_of)] if before else [])
    with translation.override("zh-hans"):
        results = assess_plan_at(plan, dates)
        now = results[0]
        earlier = results[1] if before else None
        office = OrgUnit.objects.filter(kind=OrgUnitKind.OFFICE).order_by("position").first()
        final_section = _final(plan, now) if plan.has_ended(now.as_of) else None
        return drafting.Facts(
            plan_title=plan.title,
            round_title=rnd.title,
            deadline=rnd.deadline,
            deadline_passed=rnd.is_past_deadline(today),
            as_of=as_of,
            issued_on=today,
            issuer=office.name if office else "领导小组办公室",
            overall=str(STATUS_LABELS[now.overall.status]),
            spread=_spread(now),
            indicators=len(now.indicators),
            milestones=len(now.milestones),
            units=_units(rnd),
            lagging=_lagging(now, earlier, skip_final=final_section is not None),
            ranking=_ranking(plan, rnd, now),
            weights=scorecards.weights_for(plan).as_dict(),
            cases=_cases(plan, today),
            previous_round=before.title if before else "",
            sections=_sections(now),
            final=final_section,
            sources=_sources(now, as_of),
            burden=_burden(rnd),
            coverage=_coverage(plan),
        )


def _burden(rnd: Round) -> drafting.Burden:
    """The round's reporting burden, every unit's (reporting.burden)."""
    from ducha.reporting.burden import round_burden

    b = round_burden(rnd, None)
    return drafting.Burden(
        asked=b.asked,
        prefilled=b.prefilled,
        confirmed=b.confirmed,
        typed=b.typed,
        median_hours=b.median_hours,
        timed_units=len(b.timed_units),
    )


def _coverage(plan) -> drafting.CoverageSection | None:
    """The targets of other plans (not drafts) that reach this plan's (ducha.alignment); None
    when none do."""
    from ducha.alignment.selectors import COVERAGE_LABELS, plan_coverage
    from ducha.engine.alignment import UNCOVERED

    rows = plan_coverage(plan, drafts=False)
    reached = [r for r in rows if r.status != UNCOVERED]
    if not reached:
        return None
    titles = {
        p.code: str(p)
        for p in Plan.objects.filter(
            code__in={c.plan for r in reached for c in r.contributors + r.same}
        )
    }

    def goal(t) -> str:
        return f"{format_quantity(t.target_min, t.unit)}{t.unit}（{t.deadline_year}年）"

    return drafting.CoverageSection(
        lines=[
            drafting.CoverageLine(
                name=r.target.name,
                target=goal(r.target),
                parts="；".join(
                    f"{titles[c.plan]}：{c.name}{goal(c)}" for c in r.contributors + r.same
                ),
                total="–"
                if r.total is None
                else f"{format_quantity(r.total, r.target.unit)}{r.target.unit}",
                share=r.share,
                status=str(COVERAGE_LABELS[r.status]),
                late=len(r.late),
            )
            for r in reached
        ],
        uncovered=len(rows) - len(reached),
    )


def _sections(result) -> list[drafting.SectionLine]:
    """The chapters and sections (two levels) with their rolled-up status: the roll-up every
    page shows (``services.roll_up``), with how it was reached."""
    return [
        drafting.SectionLine(
            key=n.node.key,
            name=f"{n.node.label}{n.node.title}",
            depth=depth,
            status=str(STATUS_LABELS[n.status]),
            status_code=str(n.status),
            how=rollup_explanation(n),
        )
        for n, depth in result.walk()
        if depth <= 1 and n.rollup.counts
    ]


def _final(plan, result) -> drafting.FinalSection:
    """终期评估 for the bulletin: every target past its deadline as of the bulletin's date."""
    ev = final_evaluation(plan, result.as_of, result)
    items = []
    for f in ev.indicators:
        ind, a, unit = f.result.indicator, f.a, f.result.indicator.unit
        source = "–"
        if f.source is not None:
            units = f.source.units
            who = f"{len(units)}个单位" if len(units) > 3 else "、".join(units)
            source = "，".join(x for x in (who, f.source.round or "") if x) or "–"
        items.append(
            drafting.FinalItem(
                name=ind.name,
                lead_unit=ind.lead_unit.name if ind.lead_unit else "",
                target=_target(ind),
                status=str(STATUS_LABELS[a.status]),
                status_code=str(a.status),
                value="–"
                if a.final_value is None
                else f"{format_quantity(a.final_value, unit)}{unit}",
                period=_period(f.result.final_period) or "–",
                share=a.progress_share if a.final_value is not None else None,
                gap=f"{format_quantity(a.gap, unit)}{unit}"
                if a.gap is not None and a.gap > 0
                else "–",
                source=source,
            )
        )
    for m in ev.milestones:
        ms, report = m.milestone, m.report
        items.append(
            drafting.FinalItem(
                name=ms.title,
                lead_unit=ms.lead_unit.name if ms.lead_unit else "",
                target=f"{drafting.day(ms.due)}前完成",
                status=str(STATUS_LABELS[m.status]),
                status_code=str(m.status),
                value=report.get_progress_display() if report else "–",
                period=_period(report.period) if report else "–",
                source=report.org_unit.name if report else "–",
                milestone=True,
            )
        )
    counts = ev.counts
    return drafting.FinalSection(
        period_end=plan.period_end,
        items=items,
        counts=[(str(STATUS_LABELS[s]), counts.get(s, 0)) for s in SPREAD_ORDER],
        running=len(ev.running),
    )


def _sources(result, as_of: dt.date) -> list[drafting.SourceNote]:
    """The sources of the latest values the bulletin quotes (the lagging indicators'): the
    approvals that make up each figure as of the date, the city's own where it has one."""
    quoted = [r for r in result.indicators if r.status in LAGGING and r.latest_period]
    if not quoted:
        return []
    end = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
    keys = {(r.indicator.pk, r.latest_period) for r in quoted}
    latest: dict[tuple[int, str], dict[int, ApprovedValue]] = defaultdict(dict)
    rows = (
        ApprovedValue.objects.filter(
            indicator__in={k[0] for k in keys},
            period__in={k[1] for k in keys},
            approved_at__lte=end,
        )
        .select_related("org_unit")
        .order_by("approved_at", "id")
    )
    for row in rows:
        if (row.indicator_id, row.period) in keys:
            latest[(row.indicator_id, row.period)][row.org_unit_id] = row
    out = []
    for r in quoted:
        approvals = list(latest[(r.indicator.pk, r.latest_period)].values())
        city = [a for a in approvals if a.org_unit.parent_id is None]
        words = []
        for a in city or approvals:
            label = str(ValueSource(a.source).label)
            word = f"{label}（口径：{a.source_note}）" if a.source_note else label
            if word not in words:
                words.append(word)
        if words:
            out.append(drafting.SourceNote(r.indicator.name, _period(r.latest_period), words))
    return out


def _spread(result) -> list[tuple[str, int]]:
    counts = defaultdict(int)
    for r in [*result.indicators, *result.milestones]:
        counts[r.status] += 1
    return [(str(STATUS_LABELS[s]), counts[s]) for s in SPREAD_ORDER]


def _units(rnd: Round) -> list[drafting.UnitReport]:
    tallies = scorecards.tallies([rnd])
    units = OrgUnit.objects.filter(pk__in=tallies).order_by("position", "code")
    return [
        drafting.UnitReport(
            u.name,
            tallies[u.pk].expected,
            tallies[u.pk].reported,
            tallies[u.pk].on_time,
            tallies[u.pk].approved,
            is_office=u.kind == OrgUnitKind.OFFICE,
        )
        for u in units
    ]


def _period(code: str | None) -> str | None:
    """2020Q3 → 2020年第三季度, as round titles read."""
    return round_title(parse_period(code)) if code else None


def _target(ind) -> str:
    low = format_quantity(ind.target_min, ind.unit)
    value = low
    if ind.target_max is not None and ind.target_max != ind.target_min:
        value = f"{low}至{format_quantity(ind.target_max, ind.unit)}"
    return f"{value}{ind.unit}（{ind.deadline.year}年）"


def _worse(before: Status | None, after: Status) -> bool:
    a, b = engine.SCORES.get(before), engine.SCORES.get(after)
    return a is not None and b is not None and b < a


def _lagging(now, earlier, skip_final: bool = False) -> list[drafting.LaggingItem]:
    """Items behind their pace; with ``skip_final`` (the bulletin has a 终期评估 section) the
    targets past their deadline are left to that section."""
    was = {}
    if earlier is not None:
        was = {("i", r.indicator.pk): r.status for r in earlier.indicators}
        was |= {("m", r.milestone.pk): r.status for r in earlier.milestones}
    out = []
    for r in now.indicators:
        if r.status in LAGGING and not (skip_final and r.result.final):
            ind = r.indicator
            out.append(
                drafting.LaggingItem(
                    name=ind.name,
                    lead_unit=ind.lead_unit.name if ind.lead_unit else "",
                    status=str(STATUS_LABELS[r.status]),
                    status_code=str(r.status),
                    latest=r.result.value,
                    latest_period=_period(r.latest_period),
                    target=_target(ind),
                    unit=ind.unit,
                    worsened=_worse(was.get(("i", ind.pk)), r.status),
                )
            )
    for r in now.milestones:
        if r.status in LAGGING and not (skip_final and r.final):
            ms = r.milestone
            out.append(
                drafting.LaggingItem(
                    name=ms.title,
                    lead_unit=ms.lead_unit.name if ms.lead_unit else "",
                    status=str(STATUS_LABELS[r.status]),
                    status_code=str(r.status),
                    target=f"{drafting.day(ms.due)}前完成",
                    worsened=_worse(was.get(("m", ms.pk)), r.status),
                    milestone=True,
                )
            )
    order = {s: i for i, s in enumerate(LAGGING_ORDER)}
    return sorted(out, key=lambda x: (x.milestone, order.get(x.status_code, 9)))


def _ranking(plan, rnd: Round, result) -> list[drafting.RankRow]:
    """The scorecards' ranking of the round, with progress as of the bulletin's date."""
    cards = scorecards.ranked_cards(plan, [rnd], scorecards.progress_of(result))
    out = []
    for card in cards:
        kind = card.key.kind
        out.append(
            drafting.RankRow(
                rank=card.rank,
                unit=card.key.name,
                group=GROUP_NAMES.get(kind, str(OrgUnitKind(kind).label)),
                total=card.total,
                reporting_rate=card.reporting_rate,
                on_time_rate=card.on_time_rate,
            )
        )
    return out


def _cases(plan, today: dt.date) -> list[drafting.OpenCase]:
    about_plan = (
        Q(indicator__plan=plan)
        | Q(milestone__plan=plan)
        | Q(assignment__round__plan=plan)
        | Q(indicator=None, milestone=None, assignment=None)
    )
    cases = (
        Case.objects.filter(about_plan, state__in=OPEN_STATES)
        .select_related("org_unit")
        .order_by("due", "pk")
    )
    return [
        drafting.OpenCase(
            title=c.title,
            unit=c.org_unit.name,
            kind=c.get_kind_display(),
            state=c.get_state_display(),
            due=c.due,
            overdue=today > c.due,
        )
        for c in cases
    ]


# --- the public plan page ---------------------------------------------------------------------


def public_snapshot(plan, as_of: dt.date) -> dict:
    """What the public plan page shows, as data frozen at publication: the assessment as of
    `as_of` (statuses as codes, labelled when shown, so the page reads in either language)."""
    from ducha.core.templatetags.ducha import target

    result = assess_plan_at(plan, [as_of])[0]
    counts: dict[str, int] = defaultdict(int)
    for r in [*result.indicators, *result.milestones]:
        counts[str(r.status)] += 1
    return {
        "as_of": as_of.isoformat(),
        "title": plan.title,
        "issuer": plan.issuer,
        "period": [plan.period_start, plan.period_end],
        "overall": str(result.overall.status),
        "overall_score": result.overall.score,
        "overall_explanation": overall_explanation(result),
        "ended": plan.has_ended(as_of),
        "counts": dict(counts),
        # the chapters and sections with something to assess: the one roll-up every page shows
        "sections": [
            {
                "key": n.node.key,
                "name": f"{n.node.label}{n.node.title}",
                "depth": depth,
                "status": str(n.status),
                "score": n.rollup.score,
                "how": rollup_explanation(n),
            }
            for n, depth in result.walk()
            if depth <= 1 and n.rollup.counts
        ],
        "indicators": [
            {
                "code": r.indicator.code,
                "name": r.indicator.name,
                "target": str(target(r.indicator)),
                "unit": r.indicator.unit,
                "deadline": r.indicator.deadline.year,
                "status": str(r.status),
                "value": r.result.value,
                "period": r.latest_period,
            }
            for r in result.indicators
        ],
        "milestones": [
            {
                "code": r.milestone.code,
                "title": r.milestone.title,
                "due": r.milestone.due.isoformat() if r.milestone.due else None,
                "status": str(r.status),
            }
            for r in result.milestones
        ],
    }
