"""Documents built in the tests (txt, docx, pdf) and a draft plan extracted from the seed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2]
SEED = PKG / "data" / "tianjin-2018" / "plan.txt"
GOLD = PKG / "data" / "tianjin-2018" / "gold-targets.jsonl"
CORPUS = PKG / "engine" / "tests" / "corpus"

# A short plan in the genre, small enough to read in a failing test.
SMALL_PLAN = """某市人工智能产业发展三年行动计划（2021—2023年）
一、发展目标
到2023年，全市人工智能核心产业规模达到500亿元，培育20家领军企业，建设10个以上创新平台。
二、重点任务
（一）壮大产业集群
建设3至5个人工智能产业园区。
（二）推进示范应用
实施100项应用示范工程。
三、保障措施
加强组织领导，完善工作机制。
"""
SMALL_PLAN_TARGETS = 5


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines``, in Chinese.

    Type0 font with Identity-H encoding and a ToUnicode map, character code = code point: no
    glyphs are embedded (nothing renders), but the text layer reads back exactly.
    """
    chars = sorted({ord(c) for line in lines for c in line})
    blocks = "".join(
        f"{len(part)} beginbfchar\n"
        + "".join(f"<{c:04X}> <{c:04X}>\n" for c in part)
        + "endbfchar\n"
        for part in (chars[i : i + 100] for i in range(0, len(chars), 100))
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()
    operations = ["BT", "/F1 10 Tf"]
    for row, line in enumerate(lines):
        operations.append(f"1 0 0 1 20 {800 - 14 * row} Tm")
        operations.append("<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj")
    operations.append("ET")
    content = "\n".join(operations).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def zip_bomb_docx(path: Path, inflated: int = 80 << 20) -> Path:
    """A .docx-named zip that is tiny on disk and inflates to ``inflated`` bytes."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return path


@pytest.fixture
def seed_draft(office):
    """The seed plan uploaded by the office: a draft with one indicator per extracted target."""
    from ducha.extraction.services import upload_document

    data = SEED.read_bytes()
    result = upload_document(office, "plan.txt", [data], len(data), code="tianjin-draft")
    return result.upload.plan


@pytest.fixture
def small_draft(office):
    from ducha.extraction.services import upload_document

    data = SMALL_PLAN.encode("utf-8")
    result = upload_document(office, "small.txt", [data], len(data), code="small-draft")
    return result.upload.plan
