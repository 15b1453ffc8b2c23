"""The enterprise register as the toolkit sees it: sheets, list, export, sources."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.engine.computation import FieldSchema, RegisterSchema
from ducha.enterprises import services
from ducha.enterprises.models import (
    RANKING_NAMES,
    TIER_NAMES,
    Enterprise,
    EnterpriseIndustry,
    EnterpriseTier,
    EnterpriseYear,
    Tier,
)
from ducha.registers import base
from ducha.registers.base import ListColumn, Register
from ducha.registers.columns import Column, choice_name
from ducha.registers.computation import Source, add_source
from ducha.registers.filters import (
    ChoiceFilter,
    DistrictFilter,
    ExistsFilter,
    ParkFilter,
)
from ducha.registers.importer import Sheet
from ducha.registers.taxonomy import INDUSTRY_NAMES, Industry

FIRST_YEAR = 2017  # the year before the plan: the baseline of the industry scales

CODE = Column(
    "credit_code",
    "统一社会信用代码",
    "credit_code",
    required=True,
    width=22,
    aliases=("信用代码", "社会信用代码", "统一代码", "credit_code"),
)
NAME = Column("name", "企业名称", "text", aliases=("名称", "企业", "单位名称", "name"), width=36)

MAIN = Sheet(
    services.MAIN,
    [
        NAME,
        CODE,
        Column(
            "district",
            "所在区",
            "ref",
            ref="district",
            aliases=("区", "所属区", "行政区", "区域", "district"),
        ),
        Column(
            "park", "所在园区", "ref", ref="park", aliases=("园区", "所属园区", "park"), width=20
        ),
        Column(
            "address", "地址", "text", max_length=300, aliases=("注册地址", "企业地址"), width=30
        ),
        Column(
            "main_industry",
            "主导产业",
            "choice",
            choices=INDUSTRY_NAMES,
            aliases=("主要产业", "所属产业", "产业", "行业"),
        ),
        Column(
            "other_industries",
            "其他产业",
            "choices",
            choices=INDUSTRY_NAMES,
            aliases=("涉及产业",),
            width=24,
        ),
        Column("settled_on", "落户日期", "date", aliases=("落户时间",)),
        Column("exited_on", "迁出日期", "date", aliases=("注销日期", "迁出时间")),
        Column(
            "revenue",
            "营业收入",
            "money",
            unit="万元",
            yearly=True,
            aliases=("主营业务收入", "营收", "收入"),
        ),
        Column(
            "rd_spending",
            "研发投入",
            "money",
            unit="万元",
            yearly=True,
            aliases=("研发经费", "研发费用", "研发支出"),
        ),
        Column("note", "备注", "text", max_length=2000, aliases=("说明",), width=24),
    ],
    key=("credit_code",),
    aliases=("企业名录", "企业信息", "enterprises"),
)
TIERS = Sheet(
    services.TIERS,
    [
        CODE,
        Column("name", "企业名称", "text", aliases=("名称",), width=36),
        Column(
            "tier",
            "称号",
            "choice",
            required=True,
            choices=TIER_NAMES,
            aliases=("梯度", "企业称号", "tier"),
        ),
        Column("since", "起始日期", "date", required=True, aliases=("认定日期", "开始日期")),
        Column("until", "终止日期", "date", aliases=("到期日期", "结束日期")),
        Column("note", "备注", "text", aliases=("说明",), width=24),
    ],
    key=("credit_code", "tier", "since"),
    aliases=("企业称号", "梯度", "tiers"),
)
RANKINGS = Sheet(
    services.RANKINGS,
    [
        CODE,
        Column("name", "企业名称", "text", aliases=("名称",), width=36),
        Column(
            "ranking",
            "榜单",
            "choice",
            required=True,
            choices=RANKING_NAMES,
            aliases=("500强榜单", "榜单名称"),
        ),
        Column("year", "年份", "int", required=True, aliases=("年度", "上榜年份")),
        Column("rank", "排名", "int", aliases=("名次",)),
    ],
    key=("credit_code", "ranking", "year"),
    aliases=("500强", "500强榜单", "rankings"),
)


def _current_tiers(e) -> str:
    today = timezone.localdate()
    held = [t for t in e.tiers.all() if t.since <= today and (t.until is None or t.until >= today)]
    return "、".join(TIER_NAMES[t.tier][0] for t in held)


def _latest_revenue(e):
    years = [y for y in e.years.all() if y.revenue is not None]
    return max(years, key=lambda y: y.year).revenue if years else None


class EnterpriseRegister(Register):
    key = "enterprises"
    model = Enterprise
    namespace = "enterprises"
    sheets = [MAIN, TIERS, RANKINGS]
    search_fields = ("name", "credit_code")
    select_related = ("district", "park")
    prefetch_related = ("tiers", "years")
    ordering = ("name", "id")
    sources = ("enterprise-years", "enterprise-tiers", "enterprises")
    detail_template = "enterprises/detail.html"
    filters = (
        DistrictFilter(),
        ParkFilter(),
        ExistsFilter(
            "industry",
            _("Industry"),
            model=EnterpriseIndustry,
            choices=lambda: Industry.choices,
            make=lambda v: {"industry": v},
        ),
        ExistsFilter(
            "tier",
            _("Tier held"),
            model=EnterpriseTier,
            choices=lambda: Tier.choices,
            make=lambda v: {"tier": v},
        ),
        ExistsFilter(
            "year",
            _("With revenue for"),
            model=EnterpriseYear,
            choices=lambda: [(y, y) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)],
            make=lambda v: {"year": int(v), "revenue__isnull": False},
        ),
        ChoiceFilter("main", _("Main industry"), "main_industry", Industry.choices),
    )
    list_columns = [
        ListColumn(_("Name"), lambda e: e.name, link=True),
        ListColumn(_("Credit code"), lambda e: e.credit_code, hide_small=True),
        ListColumn(_("District"), lambda e: e.district.label),
        ListColumn(
            _("Park"), lambda e: e.park.short_name or e.park.name if e.park else "", hide_small=True
        ),
        ListColumn(_("Main industry"), lambda e: e.get_main_industry_display()),
        ListColumn(_("Tiers held"), _current_tiers, hide_small=True),
        ListColumn(_("Latest revenue (10k yuan)"), _latest_revenue, numeric=True),
    ]

    def apply(self, actor, parsed, *, source, is_demo=False):
        return services.apply_import(actor, parsed, source=source, is_demo=is_demo)

    def template_years(self) -> list[int]:
        last = timezone.localdate().year - 1
        return list(range(max(FIRST_YEAR, last - 3), last + 1))

    def export_years(self, queryset) -> list[int]:
        years = set(
            EnterpriseYear.objects.filter(enterprise__in=queryset.values("pk"))
            .values_list("year", flat=True)
            .distinct()
        )
        return sorted(years) or self.template_years()

    def export_rows(self, queryset, *, personal: bool, years: list[int]):
        # The related rows are read as plain tuples grouped by enterprise: Django's
        # prefetch_related builds a queryset per enterprise and relation, which cost more
        # than half of an export of the 5,000 demo enterprises.
        qs = queryset.select_related("district", "park").prefetch_related(None)
        pks = queryset.values("pk")

        def main():
            years_of: dict[int, dict[int, tuple]] = {}
            for enterprise_id, year, revenue, rd_spending in EnterpriseYear.objects.filter(
                enterprise__in=pks
            ).values_list("enterprise_id", "year", "revenue", "rd_spending"):
                years_of.setdefault(enterprise_id, {})[year] = (revenue, rd_spending)
            industries_of: dict[int, list[str]] = {}
            for enterprise_id, industry in (
                EnterpriseIndustry.objects.filter(enterprise__in=pks)
                .order_by("pk")
                .values_list("enterprise_id", "industry")
            ):
                industries_of.setdefault(enterprise_id, []).append(industry)
            for e in qs.iterator(chunk_size=2000):
                by_year = years_of.get(e.pk, {})
                others = [i for i in industries_of.get(e.pk, ()) if i != e.main_industry]
                yield [
                    e.name,
                    e.credit_code,
                    e.district.name,
                    e.park.name if e.park else "",
                    e.address,
                    choice_name(e.main_industry, INDUSTRY_NAMES, default=e.main_industry),
                    "、".join(choice_name(i, INDUSTRY_NAMES, default=i) for i in others),
                    e.settled_on,
                    e.exited_on,
                    *[_float(by_year.get(y, NO_YEAR)[0]) for y in years],
                    *[_float(by_year.get(y, NO_YEAR)[1]) for y in years],
                    e.note,
                ]

        def tiers():
            for t in (
                EnterpriseTier.objects.filter(enterprise__in=queryset.values("pk"))
                .select_related("enterprise")
                .order_by("enterprise__name", "since")
            ):
                yield [
                    t.enterprise.credit_code,
                    t.enterprise.name,
                    TIER_NAMES[t.tier][0],
                    t.since,
                    t.until,
                    t.note,
                ]

        def rankings():
            from ducha.enterprises.models import RankingListing

            for r in RankingListing.objects.filter(
                enterprise__in=queryset.values("pk")
            ).select_related("enterprise"):
                yield [
                    r.enterprise.credit_code,
                    r.enterprise.name,
                    RANKING_NAMES[r.ranking][0],
                    r.year,
                    r.rank,
                ]

        return {MAIN.name: main(), TIERS.name: tiers(), RANKINGS.name: rankings()}


NO_YEAR = (None, None)


def _float(value):
    return float(value) if value is not None else None


REGISTER = base.add(EnterpriseRegister())

INDUSTRY_FIELD = FieldSchema("choice", tuple(Industry.values))
add_source(
    Source(
        name="enterprise-years",
        label=_("Enterprise revenue and R&D by year"),
        model=EnterpriseYear,
        schema=RegisterSchema(
            "enterprise-years",
            fields={
                "revenue": FieldSchema("number", unit="万元"),
                "rd_spending": FieldSchema("number", unit="万元"),
                "year": FieldSchema("year"),
                "main_industry": INDUSTRY_FIELD,
                "enterprise": FieldSchema("ref"),
            },
            filters=("main_industry",),
            default_date="year",
        ),
        district="enterprise__district",
        paths={"main_industry": "enterprise__main_industry", "enterprise": "enterprise_id"},
        register="enterprises",
        record="enterprise",
    )
)
add_source(
    Source(
        name="enterprise-tiers",
        label=_("Enterprise tiers held"),
        model=EnterpriseTier,
        schema=RegisterSchema(
            "enterprise-tiers",
            fields={
                "tier": FieldSchema("choice", tuple(Tier.values)),
                "since": FieldSchema("date"),
                "until": FieldSchema("date"),
                "main_industry": INDUSTRY_FIELD,
                "enterprise": FieldSchema("ref"),
            },
            filters=("tier", "main_industry"),
            end_field="until",
            default_date="since",
        ),
        district="enterprise__district",
        paths={"main_industry": "enterprise__main_industry", "enterprise": "enterprise_id"},
        register="enterprises",
        record="enterprise",
    )
)
add_source(
    Source(
        name="enterprises",
        label=_("Enterprises"),
        model=Enterprise,
        schema=RegisterSchema(
            "enterprises",
            fields={
                "main_industry": INDUSTRY_FIELD,
                "settled_on": FieldSchema("date"),
                "exited_on": FieldSchema("date"),
            },
            filters=("main_industry",),
            end_field="exited_on",
            default_date="settled_on",
        ),
        district="district",
        register="enterprises",
    )
)
