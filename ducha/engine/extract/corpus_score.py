"""The extraction figures of docs/extraction.md, reproduced: every document with its gold.

    python -m ducha.engine.extract.corpus_score            # a table per set, then the totals
    python -m ducha.engine.extract.corpus_score --verbose  # and every miss

Three sets are scored: ``seed`` (the Tianjin 2018 plan, the rules' first tuning text),
``own`` (the documents under engine/tests/corpus/ written for the tests) and the real documents
of engine/tests/corpus/real/, split as sources.yaml says into ``tuning`` (their misses may have
taught a rule) and ``heldout`` (never used to change a rule). For each document: targets
P / R / F1 with the BRIEF's matching rule, the year right on matched targets, and for 分工 rows
the rows found and the lead units right (docs/extraction.md, "Accuracy").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ducha.engine.extract.assignments import find_assignments
from ducha.engine.extract.reader import read_document
from ducha.engine.extract.scoring import (
    AssignmentScore,
    Score,
    load_gold,
    score,
    score_assignments,
)
from ducha.engine.extract.structure import parse_structure
from ducha.engine.extract.targets import extract_targets

REPO = Path(__file__).resolve().parents[3]
SEED_TEXT = REPO / "ducha/data/tianjin-2018/plan.txt"
SEED_GOLD = REPO / "ducha/data/tianjin-2018/gold-targets.jsonl"
OWN = REPO / "ducha/engine/tests/corpus"
REAL = OWN / "real"

__all__ = ["DocumentScore", "main", "score_documents"]


@dataclass
class DocumentScore:
    name: str
    set: str
    targets: Score
    assignments: AssignmentScore | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def years_right(self) -> int:
        return sum(1 for gold, found in self.targets.matched if gold.get("year") == found.year)


def _documents() -> list[tuple[str, str, Path, Path, Path | None]]:
    """(name, set, text, target gold, 分工 gold or None) for every scored document."""
    found = [("tianjin-2018 (seed)", "seed", SEED_TEXT, SEED_GOLD, None)]
    for text in sorted(OWN.glob("*.txt")):
        stem = text.name[: -len(".txt")]
        found.append((stem, "own", text, OWN / f"{stem}.gold.jsonl", None))
    manifest = yaml.safe_load((REAL / "sources.yaml").read_text(encoding="utf-8"))
    for entry in manifest["documents"]:
        name = entry["name"]
        assign = REAL / f"{name}.assign.gold.jsonl"
        found.append(
            (
                name,
                entry["set"],
                REAL / f"{name}.txt",
                REAL / f"{name}.gold.jsonl",
                assign if assign.exists() else None,
            )
        )
    return found


def score_documents(sets: Sequence[str] | None = None) -> list[DocumentScore]:
    results = []
    for name, which, text, gold, assign_gold in _documents():
        if sets and which not in sets:
            continue
        document = parse_structure(read_document(text))
        result = DocumentScore(name, which, score(extract_targets(document), load_gold(gold)))
        if assign_gold is not None:
            result.assignments = score_assignments(
                find_assignments(document), load_gold(assign_gold)
            )
        results.append(result)
    return results


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _line(label: str, matched: int, gold: int, found: int, years: int, rows: str) -> str:
    precision = matched / found if found else 1.0
    recall = matched / gold if gold else 1.0
    return (
        f"{label:<40} {gold:>4} {found:>4} {matched:>4}  {precision:5.3f} {recall:5.3f} "
        f"{_f1(precision, recall):5.3f}  {f'{years}/{matched}':>7}  {rows}"
    )


def format_report(results: Sequence[DocumentScore], verbose: bool = False) -> str:
    header = (
        f"{'document':<40} {'gold':>4} {'got':>4} {'hit':>4}  {'P':>5} {'R':>5} {'F1':>5}  "
        f"{'years':>7}  分工 rows found / lead right / gold"
    )
    out = []
    for which in ("seed", "own", "tuning", "heldout"):
        group = [r for r in results if r.set == which]
        if not group:
            continue
        out += [f"== {which} ==", header]
        totals = [0, 0, 0, 0]
        rows_total = [0, 0, 0]
        for r in group:
            matched = len(r.targets.matched)
            gold = matched + len(r.targets.missed)
            found = matched + len(r.targets.spurious)
            rows = ""
            if r.assignments is not None:
                a = r.assignments
                rows = f"{len(a.matched)} / {a.lead_right} / {a.gold_rows}"
                rows_total[0] += len(a.matched)
                rows_total[1] += a.lead_right
                rows_total[2] += a.gold_rows
            out.append(_line(r.name, matched, gold, found, r.years_right, rows))
            totals = [
                totals[0] + matched,
                totals[1] + gold,
                totals[2] + found,
                totals[3] + r.years_right,
            ]
            if verbose:
                if r.targets.missed or r.targets.spurious:
                    out.append("    " + r.targets.report().replace("\n", "\n    "))
                year_errors = r.targets.field_errors(("year",))
                out += [f"    {e}" for e in year_errors]
                if r.assignments is not None:
                    out.append("    " + r.assignments.report().replace("\n", "\n    "))
        rows = ""
        if rows_total[2]:
            rows = f"{rows_total[0]} / {rows_total[1]} / {rows_total[2]}"
            rows += f"  (lead accuracy {rows_total[1] / rows_total[2]:.3f})"
        out.append(_line(f"total ({which})", totals[0], totals[1], totals[2], totals[3], rows))
        out.append("")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--set", action="append", choices=("seed", "own", "tuning", "heldout"))
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    sys.stdout.write(format_report(score_documents(args.set), verbose=args.verbose) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
