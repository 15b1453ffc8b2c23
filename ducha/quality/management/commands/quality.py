import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.engine.textwidth import table
from ducha.plans.selectors import resolve_plan
from ducha.quality import selectors
from ducha.reporting.models import Round


def _pct(x) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"


class Command(DuchaCommand):
    help = gettext_lazy(
        "The data-quality report of a plan: completeness, timeliness, outliers and rule "
        "violations by round and by unit (what the quality page shows)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--plan", help=_("plan code (default: the default plan)"))
        parser.add_argument(
            "--round", help=_("one reporting round, by its period (2020Q3) or title (default: all)")
        )
        parser.add_argument(
            "--format",
            choices=["json", "table"],
            default="table",
            help=_("output: table to read or json (default table)"),
        )

    def handle(self, *args, plan=None, round=None, format="table", **options):
        plan_obj = resolve_plan(plan)
        rnd = None
        if round:
            rnd = (
                Round.objects.filter(plan=plan_obj, period=round.strip().upper()).first()
                or Round.objects.filter(plan=plan_obj, title=round.strip()).first()
            )
            if rnd is None:
                periods = Round.objects.filter(plan=plan_obj).values_list("period", flat=True)
                known = "、".join(periods)
                raise CommandError(
                    _("no reporting round %(round)s in %(plan)s (known: %(known)s)")
                    % {"round": round, "plan": plan_obj.code, "known": known or "–"}
                )
        report = selectors.report(plan_obj, rnd=rnd)
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(str(plan_obj))
        self.stdout.write("")
        rows = [
            [
                _("Reporting round"),
                _("Expected"),
                _("Completeness"),
                _("Timeliness"),
                _("Outliers"),
                _("Rule violations"),
            ]
        ] + [
            [
                row.key.title,
                str(row.tally.expected),
                _pct(row.completeness),
                _pct(row.timeliness),
                str(row.outliers),
                str(row.violations),
            ]
            for row in report.by_round
        ]
        for line in table(rows):  # aligned by display width (a CJK character takes two)
            self.stdout.write(line)
        sections = ((_("Outliers"), report.outliers), (_("Rule violations"), report.violations))
        for title, items in sections:
            count = _("%(what)s: %(count)d") % {"what": title, "count": len(items)}
            self.stdout.write("\n" + count)
            for item in items:
                unit = item.unit.label if item.unit else "–"
                where = f"{item.round.title} · {unit} · {item.indicator.name}"
                self.stdout.write(
                    "- "
                    + _("%(where)s: %(kind)s: %(message)s")
                    % {"where": where, "kind": item.kind_label, "message": item.message}
                )
