"""Loading published figures and their relations to indicators: all or nothing, idempotent.

The figures file (CSV or XLSX, as `ducha/data/tianjin-2018/published-figures.csv`): one
statement a row, columns metric, value, unit, refers_to, comparator (=, > for 超/余, ≈ for
大概; the words themselves are understood too), stated_by, published (YYYY-MM-DD), source_url
and note (the 口径). The relations file: metric, refers_to, indicator (a code of the plan),
relation (same, or different: related, different 口径) and note. Every row is checked first;
a problem names its row and column and nothing is written. Loading the same files again
changes nothing; a corrected row updates its figure. Each change is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ducha.audit.services import diff, record, snapshot
from ducha.core.tables import ImportError_, Problem
from ducha.datavalues.importer import read_file
from ducha.datavalues.sources import SourceError, clean_url
from ducha.engine.numbers import NumberFormatError, parse_number
from ducha.figures.models import Comparator, FigureLink, PublishedFigure, Relation

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "tianjin-2018"
DEFAULT_FILE = DATA_DIR / "published-figures.csv"
DEFAULT_RELATIONS = DATA_DIR / "published-figures-relations.csv"

FIGURE_COLUMNS = [
    "metric",
    "value",
    "unit",
    "refers_to",
    "comparator",
    "stated_by",
    "published",
    "source_url",
    "note",
]
REQUIRED = set(FIGURE_COLUMNS) - {"note"}
RELATION_COLUMNS = ["metric", "refers_to", "indicator", "relation", "note"]
FIELDS = [
    "value",
    "unit",
    "comparator",
    "wording",
    "stated_by",
    "source_url",
    "note",
]

# How the comparator is written: the symbol, or the word of the original text.
COMPARATORS = {
    "=": (Comparator.EQUAL, ""),
    "": (Comparator.EQUAL, ""),
    ">": (Comparator.OVER, "超"),
    "超": (Comparator.OVER, "超"),
    "超过": (Comparator.OVER, "超"),
    "余": (Comparator.OVER, "余"),
    "≈": (Comparator.ABOUT, "大概"),
    "~": (Comparator.ABOUT, "大概"),
    "约": (Comparator.ABOUT, "约"),
    "大概": (Comparator.ABOUT, "大概"),
}


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: int = 0
    figures: list[PublishedFigure] = field(default_factory=list, repr=False)


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()[:10]
    return str(raw).strip()


def _header(table, wanted: list[str], required: set[str]) -> tuple[dict[str, int], list[Problem]]:
    if not table:
        return {}, [Problem(0, "", _("the file is empty"))]
    columns, problems = {}, []
    for i, cell in enumerate(table[0]):
        name = _text(cell).lower()
        if name in wanted:
            columns[name] = i
        elif name:
            problems.append(Problem(1, _text(cell), _("unknown column")))
    for name in wanted:
        if name not in columns and name in required:
            problems.append(Problem(1, name, _("required column is missing")))
    if not problems and len(table) == 1:
        problems.append(Problem(0, "", _("the file has a header but no rows")))
    return columns, problems


def wording_of(comparator: str, note: str) -> tuple[str, str]:
    """(comparator, original word): ">" is 超 unless the note quotes the original with 余."""
    kind, word = COMPARATORS[comparator]
    if comparator == ">" and "余" in note:
        word = "余"
    if comparator == "≈" and "约" in note and "大概" not in note:
        word = "约"
    return kind, word


def check_figures(table) -> list[dict]:
    columns, problems = _header(table, FIGURE_COLUMNS, REQUIRED)
    if problems:
        raise ImportError_(problems)
    rows, seen = [], {}
    for number, raw in enumerate(table[1:], start=2):
        cells = {k: _text(raw[i]) if i < len(raw) else "" for k, i in columns.items()}
        if not any(cells.values()):
            continue

        def fail(column: str, message: str, number=number) -> None:
            problems.append(Problem(number, column, message))

        for name in REQUIRED:
            if not cells.get(name):
                fail(name, _("is empty"))
        limits = {"metric": 200, "unit": 20, "refers_to": 40, "stated_by": 200}
        for name, limit in limits.items():
            if len(cells.get(name, "")) > limit:
                fail(name, _("is longer than %d characters") % limit)
        value = None
        if cells.get("value"):
            try:
                parsed = parse_number(cells["value"])
                value = parsed.value
            except NumberFormatError:
                fail("value", _("%s is not a number") % cells["value"][:30])
        comparator = cells.get("comparator", "")
        if comparator not in COMPARATORS:
            fail(
                "comparator",
                _("“%s” is not a comparator; write =, > (超, 余) or ≈ (大概)") % comparator[:10],
            )
        published = None
        if cells.get("published"):
            try:
                published = dt.date.fromisoformat(cells["published"])
            except ValueError:
                fail("published", _("%s is not a date (YYYY-MM-DD)") % cells["published"][:30])
        url = ""
        if cells.get("source_url"):
            try:
                url = clean_url(cells["source_url"])
            except SourceError as exc:
                fail("source_url", exc.message)
        key = (cells.get("metric"), cells.get("refers_to"), published)
        if key in seen:
            fail("metric", _("the same statement is also on row %d") % seen[key])
        seen[key] = number
        if len(problems) >= 200:
            break
        if problems:
            continue
        kind, word = wording_of(comparator, cells.get("note", ""))
        rows.append(
            {
                "metric": cells["metric"],
                "refers_to": cells["refers_to"],
                "published_on": published,
                "value": value,
                "unit": cells["unit"],
                "comparator": kind,
                "wording": word,
                "stated_by": cells["stated_by"],
                "source_url": url,
                "note": cells.get("note", "")[:2000],
            }
        )
    if problems:
        raise ImportError_(problems)
    return rows


def check_relations(table, plan, figures: dict[tuple[str, str], list[dict]]) -> list[dict]:
    """Relation rows; `figures` are the loaded figures by (metric, refers_to)."""
    columns, problems = _header(table, RELATION_COLUMNS, {"metric", "indicator", "relation"})
    if problems:
        raise ImportError_(problems)
    indicators = {i.code: i for i in plan.indicators.all()}
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        cells = {k: _text(raw[i]) if i < len(raw) else "" for k, i in columns.items()}
        if not any(cells.values()):
            continue
        found = figures.get((cells.get("metric", ""), cells.get("refers_to", "")))
        if not found:
            problems.append(
                Problem(
                    number,
                    "metric",
                    _("no figure “%(metric)s” (%(when)s) in the figures file")
                    % {"metric": cells.get("metric", "")[:60], "when": cells.get("refers_to", "")},
                )
            )
        indicator = indicators.get(cells.get("indicator", ""))
        if indicator is None:
            problems.append(
                Problem(
                    number,
                    "indicator",
                    _("no indicator %(code)s in plan %(plan)s")
                    % {"code": cells.get("indicator", "")[:40], "plan": plan.code},
                )
            )
        relation = cells.get("relation", "")
        if relation not in Relation.values:
            problems.append(
                Problem(number, "relation", _("write same or different, not “%s”") % relation[:20])
            )
        if found and indicator is not None and relation in Relation.values:
            for figure in found:
                rows.append(
                    {
                        "key": (figure["metric"], figure["refers_to"], figure["published_on"]),
                        "indicator": indicator,
                        "relation": relation,
                        "note": cells.get("note", "")[:300],
                    }
                )
    if problems:
        raise ImportError_(problems)
    return rows


def load_files(actor, path: Path, plan, relations: Path | None = None) -> LoadReport:
    """Check both files completely, then write everything in one transaction."""
    figure_rows = check_figures(read_file(path))
    by_metric: dict[tuple[str, str], list[dict]] = {}
    for row in figure_rows:
        by_metric.setdefault((row["metric"], row["refers_to"]), []).append(row)
    link_rows = []
    if relations:
        try:
            link_rows = check_relations(read_file(relations), plan, by_metric)
        except ImportError_ as exc:
            exc.file = relations.name  # the problems are in the relations file
            raise
    return _write(actor, figure_rows, link_rows, source=path.name)


@transaction.atomic
def _write(actor, figure_rows, link_rows, *, source: str) -> LoadReport:
    report = LoadReport()
    by_key = {}
    for row in figure_rows:
        key = (row["metric"], row["refers_to"], row["published_on"])
        current = (
            PublishedFigure.objects.select_for_update()
            .filter(metric=key[0], refers_to=key[1], published_on=key[2])
            .first()
        )
        values = {k: row[k] for k in FIELDS}
        if current is None:
            current = PublishedFigure.objects.create(
                metric=row["metric"],
                refers_to=row["refers_to"],
                published_on=row["published_on"],
                **values,
            )
            report.created += 1
            record(
                actor, "figures.figure.created", current, changes=diff({}, values), comment=source
            )
        else:
            before = snapshot(current, FIELDS)
            for k, v in values.items():
                setattr(current, k, v)
            changes = diff(before, snapshot(current, FIELDS))
            if changes:
                current.save()
                report.updated += 1
                record(actor, "figures.figure.updated", current, changes=changes, comment=source)
            else:
                report.unchanged += 1
        by_key[key] = current
        report.figures.append(current)
    for row in link_rows:
        figure = by_key[row["key"]]
        link, created = FigureLink.objects.get_or_create(
            figure=figure,
            indicator=row["indicator"],
            defaults={"relation": row["relation"], "note": row["note"]},
        )
        if created or (link.relation, link.note) != (row["relation"], row["note"]):
            link.relation, link.note = row["relation"], row["note"]
            link.save()
            report.links += 1
            record(
                actor,
                "figures.link.saved",
                figure,
                changes={"indicator": row["indicator"].code, "relation": row["relation"]},
                comment=source,
            )
    return report
