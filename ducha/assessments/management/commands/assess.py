import csv
import datetime as dt
import json
from collections import Counter

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ducha.assessments.labels import STATUS_ORDER, rollup_explanation, status_label
from ducha.assessments.serializers import (
    assessment_document,
    indicator_row,
    milestone_row,
    node_row,
)
from ducha.assessments.services import assess_plan, choose_as_of
from ducha.core.cells import safe_cell
from ducha.core.commands import DuchaCommand
from ducha.engine.textwidth import fit, table, width
from ducha.engine.units import format_quantity
from ducha.plans.selectors import resolve_plan

CSV_FIELDS = [
    "type",
    "code",
    "name",
    "unit",
    "lead_unit",
    "baseline",
    "target_min",
    "target_max",
    "deadline",
    "value",
    "period",
    "expected",
    "ratio",
    "status",
    "status_label",
    "forecast",
    "forecast_meets",
    "final",
    "final_value",
    "gap",
    "explanation",
]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("--as-of must be a date like 2019-12-31, not %s") % text) from None


class Command(DuchaCommand):
    help = gettext_lazy("Assess every indicator, milestone and plan node as of a date.")

    # Read-only and often scripted: Django's system checks would add a second to every run.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--plan", help=_("plan code (default: the default plan)"))
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help=_(
                "date YYYY-MM-DD (default: today while the plan runs; once it has ended, a "
                "quarter after its end, or the day of the last approval if later)"
            ),
        )
        parser.add_argument(
            "--format",
            choices=["table", "json", "csv"],
            default="table",
            help=_("output: table to read, json or csv (default table)"),
        )

    def handle(self, *args, plan=None, as_of=None, format="table", **options):
        plan_obj = resolve_plan(plan)
        rule = choose_as_of(plan_obj, _date(as_of) if as_of else None)
        result = assess_plan(plan_obj, rule.date)
        indicators = [indicator_row(r) for r in result.indicators]
        milestones = [milestone_row(r) for r in result.milestones]
        nodes = [node_row(r, depth) for r, depth in result.walk()]
        if format == "json":
            doc = assessment_document(plan_obj, rule, result)
            self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1))
        elif format == "csv":
            writer = csv.DictWriter(self.stdout, CSV_FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(
                {k: safe_cell(v) for k, v in row.items()} for row in indicators + milestones + nodes
            )
        else:
            self._table(plan_obj, result, rule, indicators, milestones)

    def _table(self, plan, result, rule, indicators, milestones):
        """Two tables aligned by display width (indicators; milestones, whose assessed status
        and reported progress have a column each), the item count, then the plan's nodes."""
        state = plan.state_label(result.as_of)
        self.stdout.write(
            _("%(title)s (as of %(date)s: %(why)s)")
            % {"title": f"{plan.title}（{state}）", "date": result.as_of, "why": rule.label}
        )
        indicator_columns = [
            (_("code"), "code"),
            (_("indicator"), "name"),
            (_("unit"), "unit"),
            (_("target"), "target_min"),
            (_("value"), "value"),
            (_("period"), "period"),
            ("R", "ratio"),
            (_("forecast"), "forecast"),
            (_("gap"), "gap"),
            (_("status"), "status_label"),
        ]
        milestone_columns = [
            (_("code"), "code"),
            (pgettext("assess table", "milestone"), "name"),
            (pgettext("assess table", "deadline"), "deadline"),
            (_("reported for"), "period"),
            (_("status"), "status_label"),
            (_("milestone progress"), "progress_label"),
        ]
        for title, columns, rows in (
            (pgettext("assess table", "Indicators"), indicator_columns, indicators),
            (pgettext("assess table", "Milestones"), milestone_columns, milestones),
        ):
            if not rows:
                continue
            self.stdout.write("")
            self.stdout.write(_("%(title)s (%(n)d)") % {"title": title, "n": len(rows)})
            lines = table(
                [[str(heading) for heading, _key in columns]]
                + [[_cell(row, key) for _heading, key in columns] for row in rows]
            )
            for line in lines:
                self.stdout.write(line)
        counts = Counter(str(r.status) for r in [*result.indicators, *result.milestones])
        summary = pgettext("list separator", ", ").join(
            f"{status_label(s)} {counts[s]}" for s in STATUS_ORDER if counts.get(str(s))
        )
        self.stdout.write("")
        self.stdout.write(
            _("overall: %(status)s (%(counts)s)")
            % {"status": status_label(result.overall.status), "counts": summary}
        )
        self.stdout.write("")
        for node, depth in result.walk():
            if node.rollup.counts:
                self.stdout.write(
                    "  " * depth
                    + _("%(node)s: %(status)s — %(why)s")
                    % {
                        "node": f"{node.node.label}{node.node.title}",
                        "status": status_label(node.status),
                        "why": rollup_explanation(node),
                    }
                )


NAME_COLUMNS = 30  # an indicator's or milestone's name is cut beyond this; nothing else is


def _cell(row: dict, key: str) -> str:
    value = row.get(key)
    if key == "gap" and isinstance(value, float) and value <= 0:
        value = None  # reached: no gap
    if isinstance(value, float):
        value = f"{value:.2f}" if key == "ratio" else format_quantity(value, row.get("unit"))
    text = "" if value is None else str(value)
    if key == "name" and width(text) > NAME_COLUMNS:
        text = fit(text, NAME_COLUMNS)
    return text
