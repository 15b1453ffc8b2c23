"""Pages of awards and subsidies: the schemes with their budgets, a scheme, the applications
(filters, search, pagination, export), one application with its history and the actions the
user may take, the forms to enter and change one, and payments. Writes go to services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.audit.services import history
from ducha.core.conflicts import StaleVersion
from ducha.core.policies import allows
from ducha.enterprises.models import Enterprise
from ducha.incentives import services
from ducha.incentives.forms import ApplicationForm, PaymentForm
from ducha.incentives.models import Application, Budget, Scheme
from ducha.incentives.register import REGISTER
from ducha.registers.views import filtered

PAGE_SIZE = 50


def _schemes(user):
    return Scheme.objects.for_user(user, "view").select_related("managing_unit", "plan_node")


def _years() -> list[int]:
    years = sorted(set(Budget.objects.values_list("year", flat=True)))
    return years or []


@login_required
def scheme_list(request):
    if not allows(request.user, "view", Scheme):
        raise PermissionDenied
    schemes = list(_schemes(request.user))
    years = _years()
    lines = services.budget_lines([s.pk for s in schemes], years)
    counts = dict(
        Application.objects.for_user(request.user, "view")
        .values_list("scheme_id")
        .annotate(n=Count("id"))
    )
    rows = [(s, [lines[(s.pk, y)] for y in years], counts.get(s.pk, 0)) for s in schemes]
    return render(
        request,
        "incentives/scheme_list.html",
        {"rows": rows, "years": years, "can_apply": allows(request.user, "add", Application)},
    )


@login_required
def scheme_detail(request, code):
    scheme = get_object_or_404(_schemes(request.user), code=code)
    years = _years()
    lines = services.budget_lines([scheme.pk], years)
    apps = (
        Application.objects.for_user(request.user, "view")
        .filter(scheme=scheme)
        .select_related("enterprise", "project", "district")
        .order_by("-year", "id")
    )
    page = Paginator(apps, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incentives/scheme_detail.html",
        {
            "scheme": scheme,
            "lines": [lines[(scheme.pk, y)] for y in years],
            "page": page,
            "query": "",
            "can_apply": allows(request.user, "add", Application),
        },
    )


@login_required
def application_list(request):
    if not allows(request.user, "view", Application):
        raise PermissionDenied
    qs, active, q = filtered(request, REGISTER)
    qs = qs.select_related(*REGISTER.select_related)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    filters = [(f, f.options(), request.GET.get(f.param, "")) for f in REGISTER.filters]
    return render(
        request,
        "incentives/application_list.html",
        {
            "page": page,
            "filters": filters,
            "q": q,
            "active": active,
            "query": f"{query}&" if query else "",
            "export_query": query,
            "can_add": allows(request.user, "add", Application),
        },
    )


def _visible(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.for_user(request.user, "view").select_related(
            "scheme__managing_unit",
            "scheme__plan_node",
            "enterprise",
            "project",
            "district",
            "updated_by",
        ),
        pk=pk,
    )


@login_required
def application_detail(request, pk):
    app = _visible(request, pk)
    return _detail(request, app)


def _detail(request, app, *, problems=None, pay_form=None, status=200):
    actions = services.available_actions(request.user, app)
    line = services.budget_lines([app.scheme_id], [app.year])[(app.scheme_id, app.year)]
    return render(
        request,
        "incentives/application_detail.html",
        {
            "app": app,
            "actions": actions,
            "line": line,
            "payments": app.payments.all(),
            "history": history(app)[:50],
            "problems": problems or [],
            "pay_form": pay_form or PaymentForm(),
            "posted": request.POST if problems else {},
        },
        status=status,
    )


def _find_enterprise(user, text: str):
    from ducha.engine import creditcode

    text = (text or "").strip()
    if not text:
        return None
    qs = Enterprise.objects.for_user(user, "view").select_related("district", "park")
    code = creditcode.normalise(text)
    found = list(qs.filter(credit_code=code)[:2]) if len(code) == 18 else []
    found = found or list(qs.filter(name=text)[:2])
    if len(found) != 1:
        raise services.IncentiveError(
            _("Enterprise: no registered enterprise %s that you may see; give its credit code")
            % text
            if not found
            else _("Enterprise: %s names more than one enterprise; give its credit code") % text,
            "enterprise",
        )
    return found[0]


def _find_project(user, text: str):
    from ducha.projects.models import Project

    text = (text or "").strip()
    if not text:
        return None
    project = (
        Project.objects.for_user(user, "view")
        .select_related("district", "enterprise")
        .filter(code=text)
        .first()
    )
    if project is None:
        raise services.IncentiveError(
            _("Project code: no project %s that you may see") % text, "project"
        )
    return project


@login_required
def application_new(request):
    if not allows(request.user, "add", Application):
        raise PermissionDenied
    schemes = _schemes(request.user)
    initial = {}
    if request.GET.get("scheme"):
        initial["scheme"] = schemes.filter(code=request.GET["scheme"]).first()
    form = ApplicationForm(request.POST or None, schemes=schemes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            app = services.create_application(
                request.user,
                scheme=data["scheme"],
                enterprise=_find_enterprise(request.user, data["enterprise"]),
                project=_find_project(request.user, data["project"]),
                year=data["year"],
                requested=data["requested"],
                base_amount=data["base_amount"],
                note=data["note"],
            )
            if "submit" in request.POST:
                services.submit(request.user, app, expected_version=app.version)
        except services.IncentiveError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not enter this application."))
        else:
            messages.success(request, _("Application %s saved.") % app.number)
            return redirect("incentives:detail", pk=app.pk)
    return render(request, "incentives/application_form.html", {"form": form, "app": None})


@login_required
def application_edit(request, pk):
    app = _visible(request, pk)
    if not allows(request.user, "change", app):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        # A stale form is a conflict (409), also when the application has moved on since to
        # a state that cannot be edited any more.
        try:
            services.check_version(app, _version(request.POST.get("version")))
        except services.ConflictError as exc:
            return _detail(request, app, problems=[exc.message], status=409)
    if app.state not in services.EDITABLE:
        raise PermissionDenied
    initial = {
        "scheme": app.scheme,
        "enterprise": app.enterprise.credit_code if app.enterprise_id else "",
        "project": app.project.code if app.project_id else "",
        "year": app.year,
        "base_amount": "" if app.base_amount is None else services._fmt(app.base_amount),
        "requested": services._fmt(app.requested),
        "note": app.note,
    }
    form = ApplicationForm(
        request.POST or None, initial=initial, schemes=_schemes(request.user), editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            app = services.update_application(
                request.user,
                app,
                expected_version=_version(request.POST.get("version")),
                requested=data["requested"],
                base_amount=data["base_amount"],
                note=data["note"],
            )
            if "submit" in request.POST:
                app = services.submit(request.user, app, expected_version=app.version)
        except services.IncentiveError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 409 if isinstance(exc, StaleVersion) else 200
        else:
            messages.success(request, _("Application %s saved.") % app.number)
            return redirect("incentives:detail", pk=app.pk)
    return render(
        request, "incentives/application_form.html", {"form": form, "app": app}, status=status
    )


def _version(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def application_act(request, pk, action):
    app = _visible(request, pk)
    run = services.ACTIONS.get(action)
    if run is None:
        raise Http404
    version = _version(request.POST.get("version"))
    try:
        services.check_version(app, version)
    except services.ConflictError as exc:
        return _detail(request, app, problems=[exc.message], status=409)
    if action not in services.available_actions(request.user, app):
        # someone else may have moved it on since the page was read: say so on the page
        message = _("You cannot do this now: the application is %s.") % app.get_state_display()
        return _detail(request, app, problems=[message], status=403)
    try:
        app = run(request.user, app, version, request.POST)
    except services.IncentiveError as exc:
        status = 409 if isinstance(exc, StaleVersion) else 400
        return _detail(request, _visible(request, pk), problems=[exc.message], status=status)
    messages.success(
        request,
        _("Application %(number)s is now %(state)s.")
        % {"number": app.number, "state": app.get_state_display()},
    )
    return redirect("incentives:detail", pk=app.pk)


@login_required
@require_POST
def application_pay(request, pk):
    app = _visible(request, pk)
    try:
        services.check_version(app, _version(request.POST.get("version")))
    except services.ConflictError as exc:
        return _detail(request, app, problems=[exc.message], status=409)
    if "pay" not in services.available_actions(request.user, app):
        raise PermissionDenied
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _detail(
            request, app, problems=[_("Check the payment's fields.")], pay_form=form, status=400
        )
    data = form.cleaned_data
    try:
        services.record_payment(
            request.user,
            app,
            expected_version=_version(request.POST.get("version")),
            paid_on=data["paid_on"],
            amount=data["amount"],
            voucher=data["voucher"],
        )
    except services.IncentiveError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        status = 409 if isinstance(exc, StaleVersion) else 400
        return _detail(
            request, _visible(request, pk), problems=[exc.message], pay_form=form, status=status
        )
    messages.success(request, _("Payment recorded."))
    return redirect("incentives:detail", pk=pk)
