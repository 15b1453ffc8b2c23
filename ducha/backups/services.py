"""Backing up and restoring a whole site: the database and the uploaded files.

A backup is one ``.tar.gz``: ``manifest.json`` (format, app version, database vendor, the
migrations applied, and the SHA-256 and size of every other member), the database
(``database.sqlite3`` from SQLite's online backup API, or ``database.pgdump`` from
``pg_dump --format=custom``) and ``media/…`` (evidence and other uploads).

A restore checks everything before it touches anything: the manifest, every member's
checksum, the vendor, that this version of ducha knows every migration the backup has
applied, and that the database is empty (unless forced). The database is then replaced in one
step (SQLite's backup API into the target; ``pg_restore --single-transaction``), and the media
directory is swapped in whole; the media that were there are kept beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

import ducha

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Rows a freshly migrated, never used database already has: it still counts as empty.
SET_UP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed."""


@dataclass
class BackupReport:
    path: Path
    vendor: str
    files: int
    size: int


@dataclass
class RestoreReport:
    vendor: str
    created_at: str
    app_version: str
    files: int
    pending_migrations: list[str] = field(default_factory=list)
    media_kept: Path | None = None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PATH, else the newest Debian PostgreSQL's."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    raise BackupError(_("%s is not installed (apt-get install postgresql-client)") % name)


# libpq's connection parameters: what pg_dump and pg_restore take from Django's settings
# (DUCHA_DATABASE_URL's host, port, user, database and query options such as a socket
# directory or sslmode); the password goes in the environment, never on the command line.
LIBPQ_KEYS = {
    "dbname", "host", "hostaddr", "port", "user", "passfile", "service", "options",
    "application_name", "connect_timeout", "sslmode", "sslrootcert", "sslcert", "sslkey",
    "sslcrl", "sslpassword", "gssencmode", "channel_binding", "target_session_attrs",
}  # fmt: skip


def _pg_args() -> tuple[list[str], dict]:
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    libpq = {k: v for k, v in params.items() if k in LIBPQ_KEYS and v not in (None, "")}
    return ["--dbname", make_conninfo(**libpq)], env


