"""The org-unit file (`ducha-orgunits/1`): schema and checks, no database access."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from ducha.core.filespec import FileSpecError, Problem, load_yaml, validate


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UnitSpec(Strict):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    short_name: Annotated[str, Field(max_length=50)] = ""
    kind: Literal["city", "district", "zone", "department", "office"]
    parent: str | None = None
    aliases: list[Annotated[str, Field(min_length=1, max_length=100)]] = []


class OrgUnitFile(Strict):
    format: Literal["ducha-orgunits/1"]
    units: list[UnitSpec]


def read_orgunit_file(path: Path | str) -> OrgUnitFile:
    data = load_yaml(path)
    return parse_orgunit_data(data, str(path))


def parse_orgunit_data(data: Any, source: str) -> OrgUnitFile:
    if not isinstance(data, dict):
        raise FileSpecError(source, [Problem("", _("the file must be a mapping of fields"))])
    if isinstance(data.get("units"), list):
        # YAML reads 120101 as a number; a division code is text.
        for item in data["units"]:
            if isinstance(item, dict):
                for key in ("code", "parent"):
                    if isinstance(item.get(key), int):
                        item[key] = str(item[key])
    spec = validate(OrgUnitFile, data, source)
    problems = _check(spec)
    if problems:
        raise FileSpecError(source, problems)
    return spec


def _check(spec: OrgUnitFile) -> list[Problem]:
    problems: list[Problem] = []
    codes: set[str] = set()
    owners: dict[str, str] = {}
    for i, unit in enumerate(spec.units):
        where = f"units[{i}] ({unit.code})"
        if unit.code in codes:
            problems.append(Problem(f"{where}.code", _("duplicate code %s") % unit.code))
        codes.add(unit.code)
        for name in {unit.name, unit.short_name, *unit.aliases} - {""}:
            if owners.get(name, unit.code) != unit.code:
                problems.append(
                    Problem(
                        where,
                        _("the name %(name)s is also used by %(other)s")
                        % {"name": name, "other": owners[name]},
                    )
                )
            owners[name] = unit.code
    earlier: set[str] = set()
    for i, unit in enumerate(spec.units):
        if unit.parent is not None and unit.parent not in earlier:
            message = (
                _("the parent %s must be listed before its children")
                if unit.parent in codes
                else _("no unit with code %s")
            )
            problems.append(Problem(f"units[{i}] ({unit.code}).parent", message % unit.parent))
        earlier.add(unit.code)
    return problems
