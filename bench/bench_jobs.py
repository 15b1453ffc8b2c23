"""How long a person waits for a page that starts long work, now that it is a job.

Run from the repository root (after `make install`):

    .venv/bin/python bench/bench_jobs.py [--rows 8000] [--runs 3]

In a temporary SQLite database with the Tianjin plan, as medians of --runs runs:

  1. importing --rows values from a CSV through the import page: the request that queues
     the job, against the baseline, the same import done inside the request (what the page
     did before: DUCHA_IMPORT_SYNC_ROWS above the file's rows); then the job itself in a
     worker, for the record;
  2. a bulletin's PDF through its download link: the request that queues the rendering,
     against the baseline of rendering inside the request; and the download once rendered.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=8000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="ducha-bench-jobs-"))
    os.environ.update(DUCHA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="ducha.settings")
    os.environ.pop("DUCHA_DATABASE_URL", None)
    try:
        run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args, data_dir: Path) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from ducha.accounts.models import User
    from ducha.jobs.models import Job
    from ducha.jobs.worker import run_queued
    from ducha.orgunits.services import load_orgunit_file
    from ducha.plans.services import load_plan_file
    from ducha.portal import services as portal

    load_orgunit_file(ROOT / "ducha" / "data" / "orgunits-tianjin.yaml")
    plan = load_plan_file(ROOT / "ducha" / "data" / "tianjin-2018" / "plan.yaml").plan
    office = User.objects.create_superuser("bench", password="bench-password-1")
    client = Client()
    client.force_login(office)

    districts = [
        "和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区",
        "津南区", "北辰区", "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区",
    ]  # fmt: skip
    indicators = [
        "TJ-IND-SUPPLIER50",
        "TJ-SEC-MFG-EQUIP",
        "TJ-SEC-AGRI-PARKS",
        "TJ-SEC-LOG-ENTERPRISES",
        "TJ-SEC-CULT-PARKS",
        "TJ-SEC-CULT-BRANDS",
    ]
    lines = ["指标代码,单位,期间,数值,说明"]
    keys = [(i, d) for i in indicators for d in districts]
    for n in range(args.rows):
        code, unit = keys[n % len(keys)]
        quarter = n // len(keys)
        lines.append(f"{code},{unit},{2000 + quarter // 4}Q{quarter % 4 + 1},{n % 97},")
    csv = ("\n".join(lines) + "\n").encode()

    def post(run_no: int):
        body = csv.replace(b",\n", f",r{run_no}\n".encode())  # a new note: every row changes
        response = client.post(
            "/values/import/",
            {"plan": plan.pk, "status": "approved", "file": SimpleUploadedFile("v.csv", body)},
        )
        assert response.status_code == 302, response.context["problems"][:5]

    def worker():
        run_queued("bench")

    inline, queued, job_runs = [], [], []
    for r in range(args.runs):
        settings.DUCHA_IMPORT_SYNC_ROWS = args.rows * 10
        inline.append(timed(lambda r=r: post(2 * r)))
        settings.DUCHA_IMPORT_SYNC_ROWS = 2000
        queued.append(timed(lambda r=r: post(2 * r + 1)))
        job_runs.append(timed(worker))
        assert Job.objects.filter(state="done").count() == r + 1
    report(f"import of {args.rows} rows", inline, queued, job_runs)

    b = portal.save_bulletin(office, None, title="通报", body="一、总体进展\n" + "正文。" * 400)
    url = f"/public/manage/bulletins/{b.pk}/pdf/"
    inline, queued, job_runs, ready = [], [], [], []
    from ducha.portal import export

    export.render(b, "pdf")  # fonts loaded once, before anything is timed
    for r in range(args.runs):
        body = f"一、总体进展\n第{r}稿" + "正文。" * 400
        portal.save_bulletin(office, b, title="通报", body=body)
        inline.append(timed(lambda: export.render(b, "pdf")))  # what the link did before
        b.refresh_from_db()
        queued.append(timed(lambda: client.get(url)))
        job_runs.append(timed(worker))
        ready.append(timed(lambda: b"".join(client.get(url).streaming_content)))
    report("bulletin as PDF", inline, queued, job_runs)
    print(f"  download once rendered: median {statistics.median(ready) * 1000:.0f} ms")


def report(what: str, inline: list, queued: list, job_runs: list) -> None:
    a, b = statistics.median(queued), statistics.median(inline)
    print(f"{what}:")
    print(f"  the request that queues it: median {a * 1000:.0f} ms")
    print(f"  baseline, done in the request: median {b * 1000:.0f} ms  ({b / a:.0f}× longer)")
    print(f"  the job in a worker: median {statistics.median(job_runs) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
