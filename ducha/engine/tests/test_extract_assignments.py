"""任务分工 rows and 专栏 boxes read from whole documents (.txt, .docx, .pdf) and unit names
matched to org units: engine/extract/assignments.py, engine/unitmatch.py, structure.py."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from ducha.engine.extract import extract_targets, parse_structure, read_document, to_plan_yaml
from ducha.engine.extract.assignments import find_assignments, parse_deadline, parse_fields
from ducha.engine.unitmatch import UnitMatcher, split_unit_names

REPO = Path(__file__).resolve().parents[3]
UNITS = REPO / "ducha/data/orgunits-tianjin.yaml"


@pytest.fixture(scope="module")
def matcher():
    return UnitMatcher.from_file(UNITS)


def _rows(text: str):
    return find_assignments(parse_structure(text))


# --- the three ways plans write 分工 -------------------------------------------------------------

INLINE = """某市人才工程实施意见
一、重点项目
1.紧缺人才开发项目。5年内引进紧缺人才1万名左右。（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，各区、县级市）
2.企业家培养项目。5年内培养100名优秀企业家，市、区（县级市）两级给予补助。（牵头单位：市委组织部）
"""


def test_a_closing_parenthesis_names_the_lead_and_supporting_units_of_its_task():
    first, second = _rows(INLINE)
    assert first.task == "紧缺人才开发项目"
    assert first.lead == ["市发展改革委"]
    assert first.support == ["市委组织部", "市人力资源和社会保障局", "各区、县级市"]
    assert second.task == "企业家培养项目" and second.lead == ["市委组织部"]


def test_a_bracket_inside_a_name_is_not_a_division_of_work():
    rows = _rows(INLINE)
    assert all("县级市" not in row.lead for row in rows)
    assert len(rows) == 2


def test_every_unit_named_before_qiantou_leads_and_each_sentence_is_its_own_task():
    text = (
        "1.主要指标。\n常住人口控制在1150万人左右。(市人口计生委、市公安局牵头)"
        "主要污染物排放总量减少10%。(市环保局牵头)"
    )
    population, pollution = _rows(text)
    assert population.lead == ["市人口计生委", "市公安局"]
    assert population.task == "常住人口控制在1150万人左右"
    assert pollution.task == "主要污染物排放总量减少10%" and pollution.lead == ["市环保局"]


def test_a_bare_list_after_a_sentence_has_its_first_unit_lead_and_its_deadline_read():
    text = (
        "（二）主要目标\n2.地区生产总值增长6.5%。(市发展改革委、市财政局、市统计局，年内持续推进)"
    )
    document = parse_structure("2021年工作任务分工\n" + text)
    document.period_end = 2021
    (row,) = find_assignments(document)
    assert row.lead == ["市发展改革委"]
    assert row.support == ["市财政局", "市统计局"]
    assert row.deadline == "2021-12-31" and row.deadline_text == "年内持续推进"


def test_labelled_fields_after_a_task_give_lead_support_and_deadline():
    text = (
        "附件\n（一）建设人工智能创新平台。\n"
        "牵头单位：市科技局；配合单位：市工业和信息化局、滨海新区；完成时限：2019年底\n"
    )
    (row,) = _rows(text)
    assert row.task == "建设人工智能创新平台"
    assert (row.lead, row.support, row.deadline) == (
        ["市科技局"],
        ["市工业和信息化局", "滨海新区"],
        "2019-12-31",
    )


def test_qiantou_and_peihe_words_give_the_roles_whatever_the_order():
    row = parse_fields("市工信局牵头，市发展改革委、各区政府按职责分工负责")
    assert row.lead == ["市工信局"] and row.support == ["市发展改革委", "各区政府"]


def test_a_parenthesis_of_plain_words_is_not_a_division_of_work():
    assert parse_fields("含水保批复") is None
    assert _rows("1.提高效率。环评文件只需提交水保批复(涉及水土保持项目)。") == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2019年底", "2019-12-31"),
        ("2020年6月底前", "2020-06-30"),
        ("2021年9月15日", "2021-09-15"),
        ("2018—2020年", "2020-12-31"),
        ("2022年上半年", "2022-06-30"),
        ("2023年三季度", "2023-09-30"),
        ("长期坚持", None),
    ],
)
def test_deadlines_are_read_as_dates(written, expected):
    assert parse_deadline(written, 2020) == expected


# --- tables ------------------------------------------------------------------------------------

TAB_TABLE = (
    "某区数字经济工作方案\n一、重点任务分工表\n"
    "类别\t序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
    "基础设施\t1\t建设5G基站500个\t区工业和信息化局\t区发展改革委、各街道办事处\t2024年底\n"
    "2\t培育数字经济企业20家\t区科技局\t区商务局\t2025年6月底前\n"
)


def test_a_table_row_gives_its_task_units_and_deadline_with_a_merged_cell_aligned_right():
    first, second = _rows(TAB_TABLE)
    assert (first.task, first.lead, first.deadline) == (
        "建设5G基站500个",
        ["区工业和信息化局"],
        "2024-12-31",
    )
    assert first.support == ["区发展改革委", "各街道办事处"]
    assert (second.task, second.lead, second.deadline) == (
        "培育数字经济企业20家",
        ["区科技局"],
        "2025-06-30",
    )
    assert first.source == "table"


ALIGNED = """某区推进数字经济发展工作方案
一、重点任务分工
序号  重点任务                          牵头单位          配合单位                完成时限
1     建设5G基站500个，实现重点区域     区工业和信息化局  区发展改革委、          2024年底
      全覆盖                                              各街道办事处
