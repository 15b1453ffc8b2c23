"""How long the office waits for a round's 通报: drafting it from the data, and writing it
as Word and as PDF, with the demo data.

Run from the repository root (after `make install`):

    .venv/bin/python bench/bench_bulletin.py [--runs 5]

Builds a fresh SQLite database in a temporary directory, loads `ducha demo`, takes the
latest closed round, and times (median of --runs each):

  * the baseline, in the same run: one assessment of the whole plan (`assess_plan`);
  * composing the draft (`portal.services.compose_draft`: the facts from the assessment at
    two dates, the tallies, the ranking and the open cases, then the text);
  * writing it as .docx (python-docx) and as .pdf (WeasyPrint with the system's CJK fonts).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each step")
    args = parser.parse_args()
    temporary = os.environ["DUCHA_DATA_DIR"] = tempfile.mkdtemp(prefix="ducha-bench-bulletin-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    try:
        run(max(args.runs, 3))
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def timed(step, runs: int) -> tuple[float, object]:
    result, times = None, []
    for _ in range(runs):
        started = time.perf_counter()
        result = step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def run(runs: int) -> None:
    from django.core.management import call_command

    from ducha.assessments.services import assess_plan
    from ducha.demo.services import load_demo
    from ducha.portal import export, services
    from ducha.reporting.models import Round, RoundState

    call_command("migrate", verbosity=0)
    demo = load_demo()
    plan = demo.plan
    rnd = Round.objects.filter(plan=plan, state=RoundState.CLOSED).order_by("-period_end").first()
    bulletin = services.draft_bulletin(None, rnd)
    steps = [
        ("baseline: assess the plan", lambda: assess_plan(plan)),
        ("compose the draft", lambda: services.compose_draft(rnd)),
        ("write .docx", lambda: export.to_docx(bulletin)),
        ("write .pdf", lambda: export.to_pdf(bulletin)),
    ]
    results = []
    for label, step in steps:
        step()  # warm caches (fonts, templates, translations)
        ms, out = timed(step, runs)
        size = len(out) if isinstance(out, bytes) else None
        results.append((label, ms, size))
    base = results[0][1]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}")  # fmt: skip
    print(f"round: {rnd.title}; {runs} runs per step (median)")
    print(f"{'step':28} {'median ms':>10} {'ratio':>7} {'bytes':>9}")
    for label, ms, size in results:
        print(f"{label:28} {ms:10.1f} {ms / base:7.1f} {size if size else '':>9}")


if __name__ == "__main__":
    main()
