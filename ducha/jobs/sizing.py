"""Whether an uploaded table is big enough to import in the background.

Counted cheaply, before anything is parsed: the lines of a CSV, the dimension an XLSX sheet
declares (or its uncompressed size when it declares none). A guess is enough: a file a little
over or under the threshold is imported either way, and the reader never trusts the guess.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings

BYTES_PER_XLSX_ROW = 150  # a rough row of sheet XML, when a sheet states no dimension


def estimate_rows(name: str, data: bytes) -> int:
    if data[:4] != b"PK\x03\x04":
        return data.count(b"\n") + 1
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
            rows = 0
            for info in sheets:
                with archive.open(info) as f:
                    head = f.read(2048)
                rows += _dimension_rows(head) or info.file_size // BYTES_PER_XLSX_ROW
            return rows
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # not a workbook: the import itself says what is wrong, at once


def _dimension_rows(head: bytes) -> int | None:
    """The last row of `<dimension ref="A1:H5000"/>` near the start of a sheet's XML."""
    start = head.find(b"<dimension ")
    if start < 0:
        start = head.find(b":dimension ")
    if start < 0:
        return None
    ref_at = head.find(b'ref="', start)
    end = head.find(b'"', ref_at + 5)
    if ref_at < 0 or end < 0:
        return None
    ref = head[ref_at + 5 : end].decode("ascii", "replace")
    last = ref.split(":")[-1]
    digits = "".join(ch for ch in last if ch.isdigit())
    return int(digits) if digits else None


def in_background(name: str, data: bytes) -> bool:
    """Large but within the limits: a job. A file that claims more rows than an import may
    hold (a lying dimension, a zip that unpacks to gigabytes) is read in the request instead,
    where the bounded reader refuses it at once on the upload page, or finds it small."""
    rows = estimate_rows(name, data)
    return settings.DUCHA_IMPORT_SYNC_ROWS < rows <= settings.DUCHA_IMPORT_MAX_ROWS
