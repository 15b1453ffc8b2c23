"""Targets of different plans aligned: proposing links, checking coverage, measure groups.

Pure Python (no Django): the alignment app hands in plain records and stores what comes out.

- ``propose`` suggests links between the targets of a new plan and those of the other plans,
  by measure (the same register computation), unit category, region containment and name
  similarity. The office confirms, edits or rejects each suggestion.
- ``coverage`` checks the targets of a (city) plan against the confirmed links into them: do
  the contributing targets add up (for sums, as a percentage of the city's target), do their
  deadlines fall by the city's, is a target covered by nothing at all.
- ``measure_groups`` joins the targets that measure the same thing (confirmed *same measure*
  and *succeeds* links), so a value reported once serves every one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ducha.engine.units import UNITS, convert

CONTRIBUTES = "contributes_to"
SAME_MEASURE = "same_measure"
SUCCEEDS = "succeeds"
RELATIONS = (CONTRIBUTES, SAME_MEASURE, SUCCEEDS)
# Links along which values are shared: the two targets count the same quantity.
SHARING = frozenset({SAME_MEASURE, SUCCEEDS})

# A suggestion needs at least this much name likeness, unless the computations are the same.
NAME_THRESHOLD = 0.3
# Suggestions kept per target of the new plan, best first.
PER_TARGET = 2


@dataclass(frozen=True)
class Target:
    """One quantified target of one plan, as the proposer and the coverage check see it."""

    id: int
    plan: str  # plan code
    name: str
    unit: str
    kind: str = "level"  # level | change
    aggregation: str = "sum"
    target_min: float = 0.0
    target_max: float | None = None
    deadline_year: int = 0
    # the plan's region and its ancestors, nearest first (("120116", "120000"); () = anywhere)
    region: tuple[str, ...] = ()
    period: tuple[int, int] = (0, 0)  # the plan's period_start, period_end
    computation: str = ""  # a canonical form of a computed indicator's computation, or ""


@dataclass(frozen=True)
class Proposal:
    source: int
    target: int
    relation: str
    score: float
    reasons: tuple[str, ...]


def _clean(name: str) -> str:
    return re.sub(r"[\s\W_“”‘’「」（）()、，,。；;：:]+", "", name)


def _bigrams(text: str) -> set[str]:
    text = _clean(text)
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def name_similarity(a: str, b: str) -> float:
    """Dice coefficient of the names' character pairs (Chinese names share words as pairs:
    人工智能核心产业规模 and 智能科技产业规模 share 智能, 产业, 业规, 规模): 0 to 1."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def category(unit: str) -> str | None:
    spec = UNITS.get(unit)
    return spec.category if spec else None


def relation_by_place(source: Target, target: Target) -> str | None:
    """How the source's plan stands to the target's by region and period: inside a larger
    region, it contributes; the same region and a later period, it succeeds; the same region
    and period, the same measure; regions or periods apart, nothing."""
    src_region = source.region[0] if source.region else None
    tgt_region = target.region[0] if target.region else None
    if src_region == tgt_region:
        if source.period[0] > target.period[0] and source.period[0] >= target.period[1]:
            return SUCCEEDS
        return SAME_MEASURE
    overlap = source.period[0] <= target.period[1] and target.period[0] <= source.period[1]
    if overlap and (tgt_region is None or tgt_region in source.region):
        return CONTRIBUTES
    return None


def score(source: Target, target: Target) -> Proposal | None:
    """The suggestion linking ``source`` to ``target``, or None when they do not fit."""
    if source.plan == target.plan or source.kind != target.kind:
        return None
    cat = category(source.unit)
    if cat is None or cat != category(target.unit):
        return None
    relation = relation_by_place(source, target)
    if relation is None:
        return None
    similarity = name_similarity(source.name, target.name)
    same_computation = bool(source.computation) and source.computation == target.computation
    if similarity < NAME_THRESHOLD and not same_computation:
        return None
    reasons = ["unit_category", "region"]
    value = similarity
    if source.unit == target.unit:
        reasons.append("same_unit")
        value += 0.1
    if same_computation:
        reasons.append("same_computation")
        value += 0.4
    reasons.append(f"name:{similarity:.2f}")
    return Proposal(source.id, target.id, relation, round(min(value, 1.0), 3), tuple(reasons))


