"""A register as the toolkit sees it: one descriptor per register, kept in a catalogue.

Each register app (enterprises, projects …) describes itself once in its ``register.py``:
the model, the spreadsheet sheets and columns, the list filters and columns, how an import is
applied (through the app's services) and how a record is exported. Import, export, template,
list, detail and drill-down pages are the toolkit's, the same for every register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

from ducha.registers.importer import ParsedSheet, Sheet
from ducha.registers.models import archives

CATALOGUE: dict[str, Register] = {}


@dataclass
class ListColumn:
    label: Any  # lazily translated header
    value: Callable[[Any], Any]  # obj -> what the cell shows
    numeric: bool = False
    link: bool = False  # the cell links to the record's detail page
    personal: bool = False
    hide_small: bool = False


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: dict[str, dict[str, int]] = field(default_factory=dict)  # per sheet
    recomputed: int = 0
    dry_run: bool = False
    related_changed: int = 0  # rows of related tables written (yearly figures, tiers …)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.related_changed)

    def count(self, sheet: str, what: str, n: int = 1) -> None:
        self.details.setdefault(sheet, {}).setdefault(what, 0)
        self.details[sheet][what] += n


class Register:
    key: str  # URL and command name: enterprises
    model: type[models.Model]
    sheets: list[Sheet]
    namespace: str  # URL namespace of the app
    search_fields: tuple[str, ...] = ("name",)
    filters: tuple = ()  # registers.filters.Filter instances
    list_columns: list[ListColumn] = []
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("name", "id")
    sources: tuple[str, ...] = ()  # computation sources that count this register
    personal_fields: tuple[str, ...] = ()
    detail_template: str = ""

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def label_one(self):
        return self.model._meta.verbose_name

    def main_sheet(self) -> Sheet:
        return self.sheets[0]

    def apply(self, actor, parsed: dict[str, ParsedSheet], *, source: str, is_demo: bool):
        """Resolve references, check, and write the parsed file: ImportReport, or
        ImportError_ (the caller's transaction rolls back)."""
        raise NotImplementedError

    def export_rows(
        self, queryset, *, personal: bool, years: list[int]
    ) -> dict[str, Iterable[list[Any]]]:
        """{sheet name: rows with one cell per column (per year for yearly columns), personal
        columns included: the exporter leaves them out unless the user may see them}."""
        raise NotImplementedError

    def detail_context(self, obj, user) -> dict:
        """Anything the register's detail template needs beyond the record."""
        return {}

    def template_years(self) -> list[int]:
        return []

    def export_years(self, queryset) -> list[int]:
        return []

    @property
    def archives(self) -> bool:
        """Whether records are archived rather than kept for ever (the parks of the plan are)."""
        return archives(self.model)

    def search(self, text: str) -> Q:
        """The records a search box's text finds: any search field containing it."""
        cond = Q()
        for name in self.search_fields:
            cond |= Q(**{f"{name}__icontains": text})
        return cond

    def base_queryset(self, user, action: str = "view"):
        qs = self.model.objects.for_user(user, action)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs


def add(register: Register) -> Register:
    CATALOGUE[register.key] = register
    return register


def get(key: str) -> Register:
    return CATALOGUE[key]
