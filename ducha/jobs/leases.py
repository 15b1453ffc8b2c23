"""A worker's hold on the task it runs, released by the system when the worker dies.

On PostgreSQL a session-level advisory lock (the worker's connection ends with its process,
on this machine or any other); on SQLite (one machine) an exclusive `flock` on a file in the
data directory (the kernel drops it with the process). Either way there is no heartbeat to
tune and no timeout to guess: a task is running exactly while its lease is held.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from pathlib import Path

from django.conf import settings


def _key(task_id: str) -> int:
    """The task's UUID folded into PostgreSQL's signed 64-bit advisory lock key."""
    return int.from_bytes(uuid.UUID(str(task_id)).bytes[:8], "big", signed=True)


class PostgresLease:
    def __init__(self, connection):
        self.connection = connection

    def _ask(self, sql: str, task_id: str):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [_key(task_id)])
            return cursor.fetchone()[0]

    def hold(self, task_id: str) -> None:
        self._ask("SELECT pg_advisory_lock(%s)", task_id)

    def try_take(self, task_id: str) -> bool:
        return bool(self._ask("SELECT pg_try_advisory_lock(%s)", task_id))

    def release(self, task_id: str) -> None:
        self._ask("SELECT pg_advisory_unlock(%s)", task_id)


class FileLease:
    def __init__(self):
        self.folder = Path(settings.JOBS_DIR) / "leases"
        self.held: dict[str, int] = {}

    def _open(self, task_id: str) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        return os.open(self.folder / f"{uuid.UUID(str(task_id))}.lock", os.O_RDWR | os.O_CREAT)

    def hold(self, task_id: str) -> None:
        fd = self._open(task_id)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.held[task_id] = fd

    def try_take(self, task_id: str) -> bool:
        fd = self._open(task_id)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.held[task_id] = fd
        return True

    def release(self, task_id: str) -> None:
        fd = self.held.pop(task_id, None)
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def lease_for(connection):
    if connection.vendor == "postgresql":
        return PostgresLease(connection)
    return FileLease()
