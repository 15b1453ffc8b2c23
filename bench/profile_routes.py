"""One first-view request of every route in the load test's mix, profiled, with its SQL.

    python bench/profile_routes.py [--user office] [--top 15] [--sql-ms 2] [--route plan]

Uses the database `DUCHA_DATABASE_URL` names (e.g. a copy of the scale database), through
Django's test client. Before each request every cache and per-process memo is emptied (a first
view). Prints, per route: the server time, the number of queries and their total time, every
query slower than --sql-ms with its duration, and cProfile's top functions by cumulative time.
A tool to find what grows with the data; the figures to quote come from bench_scale_pages.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAN = os.environ.get("BENCH_PLAN", "tianjin-2018-ai")


def routes(plan: str) -> list[tuple[str, str]]:
    return [
        ("login page", "/login/"),
        ("plan page", f"/plans/{plan}/"),
        ("cockpit", f"/dashboards/{plan}/"),
        ("indicator page", f"/plans/{plan}/indicators/TJ-GOAL-SCALE/"),
        ("indicator page 2", f"/plans/{plan}/indicators/TJ-GOAL-PILOT/"),
        ("dashboard indicator", f"/dashboards/{plan}/indicators/TJ-GOAL-SCALE/"),
        ("ranking", "/scorecards/"),
        ("/api/assessments", f"/api/assessments/{plan}"),
        ("/api/values", "/api/values?limit=100"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--user", default="office", help="username to sign in as")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sql-ms", type=float, default=2.0)
    parser.add_argument("--route", help="only routes whose name contains this")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    import logging

    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("ducha.access").setLevel(logging.WARNING)
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ducha.accounts.models import User
    from ducha.dashboards import selectors

    client = Client()
    if args.user != "anonymous":
        client.force_login(User.objects.get(username=args.user))
    todo = [(n, u) for n, u in routes(PLAN) if not args.route or args.route in n]
    for name, url in todo:
        client.get(url)  # warm templates and translations once
        # the values API's second page
        if name == "/api/values":
            following = client.get(url).json().get("next")
            if following:
                todo.append(("/api/values next", following))
    for name, url in todo:
        selectors._MEMO.clear()
        for cache in caches.all():
            cache.clear()
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url) if args.no_profile else profiler.runcall(client.get, url)
            took = (time.perf_counter() - started) * 1000
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"\n=== {name} {url} as {args.user}: HTTP {response.status_code}, {took:.0f} ms, "
              f"{len(response.content):,} bytes, {len(queries)} queries {sql:.0f} ms")  # fmt: skip
        for q in queries.captured_queries:
            ms = float(q["time"]) * 1000
            if ms >= args.sql_ms:
                print(f"  {ms:8.1f} ms  {q['sql'][:300]}")
        if not args.no_profile:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
            lines = [ln for ln in out.getvalue().splitlines() if ln.strip()]
            print("\n".join(lines[-args.top - 1 :]))
    print(f"\nload average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
