"""A worker killed with SIGKILL half-way through a job: the job runs again and completes once.

Real `ducha worker` processes against the test database, on PostgreSQL (where several
workers on several machines share one queue, and a dead worker's lease is its closed
connection). Runs in the PostgreSQL pass of `make test`.
"""

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache
from django.db import connection

from ducha.audit.models import AuditEntry
from ducha.jobs import services
from ducha.jobs.leases import PostgresLease
from ducha.jobs.models import Job, JobState
from ducha.jobs.tests import handlers
from ducha.jobs.tests.conftest import DATABASE_TASKS

pytestmark = pytest.mark.slow


def _test_database_url() -> str:
    """DUCHA_DATABASE_URL, pointing at the test database pytest-django made."""
    parts = urlsplit(os.environ["DUCHA_DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def workers(transactional_db, settings, tmp_path):
    """`workers(*args)` starts a real `ducha worker` on the test database; all are stopped."""
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (the PostgreSQL pass of make test)")
    settings.TASKS = DATABASE_TASKS
    # The workers' data directory: the test talks to them through its cache (handlers.py).
    data = tmp_path / "data"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": str(data / "cache")}}
    env = {
        **os.environ,
        "DUCHA_DATABASE_URL": _test_database_url(),
        "DUCHA_DATA_DIR": str(data),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DUCHA_TASKS_BACKEND", None)
    log = (tmp_path / "workers.log").open("w")
    started = []

    def worker(*args):
        proc = subprocess.Popen(
            [sys.executable, "-m", "ducha", "worker", "--interval", "0.2", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(proc)
        return proc

    worker.log = tmp_path / "workers.log"
    yield worker
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    log.close()


def test_a_worker_stopped_with_sigterm_finishes_its_job_first(workers):
    job = services.start(None, handlers.short, kind="test", title="正常停止")
    try:
        proc = workers()
        _wait(lambda: cache.get(f"test:{job.pk}:attempt") == 1, 60, "the job to start")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    finally:
        cache.delete(f"test:{job.pk}:attempt")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 1, workers.log.read_text()
    assert AuditEntry.objects.filter(action="jobs.test.marked").count() == 1


def test_a_job_whose_worker_is_killed_runs_again_and_completes_once(workers):
    from django_tasks_db.models import DBTaskResult

    job = services.start(None, handlers.slow_once, kind="test", title="会被中断的任务")
    try:
        first = workers()
        _wait(lambda: cache.get(f"test:{job.pk}:attempt") == 1, 60, "the first attempt")
        first.send_signal(signal.SIGKILL)
        first.wait(10)

        job.refresh_from_db()
        assert job.state == JobState.RUNNING and job.attempts == 1
        assert DBTaskResult.objects.get(pk=job.task_id).status == "RUNNING"
        # what the killed attempt wrote died with its transaction
        assert not AuditEntry.objects.filter(action="jobs.test.marked").exists()

        # PostgreSQL notices the closed connection and drops the dead worker's lease.
        lease = PostgresLease(connection)

        def lease_free():
            if lease.try_take(job.task_id):
                lease.release(job.task_id)
                return True
            return False

        _wait(lease_free, 20, "PostgreSQL to end the dead worker's session")

        second = workers("--batch")
        assert second.wait(90) == 0
    finally:
        cache.delete(f"test:{job.pk}:attempt")

    job.refresh_from_db()
    assert job.state == JobState.DONE and job.ok and job.attempts == 2, workers.log.read_text()
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"
    assert AuditEntry.objects.filter(action="jobs.test.marked").count() == 1
    assert AuditEntry.objects.filter(action="jobs.job.requeued").count() == 1
    assert Job.objects.count() == 1
