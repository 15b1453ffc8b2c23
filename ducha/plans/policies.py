"""Who may see and change plans. Plan structure is not secret inside the platform: every
signed-in user reads active plans; only the office loads, edits and activates them."""

from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.plans.models import Indicator, Milestone, Plan, PlanNode, PlanState


def _plan_scope(user, action, prefix=""):
    if not user.is_authenticated:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    if action == "view":
        if user.is_leader:
            return ~Q(**{f"{prefix}state": PlanState.DRAFT})
        return Q(**{f"{prefix}state": PlanState.ACTIVE})
    return NOTHING


@register
class PlanPolicy(Policy):
    model = Plan

    def scope(self, user, action):
        return _plan_scope(user, action)


@register
class PlanNodePolicy(Policy):
    model = PlanNode

    def scope(self, user, action):
        return _plan_scope(user, action, "plan__")


@register
class IndicatorPolicy(Policy):
    model = Indicator

    def scope(self, user, action):
        return _plan_scope(user, action, "plan__")


@register
class MilestonePolicy(Policy):
    model = Milestone

    def scope(self, user, action):
        return _plan_scope(user, action, "plan__")
