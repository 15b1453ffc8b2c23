"""What `ducha scheduler` queues, and when: the periodic jobs of an office.

A daily entry runs once a day after its time (local time, `DUCHA_TIME_ZONE`); an entry with
`every` runs once in each slot of that many minutes, and only when its `needed` check says
there is work (so the list of jobs does not fill with empty runs). A job's key names the
entry and the day (and the slot), so a scheduler started late still queues the day's job, a
restarted one does not queue it twice, and two schedulers (one per machine) queue it once
between them.
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
    every: int = 0  # minutes: once in each slot of this length instead of once a day
    needed: str = ""  # "module.function" returning whether there is work now

    def is_needed(self) -> bool:
        return not self.needed or bool(import_string(self.needed)())

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
    # Notifications a request could not send (a mail server or robot that was down), and
    # those still waiting: what `ducha sendnotifications` does, every ten minutes.
    Entry(
        "notify",
        "ducha.notifications.jobs.send_waiting",
        _("Sending waiting notifications"),
        every=10,
        needed="ducha.notifications.services.has_waiting",
    ),
]


def due(now: dt.datetime | None = None) -> list[tuple[Entry, str, str, str]]:
    """The entries whose time has come, with their job keys, the day and when (for titles)."""
    local = timezone.localtime(now or timezone.now())
    day = local.date().isoformat()
    found = []
    for e in ENTRIES:
        if e.every:
            minute = (local.hour * 60 + local.minute) // e.every * e.every
            hhmm = f"{minute // 60:02d}:{minute % 60:02d}"
            found.append((e, f"schedule:{e.name}:{day}T{hhmm}", day, f"{day} {hhmm}"))
        elif local.time() >= e.at():
            found.append((e, f"schedule:{e.name}:{day}", day, day))
    return found


def tick(now: dt.datetime | None = None) -> list[Job]:
    """One round of the scheduler: requeue the jobs of dead workers, queue what is due.
    Returns the jobs queued by this call."""
    services.recover_orphans()
    queued = []
    for entry, key, day, when in due(now):
        if Job.objects.filter(key=key).exists() or not entry.is_needed():
            continue
        job = services.start(
            None,
            import_string(entry.handler),
            kind=entry.name,
            title=f"{entry.title}（{when}）",
            params={"day": day},
            key=key,
        )
        queued.append(job)
    return queued
