"""Sending notifications: `notify` is the one door every other app (and a background job) uses.

`notify(event, key, …)` is called inside the service's transaction. It works out who should
hear of the event on which channel (each person's e-mail and SMS choice, the group robots of
the units concerned and of the office), records one `Delivery` per recipient and channel under
``{key}:{channel}:{recipient}`` (unique: the same event never goes out twice, whoever calls
again), and sends them once the transaction commits. A failure is logged and kept on the
delivery (`ducha sendnotifications` retries it); it never reaches the user whose action caused
the event. Inside `muted()` (what `ducha demo` runs in) nothing is recorded or sent.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import diff, record, snapshot
from ducha.core.policies import require
from ducha.notifications import senders
from ducha.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Preference,
    Robot,
)

log = logging.getLogger("ducha.notifications")

_muted = contextvars.ContextVar("ducha_notifications_muted", default=False)
MAX_ATTEMPTS = 5


@contextlib.contextmanager
def muted():
    """Nothing is recorded or sent inside this block (demo data notifies nobody)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def link(path: str) -> str:
    """An absolute link to a page of the site for a message."""
    return getattr(settings, "DUCHA_BASE_URL", "").rstrip("/") + path


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str  # e-mail address, phone number, or the robot's id
    user_id: int | None = None
    robot: Robot | None = None


def _preference(user) -> Preference:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def recipients_for(users: Iterable = (), units: Iterable = (), office: bool = False):
    """Who hears of an event: each person on the channels they chose, each unit's robots in
    use, and the office's own robots when `office` is set."""
    out: dict[tuple[str, str], Recipient] = {}
    sms = senders.sms_configured()
    for user in users:
        if user is None or not user.is_active:
            continue
        pref = _preference(user)
        if pref.email and user.email:
            out[("email", user.email)] = Recipient(Channel.EMAIL, user.email, user.pk)
        if pref.sms and sms and user.phone:
            out[("sms", user.phone)] = Recipient(Channel.SMS, user.phone, user.pk)
    unit_ids = {getattr(u, "pk", u) for u in units if u is not None}
    scope = Q(org_unit__in=unit_ids)
    if office:
        scope |= Q(org_unit__isnull=True)
    if unit_ids or office:
        for robot in Robot.objects.filter(scope, enabled=True):
            out[(robot.kind, str(robot.pk))] = Recipient(robot.kind, str(robot.pk), robot=robot)
    return list(out.values())


def notify(
    event: str,
    key: str,
    *,
    subject: str,
    body: str,
    url: str = "",
    users: Iterable = (),
    units: Iterable = (),
    office: bool = False,
) -> list[int]:
    """Record a message about `event` for everyone concerned and send it after commit.

    `key` names the event once (e.g. ``reporting.returned:<transition id>``); calling again
    with the same key sends nothing new. Returns the ids of the new deliveries.
    """
    if is_muted():
        return []
    people = recipients_for(users, units, office)
    if not people:
        return []
    keys = {f"{key}:{r.channel}:{r.address}"[:200]: r for r in people}
    known = set(Delivery.objects.filter(key__in=keys).values_list("key", flat=True))
    created = []
    for full_key, r in keys.items():
        if full_key in known:
            continue
        try:
            with transaction.atomic():
                created.append(
                    Delivery.objects.create(
                        key=full_key,
                        event=event[:60],
                        channel=r.channel,
                        recipient=r.robot.name if r.robot else r.address,
                        user_id=r.user_id,
                        robot=r.robot,
                        subject=subject[:200],
                        body=body,
                        url=url[:500],
                    ).pk
                )
        except IntegrityError:
            continue  # the same event recorded at the same moment by another process
    if created:
        transaction.on_commit(lambda: deliver(created))
    return created


