"""`/healthz`: whether this server can do its work, for monitoring (no sign-in, no secrets).

Each check answers ok or not with a number or two; the overall status is "ok" only when all
are, and the HTTP status says the same (200 or 503) for monitors that read nothing else.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

_migrations_done = False  # once all are applied they stay so until an upgrade restarts us


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"ok": False}
    return {"ok": True}


def check_migrations() -> dict:
    global _migrations_done
    if _migrations_done:
        return {"ok": True, "pending": 0}
    try:
        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return {"ok": False, "pending": None}
    _migrations_done = pending == 0
    return {"ok": pending == 0, "pending": pending}


def check_jobs() -> dict:
    from ducha.jobs.services import oldest_queued_seconds

    try:
        age = oldest_queued_seconds()
    except DatabaseError:
        return {"ok": False, "oldest_queued_seconds": None}
    limit = settings.DUCHA_HEALTH_QUEUE_SECONDS
    return {
        "ok": age is None or age <= limit,
        "oldest_queued_seconds": None if age is None else round(age, 1),
    }


def check_disk() -> dict:
    path = Path(settings.DATA_DIR)
    usage = shutil.disk_usage(path if path.exists() else path.parent)
    free_mb = usage.free // (1024 * 1024)
    return {
        "ok": free_mb >= settings.DUCHA_HEALTH_DISK_MB,
        "free_mb": free_mb,
        "free_percent": round(100 * usage.free / usage.total, 1) if usage.total else None,
    }


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "jobs": check_jobs,
    "disk": check_disk,
}


def report() -> dict:
    results = {"database": check_database()}
    for name, check in CHECKS.items():
        if name == "database":
            continue
        # Without a database the other database checks would only repeat its failure.
        results[name] = check() if results["database"]["ok"] or name == "disk" else {"ok": False}
    return {"status": "ok" if all(r["ok"] for r in results.values()) else "fail", "checks": results}
