from django.db.models import Q

from ducha.audit.models import AuditEntry
from ducha.core.policies import EVERYTHING, NOTHING, Policy, register

SECURITY = Q(action__startswith="security.")


@register
class AuditEntryPolicy(Policy):
    model = AuditEntry

    def scope(self, user, action):
        # The log is read-only for everyone; the office and leaders read it. Security events
        # (refused sign-ins, lockouts, refused writes: addresses and account names) are the
        # office's alone, on their own page ("security").
        if not user.is_authenticated:
            return NOTHING
        if action == "view" and user.is_office:
            return EVERYTHING
        if action == "view" and user.sees_everything:
            return ~SECURITY
        if action == "security" and user.is_office:
            return SECURITY
        return NOTHING
