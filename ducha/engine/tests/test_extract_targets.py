"""extract_targets on short passages: each test names one behaviour of the contract."""

from decimal import Decimal

import pytest

from ducha.engine.extract import extract_targets, parse_structure, to_jsonl


def targets_of(body: str, heading: str = "一、任务"):
    return extract_targets(parse_structure(f"测试计划\n{heading}\n{body}\n"))


def only(body: str, heading: str = "一、任务"):
    found = targets_of(body, heading)
    assert len(found) == 1, [t.to_dict() for t in found]
    return found[0]


@pytest.mark.parametrize(
    ("body", "value", "unit"),
    [
        ("产业规模达到1000亿元。", "1000", "亿元"),
        ("产业规模达到一千亿元。", "1000", "亿元"),
        ("培育企业两百家。", "200", "家"),
        ("科技型企业达到1.5万家。", "1.5", "万家"),
        ("覆盖率达到百分之二十。", "20", "%"),
        ("建设3千个站点。", "3000", "个"),
        ("培育1,000家企业。", "1000", "家"),
        ("培育１２３家企业。", "123", "家"),
    ],
)
def test_numerals_arabic_chinese_and_mixed(body, value, unit):
    target = only(body)
    assert (target.value_min, target.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("body", "low", "high"),
    [
        ("建设2至3家平台。", 2, 3),
        ("建设3-5个园区。", 3, 5),
        ("建设3～5个园区。", 3, 5),
        ("建设两到三个园区。", 2, 3),
        ("建设2—3个园区。", 2, 3),
        ("占比达到20%-30%。", 20, 30),
    ],
)
def test_ranges_give_min_and_max(body, low, high):
    target = only(body)
    assert (target.value_min, target.value_max) == (low, high)


@pytest.mark.parametrize(
    ("body", "comparator", "direction"),
    [
        ("建成10个以上项目。", ">=", "increase"),
        ("规模超1000亿元。", ">=", "increase"),
        ("规模超过1000亿元。", ">=", "increase"),
        ("规模突破1000亿元。", ">=", "increase"),
        ("人才不少于500名。", ">=", "increase"),
        ("比例不低于55%。", ">=", "increase"),
        ("用水量控制在20立方米以内。", "<=", "decrease"),
        ("排放量不超过5万吨。", "<=", "decrease"),
        ("时间压缩至1个工作日以内。", "<=", "decrease"),
        ("企业数量达到100家左右。", "=", "increase"),
        ("培育5000余家企业。", ">=", "increase"),
    ],
)
def test_comparators_and_direction(body, comparator, direction):
    target = only(body)
    assert (target.comparator, target.direction) == (comparator, direction)


@pytest.mark.parametrize(
    ("body", "kind", "value", "unit", "direction"),
    [
        ("配送效率提高20%。", "change", 20, "%", "increase"),
        ("产值增长1倍。", "change", 100, "%", "increase"),
        ("设备数量翻一番。", "change", 100, "%", "increase"),
        ("收入翻两番。", "change", 300, "%", "increase"),
        ("能耗下降15%。", "change", 15, "%", "decrease"),
        ("能耗较2020年下降13.5%。", "change", Decimal("13.5"), "%", "decrease"),
        ("强度比2015年提高0.6个百分点。", "change", Decimal("0.6"), "个百分点", "increase"),
        ("普及率提高到56%。", "level", 56, "%", "increase"),
        ("覆盖率达到100%。", "level", 100, "%", "increase"),
        ("完成公交车辆100%远程监测。", "level", 100, "%", "increase"),
        ("失业率降至5%。", "level", 5, "%", "decrease"),
    ],
)
def test_changes_and_levels(body, kind, value, unit, direction):
    target = only(body)
    assert (target.kind, target.value_min, target.unit, target.direction) == (
        kind,
        value,
        unit,
        direction,
    )


