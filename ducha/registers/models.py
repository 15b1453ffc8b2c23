"""What every register record has. The registers app itself keeps no table: each register
is its own app (enterprises, parks, projects, platforms, technologies, talents)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterRecord(models.Model):
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
