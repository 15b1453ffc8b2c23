"""From an uploaded document to a draft plan, and the review screen of that draft.

Run from the repository root (after `make install`):

    .venv/bin/python bench/bench_draft.py [--runs 9]

Builds a fresh SQLite database in a temp dir, loads the Tianjin org units, then for two
documents — the seed plan (29 targets) and a generated long plan in the same genre (300
targets in 100 sections) — times, each a median of --runs:

  * the baseline, in the same run: loading the document's extracted plan file as
    `ducha loadplan` does (plans.services.load_plan, new plan code each run);
  * the whole upload (extraction.services.upload_document: write the upload to a temp file,
    read, extract, check the plan file, load the draft), and its ratio to the baseline;
  * the review screen of the draft through Django's test client as the office (first page of
    20 indicators), with its SQL query count, and the login page as that page's baseline.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = ROOT / "ducha/data/tianjin-2018/plan.txt"

FIELDS = [
    "智能制造",
    "智慧农业",
    "智能物流",
    "智慧金融",
    "数字文创",
    "智能交通",
    "智慧医疗",
    "智能家居",
]
UNITS = [("个", "平台"), ("家", "企业"), ("项", "示范工程"), ("亿元", "产业规模"), ("名", "人才")]


def long_plan(chapters: int = 10, sections: int = 10) -> str:
    """A plan of ``chapters`` × ``sections`` parts with three targets each."""
    lines = ["某省智能产业发展行动计划（2024—2027年）", "实施期限为2024年至2027年。"]
    numerals = "一二三四五六七八九十"
    for c in range(chapters):
        lines.append(f"{numerals[c % 10]}、{FIELDS[c % len(FIELDS)]}提升行动")
        for s in range(sections):
            unit_a, thing_a = UNITS[(c + s) % len(UNITS)]
            unit_b, thing_b = UNITS[(c + s + 2) % len(UNITS)]
            lines.append(
                f"（{numerals[s % 10]}）{FIELDS[(c + s) % len(FIELDS)]}专项{s + 1}。"
                f"到2027年，建设{10 + s}{unit_a}{FIELDS[c % len(FIELDS)]}{thing_a}，"
                f"培育{20 + c}{unit_b}骨干{thing_b}，"
                f"相关领域覆盖率达到{60 + s}%。加强统筹协调，完善配套政策。"
            )
    return "\n".join(lines) + "\n"


def median_ms(function, runs: int) -> float:
    times = []
    for index in range(runs):
        start = time.perf_counter()
        function(index)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="repetitions (median)")
    args = parser.parse_args()
    os.environ["DUCHA_DATA_DIR"] = tempfile.mkdtemp(prefix="ducha-bench-draft-")
    os.environ.pop("DUCHA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import django

    django.setup()
    run(max(args.runs, 3))


def run(runs: int) -> None:
    import yaml
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from ducha.accounts.models import User
    from ducha.engine.extract import to_plan_yaml
    from ducha.extraction.services import extract_file, upload_document
    from ducha.orgunits.models import OrgUnit
    from ducha.orgunits.services import TIANJIN_FILE, load_orgunit_file
    from ducha.plans.planfile import parse_plan_data
    from ducha.plans.services import load_plan

    call_command("migrate", verbosity=0)
    load_orgunit_file(TIANJIN_FILE)
    office = User.objects.create_user(
        "bench-office", password="bench-only-password", role="office",
        org_unit=OrgUnit.objects.get(code="TJ-OFFICE"),
    )  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    print(f"python {platform.python_version()}, {platform.machine()}, database {connection.vendor}")
    print(f"median of {runs} runs\n")

    folder = Path(tempfile.mkdtemp(prefix="ducha-bench-docs-"))
    long_path = folder / "long-plan.txt"
    long_path.write_text(long_plan(), encoding="utf-8")
    for label, path in (("seed plan", SEED), ("generated long plan", long_path)):
        data = path.read_bytes()
        extraction = extract_file(path)
        plan_yaml_text = to_plan_yaml(extraction.document, extraction.targets)
        spec_data = yaml.safe_load(plan_yaml_text)
        tag = "seed" if path == SEED else "long"

        def baseline(index, spec_data=spec_data, tag=tag):
            spec_data["plan"]["code"] = f"base-{tag}-{index}"
            spec, source_text = parse_plan_data(spec_data, "bench")
            load_plan(spec, source_text, office, state="draft")

        def upload(index, data=data, tag=tag):
            upload_document(office, "plan.txt", [data], len(data), code=f"up-{tag}-{index}")

        base_ms = median_ms(baseline, runs)
        upload_ms = median_ms(upload, runs)
        targets = len(extraction.targets)
        print(f"{label}: {len(data) / 1024:.0f} KiB, {targets} targets")
        print(f"  baseline: load the extracted plan file (loadplan)  {base_ms:8.1f} ms")
        print(
            f"  upload: read + extract + check + load the draft    {upload_ms:8.1f} ms"
            f"   ratio {upload_ms / base_ms:.2f}"
        )
        url = reverse("extraction:review", args=[f"up-{tag}-0"])
        client.get(url)
        login_ms = median_ms(lambda _i: anonymous.get(reverse("login")), runs * 3)
        review_ms = median_ms(lambda _i, url=url: client.get(url), runs * 3)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        print(f"  baseline: login page                               {login_ms:8.1f} ms")
        print(
            f"  review screen, first page of 20                    {review_ms:8.1f} ms"
            f"   ratio {review_ms / login_ms:.1f}, {len(queries)} queries\n"
        )


if __name__ == "__main__":
    main()
