from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ducha.accounts import services
from ducha.accounts.models import User
from ducha.core.admin import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "display_name", "role", "org_unit", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser", "must_set_password")
    search_fields = ("username", "display_name", "email")
    autocomplete_fields = ("org_unit",)
    actions = ["issue_password_links"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Responsibility"),
            {"fields": ("display_name", "role", "org_unit", "phone", "must_set_password")},
        ),
    )

    # A new account: who it is, with an address if it has one (its one-time link is e-mailed
    # there), and a first password only if the office wants to give one.
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "display_name",
                    "email",
                    "role",
                    "org_unit",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        found = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return found
        # The office manages accounts, roles and units, but never grants the operator's
        # powers (nor Django's own permission table, which the policies leave unused).
        return [*found, "is_superuser", "groups", "user_permissions"]

    def save_model(self, request, obj, form, change):
        if not change:
            # A new account chooses its own password before anything else (the office may
            # have typed one, or none): see `response_add` for the link it gets.
            obj.must_set_password = True
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self._show_link(request, obj, new=True)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Issue a one-time link to choose a password"))
    def issue_password_links(self, request, queryset):
        for user in queryset:
            if self.has_change_permission(request, user):
                self._show_link(request, user)

    def _show_link(self, request, user, *, new=False):
        link = services.issue_set_password_link(request.user, user, new=new)
        text = (
            _("Pass this one-time link to %(user)s; with it they choose their password")
            if not user.email
            else _("Sent by e-mail to %(user)s; you may also pass it on yourself")
        ) % {"user": user.username}
        messages.warning(request, format_html('{}：<a href="{}">{}</a>', text, link, link))
