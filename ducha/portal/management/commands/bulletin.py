"""`ducha bulletin`: draft a round's 通报 from the data and write it as Word, PDF or text."""

import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.commands import DuchaCommand
from ducha.engine.periods import PeriodError, parse_period
from ducha.plans.selectors import resolve_plan
from ducha.portal import export, selectors, services
from ducha.portal.models import Bulletin
from ducha.reporting.models import Round


class Command(DuchaCommand):
    help = gettext_lazy(
        "Draft the bulletin (通报) of a reporting round from the data; write docx, pdf or txt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--round",
            dest="period",
            help=_(
                "the round's period, e.g. 2019Q3 (default: the latest round closed or past "
                "its deadline)"
            ),
        )
        parser.add_argument("--plan", help=_("plan code (default: the default plan)"))
        parser.add_argument("--as-of", dest="as_of", help=_("assess as of YYYY-MM-DD"))
        parser.add_argument("--format", default="txt", help=_("docx, pdf or txt (default: txt)"))
        parser.add_argument(
            "-o", "--output", help=_("file to write (txt: standard output without it)")
        )
        parser.add_argument(
            "--save", action="store_true", help=_("also keep it as a draft bulletin on the web")
        )

    def handle(
        self,
        *args,
        period=None,
        plan=None,
        as_of=None,
        format="txt",
        output=None,
        save=False,
        **options,
    ):
        if format not in export.FORMATS:
            raise CommandError(
                _("--format: %(got)s is not one of %(known)s")
                % {"got": format, "known": ", ".join(export.FORMATS)}
            )
        try:
            plan_obj = resolve_plan(plan)
        except CommandError as exc:
            raise CommandError(f"--plan: {exc}") from None
        rnd = self._round(plan_obj, period)
        day = None
        if as_of:
            try:
                day = dt.date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(
                    _("--as-of must be a date like 2019-12-31, not %s") % as_of
                ) from None
        try:
            if save:
                bulletin = services.draft_bulletin(None, rnd, as_of=day)
            else:
                draft, facts = services.compose_draft(rnd, day)
                bulletin = Bulletin(
                    title=draft.title, body=draft.body, tables=draft.tables, issuer=facts.issuer
                )
        except services.PortalError as exc:
            raise CommandError(f"--as-of: {exc}") from None
        try:
            data = export.render(bulletin, format)
        except export.ExportError as exc:
            raise CommandError(str(exc)) from None
        if output is None and format == "txt":
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        path = Path(output) if output else Path(export.filename(bulletin, format))
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"-o: {exc}") from None
        self.stderr.write(_("Wrote %(path)s (%(title)s)") % {"path": path, "title": bulletin})

    def _round(self, plan, period) -> Round:
        if not period:
            rnd = selectors.default_round(plan)
            if rnd is None:
                raise CommandError(_("--round: %s has no reporting round yet") % plan.code)
            return rnd
        try:
            code = parse_period(period).code
        except PeriodError:
            raise CommandError(
                _("--round: %s is not a period (e.g. 2019Q3, 2019-07, 2019)") % period
            ) from None
        rnd = Round.objects.filter(plan=plan, period=code).select_related("plan").first()
        if rnd is None:
            known = ", ".join(Round.objects.filter(plan=plan).values_list("period", flat=True))
            raise CommandError(
                _("--round: %(plan)s has no round for %(period)s (rounds: %(known)s)")
                % {"plan": plan.code, "period": code, "known": known or "-"}
            )
        return rnd
