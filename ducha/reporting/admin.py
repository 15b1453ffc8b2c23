"""Read-only admin views: every change goes through the services (and so the audit log)."""

from django.contrib import admin

from ducha.core.admin import PolicyAdmin
from ducha.reporting.models import Assignment, Evidence, Round, Transition


class ReadOnly(PolicyAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(ReadOnly):
    list_display = ("title", "plan", "period", "deadline", "state")
    list_filter = ("state", "plan")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ("round", "org_unit", "indicator", "milestone", "status", "version")
    list_filter = ("status", "round", "kind")
    search_fields = ("org_unit__name", "indicator__code", "milestone__code")


@admin.register(Transition)
class TransitionAdmin(ReadOnly):
    list_display = ("assignment", "from_status", "to_status", "actor", "at")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnly):
    list_display = ("original_name", "assignment", "content_type", "size", "archived_at")
