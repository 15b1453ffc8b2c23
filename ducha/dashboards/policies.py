"""Who may open which unit's scorecard: the office and leaders every unit's, a unit its own
(and, for a district, the functional zones inside it). Plan-wide dashboards follow the plan's
own policy; per-unit figures on them follow the value policies (ducha.datavalues.policies)."""

from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.dashboards.models import UnitScorecard


@register
class UnitScorecardPolicy(Policy):
    model = UnitScorecard

    def scope(self, user, action):
        if not user.is_authenticated or action != "view":
            return NOTHING
        if user.sees_everything:
            return EVERYTHING
        if not user.org_unit_id:
            return NOTHING
        return Q(pk=user.org_unit_id) | Q(parent_id=user.org_unit_id)
