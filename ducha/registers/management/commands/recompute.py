from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.plans.selectors import resolve_plan
from ducha.registers.services import recompute


class Command(DuchaCommand):
    help = gettext_lazy(
        "Recompute the indicators counted from registers (source: computed) and store the "
        "values that changed as approved values."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help=_("plan code (default: every plan not archived)"))

    def handle(self, *args, plan=None, **options):
        report = recompute(None, resolve_plan(plan) if plan else None)
        for error in report.errors:
            self.stderr.write(error)
        self.stdout.write(
            _("%(indicators)d computed indicators, %(values)d values, %(changed)d changed")
            % {"indicators": report.indicators, "values": report.values, "changed": report.changed}
        )
