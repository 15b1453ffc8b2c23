"""The assessment store (``models.SeriesKey`` / ``SeriesVersion``): kept, refreshed, read.

Per indicator × period the store keeps a chain of versions of the plan-wide value, one per
distinct approval time: version *n* holds what ``services.plan_wide_series`` would compute
from the approvals of that period made up to its ``valid_from``. An assessment as of a date
takes, for each period, the latest version by then: one index look-up per period, however
many approvals there are.

Who keeps it current:

- every write of approvals calls ``sync(keys)`` in its own transaction (approving a value,
  imports, recomputing register values, the demo, restore);
- a read calls ``ensure_current(indicators, tree)``: one query compares the newest approval
  with the store's mark, and each indicator's basis (aggregation, lead unit, org-unit tree)
  with what it was built with, and refreshes what is behind. So a path that writes approvals
  without calling ``sync`` (a raw insert, a test) or a changed indicator or org unit is
  caught up by the next read, never answered from stale versions;
- ``rebuild()`` (``ducha rebuildassessments``, and the migration that creates the store)
  recomputes everything from the approvals.

A refresh recomputes a whole key (indicator × period) from its approvals, so the order in
which approvals arrive (a back-dated approval, two transactions at once) never matters; it
holds the lock on the one ``StoreMark`` row, so refreshes run one at a time on every server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Max

from ducha.assessments.models import SeriesKey, SeriesState, SeriesVersion, StoreMark
from ducha.datavalues.models import ApprovedValue
from ducha.plans.models import Indicator

MARK = 1  # the primary key of the one StoreMark row
_BATCH = 5000


def basis_of(indicator: Indicator, tree) -> str:
    """What an indicator's versions depend on besides its approvals."""
    text = f"{indicator.aggregation}|{indicator.lead_unit_id}|{tree.digest}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


# --- computing the versions of one key ---------------------------------------------------------


def chain(indicator: Indicator, rows: list[tuple], tree) -> list[tuple]:
    """The versions of one indicator × period from its approvals ``rows`` (unit, value,
    approved_at, id) in approval order: (valid_from, value, units, whole, only, hidden)."""
    from ducha.assessments.services import point_of

    values: dict[int, float] = {}
    out = []
    i, n = 0, len(rows)
    while i < n:
        at = rows[i][2]
        while i < n and rows[i][2] == at:  # approvals made at the same moment: one version
            values[rows[i][0]] = rows[i][1]
            i += 1
        out.append((at, *point_of(indicator, values, tree)))
    return out


# --- writing -------------------------------------------------------------------------------------


def _aware(value) -> dt.datetime:
    """approved_at as read raw: SQLite gives naive UTC, PostgreSQL an aware datetime."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _float_column() -> str:
    return "CAST(value AS DOUBLE PRECISION)" if connection.vendor == "postgresql" else "value"


def _refresh(indicator: Indicator, periods: set[str] | None, tree) -> None:
    """Recompute the keys of ``indicator`` (those of ``periods``, or all) from its approvals."""
    av = ApprovedValue._meta.db_table
    keys, versions = SeriesKey._meta.db_table, SeriesVersion._meta.db_table
    where, params = "indicator_id = %s", [indicator.pk]
    if periods is not None:
        if not periods:
            return
        where += f" AND period IN ({', '.join(['%s'] * len(periods))})"
        params += sorted(periods)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {versions} WHERE key_id IN (SELECT id FROM {keys} WHERE {where})",
            params,
        )
        cursor.execute(f"DELETE FROM {keys} WHERE {where}", params)
        cursor.execute(
            f"SELECT period, org_unit_id, {_float_column()}, approved_at, id FROM {av} "
            f"WHERE {where} ORDER BY period, approved_at, id",
            params,
        )
        by_period: dict[str, list[tuple]] = defaultdict(list)
        for period, unit, value, at, pk in cursor.fetchall():
            by_period[period].append((unit, float(value), _aware(at), pk))
    if not by_period:
        return
    made = SeriesKey.objects.bulk_create(
        SeriesKey(
            indicator_id=indicator.pk,
            period=p,
            first_at=rows[0][2],
            first_id=rows[0][3],
            last_at=rows[-1][2],
        )
        for p, rows in by_period.items()
    )
    if made[0].pk is None:  # a database that does not return ids from bulk inserts
        ids = dict(
            SeriesKey.objects.filter(
                indicator_id=indicator.pk, period__in=list(by_period)
            ).values_list("period", "pk")
        )
    else:
        ids = {k.period: k.pk for k in made}
    out = []
    for period, rows in by_period.items():
        key = ids[period]
        for at, value, units, whole, only, hidden in chain(indicator, rows, tree):
            out.append((key, adapt(at), value, units, whole, only, hidden))
    with connection.cursor() as cursor:
        sql = (
            f"INSERT INTO {versions} (key_id, valid_from, value, units, whole, sole_unit, hidden) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        for start in range(0, len(out), _BATCH):
            cursor.executemany(sql, out[start : start + _BATCH])


def _lock_mark() -> int:
    """The store's mark, locked until the transaction ends (created when missing)."""
    StoreMark.objects.bulk_create([StoreMark(pk=MARK)], ignore_conflicts=True)
    return StoreMark.objects.select_for_update().get(pk=MARK).last_approval_id


