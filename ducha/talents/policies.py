from ducha.core.policies import Policy, register
from ducha.registers.policies import personal_scope, register_scope
from ducha.talents.models import Talent, Team


@register
class TalentPolicy(Policy):
    model = Talent

    def scope(self, user, action):
        if action == "view_personal":
            return personal_scope(user)
        return register_scope(user, action)


@register
class TeamPolicy(Policy):
    model = Team

    def scope(self, user, action):
        return register_scope(user, action)
