"""to_plan_yaml writes a draft ducha-plan/1 file; cli.run wraps the whole pipeline."""

import io
import json
import re
from pathlib import Path

import pytest
import yaml

from ducha.engine.extract import extract_targets, parse_structure, read_document, to_plan_yaml
from ducha.engine.extract.cli import main, run
from ducha.engine.units import normalise_unit

SEED = Path(__file__).resolve().parents[3] / "ducha/data/tianjin-2018/plan.txt"


@pytest.fixture(scope="module")
def seed_plan():
    document = parse_structure(read_document(SEED))
    targets = extract_targets(document)
    return document, targets, yaml.safe_load(to_plan_yaml(document, targets))


def _node_keys(nodes):
    for node in nodes:
        yield node["key"]
        yield from _node_keys(node.get("children", []))


def test_yaml_is_a_draft_plan_with_the_required_plan_fields(seed_plan):
    _, _, plan = seed_plan
    assert plan["format"] == "ducha-plan/1"
    header = plan["plan"]
    assert header["state"] == "draft"
    assert re.fullmatch(r"[a-z0-9-]{2,64}", header["code"])
    assert header["title"] == "天津市加快推进智能科技产业发展总体行动计划"
    assert (header["period_start"], header["period_end"], header["outlook_year"]) == (
        2018,
        2020,
        2025,
    )
    assert "source_file" not in header or "source_text" not in header


def test_yaml_has_one_indicator_per_target_on_existing_nodes(seed_plan):
    _, targets, plan = seed_plan
    keys = set(_node_keys(plan["nodes"]))
    indicators = plan["indicators"]
    assert len(indicators) == len(targets) == 29
    assert [i["code"] for i in indicators][:3] == ["T01", "T02", "T03"]
    assert len({i["code"] for i in indicators}) == len(indicators)
    for indicator in indicators:
        assert indicator["node"] in keys
        assert normalise_unit(indicator["unit"]) == indicator["unit"]
        assert indicator["direction"] in ("increase", "decrease")
        assert indicator["kind"] in ("level", "change")
        assert "lead" not in indicator
        goal = indicator["target"]
        assert goal["min"] >= 0 and goal.get("max", goal["min"]) >= goal["min"]
        assert goal["comparator"] in (">=", "<=", "=")
        assert indicator["deadline"] in (2020, 2025)
        assert indicator["sentence"]


def test_yaml_keeps_ranges_and_comparators(seed_plan):
    _, _, plan = seed_plan
    platforms = next(i for i in plan["indicators"] if "2至3家国家级" in i["sentence"])
    assert platforms["target"] == {"min": 2, "max": 3, "comparator": "="}
    assert platforms["unit"] == "家"
    projects = next(i for i in plan["indicators"] if i["sentence"].startswith("建成10个以上"))
    assert projects["target"]["comparator"] == ">="


def test_yaml_deadline_falls_back_to_the_period_end(seed_plan):
    _, _, plan = seed_plan
    parks = next(i for i in plan["indicators"] if i["sentence"] == "建设30个智能农业示范园区")
    assert parks["deadline"] == 2020


def test_yaml_nodes_keep_label_title_and_text(seed_plan):
    _, _, plan = seed_plan
    first = plan["nodes"][0]
    assert (first["key"], first["label"], first["title"]) == ("1", "一、", "总体要求")
    guiding = first["children"][0]
    assert (guiding["key"], guiding["label"], guiding["title"]) == ("1.1", "(一)", "指导思想")
    assert guiding["text"].startswith("全面贯彻党的十九大精神")


def test_given_code_is_used_and_a_bad_code_is_refused(seed_plan):
    document, targets, _ = seed_plan
    assert yaml.safe_load(to_plan_yaml(document, targets, code="tianjin-draft"))["plan"][
        "code"
    ] == ("tianjin-draft")
    with pytest.raises(ValueError):
        to_plan_yaml(document, targets, code="Not Valid!")


def test_a_document_without_period_still_gives_a_loadable_draft_with_a_note():
    document = parse_structure("通知\n一、任务\n建设10个平台。\n")
    text = to_plan_yaml(document, extract_targets(document))
    plan = yaml.safe_load(text)
    assert plan["plan"]["period_start"] <= plan["plan"]["period_end"]
    assert "# NOTE:" in text


