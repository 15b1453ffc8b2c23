"""Writes to the enterprise register: an import (all or nothing), one enterprise edited, a
tier granted or ended. Every write checks the policy and leaves audit entries; the
indicators counted from enterprises are recomputed by the caller (registers.services)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ducha.audit.services import record
from ducha.core.policies import require
from ducha.enterprises.models import (
    Enterprise,
    EnterpriseIndustry,
    EnterpriseTier,
    EnterpriseYear,
    RankingListing,
)
from ducha.registers.base import ImportReport
from ducha.registers.columns import CellError
from ducha.registers.importer import ParsedSheet, Problems
from ducha.registers.references import References
from ducha.registers.simple import restoring
from ducha.registers.writing import assign, insert_rows, write

MAIN, TIERS, RANKINGS = "企业", "称号", "榜单"


def apply_import(
    actor, parsed: dict[str, ParsedSheet], *, source: str, is_demo: bool = False
) -> ImportReport:
    """Write a checked enterprise file: enterprises matched by credit code (created or
    updated; empty cells keep what is stored), their industries, yearly figures, tiers and
    500强 listings. Raises ImportError_ with every problem; the caller's transaction rolls
    back."""
    if actor is not None:
        require(actor, "add", Enterprise)
    refs = References(user=actor)
    problems = Problems()
    report = ImportReport()
    main = parsed.get(MAIN)
    codes = set()
    for sheet in parsed.values():
        codes |= {r.values["credit_code"] for r in sheet.rows if "credit_code" in r.values}
    refs.prefetch_enterprises(codes)
    existing = refs.enterprises_by_code

    enterprises: dict[str, Enterprise] = {}
    creates, updates = [], []
    industry_sets: dict[str, list[str]] = {}
    year_rows: dict[str, dict[int, dict]] = {}
    for row in main.rows if main else []:
        values = row.values
        code = values["credit_code"]
        current = existing.get(code)
        fields: dict = {}
        if "name" in values:
            fields["name"] = values["name"]
        for name in ("address", "note"):
            if name in values:
                fields[name] = values[name]
        if "settled_on" in values:
            fields["settled_on"] = values["settled_on"].date
        if "exited_on" in values:
            fields["exited_on"] = values["exited_on"].last_day
        park = None
        if "park" in values:
            try:
                park = refs.park(values["park"])
                fields["park"] = park
            except CellError as exc:
                problems.at(main, row, "park", str(exc))
        district = _district(refs, values, park, current, code, main, row, problems)
        if district is not None:
            fields["district"] = district
        if "main_industry" in values or "other_industries" in values:
            main_industry = values.get("main_industry") or (current and current.main_industry)
            others = values.get("other_industries") or []
            if not main_industry:
                main_industry = others[0] if others else ""
            fields["main_industry"] = main_industry
            industry_sets[code] = list(dict.fromkeys([main_industry, *others]))
        elif current is None:
            problems.at(main, row, "main_industry", _("is empty; name the main industry"))
        if current is None and "name" not in values:
            problems.at(main, row, "name", _("is empty"))
        if current is None:
            obj = Enterprise(credit_code=code, is_demo=is_demo, **fields)
            creates.append(obj)
        else:
            obj = current
            changes = assign(obj, restoring(current, fields))
            if changes:
                updates.append((obj, changes))
        enterprises[code] = obj
        if row.years:
            for field_key, by_year in row.years.items():
                for year, amount in by_year.items():
                    year_rows.setdefault(code, {}).setdefault(year, {})[field_key] = amount

    tier_rows = _checked_side_rows(parsed.get(TIERS), enterprises, existing, problems)
    ranking_rows = _checked_side_rows(parsed.get(RANKINGS), enterprises, existing, problems)
    for sheet, row in tier_rows:
        since = row.values["since"].date
        until = row.values["until"].last_day if "until" in row.values else None
        if until is not None and until < since:
            problems.at(sheet, row, "until", _("is before the start date"))
    problems.raise_if_any()

    write(
        Enterprise,
        creates,
        updates,
        actor=actor,
        action="enterprises.enterprise",
        comment=source,
        key="credit_code",
    )
    report.created, report.updated = len(creates), len(updates)
    report.unchanged = len(enterprises) - len(creates) - len(updates)
    report.count(MAIN, "created", len(creates))
    report.count(MAIN, "updated", len(updates))
    _write_industries(industry_sets, enterprises)
    related = {
        (MAIN, "years"): _write_years(year_rows, enterprises),
        (TIERS, "written"): _write_tiers(tier_rows, enterprises, existing),
        (RANKINGS, "written"): _write_rankings(ranking_rows, enterprises, existing),
    }
    for (sheet, what), n in related.items():
        report.count(sheet, what, n)
        report.related_changed += n
    return report


def _district(refs, values, park, current, code, sheet, row, problems):
    """The district: as given; else the park's; else the one the address names; else the
    credit code's registering authority. A district that contradicts the park is refused."""
    if "district" in values:
        try:
            district = refs.district(values["district"])
        except CellError as exc:
            problems.at(sheet, row, "district", str(exc))
            return None
        if park is not None and park.district_id != district.pk:
            problems.at(
                sheet,
                row,
                "park",
                _("%(park)s is in %(district)s, not in %(given)s")
                % {"park": park.name, "district": park.district, "given": district},
            )
            return None
        return district
    if park is not None:
        return park.district
    if current is not None:
        return None  # keep the stored district
    if values.get("address"):
        found = refs.district_in_address(values["address"])
        if found is not None:
            return found
    found = refs.district_of_code(code)
    if found is not None:
        return found
    problems.at(
        sheet,
        row,
        "district",
        _(
            "is empty, and neither a park, the address nor the credit code (registered at "
            "%(division)s) says which district"
        )
        % {"division": code[2:8]},
    )
    return None


