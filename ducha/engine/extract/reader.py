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
import re
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
    """Paragraphs and table rows in body order (tables hold indicator lists and 任务分工 in many
    plans), with 专栏 boxes marked (structure.BOX_OPEN / BOX_CLOSE around their lines).

    A box is what Word draws as one: a table of a single cell, a table whose first cell opens
    with 专栏, a text box (w:txbxContent) or a run of framed paragraphs (w:pBdr / w:framePr).
    A cell merged across columns is written once; a cell merged down rows repeats in each row
    (a lead unit shared by several tasks belongs to each).
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from ducha.engine.extract.structure import BOX_CLOSE, BOX_OPEN

    blocks: list[str] = []
    numbering = _ListNumbering(document)
    framed = False
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            for box in _text_boxes(child):
                blocks += [BOX_OPEN, *box, BOX_CLOSE]
            is_framed = _is_framed(child) and bool(paragraph.text.strip())
            if is_framed and not framed:
                blocks.append(BOX_OPEN)
            elif framed and not is_framed:
                blocks.append(BOX_CLOSE)
            framed = is_framed
            label = numbering.label(paragraph)
            blocks.append(label + paragraph.text if paragraph.text.strip() else paragraph.text)
        elif tag == "tbl":
            if framed:
                blocks.append(BOX_CLOSE)
                framed = False
            table = Table(child, document)
            rows = [_row_cells(row) for row in table.rows]
            if _is_box(rows):
                blocks.append(BOX_OPEN)
                for cells in rows:
                    for cell in cells:
                        blocks += [p.text for p in cell.paragraphs if p.text.strip()]
                blocks.append(BOX_CLOSE)
            else:
                for cells in rows:
                    blocks.append("\t".join(cell.text.replace("\n", " ") for cell in cells))
    if framed:
        blocks.append(BOX_CLOSE)
    return blocks


def _row_cells(row) -> list:
    """The row's cells, a cell merged across columns (w:gridSpan) once."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(cell)
    return cells


def _is_box(rows: list[list]) -> bool:
    if not rows or not rows[0]:
        return False
    if len(rows) == 1 and len(rows[0]) == 1:
        return True
    first = rows[0][0].text.strip()
    return first.startswith("专栏") and all(len(cells) == 1 for cells in rows)


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _text_boxes(paragraph) -> list[list[str]]:
    """The lines of each text box anchored in a paragraph. Word writes a text box twice (the
    DrawingML shape and a VML fallback inside mc:AlternateContent); the fallback is skipped."""
    boxes = []
    for content in paragraph.iter(_W + "txbxContent"):
        if any(a.tag == _MC + "Fallback" for a in content.iterancestors()):
            continue
        lines = []
        for p in content.iter(_W + "p"):
            text = "".join(t.text or "" for t in p.iter(_W + "t"))
            if text.strip():
                lines.append(text)
        if lines:
            boxes.append(lines)
    return boxes


def _is_framed(paragraph) -> bool:
    ppr = paragraph.find(_W + "pPr")
    if ppr is None:
        return False
    borders = ppr.find(_W + "pBdr")
    if borders is not None and len(borders) >= 2:
        return True
    return ppr.find(_W + "framePr") is not None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Bullet glyphs that read as bullets in text; Symbol/Wingdings glyphs (private use area) do not.
_TEXT_BULLETS = frozenset("—–-●•◆◇▲■□★☆➢")


def _chinese_count(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else _chinese_count(rest))
        if 10 <= rest < 20:
            tail = "一" + tail  # 一百一十二
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):  # fmt: skip
        return _chinese_count(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)  # decimal, decimalZero and anything unknown


