"""Admin helpers shared by every app.

The admin is a back office for operators. Edits made there are writes of consequence like any
other, so `AuditedAdmin` records each save and delete in the one audit log, with the fields
that changed, as the services do.
"""

from django.contrib import admin
from django.db import transaction

from ducha.audit.services import record, snapshot

# Never copied into the log, even hashed.
SECRET_FIELDS = {"password"}


class AuditedAdmin(admin.ModelAdmin):
    def _action(self, obj, verb: str) -> str:
        meta = obj._meta
        return f"{meta.app_label}.{meta.model_name}.admin_{verb}"

    def save_model(self, request, obj, form, change):
        names = {x.name for x in obj._meta.fields} - SECRET_FIELDS
        fields = [f for f in form.changed_data if f in names]
        attnames = [obj._meta.get_field(f).attname for f in fields]
        before = {}
        if change and obj.pk and attnames:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old, attnames) if old is not None else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = snapshot(obj, attnames) if attnames else {}
            changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
            record(
                request.user,
                self._action(obj, "changed" if change else "created"),
                obj,
                changes=changes,
                comment="admin",
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, self._action(obj, "deleted"), obj, changes=_public(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record(request.user, self._action(obj, "deleted"), obj, changes=_public(obj))
            super().delete_queryset(request, queryset)


def _public(obj) -> dict:
    return {k: v for k, v in snapshot(obj).items() if k not in SECRET_FIELDS}
