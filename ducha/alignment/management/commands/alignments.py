import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.alignment.selectors import file_links
from ducha.alignment.services import propose_again
from ducha.core.commands import DuchaCommand
from ducha.plans.selectors import resolve_plan


class Command(DuchaCommand):
    help = gettext_lazy(
        "A plan's links to the targets of other plans, as the alignments section of its "
        "plan file (paste it there to keep them); --propose suggests links again first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help=_("plan code (default: the default plan)"))
        parser.add_argument(
            "--propose",
            action="store_true",
            help=_("suggest links afresh (undecided ones are replaced), then print"),
        )

    def handle(self, *args, plan=None, propose=False, **options):
        plan_obj = resolve_plan(plan)
        if propose:
            created = propose_again(plan_obj)
            message = _("%d links suggested; review them on the links page.") % len(created)
            self.stderr.write(message)
        links = file_links(plan_obj)
        self.stdout.write(
            yaml.safe_dump({"alignments": links}, allow_unicode=True, sort_keys=False).rstrip()
        )
