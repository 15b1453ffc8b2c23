"""Writes of the extraction workflow: a document becomes a draft plan, a person reviews it.

1. ``extract_file`` reads a document and finds its structure and targets (the engine's work,
   ``ducha.engine.extract``), with errors translated for people; ``render`` writes the result
   as the engine's command line does (jsonl, yaml, table).
2. ``upload_document`` does the same for a file uploaded in the web UI and loads the result as
   a draft plan through ``plans.services.load_plan``; when the plan code is taken it keeps the
   extracted plan file waiting (``DocumentUpload``) until the office picks another code or
   confirms replacing a draft (``load_upload``).
3. ``confirm_indicator``, ``edit_indicator``, ``drop_indicator``, ``add_indicator``: the review
   of a draft's indicators. Edits go through ``plans.services``; the review state is ours.
4. ``unreviewed_problem`` is registered in ``plans.services.STATE_CHECKS``: a draft plan does
   not become active while any indicator is unreviewed, by whatever route it is activated.

``actor=None`` means the command line, run by a trusted operator.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ducha.audit.services import record, snapshot
from ducha.core.filespec import FileSpecError
from ducha.core.integrity import unique_guard
from ducha.core.policies import require
from ducha.engine.extract import (
    Document,
    ExtractedTarget,
    ExtractionError,
    extract_targets,
    parse_structure,
    read_document,
    to_jsonl,
    to_plan_yaml,
)
from ducha.engine.extract.assignments import find_assignments
from ducha.engine.extract.cli import FORMATS, assignments_jsonl, format_table
from ducha.engine.extract.reader import MAX_PDF_PAGES
from ducha.engine.unitmatch import OrgUnitRecord, UnitMatcher
from ducha.extraction.models import (
    REVIEW_TRANSITIONS,
    UPLOAD_TRANSITIONS,
    DocumentUpload,
    IndicatorReview,
    ReviewStatus,
    UploadState,
)
from ducha.orgunits.models import OrgUnit
from ducha.plans import services as plan_services
from ducha.plans.models import (
    Comparator,
    Direction,
    Indicator,
    IndicatorKind,
    Plan,
    PlanNode,
    PlanState,
)
from ducha.plans.planfile import parse_plan_data

DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf")
PLAN_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")


class ExtractionFailed(Exception):
    """A document could not be turned into a draft plan; ``problems`` say why, for people."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class UploadConflict(Exception):
    """The plan code of an upload is taken: by a draft (``replaceable``) or by another plan."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.replaceable = plan.state == PlanState.DRAFT
        if self.replaceable:
            message = _(
                "A draft plan with the code %(code)s exists already (%(title)s): replace it, "
                "or choose another code."
            )
        else:
            message = _(
                "The code %(code)s belongs to a plan that is %(state)s (%(title)s); "
                "choose another code."
            )
        super().__init__(
            message % {"code": plan.code, "title": plan.title, "state": plan.get_state_display()}
        )


# --- reading and extracting ---------------------------------------------------------------------


@dataclass
class Extraction:
    document: Document
    targets: list[ExtractedTarget]
    assignments: list = field(default_factory=list)  # 任务分工 rows (engine.extract.assignments)

    def node_count(self) -> int:
        return sum(1 for _node in self.document.iter_nodes())


def max_document_bytes() -> int:
    return settings.DUCHA_EXTRACT_MAX_BYTES


def reading_problem(error: ExtractionError, name: str) -> str:
    """The engine's reason (a stable code) as a sentence in the user's language."""
    messages = {
        "unreadable": _("%(name)s cannot be read: there is no such file, or it may not be opened."),
        "too_large": _(
            "%(name)s is too large: at most %(limit)s can be read, and a policy document is far "
            "smaller."
        ),
        "unsupported_type": _("%(name)s cannot be read: upload a .txt, .docx or .pdf file."),
        "binary": _(
            "%(name)s is not text: it holds binary data or uses an encoding that is not "
            "UTF-8 or GBK."
        ),
        "bad_encoding": _("%(name)s is not valid text in the encoding it declares."),
        "bad_docx": _(
            "%(name)s is not a readable Word document (.docx). An older .doc file must be saved "
            "as .docx first."
        ),
        "zip_bomb": _(
            "%(name)s would unpack to far more data than any document holds; it was refused as "
            "unsafe."
        ),
        "unsafe_xml": _(
            "%(name)s holds XML that no Word document has (a type declaration, or nesting "
            "hundreds of levels deep); it was refused as unsafe."
        ),
        "too_many_pages": _(
            "%(name)s has %(pages)s pages, more than the %(max_pages)s pages a policy document "
            "may have."
        ),
        "encrypted_pdf": _(
            "%(name)s is an encrypted PDF: remove the password and upload it again."
        ),
        "bad_pdf": _("%(name)s is not a readable PDF."),
        "too_slow": _(
            "Reading %(name)s took too long; save it as a .txt or .docx file and try again."
        ),
    }
    message = messages.get(error.code, _("%(name)s cannot be read: %(detail)s"))
    return message % {
        "name": name,
        "limit": filesizeformat(max_document_bytes()),
        "detail": error.text,
        "pages": error.pages,
        "max_pages": MAX_PDF_PAGES,
    }


def extract_file(path: Path | str, name: str | None = None) -> Extraction:
    """Read a .txt/.docx/.pdf document and extract its structure and targets."""
    path = Path(path)
    name = name or str(path)
    if not path.is_file():
        raise ExtractionFailed(_("%(name)s: no such file.") % {"name": name})
    try:
        text = read_document(path, max_bytes=max_document_bytes())
    except ExtractionError as error:
        raise ExtractionFailed(reading_problem(error, name)) from None
    document = parse_structure(text)
    return Extraction(document, extract_targets(document), find_assignments(document))


def unit_matcher() -> UnitMatcher:
    """The org units in the database, for matching the unit names of a 任务分工."""
    return UnitMatcher(
        [
            OrgUnitRecord(
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                short_name=unit.short_name,
                aliases=tuple(unit.aliases or ()),
                parent=unit.parent.code if unit.parent_id else None,
            )
            for unit in OrgUnit.objects.select_related("parent")
        ]
    )


def plan_yaml_for(extraction: Extraction, code: str | None = None) -> str:
    """The draft plan file, its 分工 matched to the org units in the database."""
    return to_plan_yaml(
        extraction.document,
        extraction.targets,
        code=code,
        assignments=extraction.assignments,
        matcher=unit_matcher(),
    )


def check_plan_code(code: str) -> None:
    if not PLAN_CODE.fullmatch(code):
        raise ExtractionFailed(
            _(
                "%(code)s is not a plan code: use 2 to 64 lower-case letters, digits and "
                "hyphens, starting with a letter or digit (e.g. tianjin-2018-ai)."
            )
            % {"code": code}
        )


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExtractionFailed(
            _("%(format)s is not an output format; use one of %(formats)s.")
            % {"format": fmt, "formats": ", ".join(FORMATS)}
        )


def render(extraction: Extraction, fmt: str, code: str | None = None) -> str:
    """The extraction as ``ducha.engine.extract.cli.run`` writes it: jsonl, yaml, table, or
    assignments (the 任务分工 rows, their units matched to the org units in the database)."""
    check_format(fmt)
    if code:
        check_plan_code(code)
    if fmt == "jsonl":
        return to_jsonl(extraction.targets)
    if fmt == "yaml":
        return plan_yaml_for(extraction, code or None)
    if fmt == "assignments":
        return assignments_jsonl(extraction.assignments, unit_matcher())
    header = (
        _("section"),
        _("year"),
        _("value"),
        _("unit"),
        _("comparison"),
        _("kind"),
        _("direction"),
        _("indicator"),
    )
    words = {
        **{str(c.value): str(c.label) for c in Comparator},
        **{str(k.value): str(k.label) for k in IndicatorKind},
        "increase": str(Direction.INCREASE.label),
        "decrease": str(Direction.DECREASE.label),
        "range": pgettext("a range of values, 2 to 3", "-"),
    }
    return format_table(extraction.targets, header, _("{n} targets in all"), words)


# --- uploading a document as a draft plan -------------------------------------------------------


@dataclass
class UploadResult:
    upload: DocumentUpload
    report: plan_services.LoadReport | None = None  # None while the upload waits
    conflict: UploadConflict | None = None
    notes: list[str] = field(default_factory=list)


def upload_document(
    actor, name: str, chunks: Iterable[bytes], size: int, *, code: str = "", replace=False
) -> UploadResult:
    """Extract an uploaded document and load it as a draft plan, all or nothing.

    ``chunks`` is the file's content (Django's ``UploadedFile.chunks()``). With no ``code`` the
    plan code is derived from the title. A code that is taken leaves the upload waiting
    (``result.conflict``); nothing is written to the plans then.
    """
    if actor is not None:
        require(actor, "add", DocumentUpload)
        require(actor, "change", Plan)
    name = Path(name).name or "document"
    suffix = Path(name).suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise ExtractionFailed(
            _("%(name)s cannot be read: upload a .txt, .docx or .pdf file.") % {"name": name}
        )
    if size > max_document_bytes():
        raise ExtractionFailed(
            _(
                "%(name)s is too large: at most %(limit)s can be read, and a policy document is "
                "far smaller."
            )
            % {"name": name, "limit": filesizeformat(max_document_bytes())}
        )
    if code:
        check_plan_code(code)
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="ducha-upload-") as folder:
        path = Path(folder) / f"document{suffix}"
        with path.open("wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
        extraction = extract_file(path, name)
    document = extraction.document
    has_body = any(node.text or node.title for node in document.iter_nodes())
    has_text = has_body or any(
        x.strip() for x in (document.source_text, document.title, document.preamble)
    )
    if has_text and not has_body and not extraction.targets:
        # Text, but neither sections nor targets (e.g. a few lines of notes): not a plan.
        raise ExtractionFailed(
            _(
                "%(name)s has text, but no quantified targets (such as “到2020年，产业规模达到"
                "1000亿元”) and no sections to build a plan from: upload the action plan "
                "itself."
            )
            % {"name": name}
        )
    if not has_text:
        raise ExtractionFailed(
            _(
                "%(name)s holds no text to extract from. A scanned PDF has no text layer: "
                "upload the document as .docx or .txt."
            )
            % {"name": name}
        )
    plan_yaml = plan_yaml_for(extraction, code or None)
    data = _checked_plan_data(plan_yaml, name)
    upload = DocumentUpload(
        file_name=name[:255],
        file_size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        title=data["plan"]["title"][:300],
        plan_code=data["plan"]["code"],
        node_count=extraction.node_count(),
        target_count=len(data.get("indicators") or []),
        plan_yaml=plan_yaml,
    )
    notes = extraction_notes(plan_yaml)
    existing = Plan.objects.filter(code=upload.plan_code).first()
    if existing is not None and not (replace and existing.state == PlanState.DRAFT):
        with transaction.atomic():
            upload.save()
            record(actor, "extraction.upload.waiting", upload, changes=_upload_summary(upload))
        return UploadResult(upload, conflict=UploadConflict(existing), notes=notes)
    with transaction.atomic():
        upload.save()
        report = load_upload(upload, actor, replace=replace, data=data)
    return UploadResult(upload, report=report, notes=notes)


_DIVISION_NOTE = re.compile(r"^M\d+: ")
_UNMATCHED_NOTE = re.compile(r"^M\d+: (?:lead|support) unit (.+) matches no org unit$")


def is_division_note(note: str) -> bool:
    """A note about a 任务分工 row (its milestone code first), not about an indicator."""
    return bool(_DIVISION_NOTE.match(note))


def division_summary(plan_yaml: str) -> tuple[int, list[str]]:
    """(tasks loaded as milestones, unit names that matched no org unit) of a draft plan file."""
    data = _read_yaml(plan_yaml) if plan_yaml else {}
    tasks = len((data or {}).get("milestones") or [])
    unmatched = [
        m.group(1) for note in extraction_notes(plan_yaml) if (m := _UNMATCHED_NOTE.match(note))
    ]
    return tasks, unmatched


def extraction_notes(plan_yaml: str) -> list[str]:
    """The ``# NOTE:`` lines the YAML writer puts at the top: what the reviewer must decide."""
    prefix = "# NOTE: "
    header = itertools.takewhile(lambda line: line.startswith("#"), io.StringIO(plan_yaml))
    return [line[len(prefix) :].rstrip("\n") for line in header if line.startswith(prefix)]


