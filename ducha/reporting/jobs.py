"""Opening a reporting round in the background (`ducha.jobs`): its assignments for every
unit, and the notices that go with them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.plans.models import Plan
from ducha.reporting import services


def open_round(job, progress) -> dict:
    p = job.params
    progress(0, 1, _("Creating the assignments of every unit."))
    try:
        rnd = services.open_round(
            job.created_by,
            Plan.objects.get(pk=p["plan"]),
            p["period"],
            working_days=p["working_days"],
            opened_on=dt.date.fromisoformat(p["opened_on"]),
            change_threshold=Decimal(p["change_threshold"]),
        )
    except services.ReportingError as exc:
        return {
            "ok": False,
            "message": _("The round was not opened."),
            "problems": [exc.message],
            "link": [reverse("reporting:round_open"), _("Back to the form")],
        }
    return {
        "message": _("%(round)s is open: %(n)d assignments, due %(deadline)s.")
        % {"round": rnd, "n": rnd.assignments.count(), "deadline": rnd.deadline},
        "link": [reverse("reporting:round", args=[rnd.pk]), str(rnd)],
    }
