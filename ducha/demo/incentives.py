"""Demo awards and subsidies (六(三)): the schemes 六(三)2–3 of the Tianjin plan names, budgets
for 2018–2020, and about 300 applications of demo enterprises and projects in every state,
deterministic and flagged ``is_demo``.

The schemes are the plan's own; their amounts, caps, rates and budgets are not in the plan and
are invented for the demo (each rule text says so). Applications go through the services with
actor=None (the command line), so every rule, the budget and the workflow hold as they would
for a person; an application whose approval the budget no longer allows stays reviewed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from ducha.enterprises.models import Enterprise, EnterpriseTier, RankingListing, Tier
from ducha.incentives import services
from ducha.incentives.models import Application, Budget, Payment, Scheme
from ducha.notifications import services as notifications
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Plan
from ducha.projects.models import Project

DEMO_NOTE = "演示数据：金额、比例、上限和预算为示意，行动计划未作规定。"

# (code, name, plan node key, managing unit code, kind, amount kind, fixed, rate %, cap,
#  base label, eligibility, eligibility note, the plan's words, budget 万元 per year)
SCHEMES = [
    (
        "JB-LH",
        "龙头企业和总部项目落户奖励",
        "6.3.3",
        "TJ-SWJ",
        "award",
        "fixed",
        "500",
        None,
        "500",
        "",
        "leading_tier",
        "引进的龙头企业和总部项目；企业库中须有领军或龙头企业称号。",
        "对引进的龙头企业和总部项目，给予一次性落户奖励。",
        "6000",
    ),
    (
        "JB-500",
        "首次进入国内、国际500强榜单奖励",
        "6.3.3",
        "TJ-GXJ",
        "award",
        "fixed",
        "100",
        None,
        "100",
        "",
        "listing500",
        "首次进入国内、国际500强榜单的智能科技企业；以企业库的500强榜单记录为准。",
        "对首次进入国内、国际500强榜单的智能科技企业给予一定的资金奖励。",
        "400",
    ),
    (
        "JB-ZNGZ",
        "传统产业智能化改造补助",
        "6.3.3",
        "TJ-GXJ",
        "subsidy",
        "share",
        None,
        "10",
        "500",
        "智能化改造投资额",
        "",
        "开展智能化改造的传统产业企业。",
        "对传统产业开展智能化改造给予资金补助。",
        "9000",
    ),
    (
        "JB-SFGC",
        "示范智能工厂、示范智能车间和智能制造示范项目奖励",
        "6.3.3",
        "TJ-GXJ",
        "award",
        "fixed",
        "200",
        None,
        "200",
        "",
        "",
        "认定为示范智能工厂、示范智能车间、智能制造示范项目。",
        "对认定为示范智能工厂、示范智能车间、智能制造示范项目，给予一次性奖励。",
        "4000",
    ),
    (
        "JB-ZDSYS",
        "新引进国家重点实验室经费支持",
        "6.3.3",
        "TJ-KJJ",
        "funding",
        "fixed",
        "1000",
        None,
        "1000",
        "",
        "",
        "新引进的国家重点实验室（依托单位申请）。",
        "对新引进的国家重点实验室给予财政经费支持。",
        "3000",
    ),
    (
        "JB-YFPT",
        "制造业创新中心等研发平台资金补贴",
        "6.3.3",
        "TJ-GXJ",
        "subsidy",
        "share",
        None,
        "30",
        "1000",
        "平台建设投入",
        "",
        "制造业创新中心等研发平台。",
        "对制造业创新中心等研发平台给予资金补贴。",
        "5000",
    ),
    (
        "JB-CGZH",
        "科技成果转化奖励",
        "6.3.3",
        "TJ-KJJ",
        "award",
        "share",
        None,
        "5",
        "100",
        "技术合同成交额",
        "",
        "对成果转化作出贡献的高校、科研院所、技术转移机构等。",
        "支持科技创新成果转化，对作出贡献的高校、科研院所、技术转移机构等给予奖励。",
        "800",
    ),
    (
        "JB-ZXZJ",
        "智能科技专项资金项目支持",
        "6.3.2",
        "TJ-GXJ",
        "subsidy",
        "share",
        None,
        "20",
        "2000",
        "项目总投资",
        "project",
        "关键共性技术攻关、成果转移转化、创新应用示范等项目；须为项目库中的项目。",
        "统筹利用现有专项资金向智能科技产业予以倾斜……加强对基础前沿研究、关键共性技术攻关、"
        "成果转移转化、创新应用示范等支持。",
        "12000",
    ),
]
YEARS = (2018, 2019, 2020)
# How many applications each scheme gets per year (the 500强 award: as many as are eligible).
PER_YEAR = {
    "JB-LH": 6,
    "JB-ZNGZ": 40,
    "JB-SFGC": 14,
    "JB-ZDSYS": 2,
    "JB-YFPT": 8,
    "JB-CGZH": 12,
    "JB-ZXZJ": 14,
}
# Where an application of each year ends up (weights); later years are less far along.
OUTCOMES = {
    2018: [("paid", 60), ("rejected", 12), ("withdrawn", 4), ("partly_paid", 4)],
    2019: [
        ("paid", 30),
        ("partly_paid", 20),
        ("approved", 15),
        ("rejected", 10),
        ("withdrawn", 3),
        ("reviewed", 4),
    ],
    2020: [
        ("draft", 10),
        ("submitted", 20),
        ("reviewed", 15),
        ("returned", 8),
        ("approved", 15),
        ("partly_paid", 8),
        ("rejected", 6),
    ],
}


def remove_incentives_demo() -> None:
    """Demo payments, applications, budgets and schemes (before the demo registers go)."""
    Payment.objects.filter(application__is_demo=True).delete()
    Application.objects.filter(is_demo=True).delete()
    Budget.objects.filter(scheme__is_demo=True).delete()
    Scheme.objects.filter(is_demo=True).delete()


@notifications.muted()  # demo data notifies nobody
def load_incentives_demo(plan: Plan, *, seed: int = 2018) -> int:
    """The schemes, budgets and applications; returns the number of applications."""
    remove_incentives_demo()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={s[3] for s in SCHEMES})}
    nodes = {n.key: n for n in plan.nodes.filter(key__in={s[2] for s in SCHEMES})}
    schemes = []
    for position, row in enumerate(SCHEMES):
        (
            code,
            name,
            node,
            unit,
            kind,
            amount_kind,
            fixed,
            rate,
            cap,
            base_label,
            elig,
            elig_note,
            words,
            budget,
        ) = row
        scheme = Scheme.objects.create(
            code=code,
            name=name,
            plan_node=nodes.get(node),
            managing_unit=units[unit],
            kind=kind,
            rule_text=f"行动计划：{words}\n{DEMO_NOTE}",
            amount_kind=amount_kind,
            fixed_amount=Decimal(fixed) if fixed else None,
            rate_percent=Decimal(rate) if rate else None,
            cap=Decimal(cap) if cap else None,
            base_label=base_label,
            eligibility=elig,
            eligibility_note=elig_note,
            active_from=dt.date(2018, 1, 18),
            active_to=dt.date(2020, 12, 31),
            position=position,
            is_demo=True,
        )
        Budget.objects.bulk_create(
            Budget(scheme=scheme, year=y, amount=Decimal(budget), is_demo=True) for y in YEARS
        )
        schemes.append(scheme)
    count = 0
    for scheme in schemes:
        rng = random.Random(f"{seed}:incentives:{scheme.code}")
        for year, applicant in _applicants(scheme, rng):
            _one(scheme, year, applicant, rng)
            count += 1
    return count


def _applicants(scheme: Scheme, rng: random.Random):
    """(year, enterprise or project) pairs, eligible and without duplicates."""
    if scheme.eligibility == "listing500":
        firsts: dict[int, int] = {}
        for e_id, year in RankingListing.objects.filter(enterprise__is_demo=True).values_list(
            "enterprise_id", "year"
        ):
            firsts[e_id] = min(year, firsts.get(e_id, year))
        firms = Enterprise.objects.in_bulk(list(firsts))
        for e_id in sorted(firsts):
            yield firsts[e_id] + rng.choice((0, 1)) if firsts[e_id] < 2020 else 2020, firms[e_id]
        return
    n = PER_YEAR[scheme.code]
    if scheme.eligibility == "project":
        pool = list(
            Project.objects.filter(is_demo=True, enterprise__isnull=False)
            .select_related("district", "enterprise")
            .order_by("code")
        )
    elif scheme.eligibility == "leading_tier":
        ids = EnterpriseTier.objects.filter(
            enterprise__is_demo=True,
            tier__in=[Tier.LEADER, Tier.DRAGON_HEAD],
            since__lte=dt.date(2018, 12, 31),
        ).values_list("enterprise_id", flat=True)
        pool = list(Enterprise.objects.filter(pk__in=set(ids)).select_related("district"))
        pool.sort(key=lambda e: e.pk)
    else:
        pool = list(
            Enterprise.objects.filter(is_demo=True).select_related("district").order_by("pk")[:3000]
        )
    rng.shuffle(pool)
    for year in YEARS:
        for applicant in pool[:n]:
            yield year, applicant
        pool = pool[n:]


def _amounts(scheme: Scheme, rng: random.Random):
    """(base, requested) in 万元: the base as the scheme reads it, the request as applicants
    ask (mostly what the rule gives, sometimes more)."""
    if scheme.amount_kind == "share":
        cap = scheme.cap or Decimal(1000)
        top = cap * 100 / scheme.rate_percent * Decimal("1.5")
        base = Decimal(rng.randint(int(top / 20), int(top))).quantize(Decimal(1))
        rule = services.computed_amount(scheme, base)
        requested = rule if rng.random() < 0.8 else (rule * Decimal("1.2")).quantize(Decimal(1))
        return base, requested
    return None, scheme.fixed_amount


ABOVE_RULE_NOTE = "申请额含配套设备及系统集成投入，高于按规则测算的金额，请审核时一并考虑。"


def _above_rule(scheme: Scheme, base, requested) -> bool:
    rule = services.computed_amount(scheme, base)
    return rule is not None and requested > rule


def _one(scheme: Scheme, year: int, applicant, rng: random.Random) -> None:
    project = applicant if isinstance(applicant, Project) else None
    enterprise = None if project else applicant
    outcome = _choice(OUTCOMES[year], rng)
    base, requested = _amounts(scheme, rng)
    app = services.create_application(
        None,
        scheme=scheme,
        enterprise=enterprise,
        project=project,
        year=year,
        requested=requested,
        base_amount=base,
        note=ABOVE_RULE_NOTE if _above_rule(scheme, base, requested) else "",
        is_demo=True,
    )
    if outcome == "draft":
        return
    if outcome == "withdrawn":
        services.withdraw(None, app, expected_version=None, reason="企业主动撤回")
        return
    app = services.submit(None, app, expected_version=None)
    if outcome == "submitted":
        return
    if outcome == "returned":
        services.return_application(
            None, app, expected_version=None, reason="请补充智能化改造投资的发票和审计报告"
        )
        return
    if outcome == "rejected" and rng.random() < 0.5:
        services.reject(None, app, expected_version=None, reason="不符合申报条件")
        return
    app = services.review(None, app, expected_version=None, comment="材料齐全，同意报送")
    if outcome == "rejected":
        services.reject(None, app, expected_version=None, reason="年度预算有限，未予支持")
        return
    amount = min(app.requested, app.computed)
    if rng.random() < 0.25:
        amount = (amount * Decimal("0.8")).quantize(Decimal(1))
    if outcome == "reviewed" or services.approval_problem(app, amount) is not None:
        return  # the budget is spent: it waits for next year's, as it would
    app = services.approve(None, app, expected_version=None, amount=amount)
    if outcome == "approved":
        return
    paid_on = dt.date(year, rng.randint(6, 12), rng.randint(1, 28))
    first = amount if outcome == "paid" else (amount * Decimal("0.6")).quantize(Decimal(1))
    services.record_payment(
        None,
        app,
        expected_version=None,
        paid_on=paid_on,
        amount=first,
        voucher=f"DEMO-{year}-{app.pk:05d}-1",
        is_demo=True,
    )


def _choice(weighted, rng: random.Random) -> str:
    total = sum(w for _v, w in weighted)
    pick = rng.uniform(0, total)
    for value, weight in weighted:
        pick -= weight
        if pick <= 0:
            return value
    return weighted[-1][0]
