#!/usr/bin/env python3
"""The cockpit against the real server: what it transfers, and latency under 20 users.

Loads the demo into a throwaway database, collects the static files (WhiteNoise serves them
gzipped, as `make demo` does), starts `ducha serve` (gunicorn) on 127.0.0.1, logs in as the
leader and then:

1. sums what one cockpit load transfers: the HTML and every script and stylesheet it names,
   as sent on the wire with gzip (and the map page with its GeoJSON, for comparison);
2. runs wrk (Debian's `wrk`) with 20 connections against a static file and the login page
   (baselines), the cockpit and an indicator page, twice each: as 20 users who read for
   1–3 s between pages, and flat out (saturation: capacity on this machine).

Every request goes to 127.0.0.1 only; each wrk run is bounded by --seconds.

    .venv/bin/python bench/dashboards_load.py [--seconds 20] [--workers 3]

Targets (issue 6): the cockpit transfers under 1.5 MB; p95 under 300 ms with 20 users.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

WRK_SCRIPT = r"""
local cookie = os.getenv("BENCH_COOKIE")
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
wrk.headers["Cookie"] = cookie
wrk.headers["Accept-Encoding"] = "gzip"
function delay()
  if think > 0 then return math.random(math.floor(think / 2), math.floor(think * 3 / 2)) end
  return 0
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.2f, "p50": %.2f, "p95": %.2f, "p99": %.2f, ' ..
    '"max": %.2f, "non2xx": %d, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def ducha(*args, env):
    subprocess.run([str(BIN / "ducha"), *args], check=True, env=env, cwd=ROOT)


class Browserless:
    """Just enough of a client: cookies, gzip, bytes on the wire."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        head = {"Accept-Encoding": "gzip", "Host": f"{HOST}:{self.port}"}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head.update(headers or {})
        conn.request(method, path, body=body, headers=head)
        response = conn.getresponse()
        data = response.read()  # http.client does not decompress: these are wire bytes
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        header_bytes = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
        conn.close()
        return response, data, header_bytes

    def login(self, username, password):
        _r, page, _h = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        response, _d, _h = self.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}/login/",
            },
        )
        if "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} failed ({response.status})")

    def page_weight(self, path) -> list[tuple[str, int, str]]:
        """[(url, bytes on the wire, encoding)] for the page and the assets it names."""
        response, html, head = self.request("GET", path)
        assert response.status == 200, (path, response.status)
        rows = [(path, len(html) + head, response.headers.get("Content-Encoding", "-"))]
        text = (
            html.decode("utf-8")
            if response.headers.get("Content-Encoding") != "gzip"
            else (__import__("gzip").decompress(html).decode("utf-8"))
        )
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', text)
        for url in re.findall(r'"geo_url": "([^"]+)"', text):
            assets.append(url)
        for url in dict.fromkeys(assets):
            r, data, head = self.request("GET", url)
            assert r.status == 200, (url, r.status)
            rows.append((url, len(data) + head, r.headers.get("Content-Encoding", "-")))
        return rows


def _collected_gzip(data_dir: str, url: str) -> int | None:
    if not url.startswith("/static/"):
        return None
    path = Path(data_dir) / "static" / (url[len("/static/") :] + ".gz")
    return path.stat().st_size if path.is_file() else None


def wrk(port, path, cookie, seconds, think_ms, connections=20):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
        script = f.name
    env = {**os.environ, "BENCH_COOKIE": cookie, "BENCH_THINK_MS": str(think_ms)}
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=seconds + 60,
    ).stdout
    os.unlink(script)
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--think-ms", type=int, default=2000, help="mean reading time per page")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    data_dir = tempfile.mkdtemp(prefix="ducha-load-")
    env = {**os.environ, "DUCHA_DATA_DIR": data_dir, "PYTHONWARNINGS": "ignore"}
    env.pop("DUCHA_DEBUG", None)
    print(f"database and static files in {data_dir}")
    ducha("migrate", "-v0", env=env)
    ducha("demo", env=env)
    ducha("collectstatic", "--noinput", "-v0", env=env)

    port = free_port()
    # Keep idle connections open through a reader's pause (gunicorn's default is 2 s), so wrk
    # measures the server rather than its own reconnects, which it times badly.
    env["GUNICORN_CMD_ARGS"] = "--keep-alive=5"
    server = subprocess.Popen(
        [str(BIN / "ducha"), "serve", f"--bind={HOST}:{port}", f"--workers={args.workers}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        client = Browserless(port)
        client.login("leader", "ducha-demo-2018")
        plan = "tianjin-2018-ai"
        cookie = f"sessionid={client.cookies['sessionid']}"

        for label, path in (
            ("cockpit", f"/dashboards/{plan}/"),
            ("map", f"/dashboards/{plan}/map/"),
        ):
            rows = client.page_weight(path)
            print(f"\n{label}: what one load transfers (gzip where the server offers it)")
            for url, size, encoding in rows:
                print(f"  {size:>10,} B  {encoding:5} {url}")
            print(
                f"  {sum(r[1] for r in rows):>10,} B  total (target for the cockpit: < 1,500,000)"
            )
            gz = [
                _collected_gzip(data_dir, url) or size
                for url, size, encoding in rows
                if encoding != "gzip"
            ]
            gz += [size for _u, size, encoding in rows if encoding == "gzip"]
            print(
                f"  {sum(gz):>10,} B  total if the static files went out gzipped (their .gz "
                "are collected; WhiteNoise serves them only with WHITENOISE_USE_FINDERS off)"
            )

        targets = [
            ("static file ducha.css (baseline)", "/static/ducha/ducha.css"),
            ("login page (baseline)", "/login/"),
            ("cockpit", f"/dashboards/{plan}/"),
            ("indicator TJ-GOAL-SCALE", f"/dashboards/{plan}/indicators/TJ-GOAL-SCALE/"),
        ]
        for mode, think in (
            ("20 users reading 1–3 s between pages", args.think_ms),
            ("20 connections flat out", 0),
        ):
            print(
                f"\nwrk, {mode}, {args.seconds} s each, gunicorn {args.workers} workers × 2 threads"
            )
            print(
                f"  {'target':36} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
                f" {'errors':>7}"
            )
            for label, path in targets:
                r = wrk(port, path, cookie, args.seconds, think)
                rate = r["requests"] / r["seconds"]
                bad = r["non2xx"] + r["errors"]
                print(
                    f"  {label:36} {rate:7.1f} {r['p50']:8.1f} {r['p95']:8.1f}"
                    f" {r['p99']:8.1f} {bad:7d}"
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
