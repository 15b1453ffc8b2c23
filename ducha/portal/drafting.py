"""A 通报 (bulletin) as text, from facts gathered elsewhere: pure Python, no Django.

`selectors.bulletin_facts` reads the round, the assessment, the scorecards and the open 督办
cases into a `Facts`; `compose` turns them into the formal text the office edits: a title,
a body whose lines are paragraphs, headings (一、总体进展 …) and table markers
(【表1：各单位填报情况】), and the tables those markers place. `blocks` reads an edited body
back into headings, paragraphs and tables for the Word, PDF and web renderings, so whatever
the office changed in the text is what is sent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ducha.engine.units import format_quantity

CHINESE_NUMERALS = "一二三四五六七八九十"
HEADING_RE = re.compile(r"^[一二三四五六七八九十]+、\S")
TABLE_RE = re.compile(r"^【表(\d+)[：:](.*)】$")


@dataclass
class UnitReport:
    """One unit's assignments in the round (a scorecards Tally, with the unit's name)."""

    unit: str
    expected: int
    reported: int
    on_time: int
    approved: int
    is_office: bool = False  # the office reports too, but neither praises nor ranks itself

    @property
    def late(self) -> int:
        """Submitted, but after the deadline."""
        return self.reported - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.reported

    @property
    def all_on_time(self) -> bool:
        return self.expected > 0 and self.on_time == self.expected


@dataclass
class LaggingItem:
    name: str
    lead_unit: str
    status: str  # the status in words
    status_code: str
    latest: float | None = None
    latest_period: str | None = None
    target: str = ""  # as the plan states it: "1000亿元（2020年）"
    unit: str = ""
    worsened: bool = False  # its status is worse than at the previous round
    milestone: bool = False


@dataclass
class SourceNote:
    """Where a figure the bulletin quotes comes from: 智能科技产业规模（2020年）: 名录库计算."""

    name: str
    period: str
    sources: list[str]  # each kind in words, with its 口径 where one is given


@dataclass
class RankRow:
    rank: int | None
    unit: str
    group: str  # 区, 部门 …: units are ranked within their kind
    total: float | None
    reporting_rate: float | None
    on_time_rate: float | None


@dataclass
class OpenCase:
    title: str
    unit: str
    kind: str
    state: str
    due: dt.date
    overdue: bool


@dataclass
class SectionLine:
    """A chapter or section of the plan with its rolled-up status (the same roll-up as every
    page shows) and how it was reached."""

    key: str
    name: str
    depth: int
    status: str  # in words
    status_code: str
    how: str  # "由 3 项指标、1 项任务汇总：…"


@dataclass
class FinalItem:
    """One target past its deadline in the final evaluation (终期评估)."""

    name: str
    lead_unit: str
    target: str  # as the plan states it: "1000亿元（2020年）"
    status: str  # in words
    status_code: str
    value: str = "–"  # the value the status rests on, with its unit
    period: str = "–"
    share: float | None = None  # share of the way
    gap: str = "–"
    source: str = "–"
    milestone: bool = False


@dataclass
class FinalSection:
    period_end: int  # the plan period's last year
    items: list[FinalItem]
    counts: list[tuple[str, int]]  # (status in words, number), in reading order
    running: int = 0  # targets not yet due (the outlook)


@dataclass
class Burden:
    """The round's reporting burden (reporting.burden): fields asked, prefilled by the
    system, confirmed unchanged, typed by the units, and the median unit's hours."""

    asked: int
    prefilled: int
    confirmed: int
    typed: int
    median_hours: float | None = None
    timed_units: int = 0


@dataclass
class CoverageLine:
    """One target of the plan that targets of other plans reach (ducha.alignment)."""

    name: str
    target: str  # "1000亿元（2020年）"
    parts: str  # "滨海新区新一代人工智能行动计划：人工智能核心产业规模200亿元（2021年）"
    total: str  # the contributing targets' sum with its unit, or "–"
    share: float | None  # that sum against the target, as a percentage
    status: str  # in words
    late: int = 0  # contributions due after the target's deadline