@pytest.mark.parametrize(
    ("body", "year"),
    [
        ("到2020年，建成10个项目。", 2020),
        ("建设基地。到2025年，建成10个项目。", 2025),
        ("2020年前建成10个项目。", 2020),
        ("到“十三五”末，建成10个项目。", 2020),
        ("到“十四五”末，建成10个项目。", 2025),
        ("“十四五”期间，建成10个项目。", 2025),
        ("到2023年底前，建成10个项目。", 2023),
        ("建成10个项目。", None),
        ("力争到2025年，建成10个项目。", 2025),
    ],
)
def test_the_year_that_governs_a_clause(body, year):
    assert only(body).year == year


def test_a_paragraph_opened_by_a_deadline_governs_its_later_sentences():
    found = targets_of("到2020年，建成10个项目。培育5家企业。")
    assert [t.year for t in found] == [2020, 2020]


def test_a_deadline_inside_a_sentence_governs_only_that_sentence():
    found = targets_of("推进试点，2023年前完成10个试点县建设。新增装机50万千瓦。")
    assert [t.year for t in found] == [2023, None]


def test_a_base_year_is_not_a_deadline():
    assert only("能耗比2015年下降15%。").year is None


@pytest.mark.parametrize(
    "body",
    [
        "支持主营业务收入超50亿元的企业上市。",
        "支持营业收入10亿元以上企业做大做强。",
        "围绕十大专项行动计划推进工作。",
        "坚持“三个着力”和“五位一体”，落实“四个全面”。",
        "连续三年给予奖励资助。",
        "深入实施“千人计划”和“131”人才工程。",
        "推动百亿亿次超级计算机的研发。",
        "认真落实市第十一次党代会和十一届二次全会部署。",
        "根据《规划》(国发〔2017〕35号)制定。",
        "2018年1月18日发布，2018/1/18 09:25。",
        "实施期限为2018年至2020年。",
        "建设5G网络和4K超高清，降低PM2.5浓度。",
        "每万人口发明专利拥有量稳步提高。",
        "对首次进入500强的企业给予最高500万元奖励。",
        "按投资额的10%给予补贴。",
        "培育一批骨干企业，推进一体化发展。",
        "加快零部件研发，走进千家万户。",
        "培育百亿级、千亿级产业集群。",
        "每项工程支持5000万元以上。",
        "用3年时间完成改造，两到三年内实现全覆盖。",
    ],
)
def test_look_alikes_are_not_targets(body):
    assert targets_of(body) == []


def test_threshold_is_skipped_but_the_counted_target_is_kept():
    target = only("到2020年，培育10个主营业务收入超50亿元的装备供应商。")
    assert (target.value_min, target.unit, target.year) == (10, "个", 2020)


def test_sentences_about_the_past_are_not_targets():
    body = "2017年，全市产业规模已达到500亿元，同比增长20%。到2020年，产业规模达到1000亿元。"
    found = extract_targets(
        parse_structure(f"计划\n实施期限为2018年至2020年。\n一、任务\n{body}\n")
    )
    assert [(t.value_min, t.year) for t in found] == [(1000, 2020)]


def test_background_sections_are_skipped():
    text = "计划\n一、发展基础\n全市企业达到3200家。\n二、发展目标\n企业达到6500家。\n"
    assert [t.value_min for t in extract_targets(parse_structure(text))] == [6500]


def test_enumerated_targets_get_their_own_part_of_the_clause():
    found = targets_of("引育10个顶尖团队、1000名高端人才。")
    assert [t.sentence for t in found] == ["引育10个顶尖团队", "1000名高端人才"]


def test_indicator_names_what_is_measured():
    assert only("智能科技产业规模达到1000亿元。").indicator == "智能科技产业规模"
    assert only("培育10家智能物流示范企业。").indicator == "智能物流示范企业"
    assert only("打造“国际化”品牌企业5家。").indicator == "“国际化”品牌企业"
    assert only("推动配送效率提高20%。").indicator == "配送效率"


