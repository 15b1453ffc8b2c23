"""Score extracted targets against a hand-made gold list, with the BRIEF's matching rule.

A prediction matches a gold target when value_min, value_max and unit are equal and either
sentence contains the other. Each gold target is matched at most once, in gold order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ducha.engine.extract.targets import ExtractedTarget

__all__ = ["Score", "load_gold", "score"]

Gold = Mapping[str, object]


@dataclass
class Score:
    matched: list[tuple[Gold, ExtractedTarget]] = field(default_factory=list)
    missed: list[Gold] = field(default_factory=list)
    spurious: list[ExtractedTarget] = field(default_factory=list)

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
    predictions = list(predicted)
    used: set[int] = set()
    result = Score()
    for item in gold:
        index = next(
            (i for i, p in enumerate(predictions) if i not in used and _matches(p, item)), None
        )
        if index is None:
            result.missed.append(item)
        else:
            used.add(index)
            result.matched.append((item, predictions[index]))
    result.spurious = [p for i, p in enumerate(predictions) if i not in used]
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
