"""Server time of the pages issue 13 names, at 1.2 M values and at demo size, in one run.

    python bench/scale.py --values 1200000 --enterprises 1000000   # once, in the scale database
    DUCHA_DATABASE_URL=<scale> python bench/bench_scale_pages.py --demo-url <demo> [--runs 5]

The scale database is `DUCHA_DATABASE_URL` (else SQLite under `DUCHA_DATA_DIR`); the demo-size
database is `--demo-url` (a database where `ducha demo` ran; without it only the scale side is
measured). Each database is measured in its own process, through Django's test client (the
whole middleware and template stack, no network), as the office.

For every page: the **first view** (every cache and per-process memo emptied before each
request: what the first official after an approval waits; median of --runs) and the
**repeat** (the same request right after, median of --runs: pages whose parts are kept in the
shared cache, keyed on the data stamp, answer from it, so this figure is a cached one and
never stands for a first view). The ratio is scale first view / demo first view. The login
page is the same-run baseline. Targets (issue 13): first view under 150 ms at 1.2 M values and
within 1.5x of demo size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_MS = 150.0
TARGET_RATIO = 1.5
PLAN = os.environ.get("BENCH_PLAN", "tianjin-2018-ai")
INDICATOR = "TJ-GOAL-SCALE"
ASSESSING = {"plan page", "cockpit", "indicator page", "dashboard indicator", "ranking",
             "/api/assessments"}  # fmt: skip


def pages(deep_cursor: int) -> list[tuple[str, bool, str]]:
    """(name, signed in, URL)."""
    return [
        ("login page (baseline)", False, "/login/"),
        ("plan page", True, f"/plans/{PLAN}/"),
        ("cockpit", True, f"/dashboards/{PLAN}/"),
        ("indicator page", True, f"/plans/{PLAN}/indicators/{INDICATOR}/"),
        ("indicator page, full table of a page", True,
         f"/plans/{PLAN}/indicators/{INDICATOR}/?table=1"),
        ("dashboard indicator", True, f"/dashboards/{PLAN}/indicators/{INDICATOR}/"),
        ("ranking", True, "/scorecards/"),
        ("/api/assessments", True, f"/api/assessments/{PLAN}"),
        ("/api/values first 100", True, "/api/values?limit=100"),
        ("/api/values 100 deep (cursor)", True, f"/api/values?limit=100&cursor={deep_cursor}"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="requests per page and kind (median)")
    parser.add_argument("--demo-url", default=os.environ.get("BENCH_DEMO_DATABASE_URL"),
                        help="the demo-size database (DUCHA_DATABASE_URL form)")  # fmt: skip
    args = parser.parse_args()
    results = {"scale": child_run(os.environ.get("DUCHA_DATABASE_URL"), args.runs)}
    if args.demo_url:
        results["demo"] = child_run(args.demo_url, args.runs)
    report(results, args.runs)


def child_run(url: str | None, runs: int) -> dict:
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    if url:
        env["DUCHA_DATABASE_URL"] = url
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(runs)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(runs: int) -> None:
    import logging
    import warnings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files not collected
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("ducha.access").setLevel(logging.WARNING)  # one line per request
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ducha.accounts.models import User
    from ducha.dashboards import selectors
    from ducha.datavalues.models import ApprovedValue, DataValue

    values = DataValue.objects.count()
    deep = DataValue.objects.order_by("pk").values_list("pk", flat=True)[
        min(1_000_000, max(values - 101, 0))
    ]
    office = Client()
    office.force_login(User.objects.filter(role="office").order_by("pk").first())
    anonymous = Client()

    def forget():
        selectors._MEMO.clear()
        for cache in caches.all():
            cache.clear()

    def timed(client, url) -> float:
        started = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return took

    rows = []
    for name, signed_in, url in pages(deep):
        client = office if signed_in else anonymous
        client.get(url)  # templates and translations loaded once per process
        first, repeat = [], []
        for _ in range(runs):
            forget()
            first.append(timed(client, url))
            repeat.append(timed(client, url))
        forget()
        with CaptureQueriesContext(connection) as queries:
            size = len(client.get(url).content)
        rows.append([name, statistics.median(first), statistics.median(repeat), len(queries), size])
    meta = {
        "vendor": connection.vendor,
        "values": values,
        "approvals": ApprovedValue.objects.count(),
        "load": os.getloadavg()[0],
    }
    print(json.dumps({"meta": meta, "rows": rows}))


def report(results: dict, runs: int) -> None:
    for which, data in results.items():
        m = data["meta"]
        print(f"{which}: {m['vendor']}, {m['values']:,} values, {m['approvals']:,} approvals; "
              f"load average {m['load']:.1f} at its end")  # fmt: skip
    demo = {row[0]: row for row in results.get("demo", {}).get("rows", [])}
    print(f"median of {runs} first views (caches emptied) and of {runs} repeats (shared cache), ms")
    print(f"{'page':38} {'demo first':>10} {'repeat':>7} {'scale first':>11} {'repeat':>7} "
          f"{'ratio':>6} {'queries':>8} {'bytes':>9}")  # fmt: skip
    verdicts = []
    for name, first, repeat, queries, size in results["scale"]["rows"]:
        d = demo.get(name)
        ratio = first / d[1] if d else None
        print(
            f"{name:38} "
            + (f"{d[1]:10.1f} {d[2]:7.1f} " if d else f"{'':10} {'':7} ")
            + f"{first:11.1f} {repeat:7.1f} "
            + (f"{ratio:6.2f} " if ratio else f"{'':6} ")
            + f"{(str(d[3]) + '/') if d else ''}{queries:<4} {size:9,}"
        )
        if name in ASSESSING:
            verdicts.append((name, first < TARGET_MS, ratio is None or ratio <= TARGET_RATIO))
    missed = [f"{n} ({'time' if not t else ''}{' ' if not t and not r else ''}"
              f"{'ratio' if not r else ''})" for n, t, r in verdicts if not (t and r)]  # fmt: skip
    print(f"target: first view < {TARGET_MS:.0f} ms at scale and <= {TARGET_RATIO}x demo: "
          + ("met" if not missed else "not met by " + ", ".join(missed)))  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    else:
        main()
