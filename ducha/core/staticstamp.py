"""Whether the collected static files are those of the installed code.

`ducha collectstatic` (run by `make install` and by an upgrade) copies and compresses the
static files once; the storage below then leaves a fingerprint of the sources beside them.
`ducha serve` compares it with the sources and collects again only when they changed, so a
start takes a second, not the half-minute compressing every file takes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from whitenoise.storage import CompressedStaticFilesStorage

STAMP_NAME = ".ducha-collected"


def fingerprint() -> str:
    """A digest of every static source file's path, size and modification time."""
    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


def stamp_path() -> Path:
    return Path(settings.STATIC_ROOT) / STAMP_NAME


def is_stale() -> bool:
    try:
        return stamp_path().read_text().strip() != fingerprint()
    except OSError:
        return True


class StampedStaticFilesStorage(CompressedStaticFilesStorage):
    """WhiteNoise's compressed storage, leaving the sources' fingerprint when done."""

    def post_process(self, *args, **kwargs):
        yield from super().post_process(*args, **kwargs)
        if not kwargs.get("dry_run"):
            stamp_path().write_text(fingerprint() + "\n")
