from django.utils.translation import gettext_lazy as _

from ducha.engine.computation import FieldSchema, RegisterSchema
from ducha.engine.idnumber import mask
from ducha.registers import base
from ducha.registers.base import ListColumn, Register
from ducha.registers.columns import Column, choice_name
from ducha.registers.computation import Source, add_source
from ducha.registers.filters import ChoiceFilter, DistrictFilter, YearFilter
from ducha.registers.importer import Sheet
from ducha.registers.taxonomy import TECH_FIELD_NAMES, TechField
from ducha.talents import services
from ducha.talents.models import (
    CATEGORY_NAMES,
    GENDER_NAMES,
    ID_TYPE_NAMES,
    TEAM_LEVEL_NAMES,
    Category,
    Talent,
    Team,
    TeamLevel,
)

TALENT_SHEET = Sheet(
    services.TALENT_SHEET,
    [
        Column("name", "姓名", "text", required=True, max_length=100, aliases=("名字",)),
        Column("gender", "性别", "choice", choices=GENDER_NAMES),
        Column("id_type", "证件类型", "choice", choices=ID_TYPE_NAMES),
        Column(
            "id_number",
            "证件号码",
            "id_number",
            required=True,
            personal=True,
            width=22,
            aliases=("身份证号", "身份证号码", "证件号"),
        ),
        Column("birth_date", "出生日期", "date", personal=True, aliases=("出生年月",)),
        Column(
            "phone",
            "手机号码",
            "text",
            personal=True,
            max_length=30,
            aliases=("电话", "联系电话", "手机"),
        ),
        Column("email", "电子邮箱", "text", personal=True, aliases=("邮箱", "email")),
        Column("category", "人才类别", "choice", choices=CATEGORY_NAMES, aliases=("类别",)),
        Column("programme", "人才计划", "text", max_length=100, aliases=("入选计划", "人才项目")),
        Column("field", "技术领域", "choice", choices=TECH_FIELD_NAMES, aliases=("领域",)),
        Column(
            "employer", "工作单位", "ref", ref="enterprise", aliases=("单位", "所在单位"), width=30
        ),
        Column("team", "所属团队", "ref", ref="team", aliases=("团队",)),
        Column("district", "所在区", "ref", ref="district", aliases=("区", "所属区")),
        Column("introduced_on", "引进日期", "date", aliases=("认定日期", "入库日期", "引进时间")),
        Column("left_on", "离开日期", "date", aliases=("离津日期",)),
        Column("note", "备注", "text", max_length=2000, aliases=("说明",)),
    ],
    key=("id_number",),
    aliases=("人才库", "人才信息", "talents"),
)

TEAM_SHEET = Sheet(
    services.TEAM_SHEET,
    [
        Column("name", "团队名称", "text", required=True, aliases=("名称", "团队"), width=30),
        Column("leader_name", "带头人", "text", max_length=100, aliases=("团队带头人", "负责人")),
        Column("level", "团队级别", "choice", choices=TEAM_LEVEL_NAMES, aliases=("级别",)),
        Column("field", "技术领域", "choice", choices=TECH_FIELD_NAMES, aliases=("领域",)),
        Column("host", "依托单位", "ref", ref="enterprise", aliases=("所在单位",), width=30),
        Column("district", "所在区", "ref", ref="district", aliases=("区", "所属区")),
        Column("members", "成员人数", "int", aliases=("人数",)),
        Column("introduced_on", "引进日期", "date", aliases=("认定日期", "引进时间")),
        Column("left_on", "离开日期", "date", aliases=("离津日期",)),
        Column("note", "备注", "text", max_length=2000, aliases=("说明",)),
    ],
    key=("name",),
    aliases=("团队库", "teams"),
)