def _pg_run(tool: str, options: list[str], failure: str) -> None:
    """Run pg_dump or pg_restore against this site's database; `failure` % its complaint."""
    args, env = _pg_args()
    done = subprocess.run([pg_tool(tool), *options, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(failure % done.stderr.strip()[:1000])


def applied_migrations(conn=None) -> list[str]:
    conn = conn or connection
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(conn).applied_migrations())


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(_("backups support SQLite and PostgreSQL, not %s") % vendor)
    return vendor


def _dump_database(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        if connection.in_atomic_block:
            # SQLite's backup cannot read a database its own connection is writing: it would
            # wait for ever. A backup is its own command, never part of a transaction.
            raise BackupError(_("a SQLite backup cannot be made inside a transaction"))
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # the online backup API: a consistent copy while the site keeps running
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    _pg_run(
        "pg_dump",
        ["--format=custom", "--no-owner", "--no-acl", "--file", str(target)],
        _("pg_dump failed: %s"),
    )


def backup(output: Path) -> BackupReport:
    """Write a backup of the database and the media files to `output` (.tar.gz)."""
    vendor = _vendor()
    output = Path(output)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="ducha-backup-", dir=output.parent) as tmp:
        db_file = Path(tmp) / DB_MEMBER[vendor]
        _dump_database(vendor, db_file)
        members: dict[str, Path] = {DB_MEMBER[vendor]: db_file}
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    members["media/" + path.relative_to(media).as_posix()] = path
        manifest = {
            "format": FORMAT,
            "app": "ducha",
            "app_version": ducha.__version__,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "member": DB_MEMBER[vendor]},
            "migrations": applied_migrations(),
            "files": {
                name: {"sha256": _sha256_file(path), "size": path.stat().st_size}
                for name, path in members.items()
            },
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.replace(output)  # a backup file is complete or absent
    return BackupReport(output, vendor, len(members) - 1, output.stat().st_size)


# --- restore ----------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile, name: str) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, AttributeError, ValueError):
        raise BackupError(
            _("%s is not a ducha backup: it has no readable manifest") % name
        ) from None
    if manifest.get("app") != "ducha" or manifest.get("format") != FORMAT:
        raise BackupError(_("%s is not a ducha backup of a format this version reads") % name)
    return manifest


def verify(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every member the manifest lists is there, whole, and nothing else is."""
    expected = manifest["files"]
    seen = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name not in expected or not member.isfile():
            raise BackupError(
                _("the backup holds %s, which its manifest does not list") % member.name
            )
        digest = hashlib.sha256()
        stream = tar.extractfile(member)
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
        if digest.hexdigest() != expected[member.name]["sha256"]:
            raise BackupError(
                _("%s is damaged: its checksum does not match the manifest") % member.name
            )
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(_("the backup lacks %s") % "、".join(missing[:5]))


def database_is_empty(conn=None) -> bool:
    conn = conn or connection
    with conn.cursor() as cursor:
        tables = conn.introspection.table_names(cursor)
        for table in tables:
            if table in SET_UP_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {conn.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return False
    return True


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _restore_sqlite(source: Path) -> None:
    connections.close_all()
    target = Path(settings.DATABASES["default"]["NAME"])
    backup_db = sqlite3.connect(source)
    live = sqlite3.connect(target, timeout=30)
    try:
        backup_db.backup(live)  # replaces every page of the target, in one step
    finally:
        live.close()
        backup_db.close()


def _restore_postgresql(source: Path) -> None:
    connections.close_all()
    _pg_run(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
         "--exit-on-error", str(source)],
        _("pg_restore failed; the database is unchanged: %s"),
    )  # fmt: skip


def _swap_media(extracted: Path) -> Path | None:
    media = Path(settings.MEDIA_ROOT)
    kept = None
    if media.exists() and any(media.iterdir()):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = media.with_name(f"{media.name}.before-restore-{stamp}")
        media.rename(kept)
    elif media.exists():
        media.rmdir()
    media.parent.mkdir(parents=True, exist_ok=True)
    extracted.rename(media)
    return kept


def restore(path: Path, *, force: bool = False) -> RestoreReport:
    """Restore a backup into this site's database and media directory (see module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%s: no such file") % path)
    vendor = _vendor()
    try:
        tar = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError):
        raise BackupError(_("%s is not a ducha backup (not a .tar.gz file)") % path.name) from None
    with tar:
        manifest = read_manifest(tar, path.name)
        verify(tar, manifest)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                _("the backup is of a %(theirs)s database and this site uses %(ours)s; restore "
                  "it into a site with the same database")
                % {"theirs": manifest["database"]["vendor"], "ours": vendor}
            )  # fmt: skip
        unknown = sorted(set(manifest["migrations"]) - _known_migrations())
        if unknown:
            raise BackupError(
                _("the backup comes from a newer version of ducha (%(version)s; unknown "
                  "migrations: %(names)s); upgrade ducha first")
                % {"version": manifest.get("app_version", "?"), "names": "、".join(unknown[:5])}
            )  # fmt: skip
        if not force and not database_is_empty():
            raise BackupError(
                _(
                    "the database is not empty; nothing was changed. Restore into an empty "
                    "database, or add --force to replace everything in it"
                )
            )
        media = Path(settings.MEDIA_ROOT)
        media.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="ducha-restore-", dir=media.parent) as tmp:
            tmp = Path(tmp)
            db_member = manifest["database"]["member"]
            extracted_media = tmp / "media"
            extracted_media.mkdir()
            for member in tar.getmembers():
                if member.name == MANIFEST:
                    continue
                tar.extract(member, tmp, filter="data")  # refuses absolute paths and ..
            if vendor == "sqlite":
                _restore_sqlite(tmp / db_member)
            else:
                _restore_postgresql(tmp / db_member)
            kept = _swap_media(extracted_media)
    connections.close_all()
    pending = sorted(_known_migrations() - set(applied_migrations()))
    return RestoreReport(
        vendor=vendor,
        created_at=manifest["created_at"],
        app_version=manifest.get("app_version", "?"),
        files=sum(1 for n in manifest["files"] if n.startswith("media/")),
        pending_migrations=pending,
        media_kept=kept,
    )
