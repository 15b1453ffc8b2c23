"""A draft ``ducha-plan/1`` file (docs/plan-format.md) from an extracted document.

The file is a proposal for a person to review: ``state: draft``, every indicator with an
explicit direction, and the source sentence beside each indicator so the review screen can
highlight it in the node text. When the document has a 任务分工 (``assignments``) and org units
to match them against (``matcher``), every task becomes a milestone with its lead unit,
supporting units and deadline, and every target in a task's text gets the task's units (and its
deadline when the target states none): loading the file assigns the work. The platform has one
lead unit an item; further lead units of a task are written as supporting units, and every
unit name that matches no org unit is listed in a ``# NOTE:``, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import yaml

from ducha.engine.extract.assignments import Assignment
from ducha.engine.extract.structure import Document, Node
from ducha.engine.extract.targets import ExtractedTarget
from ducha.engine.unitmatch import UnitMatcher
from ducha.engine.units import normalise_unit

__all__ = ["plan_code_for", "to_plan_yaml"]

_CODE = re.compile(r"[a-z0-9-]{2,64}")


def to_plan_yaml(
    document: Document,
    targets: Sequence[ExtractedTarget],
    code: str | None = None,
    assignments: Sequence[Assignment] = (),
    matcher: UnitMatcher | None = None,
) -> str:
    """The plan as YAML text that ``yaml.safe_load`` reads back and ``ducha loadplan`` accepts."""
    if code is not None and not _CODE.fullmatch(code):
        raise ValueError(f"plan code {code!r} must match [a-z0-9-]{{2,64}}")
    notes: list[str] = []
    period_start, period_end = _period(document, targets, notes)
    plan: dict[str, object] = {
        "code": code or plan_code_for(document, period_start, period_end),
        "title": document.title or _first_words(document) or "未命名计划",
    }
    if document.issuer:
        plan["issuer"] = document.issuer
    if document.issued_on:
        plan["issued_on"] = document.issued_on
    plan["period_start"] = period_start
    plan["period_end"] = period_end
    if document.outlook_year and document.outlook_year >= period_end:
        plan["outlook_year"] = document.outlook_year
    plan["state"] = "draft"
    if document.preamble:
        plan["preamble"] = document.preamble
    if document.source_text:
        plan["source_text"] = document.source_text

    node_keys = {n.key for n in document.iter_nodes()}
    tasks = _tasks(document, assignments, matcher, notes, node_keys)
    indicators = []
    for index, target in enumerate((t for t in targets if t.node_key in node_keys), start=1):
        entry = _indicator(index, target, document, notes)
        task = _task_of(document, target, tasks)
        if task is not None:
            _assign(entry, task)
            if not target.year and task.due:
                entry["deadline"] = task.due
        indicators.append(entry)
    body = {
        "format": "ducha-plan/1",
        "plan": plan,
        "nodes": [_node(n) for n in document.nodes],
        "indicators": indicators,
    }
    if tasks:
        body["milestones"] = [task.milestone() for task in tasks]
    header = ["# Draft written by `ducha extract`: review every indicator before activating."]
    header += [f"# NOTE: {note}" for note in notes]
    dumped = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(header) + "\n" + dumped


class _Task:
    """A 分工 row turned into a milestone, with the org-unit codes of its units."""

    def __init__(self, code: str, assignment: Assignment, node_key: str, lead, support, due):
        self.code = code
        self.assignment = assignment
        self.node_key = node_key
        self.lead: str | None = lead
        self.support: list[str] = support
        self.due = due

    def milestone(self) -> dict[str, object]:
        entry: dict[str, object] = {
            "code": self.code,
            "title": (self.assignment.task or self.assignment.row)[:300],
            "node": self.node_key,
        }
        if self.due:
            entry["due"] = self.due
        _assign(entry, self)
        return entry


def _assign(entry: dict[str, object], task: _Task) -> None:
    if task.lead:
        entry["lead"] = task.lead
    if task.support:
        entry["support"] = list(task.support)


def _tasks(
    document: Document,
    assignments: Sequence[Assignment],
    matcher: UnitMatcher | None,
    notes: list[str],
    node_keys: set[str],
) -> list[_Task]:
    tasks = []
    fallback = next(iter(document.iter_nodes()), None)
    for index, assignment in enumerate(assignments, start=1):
        code = f"M{index:02d}" if index < 100 else f"M{index:03d}"
        node_key = assignment.node_key if assignment.node_key in node_keys else None
        if node_key is None:
            if fallback is None:
                notes.append(f"{code}: {assignment.task[:40]} has no part of the plan to sit in")
                continue
            node_key = fallback.key
        leads = _codes(code, "lead", assignment.lead, matcher, notes)
        supports = _codes(code, "support", assignment.support, matcher, notes)
        lead = leads[0] if leads else None
        if len(leads) > 1:
            notes.append(
                f"{code}: {'、'.join(assignment.lead)} lead together; the platform has one lead "
                f"unit an item, so the first leads and the others are listed as supporting"
            )
        support = [c for c in dict.fromkeys(leads[1:] + supports) if c != lead]
        if assignment.deadline_text and not assignment.deadline:
            notes.append(
                f"{code}: 完成时限 {assignment.deadline_text} is not a date; the plan's end is used"
            )
        tasks.append(_Task(code, assignment, node_key, lead, support, assignment.deadline))
    return tasks


def _codes(
    code: str, role: str, names: Sequence[str], matcher: UnitMatcher | None, notes: list[str]
) -> list[str]:
    if matcher is None:
        if names:
            notes.append(f"{code}: {role} {'、'.join(names)} (no org units to match them against)")
        return []
    codes: list[str] = []
    for match in matcher.match_all(names):
        if match.matched:
            codes += [c for c in match.codes if c not in codes]
        else:
            notes.append(f"{code}: {role} unit {match.written} matches no org unit")
    return codes


def _task_of(document: Document, target: ExtractedTarget, tasks: Sequence[_Task]) -> _Task | None:
    """The task whose 分工 follows the target in the same part of the plan (the parenthesis
    that closes the target's sentence or paragraph), else the part's only task."""
    here = [t for t in tasks if t.assignment.node_key == target.node_key]
    if not here:
        return None
    node = document.node(target.node_key)
    text = node.text if node is not None else ""
    after = [
        (text.find(t.assignment.row), t)
        for t in here
        if t.assignment.row and text.find(t.assignment.row) >= target.span[1]
    ]
    if after:
        return min(after, key=lambda pair: pair[0])[1]
    return here[0] if len(here) == 1 else None


def plan_code_for(document: Document, start: int, end: int) -> str:
    """A readable, stable code from the title: the pinyin initials of its Chinese words
    (天津市加快推进智能科技产业发展总体行动计划 → tjsjktjznkjcyfz…), as offices abbreviate,
    and the period: ``tjsjktjznkjcyfz-2018-2020``. ASCII words are dropped; a title without
    Chinese falls back to ``plan``."""
    # imported here: pypinyin's phrase dictionary costs every process start a third of a
    # second of CPU, and only drafting a plan file needs it
    from pypinyin import Style, lazy_pinyin

    title = re.sub(r"[（(][^）)]*[）)]", "", document.title or document.source_text[:60])
    letters = "".join(
        initial[0]
        for initial in lazy_pinyin(title, style=Style.FIRST_LETTER, errors="ignore")
        if initial and initial[0].isascii() and initial[0].isalnum()
    ).lower()
    return f"{letters[:CODE_LETTERS] or 'plan'}-{start}-{end}"


CODE_LETTERS = 16


def _period(
    document: Document, targets: Sequence[ExtractedTarget], notes: list[str]
) -> tuple[int, int]:
    years = [t.year for t in targets if t.year]
    end = document.period_end or (max(years) if years else None)
    start = document.period_start or (min(years) if years else None)
    if end is None:
        end = start or date.today().year
        notes.append("the text states no period; period_end is a guess, please correct it")
    if start is None or start > end:
        start = end
        notes.append("the text states no start of the period; period_start is a guess")
    return start, end


def _first_words(document: Document) -> str:
    return document.source_text.strip().split("\n", 1)[0][:60]


def _node(node: Node) -> dict[str, object]:
    entry: dict[str, object] = {
        "key": node.key,
        "label": node.label,
        "title": node.title,
        "text": node.text,
    }
    if node.children:
        entry["children"] = [_node(child) for child in node.children]
    return entry


def _indicator(
    index: int, target: ExtractedTarget, document: Document, notes: list[str]
) -> dict[str, object]:
    code = f"T{index:02d}" if index < 100 else f"T{index:03d}"
    unit, factor = _known_unit(target.unit)
    if unit is None:
        unit = target.unit
        notes.append(f"{code}: unit {target.unit!r} is not in the units table; choose a known one")
    name = target.indicator or target.sentence[:40] or code
    kind, direction = target.kind, target.direction
    if kind == "change" and unit != "%":
        name, direction = _points_change(code, name, target, unit, notes)
        kind = "level"
    entry: dict[str, object] = {
        "code": code,
        "name": name,
        "node": target.node_key,
        "unit": unit,
        "kind": kind,
        "direction": direction,
    }
    goal: dict[str, object] = {"min": _number(target.value_min * factor)}
    if target.value_max != target.value_min:
        goal["max"] = _number(target.value_max * factor)
    goal["comparator"] = target.comparator
    entry["target"] = goal
    deadline = target.year or document.period_end
    if deadline:
        entry["deadline"] = deadline
    entry["sentence"] = target.sentence
    return entry


def _points_change(
    code: str, name: str, target: ExtractedTarget, unit: str, notes: list[str]
) -> tuple[str, str]:
    """Name and direction for a change that is not in percent (提高1.5个百分点).

    The plan format states changes in percent, T = y0 × (1 ± min/100); a change in percentage
    points is added, not multiplied, so it cannot be a ``change`` there. It becomes the level
    of the change itself (the points gained or shed since the base year), which rises to the
    target; a bound on a change (上升不超过0.5个百分点) should stay low.
    """
    if target.comparator == "<=":
        suffix, direction = "变化幅度", "decrease"
    elif target.direction == "decrease":
        suffix, direction = "下降幅度", "increase"
    else:
        suffix, direction = "提高幅度", "increase"
    notes.append(
        f"{code}: a change of {_number(target.value_min)} {unit} is written as the level of the "
        f"change itself ({name}{suffix}); report the change since the base year, or make it a "
        "level in %"
    )
    return f"{name}{suffix}"[:200], direction


_MAGNITUDE_PREFIXES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def _known_unit(written: str) -> tuple[str | None, Decimal]:
    """The units-table symbol for a unit as written, and the factor to convert the value.

    2万张 has no 万张 in the table: it becomes 20000 张 rather than an unloadable unit.
    """
    known = normalise_unit(written)
    if known is not None:
        return known, Decimal(1)
    prefix, rest = written[:1], written[1:]
    if prefix in _MAGNITUDE_PREFIXES and normalise_unit(rest) is not None:
        return normalise_unit(rest), _MAGNITUDE_PREFIXES[prefix]
    return None, Decimal(1)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
