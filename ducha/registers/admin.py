"""The admin face of every register: lists scoped by policy, writes through services.

Records are archived, never deleted: the admin's delete is replaced by the archive and
restore actions, and every edit recomputes the indicators that count the register.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ducha.core.admin import PolicyAdmin
from ducha.core.policies import allows
from ducha.registers.models import archives
from ducha.registers.services import (
    archive_record,
    recompute_after_edit,
    restore_record,
    save_record,
)


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("current records")), ("yes", _("archived records"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(archived_at=None)
        if self.value() == "no":
            return queryset.filter(archived_at=None)
        return queryset


@admin.action(description=_("Archive the selected records"))
def archive_selected(modeladmin, request, queryset):
    changed = _apply(request, queryset.filter(archived_at=None), archive_record)
    modeladmin.message_user(
        request,
        ngettext("%d record archived.", "%d records archived.", changed) % changed,
        messages.SUCCESS,
    )


@admin.action(description=_("Restore the selected records"))
def restore_selected(modeladmin, request, queryset):
    changed = _apply(request, queryset.exclude(archived_at=None), restore_record)
    modeladmin.message_user(
        request,
        ngettext("%d record restored.", "%d records restored.", changed) % changed,
        messages.SUCCESS,
    )


def _apply(request, queryset, service) -> int:
    changed = 0
    for obj in queryset:
        service(request.user, obj, reason=str(_("in the admin")))
        changed += 1
    return changed


class RegisterAdmin(PolicyAdmin):
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over a million rows on every page
    actions = [archive_selected, restore_selected]

    @property
    def archives(self) -> bool:
        return archives(self.model)

    def get_list_filter(self, request):
        found = list(super().get_list_filter(request))
        return [ArchivedFilter, *found] if self.archives else found

    def get_readonly_fields(self, request, obj=None):
        found = list(super().get_readonly_fields(request, obj))
        return ["archived_at", *found] if self.archives else found

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead: the audit log keeps pointing at the record

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not (self.archives and allows(request.user, "delete", self.model)):
            actions.pop("archive_selected", None)
            actions.pop("restore_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        save_record(request.user, obj, list(form.changed_data))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        recompute_after_edit(form.instance)
