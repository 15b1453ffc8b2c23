"""How long `ducha serve` takes to answer, and to refuse a busy port.

Run from the repository root (after `make install`):

    .venv/bin/python bench/bench_serve.py [--runs 3]

In a temporary data directory (SQLite, migrated), it times as medians of --runs runs:

  1. `ducha serve` from launch to the first answer of /healthz, with the static files
     collected at install time and current (what every start does now);
  2. the baseline, the same start when the static files must be collected and compressed
     first (what every start did before: `serve` ran collectstatic each time);
  3. `ducha serve` on a port something else listens on, until it exits with its message.

Only loopback ports the script picks; every process it starts is stopped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUCHA = [sys.executable, "-m", "ducha"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_start(env: dict) -> float:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*DUCHA, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-jobs"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError("ducha serve stopped")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answered
            except OSError:
                time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)


def time_busy(env: dict) -> float:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.perf_counter()
        result = subprocess.run(
            [*DUCHA, "serve", "--bind", f"127.0.0.1:{port}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        elapsed = time.perf_counter() - started
    assert result.returncode != 0 and "已被占用" in result.stderr, result.stderr
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="ducha-bench-serve-"))
    env = {**os.environ, "DUCHA_DATA_DIR": str(data)}
    env.pop("DUCHA_DATABASE_URL", None)
    try:
        subprocess.run([*DUCHA, "migrate", "-v0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run([*DUCHA, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        print(f"collectstatic (once, at install): {time.perf_counter() - started:.1f} s")
        now = [time_start(env) for _ in range(args.runs)]
        before = []
        for _ in range(args.runs):
            (data / "static" / ".ducha-collected").unlink()  # as if serve collected each time
            before.append(time_start(env))
        busy = [time_busy(env) for _ in range(args.runs)]
    finally:
        shutil.rmtree(data, ignore_errors=True)
    a, b = statistics.median(now), statistics.median(before)
    print(f"serve → first answer, static files current: median {a:.1f} s  {now}")
    print(f"baseline, collecting at every start:        median {b:.1f} s  {before}")
    print(f"ratio: {b / a:.1f}× faster")
    print(f"busy port refused after: median {statistics.median(busy):.2f} s  {busy}")


if __name__ == "__main__":
    main()
