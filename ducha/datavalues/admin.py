"""The Django admin for values: to look things up, not to bypass the workflow.

Values change state only through `services` (save, approve, reopen, import), which check the
transitions and write the audit log, so the admin shows them read-only. Approvals are
append-only by design: nobody edits or deletes them, not even here.
"""

from django.contrib import admin

from ducha.core.admin import PolicyAdmin
from ducha.datavalues.models import ApprovedValue, DataValue, MilestoneReport


class ReadOnlyAdmin(PolicyAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "org_unit", "period", "value", "status", "is_demo", "updated_at")
    list_filter = ("status", "is_demo", "indicator__plan", "org_unit__kind")
    search_fields = ("indicator__code", "indicator__name", "org_unit__name", "period")
    list_select_related = ("indicator", "org_unit")
    date_hierarchy = "period_end"


@admin.register(ApprovedValue)
class ApprovedValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "org_unit", "period", "value", "approved_at", "approved_by")
    list_filter = ("indicator__plan", "org_unit__kind")
    search_fields = ("indicator__code", "org_unit__name", "period")
    list_select_related = ("indicator", "org_unit", "approved_by")
    date_hierarchy = "approved_at"


@admin.register(MilestoneReport)
class MilestoneReportAdmin(ReadOnlyAdmin):
    list_display = ("milestone", "org_unit", "period", "progress", "status", "approved_at")
    list_filter = ("progress", "status", "is_demo")
    search_fields = ("milestone__code", "milestone__title", "org_unit__name", "note")
    list_select_related = ("milestone", "org_unit")
