"""From a computed value to the records behind it.

Nothing is stored about which records made a value: the indicator's computation is applied
again (same filters, same period rule, same district), so the list is what the registers
hold now. The total of the list is shown beside the stored value; they differ only when the
registers changed since the last recompute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.core.policies import EVERYTHING, policy_for
from ducha.datavalues.models import DataValue
from ducha.engine.periods import PeriodError, parse_period
from ducha.engine.units import convert
from ducha.orgunits.models import OrgUnit
from ducha.registers import base
from ducha.registers.computation import (
    SOURCES,
    field_label,
    part_queryset,
    period_q,
    spec_of,
    value_label,
)


class NotFound(Exception):
    pass


def explain(ind) -> list[str]:
    """The computation in words, one line per part."""
    spec = spec_of(ind)
    lines = []
    for part in spec.all_parts():
        source = SOURCES[part.register]
        what = {
            "count": _("count of"),
            "sum": _("sum of %s over") % field_label(source, part.field),
            "distinct": _("number of distinct %s among") % field_label(source, part.field),
        }[part.measure]
        filters = "; ".join(
            f"{field_label(source, k)} = {'、'.join(value_label(source, k, x) for x in values)}"
            for k, values in part.filters.items()
        )
        window = (
            _("held at the end of the period (from %(date)s, until its end date)")
            if part.window == "stock"
            else _("dated within the period (%(date)s)")
        ) % {"date": field_label(source, part.date)}
        line = f"{what} {source.label}"
        if filters:
            line += f" [{filters}]"
        lines.append(f"{line}: {window}")
    return lines


def value_table(ind, user) -> dict:
    values = (
        DataValue.objects.for_user(user, "view")
        .filter(indicator=ind)
        .select_related("org_unit")
        .order_by("org_unit__position", "org_unit__code", "period_end")
    )
    periods = sorted({v.period for v in values}, key=lambda p: parse_period(p).end)
    rows: dict = {}
    for v in values:
        url = reverse(
            "registers:drilldown", args=[ind.plan.code, ind.code, v.period, v.org_unit.code]
        )
        rows.setdefault(v.org_unit, {})[v.period] = (v, url)
    return {
        "periods": periods,
        "rows": [(unit, [cells.get(p) for p in periods]) for unit, cells in rows.items()],
    }


@dataclass
class Part:
    source: object
    spec: object
    queryset: object
    factor: Decimal | None = None


@dataclass
class Behind:
    period: str
    unit: OrgUnit
    parts: list[Part]
    rows: RowSequence
    total: float
    stored: Decimal | None
    register: base.Register | None = None
    measure: str = "count"
    notes: list[str] = field(default_factory=list)


class RowSequence:
    """The rows of every part, sliceable and countable for the paginator."""

    def __init__(self, parts: list[Part]):
        self.parts = parts
        self._counts = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [p.queryset.count() for p in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("slice only")
        start, stop = item.start or 0, item.stop
        out = []
        offset = 0
        for part, n in zip(self.parts, self.counts(), strict=True):
            lo, hi = max(start - offset, 0), min(stop - offset, n)
            if lo < hi:
                out += [_row(part, obj) for obj in part.queryset[lo:hi]]
            offset += n
        return out


def _record(part: Part, obj):
    path = part.source.record
    record = obj
    for name in path.split("__") if path else []:
        record = getattr(record, name)
    return record


def _row(part: Part, obj) -> dict:
    record = _record(part, obj)
    register = base.CATALOGUE.get(part.source.register)
    row = {"record": record, "url": None, "amount": None, "value": None, "date": None}
    if register is not None:
        row["url"] = reverse(f"{register.namespace}:detail", args=[record.pk])
    spec = part.spec
    row["date"] = getattr(obj, spec.date, None)
    if isinstance(row["date"], int):  # a year
        row["date"] = str(row["date"])
    if spec.measure == "sum":
        amount = getattr(obj, spec.field)
        row["amount"] = amount * part.factor if part.factor is not None else amount
    elif spec.measure == "distinct":
        value = getattr(obj, spec.field + "_id", None) or getattr(obj, spec.field)
        display = getattr(obj, f"get_{spec.field}_display", None)
        row["value"] = display() if display else value
    return row


def records_behind(ind, period_code: str, unit_code: str, user) -> Behind:
    try:
        period = parse_period(period_code)
    except PeriodError:
        raise NotFound from None
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None or unit.kind not in {"city", "district"}:
        raise NotFound
    if (
        not DataValue.objects.for_user(user, "view")
        .filter(indicator=ind, org_unit=unit, period=period.code)
        .exists()
    ):
        raise NotFound
    spec = spec_of(ind)
    parts = []
    total = 0.0
    for part_spec in spec.all_parts():
        source = SOURCES[part_spec.register]
        qs = part_queryset(source, part_spec).filter(period_q(source, part_spec, period))
        if unit.kind == "district" and part_spec.by_district:
            qs = qs.filter(**{source.district: unit.pk})
        register = base.CATALOGUE.get(source.register)
        if register is not None:
            scope = policy_for(register.model).scope(user, "view")
            if scope != EVERYTHING:
                allowed = register.model.objects.filter(scope).values("pk")
                qs = qs.filter(**{f"{source.record or 'pk'}__in": allowed})
        related = [p for p in (source.record,) if p]
        qs = qs.select_related(*related) if related else qs
        factor = None
        if part_spec.measure == "sum":
            unit_of = source.schema.fields[part_spec.field].unit
            if unit_of and unit_of != ind.unit:
                factor = convert(Decimal(1), unit_of, ind.unit)
            qs = qs.order_by(f"-{source.path(part_spec.field)}", "pk")
            amount = qs.aggregate(s=Sum(source.path(part_spec.field)))["s"] or 0
            total += float(amount) * float(factor if factor is not None else 1)
        elif part_spec.measure == "distinct":
            path = source.path(part_spec.field)
            qs = qs.order_by(path, "pk")
            total += qs.aggregate(n=Count(path, distinct=True))["n"]
        else:
            qs = qs.order_by("pk")
            total += qs.count()
        parts.append(Part(source, part_spec, qs, factor))
    stored = (
        DataValue.objects.filter(indicator=ind, org_unit=unit, period=period.code)
        .values_list("value", flat=True)
        .first()
    )
    return Behind(
        period=period.code,
        unit=unit,
        parts=parts,
        rows=RowSequence(parts),
        total=total,
        stored=stored,
        register=base.CATALOGUE.get(parts[0].source.register) if parts else None,
        measure=spec.measure,
    )
