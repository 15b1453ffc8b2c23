"""`ducha extract FILE`: the BRIEF's jsonl contract, the draft plan file, and clear errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ducha.core.tests.columns import read_rows
from ducha.engine.extract.cli import run
from ducha.extraction.tests.conftest import (
    CORPUS,
    GOLD,
    SEED,
    SMALL_PLAN,
    docx_bytes,
    pdf_bytes,
    zip_bomb_docx,
)
from ducha.plans.models import Indicator, Plan, PlanState


def _extract(*args, **options) -> str:
    out = io.StringIO()
    call_command("extract", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def _matches(gold: dict, predicted: dict) -> bool:
    """The BRIEF's rule: same numbers and unit, and one sentence contains the other."""
    return (
        Decimal(str(gold["value_min"])) == Decimal(str(predicted["value_min"]))
        and Decimal(str(gold["value_max"])) == Decimal(str(predicted["value_max"]))
        and gold["unit"] == predicted["unit"]
        and (gold["sentence"] in predicted["sentence"] or predicted["sentence"] in gold["sentence"])
    )


def test_jsonl_on_the_seed_prints_one_object_a_line_matching_the_gold_targets():
    lines = _extract(str(SEED), format="jsonl").splitlines()
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    predicted = [json.loads(line) for line in lines]
    assert len(lines) == len(gold) == 29
    for target in predicted:
        assert {"sentence", "indicator", "year", "value_min", "value_max", "unit"} <= set(target)
        assert target["comparator"] in (">=", "<=", "=")
        assert target["kind"] in ("level", "change")
    unmatched = list(predicted)
    for expected in gold:
        match = next((p for p in unmatched if _matches(expected, p)), None)
        assert match is not None, f"gold target not extracted: {expected['sentence']}"
        unmatched.remove(match)
        assert match["year"] == expected["year"], expected["sentence"]
        assert match["comparator"] == expected["comparator"], expected["sentence"]
        assert match["kind"] == expected["kind"], expected["sentence"]
    assert unmatched == []


def test_jsonl_is_what_the_engine_command_line_prints():
    engine_out = io.StringIO()
    assert run(str(SEED), "jsonl", engine_out) == 0
    assert _extract(str(SEED), format="jsonl") == engine_out.getvalue()


def test_jsonl_keeps_chinese_as_written():
    first = _extract(str(SEED), format="jsonl").splitlines()[0]
    assert "\\u" not in first and "实施" in first


def test_table_is_the_default_and_ends_with_the_count():
    from django.utils import translation

    with translation.override("en"):
        table = _extract(str(SEED))
    assert table.splitlines()[0].split()[:3] == ["section", "year", "value"]
    assert table.rstrip().endswith("29 targets in all")
    with translation.override("zh-hans"):
        table = _extract(str(SEED))
    assert table.splitlines()[0].split()[:3] == ["章节", "年度", "数值"]
    assert table.rstrip().endswith("共 29 项量化目标")


def test_the_table_is_chinese_and_aligned_by_display_width():
    with translation.override("zh-hans"):
        lines = _extract(str(SEED)).splitlines()
        targets = [
            json.loads(line)
            for line in _extract(str(SEED), "--format", "jsonl").split("\n")
            if line
        ]
    header, rows, footer = lines[0], lines[1:-1], lines[-1]
    assert header.split() == ["章节", "年度", "数值", "计量单位", "比较", "类型", "方向", "指标"]
    assert footer == f"共 {len(targets)} 项量化目标"
    cells = read_rows(header, rows)  # every cell starts at its heading's display column
    assert [c["指标"] for c in cells] == [t["indicator"] for t in targets]
    assert {c["比较"] for c in cells} <= {"不低于", "不高于", "达到"}
    assert {c["类型"] for c in cells} == {"总量", "变化幅度"}
    assert {c["方向"] for c in cells} <= {"越高越好", "越低越好"}
    for cell, target in zip(cells, targets, strict=True):
        low, high = target["value_min"], target["value_max"]
        assert cell["数值"] == (f"{low}" if low == high else f"{low}至{high}")
        assert cell["计量单位"] == target["unit"] and cell["年度"] == str(target["year"] or "")


