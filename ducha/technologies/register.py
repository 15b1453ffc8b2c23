from django.utils.translation import gettext_lazy as _

from ducha.engine.computation import FieldSchema, RegisterSchema
from ducha.registers import base
from ducha.registers.base import ListColumn, Register
from ducha.registers.columns import Column, choice_name
from ducha.registers.computation import Source, add_source
from ducha.registers.filters import ChoiceFilter, DistrictFilter, YearFilter
from ducha.registers.importer import Sheet
from ducha.registers.taxonomy import TECH_FIELD_NAMES, TechField
from ducha.technologies import services
from ducha.technologies.models import TECH_KIND_NAMES, KeyTechnology, TechKind

SHEET = Sheet(
    services.SHEET,
    [
        Column(
            "name",
            "技术名称",
            "text",
            required=True,
            aliases=("名称", "技术", "产品名称"),
            width=36,
        ),
        Column("kind", "类别", "choice", choices=TECH_KIND_NAMES, aliases=("类型",)),
        Column(
            "field", "技术领域", "choice", choices=TECH_FIELD_NAMES, aliases=("领域",), width=24
        ),
        Column(
            "holder",
            "突破单位",
            "ref",
            ref="enterprise",
            aliases=("承担单位", "完成单位", "持有单位", "突破单位信用代码"),
            width=30,
        ),
        Column("district", "所在区", "ref", ref="district", aliases=("区", "所属区")),
        Column("achieved_on", "突破日期", "date", aliases=("完成日期", "攻破日期", "日期")),
        Column("note", "备注", "text", max_length=2000, aliases=("说明",)),
    ],
    key=("name",),
    aliases=("关键共性技术", "技术库", "technologies"),
)


class TechnologyRegister(Register):
    key = "technologies"
    model = KeyTechnology
    namespace = "technologies"
    sheets = [SHEET]
    select_related = ("district", "holder")
    ordering = ("-achieved_on", "name")
    sources = ("technologies",)
    detail_template = "technologies/detail.html"
    filters = (
        DistrictFilter(),
        ChoiceFilter("field", _("Field"), "field", TechField.choices),
        ChoiceFilter("kind", _("Kind"), "kind", TechKind.choices),
        YearFilter("achieved_on"),
    )
    list_columns = [
        ListColumn(_("Name"), lambda t: t.name, link=True),
        ListColumn(_("Field"), lambda t: t.get_field_display()),
        ListColumn(_("Holder"), lambda t: t.holder_name, hide_small=True),
        ListColumn(_("District"), lambda t: t.district.label),
        ListColumn(_("Achieved on"), lambda t: t.achieved_on),
    ]

    def apply(self, actor, parsed, *, source, is_demo=False):
        return services.apply_import(actor, parsed, source=source, is_demo=is_demo)

    def export_rows(self, queryset, *, personal, years):
        def rows():
            for t in queryset.select_related(*self.select_related).iterator(chunk_size=2000):
                yield [
                    t.name,
                    choice_name(t.kind, TECH_KIND_NAMES),
                    choice_name(t.field, TECH_FIELD_NAMES),
                    t.holder.credit_code if t.holder else t.holder_name,
                    t.district.name,
                    t.achieved_on,
                    t.note,
                ]

        return {SHEET.name: rows()}


REGISTER = base.add(TechnologyRegister())

add_source(
    Source(
        name="technologies",
        label=_("Key technologies"),
        model=KeyTechnology,
        schema=RegisterSchema(
            "technologies",
            fields={
                "kind": FieldSchema("choice", tuple(TechKind.values)),
                "field": FieldSchema("choice", tuple(TechField.values)),
                "achieved_on": FieldSchema("date"),
            },
            filters=("kind", "field"),
            default_date="achieved_on",
        ),
        district="district",
        register="technologies",
    )
)