def _checked_side_rows(sheet, enterprises, existing, problems):
    out = []
    if sheet is None:
        return out
    for row in sheet.rows:
        code = row.values["credit_code"]
        if code not in enterprises and code not in existing:
            problems.at(
                sheet, row, "credit_code", _("no enterprise with this credit code is registered")
            )
            continue
        out.append((sheet, row))
    return out


def _write_industries(sets: dict[str, list[str]], enterprises) -> None:
    if not sets:
        return
    ids = [enterprises[c].pk for c in sets]
    for i in range(0, len(ids), 2000):
        EnterpriseIndustry.objects.filter(enterprise_id__in=ids[i : i + 2000]).delete()
    insert_rows(
        EnterpriseIndustry,
        ["enterprise_id", "industry"],
        (
            (enterprises[code].pk, industry)
            for code, industries in sets.items()
            for industry in industries
            if industry
        ),
    )


def _write_years(rows: dict[str, dict[int, dict]], enterprises) -> int:
    if not rows:
        return 0
    ids = [enterprises[c].pk for c in rows]
    existing = {}
    for i in range(0, len(ids), 2000):
        for y in EnterpriseYear.objects.filter(enterprise_id__in=ids[i : i + 2000]):
            existing[(y.enterprise_id, y.year)] = y
    creates, updates = [], []
    for code, by_year in rows.items():
        pk = enterprises[code].pk
        for year, fields in by_year.items():
            current = existing.get((pk, year))
            if current is None:
                creates.append((pk, year, fields.get("revenue"), fields.get("rd_spending")))
            elif assign(current, fields):
                updates.append(current)
    insert_rows(EnterpriseYear, ["enterprise_id", "year", "revenue", "rd_spending"], creates)
    EnterpriseYear.objects.bulk_update(updates, ["revenue", "rd_spending"], batch_size=2000)
    return len(creates) + len(updates)


def _write_tiers(rows, enterprises, existing) -> int:
    written = 0
    for _sheet, row in rows:
        code = row.values["credit_code"]
        ent = enterprises.get(code) or existing[code]
        since = row.values["since"].date
        until = row.values["until"].last_day if "until" in row.values else None
        tier, created = EnterpriseTier.objects.get_or_create(
            enterprise=ent,
            tier=row.values["tier"],
            since=since,
            defaults={"until": until, "note": row.values.get("note", "")},
        )
        if created:
            written += 1
        elif assign(
            tier,
            {
                "until": until if "until" in row.values else tier.until,
                "note": row.values.get("note", tier.note),
            },
        ):
            tier.save()
            written += 1
    return written


def _write_rankings(rows, enterprises, existing) -> int:
    written = 0
    for _sheet, row in rows:
        code = row.values["credit_code"]
        ent = enterprises.get(code) or existing[code]
        _obj, _created = RankingListing.objects.update_or_create(
            enterprise=ent,
            ranking=row.values["ranking"],
            year=row.values["year"],
            defaults={"rank": row.values.get("rank")},
        )
        written += 1
    return written


@transaction.atomic
def grant_tier(actor, enterprise: Enterprise, tier: str, since: dt.date, until=None, note=""):
    require(actor, "change", enterprise) if actor is not None else None
    obj = EnterpriseTier.objects.create(
        enterprise=enterprise, tier=tier, since=since, until=until, note=note
    )
    record(
        actor,
        "enterprises.tier.granted",
        enterprise,
        changes={"tier": [None, tier], "since": [None, since], "until": [None, until]},
    )
    return obj


@transaction.atomic
def end_tier(actor, tier: EnterpriseTier, until: dt.date) -> EnterpriseTier:
    if actor is not None:
        require(actor, "change", tier.enterprise)
    if until < tier.since:
        raise ValueError(_("a tier cannot end before it starts"))
    old = tier.until
    tier.until = until
    tier.save(update_fields=["until"])
    record(actor, "enterprises.tier.ended", tier.enterprise, changes={"until": [old, until]})
    return tier


@transaction.atomic
def save_enterprise(actor, enterprise: Enterprise, changed: list[str] | None = None):
    """Save an enterprise edited in a form or the admin (the form has validated it)."""
    if actor is not None:
        require(
            actor, "change" if enterprise.pk else "add", enterprise if enterprise.pk else Enterprise
        )
    created = enterprise.pk is None
    enterprise.save()
    if enterprise.main_industry:
        EnterpriseIndustry.objects.get_or_create(
            enterprise=enterprise, industry=enterprise.main_industry
        )
    record(
        actor,
        "enterprises.enterprise.created" if created else "enterprises.enterprise.updated",
        enterprise,
        changes={name: [None, getattr(enterprise, name, None)] for name in changed or []},
    )
    return enterprise


@transaction.atomic
def delete_enterprise(actor, enterprise: Enterprise) -> None:
    if actor is not None:
        require(actor, "delete", enterprise)
    record(
        actor,
        "enterprises.enterprise.deleted",
        enterprise,
        changes={"credit_code": [enterprise.credit_code, None]},
    )
    enterprise.delete()
