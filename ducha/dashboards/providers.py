"""Extension points: other apps plug their pieces into the dashboards here.

The dashboards are built on what exists (plans, values, assessments) and leave a clean socket
for what other apps add. A provider is a function registered on a hook:

    from ducha.dashboards import providers

    @providers.drilldown.register
    def records_behind(indicator, org_unit, period):
        return reverse(...) if indicator.source == "computed" else None

The providers of the apps ducha ships (the registers, the park register, reporting rounds and
the scorecards) are plugged in by ``ducha.dashboards.wiring`` when the dashboards start, each
only if its app is installed. Each hook has one provider; without one the dashboards fall back
to what the foundation has (documented per hook below) and say so on the page where it matters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


class Hook:
    """One named socket: ``register(fn)`` plugs a provider in, calling the hook calls it."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._provider: Callable[..., Any] | None = None

    def register(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        self._provider = fn
        return fn

    def unregister(self) -> None:
        self._provider = None

    @property
    def provider(self) -> Callable[..., Any] | None:
        return self._provider

    @contextmanager
    def replaced(self, fn: Callable[..., Any] | None):
        """Another provider (or none) for the duration of a block, then the previous one."""
        saved = self._provider
        self._provider = fn
        try:
            yield fn
        finally:
            self._provider = saved

    @property
    def available(self) -> bool:
        return self._provider is not None

    def __call__(self, *args, **kwargs):
        if self._provider is None:
            return None
        return self._provider(*args, **kwargs)


@dataclass(frozen=True)
class RankRow:
    """One unit's place in the assessment ranking (考核排名)."""

    org_unit_id: int
    rank: int
    score: float | None = None
    label: str = ""  # e.g. "优秀" or the band the office uses
    url: str = ""  # the unit's scorecard, where there is one


@dataclass(frozen=True)
class ParkPoint:
    """A park on the map: where it is and what the plan wants it to grow."""

    name: str
    district: str  # GB/T 2260 code of the district it lies in
    lng: float
    lat: float
    industries: list[str] = field(default_factory=list)
    url: str = ""  # its page in the park register, when there is one


@dataclass(frozen=True)
class Round:
    """The reporting round before "as of": what "changed since the last round" compares with."""

    cutoff: dt.date  # the assessment as of this date is "before"
    label: str


drilldown = Hook(
    "drilldown",
    """(indicator, org_unit or None, period code or None) -> URL of the records behind that
    number, or None. Provided by the registers for computed indicators. Without it, computed
    indicators say that the records are not connected yet.""",
)

ranking = Hook(
    "ranking",
    """(plan, as_of date, user) -> list[RankRow] or None: the places ``user`` may see. Provided
    by the scorecards (考核排名). Without it, or when it returns None (no round by as_of), no
    rank is shown and the map offers no rank layer.""",
)

parks = Hook(
    "parks",
    """(plan) -> list[ParkPoint] or None. Provided by the park register (the parks that have
    a point). Without it, the map shows no parks.""",
)

previous_round = Hook(
    "previous_round",
    """(plan, as_of date) -> Round or None. Provided by reporting rounds: the last round closed
    before as_of. Without it, or before the first round closes, "since the last round" means
    since the end of the quarter before as_of's quarter, i.e. the current quarter's approvals.""",
)

unit_scorecard = Hook(
    "unit_scorecard",
    """(plan, org_unit, as_of date, user) -> list of (label, value, note) rows added to a unit's
    scorecard (reporting rate, completeness, evidence quality …). Provided by the scorecards.
    Without it, the scorecard shows what the values themselves tell.""",
)
