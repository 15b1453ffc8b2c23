"""Who may do what with awards and subsidies.

- The office sees and does everything: it approves, records payments and keeps the schemes
  and budgets (in the admin).
- Leaders read everything and write nothing.
- A municipal department sees the applications of the schemes it manages and reviews them
  (submitted → reviewed, returned or rejected).
- A district (reporter or head) sees the applications of applicants in its district, and
  enters and submits them on the enterprise's behalf: enterprises hand their papers to the
  district, which collects them for the managing unit. A functional zone does the same for
  enterprises in its parks.
- Schemes and budgets are no secret to anyone signed in; the public sees nothing.
"""

from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING, Policy, reference_scope, register
from ducha.incentives.models import Application, Budget, Payment, Scheme

DISTRICT_ACTIONS = {"view", "add", "change", "submit", "withdraw"}


def application_scope(user, action: str, prefix: str = "") -> Q:
    if not user.is_authenticated:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    if user.is_leader:
        return EVERYTHING if action == "view" else NOTHING
    unit = user.org_unit
    if unit is None:
        return NOTHING
    if unit.kind == "department":
        if action in {"view", "review"}:
            return Q(**{f"{prefix}scheme__managing_unit": unit.pk})
        return NOTHING
    if action not in DISTRICT_ACTIONS:
        return NOTHING
    if unit.kind == "district":
        return Q(**{f"{prefix}district": unit.pk})
    if unit.kind == "zone":
        return Q(**{f"{prefix}enterprise__park__zone": unit.pk})
    return NOTHING


@register
class ApplicationPolicy(Policy):
    model = Application

    def scope(self, user, action):
        return application_scope(user, action)


@register
class PaymentPolicy(Policy):
    model = Payment

    def scope(self, user, action):
        if action != "view":
            return EVERYTHING if user.is_authenticated and user.is_office else NOTHING
        return application_scope(user, "view", prefix="application__")


@register
class SchemePolicy(Policy):
    model = Scheme

    def scope(self, user, action):
        return reference_scope(user, action)


@register
class BudgetPolicy(Policy):
    model = Budget

    def scope(self, user, action):
        return reference_scope(user, action)
