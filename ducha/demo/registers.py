"""Demo registers: about 5,000 enterprises, 300 projects, 60 platforms, 100 key technologies
and 550 talents in 20 teams, deterministic and flagged ``is_demo``, generated so that the
indicators computed from them tell the demo's story (``services.SCENARIOS``): the 1000亿元
total lags, robots are achieved, sensors deteriorate, the leading enterprises are nearly on
track, platforms exceed "2至3".

How the story is made: every computed indicator gets a path (its level at the end of 2017,
the baseline, and of every quarter or year to 2020) from its scenario, and records are
generated whose dates make the register count (or sum) follow that path. Revenue is drawn
per enterprise and then scaled, year by year, so that each industry adds up to its path.

Where the register sizes the issue asks for decide instead of the scenario, the scenario is
overridden (``OVERRIDES``): 550 talents cannot make 75% of "1000 talents".

A few records are wrong on purpose, so that the office's checks have something to show:
enterprises in a park not designated for their industry, near-identical names, one body
registered twice, enterprises whose district differs from their credit code's.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from ducha.demo.services import DISTRICT_WEIGHTS, scenario_for
from ducha.engine.creditcode import make_code
from ducha.engine.idnumber import make_id
from ducha.engine.names import name_key
from ducha.engine.periods import Period
from ducha.enterprises.models import (
    Enterprise,
    EnterpriseIndustry,
    EnterpriseTier,
    EnterpriseYear,
    RankingListing,
    Tier,
)
from ducha.orgunits.models import OrgUnit
from ducha.parks.models import Park
from ducha.parks.services import load_park_file
from ducha.plans.models import Plan
from ducha.platforms.models import Level, Platform, PlatformType
from ducha.projects.models import Project, ProjectType, Stage
from ducha.registers.services import recompute
from ducha.registers.taxonomy import NEW_INDUSTRIES, Industry, TechField
from ducha.talents.models import Category, Talent, Team, TeamLevel
from ducha.technologies.models import KeyTechnology, TechKind

# Scenario overrides for computed indicators: (share of the target at the end of 2020, shape).
OVERRIDES = {
    "TJ-ECO-TALENT": (0.45, "late"),  # about 500 talents in the demo database
    "TJ-SEC-MFG-CITYPILOT": (0.9, "late"),  # an accepted pilot cannot be un-accepted
}
# Revenue of each new industry at the end of 2017 and 2020 (亿元), from the scenarios:
# the 2020 level is share × target; sensors peak in 2018 and fall below their 2017 level.
REVENUE_SHAPES = {
    Industry.SENSOR: [44.0, 47.0, 42.0, None],  # None: the scenario's 2020 level
}
ENTERPRISES_PER_INDUSTRY = {
    Industry.ROBOT: 850,
    Industry.SOFTWARE: 1250,
    Industry.HARDWARE: 800,
    Industry.SENSOR: 400,
    Industry.VRAR: 350,
    Industry.ICV: 650,
}
SECTOR_ENTERPRISES = 700  # enterprises whose main industry is one of the eight sectors
YEARS = [2017, 2018, 2019, 2020]
QUARTERS = [Period("quarter", 2017, 4)] + [
    Period("quarter", y, q) for y in (2018, 2019, 2020) for q in (1, 2, 3, 4)
]

PREFIXES = list(
    "海河津沽渤海滨城泰达华明北辰武清宝坻蓟州静海宁河南开和平河西河东红桥东丽西青津南"
    "中科天大南大创新智联恒通鑫源卓越瀚海博远睿思启明星辰云帆远景同创汇智鼎盛凯瑞"
)
CORES = {
    Industry.ROBOT: ["机器人", "智能装备", "自动化", "机器人技术", "精密传动", "伺服科技"],
    Industry.SOFTWARE: ["软件", "信息技术", "数据科技", "智能科技", "云计算", "网络科技"],
    Industry.HARDWARE: ["电子", "芯片", "智能硬件", "微电子", "计算机", "光电科技"],
    Industry.SENSOR: ["传感技术", "传感器", "感知科技", "测控技术", "仪器仪表"],
    Industry.VRAR: ["虚拟现实", "视觉科技", "数字影像", "交互科技", "可穿戴"],
    Industry.ICV: ["汽车科技", "新能源汽车", "智能驾驶", "车联网", "动力电池"],
    Industry.MANUFACTURING: ["智能制造", "工业互联", "装备科技"],
    Industry.AGRICULTURE: ["农业科技", "智慧农业"],
    Industry.LOGISTICS: ["供应链", "智慧物流"],
    Industry.FINANCE: ["金融科技", "智能支付"],
    Industry.CULTURE: ["文化传媒", "数字创意", "动漫"],
    Industry.TRANSPORT: ["交通科技", "智慧出行"],
    Industry.HEALTH: ["医疗科技", "健康科技", "生物信息"],
    Industry.HOME: ["智能家居", "家电科技"],
}
TECH_TOPICS = ["语音识别", "图像识别", "知识图谱", "自主导航", "芯片架构", "人机交互", "机器翻译"]
TEAM_TOPICS = ["智能感知", "类脑计算", "无人系统", "智能芯片", "自然语言"]
FORMS = ["有限公司", "股份有限公司", "有限责任公司"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰飞鹏宇浩然思远晨"


@dataclass
class DemoRegisters:
    enterprises: int = 0
    projects: int = 0
    platforms: int = 0
    technologies: int = 0
    talents: int = 0
    teams: int = 0
    computed_values: int = 0


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(f"{seed}:registers:{':'.join(map(str, parts))}")


def remove_demo_registers() -> None:
    for model in (Talent, Team, KeyTechnology, Platform, Project, Enterprise):
        model.all_objects.filter(is_demo=True).delete()  # archived ones too


def load_register_demo(plan: Plan, *, seed: int = 2018) -> DemoRegisters:
    """Replace the demo registers and recompute the indicators counted from them."""
    load_park_file()
    remove_demo_registers()
    gen = _Generator(plan, seed)
    out = DemoRegisters()
    out.enterprises = gen.enterprises()
    out.projects = gen.projects()
    out.platforms = gen.platforms()
    out.technologies = gen.technologies()
    out.teams, out.talents = gen.talents()
    report = recompute(None, plan, approved_at=_approval_time)
    out.computed_values = report.values
    return out


def _approval_time(period: Period) -> dt.datetime:
    """Computed a few weeks after the period ends, as the office would (yearly revenue
    once the statistics are in, two months after the year)."""
    days = 60 if period.kind == "year" else 20
    day = period.end + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _org_code(rng: random.Random) -> str:
    """A GB 11714 organisation code: 8 characters and its check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    c = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(c, str(c))


