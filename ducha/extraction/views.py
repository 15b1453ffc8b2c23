"""Pages of the extraction workflow: upload a document, review its draft, activate the plan.

Only the office sees them (policies.py). Every write is a call to services.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from ducha.core.policies import allows
from ducha.core.uploads import limit_uploads
from ducha.engine.extract import extract_targets, parse_structure
from ducha.extraction import services
from ducha.extraction.forms import (
    KNOWN_UNITS,
    AddIndicatorForm,
    IndicatorForm,
    LoadUploadForm,
    PlanDetailsForm,
    UploadForm,
    initial_from,
)
from ducha.extraction.models import DocumentUpload, IndicatorReview, ReviewStatus, UploadState
from ducha.plans.models import Indicator, Plan, PlanNode, PlanState
from ducha.plans.services import PLAN_DETAIL_FIELDS, next_indicator_code, update_plan_details

PAGE_SIZE = 20
NODES_PAGE_SIZE = 30
SHOW_CHOICES = ("all", "pending", "confirmed")


def _require_office(request) -> None:
    if not allows(request.user, "change", IndicatorReview):
        raise PermissionDenied


def _plan(request, code) -> Plan:
    return get_object_or_404(Plan.objects.for_user(request.user, "change"), code=code)


def _indicator(request, plan: Plan, code: str) -> Indicator:
    indicator = (
        services.reviewable_indicators(plan)
        .filter(pk__in=Indicator.objects.for_user(request.user, "change"))
        .filter(code=code)
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


# --- upload -------------------------------------------------------------------------------------


@login_required
@csrf_exempt
def index(request):
    """Upload a document; the drafts under review; recent uploads."""
    _require_office(request)
    # Installed before the body is read, hence csrf_exempt here and csrf_protect inside.
    limit_uploads(request, services.max_document_bytes())
    return _index(request)


@csrf_protect
def _index(request):
    problems: list[str] = []
    notes: list[str] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if getattr(request, "upload_too_large", False):
            problems.append(
                _("The file is too large: at most %(limit)s can be uploaded.")
                % {"limit": _filesize(services.max_document_bytes())}
            )
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.upload_document(
                    request.user,
                    upload.name,
                    upload.chunks(),
                    upload.size,
                    code=form.cleaned_data["code"],
                    replace=form.cleaned_data["replace"],
                )
            except services.ExtractionFailed as failure:
                problems = failure.problems
            except services.UploadConflict as conflict:
                problems = [str(conflict)]
            else:
                if result.conflict is not None:
                    messages.warning(request, str(result.conflict))
                    return redirect("extraction:upload", pk=result.upload.pk)
                _report_loaded(request, result.upload, result.notes)
                return redirect("extraction:review", code=result.upload.plan_code)
    else:
        form = UploadForm()
    drafts = list(Plan.objects.for_user(request.user, "change").filter(state=PlanState.DRAFT))
    progress = services.progress_by_plan(drafts)
    uploads = DocumentUpload.objects.for_user(request.user, "view").select_related(
        "uploaded_by", "plan"
    )[:10]
    return render(
        request,
        "extraction/index.html",
        {
            "form": form,
            "problems": problems,
            "notes": notes,
            "drafts": [(plan, progress[plan.pk]) for plan in drafts],
            "uploads": uploads,
            "limit": services.max_document_bytes(),
        },
        status=400 if problems else 200,
    )


def _filesize(size: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return filesizeformat(size)


def _report_loaded(request, upload: DocumentUpload, notes: list[str]) -> None:
    messages.success(
        request,
        ngettext(
            "%(file)s: %(n)d target was found and loaded as an indicator of the draft plan "
            "%(code)s. Review it before the plan is activated.",
            "%(file)s: %(n)d targets were found and loaded as indicators of the draft plan "
            "%(code)s. Review them before the plan is activated.",
            upload.target_count,
        )
        % {"file": upload.file_name, "n": upload.target_count, "code": upload.plan_code},
    )
    if upload.target_count == 0:
        messages.warning(
            request,
            _("No quantified targets were found: add the plan's indicators from its nodes."),
        )
    tasks, unmatched = services.division_summary(upload.plan_yaml)
    if tasks:
        messages.success(
            request,
            ngettext(
                "%(n)d task of the division of work (任务分工) was loaded as a milestone "
                "with its lead and supporting units and its deadline.",
                "%(n)d tasks of the division of work (任务分工) were loaded as milestones "
                "with their lead and supporting units and their deadlines.",
                tasks,
            )
            % {"n": tasks},
        )
    if unmatched:
        messages.warning(
            request,
            ngettext(
                "%(n)d unit name of the division of work matches no org unit and was not "
                "assigned: see the notes on the review screen.",
                "%(n)d unit names of the division of work match no org unit and were not "
                "assigned: see the notes on the review screen.",
                len(unmatched),
            )
            % {"n": len(unmatched)},
        )
    other = [note for note in notes if not services.is_division_note(note)]
    if other:
        messages.info(
            request,
            ngettext(
                "%(n)d indicator needs particular care (see the notes on the review screen).",
                "%(n)d indicators need particular care (see the notes on the review screen).",
                len(other),
            )
            % {"n": len(other)},
        )


@login_required
def upload_detail(request, pk):
    """An upload whose plan code was taken: choose another code, replace the draft, or discard."""
    _require_office(request)
    upload = get_object_or_404(DocumentUpload.objects.for_user(request.user, "change"), pk=pk)
    existing = Plan.objects.filter(code=upload.plan_code).first()
    problems: list[str] = []
    if request.method == "POST" and upload.state == UploadState.WAITING:
        if "discard" in request.POST:
            services.discard_upload(upload, request.user)
            messages.success(request, _("The upload was discarded."))
            return redirect("extraction:index")
        form = LoadUploadForm(request.POST)
        if form.is_valid():
            try:
                services.load_upload(
                    upload,
                    request.user,
                    code=form.cleaned_data["code"],
                    replace=form.cleaned_data["replace"],
                )
            except services.UploadConflict as conflict:
                existing = conflict.plan
                problems = [str(conflict)]
                if conflict.replaceable:
                    problems.append(_("Tick the box to replace it."))
            except (services.ExtractionFailed, ValueError) as failure:
                problems = getattr(failure, "problems", [str(failure)])
            else:
                upload.refresh_from_db()
                _report_loaded(request, upload, services.extraction_notes(upload.plan_yaml))
                return redirect("extraction:review", code=upload.plan_code)
    else:
        form = LoadUploadForm(initial={"code": upload.plan_code})
    return render(
        request,
        "extraction/upload.html",
        {"upload": upload, "form": form, "existing": existing, "problems": problems},
        status=400 if problems else 200,
    )


# --- review -------------------------------------------------------------------------------------


@dataclass
class Item:
    indicator: Indicator
    status: str

    @property
    def review(self) -> IndicatorReview | None:
        return services._review_of(self.indicator)

    @property
    def problems(self):
        from ducha.plans.services import indicator_problems

        return [message for _field, message in indicator_problems(self.indicator)]


@dataclass
class Group:
    node: PlanNode
    items: list[Item]
    continued: bool = False
    path: list[PlanNode] | None = None  # the node's ancestors, outermost first


def _ancestors(node: PlanNode, nodes: dict[int, PlanNode]) -> list[PlanNode]:
    path = []
    parent = nodes.get(node.parent_id)
    while parent is not None and len(path) < 20:
        path.append(parent)
        parent = nodes.get(parent.parent_id)
    return path[::-1]


def _items(plan: Plan) -> list[Item]:
    return [Item(indicator, status) for indicator, status in services.review_statuses(plan)]


def _show(request) -> str:
    show = request.GET.get("show") or request.POST.get("show") or "all"
    return show if show in SHOW_CHOICES else "all"


def _filtered(items: list[Item], show: str) -> list[Item]:
    return [item for item in items if show == "all" or item.status == show]


def review_url(
    plan: Plan,
    show: str = "all",
    anchor: Indicator | None = None,
    items: list[Item] | None = None,
) -> str:
    """The review page (filter ``show``) on the page that holds ``anchor``, scrolled to it."""
    query = {"show": show} if show != "all" else {}
    if anchor is not None:
        items = _filtered(_items(plan) if items is None else items, show)
        codes = [item.indicator.code for item in items]
        if anchor.code in codes:
            page = codes.index(anchor.code) // PAGE_SIZE + 1
            if page > 1:
                query["page"] = page
    url = reverse("extraction:review", args=[plan.code])
    if query:
        url += "?" + urlencode(query)
    return url + (f"#ind-{anchor.code}" if anchor is not None else "")


def _next_pending(plan: Plan, after: Indicator | None) -> Indicator | None:
    """The first pending indicator after ``after`` in plan order, else the first one at all."""
    items = _items(plan)
    codes = [item.indicator.code for item in items]
    start = codes.index(after.code) + 1 if after is not None and after.code in codes else 0
    for item in items[start:] + items[:start]:
        if item.status == ReviewStatus.PENDING:
            return item.indicator
    return None


@login_required
def review(request, code):
    """Each indicator beside its sentence, marked in its node's text; grouped by node."""
    _require_office(request)
    plan = _plan(request, code)
    show = _show(request)
    items = _items(plan)
    progress = services.Progress(
        len(items), sum(1 for i in items if i.status == ReviewStatus.CONFIRMED)
    )
    page = Paginator(_filtered(items, show), PAGE_SIZE).get_page(request.GET.get("page"))
    prefetch_related_objects([item.indicator for item in page.object_list], "supporting_units")
    groups: list[Group] = []
    for item in page.object_list:
        if groups and groups[-1].node.pk == item.indicator.node_id:
            groups[-1].items.append(item)
        else:
            continued = not groups and page.number > 1 and _same_node_before(page, item)
            groups.append(Group(item.indicator.node, [item], continued))
    nodes = {
        n.pk: n for n in plan.nodes.only("pk", "plan_id", "parent_id", "label", "title", "key")
    }
    for group in groups:
        group.path = _ancestors(group.node, nodes)
    first_pending = next((i.indicator for i in items if i.status == ReviewStatus.PENDING), None)
    upload = plan.uploads.filter(state=UploadState.LOADED).select_related("uploaded_by").first()
    return render(
        request,
        "extraction/review.html",
        {
            "plan": plan,
            "groups": groups,
            "page": page,
            "show": show,
            "show_choices": [
                ("all", _("All"), progress.total),
                ("pending", _("Pending"), progress.pending),
                ("confirmed", _("Confirmed"), progress.confirmed),
            ],
            "progress": progress,
            "is_draft": plan.state == PlanState.DRAFT,
            "first_pending_url": review_url(plan, "all", first_pending, items)
            if first_pending
            else "",
            "upload": upload,
            "notes": services.extraction_notes(upload.plan_yaml) if upload else [],
        },
    )


