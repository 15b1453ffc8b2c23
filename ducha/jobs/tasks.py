"""The one task the queue knows: run a job. Everything else is in `services.execute`."""

from django_tasks import task


@task()
def run_job(job_id: int) -> dict:
    from ducha.jobs.services import execute

    return execute(job_id)
