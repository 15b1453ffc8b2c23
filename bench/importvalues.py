"""Speed of `ducha importvalues` on a large CSV (docs/benchmarks.md, "Importing values").

    python bench/importvalues.py --rows 100000 --runs 3 [--profile]

Builds a CSV of `--rows` new approved values (the demo plan's indicators × its reporting units ×
periods from 2001, 街镇 added below the districts as `bench/scale.py` does when the demo's units
are too few; keys the database already holds are skipped), then runs the command on it
`--runs` times in the database `DUCHA_DATABASE_URL` names (else SQLite under `var/`; the demo
is loaded first when there is no plan). Each run is the whole command — reading and checking
every row, the existing-keys lookup, the writes, the audit entries and the assessment store's
refresh — inside a transaction rolled back afterwards, so every run imports the same new rows.
On PostgreSQL each run ends with `SET CONSTRAINTS ALL IMMEDIATE`, inside the timing: the
foreign-key checks Django defers to the commit, which a rolled-back run would otherwise skip.
Prints each run, the median in rows/s against the target (50,000 rows/s on PostgreSQL), the CPU
time of this process (the database server's share is in the wall time only) and the load
average. On PostgreSQL it then times the same-run baseline: the bare COPY of exactly the rows
one import wrote (values, approvals, audit entries, read back with COPY TO), with the same
foreign-key checks, `--runs` times, nothing else: no reading, checking or store refresh.
`--profile` profiles one more run and prints where its time went.

A file above the upload limits (`DUCHA_IMPORT_MAX_ROWS` 250,000 rows, `DUCHA_IMPORT_MAX_MB`
30, `DUCHA_IMPORT_MAX_CELLS`, `DUCHA_IMPORT_MAX_SECONDS`) is refused by the command as by the
import page: for `--rows 1200000` the script raises those limits in its own environment.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET = 50_000  # rows/s on PostgreSQL (issue 13)


class Rollback(Exception):
    """Raised at the end of a run to undo its writes."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the CSV")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile one more run")
    args = parser.parse_args()
    if args.rows < 1 or args.runs < 1:
        parser.error("--rows and --runs must be positive")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    if args.rows > 200_000:  # the command applies the upload limits to its file too
        for name, value in (("DUCHA_IMPORT_MAX_ROWS", args.rows + 1), ("DUCHA_IMPORT_MAX_MB", 1024),
                            ("DUCHA_IMPORT_MAX_CELLS", 10 * args.rows),
                            ("DUCHA_IMPORT_MAX_SECONDS", 3600)):  # fmt: skip
            os.environ.setdefault(name, str(value))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ducha.plans.models import Plan

    call_command("migrate", verbosity=0)
    if not Plan.objects.exists():
        call_command("demo", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.csv"
        path.write_text(build_csv(connection, args.rows), encoding="utf-8")
        print(f"database: {connection.vendor}; {args.rows:,} new approved values in {path.name} "
              f"({path.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
        rates = []
        for run in range(args.runs):
            took, cpu, out = timed_import(path)
            rates.append(args.rows / took)
            print(f"run {run + 1}: {took:.2f} s, {args.rows / took:,.0f} rows/s, "
                  f"{cpu:.2f} s CPU here ({out})")  # fmt: skip
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            timed_import(path)
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative")
            stats.print_stats(30)
        median = statistics.median(rates)
        met = "met" if median >= TARGET else "NOT met"
        print(f"median of {args.runs}: {median:,.0f} rows/s "
              f"(target {TARGET:,} on PostgreSQL: {met})")  # fmt: skip
        if connection.vendor == "postgresql":
            tables = captured_rows(path)
            counts = ", ".join(f"{n:,} {t}" for t, (n, _) in tables.items())
            steps = [bare_copy(tables) for _ in range(args.runs)]
            bare = [sum(step.values()) for step in steps]
            each = ", ".join(f"{t:.2f} s" for t in bare)
            parts = ", ".join(f"{name} {took:.2f} s" for name, took in steps[-1].items())
            base = args.rows / statistics.median(bare)
            print(f"baseline, the bare COPY of the rows one import wrote ({counts}) with their "
                  f"foreign-key checks: {each}; median {base:,.0f} rows/s; the import is "
                  f"{base / median:.2f}x its time")  # fmt: skip
            print(f"the last baseline run by step: {parts}")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def timed_import(path: Path) -> tuple[float, float, str]:
    """One run of the command, undone afterwards: (wall s, this process's CPU s, its output)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    out = io.StringIO()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        with transaction.atomic():
            call_command("importvalues", str(path), stdout=out)
            deferred_checks(connection)
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            raise Rollback
    except Rollback:
        pass
    return took, cpu, out.getvalue().strip()


def deferred_checks(connection) -> None:
    """Run the foreign-key checks a commit would (Django's constraints are deferred)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


WRITTEN = ("datavalues_datavalue", "datavalues_approvedvalue", "audit_auditentry")


def captured_rows(path: Path) -> dict[str, tuple[int, bytes]]:
    """The rows one import writes into each table, as COPY text (the import undone)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    out = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            marks = {}
            for table in WRITTEN:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                marks[table] = cursor.fetchone()[0]
            call_command("importvalues", str(path), stdout=io.StringIO())
            for table in WRITTEN:
                cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE id > %s", [marks[table]])
                count = cursor.fetchone()[0]
                with cursor.cursor.copy(
                    f"COPY (SELECT * FROM {table} WHERE id > {int(marks[table])}) TO STDOUT"
                ) as copy:
                    out[table] = (count, b"".join(bytes(chunk) for chunk in copy))
            raise Rollback
    except Rollback:
        pass
    return out


def bare_copy(tables: dict[str, tuple[int, bytes]]) -> dict[str, float]:
    """Seconds to COPY the captured rows back in, per table, and their foreign-key checks
    (undone afterwards)."""
    from django.db import connection, transaction

    took = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (_, data) in tables.items():
                start = time.perf_counter()
                with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(data)
                took[table] = time.perf_counter() - start
            start = time.perf_counter()
            deferred_checks(connection)
            took["foreign-key checks"] = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return took


def build_csv(connection, n: int) -> str:
    """`n` rows of keys the database does not hold yet, as a unit's statistics office sends."""
    import math

    from scale import _periods

    from ducha.datavalues.models import DataValue
    from ducha.orgunits.models import OrgUnit
    from ducha.plans.models import Indicator, Plan

    plan = Plan.objects.order_by("pk").first()
    reported = Indicator.objects.filter(plan=plan).exclude(source="computed")
    indicators = list(reported.order_by("position", "pk"))
    periods = {ind.pk: [p.code for p in _periods(ind.frequency)] for ind in indicators}
    per_unit = sum(len(p) for p in periods.values())
    held = set(DataValue.objects.values_list("indicator_id", "org_unit_id", "period"))
    needed = math.ceil((n + len(held)) / max(per_unit, 1))
    units = list(OrgUnit.objects.exclude(kind="office").order_by("pk"))
    districts = [u for u in units if u.kind == "district"]
    OrgUnit.objects.bulk_create(
        OrgUnit(code=f"{d.code}I{i:04d}", name=f"{d.name}导入测试{i}街镇", kind="zone", parent=d)
        for i, d in ((len(units) + j, districts[j % len(districts)])
                     for j in range(max(needed - len(units), 0)))
    )  # fmt: skip
    units = list(OrgUnit.objects.exclude(kind="office").order_by("pk"))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["指标代码", "单位代码", "期间", "数值"])
    written = 0
    for unit in units:
        for ind in indicators:
            for i, period in enumerate(periods[ind.pk]):
                if (ind.pk, unit.pk, period) in held:
                    continue
                writer.writerow([ind.code, unit.code, period, f"{40 + (i * 7 + unit.pk) % 50}.5"])
                written += 1
                if written == n:
                    return buffer.getvalue()
    raise SystemExit(f"only {written:,} new keys available")


if __name__ == "__main__":
    main()