@dataclass
class CoverageSection:
    lines: list[CoverageLine]
    uncovered: int  # the plan's targets that no other plan's target reaches


@dataclass
class Facts:
    plan_title: str
    round_title: str
    deadline: dt.date
    deadline_passed: bool
    as_of: dt.date
    issued_on: dt.date
    issuer: str
    overall: str  # the plan's rolled-up status in words
    spread: list[tuple[str, int]]  # (status in words, count), indicators and milestones
    indicators: int
    milestones: int
    units: list[UnitReport] = field(default_factory=list)
    lagging: list[LaggingItem] = field(default_factory=list)
    ranking: list[RankRow] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    cases: list[OpenCase] = field(default_factory=list)
    previous_round: str = ""
    sections: list[SectionLine] = field(default_factory=list)
    final: FinalSection | None = None  # once the plan period is over as of the date
    sources: list[SourceNote] = field(default_factory=list)
    burden: Burden | None = None
    coverage: CoverageSection | None = None  # where other plans' targets reach this plan's


@dataclass
class Draft:
    title: str
    body: str
    tables: list[dict]


# --- formatting -------------------------------------------------------------------------------


def num(x: float | None) -> str:
    """1000, 12.5, 0.33 (no needless decimals); – for nothing."""
    if x is None:
        return "–"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def percent(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"


def day(d: dt.date) -> str:
    """2019年10月8日, as GB/T 9704-2012 writes dates (Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def joined(names: list[str]) -> str:
    return "、".join(names)


def title_for(round_title: str, plan_title: str) -> str:
    return f"关于{round_title}《{plan_title}》推进情况的通报"


# A title line of GB/T 9704-2012: 二号 (22 pt) characters in the 156 mm type area hold 20.
TITLE_LINE = 20
NO_LINE_START = set("》）)、，,。.：:；;！!？?”’」』】〕")
NO_LINE_END = set("《（(“‘「『【〔")


def _width(text: str) -> float:
    """Latin letters, digits and ASCII punctuation count 0.6 of a Chinese character (as wide
    as they are in the bold serif face of the title), the rest one."""
    return sum(0.6 if ord(c) < 128 else 1.0 for c in text)


def title_lines(title: str, per_line: float = TITLE_LINE) -> list[str]:
    """The title broken into as few lines as fit, as even as they go and the upper ones no
    shorter than the lower (GB/T 9704's 梯形 or 菱形), never a character alone on a line, no
    line starting with closing or ending with opening punctuation, no number or Latin word
    cut in two."""
    title = title.strip()
    if _width(title) <= per_line or len(title) < 4:
        return [title]
    n = len(title)

    def breakable(i: int) -> bool:  # a line may end before title[i]
        a, b = title[i - 1], title[i]
        if b in NO_LINE_START or a in NO_LINE_END:
            return False
        return not (a.isascii() and a.isalnum() and b.isascii() and b.isalnum())

    points = [i for i in range(2, n - 1) if breakable(i)]
    lines = max(2, int(-(-_width(title) // per_line)))
    for k in range(lines, min(lines + 3, n // 2 + 1)):  # one or two more when rules forbid
        target = _width(title) / k
        # best[j][i]: the least cost of cutting title[:i] into j lines ending at a break point
        best: list[dict[int, tuple[float, list[int]]]] = [{0: (0.0, [])}]
        for j in range(1, k + 1):
            row: dict[int, tuple[float, list[int]]] = {}
            ends = [*points, n] if j == k else points
            for end in ends:
                if j == k and end != n:
                    continue
                for start, (cost, cuts) in best[j - 1].items():
                    if end - start < 2:
                        continue
                    w = _width(title[start:end])
                    if w > per_line:
                        continue
                    c = cost + (w - target) ** 2
                    # cuts ends with this line's start: the line above began at the cut before
                    above = title[(cuts[-2] if len(cuts) > 1 else 0) : start] if start else ""
                    if above and w > _width(above):
                        c += 0.5  # a lower line longer than the upper one: allowed, not liked
                    if end not in row or c < row[end][0]:
                        row[end] = (c, [*cuts, start] if start else cuts)
            best.append(row)
        if n in best[k]:
            cuts = best[k][n][1] + [n]
            out, start = [], 0
            for cut in cuts:
                out.append(title[start:cut])
                start = cut
            return out
    return [title]


# --- composing --------------------------------------------------------------------------------


def compose(f: Facts) -> Draft:
    tables: list[dict] = []
    lines: list[str] = [
        "各区人民政府，市各有关部门：",
        f"根据《{f.plan_title}》工作安排，{f.issuer}组织开展了{f.round_title}推进情况填报和"
        "评估工作。现将有关情况通报如下：",
    ]
    sections = [
        ("总体进展", _overall(f, tables)),
        *([("终期评估", _final(f, tables))] if f.final else []),
        ("填报情况", _reporting(f, tables)),
        ("滞后指标", _lagging(f, tables)),
        ("考核排名", _ranking(f, tables)),
        *([("规划目标对接", _coverage(f, tables))] if f.coverage else []),
        ("督办事项", _cases(f)),
        ("下一步要求", _next_steps(f)),
    ]
    for i, (heading, paragraphs) in enumerate(sections):
        lines.append(f"{CHINESE_NUMERALS[i]}、{heading}")
        lines += paragraphs
    lines += source_footnote(f)
    return Draft(title_for(f.round_title, f.plan_title), "\n".join(lines), tables)


def source_footnote(f: Facts) -> list[str]:
    """注：the source of every figure the bulletin quotes, in one closing line."""
    if not f.sources:
        return []
    parts = [f"{s.name}（{s.period}）来源为{'、'.join(s.sources)}" for s in f.sources]
    return ["注：本通报所引数据，" + "；".join(parts) + "。"]


def _table(tables: list[dict], caption: str, columns: list[str], rows: list[list]) -> str:
    tables.append({"caption": caption, "columns": columns, "rows": rows})
    return f"【表{len(tables)}：{caption}】"


def _overall(f: Facts, tables: list[dict]) -> list[str]:
    counted = [f"{label}{n}项" for label, n in f.spread if n]
    text = (
        f"截至{day(f.as_of)}，计划共设量化指标{f.indicators}项、工作任务{f.milestones}项。"
        f"从评估情况看，{'，'.join(counted) or '尚无评估结果'}。"
        f"计划总体评估为“{f.overall}”。"
    )
    out = [text]
    if f.sections:
        out.append(
            "各部分的评估由其下的指标、任务和下一级部分按统一规则汇总（评估方法见平台“评估方法”页）："
        )
        out.append(
            _table(
                tables,
                "分章节评估情况",
                ["章节", "评估", "汇总情况"],
                [[("　" * s.depth) + s.name, s.status, s.how] for s in f.sections],
            )
        )
    return out


def _final(f: Facts, tables: list[dict]) -> list[str]:
    """终期评估: every target past its deadline, met or missed, with its final value."""
    final = f.final
    counted = "，".join(f"{label}{n}项" for label, n in final.counts if n)
    indicators = [x for x in final.items if not x.milestone]
    milestones = [x for x in final.items if x.milestone]
    text = (
        f"计划期已于{final.period_end}年底结束。截至{day(f.as_of)}，已到期的量化指标"
        f"{len(indicators)}项、工作任务{len(milestones)}项，其中{counted or '尚无评估结果'}。"
    )
    if final.running:
        text += f"另有{final.running}项目标期限在后，仍按进度评估。"
    out = [text]
    missed = [x for x in indicators if x.status_code in ("not_achieved", "not_achieved_no_data")]
    if missed:
        out.append(
            "未完成的指标："
            + "；".join(
                f"{x.name}（牵头单位：{x.lead_unit or '未明确'}，目标{x.target}，"
                + (
                    f"最终值{x.value}（{x.period}），完成{percent(x.share)}，差距{x.gap}）"
                    if x.status_code == "not_achieved"
                    else "未报送期限所在期数据）"
                )
                for x in missed
            )
            + "。"
        )
    out.append(
        _table(
            tables,
            "终期评估情况",
            [
                "指标或任务",
                "牵头单位",
                "目标",
                "终期评估",
                "最终值",
                "数据期",
                "完成程度",
                "差距",
                "来源",
            ],
            [
                [
                    x.name,
                    x.lead_unit or "未明确",
                    x.target,
                    x.status,
                    x.value,
                    x.period,
                    percent(x.share),
                    x.gap,
                    x.source,
                ]
                for x in final.items
            ],
        )
    )
    return out


def _burden(b: Burden) -> str:
    """The reporting burden in one sentence (基层减负: what the system filled in for the units)."""
    text = (
        f"本轮各单位应填字段{b.asked}个，系统根据名录库、上期数据和已有佐证材料预填"
        f"{b.prefilled}个（占{percent(b.prefilled / b.asked)}），单位确认未改{b.confirmed}个，"
        f"手工填写或修改{b.typed}个（占{percent(b.typed / b.asked)}）"
    )
    if b.median_hours is not None:
        text += (
            f"；有记录的{b.timed_units}个单位从首次打开到完成报送，"
            f"用时中位数为{num(round(b.median_hours, 1))}小时"
        )
    return text + "。"


def _reporting(f: Facts, tables: list[dict]) -> list[str]:
    if not f.units:
        return ["本轮未下达填报任务。"]
    expected = sum(u.expected for u in f.units)
    reported = sum(u.reported for u in f.units)
    on_time = sum(u.on_time for u in f.units)
    approved = sum(u.approved for u in f.units)
    out = [
        f"{f.round_title}填报于{day(f.deadline)}截止，共向{len(f.units)}个单位下达填报任务"
        f"{expected}项。已报送{reported}项，报送率{percent(reported / expected)}；"
        f"按时报送{on_time}项，及时率{percent(on_time / expected)}；"
        f"经审核通过{approved}项。"
    ]
    praised = [u.unit for u in f.units if u.all_on_time and not u.is_office]
    late = [u for u in f.units if u.late]
    missing = [u for u in f.units if u.missing]
    if praised:
        out.append(
            f"{joined(praised)}等{len(praised)}个单位按时完成全部填报任务，予以通报表扬。"
            if len(praised) > 3
            else f"{joined(praised)}按时完成全部填报任务，予以通报表扬。"
        )
    if late:
        out.append("逾期报送的单位：" + joined([f"{u.unit}（{u.late}项）" for u in late]) + "。")
    if missing:
        what = "逾期未报送的单位：" if f.deadline_passed else "截至目前尚未报送的单位："
        out.append(what + joined([f"{u.unit}（{u.missing}项）" for u in missing]) + "。")
    criticised = [
        u.unit for u in f.units if not u.is_office and (u.late or (u.missing and f.deadline_passed))
    ]
    if criticised:
        out.append(
            f"对{joined(criticised)}予以通报批评，请认真查找原因，立即补报，"
            "并于下一轮填报前向领导小组办公室书面说明情况。"
        )
    if not late and not (missing and f.deadline_passed):
        out.append("各单位均按时完成填报任务。")
    if f.burden is not None and f.burden.asked:
        out.append(_burden(f.burden))
    out.append(
        _table(
            tables,
            "各单位填报情况",
            ["单位", "应报", "已报", "按时", "审核通过", "报送率", "及时率"],
            [
                [
                    u.unit,
                    u.expected,
                    u.reported,
                    u.on_time,
                    u.approved,
                    percent(u.reported / u.expected if u.expected else None),
                    percent(u.on_time / u.expected if u.expected else None),
                ]
                for u in f.units
            ],
        )
    )
    return out


def _value(item: LaggingItem) -> str:
    if item.milestone:
        return "–"
    if item.latest is None:
        return "暂无数据"
    period = f"（{item.latest_period}）" if item.latest_period else ""
    return f"{format_quantity(item.latest, item.unit)}{item.unit}{period}"


def _lagging(f: Facts, tables: list[dict]) -> list[str]:
    indicators = [x for x in f.lagging if not x.milestone]
    milestones = [x for x in f.lagging if x.milestone]
    if not f.lagging:
        return ["对照计划目标和时序进度，本期所有指标和任务均达到进度要求。"]
    out = []
    if indicators:
        worse = [x for x in indicators if x.status_code == "deterioration"]
        # 一、 counts each status by its own name (进展滞后 is one of them), so this section
        # names the statuses it gathers rather than calling them all 进展滞后
        by_status: dict[str, int] = {}
        for x in indicators:
            by_status[x.status] = by_status.get(x.status, 0) + 1
        parts = "、".join(f"{status}{n}项" for status, n in by_status.items())
        text = f"对照计划目标和时序进度，有{len(indicators)}项指标未达到进度要求（{parts}）"
        if worse:
            text += f"，其中{joined([x.name for x in worse])}出现倒退"
        dropped = [x.name for x in indicators if x.worsened]
        if dropped and f.previous_round:
            text += f"；与{f.previous_round}相比，{joined(dropped)}评估等级下降"
        out.append(text + "：")
        for i, x in enumerate(indicators, start=1):
            out.append(
                f"{i}. {x.name}（牵头单位：{x.lead_unit or '未明确'}）："
                f"最新值{_value(x)}，目标{x.target}，评估为“{x.status}”。"
            )
    if milestones:
        out.append(
            f"工作任务方面，有{len(milestones)}项未达到进度要求："
            + "；".join(
                f"{x.name}（牵头单位：{x.lead_unit or '未明确'}，{x.status}）" for x in milestones
            )
            + "。"
        )
    out.append(
        _table(
            tables,
            "未达到进度要求的指标和任务",
            ["指标或任务", "牵头单位", "最新值", "目标", "评估", "较上轮"],
            [
                [
                    x.name,
                    x.lead_unit or "未明确",
                    _value(x),
                    x.target or "–",
                    x.status,
                    "下降" if x.worsened else "–",
                ]
                for x in f.lagging
            ],
        )
    )
    return out


WEIGHT_NAMES = {
    "timeliness": "及时性",
    "completeness": "完整性",
    "progress": "牵头任务进展",
    "quality": "佐证质量",
}


def _ranking(f: Facts, tables: list[dict]) -> list[str]:
    ranked = [r for r in f.ranking if r.rank is not None]
    if not ranked:
        return ["本轮暂无可排名的单位。"]
    weights = "、".join(f"{WEIGHT_NAMES.get(k, k)}{num(w)}%" for k, w in f.weights.items() if w > 0)
    out = [
        f"按照考核办法（{weights}），对各责任单位分类进行考核排名（区与区、部门与部门分别排名）。"
    ]
    groups: dict[str, list[RankRow]] = {}
    for r in ranked:
        groups.setdefault(r.group, []).append(r)
    for group, rows in groups.items():
        if len(rows) < 3:
            continue  # a ranking of one or two says nothing
        first = [r.unit for r in rows if r.rank == 1]
        text = f"{group}中，{joined(first)}{'并列第一' if len(first) > 1 else '排名第一'}"
        last = [r.unit for r in rows if r.rank == rows[-1].rank]
        if rows[-1].rank != 1:
            text += f"，{joined(last)}{'并列末位' if len(last) > 1 else '排名末位'}"
        out.append(text + "。")
    out.append(
        _table(
            tables,
            "考核排名",
            ["类别", "排名", "单位", "综合得分", "报送率", "及时率"],
            [
                [
                    r.group,
                    r.rank if r.rank is not None else "–",
                    r.unit,
                    num(None if r.total is None else round(r.total, 1)),
                    percent(r.reporting_rate),
                    percent(r.on_time_rate),
                ]
                for r in f.ranking
            ],
        )
    )
    return out


def _coverage(f: Facts, tables: list[dict]) -> list[str]:
    """How far the targets of the district and special plans cover this plan's targets."""
    cov = f.coverage
    short = [x for x in cov.lines if x.share is not None and x.share < 100]
    late = sum(x.late for x in cov.lines)
    text = (
        f"本计划量化指标中，{len(cov.lines)}项已有区级、专项或后续规划的目标对接，"
        f"{cov.uncovered}项尚无其他规划目标对接。"
    )
    if short:
        text += f"其中{len(short)}项对接目标合计尚不足本计划目标"
        text += "，" if late else "。"
    if late:
        text += f"{'另有' if not short else ''}{late}项对接目标的完成时限晚于本计划。"
    return [
        text,
        _table(
            tables,
            "规划目标对接情况",
            ["指标", "本计划目标", "对接的规划目标", "合计", "覆盖率", "情况"],
            [[x.name, x.target, x.parts, x.total, _share(x.share), x.status] for x in cov.lines],
        ),
        "请各区、各有关部门对照本计划目标，补齐尚未对接和对接不足的目标。",
    ]


def _share(share: float | None) -> str:
    return "–" if share is None else percent(share / 100)


def _cases(f: Facts) -> list[str]:
    if not f.cases:
        return [f"截至{day(f.issued_on)}，无在办督办事项。"]
    overdue = sum(1 for c in f.cases if c.overdue)
    head = f"截至{day(f.issued_on)}，在办督办事项{len(f.cases)}项"
    head += f"，其中超期未办结{overdue}项：" if overdue else "："
    out = [head]
    for i, c in enumerate(f.cases, start=1):
        late = "，已超期" if c.overdue else ""
        out.append(
            f"{i}. {c.title}（{c.kind}，责任单位：{c.unit}，办理时限{day(c.due)}，"
            f"{c.state}{late}）。"
        )
    out.append("请各责任单位按时限办结，并报送办理情况。")
    return out


def _next_steps(f: Facts) -> list[str]:
    return [
        "（一）压实工作责任。各牵头单位要对照计划目标和时序进度，认真分析滞后原因，"
        "制定追赶措施，确保完成年度目标任务。",
        "（二）严格填报纪律。各责任单位要按照规定时限报送进展数据和佐证材料，"
        "确保数据真实、准确、完整；被通报批评的单位要切实整改。",
        "（三）加强督查督办。领导小组办公室将对滞后指标和督办事项持续跟踪，"
        "并将本次通报情况纳入年度考核。",
    ]


# --- reading an edited body back --------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "address" (主送机关), "heading", "paragraph", "table"
    text: str = ""
    table: dict | None = None


def blocks(body: str, tables: list[dict]) -> list[Block]:
    """The body as the office left it: blank lines dropped, headings and table markers found.

    A marker whose table does not exist (the office typed one) stays a paragraph, so nothing
    the office wrote disappears.
    """
    out: list[Block] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        marker = TABLE_RE.match(line)
        if marker and 1 <= int(marker[1]) <= len(tables):
            table = tables[int(marker[1]) - 1]
            out.append(Block("table", table.get("caption", ""), table))
        elif HEADING_RE.match(line) and len(line) <= 40 and not line.endswith("。"):
            out.append(Block("heading", line))
        elif not out and line.endswith("："):
            out.append(Block("address", line))
        else:
            out.append(Block("paragraph", line))
    return out


def unknown_markers(body: str, tables: list[dict]) -> list[str]:
    """Table markers in the body with no table behind them (they print as plain text)."""
    return [
        line.strip()
        for line in body.splitlines()
        if (m := TABLE_RE.match(line.strip())) and not 1 <= int(m[1]) <= len(tables)
    ]


def as_text(title: str, body: str, tables: list[dict], issuer: str, issued_on: dt.date) -> str:
    """Plain text (the command's `--format txt`): tables as tab-separated rows."""
    lines = [title, ""]
    for b in blocks(body, tables):
        if b.kind == "table":
            lines.append(f"表：{b.text}")
            lines.append("\t".join(str(c) for c in b.table["columns"]))
            lines += ["\t".join(str(c) for c in row) for row in b.table["rows"]]
        else:
            lines.append(b.text)
        lines.append("")
    lines += [issuer, day(issued_on)]
    return "\n".join(lines) + "\n"
