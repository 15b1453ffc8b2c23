import os
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.demo.services import DEMO_PASSWORD, load_demo


class Command(DuchaCommand):
    help = gettext_lazy(
        "Load the Tianjin plan and deterministic demo data (flagged as demo), and create one "
        "account per role. Running it again replaces the demo data and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-cascade",
            action="store_true",
            help="also load the 滨海新区 2019–2021 plan with its reviewed links to the city plan",
        )

    def handle(self, *args, with_cascade=False, **options):
        report = load_demo(with_cascade=with_cascade)
        self.stdout.write(
            _(
                "Demo loaded: %(plan)s, %(values)d values (%(approvals)d approved), "
                "%(reports)d milestone reports."
            )
            % {
                "plan": report.plan.title,
                "values": report.values,
                "approvals": report.approvals,
                "reports": report.milestone_reports,
            }
        )
        if report.cascade is not None:
            self.stdout.write(
                _("Also loaded: %(plan)s, linked to the city plan.") % {"plan": report.cascade}
            )
        if report.registers is not None:
            r = report.registers
            self.stdout.write(
                _(
                    "Registers: %(enterprises)d enterprises, %(projects)d projects, "
                    "%(platforms)d platforms, %(technologies)d key technologies, %(talents)d "
                    "talents in %(teams)d teams; %(computed)d computed values."
                )
                % {
                    "enterprises": r.enterprises,
                    "projects": r.projects,
                    "platforms": r.platforms,
                    "technologies": r.technologies,
                    "talents": r.talents,
                    "teams": r.teams,
                    "computed": r.computed_values,
                }
            )
        self.stdout.write("")
        bind = os.environ.get("DUCHA_BIND", "127.0.0.1:8000")
        self.stdout.write(
            _("Log in at http://%(bind)s/ with one of these accounts (password for all: %(pw)s):")
            % {"bind": bind, "pw": DEMO_PASSWORD}
        )
        self.stdout.write("  " + _pad(_("login"), 14) + _pad(_("role"), 22) + _("org unit"))
        for username, role, unit in report.users:
            self.stdout.write("  " + _pad(username, 14) + _pad(role, 22) + unit)


def _pad(text: str, width: int) -> str:
    """Pad to a width in terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 1)
