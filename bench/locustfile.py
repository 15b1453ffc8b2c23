"""A realistic mix of pages and API calls for `bench/load.py` (locust, closed loop).

Each simulated person signs in once (the office, a leader or a district's reporter, in turn)
and then, without pausing, opens what officials open: the plan page, the cockpit, an
indicator's page (the plan's and the dashboard's), the ranking, the assessment and values
APIs (following `next` once). Requests are grouped by route in the figures, not by URL.
"""

from __future__ import annotations

import itertools
import os
import random

from locust import HttpUser, constant, task

PLAN = os.environ.get("BENCH_PLAN", "tianjin-2018-ai")
PASSWORD = os.environ.get("BENCH_PASSWORD", "ducha-demo-2018")
INDICATORS = os.environ.get("BENCH_INDICATORS", "TJ-GOAL-SCALE,TJ-GOAL-PILOT").split(",")
PEOPLE = itertools.cycle(["office", "leader", "heping", "office", "leader"])


class Official(HttpUser):
    wait_time = constant(0)  # closed loop: the next request as soon as the answer arrives

    def on_start(self):
        username = next(PEOPLE)
        self.client.get("/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        answer = self.client.post(
            "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/login/"},
            name="sign in",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{username} could not sign in: {answer.status_code}")

    @task(3)
    def plan_page(self):
        self.client.get(f"/plans/{PLAN}/", name="plan page")

    @task(3)
    def cockpit(self):
        self.client.get(f"/dashboards/{PLAN}/", name="cockpit")

    @task(2)
    def indicator_page(self):
        code = random.choice(INDICATORS)
        self.client.get(f"/plans/{PLAN}/indicators/{code}/", name="indicator page")

    @task(1)
    def dashboard_indicator(self):
        code = random.choice(INDICATORS)
        self.client.get(f"/dashboards/{PLAN}/indicators/{code}/", name="dashboard indicator")

    @task(1)
    def ranking(self):
        self.client.get("/scorecards/", name="ranking")

    @task(2)
    def api_assessment(self):
        self.client.get(f"/api/assessments/{PLAN}", name="/api/assessments")

    @task(2)
    def api_values(self):
        first = self.client.get("/api/values?limit=100", name="/api/values")
        following = first.json().get("next") if first.ok else None
        if following:
            self.client.get(following, name="/api/values next")
