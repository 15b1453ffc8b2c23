#!/usr/bin/env python3
"""Server time of the dashboard pages with the full demo data, in process (no network).

Loads the demo into a throwaway SQLite database (or DUCHA_DATABASE_URL when set), then times
each page through Django's full request path (middleware, view, template) and prints the
median and 95th percentile, with the ratio to the login page measured in the same run. The
cockpit is timed twice: as leaders meet it (its assessment memoised and body cached until the
data change) and as the first view after a write (nothing memoised).

    .venv/bin/python bench/dashboards_pages.py [--repeat 40]

Target (issue 6): cockpit and indicator pages under 150 ms of server time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DUCHA_DATA_DIR", tempfile.mkdtemp(prefix="ducha-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from ducha.dashboards import selectors

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    from ducha.demo.services import load_demo

    demo = load_demo()
    print(f"demo loaded in {time.perf_counter() - started:.1f} s: {demo.values} values")
    plan = demo.plan.code
    pages = [
        ("login page (baseline)", "/login/", None),
        ("cockpit", f"/dashboards/{plan}/", "leader"),
        ("cockpit, first view after new data", f"/dashboards/{plan}/", "leader"),
        ("cockpit, replay step", f"/dashboards/{plan}/?as_of=2019-06-30&fragment=1", "leader"),
        ("indicator TJ-GOAL-SCALE", f"/dashboards/{plan}/indicators/TJ-GOAL-SCALE/", "leader"),
        ("map", f"/dashboards/{plan}/map/", "leader"),
        ("unit scorecard 滨海新区", f"/dashboards/{plan}/units/120116/", "office"),
        ("scorecards of all units", f"/dashboards/{plan}/units/", "office"),
        ("plan tree, filtered", f"/dashboards/{plan}/tree/?status=limited_progress", "office"),
    ]
    from ducha.accounts.models import User

    results = []
    for label, url, who in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if who:
            client.force_login(User.objects.get(username=who))
        for _ in range(3):  # warm up: templates, URL resolvers, caches of the first request
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times = []
        cold = "after new data" in label
        for _ in range(args.repeat):
            if cold:  # what a write does: the memoised assessment and cached body are stale
                cache.clear()
                selectors._MEMO.clear()
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        results.append((label, statistics.median(times), p95, len(response.content)))
    base = results[0][1]
    print(f"\n{'page':32} {'median ms':>10} {'p95 ms':>8} {'× login':>8} {'HTML bytes':>11}")
    for label, median, p95, size in results:
        print(f"{label:32} {median:10.1f} {p95:8.1f} {median / base:8.1f} {size:11,}")
    worst = max(m for label, m, _p, _s in results if label.startswith(("cockpit", "indicator")))
    print(f"\ncockpit and indicator pages: slowest median {worst:.1f} ms (target < 150 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
