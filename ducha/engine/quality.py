"""Data-quality statistics (what DHIS2's outlier detection and validation rules compute).

Pure Python, no Django. The quality gate (`ducha.quality.gate`) gathers the numbers; these
functions say whether a figure is an outlier or a rule is broken.

- An outlier against history or peers: the modified z-score of Iglewicz and Hoaglin,
  M = 0.6745 (x − median) / MAD, where MAD is the median absolute deviation of the sample;
  |M| > 3.5 flags. When more than half the sample is identical (MAD = 0) there is no score:
  small counts (0, 0, 0, 1 …) would otherwise flag every step, as a mean-deviation fallback
  showed on the demo data.
- Peers are compared by their change on their own previous figure, not by level: districts
  differ in size by a factor of 15, so levels would flag the largest district every period.
- A rule "parts cannot exceed the whole" is broken when the parts add up to more than the
  whole; "the districts add up to the city" when they differ by more than a tolerance share.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

THRESHOLD = 3.5  # Iglewicz and Hoaglin's cut-off for |M|
MAD_SCALE = 0.6745  # the 0.75 quantile of the standard normal: M is comparable to a z-score
MIN_HISTORY = 4  # fewer earlier figures than this say nothing about a new one
MIN_PEERS = 4


@dataclass(frozen=True)
class Outlier:
    score: float  # the modified z-score, signed: positive when above the median
    median: float  # the sample's median (of levels for history, of changes for peers)
    n: int  # the sample size


def modified_z(sample: Sequence[float], x: float) -> float | None:
    """The modified z-score of `x` against `sample`, or None when the sample has no spread."""
    if not sample:
        return None
    centre = median(sample)
    deviations = [abs(v - centre) for v in sample]
    mad = median(deviations)
    if mad > 0:
        return MAD_SCALE * (x - centre) / mad
    return None


def outlier(
    sample: Sequence[float], x: float, *, minimum: int, threshold: float = THRESHOLD
) -> Outlier | None:
    """An Outlier when |M| exceeds `threshold`; None otherwise or with too small a sample."""
    clean = [v for v in sample if v is not None and math.isfinite(v)]
    if len(clean) < minimum or x is None or not math.isfinite(x):
        return None
    score = modified_z(clean, x)
    if score is None or abs(score) <= threshold:
        return None
    return Outlier(score, median(clean), len(clean))


def history_outlier(history: Sequence[float], value: float) -> Outlier | None:
    """`value` against the unit's own earlier figures of the same indicator."""
    return outlier(history, value, minimum=MIN_HISTORY)


def change(value: float, previous: float | None) -> float | None:
    """The relative change on the previous figure; None without a positive previous one."""
    if previous is None or previous <= 0 or value is None:
        return None
    return value / previous - 1


def peer_outlier(peer_changes: Sequence[float], own_change: float | None) -> Outlier | None:
    """A unit's change against the changes of the other units, same indicator and period."""
    if own_change is None:
        return None
    return outlier(peer_changes, own_change, minimum=MIN_PEERS)


def excess(parts: Sequence[float], whole: float) -> float | None:
    """How far the parts add up beyond the whole (a broken "cannot exceed" rule), else None.

    A rounding margin of a millionth of the whole is allowed."""
    total = sum(parts)
    margin = 1e-6 * max(abs(whole), 1.0)
    return total - whole if total - whole > margin else None


def gap(parts_total: float, whole: float, tolerance: float) -> float | None:
    """The share by which the parts' total misses the whole, when above `tolerance`."""
    if whole == 0:
        return None if parts_total == 0 else math.inf
    share = abs(parts_total - whole) / abs(whole)
    return share if share > tolerance else None