def test_to_jsonl_writes_one_object_a_line_with_chinese_as_written():
    lines = to_jsonl(targets_of("建设2至3家平台，规模达到1000亿元。")).splitlines()
    assert len(lines) == 2
    assert '"unit": "家"' in lines[0] and '"value_max": 3' in lines[0]


def test_the_starting_point_of_a_from_to_target_is_not_a_target():
    target = only("景区数量由45家增加到60家。")
    assert (target.value_min, target.unit) == (60, "家")
    assert target.indicator == "景区数量"


@pytest.mark.parametrize(
    ("body", "value", "unit"),
    [
        ("举办演出1000场次以上。", 1000, "场次"),
        ("床位总数达到2万张。", 2, "万张"),
        ("游客满意度不低于90分。", 90, "分"),
    ],
)
def test_units_plans_write_beyond_the_basic_table(body, value, unit):
    target = only(body)
    assert (target.value_min, target.unit) == (value, unit)


def test_a_fraction_is_not_a_score():
    assert targets_of("成本降低三分之一。") == []


@pytest.mark.parametrize(
    ("body", "value", "unit", "comparator"),
    [
        ("技术合同成交额突破万亿元。", 1, "万亿元", ">="),
        ("粮食产量稳定在150亿斤以上。", 150, "亿斤", ">="),
        ("造林面积达到2万公顷。", 2, "万公顷", "="),
    ],
)
def test_magnitude_units_and_a_bare_magnitude_after_a_verb(body, value, unit, comparator):
    target = only(body)
    assert (target.value_min, target.unit, target.comparator) == (value, unit, comparator)


def test_parts_of_a_goals_section_take_the_deadline_its_text_opens_with():
    text = (
        "计划\n一、发展目标\n到2025年，产业体系基本形成。\n（一）产业规模。营业收入突破2000亿元。\n"
    )
    assert [t.year for t in extract_targets(parse_structure(text))] == [2025]


def test_a_past_five_year_plan_as_the_base_of_a_change_keeps_the_sentence():
    body = "实现全省储能电站100%接入，一般事故起数较“十三五”末下降50%。"
    found = extract_targets(parse_structure(f"计划\n规划期为2022—2025年。\n一、任务\n{body}\n"))
    assert [(t.value_min, t.kind, t.direction) for t in found] == [
        (100, "level", "increase"),
        (50, "change", "decrease"),
    ]


def test_cheng_is_tenths():
    target = only("关键材料本地配套率达到七成以上。")
    assert (target.value_min, target.unit, target.comparator) == (70, "%", ">=")


@pytest.mark.parametrize(
    "body",
    ["新建项目按照装机容量15%、时长2小时配建储能。", "每个项目用地不超过100亩。"],
)
def test_rules_for_each_item_are_not_targets(body):
    assert targets_of(body) == []


def test_a_bare_magnitude_after_a_level_verb_is_the_unit():
    target = only("网民规模达到11亿，")
    assert (target.value_min, target.unit) == (11, "亿")
    assert targets_of("投资4.6亿用于建设。") == []


@pytest.mark.parametrize(
    ("body", "comparator"),
    [
        ("每个县至少办好1所中等职业学校。", ">="),
        ("升学比例提高至少5个百分点。", ">="),
        ("本科招生规模不低于高职招生规模的10%。", ">="),
        ("兼职教师占比超过一半。", ">="),
    ],
)
def test_comparators_a_few_words_away_from_the_number(body, comparator):
    assert only(body).comparator == comparator


def test_a_half_is_fifty_percent():
    target = only("“双师型”教师占专业课教师比例超过一半。")
    assert (target.value_min, target.unit) == (50, "%")


def test_indicator_stops_before_the_next_amount():
    found = targets_of("建设500所左右高水平高职学校和1000个左右高水平专业群。")
    assert [t.indicator for t in found] == ["高水平高职学校", "高水平专业群"]


