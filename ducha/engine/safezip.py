"""Opening untrusted zip packages (.xlsx, .docx) so that no parser can be bombed through them.

Two layers, both structural (they hold whatever the parser on top does):

* :func:`open_package` refuses an archive from its directory alone, before anything is
  inflated: too many parts, a declared unpacked size over the limit (in all, or for a part a
  parser reads whole, such as an .xlsx's shared strings), or a compression ratio no office
  file has (real Office XML compresses about 10:1; bombs 1000:1 and more).
* The archive it returns hands out *guarded* streams: every read checks the deadline, and
  every XML part is fed, as it is read, through expat to refuse a DTD (entity expansion), an
  element nested deeper than any office file nests, or one text run longer than allowed.
  Python's ``zipfile`` already stops at the declared size (and fails the CRC), so a part that
  lies about its size cannot inflate past it.

Pure Python (zipfile, pyexpat): no Django here; messages are the caller's.
"""

from __future__ import annotations

import fnmatch
import io
import time
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

__all__ = ["PackageError", "ZipLimits", "open_package", "read_all"]

XML_SUFFIXES = (".xml", ".rels", ".vml")
CHUNK = 1 << 16


@dataclass(frozen=True)
class ZipLimits:
    max_unpacked: int  # bytes, all parts together as declared in the directory
    # (fnmatch pattern, bytes): the first pattern a part's name matches limits its size
    part_limits: tuple[tuple[str, int], ...] = ()
    max_members: int = 2000
    max_ratio: int = 200
    ratio_slack: int = 1 << 20  # small parts may compress better than the ratio
    max_depth: int = 64  # Office XML nests about ten deep
    max_text: int = 10_000_000  # characters in one run of text between two tags
    deadline: float | None = None  # a time.monotonic() value, checked on every read


class PackageError(Exception):
    """A package refused as unsafe or unreadable; ``code`` says why (stable, for messages).

    Not a ValueError on purpose: parsers (openpyxl) turn ValueErrors into their own message.
    """

    def __init__(self, code: str, part: str = "", size: int = 0, limit: int = 0):
        super().__init__(f"{code}: {part} {size} > {limit}".strip())
        self.code = code
        self.part = part
        self.size = size
        self.limit = limit


def open_package(data: bytes, limits: ZipLimits) -> GuardedZipFile:
    """The archive, checked from its directory; its parts open as guarded streams."""
    try:
        archive = GuardedZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PackageError("not_zip") from None
    archive.limits = limits
    try:
        _check_directory(archive, len(data), limits)
    except PackageError:
        archive.close()
        raise
    return archive


def _check_directory(archive: zipfile.ZipFile, compressed: int, limits: ZipLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise PackageError("too_many_parts", size=len(members), limit=limits.max_members)
    declared = sum(m.file_size for m in members)
    if declared > limits.max_unpacked:
        raise PackageError("too_large", size=declared, limit=limits.max_unpacked)
    if declared > compressed * limits.max_ratio + limits.ratio_slack:
        raise PackageError("ratio", size=declared, limit=compressed * limits.max_ratio)
    for member in members:
        if member.file_size > member.compress_size * limits.max_ratio + limits.ratio_slack:
            raise PackageError("ratio", member.filename, member.file_size, member.compress_size)
        for pattern, limit in limits.part_limits:  # the first pattern that matches applies
            if fnmatch.fnmatch(member.filename, pattern):
                if member.file_size > limit:
                    raise PackageError("part_too_large", member.filename, member.file_size, limit)
                break


class GuardedZipFile(zipfile.ZipFile):
    """A ZipFile whose parts open as :class:`GuardedStream` (``read`` goes through ``open``)."""

    limits: ZipLimits

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        stream = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return stream
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        return GuardedStream(stream, filename, self.limits)


class GuardedStream(io.RawIOBase):
    """A part being read: deadline on every read; XML parts scanned by expat as they pass."""

    def __init__(self, inner, name: str, limits: ZipLimits):
        super().__init__()
        self.inner = inner
        self.name = name
        self.limits = limits
        self.depth = 0
        self.text = 0
        self.scanner = _scanner(self) if name.lower().endswith(XML_SUFFIXES) else None

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            parts = []
            while chunk := self.read(CHUNK):
                parts.append(chunk)
            return b"".join(parts)
        deadline = self.limits.deadline
        if deadline is not None and time.monotonic() > deadline:
            raise PackageError("too_slow", self.name)
        try:
            data = self.inner.read(size)
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise PackageError("damaged", self.name) from error
        if self.scanner is not None:
            try:
                self.scanner.Parse(data, not data)
            except expat.ExpatError:
                # Not well-formed: the real parser says so in its own words; stop scanning.
                self.scanner = None
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        self.scanner = None
        super().close()

    # expat handlers
    def _start(self, name, attributes):
        self.depth += 1
        self.text = 0
        if self.depth > self.limits.max_depth:
            raise PackageError("xml_depth", self.name, self.depth, self.limits.max_depth)

    def _end(self, name):
        self.depth -= 1
        self.text = 0

    def _characters(self, data):
        self.text += len(data)
        if self.text > self.limits.max_text:
            raise PackageError("xml_text", self.name, self.text, self.limits.max_text)

    def _doctype(self, *args):
        raise PackageError("xml_doctype", self.name)


def _scanner(stream: GuardedStream):
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.StartElementHandler = stream._start
    parser.EndElementHandler = stream._end
    parser.CharacterDataHandler = stream._characters
    parser.StartDoctypeDeclHandler = stream._doctype
    parser.EntityDeclHandler = stream._doctype
    return parser


def read_all(archive: GuardedZipFile) -> int:
    """Read (inflate and scan) every part once; the unpacked size. For parsers that are not
    given the guarded archive (python-docx opens the bytes itself)."""
    total = 0
    for member in archive.infolist():
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                total += len(chunk)
    return total
