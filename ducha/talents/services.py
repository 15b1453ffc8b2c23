"""Writes to the talent database: talents (matched by identity document number) and teams
(matched by name). Resident ID numbers are checked (GB 11643) and must agree with the birth
date given."""

from django.utils.translation import gettext as _

from ducha.engine import idnumber
from ducha.registers.columns import CellError, id_number_message
from ducha.registers.simple import apply_simple, end_date, optional, ref, start_date
from ducha.talents.models import IdType, Talent, Team

TALENT_SHEET = "人才"
TEAM_SHEET = "团队"


class _Teams:
    def __init__(self):
        self.by_name = None

    def __call__(self, text):
        if self.by_name is None:
            self.by_name = {t.name: t for t in Team.objects.all()}
        team = self.by_name.get(text.strip())
        if team is None:
            raise CellError(_("no team called %s; import the team first") % text)
        return team


def _talent_resolver():
    teams = _Teams()

    def resolve(sheet, row, refs, problems, current):
        v = row.values
        trouble = False
        id_type = v.get("id_type") or (current.id_type if current else IdType.RESIDENT)
        birth = v["birth_date"].date if "birth_date" in v else None
        if id_type == IdType.RESIDENT:
            try:
                _number, birth_in_id = idnumber.parse_resident_id(v["id_number"])
            except idnumber.IdNumberError as exc:
                raise CellError(id_number_message(exc, v["id_number"])) from None
            if birth is not None and birth != birth_in_id:
                problems.at(
                    sheet,
                    row,
                    "birth_date",
                    _("%(given)s differs from the birth date in the ID number (%(id)s)")
                    % {"given": birth, "id": birth_in_id},
                )
                trouble = True
            birth = birth or birth_in_id
        if current is None:
            for column in ("name", "category", "introduced_on"):
                if column not in v:
                    problems.at(sheet, row, column, _("is empty"))
                    trouble = True
        employer = refs.enterprise(v["employer"], required=False) if "employer" in v else None
        team = ref(teams, sheet, row, "team", problems)
        district = ref(refs.district, sheet, row, "district", problems)
        if district is None and "district" not in v and current is None:
            district = employer.district if employer else None
            if district is None:
                problems.at(
                    sheet, row, "district", _("is empty, and no registered employer says it")
                )
                trouble = True
        if trouble or ("district" in v and district is None) or ("team" in v and team is None):
            return None
        fields = {
            "name": optional(row, "name", current),
            "gender": optional(row, "gender", current),
            "id_type": id_type,
            "birth_date": birth if birth is not None else (current and current.birth_date),
            "phone": optional(row, "phone", current),
            "email": optional(row, "email", current),
            "category": optional(row, "category", current),
            "programme": optional(row, "programme", current),
            "field": optional(row, "field", current),
            "employer_name": employer.name
            if employer
            else optional(row, "employer", current, "employer_name"),
            "introduced_on": start_date(row, "introduced_on", current),
            "left_on": end_date(row, "left_on", current),
            "note": optional(row, "note", current),
        }
        for name, value in (("employer", employer), ("team", team), ("district", district)):
            if value is not None:
                fields[name] = value
        return fields

    return resolve


def _team_resolve(sheet, row, refs, problems, current):
    v = row.values
    if current is None:
        missing = [c for c in ("level", "introduced_on") if c not in v]
        for column in missing:
            problems.at(sheet, row, column, _("is empty"))
        if missing:
            return None
    host = refs.enterprise(v["host"], required=False) if "host" in v else None
    district = ref(refs.district, sheet, row, "district", problems)
    if district is None and "district" not in v and current is None:
        district = host.district if host else None
        if district is None:
            problems.at(sheet, row, "district", _("is empty, and no registered host says it"))
            return None
    if "district" in v and district is None:
        return None
    fields = {
        "leader_name": optional(row, "leader_name", current),
        "level": optional(row, "level", current),
        "field": optional(row, "field", current),
        "host_name": host.name if host else optional(row, "host", current, "host_name"),
        "members": optional(row, "members", current, default=None),
        "introduced_on": start_date(row, "introduced_on", current),
        "left_on": end_date(row, "left_on", current),
        "note": optional(row, "note", current),
    }
    if host is not None:
        fields["host"] = host
    if district is not None:
        fields["district"] = district
    return fields


def import_talents(actor, parsed, *, source, is_demo=False):
    return apply_simple(
        actor,
        parsed,
        model=Talent,
        sheet=TALENT_SHEET,
        key="id_number",
        resolve=_talent_resolver(),
        action="talents.talent",
        source=source,
        is_demo=is_demo,
        enterprise_columns=("employer",),
    )


def import_teams(actor, parsed, *, source, is_demo=False):
    return apply_simple(
        actor,
        parsed,
        model=Team,
        sheet=TEAM_SHEET,
        key="name",
        resolve=_team_resolve,
        action="talents.team",
        source=source,
        is_demo=is_demo,
        enterprise_columns=("host",),
    )
