"""督办 permissions: the office runs it; leaders read it; a unit sees and answers its own cases
and the reminders sent about its assignments."""

from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.reporting.policies import UNIT_ACTIONS, assignment_scope
from ducha.supervision.models import Case, CaseEvent, Reminder


def case_scope(user, action, prefix=""):
    if not user.is_authenticated:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    if user.is_leader:
        return EVERYTHING if action == "view" else NOTHING
    # A unit handles its own cases ("respond"); creating, checking, withdrawing is the office's.
    if user.org_unit_id and user.role in UNIT_ACTIONS and action in {"view", "respond"}:
        return Q(**{f"{prefix}org_unit": user.org_unit_id})
    return NOTHING


@register
class CasePolicy(Policy):
    model = Case

    def scope(self, user, action):
        return case_scope(user, action)


@register
class CaseEventPolicy(Policy):
    model = CaseEvent

    def scope(self, user, action):
        return case_scope(user, "view", "case__") if action == "view" else NOTHING


@register
class ReminderPolicy(Policy):
    model = Reminder

    def scope(self, user, action):
        return assignment_scope(user, "view", "assignment__") if action == "view" else NOTHING