def _set_mark(value: int) -> None:
    StoreMark.objects.filter(pk=MARK).update(last_approval_id=value)


def _indicators(ids: Iterable[int]) -> dict[int, Indicator]:
    return {i.pk: i for i in Indicator.objects.filter(pk__in=set(ids))}


def _load_tree(tree):
    from ducha.assessments.services import UnitTree

    return tree or UnitTree.load()


@transaction.atomic
def sync(keys: Iterable[tuple[int, str]] = (), tree=None) -> None:
    """Bring the store up to date after approvals were written: the keys (indicator id,
    period) given, and those of every approval newer than the mark. Call it inside the
    transaction that wrote the approvals (the keys name one's own: under PostgreSQL an
    approval another transaction numbered higher may have committed first)."""
    mark = _lock_mark()
    wanted: dict[int, set[str]] = defaultdict(set)
    for indicator_id, period in keys:
        wanted[indicator_id].add(period)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, indicator_id, period FROM {ApprovedValue._meta.db_table} WHERE id > %s",
            [mark],
        )
        top = mark
        for pk, indicator_id, period in cursor.fetchall():
            wanted[indicator_id].add(period)
            top = max(top, pk)
    if not wanted:
        return
    tree = _load_tree(tree)
    indicators = _indicators(wanted)
    states = dict(
        SeriesState.objects.filter(indicator_id__in=list(wanted)).values_list(
            "indicator_id", "basis"
        )
    )
    for pk, periods in sorted(wanted.items()):
        indicator = indicators.get(pk)
        if indicator is None:
            continue
        basis = basis_of(indicator, tree)
        if states.get(pk) == basis:
            _refresh(indicator, periods, tree)
        else:  # never built, or built on another basis: the whole indicator
            _refresh(indicator, None, tree)
        _save_state(pk, basis)
    if top > mark:
        _set_mark(top)


def _save_state(indicator_id: int, basis: str) -> None:
    last = SeriesKey.objects.filter(indicator_id=indicator_id).aggregate(m=Max("last_at"))["m"]
    SeriesState.objects.update_or_create(
        indicator_id=indicator_id, defaults={"basis": basis, "last_at": last}
    )


def approvals_written(approvals: Iterable[ApprovedValue]) -> None:
    """``sync`` for approval rows just saved (the services' one call)."""
    sync({(a.indicator_id, a.period) for a in approvals})


