"""Computed indicators in the Django layer: sources, checking plan files, aggregating in SQL.

A *source* is what a plan file's ``computation.register`` names: a table of countable rows
(enterprise-years, enterprise-tiers, projects …) with the fields it may be filtered on, its
dates and the path to the district. :func:`compute` runs one grouped query per part of a
computation (GROUP BY district, the period its date falls in, the period its end date falls
in) and hands the few grouped rows to the pure ``engine.computation.fold``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.filespec import Problem
from ducha.engine import computation as engine
from ducha.engine.periods import Period, period_containing
from ducha.engine.units import UNITS, convert

SOURCES: dict[str, Source] = {}


@dataclass
class Source:
    name: str  # as plan files write it: enterprise-years
    model: type[models.Model]
    schema: engine.RegisterSchema
    district: str  # ORM path to the district FK
    paths: dict[str, str] = field(default_factory=dict)  # schema field -> ORM path
    register: str = ""  # the register whose pages list these rows (drill-down)
    record: str = ""  # ORM path from a row to the register's record ("" = the row itself)
    label: str = ""

    def path(self, name: str) -> str:
        return self.paths.get(name, name)


def _model_field(source: Source, name: str):
    """The model field a schema field name reaches (following ``__`` paths), or None."""
    if not name:
        return None
    model, found = source.model, None
    for step in source.path(name).split("__"):
        if model is None:
            return None
        try:
            found = model._meta.get_field(step)
        except FieldDoesNotExist:
            return None
        model = found.related_model
    return found


def field_label(source: Source, name: str) -> str:
    """A schema field as people read it: the model field's verbose name (营业收入, not revenue)."""
    found = _model_field(source, name)
    if found is None or not getattr(found, "verbose_name", ""):
        return name or ""
    if found.is_relation and found.related_model is not None:
        return str(found.related_model._meta.verbose_name)
    return str(found.verbose_name)


def value_label(source: Source, name: str, value) -> str:
    """A filter value as people read it: the choice's label (智能机器人, not robot)."""
    found = _model_field(source, name)
    choices = dict(found.flatchoices) if found is not None and found.choices else {}
    return str(choices.get(value, value))


def add_source(source: Source) -> Source:
    SOURCES[source.name] = source
    return source


def schemas() -> dict[str, engine.RegisterSchema]:
    return {name: s.schema for name, s in SOURCES.items()}


def _convertible(a: str, b: str) -> bool:
    return a in UNITS and b in UNITS and UNITS[a].base == UNITS[b].base


PROBLEM_MESSAGES = {
    "not_mapping": lambda p: _("must be a mapping"),
    "unknown_key": lambda p: _("unknown key %s") % p.params.get("key", ""),
    "unknown_register": lambda p: _("no such register (known: %s)") % p.params.get("known", ""),
    "bad_measure": lambda p: _("measure must be count, sum or distinct"),
    "unknown_field": lambda p: _("no such field (known: %s)") % p.params.get("known", ""),
    "not_number": lambda p: _("only a number can be summed"),
    "unit_mismatch": lambda p: _("%(field_unit)s cannot be converted to %(unit)s") % p.params,
    "field_with_count": lambda p: _("count takes no field"),
    "unknown_filter": lambda p: _("cannot filter on this (known: %s)") % p.params.get("known", ""),
    "bad_value": lambda p: (
        _("%(value)s is not one of %(known)s") % p.params
        if "value" in p.params
        else _("give at least one value, true or false")
    ),
    "unknown_date": lambda p: _("no such date (known: %s)") % p.params.get("known", ""),
    "year_needs_yearly": lambda p: _("a year date needs an indicator with frequency: year"),
    "bad_window": lambda p: _("window must be stock or flow"),
    "not_list": lambda p: _("must be a list of computations"),
    "parts_with_distinct": lambda p: _("distinct counts cannot be added up"),
    "nested_parts": lambda p: _("parts cannot have parts"),
}


def parse(computation: dict, *, frequency: str, unit: str):
    return engine.parse_computation(
        computation, schemas(), frequency=frequency, unit=unit, convertible=_convertible
    )


def check_indicator_computation(ind) -> list[Problem]:
    """The plan-file hook: problems of an IndicatorSpec's computation, translated."""
    _spec, problems = parse(ind.computation, frequency=ind.frequency, unit=ind.unit)
    return [Problem(p.path, PROBLEM_MESSAGES.get(p.code, lambda p: p.text)(p)) for p in problems]


