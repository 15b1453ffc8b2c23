from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ducha.demo.services import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the Tianjin plan and deterministic demo data (flagged as demo), and create one "
        "account per role. Running it again replaces the demo data and nothing else."
    )

    def handle(self, *args, **options):
        report = load_demo()
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
        self.stdout.write(
            _("Log in at http://127.0.0.1:8000/ with one of these accounts (password for all: %s):")
            % DEMO_PASSWORD
        )
        for username, role, unit in report.users:
            self.stdout.write(f"  {username:<12} {role:<10} {unit}")
