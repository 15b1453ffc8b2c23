"""Throughput of parse_structure + extract_targets against plain jieba segmentation.

    python bench/bench_extract.py [--mb 5] [--runs 5]

Builds at least --mb megabytes (UTF-8) of policy text from the seed plan and the test corpus,
varied so that the run is not one cached pattern (numbers, years and units change from copy to
copy), then times both on the same text in the same process, on one core, and prints MB/s for
each and their ratio (median of --runs runs). jieba is the reference point for "how long does
reading Chinese text take at all"; it lives in the dev extra.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ducha.engine.extract import extract_targets, parse_structure  # noqa: E402
from ducha.engine.extract.reader import decode_text  # noqa: E402

SOURCES = [
    REPO / "ducha/data/tianjin-2018/plan.txt",
    *sorted((REPO / "ducha/engine/tests/corpus").glob("*.txt")),
]
_UNITS = ["家", "个", "项", "亿元", "%", "万人", "名"]


def build_text(megabytes: float, seed: int = 20180118) -> str:
    """Concatenate varied copies of real plan text until it reaches the requested size."""
    rng = random.Random(seed)
    originals = [decode_text(path.read_bytes()) for path in SOURCES]
    parts: list[str] = []
    size = 0
    copy = 0
    while size < megabytes * 1024 * 1024:
        text = originals[copy % len(originals)]
        text = _vary(text, rng)
        parts.append(text)
        size += len(text.encode("utf-8"))
        copy += 1
    return "\n".join(parts)


def _vary(text: str, rng: random.Random) -> str:
    """Change years, numbers and a few units so that every copy reads differently."""
    year = str(rng.randint(2016, 2035))
    out = text.replace("2020", year).replace("100", str(rng.randint(10, 999)))
    unit = rng.choice(_UNITS)
    return out.replace("个", unit, rng.randint(0, 3))


def time_it(function, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says

    text = build_text(args.mb)
    megabytes = len(text.encode("utf-8")) / (1024 * 1024)
    count = len(extract_targets(parse_structure(text)))

    extract_seconds = time_it(lambda: extract_targets(parse_structure(text)), args.runs)

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()  # load the dictionary outside the timed runs, as a server would
    jieba_seconds = time_it(lambda: jieba.lcut(text), args.runs)

    extract_rate = megabytes / extract_seconds
    jieba_rate = megabytes / jieba_seconds
    print(f"python {platform.python_version()} on {platform.machine()}, 1 core")
    print(f"text: {megabytes:.2f} MB UTF-8, {len(text):,} characters, {count} targets found")
    print(f"median of {args.runs} runs")
    print(f"parse_structure+extract_targets: {extract_seconds:.3f} s  {extract_rate:.2f} MB/s")
    print(f"jieba.lcut (default mode, HMM): {jieba_seconds:.3f} s  {jieba_rate:.2f} MB/s")
    print(f"ratio extract/jieba: {extract_rate / jieba_rate:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
