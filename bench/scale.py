"""A scale dataset in seconds, on top of the demo (docs/benchmarks.md, "Scale dataset").

    python bench/scale.py --values 1200000 --enterprises 1000000

Builds, in the database `DUCHA_DATABASE_URL` names (else SQLite under `DUCHA_DATA_DIR`, default
`var/`), on top of the demo's plan and org units (`ducha demo` runs first when the database has
no plan yet; its time is printed apart):

* reporting units below the districts (街镇, kind "zone"), as many as the values need;
* approved values for every indicator of the demo plan × every unit × every period of the
  indicator's frequency from 2001 (quarters or years), growing with noise; one in fifty was
  reopened and re-approved a month later with a corrected figure (two approvals, version 3),
  one in a thousand is reopened now (a draft with its earlier approval kept);
* enterprises with three years of revenue (2018–2020) and a tier for one in twenty, spread over
  the 16 districts and the plan's industries, as a register loaded over years would be.

Rows go straight into the tables: COPY on PostgreSQL, `executemany` on SQLite, in one
transaction, then the assessment store is rebuilt (timed apart: the services keep it current,
raw rows do not). On PostgreSQL the loaded tables' plain indexes and foreign keys are dropped
in that transaction and rebuilt after the rows (`bulk_load`: one sort per index and one join
per foreign key instead of millions of insertions and trigger checks). The demo's own values
are kept; their keys are skipped. Prints what it built and the time. Run it once on a fresh
database: a second run adds nothing and says so (and should the values be gone while its 街镇
and enterprises stay, it numbers new ones on from them rather than failing on their codes).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_YEAR, LAST_YEAR = 2001, 2020
SCALE_NOTE = "scale"  # DataValue.note of every value built here, so a second run can tell
SCALE_ENTERPRISE = "规模企业"  # the name every enterprise built here starts with
INDUSTRIES = ["robot", "software", "hardware", "sensor", "vrar", "icv", "manufacturing", "health"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", type=int, default=1_200_000, help="values to add")
    parser.add_argument("--enterprises", type=int, default=1_000_000, help="enterprises to add")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    if args.values < 0 or args.enterprises < 0:
        parser.error("--values and --enterprises must not be negative")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ducha.assessments import store
    from ducha.datavalues.models import DataValue
    from ducha.plans.models import Plan

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Plan.objects.exists():
        call_command("demo", verbosity=0)
        print(f"demo loaded in {time.perf_counter() - started:.1f} s (not counted below)")
    if DataValue.objects.filter(note=SCALE_NOTE).exists():
        raise SystemExit("this database already holds the scale dataset: nothing added")
    start, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), bulk_load(connection, LOADED) as rebuilt_after:
        built = build(connection, args.values, args.enterprises, random.Random(args.seed))
    analyse(connection)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    # Raw rows bypass the services that keep the assessment store current: rebuild it now, so
    # that a page bench's first view measures a page, not the store catching up.
    store_started = time.perf_counter()
    rebuilt = store.rebuild()
    store_took = time.perf_counter() - store_started
    print(f"database: {connection.vendor}")
    for line in built:
        print(line)
    if rebuilt_after:
        print(rebuilt_after[0])
    print(f"assessment store rebuilt for {rebuilt} indicators in {store_took:.1f} s (apart)")
    # the machine is shared: this process's own CPU time says how much of the wall time was
    # waiting for a core (the database server's work is in the wall time only)
    print(f"built in {took:.1f} s (target < 60 s); this process used {cpu:.1f} s of CPU")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def build(connection, n_values: int, n_enterprises: int, rng: random.Random) -> list[str]:
    from ducha.datavalues.models import DataValue
    from ducha.plans.models import Indicator, Plan

    plan = Plan.objects.order_by("pk").first()
    indicators = list(Indicator.objects.filter(plan=plan).order_by("position", "pk"))
    per_unit = sum(len(_periods(ind.frequency)) for ind in indicators)
    demo_values = DataValue.objects.count()  # their keys are skipped: room for them too
    units, added_units = _units(connection, math.ceil((n_values + demo_values) / max(per_unit, 1)))
    values, approvals, reopened, corrected = _values(connection, indicators, units, n_values, rng)
    years, tiers = _enterprises(connection, n_enterprises, rng)
    return [
        f"plan {plan.code}: {len(indicators)} indicators; {len(units)} reporting units "
        f"({added_units} added below the districts)",
        f"values: {values:,} added ({approvals:,} approvals: {corrected:,} reopened and "
        f"re-approved, {reopened:,} reopened now), periods {FIRST_YEAR}-{LAST_YEAR}",
        f"enterprises: {n_enterprises:,} added with {years:,} yearly figures and {tiers:,} tiers",
    ]


def _periods(frequency: str):
    from ducha.engine.periods import Period, periods_between

    kind = "year" if frequency == "year" else "quarter"
    first = Period(kind, FIRST_YEAR, 1) if kind == "quarter" else Period(kind, FIRST_YEAR)
    last = Period(kind, LAST_YEAR, 4) if kind == "quarter" else Period(kind, LAST_YEAR)
    return periods_between(first, last)


def _units(connection, needed: int):
    """The demo's reporting units, and 街镇 below the districts until there are `needed`."""
    from ducha.orgunits.models import OrgUnit

    existing = list(OrgUnit.objects.exclude(kind="office").order_by("pk"))
    districts = [u for u in existing if u.kind == "district"]
    extra = max(needed - len(existing), 0)
    position = (OrgUnit.objects.order_by("-position").values_list("position", flat=True).first()
                or 0)  # fmt: skip
    # numbered on from the 街镇 an earlier run left (its values since deleted, say): a code
    # taken is skipped, never written twice
    taken = set(OrgUnit.objects.values_list("code", flat=True))
    new, i = [], 0
    while len(new) < extra:
        district, number = districts[i % len(districts)], i // len(districts) + 1
        code = f"{district.code}S{number:03d}"
        i += 1
        if code in taken:
            continue
        new.append(OrgUnit(code=code, name=f"{district.name}第{number}街镇", kind="zone",
                           parent=district, position=position + len(new) + 1))  # fmt: skip
    OrgUnit.objects.bulk_create(new, batch_size=500)
    created = list(OrgUnit.objects.filter(code__in=[u.code for u in new]).order_by("pk"))
    return existing + created, extra