def _in_quarter(period: Period, rng: random.Random) -> dt.date:
    days = (period.end - period.start).days
    return period.start + dt.timedelta(days=rng.randint(0, days))


class _Generator:
    def __init__(self, plan: Plan, seed: int):
        self.plan = plan
        self.seed = seed
        self.districts = {u.code: u for u in OrgUnit.objects.filter(kind="district")}
        self.city = OrgUnit.objects.get(code="120000")
        self.parks = list(Park.objects.select_related("district"))
        self.units = {u.code: u for u in OrgUnit.objects.all()}
        self.nodes = {n.key: n for n in plan.nodes.all()}
        indicators = list(plan.indicators.order_by("position"))
        self.indicators = {i.code: i for i in indicators}
        self.shares = {
            ind.code: OVERRIDES.get(ind.code, scenario_for(ind, position))
            for position, ind in enumerate(indicators)
        }
        self.codes: set[str] = set()
        self.names: set[str] = set()

    # --- paths ---------------------------------------------------------------------------------

    def quarter_path(self, code: str, start_share: float = 0.08) -> list[int]:
        """Whole counts at the end of 2017Q4 … 2020Q4 following the indicator's scenario."""
        ind = self.indicators[code]
        share, shape = self.shares[code]
        target = float(ind.target_min)
        start, final = target * start_share, target * share
        out = []
        n = len(QUARTERS) - 1
        for i in range(len(QUARTERS)):
            x = i / n
            if shape == "late":
                x = x**1.8
            out.append(round(start + (final - start) * x))
        for i in range(1, len(out)):  # a register count of things that stay never falls
            out[i] = max(out[i], out[i - 1])
        return out

    def revenue_path(self, industry: str) -> list[float]:
        code = {
            Industry.ROBOT: "TJ-IND-ROBOT",
            Industry.SOFTWARE: "TJ-IND-SOFTWARE",
            Industry.HARDWARE: "TJ-IND-HARDWARE",
            Industry.SENSOR: "TJ-IND-SENSOR",
            Industry.VRAR: "TJ-IND-VRAR",
            Industry.ICV: "TJ-IND-ICV",
        }[industry]
        ind = self.indicators[code]
        share, shape = self.shares[code]
        target = float(ind.target_min)
        final = target * share
        fixed = REVENUE_SHAPES.get(industry)
        if fixed:
            return [v if v is not None else final for v in fixed]
        start = target * 0.42
        out = []
        for i in range(len(YEARS)):
            x = i / (len(YEARS) - 1)
            if shape == "late":
                x = x**1.8
            out.append(start * (final / start) ** x)
        return out

    def spread(
        self, counts: list[int], rng: random.Random, *, before=(2014, 2017)
    ) -> list[dt.date]:
        """One date per new thing: the baseline ones before 2018, then within the quarter in
        which the count rises."""
        dates = []
        for _ in range(counts[0]):
            dates.append(dt.date(rng.randint(*before), rng.randint(1, 12), rng.randint(1, 28)))
        for i in range(1, len(counts)):
            for _ in range(counts[i] - counts[i - 1]):
                dates.append(_in_quarter(QUARTERS[i], rng))
        return dates

    def district(self, rng: random.Random) -> OrgUnit:
        codes = list(DISTRICT_WEIGHTS)
        return self.districts[rng.choices(codes, [DISTRICT_WEIGHTS[c] for c in codes])[0]]

    # --- enterprises ---------------------------------------------------------------------------

    def credit_code(self, division: str, rng: random.Random, org: str | None = None) -> str:
        while True:
            code = make_code("91" + division + (org or _org_code(rng)))
            if code not in self.codes:
                self.codes.add(code)
                return code
            org = None

    def name(self, industry: str, rng: random.Random) -> str:
        for attempt in range(50):
            prefix = "".join(rng.sample(PREFIXES, 2))
            core = rng.choice(CORES[industry])
            place = "天津" if rng.random() < 0.6 else ""
            name = f"{place}{prefix}{core}{rng.choice(FORMS)}"
            if attempt > 20:
                name = f"{place}{prefix}{rng.choice(PREFIXES)}{core}{rng.choice(FORMS)}"
            key = name_key(name)  # unique once place and legal form are set aside
            if key not in self.names:
                self.names.add(key)
                return name
        raise RuntimeError("demo names exhausted")

    def enterprises(self) -> int:
        rng = _rng(self.seed, "enterprises")
        parks_for = defaultdict(list)
        for park in self.parks:
            for industry in park.industries:
                parks_for[industry].append(park)
        plan_ent: list[tuple[Enterprise, str, list[str]]] = []
        industries = [(i, n) for i, n in ENTERPRISES_PER_INDUSTRY.items()]
        sectors = [i for i in Industry.values if i not in NEW_INDUSTRIES]
        industries += [(s, SECTOR_ENTERPRISES // len(sectors)) for s in sectors]
        for industry, count in industries:
            for _ in range(count):
                park = None
                if parks_for.get(industry) and rng.random() < 0.4:
                    park = rng.choice(parks_for[industry])
                    district = park.district
                else:
                    district = self.district(rng)
                division = "120000" if rng.random() < 0.25 else district.code
                others = []
                if rng.random() < 0.3:
                    others = [rng.choice([i for i in Industry.values if i != industry])]
                settled = (
                    dt.date(rng.randint(2005, 2016), rng.randint(1, 12), rng.randint(1, 28))
                    if rng.random() < 0.75
                    else dt.date(rng.randint(2017, 2020), rng.randint(1, 12), rng.randint(1, 28))
                )
                e = Enterprise(
                    name=self.name(industry, rng),
                    credit_code=self.credit_code(division, rng),
                    district=district,
                    park=park,
                    address=f"天津市{district.name}{rng.choice(PREFIXES)}{rng.choice(PREFIXES)}路"
                    f"{rng.randint(1, 300)}号",
                    main_industry=industry,
                    settled_on=settled,
                    is_demo=True,
                )
                plan_ent.append((e, industry, others))
        self._anomalies(plan_ent, rng)
        Enterprise.objects.bulk_create([e for e, _i, _o in plan_ent], batch_size=2000)
        EnterpriseIndustry.objects.bulk_create(
            [
                EnterpriseIndustry(enterprise=e, industry=i)
                for e, industry, others in plan_ent
                for i in dict.fromkeys([industry, *others])
            ],
            batch_size=5000,
        )
        self._revenue(plan_ent, rng)
        self._tiers(plan_ent, rng)
        return len(plan_ent)

    def _anomalies(self, items, rng: random.Random) -> None:
        """Records the office's checks should catch (see the module docstring)."""
        robot_parks = [p for p in self.parks if p.industries == ["robot"]]
        software_ents = [e for e, i, o in items if i == Industry.SOFTWARE and not o][:5]
        for e in software_ents:  # a software company in a robot-only park
            park = rng.choice(robot_parks)
            e.park, e.district = park, park.district
        for e, industry, _o in rng.sample(items, 3):  # the same company written twice
            twin = Enterprise(
                name=e.name.replace("天津", "").replace("有限公司", "（天津）有限公司", 1)
                if "天津" in e.name
                else "天津" + e.name,
                credit_code=self.credit_code(e.district.code, rng),
                district=e.district,
                main_industry=industry,
                settled_on=e.settled_on,
                is_demo=True,
            )
            items.append((twin, industry, []))
        for e, industry, _o in rng.sample(items, 2):  # one body registered in two districts
            other = rng.choice([d for d in self.districts.values() if d != e.district])
            twin = Enterprise(
                name=e.name.replace("有限公司", "分公司").replace(
                    "股份分公司", "股份有限公司分公司"
                ),
                credit_code=self.credit_code(other.code, rng, org=e.credit_code[8:17]),
                district=other,
                main_industry=industry,
                settled_on=e.settled_on,
                is_demo=True,
            )
            items.append((twin, industry, []))
        moved = [e for e, _i, _o in items if e.credit_code[2:8] in self.districts and not e.park]
        for e in rng.sample(moved, 4):  # moved since registering: district ≠ the code's
            e.district = rng.choice([d for d in self.districts.values() if d != e.district])

    def _revenue(self, items, rng: random.Random) -> None:
        by_industry = defaultdict(list)
        for e, industry, _o in items:
            by_industry[industry].append(e)
        rows = []
        for industry, ents in by_industry.items():
            if industry in NEW_INDUSTRIES:
                path = [v * 10000 for v in self.revenue_path(industry)]  # 亿元 -> 万元
            else:  # sectors: their own revenue, not counted in the industry scales
                path = [len(ents) * 900.0 * (1.12**i) for i in range(len(YEARS))]
            base = {e.pk: rng.paretovariate(1.7) for e in ents}
            growth = {e.pk: rng.uniform(0.9, 1.35) for e in ents}
            for i, year in enumerate(YEARS):
                present = [e for e in ents if e.settled_on.year <= year]
                raw = {e.pk: base[e.pk] * growth[e.pk] ** i for e in present}
                total = sum(raw.values())
                for e in present:
                    revenue = Decimal(str(round(path[i] * raw[e.pk] / total, 2)))
                    rd = (revenue * Decimal(str(rng.uniform(0.03, 0.12)))).quantize(Decimal("0.01"))
                    rows.append(
                        EnterpriseYear(enterprise=e, year=year, revenue=revenue, rd_spending=rd)
                    )
        EnterpriseYear.objects.bulk_create(rows, batch_size=5000)

    def _tiers(self, items, rng: random.Random) -> None:
        revenue_2020 = {
            y.enterprise_id: y.revenue
            for y in EnterpriseYear.objects.filter(year=2020, enterprise__is_demo=True)
        }
        ranked = sorted(
            (e for e, _i, _o in items),
            key=lambda e: -(revenue_2020.get(e.pk) or 0),
        )
        tiers = []
        used: set[int] = set()

        def take(candidates, dates, tier):
            chosen = []
            for e in candidates:
                if len(chosen) == len(dates):
                    break
                if e.pk not in used:
                    chosen.append(e)
                    used.add(e.pk)
            for e, since in zip(chosen, sorted(dates), strict=False):
                tiers.append(EnterpriseTier(enterprise=e, tier=tier, since=since))
            return chosen

        culture = [e for e, i, _o in items if i == Industry.CULTURE]
        culture_dates = self.spread(self.quarter_path("TJ-SEC-CULT-LEADERS", 0.0), rng)
        take(culture, culture_dates, Tier.LEADER)
        leader_dates = self.spread(self.quarter_path("TJ-GOAL-LEADERS"), rng)
        leader_dates = sorted(leader_dates)[len(culture_dates) :]  # culture leaders count too
        leaders = take(ranked, leader_dates, Tier.LEADER)
        for e in leaders[:12]:  # also 龙头: held at once, still counted once
            since = next(t.since for t in tiers if t.enterprise is e)
            tiers.append(EnterpriseTier(enterprise=e, tier=Tier.DRAGON_HEAD, since=since))
        brands = self.spread(self.quarter_path("TJ-ENT-INTLBRAND", 0.0), rng)
        for e, since in zip(leaders[:10:2], sorted(brands), strict=False):
            tiers.append(EnterpriseTier(enterprise=e, tier=Tier.INTL_BRAND, since=since))
        others = [e for e in ranked[100:] if e.pk not in used]
        rng.shuffle(others)
        for tier, n in (
            (Tier.GAZELLE, 260),
            (Tier.UNICORN, 4),
            (Tier.HIDDEN_CHAMPION, 40),
            (Tier.SPECIALISED, 360),
        ):
            for e in others[:n]:
                since = dt.date(rng.randint(2016, 2020), rng.randint(1, 12), 1)
                until = None
                if tier == Tier.GAZELLE and rng.random() < 0.25:
                    until = since.replace(year=since.year + 2) - dt.timedelta(days=1)
                tiers.append(EnterpriseTier(enterprise=e, tier=tier, since=since, until=until))
            others = others[n:]
        EnterpriseTier.objects.bulk_create(tiers, batch_size=5000)
        rankings = []
        for i, e in enumerate(ranked[:6]):
            for year in (2019, 2020):
                rankings.append(
                    RankingListing(enterprise=e, ranking="china500", year=year, rank=300 + i * 20)
                )
        rankings.append(RankingListing(enterprise=ranked[0], ranking="global500", year=2020))
        RankingListing.objects.bulk_create(rankings)

    # --- projects ------------------------------------------------------------------------------

    def projects(self) -> int:
        rng = _rng(self.seed, "projects")
        enterprises = list(Enterprise.objects.filter(is_demo=True).only("pk", "district_id"))
        projects: list[Project] = []
        counter = defaultdict(int)

        def project(kind: str, domain: str, **dates) -> Project:
            counter[kind] += 1
            ent = rng.choice(enterprises)
            year = (dates.get("signed_on") or dt.date(2020, 6, 1)).year
            p = Project(
                code=f"TJ-{year}-{kind[:3].upper()}-{counter[kind]:03d}",
                name=f"{self.nodes[domain].title or '智能科技'}"
                f"{['示范应用', '产业化', '平台建设', '技术攻关', '智能化改造'][rng.randint(0, 4)]}"
                f"项目{counter[kind]:03d}",
                type=kind,
                domain=self.nodes[domain],
                lead_unit=self.units[
                    {"key_rd": "TJ-KJJ", "investment": "TJ-SWJ", "cooperation": "TJ-HZJLB"}.get(
                        kind, "TJ-GXJ"
                    )
                ],
                district_id=ent.district_id,
                enterprise=ent,
                investment=Decimal(rng.randint(500, 200_000)),
                is_demo=True,
                **dates,
            )
            p.stage = _stage_of(p)
            projects.append(p)
            return p

        def backwards(accepted: dt.date) -> dict:
            started = accepted - dt.timedelta(days=rng.randint(200, 420))
            return {
                "signed_on": started - dt.timedelta(days=rng.randint(30, 120)),
                "started_on": started,
                "operating_on": accepted - dt.timedelta(days=rng.randint(20, 120)),
                "accepted_on": accepted,
            }

        for code, kind in (
            ("TJ-SEC-MFG-NATPILOT", ProjectType.NATIONAL_PILOT),
            ("TJ-SEC-MFG-CITYPILOT", ProjectType.CITY_PILOT),
        ):
            for accepted in self.spread(self.quarter_path(code), rng, before=(2016, 2017)):
                project(kind, "3.1", **backwards(accepted))
        # pilots in the other domains fill the count of pilots under way (GOAL-PILOT)
        path = self.quarter_path("TJ-GOAL-PILOT")
        domains = ["3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "2.1", "2.2", "2.6"]
        for i, period in enumerate(QUARTERS):
            started = sum(1 for p in projects if p.started_on and p.started_on <= period.end)
            for _ in range(max(path[i] - started, 0)):
                start = (
                    _in_quarter(period, rng)
                    if i
                    else dt.date(rng.randint(2016, 2017), rng.randint(1, 12), 1)
                )
                dates = {"signed_on": start - dt.timedelta(days=60), "started_on": start}
                if rng.random() < 0.5 and start.year < 2020:
                    dates["operating_on"] = start + dt.timedelta(days=rng.randint(150, 300))
                kind = rng.choice([ProjectType.NATIONAL_PILOT, ProjectType.CITY_PILOT])
                project(kind, rng.choice(domains), **dates)
        others = [
            (ProjectType.KEY_RD, 45, ["5", "5.2", "2.3", "2.4"]),
            (ProjectType.MAJOR_INDUSTRIAL, 55, ["2.1", "2.2", "2.3", "2.6"]),
            (ProjectType.INVESTMENT, 60, ["2.1", "2.2", "2.3", "2.5", "2.6"]),
            (ProjectType.COOPERATION, 20, ["6.1.2", "6.1.1"]),
        ]
        for kind, n, kind_domains in others:
            for _ in range(n):
                signed = dt.date(rng.randint(2017, 2020), rng.randint(1, 12), rng.randint(1, 28))
                dates: dict = {"signed_on": signed}
                steps = rng.choices([0, 1, 2, 3], [2, 3, 3, 2])[0]
                current = signed
                for name in ("started_on", "operating_on", "accepted_on")[:steps]:
                    current = current + dt.timedelta(days=rng.randint(90, 300))
                    if current > dt.date(2020, 12, 31):
                        break
                    dates[name] = current
                if rng.random() < 0.06:
                    dates["cancelled_on"] = current + dt.timedelta(days=rng.randint(30, 200))
                p = project(kind, rng.choice(kind_domains), **dates)
                if kind == ProjectType.COOPERATION:
                    p.partner = rng.choice(
                        ["北京市", "河北省", "中关村", "德国", "以色列", "新加坡"]
                    )
        Project.objects.bulk_create(projects, batch_size=1000)
        return len(projects)

    # --- platforms and technologies ------------------------------------------------------------

    def platforms(self) -> int:
        rng = _rng(self.seed, "platforms")
        holders = list(
            Enterprise.objects.filter(is_demo=True, tiers__tier=Tier.LEADER).distinct()[:60]
        )
        out = []
        high = self.spread(self.quarter_path("TJ-GOAL-PLATFORM", 0.0), rng)
        kinds = [
            PlatformType.KEY_LAB,
            PlatformType.INNOVATION_CENTRE,
            PlatformType.ENGINEERING_CENTRE,
        ]
        fields = list(TechField.values)
        for i, since in enumerate(sorted(high)):
            holder = holders[i]
            out.append(
                Platform(
                    name=f"{['国家', '部委'][i % 2]}{holder.name[:6]}人工智能"
                    f"{['重点实验室', '创新中心', '工程研究中心'][i % 3]}",
                    level=[Level.NATIONAL, Level.MINISTERIAL][i % 2],
                    type=kinds[i % 3],
                    field=fields[i % len(fields)],
                    holder=holder,
                    holder_name=holder.name,
                    district_id=holder.district_id,
                    established_on=since,
                    is_demo=True,
                )
            )
        names = ["企业技术中心", "工程技术研究中心", "公共服务平台", "新型研发机构", "联合研究中心"]
        types = [
            PlatformType.ENTERPRISE_CENTRE,
            PlatformType.ENGINEERING_CENTRE,
            PlatformType.SERVICE,
            PlatformType.INSTITUTE,
            PlatformType.JOINT_CENTRE,
        ]
        for i in range(60 - len(out)):
            holder = holders[(i + 3) % len(holders)]
            t = i % len(types)
            out.append(
                Platform(
                    name=f"天津市{holder.name.replace('天津', '')[:6]}"
                    f"{rng.choice(CORES[Industry.SOFTWARE])}{names[t]}{i + 1:02d}",
                    level=Level.MUNICIPAL,
                    type=types[t],
                    field=rng.choice(fields),
                    holder=holder,
                    holder_name=holder.name,
                    district_id=holder.district_id,
                    established_on=dt.date(rng.randint(2014, 2020), rng.randint(1, 12), 1),
                    is_demo=True,
                )
            )
        Platform.objects.bulk_create(out)
        return len(out)

    def technologies(self) -> int:
        rng = _rng(self.seed, "technologies")
        holders = list(Enterprise.objects.filter(is_demo=True)[:400])
        dates = sorted(self.spread(self.quarter_path("TJ-INN-KEYTECH"), rng, before=(2016, 2017)))
        field_dates = sorted(self.spread(self.quarter_path("TJ-INN-TECHFIELDS", 0.125), rng))
        fields = list(TechField.values)
        rng.shuffle(fields)
        out = []
        opened: list[str] = []
        topics = TECH_TOPICS
        for i, achieved in enumerate(dates):
            while field_dates and field_dates[0] <= achieved and len(opened) < len(fields):
                field_dates.pop(0)
                opened.append(fields[len(opened)])
            if not opened:
                opened.append(fields[0])
            field = opened[-1] if len(opened) and i % 3 == 0 else rng.choice(opened)
            holder = rng.choice(holders)
            out.append(
                KeyTechnology(
                    name=f"{rng.choice(topics)}{['关键技术', '核心算法', '系统', '装备'][i % 4]}"
                    f"（{holder.name[:4]}{i + 1:03d}）",
                    kind=TechKind.PRODUCT if i % 5 == 0 else TechKind.TECHNOLOGY,
                    field=field,
                    holder=holder,
                    holder_name=holder.name,
                    district_id=holder.district_id,
                    achieved_on=achieved,
                    is_demo=True,
                )
            )
        KeyTechnology.objects.bulk_create(out)
        return len(out)

    # --- talents -------------------------------------------------------------------------------

    def talents(self) -> tuple[int, int]:
        rng = _rng(self.seed, "talents")
        employers = list(Enterprise.objects.filter(is_demo=True)[:1500])
        top_dates = self.spread(self.quarter_path("TJ-ECO-TOPTALENT"), rng, before=(2016, 2017))
        top_teams = sorted(top_dates)[::2]
        top_people = sorted(top_dates)[1::2]
        teams = []
        for i, since in enumerate(
            top_teams + [dt.date(rng.randint(2015, 2020), rng.randint(1, 12), 1) for _ in range(16)]
        ):
            host = rng.choice(employers)
            teams.append(
                Team(
                    name=f"{host.name[:6]}{rng.choice(TEAM_TOPICS)}团队{i + 1:02d}",
                    leader_name=self.person_name(rng),
                    level=TeamLevel.TOP if i < len(top_teams) else TeamLevel.KEY,
                    field=rng.choice(TechField.values),
                    host=host,
                    host_name=host.name,
                    district_id=host.district_id,
                    members=rng.randint(5, 40),
                    introduced_on=since,
                    is_demo=True,
                )
            )
        Team.objects.bulk_create(teams)
        people = []
        for category, dates in (
            (Category.TOP, top_people),
            (Category.ENTREPRENEUR, self.spread(self.quarter_path("TJ-GOAL-ENTREPRENEURS"), rng)),
            (None, self.spread(self.quarter_path("TJ-ECO-TALENT"), rng)),
            (
                Category.YOUNG,
                [dt.date(rng.randint(2017, 2020), rng.randint(1, 12), 1) for _ in range(30)],
            ),
        ):
            for since in dates:
                cat = category or (Category.RD if rng.random() < 0.65 else Category.SKILLED)
                people.append(self.person(cat, since, rng, employers, teams))
        Talent.objects.bulk_create(people, batch_size=2000)
        return len(teams), len(people)

    def person_name(self, rng: random.Random) -> str:
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))

    def person(self, category, since, rng, employers, teams) -> Talent:
        employer = rng.choice(employers)
        birth = dt.date(rng.randint(1960, 1992), rng.randint(1, 12), rng.randint(1, 28))
        gender = rng.choice("fm")
        seq = rng.randint(0, 99) * 10 + (
            rng.choice([1, 3, 5, 7, 9]) if gender == "m" else rng.choice([0, 2, 4, 6, 8])
        )
        while True:
            number = make_id(f"{rng.choice(list(self.districts))}{birth:%Y%m%d}{seq:03d}")
            if number not in self.codes:
                self.codes.add(number)
                break
            seq = (seq + 10) % 1000
        left = None
        if category == Category.YOUNG and rng.random() < 0.2:
            left = since + dt.timedelta(days=rng.randint(200, 700))
        return Talent(
            name=self.person_name(rng),
            gender=gender,
            id_number=number,
            birth_date=birth,
            phone=f"1{rng.choice('358')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            email=f"talent{rng.randint(1000, 9999)}@example.cn",
            category=category,
            programme=rng.choice(
                ["千人计划", "杰出人才培养工程", "131人才培养工程", "青年托举计划", ""]
            ),
            field=rng.choice(TechField.values),
            employer=employer,
            employer_name=employer.name,
            team=rng.choice(teams) if rng.random() < 0.3 else None,
            district_id=employer.district_id,
            introduced_on=since,
            left_on=left,
            is_demo=True,
        )


def _stage_of(p: Project) -> str:
    if p.cancelled_on:
        return Stage.CANCELLED
    for stage, name in (
        (Stage.ACCEPTED, "accepted_on"),
        (Stage.OPERATING, "operating_on"),
        (Stage.STARTED, "started_on"),
        (Stage.SIGNED, "signed_on"),
    ):
        if getattr(p, name):
            return stage
    return Stage.NEGOTIATING
