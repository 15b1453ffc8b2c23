"""Starting, running and recovering background jobs.

`start` writes the job and its queue row in one transaction. A worker (`ducha worker`) takes
the row and calls `execute`, which runs the job's handler and marks the job done **in the
handler's own transaction**: whatever the handler wrote and the "done" mark commit together
or not at all. So a job whose worker is killed half-way has written nothing; the worker that
picks it up again (`recover_orphans`, see `ducha/jobs/leases.py`) runs it from the start; and
one killed after the commit but before the queue row said so finds the job done and does
nothing twice.

A handler is a function ``handler(job, progress) -> dict`` in the app whose work it does
(``ducha/<app>/jobs.py``). It returns the outcome shown on the job's page: ``ok``,
``message``, ``problems`` (bad input, each naming where), ``link`` ([url, label]) and ``file``
(the name of a file it wrote in ``files_dir(job)``, downloaded from the job's page).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ducha.audit.services import record
from ducha.jobs.models import FINISHED, JOB_TRANSITIONS, Job, JobState

logger = logging.getLogger("ducha.jobs")

# A job whose worker died this many times is given up (it probably kills its worker).
MAX_ATTEMPTS = 3
PROGRESS_EVERY = 0.5  # seconds between two progress writes


def jobs_dir() -> Path:
    return Path(settings.JOBS_DIR)


def files_dir(job: Job) -> Path:
    """Where a job writes the file it produces (a bulletin, an export)."""
    path = jobs_dir() / "files" / str(job.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def result_file(job: Job) -> Path | None:
    name = job.result.get("file") if job.state == JobState.DONE else None
    if not name:
        return None
    path = jobs_dir() / "files" / str(job.pk) / Path(name).name
    return path if path.is_file() else None


def save_upload(name: str, data: bytes) -> str:
    """Keep an uploaded file for the job that reads it; returns the name to pass in params."""
    folder = jobs_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}{Path(name).suffix.lower()[:10]}"
    (folder / stored).write_bytes(data)
    return stored


def read_upload(stored: str) -> bytes:
    return (jobs_dir() / "uploads" / Path(stored).name).read_bytes()


def _remove_upload(job: Job) -> None:
    stored = job.params.get("upload")
    if stored:
        (jobs_dir() / "uploads" / Path(stored).name).unlink(missing_ok=True)


def handler_path(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


# --- starting -----------------------------------------------------------------------------------


def start(
    actor,
    handler: Callable,
    *,
    kind: str,
    title: str,
    params: dict | None = None,
    key: str = "",
    retry_failed: bool = False,
) -> Job:
    """Queue `handler` as a job; with a `key`, the job already started under it (if any),
    unless that one failed and `retry_failed` says to try again.

    The caller has checked that `actor` may do the work; the handler acts as `actor`.
    """
    from ducha.jobs.tasks import run_job

    if key:
        existing = Job.objects.filter(key=key).first()
        if existing is not None and not (retry_failed and existing.state == JobState.FAILED):
            return existing
        if existing is not None:  # the failed one keeps its history under another key
            Job.objects.filter(pk=existing.pk).update(key=f"{key}#failed-{existing.pk}"[:200])
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                title=title[:200],
                handler=handler_path(handler),
                params=params or {},
                key=key,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            record(actor, "jobs.job.started", job, changes={"kind": kind, "title": job.title})
            result = run_job.enqueue(job.pk)
            Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    except IntegrityError:
        if not key:
            raise
        return Job.objects.get(key=key)  # started by someone else at the same moment
    job.refresh_from_db()
    return job


def start_import(
    actor, handler: Callable, *, kind: str, title: str, name: str, data: bytes, **params
) -> Job:
    """Queue the import of an uploaded file: the file is kept for the job, which finds its
    name and stored copy in ``params["name"]`` and ``params["upload"]``."""
    params.update(name=name, upload=save_upload(name, data))
    return start(actor, handler, kind=kind, title=title, params=params)


def import_refused(name: str, problems, back: list) -> dict:
    """The outcome of an import that wrote nothing, with every problem it found."""
    return {
        "ok": False,
        "message": _("%s: nothing was imported.") % name,
        "problems": [str(p) for p in problems],
        "link": back,
    }


# --- running ------------------------------------------------------------------------------------


class Progress:
    """How far a job is, for its page: kept in the shared cache (the job's own transaction
    would hide it from everyone else until the end)."""

    def __init__(self, job: Job):
        self.key = progress_key(job.pk)
        self.last = 0.0

    def __call__(self, done: int, total: int, note: str = "") -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and done < total:
            return
        self.last = now
        cache.set(self.key, {"done": done, "total": total, "note": note}, 24 * 3600)


def progress_key(pk: int) -> str:
    # Named by database too: processes of another site, or test runs side by side, may
    # share the cache directory.
    database = hashlib.sha1(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:8]
    return f"ducha:job:{database}:{pk}:progress"


def progress_of(job: Job) -> dict | None:
    if job.state != JobState.RUNNING:
        return None
    return cache.get(progress_key(job.pk))


def _move(job_id: int, state: str, **fields) -> None:
    job = Job.objects.get(pk=job_id)
    if state not in JOB_TRANSITIONS[job.state]:
        raise ValueError(f"job {job_id}: {job.state} cannot become {state}")
    Job.objects.filter(pk=job_id).update(state=state, **fields)


def execute(job_id: int) -> dict:
    """Run one job (what the queued task calls). Returns the job's result."""
    job = Job.objects.get(pk=job_id)
    if job.state in FINISHED:
        # Done already: its worker died between the commit and the queue's bookkeeping.
        return job.result
    if job.attempts >= MAX_ATTEMPTS:
        result = {
            "ok": False,
            "message": _("The job was interrupted %d times and has been stopped.") % job.attempts,
        }
        _move(job.pk, JobState.FAILED, result=result, finished_at=timezone.now())
        return result
    _move(job.pk, JobState.RUNNING, attempts=job.attempts + 1, started_at=timezone.now())
    job.refresh_from_db()
    handler = import_string(job.handler)
    logger.info("job %s (%s) started, attempt %d", job.pk, job.kind, job.attempts)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                result = handler(job, Progress(job)) or {}
                result.setdefault("ok", True)
                _move(job.pk, JobState.DONE, result=result, finished_at=timezone.now())
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            result = {
                "ok": False,
                "message": _(
                    "The job failed because of an error in the system. The administrator "
                    "finds the details in the log."
                ),
            }
            _move(job.pk, JobState.FAILED, result=result, finished_at=timezone.now())
            _remove_upload(job)
            raise
    _remove_upload(job)
    cache.delete(progress_key(job.pk))
    logger.info("job %s (%s) done", job.pk, job.kind)
    return result


