from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.datavalues.importer import ImportError_, read_value_file
from ducha.datavalues.models import ValueSource, ValueStatus
from ducha.datavalues.services import WorkflowError, import_values
from ducha.plans.selectors import resolve_plan


class Command(DuchaCommand):
    help = gettext_lazy(
        "Import values from CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX. Every row is checked "
        "first; a file with any error imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the file of values (.xlsx or .csv)"))
        parser.add_argument("--plan", help=_("plan code (default: the default plan)"))
        parser.add_argument(
            "--status",
            choices=ValueStatus.values,
            default=ValueStatus.APPROVED,
            help=_("status of the imported values (default: approved, as the office imports)"),
        )

        parser.add_argument(
            "--source",
            choices=[k for k in ValueSource.values if k != ValueSource.COMPUTED],
            default=ValueSource.UNIT_REPORT,
            help=_("source of the rows whose 来源 column is empty (default: unit_report)"),
        )

    def handle(self, *args, file, plan=None, status, source, **options):
        plan_obj = resolve_plan(plan)
        path = Path(file)
        try:
            rows = read_value_file(plan_obj, path)
            report = import_values(
                None, rows, status=status, source_name=path.name, default_source=source
            )
        except ImportError_ as exc:
            lines = [f"{path.name}: {p}" for p in exc.problems]
            raise CommandError(_("nothing was imported:") + "\n" + "\n".join(lines)) from None
        except WorkflowError as exc:
            raise CommandError(_("nothing was imported:") + f"\n{path.name}: {exc}") from None
        self.stdout.write(
            _("%(file)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged values")
            % {
                "file": path.name,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