TABLE = (
    "规划\n一、发展目标\n到2025年，取得显著成效。\n"
    "序号\t指标\t2020年\t2025年\t属性\n"
    "1\t数字经济核心产业增加值占GDP比重（%）\t7.8\t10\t预期性\n"
    "2\t单位GDP能耗降低（%）\t—\t〔13.5〕\t约束性\n"
    "经济发展  地区生产总值年均增长（%）  6.0  6左右  预期性\n"
    "3\t森林覆盖率（%）\t40\t≥42\t约束性\n"
    "二、项目\n1  某某项目  投资50  2023\n"
)


def test_indicator_table_rows_give_targets_for_the_latest_year_column():
    found = extract_targets(parse_structure(TABLE))
    assert [
        (t.indicator, t.value_min, t.unit, t.kind, t.direction, t.comparator, t.year) for t in found
    ] == [
        ("数字经济核心产业增加值占GDP比重", 10, "%", "level", "increase", "=", 2025),
        ("单位GDP能耗降低", Decimal("13.5"), "%", "change", "decrease", "=", 2025),
        ("地区生产总值年均增长", 6, "%", "change", "increase", "=", 2025),
        ("森林覆盖率", 42, "%", "level", "increase", ">=", 2025),
    ]
    assert found[0].sentence.startswith("1\t数字经济核心产业增加值占GDP比重（%）")


# --- behaviours learnt from real plans scored blind (docs/extraction.md, "Held-out figures") ---


def test_deadline_set_off_by_a_comma_after_a_lead_in_governs_the_sentence():
    target = only("《方案》提出，到2026年，全市智能工厂达到50家。")
    assert target.year == 2026
    target = only("提出总体目标，即到2026年，示范园区超过20个。")
    assert target.year == 2026


def test_opening_deadline_governs_the_later_paragraphs_of_the_same_part():
    found = targets_of(
        "到2026年，初步建成先进制造业强市。\n产业能级更高。规模以上工业企业突破2000家。\n"
        "产业结构更优。高技术制造业增加值占比超过20%。",
        heading="（二）发展目标。",
    )
    assert [(t.value_min, t.year) for t in found] == [(2000, 2026), (20, 2026)]


def test_a_later_opening_deadline_replaces_the_carried_one():
    found = targets_of(
        "到2025年，建成示范工厂10家。\n到2027年，建成示范工厂30家。\n新增专利200件。"
    )
    assert [t.year for t in found] == [2025, 2027, 2027]


def test_headingless_paragraphs_hand_their_opening_deadline_on():
    document = parse_structure(
        "某某行动计划发布\n《行动计划》提出，到2026年，产业综合实力显著提升。主要体现在：\n"
        "一是平台体系更加完善，建成工业互联网平台30个。\n二是企业更强，培育领军企业20家。\n"
    )
    assert [t.year for t in extract_targets(document)] == [2026, 2026]


def test_heading_stops_the_carried_deadline():
    # (Under a goals heading the parts would take it: see the goals-section test above.)
    found = targets_of(
        "到2026年，初步建成强市。\n（一）建设网络。新建基站500个。", heading="一、任务"
    )
    assert [t.year for t in found] == [None]


def test_annual_document_dates_its_targets_by_its_title_year():
    document = parse_structure(
        "关于印发2024年《政府工作报告》确定的主要目标任务分解方案的通知\n"
        "一、主要预期目标\n（一）地区生产总值增长6%左右。\n（二）新增城镇就业4.5万人。\n"
    )
    assert [t.year for t in extract_targets(document)] == [2024, 2024]


def test_multi_year_title_does_not_date_targets_without_a_deadline():
    document = parse_structure(
        "某市数字经济三年行动计划（2024—2026年）\n一、任务\n每年新增企业50家。\n"
    )
    assert [t.year for t in extract_targets(document)] == [None]


