"""The shipped Tianjin plan file and org-unit file are complete and agree with the source text.

Plain pytest, no Django: the YAML is data that the loader will trust, so it is checked here
against plan.txt (every node's text is copied from it, every heading has a node) and against the
hand-made gold targets (every one is an indicator with the same numbers).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from ducha.engine import units  # plain Python, no Django

PKG = Path(__file__).resolve().parents[2]  # .../ducha
DATA = PKG / "data"
PLAN_DIR = DATA / "tianjin-2018"

DISTRICTS = {
    "120101": "和平区", "120102": "河东区", "120103": "河西区", "120104": "南开区",
    "120105": "河北区", "120106": "红桥区", "120110": "东丽区", "120111": "西青区",
    "120112": "津南区", "120113": "北辰区", "120114": "武清区", "120115": "宝坻区",
    "120116": "滨海新区", "120117": "宁河区", "120118": "静海区", "120119": "蓟州区",
}  # fmt: skip
CN_NUM = "一二三四五六七八九十"


@pytest.fixture(scope="module")
def orgunits():
    return yaml.safe_load((DATA / "orgunits-tianjin.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plan():
    return yaml.safe_load((PLAN_DIR / "plan.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def source(plan):
    return (PLAN_DIR / plan["plan"]["source_file"]).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def gold():
    lines = (PLAN_DIR / "gold-targets.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _walk(nodes, depth=0):
    for node in nodes:
        yield depth, node
        yield from _walk(node.get("children") or [], depth + 1)


@pytest.fixture(scope="module")
def nodes(plan):
    return {node["key"]: node for _, node in _walk(plan["nodes"])}


def _refs(unit):
    return [unit["code"], unit["name"], *(unit.get("aliases") or [])]


@pytest.fixture(scope="module")
def resolve(orgunits):
    """A reference (code, name or alias) -> the codes of the units it names."""
    index: dict[str, list[str]] = {}
    for unit in orgunits["units"]:
        for ref in set(_refs(unit)):
            index.setdefault(ref, []).append(unit["code"])
    return lambda ref: index.get(ref, [])


# ------------------------------------------------------------------ org units


def test_orgunit_file_has_its_format(orgunits):
    assert orgunits["format"] == "ducha-orgunits/1"


def test_orgunits_have_valid_kinds_and_existing_parents(orgunits):
    codes = {u["code"] for u in orgunits["units"]}
    for unit in orgunits["units"]:
        assert isinstance(unit["code"], str) and unit["name"], unit
        assert unit["kind"] in {"city", "district", "zone", "department", "office"}, unit
        assert unit.get("parent") is None or unit["parent"] in codes, unit
    [city] = [u for u in orgunits["units"] if u["kind"] == "city"]
    assert (city["code"], city["name"], city.get("parent")) == ("120000", "天津市", None)


def test_tianjin_has_exactly_its_16_districts_with_gbt2260_codes(orgunits):
    districts = [u for u in orgunits["units"] if u["kind"] == "district"]
    assert {u["code"]: u["name"] for u in districts} == DISTRICTS
    assert len(districts) == 16
    assert all(u["parent"] == "120000" for u in districts)


def test_functional_zones_sit_in_binhai(orgunits):
    zones = {u["name"]: u for u in orgunits["units"] if u["kind"] == "zone"}
    named = ("天津经济技术开发区", "天津港保税区", "天津滨海高新技术产业开发区", "中新天津生态城")
    assert set(named) <= set(zones)
    assert all(z["parent"] == "120116" and z["code"].startswith("120116-") for z in zones.values())


def test_orgunit_codes_names_and_aliases_are_unique_across_units(orgunits):
    codes = Counter(u["code"] for u in orgunits["units"])
    assert [c for c, n in codes.items() if n > 1] == []
    owner: dict[str, str] = {}
    for unit in orgunits["units"]:
        aliases = unit.get("aliases") or []
        assert len(aliases) == len(set(aliases)), unit["code"]
        assert unit["name"] not in aliases, unit["code"]
        forms = {*_refs(unit), unit.get("short_name") or unit["name"]}
        for form in forms:
            assert owner.setdefault(form, unit["code"]) == unit["code"], (
                f"{form!r} names both {owner[form]} and {unit['code']}"
            )


def test_department_names_resolve_with_and_without_the_city_prefix(resolve):
    for ref in ("工业和信息化局", "市工业和信息化局", "市工信委", "科学技术局", "市科委",
                "发展和改革委员会", "财政局", "人力资源和社会保障局", "商务局", "市商务委",
                "农业农村委员会", "市农委", "交通运输委员会", "卫生健康委员会", "市卫计委",
                "文化和旅游局", "市文广局", "金融工作局", "市金融局", "教育委员会",
                "市委网信办", "市知识产权局", "市场监督管理委员会", "规划和自然资源局",
                "合作交流办", "市委人才办", "国资委", "统计局", "政务服务办", "大数据管理中心",
                "领导小组办公室", "市智能办", "天津开发区", "泰达", "保税区", "滨海高新区",
                "中新生态城", "生态城"):  # fmt: skip
        assert len(resolve(ref)) == 1, ref


# ------------------------------------------------------------------ plan header and structure


def test_plan_file_header(plan, source):
    assert plan["format"] == "ducha-plan/1"
    head = plan["plan"]
    assert head["code"] == "tianjin-2018-ai" and re.fullmatch(r"[a-z0-9-]{2,64}", head["code"])
    assert head["state"] == "active"
    assert head["issuer"] == "天津市人民政府"
    assert str(head["issued_on"]) == "2018-01-18"
    assert (head["period_start"], head["period_end"], head["outlook_year"]) == (2018, 2020, 2025)
    assert head["source_file"] == "plan.txt" and "source_text" not in head
    assert head["preamble"].startswith("为深入贯彻") and head["preamble"].endswith("展望到2025年。")
    assert head["preamble"] + "\n" in source


def test_node_keys_are_unique_and_follow_the_tree(plan):
    keys = [node["key"] for _, node in _walk(plan["nodes"])]
    assert len(keys) == len(set(keys))

    def check(children, parent_key):
        for i, node in enumerate(children, 1):
            expected = f"{parent_key}.{i}" if parent_key else str(i)
            assert node["key"] == expected
            check(node.get("children") or [], node["key"])

    check(plan["nodes"], "")


def test_every_node_text_is_copied_from_the_source(plan, source):
    for _, node in _walk(plan["nodes"]):
        assert isinstance(node["text"], str)
        assert node["text"] in source, node["key"]
        assert (node["label"] + node["title"]) in source, node["key"]


def _body_lines(source):
    """The document body: after the preamble, without the page chrome at the end."""
    lines = [line for line in source.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if re.match(rf"^[{CN_NUM}]+、", line))
    return [line for line in lines[start:] if not line.startswith("微信扫描二维码")]


def test_node_tree_accounts_for_the_whole_document_body(plan, source):
    """Walking the nodes in order rebuilds every body line: heading = label + title, then the
    closing "。" or "," and the text on the same line, or the text on the next line (chapters)."""
    lines = _body_lines(source)
    pos = 0
    for _, node in _walk(plan["nodes"]):
        heading = node["label"] + node["title"]
        line = lines[pos]
        assert line.startswith(heading), (node["key"], line[:40])
        rest = line[len(heading) :]
        pos += 1
        if rest in ("", "。"):  # a heading on its own line
            if node["text"]:
                assert lines[pos] == node["text"], node["key"]
                pos += 1
        else:
            assert rest[0] in "。," and rest[1:] == node["text"], node["key"]
    assert pos == len(lines), f"lines not covered by any node: {lines[pos:]}"


def test_every_heading_of_the_source_has_a_node(plan, source):
    numbered = re.compile(rf"^([{CN_NUM}]+、|\([{CN_NUM}]+\)|\d+\.|——)")
    headings = [line for line in _body_lines(source) if numbered.match(line)]
    assert len(headings) == 6 + 31 + 14 + 6  # chapters, sections, items, —— bullets
    labelled = [(n["label"], n["title"]) for _, n in _walk(plan["nodes"])]
    for line in headings:
        assert any(label and line.startswith(label + title) for label, title in labelled), line
    chapters = [n for d, n in _walk(plan["nodes"]) if d == 0]
    assert [n["label"] for n in chapters] == ["一、", "二、", "三、", "四、", "五、", "六、"]


# ------------------------------------------------------------------ indicators


def test_indicators_are_well_formed(plan, nodes):
    codes = [ind["code"] for ind in plan["indicators"]]
    assert len(codes) == len(set(codes))
    for ind in plan["indicators"]:
        where = ind["code"]
        assert re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", ind["code"]), where
        assert ind["name"] and ind["node"] in nodes, where
        assert units.normalise_unit(ind["unit"]) == ind["unit"], where
        assert ind["kind"] in ("level", "change"), where
        assert ind["direction"] in ("increase", "decrease"), where  # explicit, never defaulted
        assert ind.get("aggregation", "sum") in ("sum", "mean", "max", "min", "none"), where
        assert ind.get("frequency", "quarter") in ("year", "quarter", "month"), where
        target = ind["target"]
        assert 0 <= target["min"] <= target.get("max", target["min"]), where
        assert target.get("comparator", "=") in (">=", "<=", "="), where
        assert ind["deadline"] == 2020, where
        assert "baseline" not in ind, f"{where}: the Tianjin text states no baseline"


def test_every_gold_target_is_an_indicator_with_the_same_numbers(plan, gold):
    assert len(gold) == 29
    by_sentence = {}
    for ind in plan["indicators"]:
        by_sentence.setdefault(ind["sentence"], []).append(ind)
    for g in gold:
        matches = by_sentence.get(g["sentence"], [])
        assert len(matches) == 1, f"gold target missing or doubled: {g['sentence']}"
        ind = matches[0]
        got = (
            ind["target"]["min"],
            ind["target"].get("max", ind["target"]["min"]),
            ind["unit"],
            ind["target"].get("comparator", "="),
            ind.get("kind", "level"),
        )
        want = (g["value_min"], g["value_max"], g["unit"], g["comparator"], g["kind"])
        assert got == want, g["sentence"]
        if g["year"] is not None:
            assert ind["deadline"] == g["year"], g["sentence"]
    assert len(plan["indicators"]) == len(gold)


def test_every_indicator_sentence_is_in_its_nodes_text(plan, nodes):
    for ind in plan["indicators"]:
        assert ind["sentence"] in nodes[ind["node"]]["text"], ind["code"]


def test_headline_indicators_are_the_goals_and_the_industry_scales(plan):
    headline = {i["node"] for i in plan["indicators"] if i.get("headline")}
    assert headline == {"1.3.1.1", "1.3.1.2", "1.3.1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"}
    assert sum(1 for i in plan["indicators"] if i.get("headline")) == 11


# ------------------------------------------------------------------ milestones


def test_milestones_are_well_formed_and_sit_in_their_nodes_text(plan, nodes):
    codes = [m["code"] for m in plan["milestones"]]
    assert len(codes) == len(set(codes))
    assert 20 <= len(codes) <= 40
    for m in plan["milestones"]:
        assert m["title"] and m["node"] in nodes, m["code"]
        assert m["sentence"] in nodes[m["node"]]["text"], m["code"]
        assert 2018 <= m.get("due", 2020) <= 2025, m["code"]


def test_milestones_do_not_repeat_indicators_or_each_other(plan):
    sentences = [m["sentence"] for m in plan["milestones"]]
    assert len(sentences) == len(set(sentences))
    for m in plan["milestones"]:
        for ind in plan["indicators"]:
            assert ind["sentence"] not in m["sentence"], (m["code"], ind["code"])
            assert m["sentence"] not in ind["sentence"], (m["code"], ind["code"])


def test_the_named_commitments_are_milestones(plan):
    text = " ".join(m["sentence"] for m in plan["milestones"])
    for phrase in ("交通大脑", "人工智能高端人才数据库", "世界智能大会", "京津研发",
                   "覆盖全市公立医疗卫生机构", "国家军民融合创新示范区", "国际智能农业研究院",
                   "智能物流配送示范基地", "人工智能技术服务平台聚集区",
                   "全市智能科技产业发展领导小组", "人工智能学院", "绿卡", "科技创新券",
                   "基本建成全国领先的智能科技产业高地"):  # fmt: skip
        assert phrase in text, phrase
    [outlook] = [m for m in plan["milestones"] if "基本建成全国领先" in m["sentence"]]
    assert outlook["due"] == 2025


# ------------------------------------------------------------------ references to org units


def test_every_lead_and_support_resolves_to_exactly_one_org_unit(plan, resolve):
    for item in [*plan["indicators"], *plan["milestones"]]:
        refs = [item["lead"], *(item.get("support") or [])]
        for ref in refs:
            assert len(resolve(ref)) == 1, f"{item['code']}: {ref!r}"
        resolved = [resolve(ref)[0] for ref in refs]
        assert len(resolved) == len(set(resolved)), f"{item['code']}: a unit is listed twice"
