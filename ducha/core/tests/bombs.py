"""The bomb corpus: hostile upload files, generated in code (nothing big is committed).

Each builder returns the file's bytes. They are small on the wire and huge, deep or endless
once a careless reader opens them: the refusals are tested in ``test_bombs.py``.

Big deflate streams are assembled from one compressed block repeated (each block ends with a
full flush, so the blocks are independent and can be concatenated): a 2 GB string costs a
few hundred milliseconds to build instead of compressing 2 GB.
"""

from __future__ import annotations

import io
import struct
import zlib

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{CT_NS}">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_CT}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CT}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_CT}.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
    f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
    '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
EMPTY_SST = f'<sst xmlns="{MAIN_NS}" count="0" uniqueCount="0"/>'


# --- zip files, by hand where a stream is repeated ---------------------------------------------


class Member:
    """One zip member: its compressed bytes, CRC and sizes (declared may differ from real)."""

    def __init__(self, name: str, raw: bytes, method: int, crc: int, size: int, declared=None):
        self.name = name
        self.raw = raw
        self.method = method
        self.crc = crc
        self.size = size
        self.declared = size if declared is None else declared


def stored(name: str, data: bytes | str) -> Member:
    data = data.encode() if isinstance(data, str) else data
    return Member(name, data, 0, zlib.crc32(data), len(data))


def deflated(name: str, data: bytes | str) -> Member:
    data = data.encode() if isinstance(data, str) else data
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(data) + compressor.flush()
    return Member(name, raw, 8, zlib.crc32(data), len(data))


def repeated(name: str, prefix: bytes, chunk: bytes, times: int, suffix: bytes) -> Member:
    """prefix + chunk × times + suffix, deflated without compressing every repetition."""
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = [head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)]
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    block_raw = block.compress(chunk) + block.flush(zlib.Z_FULL_FLUSH)
    raw.append(block_raw * times)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw.append(tail.compress(suffix) + tail.flush())
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return Member(name, b"".join(raw), 8, crc, len(prefix) + len(chunk) * times + len(suffix))


def zip_bytes(members: list[Member]) -> bytes:
    """A zip archive (ZIP64 where a size needs it) of the members, exactly as given."""
    out = io.BytesIO()
    central = []
    for m in members:
        offset = out.tell()
        name = m.name.encode()
        big = m.declared >= 0xFFFFFFFF or len(m.raw) >= 0xFFFFFFFF
        extra = struct.pack("<HHQQ", 1, 16, m.declared, len(m.raw)) if big else b""
        sizes = (0xFFFFFFFF, 0xFFFFFFFF) if big else (len(m.raw), m.declared)
        version = 45 if big else 20
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                version,
                0x800,
                m.method,
                0,
                0x21,
                m.crc,
                *sizes,
                len(name),
                len(extra),
            )
            + name
            + extra
            + m.raw
        )
        cextra = struct.pack("<HHQQQ", 1, 24, m.declared, len(m.raw), offset) if big else b""
        coffset = 0xFFFFFFFF if big else offset
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                version,
                version,
                0x800,
                m.method,
                0,
                0x21,
                m.crc,
                *sizes,
                len(name),
                len(cextra),
                0,
                0,
                0,
                0,
                coffset,
            )
            + name
            + cextra
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                          len(directory), start, 0))  # fmt: skip
    return out.getvalue()


def xlsx(sheet_xml: Member, shared_strings: Member | None = None, extra=()) -> bytes:
    """A minimal workbook with one sheet (数据) around the given sheet part."""
    return zip_bytes(
        [
            deflated("[Content_Types].xml", CONTENT_TYPES),
            deflated("_rels/.rels", ROOT_RELS),
            deflated("xl/workbook.xml", WORKBOOK),
            deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            sheet_xml,
            shared_strings or deflated("xl/sharedStrings.xml", EMPTY_SST),
            *extra,
        ]
    )


def sheet(rows: str, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN_NS}">{dim}<sheetData>{rows}</sheetData></worksheet>'


HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>指标代码</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>单位</t></is></c></row>'
)


# --- the corpus ----------------------------------------------------------------------------------


def dimension_bomb() -> bytes:
    """1.6 KB: declares A1:XFD1048576 and holds one cell at XFD1048576."""
    rows = HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return xlsx(deflated("xl/worksheets/sheet1.xml", sheet(rows, "A1:XFD1048576")))


def shared_string_bomb(size: int = 2 * 1024**3) -> bytes:
    """A couple of MB holding one shared string of ``size`` characters (2 GB by default)."""
    prefix = f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>'.encode()
    strings = repeated(
        "xl/sharedStrings.xml", prefix, b"a" * (1 << 20), size >> 20, b"</t></si></sst>"
    )
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx(deflated("xl/worksheets/sheet1.xml", sheet(rows)), strings)


def long_cell_bomb(chars: int = 100_000) -> bytes:
    """One shared string of 100,000 varied characters used as a cell: Excel's cells stop at
    32,767."""
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(chars))
    strings = deflated(
        "xl/sharedStrings.xml",
        f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>',
    )
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx(deflated("xl/worksheets/sheet1.xml", sheet(rows)), strings)


