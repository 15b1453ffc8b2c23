"""`ducha worker`: django-tasks-db's worker, holding a lease on the task it runs.

The library's worker marks a task running and runs it; if the process dies the row stays
"running" for ever. Ours holds the task's lease (`leases.py`) while it runs, and puts back in
the queue, when it starts, every running task whose lease nobody holds
(`services.recover_orphans`), so a killed worker's job runs again, once.
"""

from __future__ import annotations

import logging

from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult

from ducha.jobs.leases import lease_for
from ducha.jobs.services import recover_orphans

logger = logging.getLogger("ducha.jobs")


class Worker(DBWorker):
    def run(self) -> None:
        recovered = recover_orphans()
        if recovered:
            logger.warning("%d interrupted jobs queued again", len(recovered))
        super().run()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        task_id = str(db_task_result.id)
        lease = lease_for(connection)
        lease.hold(task_id)
        try:
            fresh = DBTaskResult.objects.filter(pk=db_task_result.pk).first()
            # Between our claim and our lease another process may have found the task
            # without a lease and queued it again: then it is no longer ours to run.
            if (
                fresh is None
                or fresh.status != TaskResultStatus.RUNNING
                or not fresh.worker_ids
                or fresh.worker_ids[-1] != self.worker_id
            ):
                logger.info("task %s was taken back before it started; skipped", task_id)
                return
            super().run_task(fresh)
        finally:
            lease.release(task_id)


def run_queued(worker_id: str = "in-process") -> int:
    """Run every job queued now in this process, then return how many ran (tests, benches)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks
