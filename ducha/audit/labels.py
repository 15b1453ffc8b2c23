"""Audit entries as people read them: a Chinese label for the action, field verbose names,
choice labels for values. The stored codes stay as they are (the office filters by them and
they are shown on hover); only the display changes.

An action is namespaced "app.model.verb" ("reporting.assignment.approved"). Its label is the
model's verbose name and the verb from ``VERBS``; a verb that is a value of the model's
``status`` field reads "status → <label>"; anything else falls back to the code itself.
"""

from __future__ import annotations

import time
from functools import lru_cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

VERBS = {
    "started": pgettext_lazy("audit verb", "started"),
    "requeued": pgettext_lazy("audit verb", "queued again"),
    "created": pgettext_lazy("audit verb", "created"),
    "updated": pgettext_lazy("audit verb", "updated"),
    "saved": pgettext_lazy("audit verb", "saved"),
    "archived": pgettext_lazy("audit verb", "archived"),
    "restored": pgettext_lazy("audit verb", "restored"),
    "deleted": pgettext_lazy("audit verb", "deleted"),
    "submitted": pgettext_lazy("audit verb", "submitted"),
    "approved": pgettext_lazy("audit verb", "approved"),
    "unit_approved": pgettext_lazy("audit verb", "approved by the unit head"),
    "returned": pgettext_lazy("audit verb", "returned for correction"),
    "rejected": pgettext_lazy("audit verb", "rejected"),
    "loaded": pgettext_lazy("audit verb", "loaded"),
    "import": pgettext_lazy("audit verb", "imported"),
    "imported": pgettext_lazy("audit verb", "imported"),
    "opened": pgettext_lazy("audit verb", "opened"),
    "closed": pgettext_lazy("audit verb", "closed"),
    "reopened": pgettext_lazy("audit verb", "reopened"),
    "reported": pgettext_lazy("audit verb", "progress reported"),
    "recomputed": pgettext_lazy("audit verb", "recomputed"),
    "added": pgettext_lazy("audit verb", "added"),
    "removed": pgettext_lazy("audit verb", "removed"),
    "drafted": pgettext_lazy("audit verb", "drafted"),
    "published": pgettext_lazy("audit verb", "published"),
    "unpublished": pgettext_lazy("audit verb", "withdrawn from publication"),
    "sent": pgettext_lazy("audit verb", "sent"),
    "ended": pgettext_lazy("audit verb", "ended"),
    "discarded": pgettext_lazy("audit verb", "discarded"),
    "corrected": pgettext_lazy("audit verb", "corrected"),
    "state": pgettext_lazy("audit verb", "state changed"),
    "state_changed": pgettext_lazy("audit verb", "state changed"),
    "accepted": pgettext_lazy("audit verb", "accepted"),
    "waiting": pgettext_lazy("audit verb", "waiting"),
    "unlocked": pgettext_lazy("audit verb", "unlocked"),
    "touched": pgettext_lazy("audit verb", "touched"),
    "changed": pgettext_lazy("audit verb", "changed"),
    "reviewed": pgettext_lazy("audit verb", "reviewed"),
    "paid": pgettext_lazy("audit verb", "paid in full"),
    "paid_part": pgettext_lazy("audit verb", "partly paid"),
    "recorded": pgettext_lazy("audit verb", "recorded"),
    "withdrawn": pgettext_lazy("audit verb", "withdrawn"),
    "entered": pgettext_lazy("audit verb", "entered"),
    "advanced": pgettext_lazy("audit verb", "moved to the next stage"),
    "confirmed": pgettext_lazy("audit verb", "confirmed"),
    "proposed": pgettext_lazy("audit verb", "suggested"),
    "granted": pgettext_lazy("audit verb", "granted"),
    "admin_created": pgettext_lazy("audit verb", "created in the admin"),
    "admin_changed": pgettext_lazy("audit verb", "changed in the admin"),
    "admin_deleted": pgettext_lazy("audit verb", "deleted in the admin"),
}