# --- workers that died --------------------------------------------------------------------------


def recover_orphans() -> list[str]:
    """Put back in the queue the tasks whose worker died while running them.

    A worker holds its task's lease for as long as it runs it (`leases.py`); the operating
    system or PostgreSQL releases it when the worker dies, however it dies. A running task
    whose lease can be taken has no live worker. Returns the ids of the tasks put back.
    Must not be called by a process that is running a task (a lease is re-entrant there).
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from ducha.jobs.leases import lease_for

    lease = lease_for(connection)
    taken: list[str] = []
    try:
        with transaction.atomic():
            rows = DBTaskResult.objects.running().select_for_update(skip_locked=True)
            for row in rows:
                task_id = str(row.id)
                if not lease.try_take(task_id):
                    continue  # its worker is alive
                taken.append(task_id)
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                job = Job.objects.filter(task_id=task_id).first()
                record(
                    None,
                    "jobs.job.requeued",
                    job or row,
                    changes={"task": task_id, "workers": row.worker_ids},
                    comment="worker stopped while running it",
                )
                logger.warning("task %s: its worker died; queued again", task_id)
    finally:
        for task_id in taken:
            lease.release(task_id)
    return taken


def oldest_queued_seconds() -> float | None:
    """How long the oldest job waiting for a worker has waited (for /healthz)."""
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True)
    ).first()
    if oldest is None:
        return None
    return max((timezone.now() - oldest).total_seconds(), 0.0)


def prune(days: int = 30) -> int:
    """Forget finished jobs older than `days`: their queue rows and files. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timezone.timedelta(days=days)
    old = list(Job.objects.filter(state__in=FINISHED, finished_at__lt=cutoff))
    for job in old:
        shutil.rmtree(jobs_dir() / "files" / str(job.pk), ignore_errors=True)
    with transaction.atomic():
        done = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
        task_ids = [str(pk) for pk in done.values_list("pk", flat=True)]
        done.delete()
        Job.objects.filter(pk__in=[j.pk for j in old]).update(params={})
    for task_id in task_ids:  # long finished: no worker holds these any more
        (jobs_dir() / "leases" / f"{task_id}.lock").unlink(missing_ok=True)
    return len(old)
