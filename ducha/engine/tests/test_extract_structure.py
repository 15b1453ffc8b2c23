"""parse_structure: headings, keys, titles, front matter."""

import pytest

from ducha.engine.extract import parse_structure, years

FULL_WIDTH = """某市数字经济发展行动方案（2023—2025年）
某市人民政府
2023年2月1日
为加快数字经济发展，制定本方案。
一、总体要求
（一）指导思想。坚持创新驱动。
（二）发展目标。
到2025年，全市数字经济发展取得显著成效：
——产业规模持续壮大。数字经济核心产业增加值达到500亿元。
——创新能力明显增强。
二、重点任务
（一）建设数字基础设施
1．推进5G建设。到2024年，建成5G基站1万个。
（1）城区连续覆盖。
（2）乡镇全面覆盖。
2、发展数据中心。建设2个数据中心。
展望到2035年，全面建成数字城市。
"""

ASCII = """天津示例计划
一、总体要求
(一)指导思想。全面贯彻党的精神,加快发展。
(二)发展目标。
——到2020年,产业成为新引擎。
构筑产业领航区。着力培育新业态。到2020年,实施100项试点示范工程。
构建创新策源地。到2020年,建设2至3家创新平台。
——到2025年,基本建成产业高地。
二、推动升级
(一)智能制造。推进集成应用。
"""


def _by_key(document):
    return {node.key: node for node in document.iter_nodes()}


def test_full_width_hierarchy_gets_dotted_keys_labels_and_titles():
    nodes = _by_key(parse_structure(FULL_WIDTH))
    assert (nodes["1"].label, nodes["1"].title) == ("一、", "总体要求")
    assert (nodes["1.1"].label, nodes["1.1"].title, nodes["1.1"].text) == (
        "（一）",
        "指导思想",
        "坚持创新驱动。",
    )
    assert nodes["1.2.1"].label == "——"
    assert nodes["1.2.1"].title == "产业规模持续壮大"
    assert nodes["2.1"].title == "建设数字基础设施"
    assert nodes["2.1.1"].label == "1．"
    assert nodes["2.1.1.1"].label == "（1）"
    assert nodes["2.1.1.2"].title == "乡镇全面覆盖"
    assert nodes["2.1.2"].label == "2、"
    assert nodes["2.1.2"].text.endswith("展望到2035年，全面建成数字城市。")


def test_front_matter_gives_title_issuer_date_period_and_outlook():
    document = parse_structure(FULL_WIDTH)
    assert document.title == "某市数字经济发展行动方案（2023—2025年）"
    assert document.issuer == "某市人民政府"
    assert document.issued_on == "2023-02-01"
    assert (document.period_start, document.period_end) == (2023, 2025)
    assert document.outlook_year == 2035
    assert document.preamble.endswith("制定本方案。")


def test_ascii_punctuation_is_handled_like_full_width():
    nodes = _by_key(parse_structure(ASCII))
    assert (nodes["1.1"].label, nodes["1.1"].title) == ("(一)", "指导思想")
    assert nodes["2.1"].title == "智能制造"


def test_paragraphs_after_a_deadline_bullet_become_its_children_and_inherit_the_year():
    nodes = _by_key(parse_structure(ASCII))
    bullet = nodes["1.2.1"]
    assert bullet.label == "——" and bullet.title == ""
    assert [child.title for child in bullet.children] == ["构筑产业领航区", "构建创新策源地"]
    assert all(child.context_year == 2020 for child in bullet.children)
    assert nodes["1.2.2"].text.startswith("到2025年")


def test_a_deadline_in_a_section_text_does_not_reach_numbered_subsections():
    text = "一、升级\n推动融合。到2020年，建成10个项目。\n（一）制造。建成100项以上示范项目。\n"
    nodes = _by_key(parse_structure(text))
    assert nodes["1.1"].context_year is None


def test_a_colon_intro_with_a_deadline_governs_the_numbered_parts_below():
    text = "二、主要目标\n到2025年，具体目标如下：\n（一）能源。比重提高到20%。\n"
    nodes = _by_key(parse_structure(text))
    assert nodes["1.1"].title == "能源"
    assert nodes["1.1"].context_year == 2025


def test_document_without_headings_keeps_each_paragraph_as_a_node():
    document = parse_structure("通知标题\n第一段，建设10个平台。\n第二段。\n")
    assert [node.key for node in document.nodes] == ["1", "2"]
    assert document.preamble == ""


