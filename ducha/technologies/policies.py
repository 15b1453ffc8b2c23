from ducha.core.policies import Policy, register
from ducha.registers.policies import register_scope
from ducha.technologies.models import KeyTechnology


@register
class KeyTechnologyPolicy(Policy):
    model = KeyTechnology

    def scope(self, user, action):
        return register_scope(user, action)
