"""Speed of `ducha assess` on 100 indicators × 300 org units × 40 quarters read from a database.

Run from the repository root (after `make install`):

    .venv/bin/python bench/bench_assess.py              # a fresh SQLite file in a temp dir
    .venv/bin/python bench/bench_assess.py --postgres   # a throwaway PostgreSQL (pg_temp.sh)

It builds a fresh database: one plan of 100 indicators in 10 nodes, 300 reporting org units
(280 districts, 20 zones inside the first districts, all under a city that does not report),
and 1.2 million approved values (2011Q1–2020Q4), plus 1 % corrections approved later, and one
value approved after the as-of date. Then it times, as medians of --runs runs:

  1. `ducha assess --format json` end to end, as a separate process (start-up included);
  2. `assess_plan()` alone, in this process;
  3. the baseline, in the same run: a plain fetch of the same rows (indicator, unit, period,
     value) into Python, what the full computation must at least read;
  4. `assess_plan()` from the assessment store (what pages, the API and `ducha assess` do),
     as of the last date and as of an early one (2013-06-30), and the full computation from
     every approval (`from_store=False`), which the store must equal;
  5. rebuilding the store from the approvals (`ducha rebuildassessments`, what the migration
     does on an existing database).

and prints the ratios. The issue's targets: `ducha assess` under 10 s on a 2-core machine; the
assessment independent of how many values are stored.

`--spread` approves each unit's values at a different hour of the round (the realistic case:
a version of the plan-wide value per approval) instead of all at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INDICATORS = 100
UNITS = 300
ZONES = 20
FIRST_YEAR, LAST_YEAR = 2011, 2020
AS_OF = dt.date(2021, 6, 30)  # every quarter's approval is visible
EARLY = dt.date(2013, 6, 30)  # a tenth of them
AGGREGATIONS = ["sum", "sum", "sum", "mean", "max"]
TARGET_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (median)")
    parser.add_argument(
        "--spread", action="store_true", help="approve each unit at a different hour"
    )
    parser.add_argument(
        "--units", type=int, default=UNITS, help="reporting org units (300: 1.2 M values)"
    )
    parser.add_argument(
        "--keep", help="keep the SQLite database in this directory (and reuse it next time)"
    )
    args = parser.parse_args()
    if args.postgres and not os.environ.get("DUCHA_DATABASE_URL"):
        _rerun_under_postgres()
        return
    temporary = None
    if not os.environ.get("DUCHA_DATABASE_URL"):
        data_dir = args.keep or tempfile.mkdtemp(prefix="ducha-bench-")
        temporary = None if args.keep else data_dir
        os.environ["DUCHA_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import django

    django.setup()
    try:
        _set_units(args.units)
        run(args.runs, args.spread)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


def _set_units(units: int) -> None:
    global UNITS, ZONES
    UNITS, ZONES = units, min(ZONES, units // 2)


def _rerun_under_postgres() -> None:
    """Start a throwaway PostgreSQL with scripts/pg_temp.sh and run this script against it."""
    argv = " ".join(f"'{a}'" for a in sys.argv[1:])
    script = (
        f"set -e; source '{ROOT}/scripts/pg_temp.sh'; pg_temp_start; trap pg_temp_stop EXIT; "
        f"DUCHA_DATABASE_URL=\"$PG_TEMP_URL\" '{sys.executable}' '{Path(__file__).resolve()}' "
        f"{argv}"
    )
    sys.exit(subprocess.call(["bash", "-c", script]))


def run(runs: int, spread: bool = False) -> None:
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    from ducha.datavalues.models import DataValue
    from ducha.plans.models import Plan

    plan = Plan.objects.filter(code="bench").first()
    if plan is not None:
        values = DataValue.objects.filter(indicator__plan=plan).count()
        print(f"reusing {values:,} approved values")
    else:
        started = time.perf_counter()
        plan, values = build(spread)
        print(f"built {values:,} approved values in {time.perf_counter() - started:.1f} s")

    from ducha.assessments import store
    from ducha.assessments.models import SeriesVersion
    from ducha.assessments.services import assess_plan

    started = time.perf_counter()
    store.rebuild()
    rebuild = time.perf_counter() - started
    versions = SeriesVersion.objects.count()
    print(f"store rebuilt in {rebuild:.1f} s: {versions:,} versions")

    baseline = _median(runs, lambda: _fetch_rows(plan))
    in_process = _median(runs, lambda: assess_plan(plan, AS_OF))
    early = _median(runs, lambda: assess_plan(plan, EARLY))
    full = _median(runs, lambda: assess_plan(plan, AS_OF, from_store=False))
    command = _median(runs, lambda: _run_command(plan.code))
    startup = _median(runs, lambda: _run_command(plan.code, ["--help"]))
    result = assess_plan(plan, AS_OF)
    same = _same(result, assess_plan(plan, AS_OF, from_store=False))
    statuses = {}
    for r in result.indicators:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1

    print()
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {python}")
    print(f"{'what':44} {'median s':>9} {'ratio':>7}")
    print(f"{'baseline: fetch the same rows (SQL → Python)':44} {baseline:9.2f} {1:7.2f}")
    print(f"{'full computation (from_store=False)':44} {full:9.2f} {full / baseline:7.2f}")
    print(f"{'assess_plan() from the store':44} {in_process:9.3f} {in_process / baseline:7.3f}")
    label = f"assess_plan() from the store as of {EARLY}"
    print(f"{label:44} {early:9.3f} {early / baseline:7.3f}")
    label = "ducha assess --format json (end to end)"
    print(f"{label:44} {command:9.2f} {command / baseline:7.2f}")
    label = "  of which starting: ducha assess --help"
    print(f"{label:44} {startup:9.2f} {startup / baseline:7.2f}")
    label = "  the command less its start"
    print(f"{label:44} {command - startup:9.2f} {(command - startup) / baseline:7.2f}")
    print(f"values per second (ducha assess): {values / command:,.0f}")
    print(f"statuses: {dict(sorted(statuses.items()))}")
    print(f"store and full computation agree: {same}")
    verdict = "PASS" if command < TARGET_SECONDS else "FAIL"
    print(f"target: ducha assess under {TARGET_SECONDS:.0f} s: {verdict}")


def _same(a, b) -> bool:
    return [(r.series, r.result) for r in a.indicators] == [
        (r.series, r.result) for r in b.indicators
    ] and [n.rollup for n, _ in a.walk()] == [n.rollup for n, _ in b.walk()]


def _median(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _fetch_rows(plan) -> int:
    from django.db import connection

    from ducha.datavalues.models import ApprovedValue

    table = ApprovedValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT indicator_id, org_unit_id, period, value FROM {table} "
            f"WHERE indicator_id IN (SELECT id FROM plans_indicator WHERE plan_id = %s)",
            [plan.pk],
        )
        n = 0
        while rows := cursor.fetchmany(50_000):
            n += len(rows)
    return n


def _run_command(code: str, only: list[str] | None = None) -> None:
    """`ducha assess` as a new process; with `only` (e.g. ["--help"]) just those arguments:
    the same interpreter and Django start-up without the assessment, the start-up baseline."""
    ducha = Path(sys.executable).with_name("ducha")
    argv = [str(ducha)] if ducha.exists() else [sys.executable, "-m", "ducha"]
    argv += ["assess"] + (
        only or ["--plan", code, "--as-of", AS_OF.isoformat(), "--format", "json"]
    )
    done = subprocess.run(argv, capture_output=True, env=os.environ.copy(), check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode())
    if not only and b'"indicators"' not in done.stdout:
        raise SystemExit("ducha assess printed no indicators")


# --- building the database ------------------------------------------------------------------


def build(spread: bool = False):
    from django.db import connection, transaction

    from ducha.engine.periods import Period, periods_between
    from ducha.orgunits.models import OrgUnit
    from ducha.plans.models import Indicator, Plan, PlanNode

    rng = random.Random(2018)
    quarters = periods_between(Period("quarter", FIRST_YEAR, 1), Period("quarter", LAST_YEAR, 4))
    with transaction.atomic():
        city = OrgUnit.objects.create(code="B000000", name="基准市", kind="city")
        districts = OrgUnit.objects.bulk_create(
            OrgUnit(code=f"B{i:06d}", name=f"基准区{i}", kind="district", parent=city, position=i)
            for i in range(1, UNITS - ZONES + 1)
        )
        zones = OrgUnit.objects.bulk_create(
            OrgUnit(
                code=f"BZ{i:05d}",
                name=f"基准功能区{i}",
                kind="zone",
                parent=districts[i],
                position=UNITS + i,
            )
            for i in range(ZONES)
        )
        units = districts + zones
        plan = Plan.objects.create(
            code="bench", title="基准计划", period_start=FIRST_YEAR, period_end=LAST_YEAR + 2
        )
        nodes = [
            PlanNode.objects.create(plan=plan, key=str(i), title=f"节点{i}", position=i)
            for i in range(10)
        ]
        indicators = Indicator.objects.bulk_create(
            Indicator(
                plan=plan,
                node=nodes[i % 10],
                code=f"B-{i:03d}",
                name=f"基准指标{i}",
                unit="亿元" if i % 2 else "家",
                direction=1,
                trajectory="growth" if i % 2 else "linear",
                aggregation=AGGREGATIONS[i % len(AGGREGATIONS)],
                target_min=rng.uniform(500, 5000) * (UNITS if i % 5 < 3 else 1),
                comparator=">=",
                deadline=dt.date(LAST_YEAR + 2, 12, 31),
                position=i,
            )
            for i in range(INDICATORS)
        )
        values = _insert_values(connection, indicators, units, quarters, rng, spread)
    return plan, values


def _insert_values(connection, indicators, units, quarters, rng, spread=False) -> int:
    """Raw inserts (COPY on PostgreSQL): the ORM would take minutes for 2.4 M rows."""
    from django.utils import timezone

    from ducha.datavalues.models import ApprovedValue, DataValue

    value_cols = [
        "id", "indicator_id", "org_unit_id", "period", "period_end", "value", "note", "source",
        "status", "is_demo", "version", "created_at", "updated_at", "approved_at", "source_note",
        "source_url",
    ]  # fmt: skip
    approval_cols = [
        "data_value_id", "indicator_id", "org_unit_id", "period", "period_end", "value",
        "approved_at", "source", "source_note", "source_url",
    ]  # fmt: skip
    now = timezone.now()
    approvals_at = {
        q.code: timezone.make_aware(dt.datetime.combine(q.end + dt.timedelta(days=20), dt.time()))
        for q in quarters
    }
    late = timezone.make_aware(dt.datetime.combine(AS_OF + dt.timedelta(days=30), dt.time()))
    adapt = connection.ops.adapt_datetimefield_value
    value_rows, approval_rows = [], []
    pk = 0
    for ind in indicators:
        for u, unit in enumerate(units):
            offset = dt.timedelta(hours=u % 240) if spread else dt.timedelta()
            level = rng.uniform(10, 100)
            growth = 1 + rng.uniform(-0.01, 0.05)
            for q in quarters:
                pk += 1
                level *= growth
                value = round(level, 2)
                at = approvals_at[q.code] + offset
                value_rows.append(
                    (pk, ind.pk, unit.pk, q.code, q.end, value, "", "stats_annual", "approved",
                     False, 1, adapt(now), adapt(now), adapt(at), "", "")
                )  # fmt: skip
                approval_rows.append(
                    (pk, ind.pk, unit.pk, q.code, q.end, value, adapt(at), "stats_annual", "", "")
                )
                if pk % 100 == 0:  # a correction approved a month later
                    correction = at + dt.timedelta(days=30)
                    approval_rows.append(
                        (pk, ind.pk, unit.pk, q.code, q.end, round(value * 1.01, 2),
                         adapt(correction), "stats_annual", "", "")
                    )  # fmt: skip
    # One value approved after the as-of date, which the assessment must not see.
    approval_rows.append((1, indicators[0].pk, units[0].pk, quarters[0].code, quarters[0].end,
                          999999, adapt(late), "stats_annual", "", ""))  # fmt: skip
    _bulk_insert(connection, DataValue._meta.db_table, value_cols, value_rows)
    _bulk_insert(connection, ApprovedValue._meta.db_table, approval_cols, approval_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = DataValue._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM "
                f"{table}))"
            )
            cursor.execute(f"ANALYZE {table}; ANALYZE {ApprovedValue._meta.db_table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(value_rows)


def _bulk_insert(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor: COPY is ten times faster than INSERT
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        for start in range(0, len(rows), 100_000):
            cursor.executemany(sql, rows[start : start + 100_000])


if __name__ == "__main__":
    main()