def _same_node_before(page, item: Item) -> bool:
    previous = page.paginator.object_list[page.start_index() - 2]
    return previous.indicator.node_id == item.indicator.node_id


def _after_write(request, plan: Plan, indicator: Indicator | None, *, next_pending: bool):
    """Back to the review page: at the next pending indicator, or at the one just written."""
    show = _show(request)
    target = _next_pending(plan, indicator) if next_pending else indicator
    if target is None and indicator is not None and show == "all":
        target = indicator
    if show == "pending" and target is None:
        show = "all"
    return redirect(review_url(plan, show, target))


def _write(request, plan: Plan, action, success: str, indicator: Indicator | None, **after):
    try:
        action()
    except ValueError as error:
        messages.error(request, str(error))
        return _after_write(request, plan, indicator, next_pending=False)
    messages.success(request, success)
    return _after_write(request, plan, indicator, **after)


@login_required
@require_POST
def confirm(request, code, indicator):
    _require_office(request)
    plan = _plan(request, code)
    ind = _indicator(request, plan, indicator)
    return _write(
        request,
        plan,
        lambda: services.confirm_indicator(ind, request.user),
        _("%(code)s %(name)s is confirmed.") % {"code": ind.code, "name": ind.name},
        ind,
        next_pending=True,
    )