def deliver(ids: Iterable[int] | None = None) -> dict[str, int]:
    """Send waiting deliveries (these, or all that wait); never raises. Counts per status.

    Each delivery is claimed with a conditional update first, so two processes sending the
    same ids send each message once.
    """
    counts = {"sent": 0, "failed": 0}
    qs = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    batch = _Batch()
    try:
        for pk in list(qs.values_list("pk", flat=True)):
            claimed = Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
            )
            if not claimed:
                continue
            d = Delivery.objects.select_related("robot").get(pk=pk)
            try:
                batch.send(d)
            except Exception as exc:  # every failure is recorded, whatever raised it
                log.warning("notification %s to %s failed: %s", d.key, d.recipient, exc)
                Delivery.objects.filter(pk=pk).update(
                    status=DeliveryStatus.FAILED, error=str(exc)[:2000]
                )
                counts["failed"] += 1
            else:
                Delivery.objects.filter(pk=pk).update(
                    status=DeliveryStatus.SENT, sent_at=timezone.now(), error=""
                )
                counts["sent"] += 1
    finally:
        batch.close()
    return counts


class _Batch:
    """One SMTP session for the e-mails of a batch; a server found unreachable is not tried
    again in the same batch (each further message would wait for the same timeout)."""

    def __init__(self):
        self.mail = None
        self.down: dict[str, str] = {}

    def send(self, d: Delivery) -> None:
        target = "sms" if d.channel == Channel.SMS else f"robot:{d.robot_id}"
        if d.channel == Channel.EMAIL:
            target = "smtp"
        if target in self.down:
            raise senders.SendError(self.down[target], unreachable=True)
        try:
            _send(d, self)
        except senders.SendError as exc:
            if exc.unreachable:
                self.down[target] = str(exc)
            raise

    def mail_connection(self):
        if self.mail is None:
            from django.core.mail import get_connection

            connection = get_connection()
            try:
                connection.open()  # opened here, it stays open for the batch
            except Exception as exc:  # refused, timed out, TLS or login failed
                raise senders.SendError(f"{type(exc).__name__}: {exc}", unreachable=True) from exc
            self.mail = connection
        return self.mail

    def close(self):
        if self.mail is not None:
            try:
                self.mail.close()
            except Exception as exc:  # closing a broken session: nothing left to send on it
                log.info("closing the mail connection: %s", exc)


def _send(d: Delivery, batch: _Batch) -> None:
    if d.channel == Channel.EMAIL:
        body = f"{d.body}\n\n{d.url}" if d.url else d.body
        senders.send_email(d.recipient, d.subject, body, connection=batch.mail_connection())
    elif d.channel == Channel.SMS:
        senders.send_sms(d.recipient, " ".join(p for p in (d.subject, d.url) if p), d.key)
    else:
        robot = d.robot
        if robot is None:
            raise senders.SendError("the group robot was removed")
        send = senders.ROBOT_SENDERS[robot.kind]
        send(robot.webhook_url, robot.secret, senders.robot_text(d.subject, d.body, d.url))


# far longer than a send may take (each channel's timeout is seconds), so a claim this old
# belongs to a process that died
STALE_CLAIM = dt.timedelta(minutes=10)


def _stale_claims(now) -> Q:
    # no claim time: claimed before the time was recorded, long ago
    old = Q(claimed_at__lt=now - STALE_CLAIM) | Q(claimed_at__isnull=True)
    return Q(status=DeliveryStatus.SENDING) & old


def has_waiting(max_attempts: int = MAX_ATTEMPTS) -> bool:
    """Whether `retry_failed` has work: a failure to try again, a message still waiting after
    a minute (the request that recorded it sends it at once), or a stale claim."""
    now = timezone.now()
    return Delivery.objects.filter(
        Q(status=DeliveryStatus.FAILED, attempts__lt=max_attempts)
        | Q(status=DeliveryStatus.PENDING, created_at__lt=now - dt.timedelta(minutes=1))
        | _stale_claims(now)
    ).exists()


def retry_failed(max_attempts: int = MAX_ATTEMPTS) -> dict[str, int]:
    """Send again what failed (fewer than `max_attempts` tries), and what still waits."""
    Delivery.objects.filter(status=DeliveryStatus.FAILED, attempts__lt=max_attempts).update(
        status=DeliveryStatus.PENDING
    )
    # a process that died while sending left its claim: free it after a while
    Delivery.objects.filter(_stale_claims(timezone.now())).update(status=DeliveryStatus.PENDING)
    return deliver()


# --- settings the office and each person make -------------------------------------------------


ROBOT_FIELDS = ["name", "kind", "org_unit_id", "enabled"]


