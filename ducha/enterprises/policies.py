from ducha.core.policies import Policy, register
from ducha.enterprises.models import Enterprise
from ducha.registers.policies import register_scope


@register
class EnterprisePolicy(Policy):
    model = Enterprise

    def scope(self, user, action):
        return register_scope(user, action, "district", zone="park__zone")
