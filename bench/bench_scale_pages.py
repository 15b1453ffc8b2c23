"""Server time of the pages issue 13 names, at whatever size the database holds.

    python bench/scale.py --values 1200000 --enterprises 1000000   # once
    python bench/bench_scale_pages.py [--runs 7]

Uses the database `DUCHA_DATABASE_URL` names, else SQLite under `DUCHA_DATA_DIR` (`var/`):
build it with `bench/scale.py` (or `ducha demo` for the demo-size figures). Requests go through
Django's test client (the whole middleware and template stack, no network) as the office.

Each page is measured twice: the **first view** (the cache emptied before each request, so
nothing memoised serves it) and the **repeat** (the median of --runs requests right after).
The baseline, in the same run, is the login page. `/api/values` is read on its first page and
deep in the table (a million rows in): by cursor on this code, by offset on code before keyset
pages (the script sees which from the answer). The banner's question ("any demo values?") is
also timed alone, on a database with no demo values (the demo rows are flagged off inside a
transaction that is rolled back).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="repeat requests per page (median)")
    parser.add_argument("--indicator", default="TJ-GOAL-SCALE")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files not collected
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    import logging

    logging.getLogger("ducha.access").setLevel(logging.WARNING)  # one line per request
    run(args)


def run(args) -> None:
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client

    from ducha.accounts.models import User
    from ducha.datavalues.models import ApprovedValue, DataValue
    from ducha.plans.models import Plan

    plan = Plan.objects.order_by("pk").first()
    values, approvals = DataValue.objects.count(), ApprovedValue.objects.count()
    client = Client()
    client.force_login(User.objects.filter(role="office").order_by("pk").first())
    anonymous = Client()
    deep = DataValue.objects.order_by("pk").values_list("pk", flat=True)[
        min(1_000_000, max(values - 101, 0))
    ]

    def timed(c, url) -> tuple[float, int, object]:
        start = time.perf_counter()
        response = c.get(url)
        took = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return took, len(response.content), response

    def measure(name, c, url):
        cache.clear()
        first, size, response = timed(c, url)
        repeat = statistics.median(timed(c, url)[0] for _ in range(args.runs))
        return name, first, repeat, size, response

    ind = f"/plans/{plan.code}/indicators/{args.indicator}/"
    rows = [
        measure("login page (baseline)", anonymous, "/login/"),
        measure("indicator page, summary", client, ind),
        measure("indicator page, page 2", client, ind + "?page=2"),
        measure("indicator page, full table of a page", client, ind + "?table=1"),
        measure("/api/values first page (100)", client, "/api/values?limit=100"),
    ]
    name, first, repeat, size, response = measure(
        "/api/values 100 rows, 1 M in (cursor)", client, f"/api/values?limit=100&cursor={deep}"
    )
    if "count" in response.json():  # code before keyset pages: the same rows by offset
        index = DataValue.objects.filter(pk__lte=deep).count()
        name, first, repeat, size, response = measure(
            "/api/values 100 rows, 1 M in (offset)", client, f"/api/values?limit=100&offset={index}"
        )
    rows.append((name, first, repeat, size, response))

    with transaction.atomic():
        DataValue.objects.filter(is_demo=True).update(is_demo=False)
        banner = []
        for _ in range(args.runs):
            start = time.perf_counter()
            DataValue.objects.filter(is_demo=True).exists()
            banner.append((time.perf_counter() - start) * 1000)
        transaction.set_rollback(True)

    base = rows[0][2]
    print(f"database: {connection.vendor}; plan {plan.code}; {values:,} values, "
          f"{approvals:,} approvals; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'page':42} {'first ms':>9} {'repeat ms':>10} {'× login':>8} {'bytes':>10}")
    for name, first, repeat, size, _response in rows:
        print(f"{name:42} {first:9.1f} {repeat:10.1f} {repeat / base:8.1f} {size:10,}")
    print(f"demo-banner question with no demo values: {statistics.median(banner):.2f} ms "
          f"(median of {args.runs})")  # fmt: skip


if __name__ == "__main__":
    main()
