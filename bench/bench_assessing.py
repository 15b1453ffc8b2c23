"""Server time of every page that assesses, at demo size and at 1.2 million values.

Run from the repository root (after `make install`):

    .venv/bin/python bench/bench_assessing.py [--runs 15] [--postgres] [--keep DIR] [--spread]

Two databases, the same pages (Django's test client: the whole middleware and template stack,
no network), as the office, which sees everything:

  * demo: `ducha demo` (the Tianjin plan, about 2,700 values);
  * scale: the plan of `bench/bench_assess.py` (100 indicators × 300 org units × 40 quarters:
    1.2 million approved values, plus corrections), built with raw inserts and taken into the
    assessment store as `migrate` would (`ducha rebuildassessments`). `--spread` approves each
    unit at a different hour (a store version per approval, not one per round).

Pages: the plan page, the cockpit, one indicator page (plans and dashboards), the scorecards
and `/api/assessments/<plan>`, each as of the latest date and as of an early one. Each is
timed "first view" (every per-process memo emptied before each request: what a page costs
when its data just changed or another process answers) and "repeat" (the same request again),
as medians of --runs requests, beside the login page as the same-run baseline. The issue's
target: every assessing page, first view, under 150 ms at 1.2 M values and within 1.5× of the
same page at demo size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
TARGET_MS = 150.0
TARGET_RATIO = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="requests per page (median)")
    parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL")
    parser.add_argument("--keep", help="keep the scale SQLite database here (and reuse it)")
    parser.add_argument("--spread", action="store_true", help="approve each unit at its hour")
    parser.add_argument("--only", choices=["demo", "scale"], help="one of the two databases")
    args = parser.parse_args()
    if args.postgres and not os.environ.get("DUCHA_DATABASE_URL"):
        argv = " ".join(f"'{a}'" for a in sys.argv[1:] if a != "--postgres")
        script = (
            f"set -e; source '{ROOT}/scripts/pg_temp.sh'; pg_temp_start; trap pg_temp_stop EXIT;"
            f" DUCHA_DATABASE_URL=\"$PG_TEMP_URL\" '{sys.executable}' "
            f"'{Path(__file__).resolve()}' --postgres {argv}"
        )
        sys.exit(subprocess.call(["bash", "-c", script]))
    results = {}
    for which in ("demo", "scale"):
        if args.only and args.only != which:
            continue
        results[which] = _in_child(which, args)
    _report(results, args.runs)


def _in_child(which: str, args) -> list[tuple]:
    """Each database in its own process (Django is set up once per process)."""
    import json

    env = os.environ.copy()
    temporary = None
    if not env.get("DUCHA_DATABASE_URL"):
        if which == "scale" and args.keep:
            env["DUCHA_DATA_DIR"] = args.keep
        else:
            temporary = env["DUCHA_DATA_DIR"] = tempfile.mkdtemp(prefix=f"ducha-bench-{which}-")
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", which, str(args.runs)]
    if args.spread:
        argv.append("--spread")
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    for line in done.stderr.splitlines():
        if "ducha.access" not in line:  # the access log of every request
            print(line, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(which: str, runs: int, spread: bool) -> None:
    import json
    import warnings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files not collected
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if which == "demo":
        from ducha.demo.services import load_demo

        plan = load_demo().plan
        early = dt.date(2019, 6, 30)
        late = dt.date(2021, 3, 31)
    else:
        import bench_assess

        from ducha.assessments import store
        from ducha.plans.models import Plan

        plan = Plan.objects.filter(code="bench").first()
        if plan is None:
            started = time.perf_counter()
            plan, _ = bench_assess.build(spread)
            print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            started = time.perf_counter()
            store.rebuild()
            print(f"store rebuilt in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        early = dt.date(2013, 6, 30)
        late = bench_assess.AS_OF
    rows = measure(plan, runs, early, late)
    meta = {"vendor": connection.vendor, "values": _count_values(plan)}
    print(json.dumps([meta, rows]))


def _count_values(plan) -> int:
    from ducha.datavalues.models import ApprovedValue

    return ApprovedValue.objects.filter(indicator__plan=plan).count()


def measure(plan, runs: int, early: dt.date, late: dt.date) -> list[tuple]:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from ducha.accounts.models import User
    from ducha.dashboards import selectors

    office = User.objects.filter(role="office").first() or User.objects.create_user(
        "bench-office", password="x", role="office"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    indicator = plan.indicators.order_by("position", "pk").first()
    pages = [("baseline: login page", anonymous, reverse("login"), {})]
    for label, day in (("latest", late), ("early", early)):
        params = {"as_of": day.isoformat()}
        pages += [
            (f"plan page ({label})", client, reverse("plans:detail", args=[plan.code]), params),
            (f"cockpit ({label})", client, reverse("dashboards:cockpit", args=[plan.code]),
             params),
            (f"indicator page ({label})", client,
             reverse("plans:indicator", args=[plan.code, indicator.code]), params),
            (f"dashboard indicator ({label})", client,
             reverse("dashboards:indicator", args=[plan.code, indicator.code]), params),
            (f"scorecards ({label})", client, reverse("scorecards:ranking"),
             {"plan": plan.code}),
            (f"/api/assessments ({label})", client, f"/api/assessments/{plan.code}", params),
        ]  # fmt: skip

    def forget():
        """First view: the cockpit's memo and every cache (its cached body) emptied."""
        selectors._MEMO.clear()
        for cache in caches.all():
            cache.clear()

    out = []
    for label, who, url, params in pages:
        response = who.get(url, params)  # warm templates and translations
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        first, repeat = [], []
        for _ in range(runs):
            forget()
            started = time.perf_counter()
            who.get(url, params)
            first.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            who.get(url, params)
            repeat.append((time.perf_counter() - started) * 1000)
        forget()
        with CaptureQueriesContext(connection) as queries:
            who.get(url, params)
        out.append((label, statistics.median(first), statistics.median(repeat), len(queries)))
    return out


def _report(results: dict, runs: int) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load {load:.1f}; {runs} requests per page")  # fmt: skip
    tables = {which: {row[0]: row for row in rows} for which, (meta, rows) in results.items()}
    for which, (meta, _) in results.items():
        print(f"{which}: {meta['vendor']}, {meta['values']:,} approved values")
    print(f"{'page':34} {'demo first':>10} {'repeat':>8} {'scale first':>11} {'repeat':>8} "
          f"{'scale/demo':>10} {'queries':>9}")  # fmt: skip
    labels = next(iter(tables.values())).keys()
    verdicts = []
    for label in labels:
        d = tables.get("demo", {}).get(label)
        s = tables.get("scale", {}).get(label)
        cells = [f"{label:34}"]
        cells.append(f"{d[1]:10.1f} {d[2]:8.1f}" if d else f"{'':10} {'':8}")
        cells.append(f"{s[1]:11.1f} {s[2]:8.1f}" if s else f"{'':11} {'':8}")
        ratio = s[1] / d[1] if d and s else None
        cells.append(f"{ratio:10.2f}" if ratio else f"{'':10}")
        cells.append(f"{(d or s)[3]:>4}/{s[3] if s else '':<4}")
        print(" ".join(cells))
        if s and not label.startswith("baseline"):
            verdicts.append(s[1] < TARGET_MS and (ratio is None or ratio <= TARGET_RATIO))
    if verdicts:
        verdict = "PASS" if all(verdicts) else "FAIL"
        print(f"target: first view under {TARGET_MS:.0f} ms at scale and within "
              f"{TARGET_RATIO}× of demo: {verdict}")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), "--spread" in sys.argv)
    else:
        main()
