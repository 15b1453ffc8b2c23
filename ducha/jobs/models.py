"""Background jobs: work too long for a web request, run by `ducha worker`.

A `Job` is what people see (what, who started it, how far, the outcome); the queue itself is
django-tasks' database backend (`django_tasks_db.DBTaskResult`), whose row the job names in
`task_id`. The two are written in one transaction, so a job is queued exactly when it exists.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A running job goes back to the queue when its worker died (`services.recover_orphans`).
JOB_TRANSITIONS = {
    JobState.QUEUED: {JobState.RUNNING, JobState.FAILED},
    JobState.RUNNING: {JobState.RUNNING, JobState.DONE, JobState.FAILED},
    JobState.DONE: set(),
    JobState.FAILED: set(),
}
FINISHED = (JobState.DONE, JobState.FAILED)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    # The function that does the work ("module.function"); set by code, never from input.
    handler = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    # Jobs that must exist once (a day's reminders, one rendering of a bulletin) carry a key.
    key = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=10, blank=True, default="")
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # {"ok": bool, "message": str, "problems": [str], "link": [url, label], "file": name}
    result = models.JSONField(_("result"), default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="job_key_once")
        ]

    def __str__(self):
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def ok(self) -> bool:
        return self.state == JobState.DONE and bool(self.result.get("ok", True))