def _values(connection, indicators, units, n_values: int, rng: random.Random):
    from django.utils import timezone

    from ducha.accounts.models import User
    from ducha.datavalues.models import ApprovedValue, DataValue

    adapt = connection.ops.adapt_datetimefield_value
    office = User.objects.filter(role="office").order_by("pk").values_list("pk", flat=True).first()
    taken = set(DataValue.objects.values_list("indicator_id", "org_unit_id", "period"))
    now = adapt(timezone.now())
    value_rows, approval_rows = [], []
    next_value = _next_id(DataValue)
    reopened = corrected = 0
    approved_at = {}
    for ind in indicators:
        periods = _periods(ind.frequency)
        for unit in units:
            if len(value_rows) >= n_values:
                break
            level = rng.uniform(5, 500)
            growth = 1 + rng.uniform(-0.01, 0.04)
            for period in periods:
                if len(value_rows) >= n_values:
                    break
                level *= growth * rng.uniform(0.98, 1.02)
                if (ind.pk, unit.pk, period.code) in taken:
                    continue
                pk = next_value
                next_value += 1
                if period.code not in approved_at:
                    at = timezone.make_aware(
                        dt.datetime.combine(period.end + dt.timedelta(days=20), dt.time(10))
                    )
                    approved_at[period.code] = (
                        adapt(at),
                        adapt(at + dt.timedelta(days=30)),
                        period.end.isoformat(),
                    )
                at, later, end = approved_at[period.code]
                value = round(level, 2)
                status, version, final_at = "approved", 1, at
                approval_rows.append((pk, ind.pk, unit.pk, period.code, end, value,
                                      at, office, "unit_report", "", ""))  # fmt: skip
                if pk % 50 == 0:  # reopened for a correction and re-approved a month later
                    corrected += 1
                    value = round(value * 1.01, 2)
                    approval_rows.append((pk, ind.pk, unit.pk, period.code, end, value,
                                          later, office, "unit_report", "", ""))  # fmt: skip
                    version, final_at = 3, later
                elif pk % 1000 == 1:  # reopened now: a draft, its earlier approval stands
                    reopened += 1
                    status, version, final_at = "draft", 2, None
                value_rows.append((pk, ind.pk, unit.pk, period.code, end, value,
                                   SCALE_NOTE, "unit_report", "", "", status, False, version,
                                   now, now, final_at, office if final_at else None))  # fmt: skip
    _copy(connection, DataValue._meta.db_table, [
        "id", "indicator_id", "org_unit_id", "period", "period_end", "value", "note", "source",
        "source_note", "source_url", "status", "is_demo", "version", "created_at", "updated_at",
        "approved_at", "approved_by_id",
    ], value_rows)  # fmt: skip
    _copy(connection, ApprovedValue._meta.db_table, [
        "data_value_id", "indicator_id", "org_unit_id", "period", "period_end", "value",
        "approved_at", "approved_by_id", "source", "source_note", "source_url",
    ], approval_rows)  # fmt: skip
    _reset_sequence(connection, DataValue)
    _reset_sequence(connection, ApprovedValue)
    return len(value_rows), len(approval_rows), reopened, corrected


