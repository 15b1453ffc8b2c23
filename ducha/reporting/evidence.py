"""Checking an evidence file: its size, and its type by what its content is, not its name.

An executable renamed "report.pdf" is refused because its first bytes say "program", and a
file over the limit is refused by its size before its content is looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Sniffed extension -> (MIME type, names the file may carry, label)
ACCEPTED = {
    "pdf": ("application/pdf", {"pdf"}, "PDF"),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}, "JPEG"),
    "png": ("image/png", {"png"}, "PNG"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {"docx"},
        "Word",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        {"xlsx"},
        "Excel",
    ),
    "doc": ("application/msword", {"doc", "xls"}, "Word/Excel 97"),
    "xls": ("application/vnd.ms-excel", {"xls", "doc"}, "Word/Excel 97"),
}
PROGRAMS = {"exe", "elf", "wasm", "crx", "swf", "deb", "rpm", "cab"}
SNIFF_BYTES = 64 * 1024  # enough for the zip directory entries that tell docx from xlsx


@dataclass(frozen=True)
class Sniffed:
    extension: str
    mime: str


def max_bytes() -> int:
    return int(getattr(settings, "DUCHA_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def accepted_labels() -> str:
    return "PDF, JPEG, PNG, Word, Excel"


def sniff_upload(upload) -> Sniffed:
    """The file's real type, or a ReportingError naming the file and what is wrong."""
    from ducha.reporting.services import ReportingError

    name = upload.name or "?"
    if upload.size > max_bytes():
        raise ReportingError(
            _("%(name)s is %(size)s; files may be at most %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(max_bytes()),
            },
            "file",
        )
    if upload.size == 0:
        raise ReportingError(_("%s is empty.") % name, "file")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None and head.lstrip().startswith(b"%PDF"):
        kind = filetype.get_type(ext="pdf")
    if kind is not None and kind.extension in PROGRAMS:
        raise ReportingError(
            _("%(name)s is a program (%(type)s), not a document; it was refused.")
            % {"name": name, "type": kind.mime},
            "file",
        )
    if kind is None or kind.extension not in ACCEPTED:
        raise ReportingError(
            _("%(name)s is not a type accepted as evidence (%(types)s); its content is %(what)s.")
            % {
                "name": name,
                "types": accepted_labels(),
                "what": kind.mime if kind else _("not recognised"),
            },
            "file",
        )
    mime, names, label = ACCEPTED[kind.extension]
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix not in names:
        raise ReportingError(
            _("%(name)s is named .%(suffix)s but its content is %(label)s; rename it and retry.")
            % {"name": name, "suffix": suffix or "?", "label": label},
            "file",
        )
    return Sniffed(kind.extension, mime)
