from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ducha.core.commands import DuchaCommand
from ducha.registers.checks import run_checks


class Command(DuchaCommand):
    help = gettext_lazy(
        "Check the registers: enterprises in parks not designated for their industries, likely "
        "duplicates, districts that differ from the credit code, district sums against the "
        "city total. Exits with status 1 when something is found."
    )

    def handle(self, *args, **options):
        r = run_checks()
        out = self.stdout.write
        out(
            _("Enterprises in a park not designated for their industries: %d")
            % r.park_mismatch_count
        )
        for e, park, industries in r.park_mismatches:
            out(
                "  "
                + _("%(enterprise)s: %(park)s (%(designation)s) ≠ %(industries)s")
                % {
                    "enterprise": f"{e.credit_code} {e.name}",
                    "park": park.name,
                    "designation": park.designation,
                    "industries": "、".join(industries),
                }
            )
        out(_("Credit codes sharing one organisation code: %d") % len(r.same_organisation))
        for org, members in r.same_organisation:
            names = pgettext("list separator", "; ").join(
                f"{e.credit_code} {e.name}" for e in members
            )
            out("  " + _("%(code)s: %(enterprises)s") % {"code": org, "enterprises": names})
        out(_("Near-identical names: %d") % len(r.similar_names))
        for a, b, score in r.similar_names:
            out(
                f"  {score:.0f}  "
                + _("%(name)s (%(code)s) ~ %(other)s (%(other_code)s)")
                % {
                    "name": a.name,
                    "code": a.credit_code,
                    "other": b.name,
                    "other_code": b.credit_code,
                }
            )
        out(_("District differs from the credit code's: %d") % r.district_vs_code_count)
        for e, district in r.district_vs_code:
            out(
                "  "
                + _("%(enterprise)s: %(district)s ≠ %(by_code)s")
                % {
                    "enterprise": f"{e.credit_code} {e.name}",
                    "district": e.district,
                    "by_code": district,
                }
            )
        out(_("District sums that differ from the city total: %d") % len(r.sums))
        for ind, period, city, total, n in r.sums:
            out(
                "  "
                + _("%(indicator)s %(period)s: city %(city)s ≠ %(n)s districts %(total)s")
                % {"indicator": ind.code, "period": period, "city": city, "total": total, "n": n}
            )
        if r.total:
            raise SystemExit(1)