def test_cli_jsonl_prints_one_json_object_a_line_in_chinese():
    out = io.StringIO()
    assert run(str(SEED), "jsonl", out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 29
    first = json.loads(lines[0])
    assert {
        "sentence",
        "indicator",
        "year",
        "value_min",
        "value_max",
        "unit",
        "comparator",
        "kind",
    } <= set(first)
    assert "实施" in lines[0]  # ensure_ascii=False


def test_cli_yaml_and_table_formats(tmp_path):
    out = io.StringIO()
    assert run(str(SEED), "yaml", out, code="tj-draft") == 0
    assert yaml.safe_load(out.getvalue())["plan"]["code"] == "tj-draft"
    table = io.StringIO()
    assert run(str(SEED), "table", table) == 0
    assert table.getvalue().splitlines()[0].split()[:3] == ["node", "year", "value"]
    assert table.getvalue().rstrip().endswith("29 targets")


def test_cli_reports_unreadable_input_and_unknown_format(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    err = io.StringIO()
    assert run(str(junk), "jsonl", io.StringIO(), err_stream=err) == 1
    assert err.getvalue().startswith("error:")
    assert run(str(SEED), "csv", io.StringIO(), err_stream=io.StringIO()) == 2


def test_cli_main_parses_arguments(capsys):
    assert main([str(SEED), "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 29


def test_yaml_converts_a_magnitude_unit_missing_from_the_table():
    document = parse_structure("计划\n实施期限为2024年至2026年。\n一、目标\n床位总数达到2万张。\n")
    targets = extract_targets(document)
    assert targets[0].unit == "万张"  # as written in the extraction output
    indicator = yaml.safe_load(to_plan_yaml(document, targets))["indicators"][0]
    assert (indicator["unit"], indicator["target"]["min"]) == ("张", 20000)


def test_a_change_in_percentage_points_becomes_a_level_of_the_change():
    # The plan format states changes in percent (T = y0 × (1 ± min/100)); points are added.
    text = (
        "计划\n实施期限为2021年至2025年。\n一、目标\n"
        "到2025年，数字经济核心产业增加值占比提高1.5个百分点，单位能耗下降13.5%，"
        "城镇调查失业率下降0.5个百分点。\n"
    )
    document = parse_structure(text)
    targets = extract_targets(document)
    assert [(t.unit, t.kind) for t in targets] == [
        ("个百分点", "change"),
        ("%", "change"),
        ("个百分点", "change"),
    ]
    written = to_plan_yaml(document, targets)
    rise, energy, jobless = yaml.safe_load(written)["indicators"]
    assert (rise["kind"], rise["unit"], rise["direction"]) == ("level", "个百分点", "increase")
    assert rise["name"].endswith("提高幅度") and rise["target"]["min"] == 1.5
    assert (energy["kind"], energy["unit"], energy["direction"]) == ("change", "%", "decrease")
    assert (jobless["kind"], jobless["direction"]) == ("level", "increase")
    assert jobless["name"].endswith("下降幅度")
    assert "# NOTE: T01: a change of 1.5 个百分点" in written
    assert "T02:" not in written


def test_a_table_that_counts_in_bare_magnitudes_gives_a_known_unit():
    text = (
        "规划\n实施期限为2021年至2025年。\n一、主要指标\n"
        "指标\t2020年\t2025年\t属性\n在线政务服务实名用户规模（亿）\t4\t8\t预期性\n"
    )
    document = parse_structure(text)
    targets = extract_targets(document)
    assert [(t.value_min, t.unit) for t in targets] == [(8, "亿")]
    indicator = yaml.safe_load(to_plan_yaml(document, targets))["indicators"][0]
    assert normalise_unit(indicator["unit"]) == "亿"


CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_corpus_document_gives_a_loadable_draft(path):
    document = parse_structure(read_document(path))
    targets = extract_targets(document)
    text = to_plan_yaml(document, targets)
    plan = yaml.safe_load(text)
    keys = set(_node_keys(plan["nodes"]))
    assert plan["plan"]["state"] == "draft"
    assert plan["plan"]["period_start"] <= plan["plan"]["period_end"]
    assert len(plan["indicators"]) == len(targets)
    for indicator in plan["indicators"]:
        assert indicator["node"] in keys
        known = normalise_unit(indicator["unit"]) == indicator["unit"]
        assert known or f"{indicator['code']}: unit" in text  # unknown units are called out
