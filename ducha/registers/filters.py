"""List filters shared by the register pages: each reads one GET parameter, offers its
choices to the form, and narrows a queryset. Unknown values are ignored, not errors: a
bookmarked link with a park that was renamed still opens the list."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Filter:
    param: str
    label = ""

    def options(self) -> list[tuple[str, str]]:
        return []

    def q(self, value: str) -> Q | None:
        raise NotImplementedError

    def apply(self, qs, value: str):
        if not value or value not in {v for v, _label in self.options()}:
            return qs, False
        q = self.q(value)
        return (qs.filter(q), True) if q is not None else (qs, False)


class DistrictFilter(Filter):
    param = "district"
    label = _("District")

    def __init__(self, path: str = "district"):
        self.path = path

    def options(self):
        from ducha.orgunits.models import OrgUnit

        return [(u.code, u.name) for u in OrgUnit.objects.filter(kind="district")]

    def q(self, value):
        return Q(**{f"{self.path}__code": value})


class ParkFilter(Filter):
    param = "park"
    label = _("Park")

    def __init__(self, path: str = "park"):
        self.path = path

    def options(self):
        from ducha.parks.models import Park

        return [(p.code, p.short_name or p.name) for p in Park.objects.all()]

    def q(self, value):
        return Q(**{f"{self.path}__code": value})


class ChoiceFilter(Filter):
    def __init__(self, param: str, label, path: str, choices):
        self.param, self.label, self.path, self.choices = param, label, path, choices

    def options(self):
        return [(v, str(lbl)) for v, lbl in self.choices]

    def q(self, value):
        return Q(**{self.path: value})


class ExistsFilter(Filter):
    """A filter on related rows: `make(value)` returns the subquery's filter kwargs."""

    def __init__(self, param, label, model, choices, make: Callable[[str], dict]):
        self.param, self.label, self.model, self.choices, self.make = (
            param,
            label,
            model,
            choices,
            make,
        )

    def options(self):
        return [(str(v), str(lbl)) for v, lbl in self.choices()]

    def apply(self, qs, value):
        if not value or value not in {v for v, _label in self.options()}:
            return qs, False
        sub = self.model.objects.filter(enterprise=OuterRef("pk"), **self.make(value))
        return qs.filter(Exists(sub)), True


class YearFilter(Filter):
    param = "year"
    label = _("Year")

    def __init__(self, path: str, first: int = 2015):
        self.path, self.first = path, first

    def options(self):
        this = timezone.localdate().year
        return [(str(y), str(y)) for y in range(this, self.first - 1, -1)]

    def q(self, value):
        return Q(**{f"{self.path}__year": int(value)})
