"""Writes to parks: loading the park file (`ducha-parks/1`), as shipped for Tianjin."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from ducha.audit.services import diff, record, snapshot
from ducha.core.filespec import FileSpecError, Problem, load_yaml, validate
from ducha.core.policies import require
from ducha.orgunits.models import OrgUnit
from ducha.parks.models import Park
from ducha.registers.taxonomy import Industry

TIANJIN_PARKS = Path(__file__).resolve().parent.parent / "data" / "tianjin-2018" / "parks.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ParkSpec(_Strict):
    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    short_name: Annotated[str, Field(max_length=50)] = ""
    aliases: list[Annotated[str, Field(min_length=1, max_length=100)]] = []
    district: str
    zone: str | None = None
    designation: Annotated[str, Field(max_length=200)] = ""
    industries: list[str] = []
    # [longitude, latitude], approximate (the map's dot); Tianjin lies within these bounds
    # with a wide margin, and a swapped pair falls outside them.
    point: (
        tuple[
            Annotated[float, Field(ge=73, le=136)],
            Annotated[float, Field(ge=3, le=54)],
        ]
        | None
    ) = None


class ParkFile(_Strict):
    format: Literal["ducha-parks/1"]
    parks: list[ParkSpec]


def _coordinate(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def load_park_file(path: Path | str = TIANJIN_PARKS, actor=None) -> dict[str, int]:
    source = str(path)
    spec = validate(ParkFile, load_yaml(path), source)
    return load_parks(spec, actor, source=source)


def load_parks(spec: ParkFile, actor=None, *, source: str = "") -> dict[str, int]:
    """Create or update parks by code, all or nothing."""
    file_name = Path(source).name  # the audit log names the file, not the server path
    if actor is not None:
        require(actor, "change", Park)
    units = {u.code: u for u in OrgUnit.objects.all()}
    problems: list[Problem] = []
    codes: set[str] = set()
    for i, item in enumerate(spec.parks):
        where = f"parks[{i}] ({item.code})"
        if item.code in codes:
            problems.append(Problem(f"{where}.code", _("duplicate park code %s") % item.code))
        codes.add(item.code)
        district = units.get(item.district)
        if district is None or district.kind != "district":
            problems.append(Problem(f"{where}.district", _("no district %s") % item.district))
        if item.zone and (item.zone not in units or units[item.zone].kind != "zone"):
            problems.append(Problem(f"{where}.zone", _("no functional zone %s") % item.zone))
        for j, industry in enumerate(item.industries):
            if industry not in Industry.values:
                problems.append(
                    Problem(
                        f"{where}.industries[{j}]",
                        _("%(value)s is not one of %(known)s")
                        % {"value": industry, "known": ", ".join(Industry.values)},
                    )
                )
    if problems:
        raise FileSpecError(source, problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {p.code: p for p in Park.objects.all()}
        for position, item in enumerate(spec.parks):
            park = existing.get(item.code) or Park(code=item.code)
            values = {
                "name": item.name,
                "short_name": item.short_name,
                "aliases": item.aliases,
                "district_id": units[item.district].pk,
                "zone_id": units[item.zone].pk if item.zone else None,
                "designation": item.designation,
                "industries": item.industries,
                "longitude": _coordinate(item.point[0]) if item.point else None,
                "latitude": _coordinate(item.point[1]) if item.point else None,
                "source": "六(二)2",
                "position": position,
            }
            before = snapshot(park, list(values)) if park.pk else None
            for name, value in values.items():
                setattr(park, name, value)
            if before is None:
                park.save()
                counts["created"] += 1
                record(actor, "parks.park.created", park, changes=values, comment=file_name)
            elif changes := diff(before, snapshot(park, list(values))):
                park.save()
                counts["updated"] += 1
                record(actor, "parks.park.updated", park, changes=changes, comment=file_name)
            else:
                counts["unchanged"] += 1
    return counts