@transaction.atomic
def rebuild(
    indicators: Iterable[Indicator] | None = None, tree=None, *, every: bool | None = None
) -> int:
    """Recompute the store from the approvals, of every indicator or of those given (``every``
    says that those given are all of them, as in the migration); returns how many indicators
    were rebuilt. Only a rebuild of every indicator moves the mark."""
    mark = _lock_mark()
    tree = _load_tree(tree)
    every = indicators is None if every is None else every
    if indicators is None:
        SeriesVersion.objects.all().delete()
        SeriesKey.objects.all().delete()
        SeriesState.objects.all().delete()
        indicators = Indicator.objects.order_by("pk")
    with connection.cursor() as cursor:  # read before: approvals committed meanwhile get in
        cursor.execute(f"SELECT MAX(id) FROM {ApprovedValue._meta.db_table}")
        top = cursor.fetchone()[0] or 0
    count = 0
    for indicator in indicators:
        _refresh(indicator, None, tree)
        _save_state(indicator.pk, basis_of(indicator, tree))
        count += 1
    if every and top > mark:
        _set_mark(top)
    return count


# --- reading -------------------------------------------------------------------------------------


def ensure_current(indicators: list[Indicator], tree) -> None:
    """Refresh what is behind before reading (see the module's docstring): one query when
    nothing is, which is always unless something wrote approvals without ``sync``."""
    if not indicators:
        return
    ids = [i.pk for i in indicators]
    if _behind():
        sync((), tree)
    states = dict(
        SeriesState.objects.filter(indicator_id__in=ids).values_list("indicator_id", "basis")
    )
    # An indicator without a state has no versions (every refresh saves its basis): nothing
    # to bring up to date until an approval of it arrives, which ``sync`` builds in full.
    stale = [i for i in indicators if i.pk in states and states[i.pk] != basis_of(i, tree)]
    if stale:
        rebuild(stale, tree)


def last_approval(plan_id: int) -> dt.datetime | None:
    """When the latest approval of an indicator of the plan was made: a look-up per indicator
    (approval times do not depend on how units add up, so only the mark is checked)."""
    if _behind():
        sync()
    found = SeriesState.objects.filter(indicator__plan_id=plan_id).aggregate(m=Max("last_at"))
    return found["m"]


def _behind() -> bool:
    """Is an approval newer than the store's mark (written without ``sync``)?"""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {ApprovedValue._meta.db_table}), "
            f"(SELECT last_approval_id FROM {StoreMark._meta.db_table} WHERE id = %s)",
            [MARK],
        )
        newest, mark = cursor.fetchone()
    return (newest or 0) > (mark or 0)


def versions_at(indicator_ids: list[int], dates: list[dt.date]) -> list[dict[int, list[tuple]]]:
    """For each date: {indicator: [(period, value, units, whole, only, hidden), …]}, the
    version of each period current at the end of that day, periods in the order their first
    approvals came (the order a full read meets them in). Periods whose plan-wide value is
    not defined then (no unit counts) are left out."""
    from django.utils import timezone

    if not indicator_ids:
        return [{} for _ in dates]
    keys, versions = SeriesKey._meta.db_table, SeriesVersion._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    placeholders = ", ".join(["%s"] * len(indicator_ids))
    sql = (
        f"SELECT k.indicator_id, k.period, v.value, v.units, v.whole, v.sole_unit, v.hidden "
        f"FROM {keys} k JOIN {versions} v ON v.id = ("
        f"SELECT v2.id FROM {versions} v2 WHERE v2.key_id = k.id AND v2.valid_from <= %s "
        f"ORDER BY v2.valid_from DESC LIMIT 1) "
        f"WHERE k.indicator_id IN ({placeholders}) AND k.first_at <= %s "
        f"ORDER BY k.first_at, k.first_id"
    )
    out = []
    with connection.cursor() as cursor:
        for day in dates:
            cutoff = adapt(timezone.make_aware(dt.datetime.combine(day, dt.time.max)))
            cursor.execute(sql, [cutoff, *indicator_ids, cutoff])
            found: dict[int, list[tuple]] = defaultdict(list)
            for ind, period, value, units, whole, only, hidden in cursor.fetchall():
                if value is not None:
                    found[ind].append((period, value, units, bool(whole), only, hidden))
            out.append(found)
    return out
