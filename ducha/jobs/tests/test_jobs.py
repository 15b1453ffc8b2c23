"""Background jobs as people meet them: started by a page, followed on the job's page, run by
a worker; and what happens when a worker dies."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from ducha.audit.models import AuditEntry
from ducha.datavalues.models import DataValue
from ducha.jobs import schedule, services
from ducha.jobs.leases import lease_for
from ducha.jobs.models import Job, JobState
from ducha.jobs.tests import handlers
from ducha.jobs.tests.conftest import COUNT, values_csv

pytestmark = pytest.mark.django_db


def test_a_big_import_is_queued_and_its_page_follows_it_to_the_outcome(
    client, settings, queue, tianjin_plan, office
):
    settings.DUCHA_IMPORT_SYNC_ROWS = 10
    client.force_login(office)
    data = values_csv(24)
    response = client.post(
        reverse("datavalues:import"),
        {"plan": tianjin_plan.pk, "status": "approved", "file": SimpleUploadedFile("v.csv", data)},
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:detail", args=[job.pk]
    )
    assert DataValue.objects.count() == 0  # nothing written in the request
    page = client.get(response["Location"]).content.decode()
    assert "等待" in page and reverse("jobs:status", args=[job.pk]) in page
    assert "jobs/status.js" in page and "<script>" not in page.split("</header>", 1)[1]

    assert queue() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.ok and job.attempts == 1
    assert DataValue.objects.count() == 24  # one value a row
    fragment = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "v.csv" in fragment and "data-job-poll" not in fragment  # finished: no more polling
    assert not (services.jobs_dir() / "uploads" / job.params["upload"]).exists()


def test_a_small_import_stays_in_the_request(client, settings, queue, tianjin_plan, office):
    settings.DUCHA_IMPORT_SYNC_ROWS = 10
    client.force_login(office)
    response = client.post(
        reverse("datavalues:import"),
        {
            "plan": tianjin_plan.pk,
            "status": "approved",
            "file": SimpleUploadedFile("v.csv", values_csv(3)),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[tianjin_plan.code])
    assert Job.objects.count() == 0 and DataValue.objects.count() == 3


def test_a_file_over_the_row_limit_is_refused_on_the_upload_page_not_queued(
    client, settings, queue, tianjin_plan, office
):
    settings.DUCHA_IMPORT_SYNC_ROWS = 10
    settings.DUCHA_IMPORT_MAX_ROWS = 20
    client.force_login(office)
    response = client.post(
        reverse("datavalues:import"),
        {
            "plan": tianjin_plan.pk,
            "status": "approved",
            "file": SimpleUploadedFile("v.csv", values_csv(24)),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "文件超过 20 行" in page
    assert Job.objects.count() == 0 and DataValue.objects.count() == 0


def test_a_queued_import_with_bad_rows_writes_nothing_and_names_each_row(
    client, settings, queue, tianjin_plan, office
):
    settings.DUCHA_IMPORT_SYNC_ROWS = 10
    client.force_login(office)
    data = values_csv(20) + f"{COUNT},和平区,2019Q3,十二点五五五,\nNOPE,和平区,2019Q3,1,\n".encode()
    client.post(
        reverse("datavalues:import"),
        {"plan": tianjin_plan.pk, "status": "approved", "file": SimpleUploadedFile("v.csv", data)},
    )
    queue()
    job = Job.objects.get()
    assert job.state == JobState.DONE and not job.ok
    assert DataValue.objects.count() == 0
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "第 23 行" in page and "NOPE" in page


def test_recompute_from_the_registers_page_runs_as_a_job(client, queue, tianjin_plan, office):
    client.force_login(office)
    response = client.post(reverse("registers:recompute"))
    job = Job.objects.get(kind="recompute")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == JobState.QUEUED
    queue()
    job.refresh_from_db()
    assert job.ok and "计算" in job.result["message"]


def test_a_bulletin_file_is_made_once_per_version_and_waited_for(client, queue, office):
    from ducha.portal import services as portal

    b = portal.save_bulletin(office, None, title="第三季度通报", body="一、总体进展\n正文")
    portal.set_bulletin_state(office, b, published=True)
    url = reverse("portal:bulletin_download", args=[b.pk, "docx"])
    waiting = client.get(url)  # anyone, signed in or not
    assert waiting.status_code == 200 and 'http-equiv="refresh"' in waiting.content.decode()
    client.get(url)
    assert Job.objects.filter(kind="bulletin").count() == 1  # the second asker waits for it
    queue()
    ready = client.get(url + "?wait=1").content.decode()
    assert 'http-equiv="refresh"' not in ready and url in ready
    download = client.get(url)
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content)[:2] == b"PK"
    # a new version is rendered again
    portal.save_bulletin(office, b, title="第三季度通报", body="一、总体进展\n改过的正文")
    client.get(url)
    assert Job.objects.filter(kind="bulletin").count() == 2


def test_progress_shows_on_the_status_while_running(client, settings, office):
    job = Job.objects.create(
        kind="test", title="进行中", handler="x.y", state=JobState.RUNNING, created_by=office
    )
    services.Progress(job)(3, 8, "第三步")
    client.force_login(office)
    fragment = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert 'max="8" value="3"' in fragment and "第三步" in fragment
    assert "data-job-poll" in fragment


def test_a_failing_job_says_so_without_the_details_and_keeps_nothing(queue, office):
    job = services.start(office, handlers.broken, kind="test", title="会出错")
    queue()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not job.ok
    assert "a bug" not in job.result["message"] and "日志" in job.result["message"]
    assert not AuditEntry.objects.filter(action="jobs.test.marked").exists()


def test_a_job_finished_before_its_worker_died_is_not_run_again(queue, office):
    job = services.start(office, handlers.count, kind="test", title="一次")
    services.execute(job.pk)  # done; as if the worker then died before the queue knew
    assert queue() == 1
    job.refresh_from_db()
    assert job.attempts == 1
    assert AuditEntry.objects.filter(action="jobs.test.marked").count() == 1


def test_an_orphaned_task_is_queued_again_but_a_live_one_is_left(queue, office):
    from django_tasks_db.models import DBTaskResult

    dead = services.start(office, handlers.count, kind="test", title="其工作进程已死")
    alive = services.start(office, handlers.count, kind="test", title="其工作进程还活着")
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["gone"])
    other = connections.create_connection("default")  # another worker, running `alive`
    holder = lease_for(other)
    assert holder.try_take(alive.task_id)
    try:
        assert services.recover_orphans() == [dead.task_id]
    finally:
        holder.release(alive.task_id)
        other.close()
    assert DBTaskResult.objects.get(pk=dead.task_id).status == "READY"
    assert DBTaskResult.objects.get(pk=alive.task_id).status == "RUNNING"
    assert AuditEntry.objects.filter(action="jobs.job.requeued").count() == 1


def test_a_job_that_keeps_killing_its_worker_is_stopped(queue, office):
    job = services.start(office, handlers.count, kind="test", title="反复中断")
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, attempts=services.MAX_ATTEMPTS)
    result = services.execute(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "3" in result["message"]
    assert not AuditEntry.objects.filter(action="jobs.test.marked").exists()


def test_people_follow_only_their_own_jobs(client, office, reporter_heping, reporter_binhai):
    job = services.start(reporter_heping, handlers.count, kind="test", title="和平区的任务")
    client.force_login(reporter_binhai)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert "和平区的任务" not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(reporter_heping)
    assert "和平区的任务" in client.get(reverse("jobs:list")).content.decode()
    client.force_login(office)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200


# --- the scheduler ------------------------------------------------------------------------------


def _at(hour: int, minute: int = 0, day: dt.date = dt.date(2026, 12, 8)) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_the_scheduler_queues_each_daily_job_once_after_its_time(queue, settings):
    settings.DUCHA_REMIND_AT = "09:00"
    assert [j.kind for j in schedule.tick(_at(1))] == []
    assert sorted(j.kind for j in schedule.tick(_at(10))) == ["prune", "recompute", "remind"]
    assert schedule.tick(_at(10, 1)) == []  # a restarted scheduler queues nothing twice
    assert schedule.tick(_at(23)) == []
    next_day = dt.date(2026, 12, 9)
    assert [j.kind for j in schedule.tick(_at(3, day=next_day))] == ["recompute"]
    assert sorted(j.kind for j in schedule.tick(_at(9, day=next_day))) == ["prune", "remind"]
    assert Job.objects.filter(kind="remind").count() == 2


def test_the_daily_reminders_skip_a_public_holiday(queue):
    (job,) = [j for j in schedule.tick(_at(10, day=dt.date(2026, 10, 1))) if j.kind == "remind"]
    queue()
    job.refresh_from_db()
    assert job.ok and "不是工作日" in job.result["message"]
    # from 1 October the office is told when next year's holiday calendar is missing
    assert any("2027" in p and "节假日" in p for p in job.result["problems"])


def test_a_failed_bulletin_file_is_tried_again_on_the_next_download(client, queue, office):
    from ducha.portal import jobs as bulletin_jobs
    from ducha.portal import services as portal

    b = portal.save_bulletin(office, None, title="通报", body="正文")
    first = bulletin_jobs.rendering(office, b, "pdf")
    Job.objects.filter(pk=first.pk).update(state=JobState.FAILED)
    second = bulletin_jobs.rendering(office, b, "pdf")
    assert second.pk != first.pk and second.state == JobState.QUEUED
    assert bulletin_jobs.rendering(office, b, "pdf").pk == second.pk  # and only once


def test_pruning_forgets_old_finished_jobs_and_their_files(queue, office):
    from django_tasks_db.models import DBTaskResult

    old = services.start(office, handlers.count, kind="test", title="旧任务")
    recent = services.start(office, handlers.count, kind="test", title="新任务")
    queue()
    long_ago = timezone.now() - dt.timedelta(days=40)
    Job.objects.filter(pk=old.pk).update(finished_at=long_ago)
    DBTaskResult.objects.filter(pk=old.task_id).update(finished_at=long_ago)
    (services.files_dir(old) / "old.pdf").write_bytes(b"%PDF")
    lease = services.jobs_dir() / "leases" / f"{old.task_id}.lock"
    lease.parent.mkdir(parents=True, exist_ok=True)
    lease.touch()
    assert services.prune() == 1
    assert not (services.jobs_dir() / "files" / str(old.pk)).exists() and not lease.exists()
    assert not DBTaskResult.objects.filter(pk=old.task_id).exists()
    assert DBTaskResult.objects.filter(pk=recent.task_id).exists()
    assert Job.objects.count() == 2  # the jobs themselves stay, as history
