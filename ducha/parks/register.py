from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from ducha.parks.models import Park
from ducha.registers import base
from ducha.registers.base import ListColumn, Register
from ducha.registers.columns import Column
from ducha.registers.filters import DistrictFilter
from ducha.registers.importer import Sheet
from ducha.registers.simple import apply_simple, optional, ref
from ducha.registers.taxonomy import INDUSTRY_NAMES

SHEET = Sheet(
    "园区",
    [
        Column("code", "园区代码", "text", required=True, max_length=40, aliases=("代码", "code")),
        Column("name", "园区名称", "text", aliases=("名称", "园区"), width=30),
        Column("short_name", "简称", "text", max_length=50),
        Column("district", "所在区", "ref", ref="district", aliases=("区", "所属区")),
        Column("zone", "功能区", "ref", ref="org_unit", aliases=("所属功能区",)),
        Column(
            "industries",
            "主导产业",
            "choices",
            choices=INDUSTRY_NAMES,
            aliases=("重点产业", "定位产业"),
            width=30,
        ),
        Column("designation", "规划表述", "text", aliases=("计划表述",), width=30),
    ],
    key=("code",),
    aliases=("园区库", "parks"),
)


def _resolve(sheet, row, refs, problems, current):
    v = row.values
    district = ref(refs.district, sheet, row, "district", problems, required=current is None)
    zone = ref(refs.org_unit, sheet, row, "zone", problems)
    if zone is not None and zone.kind != "zone":
        problems.at(sheet, row, "zone", _g("%s is not a functional zone") % zone)
        return None
    if current is None and "name" not in v:
        problems.at(sheet, row, "name", _g("is empty"))
        return None
    if (district is None and current is None) or ("district" in v and district is None):
        return None
    fields = {
        "name": optional(row, "name", current),
        "short_name": optional(row, "short_name", current),
        "industries": optional(row, "industries", current, default=[]),
        "designation": optional(row, "designation", current),
    }
    if district is not None:
        fields["district"] = district
    if zone is not None:
        fields["zone"] = zone
    return fields


class ParkRegister(Register):
    key = "parks"
    model = Park
    namespace = "parks"
    sheets = [SHEET]
    select_related = ("district", "zone")
    ordering = ("position", "code")
    detail_template = "parks/detail.html"
    filters = (DistrictFilter(),)
    list_columns = [
        ListColumn(_("Name"), lambda p: p.name, link=True),
        ListColumn(_("District"), lambda p: p.district.label),
        ListColumn(_("Designated industries"), lambda p: "、".join(p.industry_labels())),
        ListColumn(_("Designation in the plan"), lambda p: p.designation, hide_small=True),
    ]

    def apply(self, actor, parsed, *, source, is_demo=False):
        return apply_simple(
            actor,
            parsed,
            model=Park,
            sheet=SHEET.name,
            key="code",
            resolve=_resolve,
            action="parks.park",
            source=source,
            is_demo=False,
        )

    def export_rows(self, queryset, *, personal, years):
        def rows():
            for p in queryset.select_related("district", "zone"):
                yield [
                    p.code,
                    p.name,
                    p.short_name,
                    p.district.name,
                    p.zone.name if p.zone else "",
                    "、".join(INDUSTRY_NAMES[i][0] for i in p.industries if i in INDUSTRY_NAMES),
                    p.designation,
                ]

        return {SHEET.name: rows()}


REGISTER = base.add(ParkRegister())
