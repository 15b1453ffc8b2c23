from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ducha.accounts.models import User
from ducha.core.admin import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "display_name", "role", "org_unit", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "display_name", "email")
    autocomplete_fields = ("org_unit",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Responsibility"), {"fields": ("display_name", "role", "org_unit", "phone")}),
    )

    def get_readonly_fields(self, request, obj=None):
        found = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return found
        # The office manages accounts, roles and units, but never grants the operator's
        # powers (nor Django's own permission table, which the policies leave unused).
        return [*found, "is_superuser", "groups", "user_permissions"]
