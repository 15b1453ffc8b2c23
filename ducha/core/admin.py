"""Admin helpers shared by every app.

The admin is a back office for operators. Edits made there are writes of consequence like any
other, so `AuditedAdmin` records each save and delete in the one audit log, with the fields
that changed, as the services do.
"""

from django.contrib import admin
from django.db import transaction

from ducha.audit.services import record, snapshot
from ducha.core.policies import allows, policy_for

# Never copied into the log, even hashed.
SECRET_FIELDS = {"password"}


class PolicyAdmin(admin.ModelAdmin):
    """Admin permissions decided by the model's policy, as on every page.

    A staff user (the office, as `ducha demo` makes it) may view, add, change or delete in
    the admin exactly what its policy lets it; the admin's own per-model permission table is
    left unused, so there is one place that decides. Superusers keep every permission; a
    model without a policy falls back to Django's permissions. Deleting is the superuser's
    alone. Subclasses narrow further (read-only admins return False for the writes).
    """

    def _allows(self, request, action: str, obj=None) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if not (user.is_active and user.is_staff):
            return False
        return allows(user, action, obj if obj is not None else self.model)

    def _has_policy(self) -> bool:
        try:
            policy_for(self.model)
        except LookupError:
            return False
        return True

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or not self._has_policy():
            return qs
        return qs.filter(policy_for(self.model).scope(request.user, "view"))

    def has_module_permission(self, request):
        if not self._has_policy():
            return super().has_module_permission(request)
        return self._allows(request, "view")

    def has_view_permission(self, request, obj=None):
        if not self._has_policy():
            return super().has_view_permission(request, obj)
        return self._allows(request, "view", obj)

    def has_add_permission(self, request):
        if not self._has_policy():
            return super().has_add_permission(request)
        return self._allows(request, "add")

    def has_change_permission(self, request, obj=None):
        if not self._has_policy():
            return super().has_change_permission(request, obj)
        return self._allows(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        # Nothing is hard-deleted from the office's desk: records are archived, users made
        # inactive. Only the operator (a superuser) deletes, as a repair.
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class AuditedAdmin(PolicyAdmin):
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
