"""The one rule every register follows, so that each register's policy is one line.

The office sees and edits everything. Leaders, and the municipal departments that lead the
computed indicators, read everything. A district reads the records of its own district; a
functional zone those in its parks, where the register has parks. Nobody else sees anything.
Personal data (the talent database, any register with ``personal_fields``) is the office's
alone: action ``view_personal``, which like every action but ``view`` only the office has.
"""

from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING


def register_scope(user, action: str, district: str = "district", zone: str | None = None) -> Q:
    if not user.is_authenticated:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    if action != "view":
        return NOTHING
    if user.is_leader:
        return EVERYTHING
    unit = user.org_unit
    if unit is None:
        return NOTHING
    if unit.kind == "department":
        return EVERYTHING
    if unit.kind == "district":
        return Q(**{district: unit.pk})
    if unit.kind == "zone" and zone:
        return Q(**{zone: unit.pk})
    return NOTHING
