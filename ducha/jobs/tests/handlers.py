"""Job handlers for the tests (real handlers, in a module only the tests name)."""

import time

from django.core.cache import cache

from ducha.audit.services import record


def slow_once(job, progress) -> dict:
    """Leaves a mark in the job's transaction, says so, and on its first attempt waits long
    enough to be killed."""
    record(None, "jobs.test.marked", job)
    cache.set(f"test:{job.pk}:attempt", job.attempts, 600)
    if job.attempts == 1:
        time.sleep(120)
    return {"message": "done"}


def count(job, progress) -> dict:
    progress(1, 4, "one of four")
    record(None, "jobs.test.marked", job)
    return {"message": "counted"}


def broken(job, progress) -> dict:
    record(None, "jobs.test.marked", job)
    raise RuntimeError("a bug")


def short(job, progress) -> dict:
    """Says it started, then takes a few seconds."""
    cache.set(f"test:{job.pk}:attempt", job.attempts, 600)
    time.sleep(3)
    record(None, "jobs.test.marked", job)
    return {"message": "done"}
