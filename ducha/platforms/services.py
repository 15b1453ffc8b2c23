"""Writes to the platform register: imports (matched by name)."""

from django.utils.translation import gettext as _

from ducha.platforms.models import Platform
from ducha.registers.simple import apply_simple, optional, ref

SHEET = "平台"


def _resolve(sheet, row, refs, problems, current):
    v = row.values
    if current is None:
        missing = [c for c in ("level", "type") if c not in v]
        for column in missing:
            problems.at(sheet, row, column, _("is empty"))
        if missing:
            return None
    holder = None
    if "holder" in v:
        holder = refs.enterprise(v["holder"], required=False)
    district = ref(refs.district, sheet, row, "district", problems)
    if district is None and holder is not None and "district" not in v:
        district = holder.district
    if district is None and current is None:
        if "district" not in v:
            problems.at(sheet, row, "district", _("is empty, and no registered holder says it"))
        return None
    fields = {
        "level": optional(row, "level", current),
        "type": optional(row, "type", current),
        "field": optional(row, "field", current),
        "holder_name": holder.name if holder else optional(row, "holder", current, "holder_name"),
        "established_on": v["established_on"].date
        if "established_on" in v
        else (current.established_on if current else None),
        "revoked_on": v["revoked_on"].last_day
        if "revoked_on" in v
        else (current.revoked_on if current else None),
        "note": optional(row, "note", current),
    }
    if holder is not None:
        fields["holder"] = holder
    if district is not None:
        fields["district"] = district
    return fields


def apply_import(actor, parsed, *, source, is_demo=False):
    return apply_simple(
        actor,
        parsed,
        model=Platform,
        sheet=SHEET,
        key="name",
        resolve=_resolve,
        action="platforms.platform",
        source=source,
        is_demo=is_demo,
        enterprise_columns=("holder",),
    )
