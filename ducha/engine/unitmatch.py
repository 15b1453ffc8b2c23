"""Names of responsible units, as plans write them, matched to org units (plain Python).

A 任务分工 table names its units the way officials write them: the full name
(天津市工业和信息化局), the name without the city (市工业和信息化局), a short form (市工信局),
a pre-reform name (市工信委), a name with the 市 dropped (发展改革委), or a collective
(各区人民政府: every district; 各功能区: every functional zone). :class:`UnitMatcher` turns each
written name into org-unit codes, and says how it matched, so that nothing is assigned by a
guess nobody can see, and a name that matches nothing is reported rather than dropped.

How a name is matched, first hit wins:

1. ``exact``: the name, code, short name or an alias of exactly one unit;
2. ``normalised``: the same after the variations that carry no meaning are removed: the city
   prefix (天津市/天津), 人民政府 → 政府, 委员会 → 委, a bracketed second name
   (市交通运输委（市道运局）), full-width forms and spaces;
3. ``collective``: 各区/各区人民政府/各区政府 (every district), 各功能区/各开发区 and their
   管委会 (every zone), 全市/市政府 (the city) when the org units have them;
4. ``short``: a short form whose characters appear, in order, in the name of exactly one unit
   with the same ending (局, 委, 办, 部, 中心 …) and the same first character: 市工信局 →
   市工业和信息化局, 市发改委 → 市发展和改革委员会. Two or more candidates are no match.

Anything else is ``none`` and comes back with no codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["OrgUnitRecord", "UnitMatch", "UnitMatcher", "split_unit_names"]


@dataclass(frozen=True)
class OrgUnitRecord:
    code: str
    name: str
    kind: str  # city | district | zone | department | office
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    parent: str | None = None

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.code, self.name, self.short_name, *self.aliases) if n)


@dataclass(frozen=True)
class UnitMatch:
    written: str
    codes: tuple[str, ...] = ()
    how: str = "none"  # exact | normalised | collective | short | none

    @property
    def matched(self) -> bool:
        return bool(self.codes)


@dataclass
class UnitMatcher:
    units: list[OrgUnitRecord]
    _exact: dict[str, str | None] = field(default_factory=dict, repr=False)
    _normal: dict[str, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units:
            for name in unit.names():
                _add(self._exact, name, unit.code)
                for form in _forms(name):
                    _add(self._normal, form, unit.code)

    @classmethod
    def from_file(cls, path: str | Path) -> UnitMatcher:
        """The units of a ``ducha-orgunits/1`` file (docs/plan-format.md)."""
        import yaml

        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return cls(
            [
                OrgUnitRecord(
                    code=str(entry["code"]),
                    name=str(entry["name"]),
                    kind=str(entry.get("kind") or "department"),
                    short_name=str(entry.get("short_name") or ""),
                    aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                    parent=str(entry["parent"]) if entry.get("parent") else None,
                )
                for entry in data.get("units") or ()
            ]
        )

    def match(self, written: str) -> UnitMatch:
        name = written.strip()
        if not name:
            return UnitMatch(written)
        code = self._exact.get(name)
        if code:
            return UnitMatch(written, (code,), "exact")
        for form in _forms(name):
            code = self._normal.get(form)
            if code:
                return UnitMatch(written, (code,), "normalised")
        collective = self._collective(name)
        if collective:
            return UnitMatch(written, collective, "collective")
        code = self._short(name)
        if code:
            return UnitMatch(written, (code,), "short")
        return UnitMatch(written)

    def match_all(self, names: Iterable[str]) -> list[UnitMatch]:
        return [self.match(name) for name in names]

    def _collective(self, name: str) -> tuple[str, ...]:
        key = _normalise(name)
        for pattern, kind in _COLLECTIVES:
            if pattern.fullmatch(key):
                return tuple(u.code for u in self.units if u.kind == kind)
        return ()

    def _short(self, name: str) -> str | None:
        key = _normalise(name)
        if len(key) < 3:
            return None
        ending = _ending(key)
        if not ending:
            return None
        found: set[str] = set()
        for unit in self.units:
            for candidate in {f for full in unit.names() for f in _forms(full)}:
                if (
                    len(candidate) > len(key)
                    and _ending(candidate) == ending
                    and candidate[0] == key[0]
                    and _is_subsequence(key, candidate)
                ):
                    found.add(unit.code)
        return found.pop() if len(found) == 1 else None


# --- splitting a cell of names ------------------------------------------------------------------

_SEPARATORS = re.compile(r"[、，,；;/／\s]+|(?<=[局委办部厅院区府心会司行队所社联])(?:和|及|与)")
# 各区、县级市 / 各有关区、县级市 are one collective, not two units.
_COLLECTIVE_TAIL = re.compile(r"^(?:县级市|县（市、区）|县\(市、区\)|县|市|旗)$")
_ETC = re.compile(r"(?:等(?:单位|部门)?|按职责分工负责|分别负责|按职责负责|负责)$")


def split_unit_names(cell: str) -> list[str]:
    """``市发展改革委、市工信局，各区人民政府`` → three names; empty pieces and 等 dropped."""
    text = unicodedata.normalize("NFKC", cell or "").strip().strip("。；;，,")
    pieces = [p for p in _SEPARATORS.split(text) if p]
    names: list[str] = []
    for piece in pieces:
        piece = _ETC.sub("", piece).strip()
        if not piece:
            continue
        if names and names[-1].startswith("各") and _COLLECTIVE_TAIL.match(piece):
            names[-1] = f"{names[-1]}、{piece}"
            continue
        names.append(piece)
    return names


# --- forms of a name ----------------------------------------------------------------------------

_CITY_PREFIXES = ("中共天津市委", "天津市", "天津")
_BRACKET = re.compile(r"[(（][^()（）]*[)）]")
_COLLECTIVES = (
    (re.compile(r"各(?:有关)?区(?:政府|人民政府)?"), "district"),
    (re.compile(r"各(?:有关)?(?:功能区|开发区|园区)(?:管委会|管理委员会)?"), "zone"),
    (re.compile(r"(?:全市|市政府|市人民政府)"), "city"),
)
_ENDINGS = ("中心", "委员会", "政府", "局", "委", "办", "部", "厅", "院", "区", "会", "署", "室")


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\s+", "", text)
    text = _BRACKET.sub("", text) or text
    return text


def _forms(name: str) -> list[str]:
    """The name with meaningless variations removed, most specific first."""
    base = _normalise(name)
    forms = [base]
    for prefix in _CITY_PREFIXES:
        if base.startswith(prefix) and len(base) > len(prefix) + 1:
            rest = base[len(prefix) :]
            forms.append(rest)
            forms.append(("市委" if prefix == "中共天津市委" else "市") + rest)
            break
    more = []
    for form in forms:
        more.append(form.replace("人民政府", "政府"))
        if form.endswith("委员会"):
            more.append(form[: -len("委员会")] + "委")
    out: list[str] = []
    for form in forms + more:
        if form and form not in out:
            out.append(form)
    return out


def _ending(name: str) -> str:
    ending = next((e for e in _ENDINGS if name.endswith(e)), "")
    return "委" if ending == "委员会" else ending


def _is_subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def _add(mapping: dict[str, str | None], key: str, code: str) -> None:
    if key in mapping and mapping[key] != code:
        mapping[key] = None  # two units share the name: it names neither
    else:
        mapping[key] = code