def spec_of(indicator) -> engine.ComputationSpec:
    spec, problems = parse(
        indicator.computation, frequency=indicator.frequency, unit=indicator.unit
    )
    if spec is None:
        raise ValueError(
            f"{indicator.code}: " + "; ".join(f"computation{p.path}: {p.text}" for p in problems)
        )
    return spec


# --- periods ---------------------------------------------------------------------------------


def periods_for(indicator, today: dt.date | None = None) -> list[Period]:
    """The periods a computed indicator gets values for: from the one before the plan starts
    (the baseline) to the current one or the deadline's, whichever comes first."""
    today = today or timezone.localdate()
    kind = indicator.frequency
    first = period_containing(dt.date(indicator.plan.period_start - 1, 12, 31), kind)
    last = min(period_containing(today, kind), period_containing(indicator.deadline, kind))
    out = []
    current = first
    while current <= last:
        out.append(current)
        current = current.next()
    return out


def _start_period(kind: str, value) -> Period | None:
    if value is None:
        return None
    if isinstance(value, int):  # a year column
        return Period("year", value, 0)
    return period_containing(_as_date(value), kind)


def _end_period(kind: str, value) -> Period | None:
    """End dates are the last day a row counts (inclusive): the row stops counting in the
    period that contains the day after."""
    if value is None:
        return None
    return period_containing(_as_date(value) + dt.timedelta(days=1), kind)


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):  # SQLite may hand back text for an aggregated date
        return dt.date.fromisoformat(value[:10])
    return value


# --- querying --------------------------------------------------------------------------------


def filter_q(source: Source, part: engine.ComputationSpec) -> Q:
    q = Q()
    for name, values in part.filters.items():
        path = source.path(name)
        q &= Q(**{f"{path}__in": list(values)}) if len(values) > 1 else Q(**{path: values[0]})
    return q


def period_q(source: Source, part: engine.ComputationSpec, period: Period) -> Q:
    """The rows that count in `period` (for the drill-down)."""
    date_field = source.schema.fields[part.date]
    date_path = source.path(part.date)
    if date_field.kind == "year":
        return Q(**{date_path: period.year})
    if part.window == "flow":
        return Q(**{f"{date_path}__gte": period.start, f"{date_path}__lte": period.end})
    q = Q(**{f"{date_path}__lte": period.end})
    end = source.schema.end_field
    if end:
        end_path = source.path(end)
        q &= Q(**{f"{end_path}__isnull": True}) | Q(**{f"{end_path}__gte": period.end})
    return q


def current_q(source: Source) -> Q:
    """Rows of records still in the register (archived records count nowhere)."""
    prefix = f"{source.record}__" if source.record else ""
    return Q(**{f"{prefix}archived_at__isnull": True})


def part_queryset(source: Source, part: engine.ComputationSpec):
    qs = source.model._default_manager.filter(filter_q(source, part), current_q(source))
    if part.measure == "sum":
        qs = qs.filter(**{f"{source.path(part.field)}__isnull": False})
    return qs


def group_rows(source: Source, part: engine.ComputationSpec, kind: str, by: str | None = None):
    """The grouped rows of one part: [GroupRow] with periods of `kind`.

    Grouped by district and by the exact start and end dates (few distinct values), so that
    the database does the heavy lifting and Python only maps dates to periods. With `by` (a
    filter field of the part), also grouped by that field: {value: [GroupRow]}, one scan for
    every value the part's filter on it lists (see :func:`prefetch`).
    """
    qs = part_queryset(source, part)
    date_path = source.path(part.date)
    names = {"d": models.F(source.district), "s": models.F(date_path)}
    qs = qs.filter(**{f"{date_path}__isnull": False})
    end = source.schema.end_field if part.window == "stock" else None
    if end:
        names["e"] = models.F(source.path(end))
    if part.measure == "distinct":
        names["v"] = models.F(source.path(part.field))
    if by is not None:
        names["f"] = models.F(source.path(by))
    qs = qs.annotate(**names).values(*names)
    if part.measure == "sum":
        qs = qs.annotate(agg=Sum(source.path(part.field)))
    else:
        qs = qs.annotate(agg=Count("pk"))
    rows = []
    by_value: dict = {value: [] for value in part.filters.get(by, ())}
    starts: dict = {}
    ends: dict = {}
    for r in qs.order_by():
        s = r["s"]
        if s not in starts:
            starts[s] = _start_period(kind, s)
        e = r.get("e")
        if e is not None and e not in ends:
            ends[e] = _end_period(kind, e)
        row = engine.GroupRow(
            district=r["d"],
            start=starts[s],
            end=ends[e] if e is not None else None,
            value=float(r["agg"] or 0),
            distinct=r.get("v"),
        )
        (by_value.setdefault(r["f"], []) if by is not None else rows).append(row)
    return by_value if by is not None else rows


