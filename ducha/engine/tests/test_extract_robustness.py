"""Bad input gives a clear ExtractionError or an empty result within seconds, never a crash."""

import io
import os
import time
import zipfile

import pytest

from ducha.engine.extract import ExtractionError, extract_targets, parse_structure, read_document
from ducha.engine.extract.cli import run
from ducha.engine.extract.reader import MAX_DOCX_UNCOMPRESSED, decode_text, reflow_pdf_lines

PLAN = "测试计划\n一、目标\n到2020年，建成10个项目，产业规模达到1000亿元。\n"


def _timed(function, *args, **kwargs):
    started = time.monotonic()
    try:
        return function(*args, **kwargs), time.monotonic() - started
    except ExtractionError as error:
        return error, time.monotonic() - started


def test_empty_file_gives_empty_text_and_no_targets(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_document(path) == ""
    assert extract_targets(parse_structure("")) == []


def test_binary_junk_is_refused_as_binary(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(20000))
    with pytest.raises(ExtractionError) as caught:
        read_document(path)
    assert caught.value.code == "binary"


def test_random_bytes_without_nul_are_refused_not_crashed(tmp_path):
    data = bytes(b for b in os.urandom(40000) if b not in (0, 10))
    path = tmp_path / "noise.txt"
    path.write_bytes(data)
    with pytest.raises(ExtractionError):
        read_document(path)


def test_fifty_megabyte_text_is_refused_within_seconds(tmp_path):
    path = tmp_path / "huge.txt"
    line = PLAN.encode("utf-8")
    with open(path, "wb") as handle:
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    assert path.stat().st_size >= 50 * 1024 * 1024
    error, seconds = _timed(read_document, path)
    assert isinstance(error, ExtractionError) and error.code == "too_large"
    assert seconds < 2
    out, err = io.StringIO(), io.StringIO()
    assert run(str(path), "jsonl", out, err_stream=err) == 1
    assert "over the limit" in err.getvalue() and out.getvalue() == ""


def test_fifty_megabyte_text_can_be_decoded_when_the_limit_is_raised(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(PLAN.encode("utf-8") * (50 * 1024 * 1024 // len(PLAN.encode("utf-8")) + 1))
    text, seconds = _timed(read_document, path, max_bytes=64 * 1024 * 1024)
    assert isinstance(text, str) and text.startswith("测试计划")
    assert seconds < 10


def test_utf8_bom_and_gbk_and_gb18030_are_decoded(tmp_path):
    for name, data in {
        "bom.txt": b"\xef\xbb\xbf" + PLAN.encode("utf-8"),
        "gbk.txt": PLAN.encode("gbk"),
        "gb18030.txt": (PLAN + "𠀀").encode("gb18030"),
        "utf16.txt": PLAN.encode("utf-16"),
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert read_document(path).startswith("测试计划"), name


def test_mixed_encoding_is_read_line_by_line():
    data = "第一行是UTF-8。\n".encode() + "第二行是GBK编码。\n".encode("gbk")
    assert decode_text(data).splitlines() == ["第一行是UTF-8。", "第二行是GBK编码。"]


def test_wrong_bom_gives_a_clear_error():
    with pytest.raises(ExtractionError) as caught:
        decode_text(b"\xef\xbb\xbf" + "中文".encode("gbk") + b"\xff\xfe\xfd")
    assert caught.value.code == "bad_encoding"


def test_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "plan.xls"
    path.write_bytes(b"whatever")
    with pytest.raises(ExtractionError) as caught:
        read_document(path)
    assert caught.value.code == "unsupported_type"


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ExtractionError) as caught:
        read_document(tmp_path / "nope.txt")
    assert caught.value.code == "unreadable"


def _docx_with_member(path, size):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(size // len(chunk)):
                member.write(chunk)


def test_docx_zip_bomb_is_refused_from_its_declared_size(tmp_path):
    path = tmp_path / "bomb.docx"
    _docx_with_member(path, MAX_DOCX_UNCOMPRESSED + (8 << 20))
    assert path.stat().st_size < 1 << 20  # it really is a bomb: tiny on disk
    error, seconds = _timed(read_document, path)
    assert isinstance(error, ExtractionError) and error.code == "zip_bomb"
    assert seconds < 5


def test_docx_that_lies_about_its_sizes_is_refused(tmp_path):
    honest = tmp_path / "honest.docx"
    _docx_with_member(honest, 4 << 20)
    data = bytearray(honest.read_bytes())
    # Rewrite the declared uncompressed size of every member to 100 bytes in the central
    # directory (signature PK\1\2, size at offset 24) and the local headers (PK\3\4, offset 22).
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + offset : start + offset + 4] = (100).to_bytes(4, "little")
            start += 4
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bytes(data))
    error, seconds = _timed(read_document, liar)
    assert isinstance(error, ExtractionError) and error.code in ("zip_bomb", "bad_docx")
    assert seconds < 5


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    path = tmp_path / "notword.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ExtractionError) as caught:
        read_document(path)
    assert caught.value.code == "bad_docx"


def test_docx_paragraphs_and_tables_are_read_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("测试计划")
    document.add_paragraph("一、目标")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "目标值"
    document.add_paragraph("到2020年，建成10个项目。")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    assert read_document(path).splitlines() == [
        "测试计划",
        "一、目标",
        "指标\t目标值",
        "到2020年，建成10个项目。",
    ]


def _minimal_pdf(text: str) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1")
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
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


def test_pdf_text_layer_is_read(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(_minimal_pdf("Build 10 projects by 2020."))
    assert "Build 10 projects by 2020." in read_document(path)


def test_damaged_pdf_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(3000))
    with pytest.raises(ExtractionError) as caught:
        read_document(path)
    assert caught.value.code in ("bad_pdf", "binary")


def test_pdf_lines_wrapped_mid_sentence_are_joined_but_headings_kept():
    raw = "一、目标\n到2020年，智能科技产业规模达到1000\n亿元。\n- 3 -\n（一）任务\n"
    assert reflow_pdf_lines(raw).splitlines() == [
        "一、目标",
        "到2020年，智能科技产业规模达到1000亿元。",
        "（一）任务",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "百分之" * 30000 + "二十",
        "一" * 100000 + "个",
        "1" * 100000 + "个",
        "2020年建设10个，" * 20000,
        "“" * 50000 + "1个",
        "一、\n" * 30000,
        "到" + " " * 100000 + "2020年",
    ],
    ids=[
        "percent-run",
        "numeral-run",
        "digit-run",
        "years-and-amounts",
        "quotes",
        "labels",
        "spaces",
    ],
)
def test_pathological_text_finishes_within_seconds(body):
    # CPU time of this process, not the wall clock: the guard is against runaway matching
    # (catastrophic backtracking), which a busy shared machine must not fake or hide.
    started = time.process_time()
    document = parse_structure("计划\n一、目标\n" + body)
    extract_targets(document)
    assert time.process_time() - started < 10