@pytest.mark.parametrize(
    ("body", "kinds", "directions"),
    [
        ("城乡居民人均可支配收入分别增长6.5%、7.5%。", ["change", "change"], ["increase"] * 2),
        ("能耗和排放分别下降3%、3.5%左右。", ["change", "change"], ["decrease"] * 2),
        ("两项比率分别提高到68%、88%。", ["level", "level"], ["increase"] * 2),
        ("化学需氧量、氨氮排放总量分别下降8%、10%以上。", ["change", "change"], ["decrease"] * 2),
    ],
)
def test_items_of_a_list_share_the_verb_before_the_first(body, kinds, directions):
    found = targets_of(body)
    assert [t.kind for t in found] == kinds
    assert [t.direction for t in found] == directions


def test_list_items_keep_their_own_comparators():
    found = targets_of("排放总量分别下降8%、10%以上。")
    assert [t.comparator for t in found] == ["=", ">="]


@pytest.mark.parametrize(
    "body",
    [
        "本计划提出6项发展目标、18项重点任务。",
        "从4个方面推进实施。",
        "提出15条政策措施，涉及95项具体条款。",
        "明确11项重点工作任务。",
    ],
)
def test_a_plan_counting_its_own_goals_tasks_and_measures_states_no_target(body):
    assert targets_of(body) == []


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("在10个重点行业打造30个5G全连接工厂。", 30),
        ("围绕8个重点产业集群，建设12个行业级平台。", 12),
        ("在全市8个区县开展城市更新试点，改造老旧小区150个。", 150),
    ],
)
def test_an_amount_that_says_where_gives_way_to_the_target_after_it(body, value):
    assert only(body).value_min == value


def test_levels_set_with_zai_are_not_scopes():
    found = targets_of("制造业比重稳定在30%以上，规上企业突破2000家。")
    assert [t.value_min for t in found] == [30, 2000]


def test_a_place_in_a_ranking_is_not_an_amount():
    target = only("力争2家企业进入全国制造业企业前20位。")
    assert (target.value_min, target.unit) == (2, "家")


@pytest.mark.parametrize(
    ("body", "comparator", "direction"),
    [
        ("营业收入年均增长超7%。", ">=", "increase"),
        ("排放量下降不少于10%。", ">=", "decrease"),
    ],
)
def test_a_comparator_between_verb_and_number_keeps_the_change(body, comparator, direction):
    target = only(body)
    assert (target.kind, target.comparator, target.direction) == ("change", comparator, direction)


def test_guiding_ideas_state_no_targets_but_their_siblings_do():
    document = parse_structure(
        "某省行动计划\n一、总体思路\n（一）指导思想。培育壮大智能装备、工业软件等四大支撑产业。\n"
        "（二）主要目标。到2026年，智能工厂达到100家。\n"
    )
    assert [(t.value_min, t.year) for t in extract_targets(document)] == [(100, 2026)]


# --- round 4: rules learnt from eighteen further real documents (own sentences, same style) ----


def test_wells_and_kilowatt_hours_are_units():
    found = targets_of("到2026年，新钻探井超过80口，年发电量达45亿度以上。")
    assert [(t.value_min, t.unit, t.comparator) for t in found] == [
        (80, "口", ">="),
        (45, "亿度", ">="),
    ]


def test_a_growth_rate_is_a_change():
    target = only("外贸进出口年均增速8%以上。")
    assert (target.kind, target.comparator, target.value_min) == ("change", ">=", 8)


def test_a_comparator_before_a_list_holds_for_every_item():
    found = targets_of("到2026年，两类企业分别超过120家和900家。")
    assert [(t.value_min, t.comparator) for t in found] == [(120, ">="), (900, ">=")]


