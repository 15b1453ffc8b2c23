from ducha.core.policies import Policy, register
from ducha.registers.policies import register_scope
from ducha.talents.models import Talent, Team


@register
class TalentPolicy(Policy):
    model = Talent

    def scope(self, user, action):
        # "view_personal" (identity numbers, birth dates, contacts) is, like every action but
        # "view", the office's alone: register_scope's own rule, pinned for it by the talent
        # rows of registers/tests/test_policies.py.
        return register_scope(user, action)


@register
class TeamPolicy(Policy):
    model = Team

    def scope(self, user, action):
        return register_scope(user, action)
