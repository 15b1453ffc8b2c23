"""Big value imports in the background (`ducha.jobs`); small ones stay in the request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.datavalues.importer import ImportError_, check_rows, read_table
from ducha.datavalues.models import ValueSource
from ducha.datavalues.services import WorkflowError
from ducha.jobs.services import import_refused, read_upload
from ducha.plans.models import Plan


def import_summary(user, report, name: str) -> tuple[str, list[str]]:
    """What an import did, and where to look at it: a unit's assignments, the office's plan."""
    if user is not None and not user.is_office:
        # A unit's import filled its assignments: show them, where they are now.
        text = _(
            "%(file)s: %(filled)d assignments filled in, %(submitted)d of them "
            "submitted for review; %(unchanged)d unchanged."
        ) % {
            "file": name,
            "filled": report.updated,
            "submitted": report.submitted,
            "unchanged": report.unchanged,
        }
        return text, [reverse("reporting:assignments"), _("My assignments")]
    text = _("%(file)s: %(created)d new and %(updated)d changed values imported.") % {
        "file": name,
        "created": report.created,
        "updated": report.updated,
    }
    return text, []


def import_values(job, progress) -> dict:
    from ducha.datavalues.services import import_values as run_import

    plan = Plan.objects.get(pk=job.params["plan"])
    name = job.params["name"]
    back = [reverse("datavalues:import"), _("Back to the import page")]
    try:
        progress(0, 3, _("Reading the file."))
        table = read_table(name, read_upload(job.params["upload"]))
        progress(1, 3, _("Checking %d rows.") % max(len(table) - 1, 0))
        rows = check_rows(plan, table, user=job.created_by)
        progress(2, 3, _("Writing %d values.") % len(rows))
        report = run_import(
            job.created_by,
            rows,
            status=job.params["status"],
            source_name=name,
            default_source=job.params.get("default_source", ValueSource.UNIT_REPORT),
        )
    except ImportError_ as exc:
        return import_refused(name, exc.problems, back)
    except (WorkflowError, PermissionDenied) as exc:
        return {"ok": False, "message": str(exc), "link": back}
    progress(3, 3)
    text, link = import_summary(job.created_by, report, name)
    return {"message": text, "link": link or [reverse("plans:detail", args=[plan.code]), str(plan)]}
