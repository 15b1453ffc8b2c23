"""Words of Chinese plans that the target extractor keys on.

Kept apart from the logic so that a reviewer can read and extend the vocabulary without reading
the regular expressions. Every list is about the genre (how plans state targets), not about any
one document.
"""

from __future__ import annotations

from ducha.engine.units import ALIASES, UNITS

# Units that plans write but that are spelled out here rather than in the units table, because
# the table is for units the platform tracks; the YAML writer normalises them where it can.
_EXTRA_UNITS = (
    "人次", "万人次", "亿人次", "家次", "岁", "个月", "个工作日", "分钟", "微克/立方米",
    "万千瓦时", "吨标准煤", "万吨标准煤", "公斤", "千克", "个点", "百分点", "GW", "MW",
    "万平方公里", "万公里", "亿平方米", "万亿千瓦时", "亿立方米", "万立方米", "万户",
    "场次", "批次", "架次", "车次", "班次", "航次", "户次", "分",
    # 勘探开发井超过100口, 年发电量达60亿度 (度 is a kilowatt-hour)
    "口", "度", "万度", "亿度",
)  # fmt: skip
# 2万张, 150亿斤: a unit after 万/亿 stays "as written"; the YAML writer converts it.
_BASES = tuple(
    u
    for u in (*UNITS, "斤", "公顷", "人次")
    if u[:1] not in "万亿千百" and u not in ("%", "‰", "年")
)
_EXTRA_UNITS += (*(m + u for u in _BASES for m in ("万", "亿")), "斤")
# 千亿元 is left out on purpose: in 一千亿元 and 3千亿元 the 千 belongs to the number (1000 亿元).
# Bare 万/亿/万亿 are units only where a pattern says so (达到11亿, a table's （亿）), never
# as words after any number: in prose they are part of the numeral.
_NOT_UNITS = {"千亿元", "万", "亿", "万亿"}

UNIT_WORDS: tuple[str, ...] = tuple(
    sorted(
        ({*UNITS, *ALIASES, *_EXTRA_UNITS} - _NOT_UNITS),
        key=lambda u: (-len(u), u),
    )
)

MONEY_UNITS = frozenset(u for u, info in UNITS.items() if info.category == "money")
PERCENT_UNITS = frozenset({"%", "％", "‰", "个百分点", "百分点", "个点"})
TIME_UNITS = frozenset({"年", "天", "小时", "分钟", "个月", "个工作日"})
ORDINAL_UNITS = frozenset({"届", "次"})

# A comparator written just before the number, longest first.
AT_LEAST_BEFORE = (
    "不少于", "不低于", "不小于", "至少", "超过", "多于", "大于", "高于", "突破", "超", "逾",
)  # fmt: skip
AT_MOST_BEFORE = (
    "不超过", "不高于", "不大于", "不多于", "低于", "少于", "小于", "控制在", "压减到", "压减至",
)  # fmt: skip
# ... and after the number and unit.
AT_LEAST_AFTER = ("及以上", "或以上", "以上")
AT_MOST_AFTER = ("及以下", "或以下", "以下", "以内", "之内")
APPROX_AFTER = ("左右", "上下")

# Words between a verb and the number that do not change the meaning of the number.
ADVERBS = (
    "年均", "平均", "累计", "分别", "力争", "争取", "约", "近", "大约", "共", "总计", "合计",
    "再", "新增", "达", "每年", "至少", "全年", "基本",
)  # fmt: skip

# 提高20% is a change; 提高到20% is a level.
CHANGE_VERBS = (
    "提高", "提升", "增长", "增加", "上升", "扩大", "增", "下降", "降低", "减少", "压减", "削减",
    "缩减", "缩短", "压缩", "下调", "降", "减", "节约", "减排", "上调", "增速", "增幅",
)  # fmt: skip
DECREASE_WORDS = (
    "下降", "降低", "减少", "压减", "削减", "缩减", "缩短", "压缩", "下调", "降至", "降到",
    "减排", "控制在", "减", "降",
)  # fmt: skip
LEVEL_LINKS = ("到", "至", "为")

# Verbs that put a number in the position of a target: 达到…, 建设 N 个…, 培育 N 家…
LEVEL_VERBS = (
    "达到", "达", "提高到", "提高至", "提升到", "提升至", "增长到", "增长至", "增加到", "增加至",
    "扩大到", "扩大至", "上升到", "上升至", "下降到", "下降至", "降低到", "降低至", "降到", "降至",
    "减少到", "减少至", "缩短到", "缩短至", "压缩到", "压缩至", "控制在", "保持在", "稳定在",
    "增至", "减至", "升至", "提至", "扩至",
    "维持在", "超过", "突破", "不少于", "不低于", "不超过", "不高于", "为", "占", "提高", "提升",
    "增长", "增加", "下降", "降低", "减少", "压减", "实现", "覆盖", "超",
)  # fmt: skip
ACTION_VERBS = (
    "建设", "建成", "新建", "培育", "打造", "引进", "引育", "引入", "新增", "实施", "推广", "推出",
    "形成", "认定", "创建", "布局", "组建", "设立", "培养", "聚集", "集聚", "选取", "选择", "开展",
    "举办", "建立", "扶持", "支持", "遴选", "完成", "攻破", "突破", "改造", "累计", "共", "带动",
    "吸引", "服务", "开发", "研发", "制定", "修订", "发布", "培训", "招引", "落地", "储备", "孵化",
    "认证", "评选", "命名", "部署", "安装", "铺设", "种植", "造林", "整治", "搭建", "汇聚", "集中",
    "部署", "达", "拥有", "发展", "壮大", "提供", "覆盖", "新培育", "新认定", "新引进", "推动",
    "带动", "组织", "引导", "帮助", "资助", "安排", "创建", "打造", "建", "育", "开拓", "攻克",
    "开通", "新开通", "谋划",
)  # fmt: skip
# Leading words of a clause that are not part of what is measured.
LEADING_FILLER = (
    "推动", "推进", "促进", "实现", "确保", "力争", "争取", "完成", "高水平", "全市", "全省",
    "全区", "全县", "全国", "我市", "我省", "本市", "本省", "基本", "初步", "重点", "加快", "大力",
    "积极", "每年", "年均", "累计", "其中", "同时", "进一步", "持续", "着力", "全面", "逐步",
    "稳步", "努力", "以及", "、",
)  # fmt: skip

