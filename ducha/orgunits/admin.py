from django.contrib import admin

from ducha.core.admin import AuditedAdmin
from ducha.orgunits.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "short_name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active", "allow_self_approval")
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent",)
