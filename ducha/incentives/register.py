"""Applications as the register toolkit sees them: one sheet, its columns, the list filters,
the import (through services, all or nothing) and the export. Being in the toolkit's
catalogue gives the import, export and template pages and `ducha importregister incentives`,
`ducha exportregister incentives`, `ducha template incentives` without code of their own.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.incentives import services
from ducha.incentives.models import EDITABLE, Application, AppState, Scheme
from ducha.registers import base
from ducha.registers.base import ImportReport, Register
from ducha.registers.columns import CellError, Column
from ducha.registers.filters import ChoiceFilter, DistrictFilter, Filter
from ducha.registers.importer import Problems, Sheet
from ducha.registers.references import References

SHEET_NAME = "奖补申请"
STATE_NAMES = {
    AppState.DRAFT: ("草稿",),
    AppState.SUBMITTED: ("已提交", "提交", "待审核"),
    AppState.REVIEWED: ("主管部门已审核", "已审核"),
    AppState.RETURNED: ("已退回", "退回"),
    AppState.APPROVED: ("已批准", "批准", "已核定"),
    AppState.PARTLY_PAID: ("部分拨付",),
    AppState.PAID: ("已拨付", "拨付完毕"),
    AppState.REJECTED: ("不予支持", "已驳回", "驳回"),
    AppState.WITHDRAWN: ("已撤回", "撤回"),
}
IMPORTABLE = {AppState.DRAFT, AppState.SUBMITTED}

SHEET = Sheet(
    SHEET_NAME,
    [
        Column(
            "scheme",
            "奖补政策",
            "ref",
            ref="scheme",
            required=True,
            aliases=("政策", "政策编号", "奖补项目", "政策名称"),
            width=30,
        ),
        Column(
            "enterprise",
            "申请企业",
            "ref",
            ref="enterprise",
            aliases=("企业", "统一社会信用代码", "企业名称", "申请单位"),
            width=28,
        ),
        Column("project", "项目编号", "ref", ref="project", aliases=("项目", "项目代码")),
        Column("year", "年度", "int", required=True, aliases=("申报年度", "年份")),
        Column(
            "base_amount",
            "基数金额",
            "money",
            unit="万元",
            aliases=("投资额", "改造投资额", "计算基数"),
        ),
        Column(
            "requested",
            "申请金额",
            "money",
            unit="万元",
            required=True,
            aliases=("申请资金", "申报金额"),
        ),
        Column("state", "状态", "choice", choices=STATE_NAMES, aliases=("申请状态",)),
        Column("computed", "按规则测算金额", "money", unit="万元", aliases=("测算金额",)),
        Column("approved", "核定金额", "money", unit="万元", aliases=("批准金额",)),
        Column("paid", "已拨付金额", "money", unit="万元", aliases=("拨付金额",)),
        Column("district", "所在区", "ref", ref="district", aliases=("区",)),
        Column("note", "备注", "text", max_length=2000, aliases=("说明",), width=24),
    ],
    key=("scheme", "enterprise", "year"),
    aliases=("申请", "奖补", "applications"),
)
# Columns the export writes for information; an import does not set them.
DECIDED_ELSEWHERE = ("computed", "approved", "paid", "district")


class SchemeFilter(Filter):
    param = "scheme"
    label = gettext_lazy("Scheme")

    def options(self):
        return [(s.code, s.name) for s in Scheme.objects.all()]

    def q(self, value):
        from django.db.models import Q

        return Q(scheme__code=value)


class AppYearFilter(Filter):
    param = "year"
    label = gettext_lazy("Year")

    def options(self):
        years = Application.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(y), str(y)) for y in years]

    def q(self, value):
        from django.db.models import Q

        return Q(year=int(value))


class ApplicationRegister(Register):
    key = "incentives"
    model = Application
    namespace = "incentives"
    sheets = [SHEET]
    search_fields = (
        "enterprise__name",
        "enterprise__credit_code",
        "project__name",
        "project__code",
        "note",
    )
    select_related = ("scheme", "enterprise", "project", "district")
    ordering = ("-year", "scheme__position", "id")

    def search(self, text):
        """Names and codes as any register, and the application number (JB2020-00295) that
        the list, the messages and the e-mails show."""
        found = super().search(text)
        number = re.fullmatch(r"\s*JB(\d{4})-0*(\d+)\s*", text, flags=re.IGNORECASE)
        if number:
            found |= Q(year=int(number[1]), pk=int(number[2]))
        return found

    filters = (
        SchemeFilter(),
        AppYearFilter(),
        ChoiceFilter("state", gettext_lazy("State"), "state", AppState.choices),
        DistrictFilter(),
    )

    def template_years(self):
        return []

    def apply(self, actor, parsed, *, source, is_demo=False):
        return apply_import(actor, parsed, is_demo=is_demo)

    def export_rows(self, queryset, *, personal, years):
        def name(value, names):
            return names[value][0] if value in names else ""

        def rows():
            for a in queryset.select_related(*self.select_related).iterator(chunk_size=2000):
                yield [
                    a.scheme.code,
                    a.enterprise.credit_code if a.enterprise_id else "",
                    a.project.code if a.project_id else "",
                    a.year,
                    _plain(a.base_amount),
                    _plain(a.requested),
                    name(a.state, STATE_NAMES),
                    _plain(a.computed),
                    _plain(a.approved),
                    _plain(a.paid),
                    a.district.name,
                    a.note,
                ]

        return {SHEET.name: rows()}


def _plain(value: Decimal | None) -> Decimal | None:
    """500 rather than 500.0000 in a CSV."""
    return None if value is None else Decimal(format(value.normalize(), "f"))


def apply_import(actor, parsed, *, is_demo=False) -> ImportReport:
    """Create (or update, while still a draft or returned) one application per row, through
    the services; every refusal becomes a problem of its row, and any problem writes nothing
    (the caller's transaction rolls back when ImportError_ is raised)."""
    report = ImportReport()
    sheet = parsed.get(SHEET.name)
    if sheet is None:
        return report
    problems = Problems()
    refs = References(user=actor)
    refs.prefetch_enterprises(
        [r.values["enterprise"] for r in sheet.rows if "enterprise" in r.values]
    )
    schemes = {}
    for s in Scheme.objects.all():
        schemes[s.code.lower()] = s
        schemes[s.name] = s
    seen: dict[tuple, int] = {}
    for row in sheet.rows:
        v = row.values
        scheme = schemes.get(v["scheme"].lower()) or schemes.get(v["scheme"])
        if scheme is None:
            problems.at(sheet, row, "scheme", _("no scheme with code or name %s") % v["scheme"])
            continue
        enterprise = project = None
        if "enterprise" in v:
            try:
                enterprise = refs.enterprise(v["enterprise"])
            except CellError as exc:
                problems.at(sheet, row, "enterprise", str(exc))
                continue
        if "project" in v:
            try:
                project = refs.project(v["project"])
            except CellError as exc:
                problems.at(sheet, row, "project", str(exc))
                continue
        if enterprise is None and project is None:
            problems.at(sheet, row, "enterprise", _("name the enterprise or the project"))
            continue
        identity = (
            scheme.pk,
            enterprise.pk if enterprise else None,
            project.pk if project else None,
            v["year"],
        )
        if identity in seen:
            problems.at(
                sheet,
                row,
                "enterprise",
                _("the same application is also on row %d") % seen[identity],
            )
            continue
        seen[identity] = row.number
        state = v.get("state", AppState.DRAFT)
        if state not in IMPORTABLE:
            problems.at(
                sheet,
                row,
                "state",
                _(
                    "an import enters drafts and submitted applications; %s is decided in the "
                    "platform"
                )
                % STATE_NAMES[state][0],
            )
            continue
        _apply_row(
            actor,
            sheet,
            row,
            problems,
            report,
            scheme=scheme,
            enterprise=enterprise,
            project=project,
            state=state,
            is_demo=is_demo,
        )
    problems.raise_if_any()
    return report


def _apply_row(actor, sheet, row, problems, report, *, scheme, enterprise, project, state, is_demo):
    v = row.values
    try:
        current = services._duplicate(scheme, enterprise, project, v["year"])
        if current is None:
            app = services.create_application(
                actor,
                scheme=scheme,
                enterprise=enterprise,
                project=project,
                year=v["year"],
                requested=v["requested"],
                base_amount=v.get("base_amount"),
                note=v.get("note", ""),
                is_demo=is_demo,
            )
            report.created += 1
        elif current.state in EDITABLE:
            before = current.version
            fields = {"requested": v["requested"]}
            if "base_amount" in v:
                fields["base_amount"] = v["base_amount"]
            if "note" in v:
                fields["note"] = v["note"]
            app = services.update_application(actor, current, expected_version=None, **fields)
            if app.version != before:
                report.updated += 1
            elif state == AppState.DRAFT:
                report.unchanged += 1
        else:
            problems.at(sheet, row, "enterprise", services._duplicate_message(current))
            return
        if state == AppState.SUBMITTED:
            services.submit(actor, app, expected_version=None)
            if current is not None:
                report.updated += 1
    except services.IncentiveError as exc:
        column = {"requested": "requested", "base_amount": "base_amount", "year": "year"}.get(
            exc.field, "enterprise" if exc.field in {"enterprise", "project"} else ""
        )
        problems.at(sheet, row, column, exc.message)
    except PermissionDenied as exc:
        problems.at(sheet, row, "enterprise", str(exc) or _("you may not enter this application"))


REGISTER = base.add(ApplicationRegister())
