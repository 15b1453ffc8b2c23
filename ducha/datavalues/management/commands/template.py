from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ducha.datavalues.workbook import build_csv, build_xlsx
from ducha.plans.selectors import resolve_plan


class Command(BaseCommand):
    help = "Write a fill-in template: `ducha template values [--plan CODE] [-o FILE]`."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["values"], help="what the template is for")
        parser.add_argument("--plan", help="plan code (default: the default plan)")
        parser.add_argument("-o", "--output", help="file to write (.xlsx or .csv)")

    def handle(self, *args, kind, plan=None, output=None, **options):
        plan_obj = resolve_plan(plan)
        output = output or f"{plan_obj.code}-values-template.xlsx"
        path = Path(output)
        if path.suffix.lower() not in {".xlsx", ".csv"}:
            raise CommandError(_("the output file must end in .xlsx or .csv"))
        data = build_csv(plan_obj) if path.suffix.lower() == ".csv" else build_xlsx(plan_obj)
        path.write_bytes(data)
        self.stdout.write(_("template written to %s") % path)
