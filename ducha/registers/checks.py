"""The checks the office runs over the registers before it trusts a computed number.

- enterprises in a park whose designated industries include none of theirs;
- likely duplicates: two credit codes with the same organisation code (characters 9–17: one
  body registered twice), and names that are the same once place and legal form are removed,
  or nearly so (``engine.names``);
- enterprises whose recorded district differs from the district in their credit code;
- district values that do not add up to the city's own figure, per indicator and period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Substr

from ducha.datavalues.models import DataValue, ValueStatus
from ducha.engine.creditcode import FORMER_DIVISIONS
from ducha.engine.names import similar_pairs
from ducha.enterprises.models import Enterprise, EnterpriseIndustry
from ducha.orgunits.models import OrgUnit
from ducha.parks.models import Park
from ducha.plans.models import PlanState

LIMIT = 500  # items shown per check
NAME_CHECK_MAX = 300_000  # beyond this, names are compared within districts only
TOLERANCE = Decimal("0.005")  # district sums may differ from the city figure by rounding


@dataclass
class CheckReport:
    park_mismatches: list = field(default_factory=list)
    park_mismatch_count: int = 0
    same_organisation: list = field(default_factory=list)
    similar_names: list = field(default_factory=list)
    district_vs_code: list = field(default_factory=list)
    district_vs_code_count: int = 0
    sums: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            self.park_mismatch_count
            + len(self.same_organisation)
            + len(self.similar_names)
            + self.district_vs_code_count
            + len(self.sums)
        )


def park_mismatches(report: CheckReport) -> None:
    for park in Park.objects.exclude(industries=[]).select_related("district"):
        if not park.industries:
            continue
        matching = EnterpriseIndustry.objects.filter(
            enterprise=OuterRef("pk"), industry__in=park.industries
        )
        qs = Enterprise.objects.filter(park=park).exclude(Exists(matching))
        report.park_mismatch_count += qs.count()
        for e in qs.select_related("park").prefetch_related("industries")[:LIMIT]:
            if len(report.park_mismatches) < LIMIT:
                report.park_mismatches.append(
                    (e, park, [i.get_industry_display() for i in e.industries.all()])
                )


def same_organisation(report: CheckReport) -> None:
    groups = (
        Enterprise.objects.annotate(org=Substr("credit_code", 9, 9))
        .values("org")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("-n", "org")[:LIMIT]
    )
    orgs = [g["org"] for g in groups]
    members = defaultdict(list)
    for e in Enterprise.objects.annotate(org=Substr("credit_code", 9, 9)).filter(org__in=orgs):
        members[e.org].append(e)
    report.same_organisation = [(org, members[org]) for org in orgs]


def similar_names(report: CheckReport) -> None:
    total = Enterprise.objects.count()
    pairs = []
    if total <= NAME_CHECK_MAX:
        names = Enterprise.objects.values_list("pk", "name").iterator(chunk_size=10_000)
        pairs = similar_pairs(names)
    else:  # very large registers: compare within each district
        for district_id in Enterprise.objects.values_list("district", flat=True).distinct():
            names = Enterprise.objects.filter(district=district_id).values_list("pk", "name")
            pairs += similar_pairs(names.iterator(chunk_size=10_000))
    pairs.sort(key=lambda p: -p[2])
    pairs = pairs[:LIMIT]
    ids = {i for a, b, _s in pairs for i in (a, b)}
    by_id = Enterprise.objects.select_related("district").in_bulk(ids)
    report.similar_names = [(by_id[a], by_id[b], score) for a, b, score in pairs]


def district_vs_code(report: CheckReport) -> None:
    districts = {u.code: u for u in OrgUnit.objects.filter(kind="district")}
    rows = Enterprise.objects.values_list("pk", "credit_code", "district__code").iterator(
        chunk_size=20_000
    )
    odd = []
    for pk, code, district_code in rows:
        division = code[2:8]
        division = FORMER_DIVISIONS.get(division, division)
        if division in districts and division != district_code:
            report.district_vs_code_count += 1
            if len(odd) < LIMIT:
                odd.append(pk)
    by_id = Enterprise.objects.select_related("district").in_bulk(odd)
    report.district_vs_code = [
        (by_id[pk], districts[FORMER_DIVISIONS.get(c := by_id[pk].credit_code[2:8], c)])
        for pk in odd
    ]


def district_sums(report: CheckReport) -> None:
    city = OrgUnit.objects.filter(kind="city", parent__isnull=True).first()
    if city is None:
        return
    values = (
        DataValue.objects.filter(
            status=ValueStatus.APPROVED,
            indicator__aggregation="sum",
            org_unit__kind__in=["city", "district"],
        )
        .exclude(indicator__plan__state=PlanState.ARCHIVED)
        .values_list("indicator_id", "period", "org_unit_id", "value")
    )
    cities, sums, counts = {}, defaultdict(Decimal), defaultdict(int)
    for ind, period, unit, value in values:
        if unit == city.pk:
            cities[(ind, period)] = value
        else:
            sums[(ind, period)] += value
            counts[(ind, period)] += 1
    from ducha.plans.models import Indicator

    indicators = Indicator.objects.select_related("plan").in_bulk({k[0] for k in cities})
    for key, city_value in sorted(cities.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if counts[key] == 0:
            continue
        total = sums[key]
        allowed = max(abs(city_value) * TOLERANCE, Decimal("0.01"))
        if abs(total - city_value) > allowed:
            report.sums.append((indicators[key[0]], key[1], city_value, total, counts[key]))


def run_checks() -> CheckReport:
    report = CheckReport()
    park_mismatches(report)
    same_organisation(report)
    similar_names(report)
    district_vs_code(report)
    district_sums(report)
    return report
