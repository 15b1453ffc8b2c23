from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.core.filespec import FileSpecError
from ducha.plans.models import PlanState
from ducha.plans.services import load_plan_file


class Command(DuchaCommand):
    help = gettext_lazy(
        "Create or update a plan from a ducha-plan/1 YAML file: validated first, written in one "
        "transaction, idempotent, keeping every value already reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the plan file (ducha-plan/1 YAML)"))
        parser.add_argument(
            "--state",
            choices=PlanState.values,
            help=_("set the plan's state (default: the file's for a new plan, else unchanged)"),
        )

    def handle(self, *args, file, state=None, **options):
        try:
            report = load_plan_file(file, state=state)
        except FileSpecError as exc:
            raise CommandError(_("nothing was loaded:") + f"\n{exc}") from None
        plan = report.plan

        names = {
            "plan": _("plan"),
            "nodes": _("nodes"),
            "indicators": _("indicators"),
            "indicators.support": _("supporting units of indicators"),
            "milestones": _("milestones"),
            "milestones.support": _("supporting units of milestones"),
            "alignments": _("links to other plans"),
            "alignments.proposed": _("suggested links to other plans"),
        }

        def fmt(counts):
            return "、".join(f"{names.get(what, what)} {n}" for what, n in counts.items()) or "–"

        self.stdout.write(
            _("%(code)s (%(state)s): %(title)s")
            % {"code": plan.code, "state": plan.get_state_display(), "title": plan.title}
        )
        if not report.changed:
            self.stdout.write(_("unchanged: the plan already matches the file"))
        else:
            self.stdout.write(_("created: %s") % fmt(report.created))
            self.stdout.write(_("updated: %s") % fmt(report.updated))
            self.stdout.write(_("deleted: %s") % fmt(report.deleted))