@pytest.mark.parametrize(
    "body",
    [
        "据测算，全区常住人口将有可能达到95万人左右。",
        "预计，全县地区生产总值增长6.5%以上，一般公共预算收入增长5%。",
        "预计当年农产品加工产值达到300亿元。",
    ],
)
def test_a_forecast_is_not_a_target(body):
    assert targets_of(body) == []


def test_a_forecast_opened_by_yuji_dao_still_sets_a_target():
    target = only("预计到2026年，全市智能网联汽车产量达到5万辆。")
    assert (target.value_min, target.year) == (5, 2026)


@pytest.mark.parametrize(
    "body",
    [
        "目前全市养老机构床位共计2.3万张。",
        "数据显示，本地新能源汽车保有量为12万辆。",
    ],
)
def test_statements_of_the_present_state_are_not_targets(body):
    assert targets_of(body, heading="一、工作安排") == []


def test_a_stock_counted_up_to_a_past_date_is_not_a_target():
    document = parse_structure(
        "某区充电设施建设三年行动方案（2023—2025年）\n一、工作安排\n"
        "截止2021年底，全区累计建成充电桩3000个。到2025年，充电桩达到1万个。\n"
    )
    assert [(t.value_min, t.unit) for t in extract_targets(document)] == [(1, "万个")]


@pytest.mark.parametrize(
    "title",
    ["2023年工作回顾", "过去五年和2023年工作回顾", "“十四五”时期物流产业发展面临的形势"],
)
def test_review_and_situation_sections_are_background(title):
    document = parse_structure(
        f"某市政府工作报告\n一、{title}\n全市生产总值增长6.1%，新增市场主体1.2万户。\n"
        "二、今后工作\n到2027年，新增市场主体达到5万户。\n"
    )
    assert [(t.value_min, t.unit) for t in extract_targets(document)] == [(5, "万户")]


@pytest.mark.parametrize(
    "body",
    [
        "生态环境部等8部门联合印发《关于推进美丽乡村建设的实施意见》。",
        "省发展改革委等十二部门印发《加快现代物流发展的若干措施》。",
    ],
)
def test_the_number_of_issuing_departments_is_not_a_target(body):
    assert targets_of(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "《实施方案》还部署了科技赋能、人才引育等6个重点任务，并对6个重点任务逐年分解。",
        "为确保目标落地，《行动计划》将实施创新引领、集群培育等五大行动和18项工程。",
        "《实施方案》还明确了45个具体事项及其牵头单位、完成时限。",
    ],
)
def test_a_report_counting_the_plans_own_tasks_states_no_target(body):
    assert targets_of(body) == []


def test_goals_quoted_after_the_plan_as_subject_are_targets():
    found = targets_of("《行动方案》提出，到2026年，建设10个重点项目，实施20项技术改造工程。")
    assert [(t.value_min, t.year) for t in found] == [(10, 2026), (20, 2026)]


@pytest.mark.parametrize(
    ("body", "value", "unit"),
    [
        (
            "到2027年，营业收入超五百亿元园区数量较2023年翻一番，建成3个产值过百亿元产业集群。",
            3,
            "个",
        ),
        ("推动百亿元以上产业集群工业互联网平台全覆盖，新建智能工厂20家。", 20, "家"),
    ],
)
def test_a_money_amount_that_names_a_class_of_places_is_a_threshold(body, value, unit):
    values = [(t.value_min, t.unit) for t in targets_of(body) if t.unit != "%"]
    assert values == [(value, unit)]


@pytest.mark.parametrize(
    "body",
    ["全区60岁以上老年人口达到15万人。", "为70至79岁老年人提供免费体检服务，覆盖8万人。"],
)
def test_an_age_that_says_who_is_counted_is_not_a_target(body):
    assert all(t.unit != "岁" for t in targets_of(body))


def test_a_life_expectancy_target_in_years_of_age_stays():
    target = only("到2025年，人均预期寿命达到80岁。")
    assert (target.value_min, target.unit) == (80, "岁")


