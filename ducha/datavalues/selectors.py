"""Reading values for pages: the source each shown figure was approved with; an indicator's
values per org unit (a summary, and the full table a page of units at a time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from ducha.datavalues.models import ApprovedValue, DataValue
from ducha.engine.periods import parse_period
from ducha.orgunits.models import OrgUnit


def approved_sources(user, indicator, cells, as_of: dt.date) -> dict[int, ApprovedValue]:
    """{org unit id: the approval (with its source) that counts as of `as_of`} for each
    (org unit id, period) in `cells`, among the approvals `user` may see. One query."""
    wanted = {(unit, period) for unit, period in cells if period}
    if not wanted:
        return {}
    end = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
    rows = (
        ApprovedValue.objects.for_user(user, "view")
        .filter(
            indicator=indicator,
            org_unit__in={u for u, _p in wanted},
            period__in={p for _u, p in wanted},
            approved_at__lte=end,
        )
        .order_by("approved_at", "id")
    )
    out = {}
    for row in rows:
        if (row.org_unit_id, row.period) in wanted:
            out[row.org_unit_id] = row  # the latest approval wins
    return out


@dataclass
class UnitSummary:
    """One org unit's values of an indicator: how many, over which periods, the latest."""

    unit: OrgUnit
    count: int
    first_end: dt.date
    last_end: dt.date
    latest: DataValue | None = None


UNITS_PER_PAGE = 20


def unit_summaries(user, indicator, as_of: dt.date) -> list[UnitSummary]:
    """Per org unit `user` may see: its number of values of `indicator` up to `as_of`, the
    first and last period end. One grouped query over the (indicator, unit, period end) index;
    the units in their usual order. The latest values come with `with_latest` for one page."""
    grouped = (
        DataValue.objects.for_user(user, "view")
        .filter(indicator=indicator, period_end__lte=as_of)
        .values("org_unit")
        .annotate(n=Count("pk"), first=Min("period_end"), last=Max("period_end"))
        .order_by()
    )
    rows = {r["org_unit"]: r for r in grouped}
    units = OrgUnit.objects.filter(pk__in=rows).order_by("position", "pk")
    return [UnitSummary(u, rows[u.pk]["n"], rows[u.pk]["first"], rows[u.pk]["last"]) for u in units]


def with_latest(user, indicator, summaries: list[UnitSummary]) -> list[UnitSummary]:
    """Fills `latest` (the value of each unit's last period end; of two periods ending that
    day, the shorter, as the assessment orders them) for these summaries. One query."""
    if not summaries:
        return summaries
    wanted = Q()
    for s in summaries:
        wanted |= Q(org_unit=s.unit.pk, period_end=s.last_end)
    latest: dict[int, DataValue] = {}
    for v in DataValue.objects.for_user(user, "view").filter(wanted, indicator=indicator):
        known = latest.get(v.org_unit_id)
        if known is None or parse_period(known.period) < parse_period(v.period):
            latest[v.org_unit_id] = v
    for s in summaries:
        s.latest = latest.get(s.unit.pk)
    return summaries


def value_table(user, indicator, units: list[OrgUnit], as_of: dt.date):
    """(periods, [(unit, [value or None per period])]): every value of these units up to
    `as_of`, the periods in time order. For one page of units, never the whole indicator."""
    values = DataValue.objects.for_user(user, "view").filter(
        indicator=indicator, org_unit__in=units, period_end__lte=as_of
    )
    cells: dict[int, dict[str, DataValue]] = {}
    for v in values:
        cells.setdefault(v.org_unit_id, {})[v.period] = v
    periods = sorted({p for row in cells.values() for p in row}, key=parse_period)
    return periods, [(u, [cells.get(u.pk, {}).get(p) for p in periods]) for u in units]
