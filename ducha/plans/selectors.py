"""Finding plans the way commands and pages name them."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ducha.plans.models import Plan, PlanState


def resolve_plan(code: str | None) -> Plan:
    """The plan with this code; without a code, the default plan or the only active one."""
    if code:
        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("code", flat=True)) or "-"
            raise CommandError(
                _("no plan %(code)s (known: %(known)s)") % {"code": code, "known": known}
            )
        return plan
    plan = Plan.objects.filter(code=settings.DUCHA_DEFAULT_PLAN).first()
    if plan is None:
        active = list(Plan.objects.filter(state=PlanState.ACTIVE)[:2])
        if len(active) != 1:
            raise CommandError(_("say which plan with --plan"))
        plan = active[0]
    return plan


def plan_for_page(user, code: str | None) -> Plan:
    """The plan a page asks for (?plan=CODE) among those `user` may see, else the default plan
    or the first; PermissionDenied when the user sees none."""
    from django.core.exceptions import PermissionDenied

    plans = Plan.objects.for_user(user, "view")
    plan = plans.filter(code=code or settings.DUCHA_DEFAULT_PLAN).first() or plans.first()
    if plan is None:
        raise PermissionDenied
    return plan
