"""Scorecard arithmetic, pure Python (no Django): shares, the weighted total, ranks.

Reporting rate as DHIS2 defines it: actual reports / expected reports, and the on-time rate:
reports submitted by the deadline / expected reports. Here an expected report is an
assignment, an actual report one that was submitted at least once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COMPONENTS = ("timeliness", "completeness", "progress", "quality")


@dataclass
class Tally:
    expected: int = 0  # assignments
    reported: int = 0  # submitted at least once
    on_time: int = 0  # first submitted by the round's deadline
    approved: int = 0  # approved by the office
    with_evidence: int = 0  # submitted with at least one evidence file
    returned: int = 0  # submitted and returned at least once

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Card:
    key: object
    tally: Tally
    progress_score: float | None  # 0..4, the engine's roll-up of the items the unit leads
    led_items: int
    components: dict[str, float | None] = field(default_factory=dict)
    total: float | None = None
    rank: int | None = None

    @property
    def reporting_rate(self) -> float | None:
        return share(self.tally.reported, self.tally.expected)

    @property
    def on_time_rate(self) -> float | None:
        return share(self.tally.on_time, self.tally.expected)


def score(card: Card, weights: dict[str, float]) -> Card:
    """Components as 0..100 and their weighted mean over the components that have a value."""
    t = card.tally
    quality_parts = [
        x
        for x in (
            share(t.with_evidence, t.reported),
            (1 - share(t.returned, t.reported)) if t.reported else None,
        )
        if x is not None
    ]
    card.components = {
        "timeliness": _pct(share(t.on_time, t.expected)),
        "completeness": _pct(share(t.approved, t.expected)),
        "progress": None if card.progress_score is None else card.progress_score / 4 * 100,
        "quality": _pct(sum(quality_parts) / len(quality_parts)) if quality_parts else None,
    }
    used = {k: w for k, w in weights.items() if w > 0 and card.components.get(k) is not None}
    total_weight = sum(used.values())
    card.total = (
        sum(card.components[k] * w for k, w in used.items()) / total_weight
        if total_weight
        else None
    )
    return card


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100


def rank(cards: list[Card]) -> list[Card]:
    """Highest total first; equal totals (to 0.01) share a rank; no total, no rank, last."""
    scored = sorted((c for c in cards if c.total is not None), key=lambda c: -c.total)
    previous, position = None, 0
    for i, card in enumerate(scored, start=1):
        value = round(card.total, 2)
        if value != previous:
            position, previous = i, value
        card.rank = position
    return scored + [c for c in cards if c.total is None]


@dataclass
class Part:
    """One line of how a score was made: a component, its inputs, value, weight, share."""

    name: str
    inputs: dict[str, int | float | None]
    value: float | None  # 0..100, None when the unit has no data for it (not counted)
    weight: float  # as the office set it
    used_weight: float  # its share of the weights counted, 0..1 (0: not counted)
    points: float | None  # value × used_weight: what it adds to the total


def breakdown(card: Card, weights: dict[str, float]) -> list[Part]:
    """How ``score`` made ``card.total``: the parts add up to it (to rounding).

    Only outcomes (progress of the items the unit leads), timeliness and data quality count:
    every input is a count of assignments or the engine's roll-up, never a login or a click.
    """
    t = card.tally
    inputs = {
        "timeliness": {"on_time": t.on_time, "expected": t.expected},
        "completeness": {"approved": t.approved, "expected": t.expected},
        "progress": {
            "led_items": card.led_items,
            "rollup": None if card.progress_score is None else round(card.progress_score, 2),
        },
        "quality": {
            "with_evidence": t.with_evidence,
            "returned": t.returned,
            "reported": t.reported,
        },
    }
    used = {k: w for k, w in weights.items() if w > 0 and card.components.get(k) is not None}
    total_weight = sum(used.values())
    parts = []
    for name in COMPONENTS:
        value = card.components.get(name)
        share_ = used[name] / total_weight if name in used else 0.0
        parts.append(
            Part(
                name,
                inputs[name],
                value,
                float(weights.get(name, 0)),
                share_,
                None if name not in used else value * share_,
            )
        )
    return parts
