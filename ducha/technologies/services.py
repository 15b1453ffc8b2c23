"""Writes to the key-technology register: imports (matched by name)."""

from django.utils.translation import gettext as _

from ducha.registers.simple import apply_simple, optional, ref
from ducha.technologies.models import KeyTechnology

SHEET = "关键技术"


def _resolve(sheet, row, refs, problems, current):
    v = row.values
    if current is None:
        missing = [c for c in ("field", "holder", "achieved_on") if c not in v]
        for column in missing:
            problems.at(sheet, row, column, _("is empty"))
        if missing:
            return None
    holder = refs.enterprise(v["holder"], required=False) if "holder" in v else None
    district = ref(refs.district, sheet, row, "district", problems)
    if district is None and holder is not None and "district" not in v:
        district = holder.district
    if district is None and current is None:
        if "district" not in v:
            problems.at(sheet, row, "district", _("is empty, and no registered holder says it"))
        return None
    fields = {
        "kind": optional(row, "kind", current, default="technology"),
        "field": optional(row, "field", current),
        "holder_name": holder.name if holder else optional(row, "holder", current, "holder_name"),
        "achieved_on": v["achieved_on"].date if "achieved_on" in v else current.achieved_on,
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
        model=KeyTechnology,
        sheet=SHEET,
        key="name",
        resolve=_resolve,
        action="technologies.keytechnology",
        source=source,
        is_demo=is_demo,
        enterprise_columns=("holder",),
    )
