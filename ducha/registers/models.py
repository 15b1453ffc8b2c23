"""What every register record has. The registers app itself keeps no table: each register
is its own app (enterprises, parks, projects, platforms, technologies, talents).

Records are archived, never deleted (the audit log must be able to point at them):
``objects`` holds the current records that lists, exports, checks and computed indicators
count; ``all_objects``, the default manager, also holds the archived ones, so that unique
checks and import matching still see them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedManager


class CurrentRecords(RestrictedManager):
    def get_queryset(self):
        return super().get_queryset().filter(archived_at=None)


class RegisterRecord(models.Model):
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    all_objects = RestrictedManager()  # first, so the default manager: archived ones too
    objects = CurrentRecords()

    class Meta:
        abstract = True


def archives(model) -> bool:
    """Whether a register's records are archived rather than kept for ever (the parks of the
    plan are kept)."""
    return any(f.name == "archived_at" for f in model._meta.fields)