@login_required
@require_POST
def reopen(request, code, indicator):
    _require_office(request)
    plan = _plan(request, code)
    ind = _indicator(request, plan, indicator)
    return _write(
        request,
        plan,
        lambda: services.reopen_indicator(ind, request.user),
        _("%(code)s is pending review again.") % {"code": ind.code},
        ind,
        next_pending=False,
    )


@login_required
def edit(request, code, indicator):
    _require_office(request)
    plan = _plan(request, code)
    ind = _indicator(request, plan, indicator)
    if plan.state != PlanState.DRAFT:
        messages.error(request, _("Only the indicators of a draft plan can be edited here."))
        return redirect("extraction:review", code=plan.code)
    problems: list[str] = []
    if request.method == "POST":
        form = IndicatorForm(request.POST, plan=plan, node_text=ind.node.text, user=request.user)
        if form.is_valid():
            confirm_it = "save_only" not in request.POST
            try:
                services.edit_indicator(
                    ind,
                    request.user,
                    form.values(),
                    supporting_units=form.cleaned_data["supporting_units"],
                    confirm=confirm_it,
                )
            except ValueError as error:
                problems = [str(error)]
            else:
                if confirm_it:
                    message = _("%(code)s is corrected and confirmed.")
                else:
                    message = _("%(code)s is saved; it is still pending review.")
                messages.success(request, message % {"code": ind.code})
                return _after_write(request, plan, ind, next_pending=confirm_it)
    else:
        form = IndicatorForm(
            initial=initial_from(ind), plan=plan, node_text=ind.node.text, user=request.user
        )
    return render(
        request,
        "extraction/indicator_form.html",
        {
            "plan": plan,
            "node": ind.node,
            "ind": ind,
            "sentence": ind.sentence,
            "form": form,
            "problems": problems,
            "known_units": KNOWN_UNITS,
            "show": _show(request),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def drop(request, code, indicator):
    """Asks first (a page of its own, so it works without JavaScript), then drops."""
    _require_office(request)
    plan = _plan(request, code)
    ind = _indicator(request, plan, indicator)
    if request.method == "POST":
        following = _next_pending(plan, ind)
        if following is not None and following.pk == ind.pk:
            following = None
        try:
            services.drop_indicator(ind, request.user)
        except ValueError as error:
            messages.error(request, str(error))
            return _after_write(request, plan, ind, next_pending=False)
        messages.success(
            request, _("%(code)s %(name)s was dropped.") % {"code": ind.code, "name": ind.name}
        )
        show = _show(request)
        if show == "pending" and following is None:
            show = "all"
        return redirect(review_url(plan, show, following))
    return render(
        request,
        "extraction/drop_confirm.html",
        {"plan": plan, "ind": ind, "show": _show(request), "is_draft": plan.state == "draft"},
    )


_CLAUSE = re.compile(r"[^，,；;。：:！？!?\n]+")


def clauses(text: str) -> list[tuple[str, str]]:
    """The node text as (piece, kind) runs: "clause" pieces to pick, "gap" punctuation."""
    runs: list[tuple[str, str]] = []
    position = 0
    for match in _CLAUSE.finditer(text):
        if match.start() > position:
            runs.append((text[position : match.start()], "gap"))
        piece = match.group()
        runs.append((piece, "clause" if piece.strip() else "gap"))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], "gap"))
    return runs


