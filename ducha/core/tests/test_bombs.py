"""The bomb corpus (``bombs.py``) fed to every importer and to the extraction upload: each is
refused with a clear Chinese message, within 5 s and 300 MB, and nothing is written.

How time and memory are measured, and why: the machine running the suite is shared (two cores,
often a dozen processes), so wall time says more about the neighbours than about the code.
``time.process_time()`` counts the CPU this process spent, which waiting for a core does not
inflate; every entry point is timed so, around the call only (after the bomb was built).
Memory is ``tracemalloc``'s peak: what Python allocated for the read (rows, strings, inflated
bytes, parser objects), whatever else runs on the machine. tracemalloc slows Python several
times over, so it is taken in its own tests, around the readers every entry point goes through
(``core.tables`` for the imports, ``engine.extract.reader`` for the upload), not around the
pages, whose own allocations (templates, the test client) say nothing about the bomb.
The limits themselves are structural, in ``core/tables.py`` and ``engine/safezip.py``; these
numbers check them.
"""

import functools
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ducha.core.tests import bombs

# No module-wide database mark: the memory tests read files only, so the PostgreSQL pass of
# `make test` (database tests only) leaves them out; every other test asks for the database
# through its fixtures.

SECONDS = 5
BYTES = 300 * 1024 * 1024

# What each refusal says (the Chinese words of its message), by bomb.
XLSX = {
    "dimension": "超出文件最多",
    "shared_string": "解压后超过",
    "long_cell": "超过 32767 个字符",
    "empty_rows": "空行也计算在内",
    "empty_rows_deflated": "空行也计算在内",
    "wide_row": "超过 256 列",
    "deep_xml": "嵌套超过",
    "entities": "XML 实体",
    "zip_ratio": "压缩比",
    "lying_sizes": "不是可读取的 Excel 工作簿",
}
CSV = {
    "huge_csv_line": "个字符",
    "huge_csv_field": "个字符",
    "csv_empty_lines": "空行也计算在内",
}
DOCUMENTS = {
    "ratio.docx": (bombs.docx_ratio_bomb, "解压后的数据量远超"),
    "deep.docx": (bombs.docx_deep_bomb, "存在安全风险"),
    "pages.pdf": (bombs.many_pages_pdf, "共 5000 页"),
}


@functools.cache
def bomb(name: str) -> tuple[str, bytes]:
    """(file name, bytes) of a bomb, built once per test session."""
    if name in XLSX:
        return f"{name}.xlsx", bombs.XLSX_BOMBS[name]()
    return f"{name}.csv", bombs.CSV_BOMBS[name]()


def timed(call):
    """call() → (its result or the exception it raised, CPU seconds)."""
    started = time.process_time()
    try:
        outcome = call()
    except Exception as error:  # the refusal, for the caller to look at
        outcome = error
    return outcome, time.process_time() - started


def peak_memory(call) -> int:
    """The most Python held at once during call() (it is expected to raise), in bytes."""
    tracemalloc.start()
    try:
        call()
    except Exception:
        pass
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def written():
    """Counts of everything an import or an upload could write."""
    from ducha.audit.models import AuditEntry
    from ducha.datavalues.models import DataValue
    from ducha.enterprises.models import Enterprise
    from ducha.extraction.models import DocumentUpload
    from ducha.incentives.models import Application
    from ducha.plans.models import Plan
    from ducha.projects.models import Project

    models = (AuditEntry, DataValue, Enterprise, DocumentUpload, Application, Plan, Project)
    counts = {m.__name__: m._default_manager.count() for m in models}
    # a background job's own bookkeeping (its row and "job started") is not the import writing
    counts["AuditEntry"] = AuditEntry.objects.exclude(action__startswith="jobs.").count()
    return counts


def check(call, expected: str):
    before = written()
    outcome, seconds = timed(call)
    text = outcome if isinstance(outcome, str) else str(outcome)
    assert expected in text, text[:500]
    assert seconds < SECONDS, f"{seconds:.1f} s of CPU"
    assert written() == before