def test_empty_text_gives_an_empty_document():
    document = parse_structure("")
    assert document.nodes == [] and document.title == ""


def test_period_is_read_from_a_stated_term_and_from_five_year_plan_titles():
    stated = parse_structure("规划\n实施期限为2018年至2020年，展望到2025年。\n一、目标\n内容。\n")
    assert (stated.period_start, stated.period_end, stated.outlook_year) == (2018, 2020, 2025)
    fyp = parse_structure("“十四五”某省工业发展规划\n一、目标\n内容。\n")
    assert (fyp.period_start, fyp.period_end) == (2021, 2025)


def test_numbers_in_body_text_are_not_taken_for_headings():
    document = parse_structure("标题\n一、目标\n1.5万家企业完成改造。\n2018年完成。\n")
    assert len(document.nodes) == 1
    assert document.nodes[0].children == []
    assert "1.5万家" in document.nodes[0].text


def test_attachment_and_document_number_lines_before_the_title_are_skipped():
    document = parse_structure("附件2\n津政发〔2018〕3号\n某市行动计划\n一、目标\n内容\n")
    assert document.title == "某市行动计划"


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("关于印发2019年《政府工作报告》确定的主要目标任务责任分解方案的通知", (2019, 2019)),
        ("关于印发《实施某某规划纲要2015年重点工作任务》的通知", (2015, 2015)),
        ("某省2025年国民经济和社会发展计划", (2025, 2025)),
        ("某市2023年工作要点", (2023, 2023)),
        ("到2025年基本建成数字政府的实施方案", None),
        ("某市数字经济三年行动计划（2024—2026年）", (2024, 2026)),
    ],
)
def test_an_annual_title_names_a_one_year_period(title, period):
    assert years.period_from_title(title) == period


def test_a_numbered_heading_may_start_with_a_year():
    document = parse_structure(
        "某区政府工作报告\n一、2023年工作回顾\n全年完成目标任务。\n二、2024年工作安排\n"
    )
    assert [(n.label, n.title) for n in document.nodes] == [
        ("一、", "2023年工作回顾"),
        ("二、", "2024年工作安排"),
    ]


def test_the_date_of_a_meeting_is_not_a_deadline():
    assert years.opening_deadline("2024年1月15日在某市第十届人民代表大会第三次会议上") is None
    assert years.opening_deadline("2024年6月30日前，完成全部整改。") == 2024


def test_body_text_before_the_first_heading_of_a_page_extract_becomes_a_part():
    document = parse_structure(
        "某市政府工作报告选段\n"
        "做强现代物流。力争新落地区域分拨中心等项目3个以上，规上物流企业营收超300亿元，"
        "快递业务量突破80亿件，冷链仓储能力达到50万吨以上。\n"
        "（二）聚焦科技创新\n新引进高层次创新团队8个以上。\n"
    )
    assert document.preamble == ""
    assert document.nodes[0].text.startswith("做强现代物流")


def test_a_notice_before_the_first_heading_stays_front_matter():
    document = parse_structure(
        "某市人民政府关于印发某某行动方案的通知\n"
        "各区人民政府：现将《某某行动方案》印发给你们，请认真贯彻执行，力争到2025年产值达到"
        "100亿元以上、企业超过50家。\n一、主要目标\n到2025年，产值达到100亿元。\n"
    )
    assert "印发给你们" in document.preamble


def test_the_period_of_a_plan_a_report_announces():
    document = parse_structure(
        "某省出台开发区三年行动\n近日，省政府办公厅印发了《某省开发区提升三年行动（2024—2026年）》。\n"
        "到2026年，开发区营业收入达到3万亿元。\n"
    )
    assert (document.period_start, document.period_end) == (2024, 2026)


def test_a_report_of_this_years_goals_is_an_annual_document():
    document = parse_structure(
        "2024年某区地区生产总值增长7%以上\n"
        "记者从会上获悉，今年某区经济社会发展的主要预期目标是：地区生产总值增长7%以上。\n"
    )
    assert (document.period_start, document.period_end) == (2024, 2024)


def test_a_line_opening_with_a_list_of_numerals_is_not_a_heading():
    document = parse_structure("某县方案\n一、主要任务\n一、二、三产业融合发展水平明显提升。\n")
    assert [(n.label, n.title) for n in document.iter_nodes()] == [("一、", "主要任务")]
