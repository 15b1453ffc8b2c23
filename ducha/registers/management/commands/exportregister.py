from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.registers import base
from ducha.registers.workbook import export_csv, export_xlsx


class Command(DuchaCommand):
    help = gettext_lazy(
        "Export a register to XLSX or CSV: `ducha exportregister talents -o talents.xlsx`. "
        "Personal data (talents) is left out unless --personal is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "register", choices=sorted(base.CATALOGUE), help=_("which register to export")
        )
        parser.add_argument(
            "-o", "--output", required=True, help=_("file to write (.xlsx or .csv)")
        )
        parser.add_argument(
            "--personal", action="store_true", help=_("include personal data (ID numbers …)")
        )

    def handle(self, *args, register, output, personal=False, **options):
        reg = base.get(register)
        path = Path(output)
        if path.suffix.lower() not in {".xlsx", ".csv"}:
            raise CommandError(_("the output file must end in .xlsx or .csv"))
        qs = reg.model.objects.order_by(*reg.ordering)
        write = export_csv if path.suffix.lower() == ".csv" else export_xlsx
        path.write_bytes(write(reg, qs, personal=personal))
        self.stdout.write(_("%(n)d records written to %(file)s") % {"n": qs.count(), "file": path})
