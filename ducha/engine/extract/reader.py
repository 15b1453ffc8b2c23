"""Read a policy document (.txt, .docx, .pdf) into plain text, defensively.

Limits, all checked before the expensive step:

* ``max_bytes`` (default 16 MiB) on the file itself: a policy document is well under 1 MiB of
  text; a 50 MB upload is refused at once from its size rather than parsed for a minute.
* ``.docx``: the zip members' declared sizes, and then their actual sizes while inflating
  (a zip can lie about its sizes), against ``MAX_DOCX_UNCOMPRESSED``; member count and
  compression ratio are bounded too. Only then does python-docx parse it.
* ``.pdf``: at most ``MAX_PDF_PAGES`` pages and ``MAX_PDF_SECONDS`` of text extraction.

Text files may be UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK as Excel and
older Windows tools save them. A file that mixes encodings line by line is read line by line;
a file that is mostly undecodable or contains control bytes is refused as binary.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

__all__ = ["DEFAULT_MAX_BYTES", "ExtractionError", "read_document"]

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_DOCX_MEMBERS = 2000
MAX_DOCX_RATIO = 200  # real Word XML compresses about 10:1; bombs compress 1000:1 and more
MAX_PDF_PAGES = 1000
MAX_PDF_SECONDS = 20.0
_BAD_CHARACTER_SHARE = 0.02  # replacement or control characters allowed in decoded text


class ExtractionError(ValueError):
    """A document that cannot be read. ``code`` is stable snake_case for translation."""

    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a .txt, .docx or .pdf file; "" for an empty file.

    Raises :class:`ExtractionError` for a file that is too large, of an unknown type, binary,
    undecodable, a zip bomb or a broken document.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ExtractionError("unreadable", f"{path}: cannot be read ({error.strerror})") from error
    if size > max_bytes:
        raise ExtractionError(
            "too_large", f"{path}: {size} bytes is over the limit of {max_bytes} bytes"
        )
    if size == 0:
        return ""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".docx":
        return _read_docx(path, data)
    if suffix == ".pdf":
        return _read_pdf(path, data)
    if suffix in (".txt", ".text", ".md", ""):
        return decode_text(data, name=str(path))
    raise ExtractionError("unsupported_type", f"{path}: only .txt, .docx and .pdf can be read")


# --- plain text ---------------------------------------------------------------------------------


def decode_text(data: bytes, name: str = "text") -> str:
    """Decode bytes whose encoding is not declared; see the module docstring."""
    if not data:
        return ""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding), name)
            except UnicodeDecodeError as error:
                raise ExtractionError(
                    "bad_encoding", f"{name}: starts with a {encoding} mark but is not {encoding}"
                ) from error
    if b"\x00" in data[:4096]:
        raise ExtractionError("binary", f"{name}: is a binary file, not text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), name)
        except UnicodeDecodeError:
            continue
    return _checked(_decode_line_by_line(data), name)


def _decode_line_by_line(data: bytes) -> str:
    """A file pasted together from UTF-8 and GBK parts: decode each line on its own."""
    lines = []
    for raw in data.split(b"\n"):
        for encoding in ("utf-8", "gb18030"):
            try:
                lines.append(raw.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            lines.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(lines)


def _checked(text: str, name: str) -> str:
    """Refuse text that is mostly replacement or control characters: it was binary after all."""
    sample = text[:200_000]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    if sample and bad / len(sample) > _BAD_CHARACTER_SHARE:
        raise ExtractionError(
            "binary", f"{name}: is not readable text (binary data or an unknown encoding)"
        )
    return text


# --- Word ---------------------------------------------------------------------------------------


def _read_docx(path: Path, data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ExtractionError("bad_docx", f"{path}: is not a Word (.docx) file") from error
    with archive:
        _check_zip_sizes(path, archive, len(data))
    return _docx_text(path, data)


def _check_zip_sizes(path: Path, archive: zipfile.ZipFile, compressed_size: int) -> None:
    members = archive.infolist()
    if len(members) > MAX_DOCX_MEMBERS:
        raise ExtractionError("zip_bomb", f"{path}: has {len(members)} parts, too many for a .docx")
    declared = sum(m.file_size for m in members)
    if declared > MAX_DOCX_UNCOMPRESSED or declared > compressed_size * MAX_DOCX_RATIO + 1_000_000:
        raise ExtractionError(
            "zip_bomb", f"{path}: would inflate to {declared} bytes; refused as a zip bomb"
        )
    budget = MAX_DOCX_UNCOMPRESSED
    for member in members:
        budget -= _inflated_size(path, archive, member, budget)


def _inflated_size(
    path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int
) -> int:
    """Inflate one member in chunks, stopping as soon as it outgrows its claim or the budget."""
    total = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 16):
                total += len(chunk)
                if total > budget or total > member.file_size:
                    raise ExtractionError(
                        "zip_bomb", f"{path}: part {member.filename} inflates beyond its size"
                    )
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as error:
        if isinstance(error, ExtractionError):
            raise
        raise ExtractionError("bad_docx", f"{path}: is damaged ({error})") from error
    return total


def _docx_text(path: Path, data: bytes) -> str:
    # Imported here so that reading text files does not pay for python-docx and lxml.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ExtractionError("bad_docx", f"{path}: is not a readable Word document") from error
    except Exception as error:  # lxml raises its own XMLSyntaxError family for broken XML
        raise ExtractionError("bad_docx", f"{path}: is damaged ({type(error).__name__})") from error
    return "\n".join(_docx_blocks(document))


def _docx_blocks(document) -> list[str]:
    """Paragraphs and table rows in body order (tables hold indicator lists in many plans)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                blocks.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))
    return blocks


# --- PDF ----------------------------------------------------------------------------------------


def _read_pdf(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("encrypted_pdf", f"{path}: is encrypted")
        pages = reader.pages
        count = len(pages)
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ExtractionError("bad_pdf", f"{path}: is not a readable PDF ({error})") from error
    if count > MAX_PDF_PAGES:
        raise ExtractionError("too_large", f"{path}: {count} pages is over {MAX_PDF_PAGES}")
    deadline = time.monotonic() + MAX_PDF_SECONDS
    texts = []
    for number, page in enumerate(pages, start=1):
        if time.monotonic() > deadline:
            raise ExtractionError("too_slow", f"{path}: text extraction took too long")
        try:
            texts.append(page.extract_text() or "")
        except Exception as error:  # pypdf raises many kinds on broken content streams
            raise ExtractionError(
                "bad_pdf", f"{path}: page {number} cannot be read ({type(error).__name__})"
            ) from error
    return reflow_pdf_lines("\n".join(texts))


def reflow_pdf_lines(text: str) -> str:
    """Join the lines a PDF wraps mid-sentence, keep the breaks after headings and sentences."""
    from ducha.engine.extract.structure import looks_like_heading

    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or _is_page_number(line):
            continue
        continues = (
            out
            and not out[-1].endswith(("。", "：", ":", "；", "！", "？"))
            and not looks_like_heading(line)
            and (not looks_like_heading(out[-1]) or len(out[-1]) > 40)
        )
        if continues:
            out[-1] += line
            continue
        out.append(line)
    return "\n".join(out)


def _is_page_number(line: str) -> bool:
    stripped = line.strip("-—－ 第页/共")
    return stripped.isdigit() and len(stripped) <= 4