@dataclass
class Computed:
    values: dict[Period, dict[int | None, float]]  # None = the city


def split(part: engine.ComputationSpec) -> list[engine.ComputationSpec]:
    """A count or sum filtered on several values of a field is the sum of one query per
    value (every filter field holds one value per row, so the pieces are disjoint). Each
    piece uses the index on that field, and is shared with the indicators that ask for just
    that value (the total 1000亿元 is the six industries, already queried one by one)."""
    if part.measure == "distinct":
        return [part]
    pieces = [part]
    for name, values in part.filters.items():
        if len(values) > 1:
            pieces = [
                dataclasses.replace(p, filters={**p.filters, name: (v,)})
                for p in pieces
                for v in values
            ]
    return pieces


def _cache_key(source: Source, part: engine.ComputationSpec, kind: str) -> tuple:
    return (
        source.name,
        part.measure,
        part.field,
        part.date,
        part.window,
        tuple(sorted(part.filters.items())),
        kind,
    )


def cached_rows(source: Source, part: engine.ComputationSpec, kind: str, cache: dict | None):
    if cache is None:
        return group_rows(source, part, kind)
    key = _cache_key(source, part, kind)
    if key not in cache:
        cache[key] = group_rows(source, part, kind)
    return cache[key]


def prefetch(indicators, cache: dict) -> None:
    """Fill `cache` for the indicators about to be computed, one scan per family of pieces.

    The pieces :func:`split` makes (one value of a filter each: 智能机器人, 智能软件 …) and the
    pieces other indicators ask for that differ only in that one value are read together:
    one query grouped by that field too, not one per value. On 1 M enterprises each query
    joins the 3 M yearly figures with the enterprises whatever the value, so six industries
    in one scan took 2.2–2.7 s against 7.5 s for six (PostgreSQL, load 7; docs/benchmarks.md).
    """
    families: dict[tuple, set] = {}
    for indicator in indicators:
        try:
            spec = spec_of(indicator)
        except ValueError:  # reported when the indicator itself is computed
            continue
        for part in spec.all_parts():
            for piece in split(part):
                if piece.measure == "distinct" or not piece.filters:
                    continue
                by = min(name for name, values in piece.filters.items() if len(values) == 1)
                rest = tuple(sorted((k, v) for k, v in piece.filters.items() if k != by))
                family = (piece.register, piece.measure, piece.field, piece.date)
                family += (piece.window, rest, by, indicator.frequency)
                families.setdefault(family, set()).update(piece.filters[by])
    for (register, measure, field_, date, window, rest, by, kind), values in families.items():
        if len(values) < 2:
            continue  # one value: its own query, as without prefetching
        source = SOURCES[register]
        ordered = tuple(sorted(values, key=str))
        part = engine.ComputationSpec(
            register=register,
            measure=measure,
            field=field_,
            filters={**dict(rest), by: ordered},
            date=date,
            window=window,
        )
        for value, rows in group_rows(source, part, kind, by=by).items():
            piece = dataclasses.replace(part, filters={**dict(rest), by: (value,)})
            cache.setdefault(_cache_key(source, piece, kind), rows)


def compute(indicator, today: dt.date | None = None, cache: dict | None = None) -> Computed:
    """The indicator's values per period and district. `cache` shares grouped rows between
    the indicators of one recompute."""
    spec = spec_of(indicator)
    periods = periods_for(indicator, today)
    results = []
    for part in spec.all_parts():
        source = SOURCES[part.register]
        rows = []
        for piece in split(part):
            rows += cached_rows(source, piece, indicator.frequency, cache)
        part_periods = periods
        if source.schema.fields[part.date].kind == "year":
            # revenue of a year with no figures at all is missing, not zero
            years = {r.start for r in rows}
            part_periods = [p for p in periods if p in years]
        folded = engine.fold(rows, part_periods, part.measure, part.window)
        if part.measure == "sum":
            unit = source.schema.fields[part.field].unit
            if unit and unit != indicator.unit:
                factor = float(convert(Decimal(1), unit, indicator.unit))
                folded = {p: {d: v * factor for d, v in vs.items()} for p, vs in folded.items()}
        if not part.by_district:
            folded = {p: {engine.CITY: vs.get(engine.CITY, 0.0)} for p, vs in folded.items()}
        results.append(folded)
    combined = engine.combine(results) if len(results) > 1 else results[0]
    return Computed(combined)
