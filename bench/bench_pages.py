"""Server time of the plan page with the demo data, and its query count.

Run from the repository root (after `make install`):

    .venv/bin/python bench/bench_pages.py [--runs 30] [--postgres]

Builds a fresh database (SQLite in a temp dir, or a throwaway PostgreSQL with --postgres),
loads `ducha demo`, then requests pages through Django's test client (the whole middleware and
template stack, no network) as the office, which sees every indicator:

  * the baseline, in the same run: the login page (middleware, session, one small template);
  * the plan page, as of 2019-12-31 and as of today;
  * one indicator page.

Prints the median server time of --runs requests each, the ratio to the baseline, and the
number of SQL queries per page. The issue's target: the plan page under 100 ms.
"""

from __future__ import annotations

import argparse
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
TARGET_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per page (median)")
    parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL")
    args = parser.parse_args()
    if args.postgres and not os.environ.get("DUCHA_DATABASE_URL"):
        argv = " ".join(f"'{a}'" for a in sys.argv[1:])
        script = (
            f"set -e; source '{ROOT}/scripts/pg_temp.sh'; pg_temp_start; trap pg_temp_stop EXIT;"
            f" DUCHA_DATABASE_URL=\"$PG_TEMP_URL\" '{sys.executable}' "
            f"'{Path(__file__).resolve()}' {argv}"
        )
        sys.exit(subprocess.call(["bash", "-c", script]))
    temporary = None
    if not os.environ.get("DUCHA_DATABASE_URL"):
        temporary = os.environ["DUCHA_DATA_DIR"] = tempfile.mkdtemp(prefix="ducha-bench-pages-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files not collected
    django.setup()
    try:
        run(max(args.runs, 20))
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


def run(runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from ducha.accounts.models import User
    from ducha.demo.services import load_demo

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    demo = load_demo()
    code = demo.plan.code
    indicators = demo.plan.indicators.count()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="office"))
    anonymous = Client(HTTP_HOST="127.0.0.1")
    pages = [
        ("baseline: login page", anonymous, reverse("login"), {}),
        ("plan page, as of 2019-12-31", client, reverse("plans:detail", args=[code]),
         {"as_of": "2019-12-31"}),
        ("plan page, default date", client, reverse("plans:detail", args=[code]), {}),
        ("indicator page TJ-GOAL-SCALE", client,
         reverse("plans:indicator", args=[code, "TJ-GOAL-SCALE"]), {"as_of": "2019-12-31"}),
    ]  # fmt: skip
    results = []
    for label, who, url, params in pages:
        who.get(url, params)  # warm the template and translation caches
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = who.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            who.get(url, params)
        results.append((label, statistics.median(times), len(queries)))

    base = results[0][1]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}")  # fmt: skip
    print(f"demo: {indicators} indicators, {demo.values:,} values; {runs} requests per page")
    print(f"{'page':32} {'median ms':>10} {'ratio':>7} {'queries':>8}")
    for label, ms, n in results:
        print(f"{label:32} {ms:10.1f} {ms / base:7.1f} {n:8d}")
    plan_ms = max(ms for label, ms, _ in results if label.startswith("plan page"))
    verdict = "PASS" if plan_ms < TARGET_MS else "FAIL"
    print(f"target: plan page under {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