# libyaml's safe loader where PyYAML was built with it: the same data, ten times faster.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str) -> dict:
    return yaml.load(text, Loader=_YamlLoader)


def _checked_plan_data(plan_yaml: str, name: str) -> dict:
    """The extracted plan file, checked as loadplan checks it, before anything is written."""
    data = _read_yaml(plan_yaml)
    try:
        parse_plan_data(data, name)
    except FileSpecError as error:
        raise ExtractionFailed(
            [_("The extracted plan cannot be loaded:")]
            + [f"{p.path}: {p.message}" if p.path else p.message for p in error.problems]
        ) from None
    return data


def _upload_summary(upload: DocumentUpload) -> dict:
    return {
        "file": upload.file_name,
        "size": upload.file_size,
        "sha256": upload.sha256,
        "code": upload.plan_code,
        "targets": upload.target_count,
    }


def load_upload(
    upload: DocumentUpload,
    actor,
    *,
    code: str = "",
    replace: bool = False,
    data: dict | None = None,
) -> plan_services.LoadReport:
    """Load a waiting upload as a draft plan under ``code`` (default: its own), all or nothing.

    Refuses a code that belongs to a plan that is not a draft, and a draft's code unless
    ``replace``; replacing a draft starts its review afresh. ``data`` is the upload's plan
    file already parsed, when the caller has it.
    """
    if actor is not None:
        require(actor, "change", upload)
        require(actor, "change", Plan)
    _upload_transition(upload, UploadState.LOADED)
    code = code or upload.plan_code
    check_plan_code(code)
    data = data if data is not None else _read_yaml(upload.plan_yaml)
    data["plan"]["code"] = code
    try:
        spec, source_text = parse_plan_data(data, upload.file_name)
    except FileSpecError as error:
        raise ExtractionFailed([f"{p.path}: {p.message}" for p in error.problems]) from None
    with transaction.atomic():
        existing = Plan.objects.select_for_update().filter(code=code).first()
        if existing is not None and (existing.state != PlanState.DRAFT or not replace):
            raise UploadConflict(existing)
        if existing is not None:
            IndicatorReview.objects.filter(indicator__plan=existing).delete()
        try:
            # two uploads taking the same new code at the same moment: the second is told so
            with unique_guard(lambda message, field: ExtractionFailed(message)):
                report = plan_services.load_plan(
                    spec, source_text, actor, source=upload.file_name, state=PlanState.DRAFT
                )
        except FileSpecError as error:
            raise ExtractionFailed([str(p.message) for p in error.problems]) from None
        upload.state = UploadState.LOADED
        upload.plan = report.plan
        upload.plan_code = code
        upload.loaded_at = timezone.now()
        upload.save()
        record(
            actor,
            "extraction.upload.loaded",
            upload,
            changes={**_upload_summary(upload), "replaced": existing is not None},
        )
    return report


