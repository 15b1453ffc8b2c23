import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.alignment.selectors import COVERAGE_LABELS, coverage_data
from ducha.core.commands import DuchaCommand
from ducha.core.templatetags.ducha import year
from ducha.engine.textwidth import table
from ducha.engine.units import format_quantity
from ducha.plans.selectors import resolve_plan


class Command(DuchaCommand):
    help = gettext_lazy(
        "Coverage of a plan's targets by the targets of other plans: what contributes to "
        "each, their sum against it, deadlines after its own, and targets covered by nothing."
    )

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--plan", help=_("plan code (default: the default plan)"))
        parser.add_argument(
            "--format",
            choices=["table", "json"],
            default="table",
            help=_("output: table to read, or json (default table)"),
        )

    def handle(self, *args, plan=None, format="table", **options):
        data = coverage_data(resolve_plan(plan))
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows = [[_("code"), _("target"), _("contributing"), _("sum"), _("coverage"), _("status")]]
        for t in data["targets"]:
            unit, total, share = t["unit"], t["contributing_total"], t["coverage_percent"]
            parts = [
                f"{c['plan']}/{c['indicator']} {format_quantity(c['target_min'], c['unit'])}"
                f"{c['unit']} {year(c['deadline_year'])}"
                + (_("(due after the target's deadline)") if c.get("late") else "")
                for c in t["contributors"]
            ] + [f"={c['plan']}/{c['indicator']}" for c in t["same_measure"]]
            rows.append(
                [
                    t["indicator"],
                    f"{t['name']} {format_quantity(t['target_min'], unit)}{unit} "
                    f"{year(t['deadline_year'])}",
                    "; ".join(parts) or "–",
                    format_quantity(total, unit) if total is not None else "–",
                    f"{share:g}%" if share is not None else "–",
                    str(COVERAGE_LABELS[t["status"]]),
                ]
            )
        for line in table(rows):
            self.stdout.write(line)
        s = data["summary"]
        self.stdout.write(
            _(
                "%(covered)d covered in full, %(short)d short, %(linked)d linked but not "
                "additive, %(uncovered)d covered by nothing; %(late)d with contributions due "
                "after their deadline"
            )
            % s
        )
