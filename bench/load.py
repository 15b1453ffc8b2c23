"""20 closed-loop users over a realistic mix of pages and API calls, against gunicorn.

    python bench/scale.py --values 1200000 --enterprises 1000000   # once, in that database
    python bench/load.py [--users 20] [--seconds 60] [--workers 3]

Serves the database `DUCHA_DATABASE_URL` names (PostgreSQL for the issue's figures; else
SQLite under `DUCHA_DATA_DIR`) with `ducha serve` (gunicorn) on 127.0.0.1 on a free port, runs
locust headless with `bench/locustfile.py` (every user signs in, then requests without pausing),
prints the median, p95 and errors per route and overall, and stops the server and locust
whatever happens. Target (issue 13): p95 under 300 ms with 20 users at 1.2 M values, no errors.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at start ({server.returncode}): see its log")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer on port {port} within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: gunicorn and its workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("DUCHA_DEBUG", None)
    port = free_port()
    out = Path(tempfile.mkdtemp(prefix="ducha-load-"))
    server = subprocess.Popen(
        # the pages only: no job worker or scheduler competing for the cores
        [
            str(BIN / "ducha"),
            "serve",
            f"--bind={HOST}:{port}",
            f"--workers={args.workers}",
            "--no-jobs",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(out / "server.log", "wb"),  # noqa: SIM115 (closed with the process)
        start_new_session=True,
    )
    locust = None
    try:
        wait_for(port, server)
        locust = subprocess.Popen(
            [
                str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                "--users", str(args.users), "--spawn-rate", str(args.users),
                "--run-time", f"{args.seconds}s", "--host", f"http://{HOST}:{port}",
                "--csv", str(out / "load"), "--only-summary", "--loglevel", "WARNING",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(out / "locust.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )  # fmt: skip
        locust.wait(timeout=args.seconds + 120)
        locust_cpu = _children_cpu()  # locust has been reaped; the server not yet
        report(out / "load_stats.csv", args)
    finally:
        if locust is not None:
            stop(locust)
        stop(server)
    if locust is not None and locust.returncode is not None:
        server_cpu = _children_cpu() - locust_cpu  # gunicorn and its workers, now reaped
        total = _requests(out / "load_stats.csv")
        print(f"CPU: locust {locust_cpu:.1f} s, server (gunicorn and workers) {server_cpu:.1f} s"
              f" = {server_cpu / max(total, 1) * 1000:.0f} ms a request over {total:,} requests"
              " (PostgreSQL's own CPU not counted)")  # fmt: skip
    print(f"logs in {out}")


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _requests(path: Path) -> int:
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Name"] == "Aggregated"]
    return int(rows[0]["Request Count"]) if rows else 0
    return 0


def report(path: Path, args) -> None:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    print(f"{args.users} closed-loop users for {args.seconds} s, gunicorn {args.workers} "
          f"workers; load average at the end {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(
        f"{'route':26} {'requests':>9} {'errors':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}"
    )
    for row in rows:
        print(
            f"{row['Name'] or 'all':26} {int(row['Request Count']):9,} "
            f"{int(row['Failure Count']):7,} {float(row['50%']):10.0f} {float(row['95%']):8.0f} "
            f"{float(row['Requests/s']):7.1f}"
        )


if __name__ == "__main__":
    sys.exit(main())