2     培育数字经济企业20家              区科技局          区商务局                2025年6月底前

二、保障措施
"""


def test_a_fixed_width_text_table_joins_cells_that_wrap_over_lines():
    first, second = _rows(ALIGNED)
    assert first.task == "建设5G基站500个，实现重点区域全覆盖"
    assert first.support == ["区发展改革委", "各街道办事处"]
    assert second.lead == ["区科技局"] and second.deadline == "2025-06-30"


def _docx(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _division_and_box(document) -> None:
    document.add_paragraph("某市智能制造三年行动方案（2024—2026年）")
    document.add_paragraph("一、重点任务")
    document.add_paragraph("（一）推进智能化改造。实施智能化改造项目300个。")
    box = document.add_table(rows=1, cols=1)
    cell = box.cell(0, 0)
    cell.paragraphs[0].text = "专栏1 智能制造重点工程"
    cell.add_paragraph("1.智能工厂建设工程。到2026年，建成智能工厂50家。")
    cell.add_paragraph("2.工业互联网平台工程。培育工业互联网平台10个。")
    document.add_paragraph("（二）培育产业集群。到2026年，打造产业集群5个。")
    document.add_paragraph("二、任务分工")
    table = document.add_table(rows=3, cols=4)
    rows = [
        ("重点任务", "牵头单位", "配合单位", "完成时限"),
        ("实施智能化改造项目", "市工业和信息化局", "市发展改革委、各区人民政府", "2026年底"),
        ("培育产业集群", "市工信局、市科技局", "滨海新区", "2025年6月底前"),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value


def test_a_docx_reads_its_box_as_a_part_with_targets_and_its_table_as_rows(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx(_division_and_box))
    document = parse_structure(read_document(path))
    box = next(n for n in document.iter_nodes() if n.style == "box")
    assert (box.label, box.title) == ("专栏1", "智能制造重点工程")
    assert [child.title for child in box.children] == ["智能工厂建设工程", "工业互联网平台工程"]
    in_box = [t for t in extract_targets(document) if t.node_key.startswith(box.key + ".")]
    assert sorted(t.value_min for t in in_box) == [10, 50]
    # the box ended with its table: （二） is a part of 一、 again, not of the box
    assert any(n.title == "培育产业集群" and n.key.count(".") == 1 for n in document.iter_nodes())
    rows = find_assignments(document)
    assert [r.task for r in rows] == ["实施智能化改造项目", "培育产业集群"]
    assert rows[1].lead == ["市工信局", "市科技局"] and rows[1].deadline == "2025-06-30"


def test_a_cell_merged_across_columns_is_read_once(tmp_path):
    def build(document):
        table = document.add_table(rows=2, cols=3)
        for c, value in enumerate(("重点任务", "牵头单位", "完成时限")):
            table.cell(0, c).text = value
        table.cell(1, 1).merge(table.cell(1, 2)).text = "市科技局"
        table.cell(1, 0).text = "建设创新平台"

    path = tmp_path / "merged.docx"
    path.write_bytes(_docx(build))
    assert "建设创新平台\t市科技局\n" in read_document(path) + "\n"


def test_a_text_heading_zhuanlan_opens_a_box_that_the_next_part_closes():
    text = (
        "某市方案\n二、重点任务\n（一）推进改造。实施改造项目300个。\n专栏1 重点工程\n"
        "1.智能工厂工程。建成智能工厂50家。\n（二）培育集群。打造产业集群5个。\n"
    )
    document = parse_structure(text)
    box = next(n for n in document.iter_nodes() if n.style == "box")
    assert box.key == "1.1.1" and [c.title for c in box.children] == ["智能工厂工程"]
    assert document.node("1.2").title == "培育集群"


def test_a_pdf_text_layer_keeps_labelled_fields(tmp_path):
    from ducha.extraction.tests.conftest import pdf_bytes

    path = tmp_path / "plan.pdf"
    path.write_bytes(
        pdf_bytes(
            [
                "某市行动计划任务分工",
                "（一）建设人工智能创新平台5个。",
                "牵头单位：市科技局；配合单位：滨海新区；完成时限：2019年底",
            ]
        )
    )
    (row,) = find_assignments(parse_structure(read_document(path)))
    assert (row.lead, row.support, row.deadline) == (["市科技局"], ["滨海新区"], "2019-12-31")


def test_a_numbered_list_continues_through_an_item_that_starts_with_digits():
    document = parse_structure(
        "方案\n10.羊城学者项目。设立50个岗位。\n11.121人才梯队项目。培养院士后备人才不少于10名。"
    )
    assert [n.title for n in document.iter_nodes()] == ["羊城学者项目", "121人才梯队项目"]


# --- unit names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code", "how"),
    [
        ("市工业和信息化局", "TJ-GXJ", "exact"),
        ("天津市工业和信息化局", "TJ-GXJ", "exact"),
        ("市工信局", "TJ-GXJ", "exact"),
        ("市工信委", "TJ-GXJ", "exact"),  # the pre-2019 name
        ("市交通运输委（市道运局）", "TJ-JTW", "normalised"),
        ("市人力资源社会保障局", "TJ-RSJ", "short"),
        ("滨海新区", "120116", "exact"),
    ],
)
def test_unit_names_and_their_short_forms_match_one_org_unit(matcher, written, code, how):
    match = matcher.match(written)
    assert (match.codes, match.how) == ((code,), how)


def test_each_district_government_means_every_district(matcher):
    match = matcher.match("各区人民政府")
    districts = [u.code for u in matcher.units if u.kind == "district"]
    assert match.how == "collective" and list(match.codes) == districts and len(districts) == 16


def test_a_name_that_matches_nothing_is_reported_not_guessed(matcher):
    for written in ("市公安局", "各有关单位", "市住房城乡建设委"):
        match = matcher.match(written)
        assert not match.matched and match.how == "none"


def test_a_short_form_that_fits_two_units_matches_neither():
    from ducha.engine.unitmatch import OrgUnitRecord

    two = UnitMatcher(
        [
            OrgUnitRecord("A", "市科学技术局", "department"),
            OrgUnitRecord("B", "市科学普及局", "department"),
        ]
    )
    assert not two.match("市科局").matched
    assert two.match("市科学技术局").codes == ("A",)


def test_a_cell_of_units_splits_on_chinese_separators_and_keeps_collectives_whole():
    assert split_unit_names("市委组织部、市人社局，各区、县级市等") == [
        "市委组织部",
        "市人社局",
        "各区、县级市",
    ]


# --- the draft plan file -----------------------------------------------------------------------


def test_the_draft_plan_gives_each_task_a_milestone_and_its_targets_the_tasks_units(matcher):
    text = (
        "某市智能科技行动计划（2018—2020年）\n一、重点任务\n"
        "1.培育领军企业。到2020年，培育智能科技领军企业100家。（牵头单位：市工信局，配合单位：市科委、各区政府，完成时限：2019年底）\n"
        "2.建设创新平台。建设创新平台20个。（牵头单位：市科技局、市发展改革委；配合单位：市公安局）\n"
    )
    document = parse_structure(text)
    data = yaml.safe_load(
        to_plan_yaml(
            document,
            extract_targets(document),
            code="t-plan",
            assignments=find_assignments(document),
            matcher=matcher,
        )
    )
    first, second = data["milestones"]
    assert (first["title"], first["lead"], first["due"]) == ("培育领军企业", "TJ-GXJ", "2019-12-31")
    assert first["support"][0] == "TJ-KJJ" and len(first["support"]) == 17  # + 16 districts
    assert second["lead"] == "TJ-KJJ" and second["support"] == ["TJ-FGW"]
    leaders, platforms = data["indicators"]
    assert (leaders["lead"], leaders["deadline"]) == ("TJ-GXJ", 2020)  # its own year wins
    assert (platforms["lead"], platforms["deadline"]) == ("TJ-KJJ", 2020)  # the plan's end
    notes = "\n".join(line for line in text.splitlines())
    yaml_text = to_plan_yaml(document, [], assignments=find_assignments(document), matcher=matcher)
    assert "# NOTE: M02: support unit 市公安局 matches no org unit" in yaml_text
    assert "M02: 市科技局、市发展改革委 lead together" in yaml_text
    assert notes  # the source text is kept beside the file's notes


def test_a_pdf_division_table_comes_out_as_rows_with_wrapped_cells_joined(tmp_path):
    import weasyprint

    rows = [
        ("1", "实施智能化改造项目300个，推动规模以上工业企业智能化改造全覆盖，建设一批数字化车间",
         "市工业和信息化局", "市发展改革委、市财政局，各区人民政府", "2026年底"),
        ("2", "培育工业互联网平台10个", "市工信局", "市科技局", "2025年6月底前"),
    ]  # fmt: skip
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    html = (
        "<html><head><style>body{font-family:'Noto Sans CJK SC';font-size:11pt}"
        "td,th{border:1px solid #000;padding:3px}table{border-collapse:collapse;width:100%}"
        "td{vertical-align:middle}</style></head><body>"
        "<p>某市智能制造行动方案</p><p>一、主要目标</p><p>到2026年，全市智能工厂达到100家。</p>"
        "<p>二、任务分工</p><table><tr><th>序号</th><th>重点任务</th><th>牵头单位</th>"
        f"<th>配合单位</th><th>完成时限</th></tr>{cells}</table></body></html>"
    )
    path = tmp_path / "plan.pdf"
    weasyprint.HTML(string=html).write_pdf(str(path))
    document = parse_structure(read_document(path))
    first, second = find_assignments(document)
    assert first.task.startswith("实施智能化改造项目300个") and first.task.endswith("数字化车间")
    assert first.lead == ["市工业和信息化局"]
    assert first.support == ["市发展改革委", "市财政局", "各区人民政府"]
    assert (second.lead, second.deadline) == (["市工信局"], "2025-06-30")
    assert first.node_key == "2"  # the table sits in the part it is printed in
    assert sorted(t.value_min for t in extract_targets(document)) == [10, 100, 300]
