"""A test-only site: ducha's settings with one page that never finishes (``/stuck/``) and one
that answers at once (``/alive/``), to check that the server's timeout kills a stuck request.

Used as DJANGO_SETTINGS_MODULE (and as its own URLconf) by ``test_request_timeout.py``.
"""

import time

from django.http import HttpResponse
from django.urls import path

from ducha.settings import *  # noqa: F403

ROOT_URLCONF = __name__
# `ducha serve` collects the static files first; plain copies of Django's own are enough here
# (compressing ECharts takes a minute on a busy machine).
STATICFILES_DIRS = []
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def stuck(request):
    """Spins on the CPU, as a parser caught in a bomb does; gives up after a minute so that a
    server whose timeout fails does not burn a core for ever."""
    end = time.monotonic() + 60
    while time.monotonic() < end:
        sum(range(10_000))
    return HttpResponse("finished, but the server should have killed this request")


def alive(request):
    return HttpResponse("alive")


urlpatterns = [path("stuck/", stuck), path("alive/", alive)]
