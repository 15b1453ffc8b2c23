"""Sending what waits as a background job, queued by `ducha scheduler` (`ducha.jobs`) every ten
minutes while something waits: what `ducha sendnotifications` does from cron."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ducha.notifications.services import retry_failed


def send_waiting(job, progress) -> dict:
    counts = retry_failed()
    return {
        "message": _("%(sent)d notifications sent, %(failed)d failed.")
        % {"sent": counts["sent"], "failed": counts["failed"]}
    }
