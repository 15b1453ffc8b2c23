"""Command-line face of the extractor, wrapped by the ``ducha extract`` management command.

Runs on its own too, without Django: ``python -m ducha.engine.extract.cli FILE --format jsonl``.
Exit codes: 0 done, 1 the document could not be read, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from ducha.engine import textwidth
from ducha.engine.extract.assignments import Assignment, find_assignments
from ducha.engine.extract.plan_yaml import to_plan_yaml
from ducha.engine.extract.reader import ExtractionError, read_document
from ducha.engine.extract.structure import parse_structure
from ducha.engine.extract.targets import ExtractedTarget, extract_targets, to_jsonl
from ducha.engine.unitmatch import UnitMatcher

FORMATS = ("jsonl", "yaml", "table", "assignments")

__all__ = ["FORMATS", "assignments_jsonl", "main", "run"]


def run(
    path: str,
    fmt: str,
    out_stream: TextIO,
    code: str | None = None,
    *,
    err_stream: TextIO | None = None,
    orgunits: str | None = None,
) -> int:
    """Extract from ``path`` and write ``fmt`` (jsonl | yaml | table) to ``out_stream``."""
    err_stream = err_stream or sys.stderr
    if fmt not in FORMATS:
        err_stream.write(f"error: unknown format {fmt!r}; use one of {', '.join(FORMATS)}\n")
        return 2
    try:
        text = read_document(path)
    except ExtractionError as error:
        err_stream.write(f"error: {error.text}\n")
        return 1
    document = parse_structure(text)
    targets = extract_targets(document)
    if fmt == "jsonl":
        out_stream.write(to_jsonl(targets))
    elif fmt == "yaml":
        matcher = UnitMatcher.from_file(orgunits) if orgunits else None
        try:
            out_stream.write(
                to_plan_yaml(
                    document,
                    targets,
                    code=code,
                    assignments=find_assignments(document),
                    matcher=matcher,
                )
            )
        except ValueError as error:
            err_stream.write(f"error: {error}\n")
            return 2
    elif fmt == "assignments":
        matcher = UnitMatcher.from_file(orgunits) if orgunits else None
        out_stream.write(assignments_jsonl(find_assignments(document), matcher))
    else:
        out_stream.write(format_table(targets))
    return 0


def assignments_jsonl(assignments: Sequence[Assignment], matcher: UnitMatcher | None) -> str:
    """One JSON object a 任务分工 row: the task, its units as written, their org-unit codes
    (with ``matcher``) and the names that matched none, the deadline."""
    lines = []
    for assignment in assignments:
        row = assignment.to_dict()
        if matcher is not None:
            for role, names in (("lead", assignment.lead), ("support", assignment.support)):
                matches = matcher.match_all(names)
                row[f"{role}_codes"] = [c for m in matches for c in m.codes]
                row[f"{role}_unmatched"] = [m.written for m in matches if not m.matched]
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(lines)


TABLE_HEADER = ("node", "year", "value", "unit", "cmp", "kind", "dir", "indicator")
TABLE_FOOTER = "{n} targets"


def format_table(
    targets: Sequence[ExtractedTarget],
    header: Sequence[str] = TABLE_HEADER,
    footer: str = TABLE_FOOTER,
    words: Mapping[str, str] | None = None,
) -> str:
    """An aligned text table for reading in a terminal (CJK characters count as two columns).
    ``header``, ``footer`` (with ``{n}``) and ``words`` (the comparator, kind and direction
    codes: ">=", "level", "increase" …, and "range" between a range's ends) as the reader
    says them come in the reader's language
    from the caller; without ``words`` the codes are shown as they are."""
    said = dict(words or {})
    rows = [tuple(header)] + [
        (
            t.node_key,
            str(t.year or ""),
            _value_text(t, said.get("range", "-")),
            t.unit,
            said.get(t.comparator, t.comparator),
            said.get(t.kind, t.kind),
            said.get(t.direction, "+" if t.direction == "increase" else "-"),
            t.indicator,
        )
        for t in targets
    ]
    lines = textwidth.table(rows)
    lines.append(footer.format(n=len(targets)))
    return "\n".join(lines) + "\n"


def _value_text(target: ExtractedTarget, to: str = "-") -> str:
    low, high = target.value_min, target.value_max
    return f"{low}" if low == high else f"{low}{to}{high}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Extract quantified targets from a policy document"
    )
    parser.add_argument("file")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--code", default=None, help="plan code for --format yaml")
    parser.add_argument(
        "--orgunits", default=None, help="ducha-orgunits/1 file to match 分工 units against"
    )
    args = parser.parse_args(argv)
    return run(args.file, args.format, sys.stdout, code=args.code, orgunits=args.orgunits)


if __name__ == "__main__":
    raise SystemExit(main())
