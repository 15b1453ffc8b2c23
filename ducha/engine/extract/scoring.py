"""Score extracted targets against a hand-made gold list, with the BRIEF's matching rule.

A prediction matches a gold target when value_min, value_max and unit are equal and either
sentence contains the other. Each gold target is matched at most once, in gold order.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ducha.engine.extract.targets import ExtractedTarget

__all__ = ["Score", "load_gold", "score"]

Gold = Mapping[str, object]


@dataclass
class _Pairing:
    """Gold items paired with predictions, each gold item at most once, in gold order."""

    matched: list[tuple[Gold, Any]] = field(default_factory=list)
    missed: list[Gold] = field(default_factory=list)
    spurious: list[Any] = field(default_factory=list)

    def pair(self, predicted: Iterable[Any], gold: Iterable[Gold], matches) -> None:
        predictions = list(predicted)
        used: set[int] = set()
        for item in gold:
            index = next(
                (i for i, p in enumerate(predictions) if i not in used and matches(p, item)),
                None,
            )
            if index is None:
                self.missed.append(item)
            else:
                used.add(index)
                self.matched.append((item, predictions[index]))
        self.spurious = [p for i, p in enumerate(predictions) if i not in used]


@dataclass
class Score(_Pairing):
    @property
    def precision(self) -> float:
        total = len(self.matched) + len(self.spurious)
        return len(self.matched) / total if total else 1.0

    @property
    def recall(self) -> float:
        total = len(self.matched) + len(self.missed)
        return len(self.matched) / total if total else 1.0

    def field_errors(self, names: Sequence[str] = ("year", "comparator", "kind")) -> list[str]:
        """For matched pairs, the fields that differ (only fields the gold states)."""
        errors = []
        for gold, predicted in self.matched:
            for name in names:
                if name in gold and gold[name] != getattr(predicted, name):
                    errors.append(
                        f"{name}: {getattr(predicted, name)!r} instead of {gold[name]!r}"
                        f" in {gold['sentence']}"
                    )
        return errors

    def report(self) -> str:
        lines = [f"precision {self.precision:.3f}  recall {self.recall:.3f}"]
        lines += [f"  missed:   {json.dumps(g, ensure_ascii=False)}" for g in self.missed]
        lines += [
            f"  spurious: {json.dumps(p.to_dict(), ensure_ascii=False)}" for p in self.spurious
        ]
        return "\n".join(lines)


def load_gold(path: str | Path) -> list[dict[str, object]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(predicted: Iterable[ExtractedTarget], gold: Iterable[Gold]) -> Score:
    result = Score()
    result.pair(predicted, gold, _matches)
    return result


def _matches(predicted: ExtractedTarget, gold: Gold) -> bool:
    return (
        predicted.value_min == Decimal(str(gold["value_min"]))
        and predicted.value_max == Decimal(str(gold["value_max"]))
        and predicted.unit == gold["unit"]
        and (
            predicted.sentence in str(gold["sentence"])
            or str(gold["sentence"]) in predicted.sentence
        )
    )


# --- 任务分工 rows --------------------------------------------------------------------------------


@dataclass
class AssignmentScore(_Pairing):
    """Gold 分工 rows matched to extracted ones by their task (either contains the other)."""

    @property
    def gold_rows(self) -> int:
        return len(self.matched) + len(self.missed)

    @property
    def lead_right(self) -> int:
        """Gold rows whose extracted lead units are exactly the gold's, in any order."""
        return sum(1 for gold, found in self.matched if _units(gold["lead"]) == _units(found.lead))

    @property
    def support_right(self) -> int:
        return sum(
            1 for gold, found in self.matched if _units(gold["support"]) == _units(found.support)
        )

    @property
    def deadline_right(self) -> int:
        return sum(1 for gold, found in self.matched if gold.get("deadline") == found.deadline)

    @property
    def lead_accuracy(self) -> float:
        return self.lead_right / self.gold_rows if self.gold_rows else 1.0

    def report(self) -> str:
        lines = [
            f"rows {len(self.matched)}/{self.gold_rows} found, {len(self.spurious)} spurious; "
            f"lead right {self.lead_right}, support right {self.support_right}, "
            f"deadline right {self.deadline_right}"
        ]
        lines += [f"  missed:   {json.dumps(g, ensure_ascii=False)}" for g in self.missed]
        for gold, found in self.matched:
            if _units(gold["lead"]) != _units(found.lead):
                lines.append(f"  lead:     {found.lead} instead of {gold['lead']} ({gold['task']})")
        lines += [
            f"  spurious: {json.dumps(p.to_dict(), ensure_ascii=False)}" for p in self.spurious
        ]
        return "\n".join(lines)


def score_assignments(predicted: Iterable[object], gold: Iterable[Gold]) -> AssignmentScore:
    result = AssignmentScore()
    result.pair(predicted, gold, _same_task)
    return result


def _same_task(predicted, gold: Gold) -> bool:
    task, found = _plain(str(gold["task"])), _plain(predicted.task or "")
    return bool(found) and (task in found or found in task)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _units(names: Iterable[str]) -> list[str]:
    return sorted(_plain(n) for n in names)
