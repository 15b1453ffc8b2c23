"""Writes to org units."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from ducha.audit.services import diff, record, snapshot
from ducha.core.policies import require
from ducha.orgunits.models import OrgUnit
from ducha.orgunits.orgunitfile import OrgUnitFile, read_orgunit_file

TIANJIN_FILE = Path(__file__).resolve().parent.parent / "data" / "orgunits-tianjin.yaml"


def load_orgunit_file(path: Path | str, actor=None) -> dict[str, int]:
    return load_orgunits(read_orgunit_file(path), actor, source=str(path))


def load_orgunits(spec: OrgUnitFile, actor=None, *, source: str = "") -> dict[str, int]:
    """Create or update units by code, all or nothing; returns counts of created/updated."""
    file_name = Path(source).name  # the audit log names the file, not the server path
    if actor is not None:
        require(actor, "change", OrgUnit)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {u.code: u for u in OrgUnit.objects.all()}
        for position, item in enumerate(spec.units):
            unit = existing.get(item.code) or OrgUnit(code=item.code)
            values = {
                "name": item.name,
                "short_name": item.short_name,
                "kind": item.kind,
                "parent_id": existing[item.parent].pk if item.parent else None,
                "aliases": item.aliases,
                "position": position,
            }
            before = snapshot(unit, list(values)) if unit.pk else None
            for name, value in values.items():
                setattr(unit, name, value)
            if before is None:
                unit.save()
                counts["created"] += 1
                record(actor, "orgunits.orgunit.created", unit, changes=values, comment=file_name)
            elif changes := diff(before, snapshot(unit, list(values))):
                unit.save()
                counts["updated"] += 1
                record(actor, "orgunits.orgunit.updated", unit, changes=changes, comment=file_name)
            else:
                counts["unchanged"] += 1
            existing[item.code] = unit
    return counts