def test_a_document_without_targets_prints_nothing_in_jsonl(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("关于开展安全检查的通知\n一、工作要求\n各单位要高度重视。\n", encoding="utf-8")
    err = io.StringIO()
    out = io.StringIO()
    call_command("extract", str(path), format="jsonl", stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert str(path) in err.getvalue()


@pytest.mark.django_db
def test_yaml_of_the_seed_loads_as_a_draft_with_every_target_as_an_indicator(tmp_path):
    plan_file = tmp_path / "plan.yaml"
    _extract(str(SEED), format="yaml", code="tianjin-draft", output=str(plan_file))
    targets = [json.loads(line) for line in _extract(str(SEED), format="jsonl").splitlines()]
    call_command("loadplan", str(plan_file), stdout=io.StringIO())
    plan = Plan.objects.get(code="tianjin-draft")
    assert plan.state == PlanState.DRAFT
    indicators = list(plan.indicators.select_related("node").order_by("position"))
    assert len(indicators) == len(targets) == 29
    for indicator, target in zip(indicators, targets, strict=True):
        assert indicator.sentence == target["sentence"]
        assert indicator.node.key == target["node"]
        assert indicator.target_min == Decimal(str(target["value_min"]))
        assert indicator.target_max == Decimal(str(target["value_max"]))
        assert indicator.comparator == target["comparator"]
        start, end = target["span"]
        assert indicator.node.text[start:end] == indicator.sentence


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_yaml_of_every_corpus_document_loads_as_a_draft(tmp_path, path):
    plan_file = tmp_path / "plan.yaml"
    _extract(str(path), format="yaml", output=str(plan_file))
    count = len(_extract(str(path), format="jsonl").splitlines())
    code = yaml.safe_load(plan_file.read_text(encoding="utf-8"))["plan"]["code"]
    call_command("loadplan", str(plan_file), stdout=io.StringIO())
    plan = Plan.objects.get(code=code)
    assert plan.state == PlanState.DRAFT
    assert count > 0
    assert Indicator.objects.filter(plan=plan).count() == count
    for indicator in plan.indicators.select_related("node"):
        assert indicator.sentence in indicator.node.text


def test_output_file_is_written_whole(tmp_path):
    out = tmp_path / "targets.jsonl"
    _extract(str(SEED), format="jsonl", output=str(out))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 29
    assert [p.name for p in tmp_path.iterdir()] == ["targets.jsonl"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.docx", docx_bytes(SMALL_PLAN)),
        ("plan.pdf", pdf_bytes(SMALL_PLAN.splitlines())),
        ("plan-gbk.txt", SMALL_PLAN.encode("gbk")),
        ("plan-bom.txt", b"\xef\xbb\xbf" + SMALL_PLAN.encode("utf-8")),
    ],
)
def test_docx_pdf_and_gbk_text_give_the_same_targets(tmp_path, name, content):
    plain = tmp_path / "plain.txt"
    plain.write_text(SMALL_PLAN, encoding="utf-8")
    other = tmp_path / name
    other.write_bytes(content)
    assert _extract(str(other), format="jsonl") == _extract(str(plain), format="jsonl")


# --- errors: a message, never a traceback ----------------------------------------------------


def _error(*args, **options) -> CommandError:
    with translation.override("en"), pytest.raises(CommandError) as caught:
        _extract(*args, **options)
    return caught.value


def test_missing_file_is_named(tmp_path):
    error = _error(str(tmp_path / "nope.txt"), format="jsonl")
    assert "nope.txt" in str(error) and "no such file" in str(error)


def test_binary_junk_is_refused_as_not_text(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 64)
    assert "is not text" in str(_error(str(junk), format="jsonl"))


def test_zip_bomb_is_refused_quickly(tmp_path):
    bomb = zip_bomb_docx(tmp_path / "bomb.docx")
    assert "unsafe" in str(_error(str(bomb), format="jsonl"))


def test_a_broken_word_file_is_refused(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert "Word" in str(_error(str(broken), format="jsonl"))


def test_a_damaged_pdf_is_refused(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF garbage")
    assert "PDF" in str(_error(str(broken), format="jsonl"))


def test_an_unknown_document_type_is_refused(tmp_path):
    sheet = tmp_path / "plan.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    assert ".txt, .docx or .pdf" in str(_error(str(sheet), format="jsonl"))


def test_an_unknown_format_is_a_usage_error():
    error = _error(str(SEED), format="csv")
    assert "csv" in str(error) and "jsonl" in str(error)
    assert error.returncode == 2


def test_a_bad_plan_code_is_a_usage_error():
    error = _error(str(SEED), format="yaml", code="Not A Code")
    assert "Not A Code" in str(error) and error.returncode == 2


def test_a_failed_run_leaves_no_output_file(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00" * 4096)
    out = tmp_path / "out.jsonl"
    _error(str(junk), format="jsonl", output=str(out))
    assert not out.exists()


def test_errors_are_in_chinese_by_default(tmp_path):
    with pytest.raises(CommandError) as caught:
        _extract(str(tmp_path / "nope.txt"), format="jsonl")
    assert "没有这个文件" in str(caught.value)


@pytest.mark.parametrize(
    "args",
    [["{junk}", "--format", "jsonl"], ["{seed}", "--format", "xml"], ["{missing}"]],
    ids=["junk", "unknown-format", "missing"],
)
def test_the_real_command_line_prints_one_line_and_no_traceback(tmp_path, args):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(os.urandom(8192))
    values = {"junk": junk, "seed": SEED, "missing": tmp_path / "missing.pdf"}
    argv = [a.format(**values) for a in args]
    env = {**os.environ, "DUCHA_DATA_DIR": str(tmp_path), "LANGUAGE": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "ducha", "extract", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode in (1, 2)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("CommandError:")
    assert done.stdout == ""


def test_an_output_folder_that_does_not_exist_is_named(tmp_path):
    error = _error(str(SEED), format="jsonl", output=str(tmp_path / "nowhere" / "out.jsonl"))
    assert "nowhere" in str(error) and "does not exist" in str(error)