def suggestion(plan: Plan, sentence: str) -> dict:
    """Initial values for a sentence the extractor skipped: its guess when it has one."""
    initial = {
        "name": sentence.strip()[:40],
        "deadline": str(plan.period_end),
        "sentence": sentence.strip(),
        "comparator": "=",
        "kind": "level",
        "direction": 1,
        "frequency": "quarter",
        "aggregation": "sum",
    }
    if not sentence.strip():
        return initial
    document = parse_structure("计划\n" + sentence.strip())
    found = extract_targets(document)
    if found:
        target = found[0]
        initial.update(
            name=target.indicator or initial["name"],
            unit=target.unit,
            target_min=format(target.value_min, "f"),
            target_max=format(target.value_max, "f")
            if target.value_max != target.value_min
            else None,
            comparator=target.comparator,
            kind=target.kind,
            direction=1 if target.direction == "increase" else -1,
            deadline=str(target.year or plan.period_end),
        )
    return initial


@login_required
def add(request, code):
    """Add an indicator the extractor missed, from a sentence of a node."""
    _require_office(request)
    plan = _plan(request, code)
    node = get_object_or_404(
        PlanNode.objects.for_user(request.user, "change"),
        plan=plan,
        key=request.GET.get("node") or request.POST.get("node") or "",
    )
    if plan.state != PlanState.DRAFT:
        messages.error(request, _("Indicators can be added to a draft plan only."))
        return redirect("extraction:review", code=plan.code)
    problems: list[str] = []
    if request.method == "POST":
        form = AddIndicatorForm(request.POST, plan=plan, node_text=node.text, user=request.user)
        if form.is_valid():
            try:
                indicator = services.add_indicator(
                    plan,
                    node,
                    request.user,
                    form.values(),
                    code=form.cleaned_data["code"],
                    supporting_units=form.cleaned_data["supporting_units"],
                )
            except ValueError as error:
                problems = [str(error)]
            else:
                messages.success(
                    request,
                    _("%(code)s %(name)s was added and confirmed.")
                    % {"code": indicator.code, "name": indicator.name},
                )
                return redirect(review_url(plan, "all", indicator))
    else:
        sentence = request.GET.get("sentence", "")
        if sentence and sentence not in node.text:
            sentence = ""
        initial = {**suggestion(plan, sentence), "code": next_indicator_code(plan)}
        form = AddIndicatorForm(initial=initial, plan=plan, node_text=node.text, user=request.user)
    return render(
        request,
        "extraction/indicator_form.html",
        {
            "plan": plan,
            "node": node,
            "ind": None,
            "sentence": form["sentence"].value() or "",
            "clauses": clauses(node.text),
            "form": form,
            "problems": problems,
            "known_units": KNOWN_UNITS,
            "show": "all",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def nodes(request, code):
    """Every node of the plan with its text, to add what the extractor missed."""
    _require_office(request)
    plan = _plan(request, code)
    rows = (
        PlanNode.objects.for_user(request.user, "change")
        .filter(plan=plan)
        .annotate(indicator_count=Count("indicators"))
        .order_by("position")
    )
    page = Paginator(rows, NODES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "extraction/nodes.html",
        {"plan": plan, "page": page, "is_draft": plan.state == PlanState.DRAFT},
    )


@login_required
def details(request, code):
    """Correct the plan's title, issuer and period as the extractor read them."""
    _require_office(request)
    plan = _plan(request, code)
    if plan.state != PlanState.DRAFT:
        messages.error(request, _("Only a draft plan's details can be corrected here."))
        return redirect("extraction:review", code=plan.code)
    problems: list[str] = []
    if request.method == "POST":
        form = PlanDetailsForm(request.POST)
        if form.is_valid():
            try:
                changes = update_plan_details(plan, request.user, **form.cleaned_data)
            except ValueError as error:
                problems = [str(error)]
            else:
                if "region_id" in changes:  # the links to other plans follow the region
                    from ducha.alignment.services import propose_again

                    propose_again(plan, request.user)
                messages.success(request, _("The plan's details are saved."))
                return redirect("extraction:review", code=plan.code)
    else:
        form = PlanDetailsForm(initial={name: getattr(plan, name) for name in PLAN_DETAIL_FIELDS})
    return render(
        request,
        "extraction/plan_details.html",
        {"plan": plan, "form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def activate(request, code):
    _require_office(request)
    plan = _plan(request, code)
    try:
        services.activate_plan(plan, request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("extraction:review", code=plan.code)
    messages.success(
        request, _("%(title)s is active: units can now report on it.") % {"title": plan.title}
    )
    return redirect("plans:detail", code=plan.code)
