"""Who may do what with rounds and assignments.

- the office: everything;
- a leader: reads everything, writes nothing;
- a unit reporter: its own unit's assignments (view, change, submit, withdraw a submission),
  and every round (a reporter or unit head without a unit yet sees no round: it has nothing
  to report);
- a unit head: the same, plus the first review of its unit's submissions (`unit_review`);
- anyone else (the public, a user with no role): nothing.
Which *state* an assignment must be in for each step is the workflow's business (services).
"""

from django.db.models import Q

from ducha.accounts.models import Role
from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.reporting.models import Assignment, Evidence, ReportingEffort, Round, Transition

UNIT_ACTIONS = {
    Role.REPORTER: {"view", "change", "submit", "withdraw"},
    Role.UNIT_HEAD: {"view", "change", "submit", "withdraw", "unit_review"},
}


def assignment_scope(user, action: str, prefix: str = "") -> Q:
    if not user.is_authenticated:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    if user.is_leader:
        return EVERYTHING if action == "view" else NOTHING
    if user.org_unit_id and action in UNIT_ACTIONS.get(user.role, ()):
        return Q(**{f"{prefix}org_unit": user.org_unit_id})
    return NOTHING


@register
class RoundPolicy(Policy):
    model = Round

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if user.is_office:
            return EVERYTHING
        if action == "view" and (
            user.is_leader or (user.role in UNIT_ACTIONS and user.org_unit_id)
        ):
            return EVERYTHING  # a round's existence and deadline are no secret to its units
        return NOTHING


@register
class AssignmentPolicy(Policy):
    model = Assignment

    def scope(self, user, action):
        return assignment_scope(user, action)


@register
class TransitionPolicy(Policy):
    model = Transition

    def scope(self, user, action):
        if action != "view":
            return NOTHING
        return assignment_scope(user, "view", "assignment__")


@register
class EvidencePolicy(Policy):
    model = Evidence

    def scope(self, user, action):
        # Adding or removing evidence is changing the assignment.
        return assignment_scope(user, "view" if action == "view" else "change", "assignment__")


@register
class ReportingEffortPolicy(Policy):
    """The reporting burden: the office and leaders read every unit's, a unit its own; only the
    services write it (when the unit opens and fills in its assignments)."""

    model = ReportingEffort

    def scope(self, user, action):
        if action != "view":
            return NOTHING
        return assignment_scope(user, "view", "assignment__")
