"""Job handlers of the jobs app itself (see `services` for the shape of a handler)."""

from django.utils.translation import gettext as _

from ducha.jobs import services


def prune(job, progress) -> dict:
    n = services.prune()
    return {"message": _("%d finished jobs older than 30 days cleared.") % n}
