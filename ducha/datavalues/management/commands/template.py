from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.datavalues.workbook import build_csv, build_xlsx
from ducha.plans.selectors import resolve_plan


class Command(DuchaCommand):
    help = gettext_lazy(
        "Write a fill-in template: `ducha template values [--plan CODE] [-o FILE]`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=["values", *_register_kinds()], help=_("what the template is for")
        )
        parser.add_argument("--plan", help=_("plan code (default: the default plan)"))
        parser.add_argument("-o", "--output", help=_("file to write (.xlsx or .csv)"))

    def handle(self, *args, kind, plan=None, output=None, **options):
        if kind != "values":
            return _register_template(self, kind, output)
        plan_obj = resolve_plan(plan)
        output = output or f"{plan_obj.code}-values-template.xlsx"
        path = Path(output)
        if path.suffix.lower() not in {".xlsx", ".csv"}:
            raise CommandError(_("the output file must end in .xlsx or .csv"))
        data = build_csv(plan_obj) if path.suffix.lower() == ".csv" else build_xlsx(plan_obj)
        path.write_bytes(data)
        self.stdout.write(_("template written to %s") % path)


def _register_kinds() -> list[str]:
    """The registers (ducha.registers) have templates too: `ducha template enterprises`."""
    from ducha.registers.base import CATALOGUE

    return sorted(CATALOGUE)


def _register_template(command, kind: str, output: str | None) -> None:
    from ducha.registers.base import get
    from ducha.registers.workbook import build_template

    path = Path(output or f"{kind}-template.xlsx")
    if path.suffix.lower() != ".xlsx":
        raise CommandError(_("a register template is an .xlsx workbook"))
    path.write_bytes(build_template(get(kind)))
    command.stdout.write(_("template written to %s") % path)
