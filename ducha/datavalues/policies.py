"""Who sees and writes values: the office everything, leaders read everything, a unit its
own values and those of the indicators it leads (a lead unit answers for the whole city)."""

from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.datavalues.models import ApprovedValue, DataValue, MilestoneReport


def _unit_scope(user, action, unit_field, lead_field):
    if not user.is_authenticated:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    if action == "view" and user.is_leader:
        return EVERYTHING
    if not user.org_unit_id:
        return NOTHING
    own = Q(**{unit_field: user.org_unit_id})
    if action == "view":
        return own | Q(**{lead_field: user.org_unit_id})
    if action in {"add", "change", "submit"} and user.role in {"reporter", "unit_head"}:
        return own
    return NOTHING


@register
class DataValuePolicy(Policy):
    model = DataValue

    def scope(self, user, action):
        return _unit_scope(user, action, "org_unit", "indicator__lead_unit")


@register
class ApprovedValuePolicy(Policy):
    model = ApprovedValue

    def scope(self, user, action):
        if action != "view":
            return NOTHING
        return _unit_scope(user, action, "org_unit", "indicator__lead_unit")


@register
class MilestoneReportPolicy(Policy):
    model = MilestoneReport

    def scope(self, user, action):
        return _unit_scope(user, action, "org_unit", "milestone__lead_unit")
