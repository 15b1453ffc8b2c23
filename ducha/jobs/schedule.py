"""What `ducha scheduler` queues, and when: the periodic jobs of an office.

Each entry runs once a day after its time (local time, `DUCHA_TIME_ZONE`). A job's key names
the entry and the day, so a scheduler started late still queues the day's job, a restarted
one does not queue it twice, and two schedulers (one per machine) queue it once between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from ducha.jobs import services
from ducha.jobs.models import Job


@dataclass(frozen=True)
class Entry:
    name: str
    handler: str  # "module.function", a job handler
    title: str
    at_setting: str = ""  # the settings name of "HH:MM", when it can be set
    at_default: str = "00:00"

    def at(self) -> dt.time:
        raw = getattr(settings, self.at_setting, "") if self.at_setting else ""
        return dt.time.fromisoformat(raw or self.at_default)


ENTRIES = [
    # Overdue reporting assignments: reminders and escalations, on working days (the job
    # itself skips weekends and public holidays).
    Entry(
        "remind", "ducha.supervision.jobs.remind", _("Daily reminders"), "DUCHA_REMIND_AT", "09:00"
    ),
    # Indicators counted from the registers, in case a register changed outside an import.
    Entry("recompute", "ducha.registers.jobs.recompute", _("Nightly recomputing"), "", "02:30"),
    # Finished jobs older than 30 days: their files and queue rows.
    Entry("prune", "ducha.jobs.jobs.prune", _("Clearing old jobs"), "", "03:30"),
]


def due(now: dt.datetime | None = None) -> list[tuple[Entry, str]]:
    """The entries whose time has come today, with their job keys."""
    local = timezone.localtime(now or timezone.now())
    return [
        (e, f"schedule:{e.name}:{local.date().isoformat()}")
        for e in ENTRIES
        if local.time() >= e.at()
    ]


def tick(now: dt.datetime | None = None) -> list[Job]:
    """One round of the scheduler: requeue the jobs of dead workers, queue what is due.
    Returns the jobs queued by this call."""
    services.recover_orphans()
    queued = []
    for entry, key in due(now):
        if Job.objects.filter(key=key).exists():
            continue
        day = key.rsplit(":", 1)[1]
        job = services.start(
            None,
            import_string(entry.handler),
            kind=entry.name,
            title=f"{entry.title}（{day}）",
            params={"day": day},
            key=key,
        )
        queued.append(job)
    return queued
