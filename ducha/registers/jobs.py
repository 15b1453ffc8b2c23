"""Register work in the background: big imports and recomputing (`ducha.jobs`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.core.tables import ImportError_
from ducha.jobs.services import import_refused, read_upload
from ducha.registers import base


def import_summary(report, name: str) -> str:
    text = _("%(file)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % {
        "file": name,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    if report.dry_run:
        return _("Checked, nothing written: ") + text
    if report.recomputed:
        text += " " + _("%d computed values changed.") % report.recomputed
    return text


def recompute_summary(report) -> str:
    return _(
        "%(indicators)d computed indicators recomputed: %(changed)d of %(values)d values changed."
    ) % {"indicators": report.indicators, "changed": report.changed, "values": report.values}


def import_register(job, progress) -> dict:
    from ducha.registers.services import import_register as run_import

    register = base.get(job.params["register"])
    name = job.params["name"]
    progress(0, 1, _("Checking every row, then writing them all at once."))
    back = [reverse(f"{register.namespace}:import"), _("Back to the import page")]
    try:
        report = run_import(
            job.created_by,
            register,
            name,
            read_upload(job.params["upload"]),
            dry_run=job.params.get("dry_run", False),
        )
    except ImportError_ as exc:
        return import_refused(name, exc.problems, back)
    except PermissionDenied:
        return {"ok": False, "message": _("You may not import into this register."), "link": back}
    progress(1, 1)
    link = back if report.dry_run else [reverse(f"{register.namespace}:list"), register.label]
    return {"message": import_summary(report, name), "link": [str(x) for x in link]}


def recompute(job, progress) -> dict:
    from ducha.registers.services import recompute as run_recompute

    progress(0, 1, _("Counting every computed indicator from the registers."))
    report = run_recompute(job.created_by)
    return {
        "message": recompute_summary(report),
        "problems": list(report.errors),
        "link": [reverse("registers:index"), _("Registers")],
    }
