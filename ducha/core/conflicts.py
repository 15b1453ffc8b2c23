"""Optimistic locking, the same for every workflow: a write carries the version it read.

When someone else changed the object meanwhile, the service raises its app's conflict error,
which derives from `StaleVersion`; pages answer it with status 409 and the Chinese message
(`conflict_page`, or their own page re-shown with the person's input and status 409), the
API with 409. Nothing is written.
"""

from __future__ import annotations

from django.shortcuts import render


class StaleVersion(Exception):
    """Base of every app's "changed by someone else meanwhile" error."""


def conflict_page(request, message: str, back: str):
    """A refused stale write: what happened, and a link to the object as it is now."""
    return render(request, "409.html", {"message": message, "back": back}, status=409)
