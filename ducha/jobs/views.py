"""A job's page: what it does, how far it is, and its outcome (with a file to download)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from ducha.jobs import services
from ducha.jobs.models import Job


def _job(request, pk) -> Job:
    return get_object_or_404(Job.objects.for_user(request.user, "view"), pk=pk)


def _context(job: Job) -> dict:
    return {
        "job": job,
        "progress": services.progress_of(job),
        "has_file": services.result_file(job) is not None,
    }


@login_required
def detail(request, pk):
    return render(request, "jobs/detail.html", _context(_job(request, pk)))


@login_required
def status(request, pk):
    """The status part of the page alone; the page's script asks for it until the job ends."""
    return render(request, "jobs/_status.html", _context(_job(request, pk)))


@login_required
def download(request, pk):
    job = _job(request, pk)
    path = services.result_file(job)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
def job_list(request):
    """The jobs the user started (the office: everyone's), newest first."""
    jobs = Job.objects.for_user(request.user, "view").select_related("created_by")
    page = Paginator(jobs, 30).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})