def test_a_new_chinese_numeral_verb_places_the_number():
    found = targets_of("到2026年，开拓百项应用场景，攻克十项关键技术。")
    assert [(t.value_min, t.unit) for t in found] == [(100, "项"), (10, "项")]


def test_a_bare_magnitude_after_da_is_its_own_unit():
    target = only("到2030年，规模以上软件业营收达1.8万亿，成为支柱产业。")
    assert (target.value_min, target.unit, target.year) == (Decimal("1.8"), "万亿", 2030)


def test_a_past_plan_period_reaches_over_a_semicolon():
    document = parse_structure(
        "某省发展规划\n省政府印发《某省数字经济发展“十四五”规划》。\n"
        "“十三五”期间，全省软件业规模位列全国第五；培育千亿元级企业2家、百亿元级企业18家。\n"
        "“十四五”期间，数字经济领域有效发明专利达到6万件。\n"
    )
    assert [(t.value_min, t.unit, t.year) for t in extract_targets(document)] == [(6, "万件", 2025)]


def test_a_lead_in_ending_with_a_colon_hands_its_period_to_the_next_paragraph():
    document = parse_structure(
        "某市发布“十四五”规划纲要\n《纲要》提出“十四五”时期（2021年至2025年）的主要目标：\n"
        "经济总量迈上新台阶，年均增长6.5%左右，到2025年，地区生产总值达到8000亿元。\n"
    )
    assert [(t.value_min, t.year) for t in extract_targets(document)] == [
        (Decimal("6.5"), 2025),
        (8000, 2025),
    ]


CELL_PER_LINE_TABLE = """某县文化旅游发展“十四五”规划
二、发展目标
到2025年，主要指标如下：
类别
序号
指标名称
单位
2020年
2025年
属性
产业规模
1
旅游总收入
亿元
120
200
预期性
2
A级旅游景区数量
个
18
≥25
预期性
公共服务
3
公共文化设施覆盖率
%
90
100
约束性
三、重点任务
（一）建设文旅融合示范区3个。
"""


def test_an_indicator_table_copied_one_cell_per_line_is_read_as_rows():
    found = extract_targets(parse_structure(CELL_PER_LINE_TABLE))
    assert [(t.indicator, t.value_min, t.unit, t.comparator, t.year) for t in found] == [
        ("旅游总收入", 200, "亿元", "=", 2025),
        ("A级旅游景区数量", 25, "个", ">=", 2025),
        ("公共文化设施覆盖率", 100, "%", "=", 2025),
        ("文旅融合示范区", 3, "个", "=", None),
    ]


def test_short_lines_without_indicator_and_year_columns_are_left_alone():
    from ducha.engine.extract.tables import join_cell_lines

    lines = ["序号", "名称", "地点", "属性", "1", "甲园区", "东区", "预期性"]
    assert join_cell_lines(lines) == lines


def test_a_row_that_runs_on_without_its_property_cell_ends_the_table_and_keeps_its_lines():
    from ducha.engine.extract.tables import join_cell_lines

    lines = ["指标", "2025年", "单位", "属性", "旅游总收入", "200", "亿元", "新增景区5个。"]
    assert join_cell_lines(lines) == ["指标\t2025年\t单位\t属性", *lines[4:]]


def test_a_size_glued_to_the_noun_it_sizes_is_a_threshold():
    target = only("打造营业收入超二十亿元物流企业集团不少于4家。")
    assert (target.value_min, target.unit, target.comparator) == (4, "家", ">=")


def test_a_work_report_without_a_year_in_its_title_plans_for_the_year_it_is_delivered():
    document = parse_structure(
        "政府工作报告\n——2026年1月20日在某市第十届人民代表大会第一次会议上\n"
        "一、今年的重点工作\n全年新增城镇就业3万人以上。\n"
    )
    assert [(t.value_min, t.year) for t in extract_targets(document)] == [(3, 2026)]
