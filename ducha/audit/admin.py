from django.contrib import admin

from ducha.audit.models import AuditEntry
from ducha.core.admin import PolicyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(PolicyAdmin):
    list_display = ("created_at", "actor", "action", "object_repr", "org_unit")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "action", "comment")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
