from django.utils.translation import gettext_lazy as _

from ducha.engine.computation import FieldSchema, RegisterSchema
from ducha.platforms import services
from ducha.platforms.models import (
    LEVEL_NAMES,
    PLATFORM_TYPE_NAMES,
    Level,
    Platform,
    PlatformType,
)
from ducha.registers import base
from ducha.registers.base import ListColumn, Register
from ducha.registers.columns import Column, choice_name
from ducha.registers.computation import Source, add_source
from ducha.registers.filters import ChoiceFilter, DistrictFilter, YearFilter
from ducha.registers.importer import Sheet
from ducha.registers.taxonomy import TECH_FIELD_NAMES, TechField

SHEET = Sheet(
    services.SHEET,
    [
        Column("name", "平台名称", "text", required=True, aliases=("名称", "平台"), width=36),
        Column("level", "级别", "choice", choices=LEVEL_NAMES, aliases=("平台级别", "层级")),
        Column("type", "平台类型", "choice", choices=PLATFORM_TYPE_NAMES, aliases=("类型",)),
        Column("field", "技术领域", "choice", choices=TECH_FIELD_NAMES, aliases=("领域",)),
        Column(
            "holder",
            "依托单位",
            "ref",
            ref="enterprise",
            aliases=("依托企业", "承建单位", "依托单位信用代码"),
            width=30,
        ),
        Column("district", "所在区", "ref", ref="district", aliases=("区", "所属区")),
        Column("established_on", "认定日期", "date", aliases=("批准日期", "获批日期", "成立日期")),
        Column("revoked_on", "撤销日期", "date", aliases=("摘牌日期",)),
        Column("note", "备注", "text", max_length=2000, aliases=("说明",)),
    ],
    key=("name",),
    aliases=("创新平台", "平台库", "platforms"),
)


class PlatformRegister(Register):
    key = "platforms"
    model = Platform
    namespace = "platforms"
    sheets = [SHEET]
    select_related = ("district", "holder")
    ordering = ("name",)
    sources = ("platforms",)
    detail_template = "platforms/detail.html"
    filters = (
        DistrictFilter(),
        ChoiceFilter("level", _("Level"), "level", Level.choices),
        ChoiceFilter("type", _("Type"), "type", PlatformType.choices),
        ChoiceFilter("field", _("Field"), "field", TechField.choices),
        YearFilter("established_on"),
    )
    list_columns = [
        ListColumn(_("Name"), lambda p: p.name, link=True),
        ListColumn(_("Level"), lambda p: p.get_level_display()),
        ListColumn(_("Type"), lambda p: p.get_type_display(), hide_small=True),
        ListColumn(_("Holder"), lambda p: p.holder_name, hide_small=True),
        ListColumn(_("District"), lambda p: p.district.label),
        ListColumn(_("Recognised on"), lambda p: p.established_on),
    ]

    def apply(self, actor, parsed, *, source, is_demo=False):
        return services.apply_import(actor, parsed, source=source, is_demo=is_demo)

    def export_rows(self, queryset, *, personal, years):
        def rows():
            for p in queryset.select_related(*self.select_related).iterator(chunk_size=2000):
                yield [
                    p.name,
                    choice_name(p.level, LEVEL_NAMES),
                    choice_name(p.type, PLATFORM_TYPE_NAMES),
                    choice_name(p.field, TECH_FIELD_NAMES),
                    p.holder.credit_code if p.holder else p.holder_name,
                    p.district.name,
                    p.established_on,
                    p.revoked_on,
                    p.note,
                ]

        return {SHEET.name: rows()}


REGISTER = base.add(PlatformRegister())

add_source(
    Source(
        name="platforms",
        label=_("Innovation platforms"),
        model=Platform,
        schema=RegisterSchema(
            "platforms",
            fields={
                "level": FieldSchema("choice", tuple(Level.values)),
                "type": FieldSchema("choice", tuple(PlatformType.values)),
                "field": FieldSchema("choice", tuple(TechField.values)),
                "established_on": FieldSchema("date"),
                "revoked_on": FieldSchema("date"),
            },
            filters=("level", "type", "field"),
            end_field="revoked_on",
            default_date="established_on",
        ),
        district="district",
        register="platforms",
    )
)
