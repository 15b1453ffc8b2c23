"""Notification pages: each person's channels (and a unit head's group robots), the office's
group robots and what was sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.core.policies import allows, require
from ducha.notifications import senders, services
from ducha.notifications.forms import PreferenceForm, RobotForm
from ducha.notifications.models import Delivery, DeliveryStatus, Preference, Robot

PAGE_SIZE = 50


def _robot_rows(robots):
    return [
        {
            "robot": r,
            "url": services.mask_url(r.webhook_url),
            "secret": services.mask(r.secret),
        }
        for r in robots
    ]


@login_required
def preferences(request):
    user = request.user
    pref = Preference.objects.filter(user=user).first() or Preference(user=user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.set_preference(
                    user, user, email=form.cleaned_data["email"], sms=form.cleaned_data["sms"]
                )
            except services.NotificationError as exc:
                form.add_error(exc.field or None, exc.message)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:preferences")
    else:
        form = PreferenceForm(initial={"email": pref.email, "sms": pref.sms})
    robots = Robot.objects.for_user(user, "view").select_related("org_unit")
    if user.is_office:
        robots = robots.filter(org_unit=None)
    recent = Delivery.objects.filter(user=user).order_by("-created_at", "-pk")[:20]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "sms_available": senders.sms_configured(),
            "robots": _robot_rows(robots),
            "can_use": {r.pk for r in Robot.objects.for_user(user, "use")},
            "recent": recent,
        },
    )


@login_required
def robot_list(request):
    require(request.user, "add", Robot)
    robots = Robot.objects.for_user(request.user, "view").select_related("org_unit")
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
    return render(
        request, "notifications/robots.html", {"robots": _robot_rows(robots), "failed": failed}
    )


@login_required
def robot_edit(request, pk=None):
    robot = None
    if pk is not None:
        robot = get_object_or_404(Robot.objects.for_user(request.user, "view"), pk=pk)
        require(request.user, "change", robot)
    else:
        require(request.user, "add", Robot)
    if request.method == "POST":
        form = RobotForm(request.POST)
        if form.is_valid():
            try:
                services.save_robot(request.user, robot, **form.cleaned_data)
            except services.NotificationError as exc:
                form.add_error(exc.field or None, exc.message)
            else:
                messages.success(request, _("The group robot is saved."))
                return redirect("notifications:robots")
    elif robot is not None:
        form = RobotForm(
            initial={
                "name": robot.name,
                "kind": robot.kind,
                "org_unit": robot.org_unit,
                "enabled": robot.enabled,
            }
        )
    else:
        form = RobotForm()
    return render(
        request,
        "notifications/robot_edit.html",
        {
            "form": form,
            "robot": robot,
            "current_url": services.mask_url(robot.webhook_url) if robot else "",
            "current_secret": services.mask(robot.secret) if robot else "",
        },
    )


@login_required
@require_POST
def robot_test(request, pk):
    robot = get_object_or_404(Robot.objects.for_user(request.user, "view"), pk=pk)
    require(request.user, "change", robot)
    d = services.send_test_message(request.user, robot)
    if d.status == DeliveryStatus.SENT:
        messages.success(request, _("Test message sent to %s.") % robot.name)
    else:
        messages.error(
            request,
            _("The test message to %(robot)s failed: %(error)s")
            % {"robot": robot.name, "error": d.error},
        )
    return redirect("notifications:robots")


@login_required
@require_POST
def robot_use(request, pk):
    robot = get_object_or_404(Robot.objects.for_user(request.user, "view"), pk=pk)
    require(request.user, "use", robot)
    services.set_robot_enabled(request.user, robot, request.POST.get("enabled") == "1")
    messages.success(request, _("Saved."))
    return redirect(
        "notifications:robots" if request.user.is_office else "notifications:preferences"
    )


@login_required
def delivery_list(request):
    require(request.user, "view", Delivery)
    qs = Delivery.objects.for_user(request.user, "view").select_related("user")
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page": page,
            "status": status,
            "statuses": DeliveryStatus.choices,
            "is_office": allows(request.user, "add", Robot),
        },
    )