class NotificationError(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def mask(value: str) -> str:
    """A secret as the pages show it: enough to recognise, never enough to use."""
    if not value:
        return ""
    if len(value) <= 8:
        return "•" * 6
    return f"{value[:4]}••••••{value[-2:]}"


def mask_url(url: str) -> str:
    """A webhook address with its token (the query or the last path part) masked."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if parts.query:
        query = "&".join(
            f"{k}={mask(v)}" for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        )
        return urllib.parse.urlunsplit(parts._replace(query=query))
    head, _sep, last = parts.path.rpartition("/")
    return urllib.parse.urlunsplit(parts._replace(path=f"{head}/{mask(last)}"))


@transaction.atomic
def save_robot(
    actor,
    robot: Robot | None,
    *,
    name: str,
    kind: str,
    org_unit,
    webhook_url: str = "",
    secret: str = "",
    enabled: bool = True,
) -> Robot:
    """Add or change a group robot (the office). An empty address or secret keeps the old one."""
    if actor is not None:
        require(actor, "add" if robot is None else "change", robot or Robot)
    if kind not in senders.ROBOT_SENDERS:
        raise NotificationError(_("unknown kind of robot: %s") % kind, "kind")
    if not name.strip():
        raise NotificationError(_("give the robot a name"), "name")
    if robot is None:
        if not webhook_url.strip():
            raise NotificationError(_("the webhook address is missing"), "webhook_url")
        robot, before = Robot(), {}
    else:
        robot = Robot.objects.select_for_update().get(pk=robot.pk)
        before = snapshot(robot, ROBOT_FIELDS)
    changed = []
    if webhook_url.strip() and webhook_url.strip() != robot.webhook_url:
        robot.webhook_url = webhook_url.strip()
        changed.append("webhook_url")
    if secret.strip() and secret.strip() != robot.secret:
        robot.secret = secret.strip()
        changed.append("secret")
    robot.name, robot.kind, robot.org_unit, robot.enabled = name.strip(), kind, org_unit, enabled
    robot.full_clean(exclude=["secret"])
    robot.save()
    changes = diff(before, snapshot(robot, ROBOT_FIELDS))
    for what in changed:  # that it changed, never the value
        changes[what] = ["…", "…"] if before else [None, "…"]
    record(
        actor,
        "notifications.robot.added" if not before else "notifications.robot.changed",
        robot,
        changes=changes,
        org_unit=org_unit,
    )
    return robot


@transaction.atomic
def set_robot_enabled(actor, robot: Robot, enabled: bool) -> Robot:
    """A unit (its head) or the office turns a robot of the unit's on or off."""
    if actor is not None:
        require(actor, "use", robot)
    robot = Robot.objects.select_for_update().get(pk=robot.pk)
    if robot.enabled != enabled:
        robot.enabled = enabled
        robot.save(update_fields=["enabled", "updated_at"])
        record(
            actor,
            "notifications.robot.changed",
            robot,
            changes={"enabled": [not enabled, enabled]},
            org_unit=robot.org_unit,
        )
    return robot


@transaction.atomic
def set_preference(actor, user, *, email: bool, sms: bool) -> Preference:
    """A person's own channels (the office may set anyone's)."""
    if actor is not None and actor.pk != user.pk and not actor.is_office:
        raise PermissionDenied
    if sms and not user.phone:
        raise NotificationError(_("SMS needs a mobile number in your account."), "sms")
    pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
    before = snapshot(pref, ["email", "sms"])
    pref.email, pref.sms = email, sms
    pref.save()
    changes = diff(before, snapshot(pref, ["email", "sms"]))
    if changes:
        record(actor, "notifications.preference.changed", pref, changes=changes)
    return pref


def send_test_message(actor, robot: Robot) -> Delivery:
    """Send a test message through a robot now and say how it went (the office)."""
    if actor is not None:
        require(actor, "change", robot)
    stamp = timezone.now()
    d = Delivery.objects.create(
        key=f"notifications.test:{robot.pk}:{stamp.timestamp()}",
        event="notifications.test",
        channel=robot.kind,
        recipient=robot.name,
        robot=robot,
        subject=_("[ducha] Test message"),
        body=_("This group will receive ducha's notifications for %(unit)s.")
        % {"unit": robot.org_unit.label if robot.org_unit else _("the office")},
        url=link("/"),
    )
    deliver([d.pk])
    d.refresh_from_db()
    return d
