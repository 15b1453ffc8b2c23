from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.core.tables import ImportError_
from ducha.figures.services import DEFAULT_FILE, DEFAULT_RELATIONS, load_files
from ducha.plans.selectors import resolve_plan


class Command(DuchaCommand):
    help = gettext_lazy(
        "Load figures officials published (who said it, when, the source link, the original "
        "wording and the 口径 note) as context beside the plan's indicators, with their "
        "relations to indicators. All or nothing; loading again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help=_("figures CSV or XLSX (default: %(file)s)") % {"file": DEFAULT_FILE.name},
        )
        parser.add_argument(
            "--relations",
            help=_(
                "figure → indicator relations (default: the shipped file, with the default "
                "figures file only)"
            ),
        )
        parser.add_argument("--plan", help=_("plan code of the indicators (default plan)"))

    def handle(self, *args, file=None, relations=None, plan=None, **options):
        plan_obj = resolve_plan(plan)
        path = Path(file) if file else DEFAULT_FILE
        links = Path(relations) if relations else (DEFAULT_RELATIONS if not file else None)
        try:
            report = load_files(None, path, plan_obj, links)
        except ImportError_ as exc:
            name = getattr(exc, "file", path.name)
            lines = [f"{name}: {p}" for p in exc.problems]
            raise CommandError(_("nothing was loaded:") + "\n" + "\n".join(lines)) from None
        self.stdout.write(
            _(
                "%(file)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged "
                "figures; %(links)d relations to indicators saved"
            )
            % {
                "file": path.name,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "links": report.links,
            }
        )