# Words in front of an amount that make it a property of the counted thing (收入超50亿元的企业).
ATTRIBUTE_WORDS = (
    "收入", "营收", "产值", "销售额", "营业额", "规模", "投资额", "投资", "纳税", "税收", "市值",
    "估值", "资产", "产量", "面积", "用地", "人数", "员工", "出口额", "交易额", "利润", "年产",
    "总投资", "融资", "注册资本", "体量", "数量", "用户", "用户数",
)  # fmt: skip
COUNTED_NOUNS = (
    "企业", "项目", "公司", "单位", "园区", "集团", "供应商", "产业", "主体", "工程", "基地",
    "平台", "集群", "龙头", "以上", "级", "开发区", "高新区", "园", "县", "城市", "街道", "乡镇",
)  # fmt: skip

# Clauses about subsidies and awards state policy terms, not targets (给予最高500万元奖励).
POLICY_TERMS = (
    "给予", "奖励", "补助", "补贴", "资助", "贴息", "最高", "奖补", "返还", "减免", "免征", "费率",
    "利率", "税率",
)  # fmt: skip

# A sentence with one of these describes what has been done, not what is to be done.
PAST_MARKERS = (
    "已经", "已有", "已达", "已建", "已累计", "已形成", "已培育", "已实现", "已完成", "已超",
    "截至目前", "截止目前", "同比", "比上年", "去年", "上年", "过去", "达到了", "实现了", "共有",
    "现有", "以来", "期间累计", "已", "目前", "数据显示", "据统计",
)  # fmt: skip
# A sentence with one of these is a forecast of what will happen anyway (预计将达到110万人左右,
# 预计，全省生产总值增长7.5%), not a target; 预计到2025年 still opens a target.
FORECAST_PATTERN = r"预计(?!到|至|在)|据测算|据预测|有可能"
# Node titles for background sections: their numbers are history.
# Titles that end like this are background whatever stands before (“十三五”时期老龄事业发展面临的
# 形势, 2019年工作回顾, 过去五年和2022年工作回顾).
BACKGROUND_TITLE_END = (
    r"(?:工作回顾|回顾|面临的形势|发展形势|发展基础|发展现状|取得的成就|主要成就)$"
)
BACKGROUND_TITLE_PATTERN = (
    r"^(?:“?十[一二三四五六七八九]五”?(?:时期|期间)?|过去五年|近年来)?"
    r"(?:(?:发展|现实|工作|产业|良好)?(?:基础|现状|成就|成效|回顾)"
    r"(?:[与和及、](?:面临的?)?(?:形势|挑战|机遇|环境|问题)+)?"
    r"|(?:发展|面临的?|当前)?(?:形势|环境|机遇与挑战|机遇和挑战)"
    r"|(?:取得的?|主要|发展|工作)成效|发展现状与?问题|存在的?问题)$"
)

# Node titles for the guiding ideas and principles: they state the approach (培育…等四大产业集群
# as a line of thought), the goals come in their own section.
GUIDING_TITLE_PATTERN = (
    r"^(?:指导思想|基本原则|工作原则|主要原则|总体思路|发展思路|基本思路|工作思路)$"
)

# Words after a unit that make the number part of a name (千人计划, 百千万人才工程).
NAME_TAILS = ("计划", "工程", "人才", "行动", "战略", "专项", "战役", "格局")

# The plan counting its own parts (提出5项发展目标, 8个方面, 15条政策措施): what follows the unit.
DOCUMENT_PART_HEADS = ("方面", "维度")
DOCUMENT_PART_TAILS = ("目标", "任务", "举措", "措施", "条款")
# 《三年行动》还制定了…7个行动任务, 《行动计划》将实施…八大行动和27项工程, 明确97个具体任务事项:
# counted after a sentence whose subject is the plan itself, these words name its own parts.
PLAN_SUBJECT_VERBS = (
    "提出", "制定", "明确", "实施", "部署", "包括", "涵盖", "设置", "安排", "分为", "列出", "围绕",
)  # fmt: skip
PLAN_PART_WORDS = (
    "任务", "行动", "工程", "措施", "举措", "事项", "方面", "目标", "条款", "政策", "重点工作",
)  # fmt: skip
