from ducha.audit.models import AuditEntry
from ducha.core.policies import EVERYTHING, NOTHING, Policy, register


@register
class AuditEntryPolicy(Policy):
    model = AuditEntry

    def scope(self, user, action):
        # The log is read-only for everyone; the office and leaders read it.
        if action == "view" and user.is_authenticated and user.sees_everything:
            return EVERYTHING
        return NOTHING
