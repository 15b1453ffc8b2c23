"""Resolving what a spreadsheet names (a district, a park, an enterprise, a project, a unit, a
plan section) to records, normalised where that is unambiguous and refused otherwise.

Only within what the importing user may see (each model's policy, ``for_user(user, "view")``;
``user=None`` is the command line, which sees everything): a record the user may not see is
"not registered", in the very words used for one that does not exist, so an import cannot be
used to probe another unit's records."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ducha.engine import creditcode
from ducha.engine.headers import key
from ducha.registers.columns import CellError

CHUNK = 2000


class References:
    """Lookups for one import, loaded once; every miss is a CellError with a message."""

    def __init__(self, plan=None, user=None):
        self.plan = plan
        self.user = user
        self._units = None
        self._districts = None
        self._parks = None
        self._nodes = None
        self.enterprises_by_code: dict[str, object] = {}
        self.enterprises_by_name: dict[str, object | None] = {}

    def visible(self, manager):
        """The manager's rows the importing user may see."""
        return manager.all() if self.user is None else manager.for_user(self.user, "view")

    # --- org units ---------------------------------------------------------------------------

    def _load_units(self):
        from ducha.orgunits.models import OrgUnit

        units = list(self.visible(OrgUnit.objects))
        by_pk = {u.pk: u for u in units}
        self._units = {}
        self._districts = {}
        for unit in units:
            for name in unit.names():
                k = key(name)
                self._units[k] = None if k in self._units and self._units[k] != unit else unit
                district = None
                if unit.kind == "district":
                    district = unit
                elif unit.kind == "zone" and unit.parent_id in by_pk:
                    # a functional zone lies in one district: 滨海高新区 -> 滨海新区
                    district = by_pk[unit.parent_id]
                if district is not None:
                    old = self._districts.get(k, district)
                    self._districts[k] = district if old == district else None
        self.district_list = [u for u in units if u.kind == "district"]

    def org_unit(self, text: str):
        if self._units is None:
            self._load_units()
        k = key(text)
        if k not in self._units:
            raise CellError(_("no org unit is called %s") % text)
        if self._units[k] is None:
            raise CellError(_("%s names more than one org unit; use its code") % text)
        return self._units[k]

    def district(self, text: str):
        if self._districts is None:
            self._load_units()
        k = key(text)
        found = self._districts.get(k)
        if found is None:
            if k in self._units and self._units[k] is not None:
                raise CellError(_("%s is not a district; name one of the 16 districts") % text)
            raise CellError(_("no district is called %s") % text)
        return found

    def district_of_code(self, code: str):
        """The district of a credit code's registering authority, when it is one."""
        if self._districts is None:
            self._load_units()
        division = creditcode.CreditCode(code).current_division
        unit = self._districts.get(key(division))
        return unit if unit is not None and unit.code == division else None

    def district_in_address(self, address: str):
        """The one district (or zone) an address names by its full name, else None."""
        if self._districts is None:
            self._load_units()
        found = set()
        for unit in self.district_list:
            names = {unit.name} | {a for a in unit.aliases if a.endswith(("区", "县"))}
            if any(n in address for n in names):
                found.add(unit)
        if not found:
            for name, unit in self._zone_names():
                if name in address:
                    found.add(unit)
        return found.pop() if len(found) == 1 else None

    def _zone_names(self):
        from ducha.orgunits.models import OrgUnit

        if not hasattr(self, "_zones"):
            zones = self.visible(OrgUnit.objects).filter(kind="zone").select_related("parent")
            self._zones = [
                (name, z.parent)
                for z in zones
                for name in {z.name, z.short_name}
                if name and len(name) >= 3
            ]
        return self._zones

    # --- parks -------------------------------------------------------------------------------

    def park(self, text: str):
        from ducha.parks.models import Park

        if self._parks is None:
            self._parks = {}
            for park in self.visible(Park.objects).select_related("district"):
                for name in park.names():
                    k = key(name)
                    self._parks[k] = None if k in self._parks and self._parks[k] != park else park
        k = key(text)
        if k not in self._parks:
            raise CellError(_("no park is called %s (see the list of parks)") % text)
        if self._parks[k] is None:
            raise CellError(_("%s names more than one park; use its full name") % text)
        return self._parks[k]

    # --- enterprises -------------------------------------------------------------------------

    def prefetch_enterprises(self, texts) -> None:
        """Load, in a few queries, the enterprises a file names by credit code or name."""
        from ducha.enterprises.models import Enterprise

        codes, names = set(), set()
        for text in texts:
            normal = creditcode.normalise(text)
            if len(normal) == 18 and creditcode.is_valid(normal):
                codes.add(normal)
            else:
                names.add(text.strip())
        codes -= set(self.enterprises_by_code)
        codes = sorted(codes)
        for i in range(0, len(codes), CHUNK):
            # archived ones too: the enterprise import matches (and restores) them
            for e in self.visible(Enterprise.all_objects).filter(
                credit_code__in=codes[i : i + CHUNK]
            ):
                self.enterprises_by_code[e.credit_code] = e
        names = sorted(names - set(self.enterprises_by_name))
        for i in range(0, len(names), CHUNK):
            for e in self.visible(Enterprise.objects).filter(name__in=names[i : i + CHUNK]):
                old = self.enterprises_by_name.get(e.name, e)
                self.enterprises_by_name[e.name] = e if old == e else None

    def enterprise(self, text: str, *, required: bool = True):
        """The enterprise named by credit code (or exact name); None when not registered and
        not required."""
        normal = creditcode.normalise(text)
        if len(normal) == 18:
            found = self.enterprises_by_code.get(normal)
            if found is not None and found.archived_at is not None:
                raise CellError(
                    _("the enterprise with credit code %s is archived; restore it first") % normal
                )
            if found is None and required:
                raise CellError(_("no enterprise with credit code %s is registered") % normal)
            return found
        name = text.strip()
        if name in self.enterprises_by_name and self.enterprises_by_name[name] is None:
            raise CellError(_("%s names more than one enterprise; give its credit code") % name)
        found = self.enterprises_by_name.get(name)
        if found is None and required:
            raise CellError(_("no enterprise called %s is registered") % name)
        return found

    # --- projects ----------------------------------------------------------------------------

    def project(self, code: str):
        from ducha.projects.models import Project

        found = (
            self.visible(Project.objects)
            .select_related("district", "enterprise")
            .filter(code=code)
            .first()
        )
        if found is None:
            raise CellError(_("no project with code %s") % code)
        return found

    # --- plan sections -----------------------------------------------------------------------

    def plan_node(self, text: str):
        if self.plan is None:
            raise CellError(_("no plan to find the section in"))
        if self._nodes is None:
            self._nodes = {}
            for node in self.plan.nodes.all():
                names = {node.key, node.title, f"{node.label}{node.title}"}
                for name in names:
                    if not name:
                        continue
                    k = key(name)
                    self._nodes[k] = None if k in self._nodes and self._nodes[k] != node else node
        k = key(re.sub(r"^[一二三四五六七八九十]+、", "", text)) if text else ""
        node = self._nodes.get(key(text)) or self._nodes.get(k)
        if node is None:
            if key(text) in self._nodes or k in self._nodes:
                raise CellError(_("%s names more than one plan section; use its key") % text)
            raise CellError(_("the plan has no section %s (write e.g. 3.1 or 智能制造)") % text)
        return node
