"""Parts of pages rendered once per state of the data, shared by every process and server.

Officials open the same plan page, ranking and assessment again and again; once the data are
read from indexed facts (the assessment store), rendering is most of what a page costs. A part
(a rendered body, a JSON document) is kept in the one cache every process shares (the file
cache under ``DUCHA_DATA_DIR``, settings.CACHES), under a key holding everything it depends
on and the **data stamp**: the newest row of every table a write leaves a trace in (the audit
log, which every service writes to, the admin's log, the approvals, the milestone reports) and,
on PostgreSQL, the transactions in flight. Any write through the platform moves the stamp, so
the next request builds the part again: an approval is visible at once, on every server. The
stamp is read from the database on every request (one query of four index look-ups).

Never cache here what depends on the viewer beyond ``scope(user)``, nor anything holding a
CSRF token: callers render those around the cached part.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

T = TypeVar("T")
TIMEOUT = 600  # seconds; a stale stamp's entries are never read again, this only frees space


def data_stamp() -> tuple:
    """One cheap query (four index look-ups) that changes whenever the data does."""
    from django.contrib.admin.models import LogEntry

    from ducha.audit.models import AuditEntry
    from ducha.datavalues.models import ApprovedValue, MilestoneReport

    tables = [
        AuditEntry._meta.db_table,
        LogEntry._meta.db_table,
        ApprovedValue._meta.db_table,
        MilestoneReport._meta.db_table,
    ]
    parts = [f"(SELECT MAX(id) FROM {t})" for t in tables]
    if connection.vendor == "postgresql":
        # Ids are handed out when rows are inserted, not when they commit: a transaction
        # still open may commit a row below the newest id seen. The stamp names the
        # transactions in flight too, so their commit changes it (on every server alike).
        parts.append(
            "(SELECT string_agg(x::text, ',') FROM pg_snapshot_xip(pg_current_snapshot()) AS x)"
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return (connection.alias, *cursor.fetchone())


def scope(user) -> str:
    """Whose data a viewer may see, as far as a cached part may depend on it: everything (the
    office, leaders), else the role and org unit (what every policy's scope is made of)."""
    if getattr(user, "sees_everything", False):
        return "all"
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    return f"{user.role}:{user.org_unit_id}"


def key(*parts) -> str:
    """The cache key of a part: its own parts, the language and the data stamp, hashed."""
    raw = "\x1f".join(str(p) for p in (*parts, get_language(), *data_stamp()))
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(parts: tuple, build: Callable[[], T], timeout: int = TIMEOUT) -> T:
    """``build()``'s result, kept in the shared cache under ``key(*parts)``."""
    name = key(*parts)
    found = cache.get(name)
    if found is None:
        found = build()
        cache.set(name, found, timeout)
    return found