# Keys of `changes` that are no field of the entry's model: counts and facts the services
# record (a load's created/updated/deleted, a reminder run's day and numbers, an upload's
# file). Every literal key a service records is a field or is here
# (`test_every_recorded_key_has_a_label`), so the log never shows a raw key.
KEYS = {
    "task": pgettext_lazy("audit key", "task"),
    "workers": pgettext_lazy("audit key", "workers"),
    "as_of": pgettext_lazy("audit key", "as of"),
    "snapshot": pgettext_lazy("audit key", "snapshot"),
    "overall": pgettext_lazy("audit key", "overall status"),
    "assignments": pgettext_lazy("audit key", "assignments"),
    "before": pgettext_lazy("audit key", "before"),
    "changed": pgettext_lazy("audit key", "changed"),
    "code": pgettext_lazy("audit key", "code"),
    "created": pgettext_lazy("audit key", "created"),
    "day": pgettext_lazy("audit key", "day"),
    "days": pgettext_lazy("audit key", "days"),
    "deleted": pgettext_lazy("audit key", "deleted"),
    "e-mailed": pgettext_lazy("audit key", "e-mailed"),
    "emails": pgettext_lazy("audit key", "e-mails sent"),
    "enabled": pgettext_lazy("audit key", "enabled"),
    "evidence": pgettext_lazy("audit key", "evidence"),
    "file": pgettext_lazy("audit key", "file"),
    "from_round": pgettext_lazy("audit key", "reused from the round"),
    "indicator": pgettext_lazy("audit key", "indicator"),
    "indicators": pgettext_lazy("audit key", "indicators"),
    "indicators.support": pgettext_lazy("audit key", "supporting units of indicators"),
    "kind_name": pgettext_lazy("audit key", "kind and name"),
    "milestone_reports": pgettext_lazy("audit key", "milestone progress reports"),
    "milestones": pgettext_lazy("audit key", "milestones"),
    "milestones.support": pgettext_lazy("audit key", "supporting units of milestones"),
    "nodes": pgettext_lazy("audit key", "plan sections"),
    "notice": pgettext_lazy("audit key", "notice"),
    "notice_source": pgettext_lazy("audit key", "notice and source"),
    "paid": pgettext_lazy("audit key", "paid"),
    "plan": pgettext_lazy("audit key", "plan"),
    "proposed": pgettext_lazy("audit key", "links suggested"),
    "published": pgettext_lazy("audit key", "published"),
    "reminders": pgettext_lazy("audit key", "reminders"),
    "replaced": pgettext_lazy("audit key", "replaced the earlier draft"),
    "review": pgettext_lazy("audit key", "review"),
    "sha256": pgettext_lazy("audit key", "checksum"),
    "since": pgettext_lazy("audit key", "since"),
    "size": pgettext_lazy("audit key", "size (bytes)"),
    "stage": pgettext_lazy("audit key", "stage"),
    "state": pgettext_lazy("audit key", "state"),
    "status": pgettext_lazy("audit key", "status"),
    "tables": pgettext_lazy("audit key", "tables"),
    "targets": pgettext_lazy("audit key", "quantified targets"),
    "tier": pgettext_lazy("audit key", "tier"),
    "type": pgettext_lazy("audit key", "file type"),
    "until": pgettext_lazy("audit key", "until"),
    "updated": pgettext_lazy("audit key", "updated"),
    "value": pgettext_lazy("audit key", "value"),
    "values": pgettext_lazy("audit key", "values"),
    "withdrawn": pgettext_lazy("audit key", "suggestions withdrawn"),
}


# Security events (ducha/core/security.py) are about no object: each has its own label.
SECURITY_EVENTS = {
    "security.login.failed": pgettext_lazy("security event", "sign-in refused"),
    "security.login.locked_out": pgettext_lazy("security event", "account locked"),
    "security.write.refused": pgettext_lazy("security event", "change refused"),
}


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except (LookupError, ValueError):
        return None


def entry_model(entry):
    """The model an entry is about: its content type's, else the one the action names."""
    if entry.content_type_id:
        model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
        if model is not None:
            return model
    parts = entry.action.split(".")
    return _model(parts[0], parts[1]) if len(parts) >= 3 else None


def _field(model, name: str):
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):  # services log "scheme_id" too
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _related_name(field, value) -> str | None:
    """The name of the object a foreign key's stored id points at (the org unit, the
    scheme), looked up once per page: a history panel repeats the same few."""
    if field is None or not field.many_to_one or isinstance(value, bool):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return _named(field.related_model, pk)


@lru_cache(maxsize=1024)
def _named_cached(model, pk: int, stamp: int) -> str | None:
    obj = model._default_manager.filter(pk=pk).first()
    return str(obj) if obj is not None else None


def _named(model, pk: int) -> str | None:
    # the cache lives for a minute: names change rarely, and a renamed unit shows its new
    # name soon enough
    return _named_cached(model, pk, int(time.monotonic() // 60))


def _choices(field) -> dict:
    if field is None or not getattr(field, "choices", None):
        return {}
    return {str(k): v for k, v in field.flatchoices}


def action_label(entry) -> str:
    if entry.action in SECURITY_EVENTS:
        return str(SECURITY_EVENTS[entry.action])
    parts = entry.action.split(".")
    if len(parts) < 2:
        return entry.action
    verb = parts[-1]
    model = entry_model(entry)
    if model is not None:
        subject = str(model._meta.verbose_name)
    else:
        try:
            subject = str(apps.get_app_config(parts[0]).verbose_name)
        except LookupError:
            return entry.action
    if verb in VERBS:
        what = str(VERBS[verb])
    elif verb in (status := _choices(_field(model, "status")) or _choices(_field(model, "state"))):
        what = _("status → %s") % status[verb]
    else:
        return entry.action
    return _("%(subject)s · %(verb)s") % {"subject": subject, "verb": what}


def field_label(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and field.auto_created and not field.concrete:  # a reverse relation
        return str(field.related_model._meta.verbose_name)
    label = getattr(field, "verbose_name", "") if field is not None else ""
    if not label and name in KEYS:
        label = KEYS[name]
    return str(label) if label else name


def value_text(model, name: str, value) -> str:
    """One stored value readably: choice labels, yes/no, lists joined, mappings as key: value."""
    if value is None or value == "":
        return "–"
    field = _field(model, name)
    choices = _choices(field)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(value_text(model, name, v) for v in value) if value else "–"
    if isinstance(value, dict):
        return "；".join(
            f"{field_label(model, str(k))}：{value_text(model, str(k), v)}"
            for k, v in value.items()
        )
    if str(value) in choices:
        return str(choices[str(value)])
    return _related_name(field, value) or str(value)


def change_rows(entry) -> list[dict]:
    """[{code, label, text}] for the entry's changes: [before, after] pairs as "a → b"."""
    model = entry_model(entry)
    rows = []
    changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
    for name, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            text = f"{value_text(model, name, change[0])} → {value_text(model, name, change[1])}"
        else:
            text = value_text(model, name, change)
        rows.append({"code": name, "label": field_label(model, name), "text": _shortened(text)})
    return rows


LONGEST = 240


def _shortened(text: str) -> str:
    """A long text (a bulletin's body) cut for the log; the object itself has it whole."""
    if len(text) <= LONGEST:
        return text
    return _("%(start)s… (%(n)d characters)") % {"start": text[:LONGEST], "n": len(text)}