def empty_rows_bomb(count: int = 300_000) -> bytes:
    """Stored (not compressed, so the ratio check does not catch it): ``count`` empty rows."""
    return xlsx(stored("xl/worksheets/sheet1.xml", sheet(HEADER_ROW + "<row/>" * count)))


def empty_rows_deflated_bomb(count: int = 20_000_000) -> bytes:
    """Twenty million ``<row/>`` in a few hundred KB."""
    prefix = f'<worksheet xmlns="{MAIN_NS}"><sheetData>{HEADER_ROW}'.encode()
    part = repeated(
        "xl/worksheets/sheet1.xml", prefix, b"<row/>" * 1000, count // 1000,
        b"</sheetData></worksheet>",
    )  # fmt: skip
    return xlsx(part)


def wide_row_bomb(columns: int = 16_384) -> bytes:
    """One row with a value in every column Excel has."""
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(i)}2"><v>{i}</v></c>' for i in range(1, columns + 1))
    return xlsx(
        deflated("xl/worksheets/sheet1.xml", sheet(HEADER_ROW + f'<row r="2">{cells}</row>'))
    )


def deep_xml_bomb(depth: int = 1_000_000) -> bytes:
    """A cell nested a million elements deep, stored so that only the depth gives it away."""
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is>' + "<r>" * depth
    rows += "</r>" * depth + "</is></c></row>"
    return xlsx(stored("xl/worksheets/sheet1.xml", sheet(rows)))


def entity_bomb() -> bytes:
    """The billion laughs in the shared strings part."""
    lol = '<!ENTITY a0 "lollollollollollollollol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    strings = deflated(
        "xl/sharedStrings.xml",
        f'<?xml version="1.0"?><!DOCTYPE sst [{lol}]><sst xmlns="{MAIN_NS}" count="1" '
        'uniqueCount="1"><si><t>&a9;</t></si></sst>',
    )
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx(deflated("xl/worksheets/sheet1.xml", sheet(rows)), strings)


def ratio_bomb(size: int = 200 * 1024**2) -> bytes:
    """An innocent-looking extra part of 200 MB of zeros, compressed about 1000 to 1."""
    part = repeated("xl/media/image1.bin", b"", b"\0" * (1 << 20), size >> 20, b"")
    rows = HEADER_ROW
    return xlsx(deflated("xl/worksheets/sheet1.xml", sheet(rows)), extra=[part])


def lying_sizes_bomb(size: int = 512 * 1024**2) -> bytes:
    """A part whose header claims 1 KB but which inflates to 512 MB."""
    part = repeated("xl/worksheets/sheet1.xml", b"", b" " * (1 << 20), size >> 20, b"")
    part.declared = 1024
    return xlsx(part)


def huge_csv_line(size: int = 28 * 1024**2) -> bytes:
    """One line of 28 MB: fourteen million empty fields."""
    return "指标代码,单位,期间,数值\n".encode() + b"," * size + b"\n"


def huge_csv_field(size: int = 28 * 1024**2) -> bytes:
    """One field of 28 MB in one line."""
    return "指标代码,单位,期间,数值\n".encode() + b"a" * size + b"\n"


def csv_empty_lines(count: int = 28 * 1024**2) -> bytes:
    """Twenty-eight million empty lines."""
    return "指标代码,单位,期间,数值\n".encode() + b"\n" * count


def docx_ratio_bomb(size: int = 1024**3) -> bytes:
    """A Word file whose document part inflates to 1 GB."""
    prefix = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>"
    )
    part = repeated("word/document.xml", prefix, b"a" * (1 << 20), size >> 20,
                    b"</w:t></w:r></w:p></w:body></w:document>")  # fmt: skip
    return zip_bytes([deflated("[Content_Types].xml", CONTENT_TYPES), part])


def docx_deep_bomb(depth: int = 1_000_000) -> bytes:
    body = "<w:p>" * depth + "</w:p>" * depth
    document = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return zip_bytes(
        [deflated("[Content_Types].xml", CONTENT_TYPES), stored("word/document.xml", document)]
    )


def many_pages_pdf(pages: int = 5000) -> bytes:
    """A valid PDF of ``pages`` blank pages (a few hundred KB)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


XLSX_BOMBS = {
    "dimension": dimension_bomb,
    "shared_string": shared_string_bomb,
    "long_cell": long_cell_bomb,
    "empty_rows": empty_rows_bomb,
    "empty_rows_deflated": empty_rows_deflated_bomb,
    "wide_row": wide_row_bomb,
    "deep_xml": deep_xml_bomb,
    "entities": entity_bomb,
    "zip_ratio": ratio_bomb,
    "lying_sizes": lying_sizes_bomb,
}
CSV_BOMBS = {
    "huge_csv_line": huge_csv_line,
    "huge_csv_field": huge_csv_field,
    "csv_empty_lines": csv_empty_lines,
}
