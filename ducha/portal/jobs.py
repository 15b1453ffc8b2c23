"""Bulletins as Word or PDF, rendered in the background (`ducha.jobs`), once per version.

A PDF takes seconds (WeasyPrint); a page waits for no rendering. The first download of a
bulletin's version in a format queues its rendering; everyone who asks for the same version
and format meanwhile waits for that same job, and later downloads get its file at once.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.jobs import services as jobs
from ducha.jobs.models import Job
from ducha.portal import export
from ducha.portal.models import Bulletin

FORMAT_NAMES = {"docx": "Word", "pdf": "PDF"}


def job_key(b: Bulletin, fmt: str) -> str:
    # A draft carries today's date (export.issued_on): its file is redone each day.
    day = "" if b.published_at else timezone.localdate().isoformat()
    return f"bulletin:{b.pk}:{fmt}:{b.updated_at.isoformat()}:{day}"


def rendering(actor, b: Bulletin, fmt: str) -> Job:
    """The job that renders this version of `b` as `fmt`: queued now, or earlier."""
    return jobs.start(
        actor,
        render_bulletin,
        kind="bulletin",
        title=_("%(title)s as %(format)s") % {"title": b.title, "format": FORMAT_NAMES[fmt]},
        params={"bulletin": b.pk, "format": fmt},
        key=job_key(b, fmt),
        retry_failed=True,
    )


def render_bulletin(job, progress) -> dict:
    b = Bulletin.objects.get(pk=job.params["bulletin"])
    fmt = job.params["format"]
    progress(0, 1, _("Laying out the pages."))
    try:
        data = export.render(b, fmt)
    except export.ExportError as exc:
        return {"ok": False, "message": str(exc)}
    name = export.filename(b, fmt)
    (jobs.files_dir(job) / name).write_bytes(data)
    return {"message": _("%s is ready.") % name, "file": name}
