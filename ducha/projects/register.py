from django.utils.translation import gettext_lazy as _

from ducha.engine.computation import FieldSchema, RegisterSchema
from ducha.projects import services
from ducha.projects.models import PROJECT_TYPE_NAMES, STAGE_NAMES, Project, ProjectType, Stage
from ducha.registers import base
from ducha.registers.base import ListColumn, Register
from ducha.registers.columns import Column, choice_name
from ducha.registers.computation import Source, add_source
from ducha.registers.filters import ChoiceFilter, DistrictFilter, YearFilter
from ducha.registers.importer import Sheet

SHEET = Sheet(
    services.SHEET,
    [
        Column(
            "code",
            "项目编号",
            "text",
            required=True,
            max_length=40,
            aliases=("项目代码", "编号", "code"),
        ),
        Column("name", "项目名称", "text", aliases=("名称", "项目"), width=36),
        Column("type", "项目类型", "choice", choices=PROJECT_TYPE_NAMES, aliases=("类型",)),
        Column(
            "domain",
            "所属领域",
            "ref",
            ref="plan_node",
            aliases=("领域", "计划章节", "所属任务"),
            width=18,
        ),
        Column("lead_unit", "牵头单位", "ref", ref="org_unit", aliases=("责任单位", "主管单位")),
        Column("district", "所在区", "ref", ref="district", aliases=("区", "所属区", "行政区")),
        Column(
            "enterprise",
            "实施企业",
            "ref",
            ref="enterprise",
            aliases=("承担企业", "企业", "实施企业信用代码"),
            width=24,
        ),
        Column("partner", "合作方", "text", aliases=("合作单位", "合作地区")),
        Column("investment", "总投资", "money", unit="万元", aliases=("投资额", "计划总投资")),
        Column("stage", "当前阶段", "choice", choices=STAGE_NAMES, aliases=("阶段", "进度")),
        Column("signed_on", "签约日期", "date", aliases=("立项日期", "签约时间")),
        Column("started_on", "开工日期", "date", aliases=("开工时间",)),
        Column("operating_on", "投产日期", "date", aliases=("投产时间",)),
        Column("accepted_on", "验收日期", "date", aliases=("验收时间", "建成日期")),
        Column("cancelled_on", "终止日期", "date", aliases=("终止时间",)),
        Column("note", "备注", "text", max_length=2000, aliases=("说明",), width=24),
    ],
    key=("code",),
    aliases=("项目库", "项目信息", "projects"),
)


class ProjectRegister(Register):
    key = "projects"
    model = Project
    namespace = "projects"
    sheets = [SHEET]
    search_fields = ("name", "code")
    select_related = ("district", "domain", "lead_unit", "enterprise")
    ordering = ("code",)
    sources = ("projects",)
    detail_template = "projects/detail.html"
    filters = (
        DistrictFilter(),
        ChoiceFilter("type", _("Type"), "type", ProjectType.choices),
        ChoiceFilter("stage", _("Stage"), "stage", Stage.choices),
        YearFilter("signed_on"),
    )
    list_columns = [
        ListColumn(_("Code"), lambda p: p.code, link=True),
        ListColumn(_("Name"), lambda p: p.name, link=True),
        ListColumn(_("Type"), lambda p: p.get_type_display()),
        ListColumn(_("District"), lambda p: p.district.label),
        ListColumn(_("Stage"), lambda p: p.get_stage_display()),
        ListColumn(
            _("Investment (10k yuan)"), lambda p: p.investment, numeric=True, hide_small=True
        ),
    ]

    def detail_context(self, obj, user):
        from ducha.projects.models import PROJECT_TRANSITIONS

        order = list(Stage.values)
        nxt = sorted(PROJECT_TRANSITIONS[obj.stage], key=order.index)
        return {"next_stages": [(s, Stage(s).label) for s in nxt]}

    def apply(self, actor, parsed, *, source, is_demo=False):
        from ducha.plans.selectors import resolve_plan

        try:
            plan = resolve_plan(None)
        except Exception:  # no default plan: sections cannot be named
            plan = None
        return services.apply_import(actor, parsed, source=source, is_demo=is_demo, plan=plan)

    def export_rows(self, queryset, *, personal, years):
        def rows():
            for p in queryset.select_related(*self.select_related).iterator(chunk_size=2000):
                yield [
                    p.code,
                    p.name,
                    choice_name(p.type, PROJECT_TYPE_NAMES),
                    p.domain.key if p.domain else "",
                    p.lead_unit.name if p.lead_unit else "",
                    p.district.name,
                    p.enterprise.credit_code if p.enterprise else "",
                    p.partner,
                    float(p.investment) if p.investment is not None else None,
                    choice_name(p.stage, STAGE_NAMES),
                    p.signed_on,
                    p.started_on,
                    p.operating_on,
                    p.accepted_on,
                    p.cancelled_on,
                    p.note,
                ]

        return {SHEET.name: rows()}


REGISTER = base.add(ProjectRegister())

add_source(
    Source(
        name="projects",
        label=_("Projects"),
        model=Project,
        schema=RegisterSchema(
            "projects",
            fields={
                "type": FieldSchema("choice", tuple(ProjectType.values)),
                "stage": FieldSchema("choice", tuple(Stage.values)),
                "domain": FieldSchema("text"),
                "investment": FieldSchema("number", unit="万元"),
                "signed_on": FieldSchema("date"),
                "started_on": FieldSchema("date"),
                "operating_on": FieldSchema("date"),
                "accepted_on": FieldSchema("date"),
                "cancelled_on": FieldSchema("date"),
            },
            filters=("type", "stage", "domain"),
            end_field="cancelled_on",
            default_date="signed_on",
        ),
        district="district",
        paths={"domain": "domain__key"},
        register="projects",
    )
)