def _page(client, url, data) -> str:
    # A file that looks large but within the row limit (by its unpacked size: these bombs
    # declare no dimension) is imported as a background job (run at once in tests): the refusal
    # is then on the job's page, where the upload page sends the user. One that claims more
    # rows than the limit is refused on the upload page itself.
    response = client.post(url, data, follow=True)
    assert response.status_code in (200, 400)  # the upload page says 400 with its problems
    return response.content.decode()


ALL = [*XLSX, *CSV]
EXPECTED = {**XLSX, **CSV}


@pytest.mark.parametrize("name", ALL)
def test_the_value_import_page_refuses_the_bomb(name, client, office, tianjin_plan):
    file_name, data = bomb(name)
    client.force_login(office)
    url = reverse("datavalues:import")
    form = {"plan": tianjin_plan.pk, "status": "submitted"}
    check(
        lambda: _page(client, url, {**form, "file": SimpleUploadedFile(file_name, data)}),
        EXPECTED[name],
    )


@pytest.mark.parametrize("name", ALL)
def test_the_value_import_command_refuses_the_bomb(name, tianjin_plan, tmp_path):
    file_name, data = bomb(name)
    path = tmp_path / file_name
    path.write_bytes(data)
    check(lambda: call_command("importvalues", str(path), plan=tianjin_plan.code), EXPECTED[name])


@pytest.mark.parametrize("name", ALL)
def test_the_incentives_import_page_refuses_the_bomb(name, client, office):
    file_name, data = bomb(name)
    client.force_login(office)
    url = reverse("incentives:import")
    check(lambda: _page(client, url, {"file": SimpleUploadedFile(file_name, data)}), EXPECTED[name])


@pytest.mark.parametrize("name", ALL)
def test_the_register_import_command_refuses_the_bomb(name, tianjin_units, tmp_path):
    file_name, data = bomb(name)
    path = tmp_path / file_name
    path.write_bytes(data)
    check(lambda: call_command("importregister", "enterprises", str(path)), EXPECTED[name])


def _register_keys():
    from ducha.registers import base

    return sorted(base.CATALOGUE)


@pytest.mark.parametrize("key", _register_keys())
@pytest.mark.parametrize("name", ["dimension", "zip_ratio", "huge_csv_line"])
def test_every_register_import_page_refuses_the_bomb(key, name, client, office):
    from ducha.registers import base

    file_name, data = bomb(name)
    client.force_login(office)
    url = reverse(f"{base.get(key).namespace}:import")
    check(lambda: _page(client, url, {"file": SimpleUploadedFile(file_name, data)}), EXPECTED[name])


@pytest.mark.parametrize("file_name", sorted(DOCUMENTS))
def test_the_extraction_upload_refuses_the_bomb(file_name, client, office, tianjin_units):
    build, expected = DOCUMENTS[file_name]
    data = build()
    client.force_login(office)
    url = reverse("extraction:index")
    check(lambda: _page(client, url, {"file": SimpleUploadedFile(file_name, data)}), expected)


@pytest.mark.parametrize("name", ALL)
def test_reading_the_bomb_stays_within_the_memory_bound(name, settings):
    from ducha.core.tables import read_workbook

    file_name, data = bomb(name)
    assert peak_memory(lambda: read_workbook(file_name, data)) < BYTES


@pytest.mark.parametrize("file_name", sorted(DOCUMENTS))
def test_reading_the_document_bomb_stays_within_the_memory_bound(file_name, tmp_path):
    from ducha.engine.extract.reader import read_document

    path = tmp_path / file_name
    path.write_bytes(DOCUMENTS[file_name][0]())
    assert peak_memory(lambda: read_document(path)) < BYTES


def test_a_command_refusal_is_a_command_error_in_chinese(tianjin_plan, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb("dimension")[1])
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("importvalues", str(path), plan=tianjin_plan.code)


def test_a_read_past_its_deadline_is_stopped_with_a_message(settings):
    """The deadline is checked on every row and every chunk inflated; here it has passed
    before the first."""
    from ducha.core.tables import ImportError_, read_workbook

    settings.DUCHA_IMPORT_MAX_SECONDS = 0
    with pytest.raises(ImportError_, match="读取文件超过 0 秒"):
        read_workbook("slow.xlsx", bomb("empty_rows")[1])