def discard_upload(upload: DocumentUpload, actor) -> None:
    """Give up a waiting upload; its extracted plan file is deleted, the record stays."""
    if actor is not None:
        require(actor, "change", upload)
    _upload_transition(upload, UploadState.DISCARDED)
    with transaction.atomic():
        upload.state = UploadState.DISCARDED
        upload.plan_yaml = ""
        upload.save(update_fields=["state", "plan_yaml"])
        record(actor, "extraction.upload.discarded", upload, changes=_upload_summary(upload))


def _upload_transition(upload: DocumentUpload, new_state: str) -> None:
    if new_state not in UPLOAD_TRANSITIONS[upload.state]:
        raise ValueError(
            _("This upload is %(state)s already; upload the document again to start over.")
            % {"state": upload.get_state_display()}
        )


# --- review -------------------------------------------------------------------------------------

FINGERPRINT_FIELDS = sorted(
    f"{name}_id" if name in ("node", "lead_unit") else name
    for name in plan_services.EDITABLE_INDICATOR_FIELDS
)


def fingerprint(indicator: Indicator, support_ids: Iterable[int] | None = None) -> str:
    """What a confirmation vouches for: every reviewable field and the supporting units.

    ``support_ids`` are the indicator's supporting units when the caller has read them for
    many indicators at once (``support_map``); otherwise they are read here.
    """
    if support_ids is None:
        support_ids = indicator.supporting_units.values_list("pk", flat=True)
    state = snapshot(indicator, ["code", *FINGERPRINT_FIELDS])
    state["supporting_units"] = sorted(support_ids)
    return hashlib.sha256(
        json.dumps(state, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def support_map(**where) -> dict[int, list[int]]:
    """{indicator id: [supporting unit ids]} in one query: ``support_map(indicator__plan=p)``."""
    through = Indicator.supporting_units.through
    found: dict[int, list[int]] = {}
    for indicator_id, unit_id in through.objects.filter(**where).values_list(
        "indicator_id", "orgunit_id"
    ):
        found.setdefault(indicator_id, []).append(unit_id)
    return found


def _review_of(indicator: Indicator) -> IndicatorReview | None:
    try:
        return indicator.review
    except IndicatorReview.DoesNotExist:
        return None


def review_status(indicator: Indicator, support_ids: Iterable[int] | None = None) -> str:
    """Confirmed only when confirmed as it is now; otherwise pending."""
    review = _review_of(indicator)
    if (
        review is not None
        and review.status == ReviewStatus.CONFIRMED
        and review.fingerprint == fingerprint(indicator, support_ids)
    ):
        return ReviewStatus.CONFIRMED
    return ReviewStatus.PENDING


def reviewable_indicators(plan: Plan):
    """The plan's indicators with what the review screen and the checks read, in plan order."""
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("node", "lead_unit", "review", "review__reviewed_by")
        .order_by("node__position", "position", "code")
    )


def review_statuses(plan: Plan) -> list[tuple[Indicator, str]]:
    """Every indicator of the plan with its review status, from three queries."""
    support = support_map(indicator__plan=plan)
    return [(i, review_status(i, support.get(i.pk, ()))) for i in reviewable_indicators(plan)]


@dataclass(frozen=True)
class Progress:
    total: int
    confirmed: int

    @property
    def pending(self) -> int:
        return self.total - self.confirmed

    @property
    def percent(self) -> int:
        return round(100 * self.confirmed / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.confirmed == self.total


def progress(statuses: Iterable[str]) -> Progress:
    statuses = list(statuses)
    return Progress(len(statuses), statuses.count(ReviewStatus.CONFIRMED))


def progress_by_plan(plans: Iterable[Plan]) -> dict[int, Progress]:
    """Progress of several plans from three queries (the drafts list)."""
    plans = list(plans)
    support = support_map(indicator__plan__in=plans)
    rows = Indicator.objects.filter(plan__in=plans).select_related("review")
    grouped: dict[int, list[str]] = {p.pk: [] for p in plans}
    for indicator in rows:
        grouped[indicator.plan_id].append(review_status(indicator, support.get(indicator.pk, ())))
    return {pk: progress(statuses) for pk, statuses in grouped.items()}


def _require_review(actor, indicator: Indicator) -> None:
    if actor is not None:
        require(actor, "change", IndicatorReview)
        require(actor, "change", indicator)
    if indicator.plan.state != PlanState.DRAFT:
        raise ValueError(
            _("%(plan)s is %(state)s: only the indicators of a draft plan are reviewed.")
            % {"plan": indicator.plan.code, "state": indicator.plan.get_state_display()}
        )


def _set_review(indicator: Indicator, actor, new_status: str) -> IndicatorReview | None:
    old_status = review_status(indicator)
    if new_status == old_status:
        return _review_of(indicator)
    if new_status not in REVIEW_TRANSITIONS[old_status]:
        raise ValueError(
            _("An indicator that is %(old)s cannot become %(new)s.")
            % {"old": ReviewStatus(old_status).label, "new": ReviewStatus(new_status).label}
        )
    review = _review_of(indicator) or IndicatorReview(indicator=indicator)
    review.status = new_status
    review.fingerprint = fingerprint(indicator) if new_status == ReviewStatus.CONFIRMED else ""
    review.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    review.reviewed_at = timezone.now()
    review.save()
    indicator.review = review
    verb = "confirmed" if new_status == ReviewStatus.CONFIRMED else "reopened"
    record(
        actor,
        f"extraction.indicator.{verb}",
        indicator,
        changes={"review": [old_status, new_status]},
    )
    return review


def confirm_indicator(indicator: Indicator, actor) -> IndicatorReview:
    """The office vouches for an indicator as it stands (idempotent)."""
    _require_review(actor, indicator)
    problems = plan_services.indicator_problems(indicator)
    if problems:
        raise ValueError(
            _("%(code)s cannot be confirmed until it is corrected: %(problems)s")
            % {"code": indicator.code, "problems": " ".join(m for _f, m in problems)}
        )
    with transaction.atomic():
        return _set_review(indicator, actor, ReviewStatus.CONFIRMED)


def reopen_indicator(indicator: Indicator, actor) -> None:
    """Take a confirmation back: the indicator is pending again."""
    _require_review(actor, indicator)
    with transaction.atomic():
        _set_review(indicator, actor, ReviewStatus.PENDING)


def edit_indicator(
    indicator: Indicator, actor, values: dict, *, supporting_units=None, confirm: bool = True
) -> dict:
    """Correct an indicator and, by default, confirm it as corrected: editing is reviewing."""
    _require_review(actor, indicator)
    with transaction.atomic():
        changes = plan_services.update_indicator(
            indicator, actor, supporting_units=supporting_units, **values
        )
        indicator = reviewable_indicators(indicator.plan).get(pk=indicator.pk)
        _set_review(indicator, actor, ReviewStatus.CONFIRMED if confirm else ReviewStatus.PENDING)
    return changes


def drop_indicator(indicator: Indicator, actor) -> None:
    """Remove an indicator the extractor should not have proposed (its review goes with it)."""
    _require_review(actor, indicator)
    plan_services.delete_indicator(indicator, actor)


def add_indicator(
    plan: Plan,
    node: PlanNode,
    actor,
    values: dict,
    *,
    code: str = "",
    supporting_units=(),
) -> Indicator:
    """Add an indicator the extractor missed; a person wrote it, so it is confirmed."""
    if actor is not None:
        require(actor, "change", IndicatorReview)
    with transaction.atomic():
        indicator = plan_services.create_indicator(
            plan, node, actor, code=code, supporting_units=supporting_units, **values
        )
        indicator = reviewable_indicators(plan).get(pk=indicator.pk)
        _set_review(indicator, actor, ReviewStatus.CONFIRMED)
    return indicator


def unreviewed_problem(plan: Plan, new_state: str) -> str:
    """Registered in plans.services.STATE_CHECKS: no activation while anything is pending."""
    if plan.state != PlanState.DRAFT or new_state != PlanState.ACTIVE:
        return ""
    state = progress(status for _indicator, status in review_statuses(plan))
    if state.complete:
        return ""
    return ngettext(
        "%(pending)d of %(total)d indicators is not reviewed yet: confirm, correct or drop it "
        "before the plan becomes active.",
        "%(pending)d of %(total)d indicators are not reviewed yet: confirm, correct or drop "
        "them before the plan becomes active.",
        state.pending,
    ) % {"pending": state.pending, "total": state.total}


def activate_plan(plan: Plan, actor) -> Plan:
    """Make a reviewed draft active (refused while indicators are pending)."""
    return plan_services.change_plan_state(plan, PlanState.ACTIVE, actor)