class TalentRegister(Register):
    key = "talents"
    model = Talent
    namespace = "talents"
    sheets = [TALENT_SHEET]
    select_related = ("district", "employer", "team")
    ordering = ("name", "id")
    sources = ("talents",)
    personal_fields = Talent.PERSONAL_FIELDS
    detail_template = "talents/talent_detail.html"
    filters = (
        DistrictFilter(),
        ChoiceFilter("category", _("Category"), "category", Category.choices),
        ChoiceFilter("field", _("Field"), "field", TechField.choices),
        YearFilter("introduced_on"),
    )
    list_columns = [
        ListColumn(_("Name"), lambda t: t.name, link=True),
        ListColumn(_("Category"), lambda t: t.get_category_display()),
        ListColumn(_("ID number"), lambda t: t.id_number, personal=True, hide_small=True),
        ListColumn(_("Phone"), lambda t: t.phone, personal=True, hide_small=True),
        ListColumn(_("Employer"), lambda t: t.employer_name, hide_small=True),
        ListColumn(_("District"), lambda t: t.district.label),
        ListColumn(_("Introduced on"), lambda t: t.introduced_on),
    ]

    def apply(self, actor, parsed, *, source, is_demo=False):
        return services.import_talents(actor, parsed, source=source, is_demo=is_demo)

    def export_rows(self, queryset, *, personal, years):
        def rows():
            for t in queryset.select_related(*self.select_related).iterator(chunk_size=2000):
                yield [
                    t.name,
                    choice_name(t.gender, GENDER_NAMES),
                    choice_name(t.id_type, ID_TYPE_NAMES),
                    t.id_number if personal else mask(t.id_number),
                    t.birth_date if personal else None,
                    t.phone if personal else mask(t.phone),
                    t.email if personal else mask(t.email),
                    choice_name(t.category, CATEGORY_NAMES),
                    t.programme,
                    choice_name(t.field, TECH_FIELD_NAMES),
                    t.employer.credit_code if t.employer else t.employer_name,
                    t.team.name if t.team else "",
                    t.district.name,
                    t.introduced_on,
                    t.left_on,
                    t.note,
                ]

        return {TALENT_SHEET.name: rows()}


class TeamRegister(Register):
    key = "teams"
    model = Team
    namespace = "teams"
    sheets = [TEAM_SHEET]
    select_related = ("district", "host")
    ordering = ("name",)
    sources = ("teams",)
    detail_template = "talents/team_detail.html"
    filters = (
        DistrictFilter(),
        ChoiceFilter("level", _("Level"), "level", TeamLevel.choices),
        ChoiceFilter("field", _("Field"), "field", TechField.choices),
        YearFilter("introduced_on"),
    )
    list_columns = [
        ListColumn(_("Name"), lambda t: t.name, link=True),
        ListColumn(_("Level"), lambda t: t.get_level_display()),
        ListColumn(_("Team leader"), lambda t: t.leader_name),
        ListColumn(_("Host organisation"), lambda t: t.host_name, hide_small=True),
        ListColumn(_("District"), lambda t: t.district.label),
        ListColumn(_("Introduced on"), lambda t: t.introduced_on),
    ]

    def apply(self, actor, parsed, *, source, is_demo=False):
        return services.import_teams(actor, parsed, source=source, is_demo=is_demo)

    def export_rows(self, queryset, *, personal, years):
        def rows():
            for t in queryset.select_related(*self.select_related).iterator(chunk_size=2000):
                yield [
                    t.name,
                    t.leader_name,
                    choice_name(t.level, TEAM_LEVEL_NAMES),
                    choice_name(t.field, TECH_FIELD_NAMES),
                    t.host.credit_code if t.host else t.host_name,
                    t.district.name,
                    t.members,
                    t.introduced_on,
                    t.left_on,
                    t.note,
                ]

        return {TEAM_SHEET.name: rows()}


TALENTS = base.add(TalentRegister())
TEAMS = base.add(TeamRegister())

add_source(
    Source(
        name="talents",
        label=_("Talents"),
        model=Talent,
        schema=RegisterSchema(
            "talents",
            fields={
                "category": FieldSchema("choice", tuple(Category.values)),
                "field": FieldSchema("choice", tuple(TechField.values)),
                "introduced_on": FieldSchema("date"),
                "left_on": FieldSchema("date"),
            },
            filters=("category", "field"),
            end_field="left_on",
            default_date="introduced_on",
        ),
        district="district",
        register="talents",
    )
)
add_source(
    Source(
        name="teams",
        label=_("Teams"),
        model=Team,
        schema=RegisterSchema(
            "teams",
            fields={
                "level": FieldSchema("choice", tuple(TeamLevel.values)),
                "field": FieldSchema("choice", tuple(TechField.values)),
                "introduced_on": FieldSchema("date"),
                "left_on": FieldSchema("date"),
            },
            filters=("level", "field"),
            end_field="left_on",
            default_date="introduced_on",
        ),
        district="district",
        register="teams",
    )
)