class _ListNumbering:
    """Word's automatic list numbering rendered as the label a reader sees (一、/（一）/1.).

    python-docx gives a paragraph's text without its list number; headings numbered by Word
    (w:numPr on the paragraph or on its style) would otherwise read as plain paragraphs. The
    number is computed from the numbering part: each level's format (numFmt), its text
    (lvlText such as "（%1）") and start, counting per list and restarting deeper levels when a
    shallower one moves on, as Word does.
    """

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract id → levels
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # num id → (abstract, overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numbering: dict[str, tuple[str, int] | None] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering part: no automatic numbers
        for abstract in root.iter(_W + "abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.iter(_W + "lvl"):
                ilvl = _int_attr(lvl, "ilvl", 0)
                fmt = _child_val(lvl, "numFmt") or "decimal"
                text = _child_val(lvl, "lvlText") or ""
                start = _int(_child_val(lvl, "start"), 1)
                levels[ilvl] = (fmt, text, start)
            self.levels[abstract.get(_W + "abstractNumId", "")] = levels
        for num in root.iter(_W + "num"):
            abstract_id = _child_val(num, "abstractNumId") or ""
            overrides: dict[int, int] = {}
            for override in num.iter(_W + "lvlOverride"):
                start = _child_val(override, "startOverride")
                if start is not None:
                    overrides[_int_attr(override, "ilvl", 0)] = _int(start, 1)
            self.nums[num.get(_W + "numId", "")] = (abstract_id, overrides)

    def label(self, paragraph) -> str:
        if not self.nums:
            return ""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        if num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        # Lists that share an abstract definition continue each other's numbers unless one
        # restarts with a startOverride (Word's behaviour).
        key = num_id if overrides else abstract_id
        counters = self.counters.setdefault(key, {})
        start = overrides.get(ilvl, levels[ilvl][2])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _ = levels[ilvl]
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return text if text and text[0] in _TEXT_BULLETS else ""

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _, level_start = levels.get(level, ("decimal", "", 1))
            value = counters.get(level, overrides.get(level, level_start))
            return _format_number(value, level_fmt)

        rendered = re.sub(r"%([1-9])", number, text)
        return rendered + " " if rendered.endswith(".") else rendered

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        ppr = paragraph._p.pPr
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _child_val(num_pr, "numId")
            if num_id is None or num_id == "0":
                return None  # numId 0 switches numbering off
            return num_id, _int(_child_val(num_pr, "ilvl"), 0)
        return self._style_num_pr(paragraph.style)

    def _style_num_pr(self, style) -> tuple[str, int] | None:
        """A heading style linked to a list numbers every paragraph in that style."""
        seen = 0
        while style is not None and seen < 10:
            seen += 1
            cached = self.style_numbering.get(style.style_id, False)
            if cached is not False:
                return cached
            ppr = style.element.pPr
            num_pr = ppr.find(_W + "numPr") if ppr is not None else None
            if num_pr is not None:
                num_id = _child_val(num_pr, "numId")
                found = (
                    None if num_id in (None, "0") else (num_id, _int(_child_val(num_pr, "ilvl"), 0))
                )
                self.style_numbering[style.style_id] = found
                return found
            style = style.base_style
        return None


def _child_val(element, name: str) -> str | None:
    child = element.find(_W + name)
    return child.get(_W + "val") if child is not None else None


def _int_attr(element, name: str, default: int) -> int:
    return _int(element.get(_W + name), default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


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
    plumbed = _PlumbedPdf(data)
    try:
        for number, page in enumerate(pages, start=1):
            if time.monotonic() > deadline:
                raise ExtractionError("too_slow", f"{path}: text extraction took too long")
            try:
                text = page.extract_text() or ""
            except Exception as error:  # pypdf raises many kinds on broken content streams
                raise ExtractionError(
                    "bad_pdf", f"{path}: page {number} cannot be read ({type(error).__name__})"
                ) from error
            if _DIVISION_HINT.search(text):
                text = plumbed.page_with_tables(number - 1) or text
            texts.append(text)
    finally:
        plumbed.close()
    return reflow_pdf_lines("\n".join(texts))


_DIVISION_HINT = re.compile(r"牵头|责任单位|责任部门")


class _PlumbedPdf:
    """A page whose text layer mentions 牵头 is read again with pdfplumber, which finds a
    table's cells from its ruling lines: a 任务分工 table comes out as tab-separated rows (a
    wrapped cell joined again) in its place among the page's lines. Other pages, and a page
    whose tables are not 分工 tables, keep pypdf's text."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf = None

    def page_with_tables(self, index: int) -> str | None:
        from ducha.engine.extract.assignments import is_division_header

        try:
            if self.pdf is None:
                import pdfplumber

                self.pdf = pdfplumber.open(io.BytesIO(self.data))
            page = self.pdf.pages[index]
            tables = [(table.bbox, table.extract()) for table in page.find_tables()]
        except Exception:  # a page pdfplumber cannot take apart keeps pypdf's text
            return None
        tables = [
            (bbox, rows)
            for bbox, rows in tables
            if rows and is_division_header([_cell(c) for c in rows[0]])
        ]
        if not tables:
            return None
        boxes = [bbox for bbox, _ in tables]

        def outside(obj) -> bool:
            x, top = obj.get("x0", 0), obj.get("top", 0)
            return not any(b[0] <= x <= b[2] and b[1] <= top <= b[3] for b in boxes)

        try:
            lines = page.filter(outside).extract_text_lines()
        except Exception:
            return None
        placed = [(line["top"], line["text"]) for line in lines]
        for bbox, rows in tables:
            body = "\n".join("\t".join(_cell(c) for c in row) for row in rows)
            placed.append((bbox[1], body))
        return "\n".join(text for _, text in sorted(placed, key=lambda item: item[0]))

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _cell(value: str | None) -> str:
    """A table cell's text with the lines a narrow cell wrapped joined again."""
    lines = [line.strip() for line in (value or "").split("\n") if line.strip()]
    joined = ""
    for line in lines:
        sep = " " if joined and joined[-1].isascii() and line[0].isascii() else ""
        joined += sep + line
    return joined


def reflow_pdf_lines(text: str) -> str:
    """Join the lines a PDF wraps mid-sentence, keep the breaks after headings and sentences."""
    from ducha.engine.extract.structure import looks_like_heading

    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip(" \r\f\v")
        if not line.strip() or _is_page_number(line.strip()):
            continue
        continues = (
            out
            and "\t" not in raw
            and "\t" not in out[-1]
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