def _enterprises(connection, n: int, rng: random.Random):
    from ducha.engine.creditcode import make_code
    from ducha.enterprises.models import Enterprise, EnterpriseTier, EnterpriseYear
    from ducha.orgunits.models import OrgUnit

    districts = list(OrgUnit.objects.filter(kind="district").values_list("pk", "code"))
    first = _next_id(Enterprise)
    # numbered on from the enterprises an earlier run added: credit codes are unique
    start = Enterprise._base_manager.filter(name__startswith=SCALE_ENTERPRISE).count()
    first_year, first_tier = _next_id(EnterpriseYear), _next_id(EnterpriseTier)
    stamp = "2024-01-01 00:00:00+00:00"
    ent, years, tiers = [], [], []
    for i in range(n):
        pk = first + i
        district, division = districts[i % len(districts)]
        # organisation codes from 800000000 up: the demo's codes are random below that
        code = make_code(f"91{division}{800_000_000 + start + i:09d}")
        ent.append((pk, f"{SCALE_ENTERPRISE}{start + i + 1:07d}有限公司", code, district,
                    INDUSTRIES[i % len(INDUSTRIES)], stamp, stamp, False, "", ""))  # fmt: skip
        revenue = rng.uniform(10, 5000)
        for y, year in enumerate((2018, 2019, 2020)):
            years.append((first_year + 3 * i + y, pk, year, round(revenue * (1 + 0.1 * y), 2)))
        if i % 20 == 0:
            tiers.append((first_tier + len(tiers), pk, "leader" if i % 40 else "gazelle",
                          f"{2017 + i % 4}-0{1 + i % 9}-01", ""))  # fmt: skip
    _copy(connection, Enterprise._meta.db_table, [
        "id", "name", "credit_code", "district_id", "main_industry", "created_at", "updated_at",
        "is_demo", "note", "address",
    ], ent)  # fmt: skip
    _copy(connection, EnterpriseYear._meta.db_table,
          ["id", "enterprise_id", "year", "revenue"], years)  # fmt: skip
    _copy(connection, EnterpriseTier._meta.db_table,
          ["id", "enterprise_id", "tier", "since", "note"], tiers)  # fmt: skip
    for model in (Enterprise, EnterpriseYear, EnterpriseTier):
        _reset_sequence(connection, model)
    return len(years), len(tiers)


def _next_id(model) -> int:
    last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _copy(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL (ten times INSERT's speed), batched executemany on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # the sqlite3 cursor itself: Django's wrapper rewrites every row's placeholders
        marks = ", ".join(["?"] * len(columns))
        cursor.cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
        )


def _reset_sequence(connection, model) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's rowid continues from the largest id
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(max(id), 1) FROM {table}))"
        )


LOADED = [
    "datavalues_datavalue", "datavalues_approvedvalue", "enterprises_enterprise",
    "enterprises_enterpriseyear", "enterprises_enterprisetier",
]  # fmt: skip


@contextlib.contextmanager
def bulk_load(connection, tables: list[str]):
    """On PostgreSQL, load `tables` the way a bulk load is done: their plain indexes and
    foreign keys are dropped (in the build's transaction), the rows copied, then the indexes
    built once by sorting and the foreign keys checked once by a join. Row by row, the
    deferred foreign-key checks and index insertions were most of the build's time (the
    process itself used 29 s of CPU of 361 s). Primary keys and unique constraints stay.
    Yields a list that receives one line saying what was rebuilt and its time."""
    said: list[str] = []
    if connection.vendor != "postgresql":
        yield said
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        foreign = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in foreign:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield said
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    said.append(
        f"{len(indexes)} indexes and {len(foreign)} foreign keys of the loaded tables dropped "
        f"before the rows and rebuilt after them in {time.perf_counter() - start:.1f} s "
        "(counted in the build)"
    )


def analyse(connection) -> None:
    """Fresh planner statistics: without them PostgreSQL plans for the demo's row counts."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
