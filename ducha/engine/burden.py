"""The reporting burden of a round (基层减负): what the units were asked, what the system filled
in for them, what they had to type, and how long they took. Pure: no Django import.

Per assignment (`Item`): the fields asked, those the system prefilled, those the person typed
(left empty by the system, or changed from its proposal), when a person of the unit first
opened it and when it was first submitted. Per unit: the sums, and the time from its first
opening of any of its assignments to its last first submission (only when both are known).
Per round: the sums over units and the median unit's time. Logins and clicks are never counted.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    unit: object  # any key of the unit (its id)
    asked: frozenset[str]
    prefilled: frozenset[str] = frozenset()
    typed: frozenset[str] = frozenset()
    opened_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None


@dataclass
class Tally:
    assignments: int = 0
    asked: int = 0
    prefilled: int = 0
    typed: int = 0
    confirmed: int = 0  # prefilled and kept as proposed

    def add(self, item: Item) -> None:
        asked = item.asked
        prefilled = item.prefilled & asked
        typed = item.typed & asked
        self.assignments += 1
        self.asked += len(asked)
        self.prefilled += len(prefilled)
        self.typed += len(typed)
        self.confirmed += len(prefilled - typed)

    @property
    def prefilled_share(self) -> float | None:
        return self.prefilled / self.asked if self.asked else None

    @property
    def typed_share(self) -> float | None:
        return self.typed / self.asked if self.asked else None


@dataclass
class UnitBurden(Tally):
    unit: object = None
    first_opened: dt.datetime | None = None
    last_submitted: dt.datetime | None = None
    submitted: int = 0

    @property
    def hours(self) -> float | None:
        """From the unit's first opening to its last first submission, in hours."""
        if self.first_opened is None or self.last_submitted is None:
            return None
        return max((self.last_submitted - self.first_opened).total_seconds(), 0.0) / 3600


@dataclass
class RoundBurden(Tally):
    units: list[UnitBurden] = field(default_factory=list)

    @property
    def timed_units(self) -> list[UnitBurden]:
        return [u for u in self.units if u.hours is not None]

    @property
    def median_hours(self) -> float | None:
        hours = [u.hours for u in self.timed_units]
        return statistics.median(hours) if hours else None


def summarise(items: Iterable[Item]) -> RoundBurden:
    """The round's burden, its units in the order their first item came."""
    total = RoundBurden()
    units: dict[object, UnitBurden] = {}
    for item in items:
        unit = units.get(item.unit)
        if unit is None:
            unit = units[item.unit] = UnitBurden(unit=item.unit)
        unit.add(item)
        total.add(item)
        if item.opened_at is not None and (
            unit.first_opened is None or item.opened_at < unit.first_opened
        ):
            unit.first_opened = item.opened_at
        if item.submitted_at is not None:
            unit.submitted += 1
            if unit.last_submitted is None or item.submitted_at > unit.last_submitted:
                unit.last_submitted = item.submitted_at
    total.units = list(units.values())
    return total
