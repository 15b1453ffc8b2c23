"""Values as data (DHIS2's dataValueSets, read only): every value the caller may see,
filtered by plan, indicator, org unit, period and status, a page at a time (keyset pages: each
page's `next` link continues after its last row). Values are written through reporting rounds
(`/api/reporting/`) and imports, never here."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ducha.core.apiauth import READ_AUTH
from ducha.core.params import KeysetPagination
from ducha.datavalues.models import DataValue
from ducha.datavalues.sources import describe
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Indicator

router = Router(tags=["values"], auth=READ_AUTH)


class SourceOut(Schema):
    """Where a figure comes from."""

    kind: str = Field(
        description="stats_annual, stats_flash, department, unit_report, computed, press or "
        "estimate"
    )
    label: str = Field(description="the kind in the reader's language (统计局年报 …)")
    note: str = Field(description="口径 note: what the figure covers, where it differs")
    url: str = Field(description="a web page publishing the figure, or empty")
    attachment: int | None = Field(
        None, description="id of the evidence file backing the figure (reporting evidence)"
    )


class ValueOut(Schema):
    plan: str
    indicator: str = Field(description="indicator code")
    org_unit: str = Field(description="org-unit code (GB/T 2260 for the city and districts)")
    org_unit_name: str
    period: str = Field(description="2019, 2019Q3 or 2019-07")
    period_end: dt.date
    value: Decimal
    status: str = Field(description="draft, submitted or approved")
    source: SourceOut
    note: str
    approved_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_plan(v: DataValue) -> str:
        return v.indicator.plan.code

    @staticmethod
    def resolve_indicator(v: DataValue) -> str:
        return v.indicator.code

    @staticmethod
    def resolve_org_unit(v: DataValue) -> str:
        return v.org_unit.code

    @staticmethod
    def resolve_org_unit_name(v: DataValue) -> str:
        return v.org_unit.name

    @staticmethod
    def resolve_source(v: DataValue) -> dict:
        return describe(v)


class ValueFilter(Schema):
    plan: str | None = Field(None, description="plan code")
    indicator: str | None = Field(None, description="indicator code")
    org_unit: str | None = Field(None, description="org-unit code")
    period: str | None = Field(None, description="exact period, e.g. 2019Q3")
    status: str | None = Field(None, description="draft, submitted or approved")


# What a row shows, and nothing else: the plan's source text and preamble (10 k characters
# each) would otherwise travel with every value.
ROW_FIELDS = (
    "period", "period_end", "value", "status", "note", "approved_at", "updated_at",
    "source", "source_note", "source_url", "source_evidence_id", "indicator", "org_unit",
)  # fmt: skip


@router.get("", response=list[ValueOut], summary="Values I may see")
@paginate(KeysetPagination)
def list_values(request, filters: Query[ValueFilter]):
    # The page is read from the values table alone (along its primary key), and the page's
    # indicators, plans and units in small queries after it: joined in, they let the database
    # start from an indicator index and sort a million rows for a page of 100.
    qs = (
        DataValue.objects.for_user(request.user, "view")
        .only(*ROW_FIELDS)
        .prefetch_related(
            Prefetch(
                "indicator", Indicator.objects.select_related("plan").only("code", "plan__code")
            ),
            Prefetch("org_unit", OrgUnit.objects.only("code", "name")),
        )
    )
    lookups = {
        "plan": "indicator__plan__code",
        "indicator": "indicator__code",
        "org_unit": "org_unit__code",
        "period": "period",
        "status": "status",
    }
    for name, path in lookups.items():
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{path: value})
    # a queryset, so that the page is cut in SQL (WHERE id > cursor LIMIT n) along the primary
    # key: no sort over a million rows, and pages stay stable while new values arrive
    return qs