def propose(new: list[Target], others: list[Target], per_target: int = PER_TARGET):
    """Suggested links from each target of ``new`` to the best fitting ``others``, best first
    per source target (at most ``per_target`` each)."""
    out: list[Proposal] = []
    for source in new:
        found = [p for t in others if (p := score(source, t)) is not None]
        found.sort(key=lambda p: (-p.score, p.target))
        out += found[:per_target]
    return out


# --- coverage --------------------------------------------------------------------------------

UNCOVERED = "uncovered"  # no confirmed link into the target at all
SHORT = "short"  # contributing targets add up to less than the target
COVERED = "covered"  # they add up to the target or more
LINKED = "linked"  # linked, but the targets do not add up (percentages, means, other units)


@dataclass
class Coverage:
    target: Target
    contributors: list[Target] = field(default_factory=list)
    same: list[Target] = field(default_factory=list)  # same measure / succeeded by
    total: float | None = None  # Σ contributing targets in the target's unit, where additive
    share: float | None = None  # total / target, as a percentage
    late: list[Target] = field(default_factory=list)  # contributors due after the target
    status: str = UNCOVERED


def additive(target: Target) -> bool:
    """Whether contributing targets add up to this one: a level summed over units."""
    return (
        target.kind == "level"
        and target.aggregation == "sum"
        and category(target.unit)
        in (
            "money",
            "count",
            "physical",
        )
    )


def coverage(targets: list[Target], links: list[tuple[Target, Target, str]]) -> list[Coverage]:
    """For every target of ``targets`` (one plan's, in order), what the confirmed ``links``
    (source, target, relation) bring to it."""
    by_id = {t.id: Coverage(t) for t in targets}
    for source, target, relation in links:
        cov = by_id.get(target.id)
        if cov is None:
            continue
        if relation == CONTRIBUTES:
            cov.contributors.append(source)
        else:
            cov.same.append(source)
    for cov in by_id.values():
        _judge(cov)
    return list(by_id.values())


def _judge(cov: Coverage) -> None:
    t = cov.target
    cov.late = [c for c in cov.contributors if c.deadline_year > t.deadline_year]
    if not cov.contributors and not cov.same:
        cov.status = UNCOVERED
        return
    if not cov.contributors or not additive(t):
        cov.status = LINKED
        return
    total = Decimal(0)
    for c in cov.contributors:
        try:
            total += convert(Decimal(str(c.target_min)), c.unit, t.unit)
        except ValueError:
            cov.status = LINKED  # 亿元 against 家: nothing to add up
            return
    cov.total = float(total)
    if t.target_min > 0:
        cov.share = round(float(total) / t.target_min * 100, 1)
    cov.status = COVERED if float(total) >= t.target_min else SHORT


# --- measure groups --------------------------------------------------------------------------


def measure_groups(links: list[tuple[int, int]]) -> dict[int, frozenset[int]]:
    """{target id: every target id measuring the same quantity, itself included}, from the
    (source, target) pairs of confirmed sharing links (union-find). A target in no link is
    absent: it shares with nothing."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, set[int]] = {}
    for x in parent:
        groups.setdefault(find(x), set()).add(x)
    return {x: frozenset(groups[find(x)]) for x in parent}


def merge_shared(
    own: dict[str, dict[int, float]],
    others: list[dict[str, dict[int, float]]],
    allowed_units=None,
) -> dict[str, dict[int, float]]:
    """One target's {period: {unit: value}} with the values reported against the targets it
    shares a measure with: its own figure wins for a unit and period; the others fill what it
    lacks, in the order given. ``allowed_units`` (a set of org-unit ids, or None for all)
    keeps a district plan to the values of its own region."""
    merged = {period: dict(cell) for period, cell in own.items()}
    for other in others:
        for period, cell in other.items():
            into = merged.setdefault(period, {})
            for unit, value in cell.items():
                if allowed_units is not None and unit not in allowed_units:
                    continue
                into.setdefault(unit, value)
    return {period: cell for period, cell in merged.items() if cell}
