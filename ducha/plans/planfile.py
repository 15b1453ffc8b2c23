"""The plan file (`ducha-plan/1`, see docs/plan-format.md): its schema and its checks.

Parsing and validation only; nothing here touches the database. `services.load_plan` takes
the validated `PlanFile` and applies it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from ducha.core.filespec import FileSpecError, Problem, load_yaml, validate
from ducha.engine.periods import PeriodError, parse_period
from ducha.engine.units import normalise_unit

FORMAT = "ducha-plan/1"

# Checkers of a computed indicator's `computation`, added by the apps that compute indicators
# (ducha.registers adds one in its AppConfig.ready). Each takes an IndicatorSpec and returns
# Problems whose path is relative to the indicator's `computation`.
computation_checkers: list = []

Year = Annotated[int, Field(ge=1900, le=2100)]
Text = Annotated[str, Field(max_length=20000)]
Ref = Annotated[str, Field(min_length=1, max_length=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanHeader(Strict):
    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    short_title: Annotated[str, Field(max_length=100)] = ""
    issuer: Annotated[str, Field(max_length=200)] = ""
    issued_on: dt.date | None = None
    period_start: Year
    period_end: Year
    outlook_year: Year | None = None
    final_grace_months: Annotated[int, Field(ge=0, le=60)] = 6
    state: Literal["draft", "active", "archived"] = "draft"
    region: Ref | None = None
    source_file: str | None = None
    source_text: str | None = None
    preamble: Text = ""


class NodeSpec(Strict):
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
    label: Annotated[str, Field(max_length=20)] = ""
    title: Annotated[str, Field(max_length=300)] = ""
    text: Text = ""
    children: list[NodeSpec] = []


class BaselineSpec(Strict):
    value: Decimal
    year: Year | None = None
    period: str | None = None


class TargetSpec(Strict):
    min: Annotated[Decimal, Field(ge=0)]
    max: Annotated[Decimal, Field(ge=0)] | None = None
    comparator: Literal[">=", "<=", "="] = "="


class IndicatorSpec(Strict):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    node: Annotated[str, Field(min_length=1)]
    unit: Annotated[str, Field(min_length=1, max_length=20)]
    kind: Literal["level", "change"] = "level"
    direction: Literal["increase", "decrease"]
    trajectory: Literal["growth", "linear"] | None = None
    aggregation: Literal["sum", "mean", "max", "min", "none"] = "sum"
    baseline: BaselineSpec | None = None
    target: TargetSpec
    deadline: Year | dt.date | None = None
    lead: Ref | None = None
    support: list[Ref] = []
    frequency: Literal["year", "quarter", "month"] = "quarter"
    source: Literal["manual", "computed"] = "manual"
    computation: dict[str, Any] | None = None
    sentence: Text = ""
    weight: Annotated[Decimal, Field(gt=0, le=1000)] = Decimal(1)
    headline: bool = False


class MilestoneSpec(Strict):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    node: Annotated[str, Field(min_length=1)]
    due: Year | dt.date | None = None
    lead: Ref | None = None
    support: list[Ref] = []
    sentence: Text = ""
    weight: Annotated[Decimal, Field(gt=0, le=1000)] = Decimal(1)


class AlignmentSpec(Strict):
    """A link from a target of this plan to a target of another plan (docs/plan-format.md)."""

    indicator: Annotated[str, Field(min_length=1, max_length=40)]
    relation: Literal["contributes_to", "same_measure", "succeeds"]
    plan: Annotated[str, Field(min_length=1, max_length=64)]
    target: Annotated[str, Field(min_length=1, max_length=40)]
    state: Literal["proposed", "confirmed", "rejected"] = "confirmed"
    note: Annotated[str, Field(max_length=2000)] = ""


class PlanFile(Strict):
    format: Literal["ducha-plan/1"]
    plan: PlanHeader
    nodes: list[NodeSpec] = []
    indicators: list[IndicatorSpec] = []
    milestones: list[MilestoneSpec] = []
    alignments: list[AlignmentSpec] = []

    def walk_nodes(self):
        """(node, parent_key, depth) in document order."""

        def walk(nodes, parent, depth):
            for node in nodes:
                yield node, parent, depth
                yield from walk(node.children, node.key, depth + 1)

        yield from walk(self.nodes, None, 0)


def as_date(value: int | dt.date | None, default_year: int) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date(value or default_year, 12, 31)


def read_plan_file(path: Path | str) -> tuple[PlanFile, str]:
    """Parse and check a plan file; returns the plan and its full source text."""
    path = Path(path)
    data = load_yaml(path)
    return parse_plan_data(data, str(path), base_dir=path.parent)


def parse_plan_data(data: Any, source: str, base_dir: Path | None = None) -> tuple[PlanFile, str]:
    if not isinstance(data, dict):
        raise FileSpecError(source, [Problem("", _("the file must be a mapping of fields"))])
    spec = validate(PlanFile, data, source)
    problems = check_plan(spec)
    source_text, text_problems = _read_source_text(spec.plan, base_dir)
    problems += text_problems
    if problems:
        raise FileSpecError(source, problems)
    return spec, source_text


def _read_source_text(header: PlanHeader, base_dir: Path | None) -> tuple[str, list[Problem]]:
    if header.source_file and header.source_text:
        return "", [Problem("plan.source_file", _("give source_file or source_text, not both"))]
    if header.source_text:
        return header.source_text, []
    if not header.source_file:
        return "", []
    candidate = Path(header.source_file)
    if not candidate.is_absolute() and base_dir is not None:
        candidate = base_dir / candidate
    try:
        return candidate.read_text(encoding="utf-8-sig"), []
    except FileNotFoundError:
        return "", [Problem("plan.source_file", _("file not found: %s") % header.source_file)]
    except UnicodeDecodeError:
        return "", [Problem("plan.source_file", _("the file is not UTF-8 text"))]


def check_plan(spec: PlanFile) -> list[Problem]:
    """Cross-field checks that a schema cannot express."""
    problems: list[Problem] = []
    header = spec.plan
    if header.period_end < header.period_start:
        problems.append(Problem("plan.period_end", _("must not be before period_start")))
    if header.outlook_year is not None and header.outlook_year < header.period_end:
        problems.append(Problem("plan.outlook_year", _("must not be before period_end")))

    keys: set[str] = set()
    for node, _parent, _depth in spec.walk_nodes():
        if node.key in keys:
            problems.append(Problem(f"nodes ({node.key})", _("duplicate node key %s") % node.key))
        keys.add(node.key)

    codes: set[str] = set()
    for i, ind in enumerate(spec.indicators):
        where = f"indicators[{i}] ({ind.code})"
        if ind.code in codes:
            problems.append(Problem(f"{where}.code", _("duplicate indicator code %s") % ind.code))
        codes.add(ind.code)
        if ind.node not in keys:
            problems.append(Problem(f"{where}.node", _("no node with key %s") % ind.node))
        if normalise_unit(ind.unit) is None:
            problems.append(Problem(f"{where}.unit", _("unknown unit %s") % ind.unit))
        if ind.kind == "change" and normalise_unit(ind.unit) != "%":
            problems.append(Problem(f"{where}.unit", _("a change target is given in %")))
        if ind.target.max is not None and ind.target.max < ind.target.min:
            problems.append(Problem(f"{where}.target.max", _("must not be less than min")))
        if ind.source == "computed" and not ind.computation:
            problems.append(
                Problem(f"{where}.computation", _("a computed indicator needs a computation"))
            )
        elif ind.computation:
            # a reported indicator may carry one too: the registers then propose its figure
            # to the units, who confirm it (reporting.prefill)
            for checker in computation_checkers:
                problems += [
                    Problem(f"{where}.computation{p.path}", p.message) for p in checker(ind)
                ]
        if ind.baseline is not None:
            problems += _check_baseline(ind.baseline, f"{where}.baseline")

    mcodes: set[str] = set()
    for i, ms in enumerate(spec.milestones):
        where = f"milestones[{i}] ({ms.code})"
        if ms.code in mcodes:
            problems.append(Problem(f"{where}.code", _("duplicate milestone code %s") % ms.code))
        mcodes.add(ms.code)
        if ms.node not in keys:
            problems.append(Problem(f"{where}.node", _("no node with key %s") % ms.node))

    pairs: set[tuple[str, str, str]] = set()
    for i, link in enumerate(spec.alignments):
        where = f"alignments[{i}]"
        if link.indicator not in codes:
            problems.append(
                Problem(f"{where}.indicator", _("no indicator with code %s") % link.indicator)
            )
        if link.plan == header.code:
            problems.append(Problem(f"{where}.plan", _("a link goes to another plan")))
        pair = (link.indicator, link.plan, link.target)
        if pair in pairs:
            problems.append(Problem(where, _("the same link is given twice")))
        pairs.add(pair)
    return problems


def _check_baseline(baseline: BaselineSpec, where: str) -> list[Problem]:
    if (baseline.year is None) == (baseline.period is None):
        return [Problem(where, _("give either year or period"))]
    if baseline.period is not None:
        try:
            parse_period(baseline.period)
        except PeriodError:
            return [Problem(f"{where}.period", _("not a period: %s") % baseline.period)]
    return []


def baseline_period_code(baseline: BaselineSpec | None) -> str:
    if baseline is None:
        return ""
    if baseline.period is not None:
        return parse_period(baseline.period).code
    return str(baseline.year)
